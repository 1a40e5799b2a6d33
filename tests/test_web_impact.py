"""``/api/criticality`` and ``/api/leverage``: the analyses' answers, bounded and cached.

Each answer is checked against the analysis function the CLI calls; the bounds (sweeps
allowed, sweep size, exporters, time) answer 422 naming the field; a sweep runs once for
every answer cut from it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import corridors as cx
from corridors.analyses.criticality import shortest_path_criticality
from corridors.analyses.criticality.capacitated import capacitated_criticality
from corridors.analyses.leverage import leverage
from corridors.model.scenario import load_scenario, shipped_scenarios
from corridors.web.app import create_app
from corridors.web.limits import Limits


def caller(app: Any, *, raises: bool = True) -> Callable[[str, dict[str, Any]], httpx.Response]:
    """GET on ``app`` in process (the whole ASGI stack, middleware included).

    ``raises=False``: an exception the app re-raises after answering (as Starlette does
    for a 500, for the server's log) is not raised here, so the answer can be read.
    """

    def call(path: str, params: dict[str, Any]) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=raises)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get(path, params=params, timeout=120)

        return asyncio.run(go())

    return call


@pytest.fixture(scope="module")
def net() -> cx.Network:
    return cx.load()


@pytest.fixture(scope="module")
def get(net: cx.Network) -> Callable[[str, dict[str, Any]], httpx.Response]:
    return caller(create_app(net.replace()))


def error(response: httpx.Response, field: str, code: str | None = None) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field, body
    assert body["message"]
    if code is not None:
        assert body["error"] == code, body


def test_criticality_is_the_analysis_answer(get: Any, net: cx.Network) -> None:
    r = get("/api/criticality", {"elements": "countries", "top": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    want = shortest_path_criticality(net, "container", elements="countries")
    assert body["rows"] == want.top(5).as_dict()["rows"]
    assert body["rows_total"] == len(want.rows)
    assert body["engine"] == "shortest-path"
    assert body["features"]["features"] == []  # countries have no geometry


def test_criticality_features_colour_the_network_by_impact(get: Any, net: cx.Network) -> None:
    body = get("/api/criticality", {"elements": "links", "top": 0}).json()
    want = shortest_path_criticality(net, "container", elements="links")
    assert len(body["rows"]) == body["rows_total"] == len(want.rows)
    features = body["features"]["features"]
    assert {f["geometry"]["type"] for f in features} == {"LineString"}
    impacts = {f["properties"]["element"]: f["properties"]["impact"] for f in features}
    assert max(impacts.values()) == pytest.approx(1.0)
    assert min(impacts.values()) >= 0
    most = max(want.rows, key=lambda r: r.lost + r.rerouted)
    assert impacts[most.element] == pytest.approx(1.0)
    layer = get("/api/criticality/features", {"elements": "links"})
    assert layer.headers["content-type"].startswith("application/geo+json")
    assert layer.json()["features"] == features


def test_capacitated_criticality_with_a_scenario(get: Any, net: cx.Network) -> None:
    params = {"commodity": "crude", "engine": "capacitated", "elements": "countries"}
    body = get("/api/criticality", params | {"scenario": "cpc-suspension-2022"}).json()
    scen = load_scenario(shipped_scenarios()["cpc-suspension-2022"])
    want = capacitated_criticality(net, "crude", elements="countries", scenario=scen)
    assert body["rows"] == want.top(20).as_dict()["rows"]
    assert body["scenario"] == want.scenario
    base = get("/api/criticality", params).json()
    assert base["rows"] != body["rows"]


def test_criticality_bounds(get: Any, net: cx.Network) -> None:
    capacitated = {"commodity": "crude", "engine": "capacitated", "elements": "transfers"}
    error(get("/api/criticality", capacitated), "elements", "sweep_not_allowed")
    error(get("/api/criticality", {"commodity": "coal"}), "commodity", "unknown_commodity")
    error(get("/api/criticality", {"elements": "everything"}), "elements")
    error(get("/api/criticality", {"engine": "capacitated", "commodity": "container"}), "commodity")
    error(get("/api/criticality", {"scenario": "no-such-scenario"}), "scenario")
    error(get("/api/criticality", {"top": -1}), "top")
    small = caller(create_app(net.replace(), limits=Limits(max_sweep_elements=20)))
    error(small("/api/criticality", {"elements": "links"}), "elements", "sweep_too_large")
    assert small("/api/criticality", {"elements": "passages"}).status_code == 200


def test_criticality_time_limit(net: cx.Network) -> None:
    slow = caller(create_app(net.replace(), limits=Limits(max_seconds=1e-6)))
    r = slow("/api/criticality", {"elements": "nodes"})
    error(r, "request", "time_limit")


def test_one_sweep_serves_every_answer_cut_from_it(
    net: cx.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corridors.web import impacts

    calls: list[tuple[str, str]] = []
    real = impacts.criticality

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append((kwargs["elements"], kwargs["engine"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(impacts, "criticality", counted)
    get = caller(create_app(net.replace()))
    for top in (3, 10, 0):
        assert len(get("/api/criticality", {"elements": "nodes", "top": top}).json()["rows"])
    assert get("/api/criticality/features", {"elements": "nodes"}).status_code == 200
    assert calls == [("nodes", "shortest-path")]
    assert get("/api/criticality", {"elements": "nodes", "avoid": "GE"}).status_code == 200
    assert calls == [("nodes", "shortest-path")] * 2  # another scenario, another sweep


def test_leverage_is_the_analysis_answer(get: Any, net: cx.Network) -> None:
    body = get("/api/leverage", {"commodity": "crude", "exporter": "kz"}).json()
    want = leverage(net, "crude", exporters=["KZ"])
    assert body == want.as_dict()
    ru = next(r for r in body["rows"] if r["transit"] == "RU")
    assert ru["crossing_share"] > 0.5


def test_leverage_matrix_lays_out_the_rows(get: Any) -> None:
    params = {"commodity": "crude", "scenario": "kazakh-caspian-oil-route"}
    rows = get("/api/leverage", params).json()["rows"]
    m = get("/api/leverage/matrix", params).json()
    assert m["exporters"] == sorted({r["exporter"] for r in rows})
    assert set(m["transits"]) == {r["transit"] for r in rows}
    assert m["after"] is not None
    seen = set()
    for r in rows:
        i, j = m["exporters"].index(r["exporter"]), m["transits"].index(r["transit"])
        seen.add((i, j))
        for measure in ("crossing_share", "lost_share", "value_at_risk_usd", "lost"):
            assert m["cells"][measure][i][j] == r[measure]
            assert m["after"][measure][i][j] == r["after"][measure]
    for i in range(len(m["exporters"])):
        for j in range(len(m["transits"])):
            if (i, j) not in seen:
                assert m["cells"]["lost_share"][i][j] is None


def test_leverage_bounds(get: Any, net: cx.Network) -> None:
    error(get("/api/leverage", {"exporter": "K1"}), "exporter", "invalid_country")
    error(get("/api/leverage", {"exporter": "CN", "commodity": "crude"}), "exporter")
    error(get("/api/leverage", {"commodity": "coal"}), "commodity")
    few = caller(create_app(net.replace(), limits=Limits(max_exporters=2)))
    error(few("/api/leverage", {"exporter": "KZ,RU,AZ"}), "exporter", "too_many")


def test_openapi_shows_the_result_schemas() -> None:
    spec = create_app().openapi()
    schemas = spec["components"]["schemas"]
    rows = schemas["CriticalityAnswer"]["properties"]["rows"]
    assert "CriticalityRow" in str(rows)
    assert {"features", "rows_total", "demand_total"} <= set(
        schemas["CriticalityAnswer"]["properties"]
    )
    assert "LeverageRow" in str(schemas["LeverageAnswer"]["properties"]["rows"])
    assert {"exporters", "transits", "cells"} <= set(schemas["LeverageMatrix"]["properties"])
    for path in ("/api/criticality", "/api/criticality/features", "/api/leverage/matrix"):
        assert "422" in spec["paths"][path]["get"]["responses"]


def test_a_failing_analysis_is_a_json_500(net: cx.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridors.web import impacts

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("moscow")

    monkeypatch.setattr(impacts, "criticality", broken)
    get = caller(create_app(net.replace()), raises=False)
    r = get("/api/criticality", {"elements": "passages"})
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"] == "internal_error"
    assert r.json()["field"] == "request"
