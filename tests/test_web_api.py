"""The REST API against a live uvicorn server on 127.0.0.1: answers equal the analyses'.

The web layer computes nothing: each answer is checked against the analysis function the
CLI calls. Bounds and bad input give 4xx with a JSON body naming the field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

import corridors as cx
from corridors.analyses.compare.comparison import compare
from corridors.analyses.flows.dated import flow_at_year
from corridors.io.dated_files import read_year_tables
from corridors.model.graph import usable_links
from corridors.model.scenario import Closures, Scenario, load_scenario, shipped_scenarios
from corridors.web.app import create_app
from corridors.web.limits import Limits
from corridors.web.serve import background


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with background(create_app()) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client


def error(response: httpx.Response, status: int, field: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, object] = response.json()
    assert body["field"] == field, body
    assert body["message"]
    return body


def test_health_and_meta(api: httpx.Client) -> None:
    assert api.get("/api/health").json()["status"] == "ok"
    meta = api.get("/api/meta").json()
    codes = {c["code"]: c for c in meta["countries"]}
    assert codes["KZ"]["numeric"] == "398"
    assert "cpc-suspension-2022" in meta["scenarios"]
    assert {"time", "cost", "generalized"} <= set(meta["objectives"])


@pytest.mark.parametrize(
    ("q", "node"),
    [
        ("malasz", "malaszewicze"),
        ("Małaszewicze", "malaszewicze"),
        ("xi'an", "xian"),
        ("XIAN", "xian"),
    ],
)
def test_places_autocomplete_folds_names(api: httpx.Client, q: str, node: str) -> None:
    hits = api.get("/api/places", params={"q": q}).json()
    assert hits[0]["id"] == node


def test_places_find_aliases(api: httpx.Client, default_net: cx.Network) -> None:
    node, aliases = next(
        (i, a) for i, a in default_net.nodes["aliases"].items() if a and len(a[0]) > 4
    )
    hits = api.get("/api/places", params={"q": aliases[0], "limit": 25}).json()
    assert node in [h["id"] for h in hits]


def test_network_filters(api: httpx.Client, default_net: cx.Network) -> None:
    ferry = api.get("/api/network", params={"mode": "ferry"}).json()["features"]
    links = [f for f in ferry if f["properties"]["layer"] == "link"]
    assert links
    assert all(f["properties"]["mode"] == "ferry" for f in links)
    crude = api.get("/api/network", params={"commodity": "crude"}).json()["features"]
    ids = {f["properties"]["id"] for f in crude if f["properties"]["layer"] == "link"}
    assert ids == set(usable_links(default_net, "crude").index)
    planned = api.get("/api/network", params={"status": "suspended"}).json()["features"]
    assert {f["properties"]["status"] for f in planned if f["properties"]["layer"] == "link"} == {
        "suspended"
    }
    error(api.get("/api/network", params={"mode": "zeppelin"}), 422, "mode")


def test_route_is_the_analysis_answer(api: httpx.Client, default_net: cx.Network) -> None:
    params = {"origin": "Chongqing", "destination": "Duisburg", "avoid": "RU,BY"}
    body = api.get("/api/route", params=params).json()
    scen = cx.Scenario.from_flags(avoid=["RU", "BY"])
    direct = cx.route(default_net, "Chongqing", "Duisburg", scenario=scen).as_dict()
    got = body["routes"][0]
    assert got["legs"] == direct["legs"]
    assert got["totals"] == direct["totals"]
    legs = [
        f
        for f in body["features"]["features"]
        if f["properties"]["route"] == 0 and f["geometry"]["type"] == "LineString"
    ]
    assert [f["properties"]["link_id"] for f in legs] == [leg["link_id"] for leg in direct["legs"]]
    assert "ferry" in got["modes"]


def test_route_alternatives_and_options(api: httpx.Client) -> None:
    params = {"origin": "Xi'an", "destination": "Hamburg", "alternatives": 3, "optimize": "cost"}
    body = api.get("/api/route", params=params).json()
    assert 1 <= len(body["routes"]) <= 3
    assert {f["properties"]["route"] for f in body["features"]["features"]} == set(
        range(len(body["routes"]))
    )
    via = api.get(
        "/api/route", params={"origin": "Chongqing", "destination": "Duisburg", "via": "Aktau"}
    ).json()
    assert "Aktau" in [leg["to_name"] for leg in via["routes"][0]["legs"]]


def test_route_promise_is_the_on_time_analysis(api: httpx.Client, default_net: cx.Network) -> None:
    from corridors.analyses.routing.search import route
    from corridors.analyses.uncertainty import time_distribution
    from corridors.model.disruptions import load_disruptions

    params = {"origin": "Chongqing", "destination": "Duisburg", "promise": 18}
    on_time = api.get("/api/route", params=params).json()["on_time"]
    best = route(default_net, "Chongqing", "Duisburg")
    want = time_distribution(best, load_disruptions(None, net=default_net), draws=10_000, seed=0)
    assert on_time["probability"] == want.prob_within(18)
    assert on_time["distribution"] == want.as_dict()
    assert "on_time" not in api.get("/api/route", params={**params, "promise": None}).json()


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"destination": "Duisburg"}, 422, "origin"),
        ({"origin": "Chongqing", "destination": "Duisbrug"}, 422, "destination"),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "alternatives": 9},
            422,
            "alternatives",
        ),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "alternatives": 2, "via": "Aktau"},
            422,
            "via",
        ),
        ({"origin": "Chongqing", "destination": "Duisburg", "optimize": "fun"}, 422, "optimize"),
        ({"origin": "Chongqing", "destination": "Duisburg", "promise": -1}, 422, "promise"),
        ({"origin": "Chongqing", "destination": "Duisburg", "avoid": "R1"}, 422, "avoid"),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "avoid_passage": "x"},
            422,
            "avoid_passage",
        ),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "close_link": "nope"},
            422,
            "close_link",
        ),
        ({"origin": "Chongqing", "destination": "Duisburg", "commodity": "gold"}, 422, "commodity"),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "scenario": "../../etc/passwd"},
            422,
            "scenario",
        ),
        (
            {"origin": "Chongqing", "destination": "Duisburg", "avoid_mode": "rail,road,sea,ferry"},
            404,
            "destination",
        ),
    ],
)
def test_route_errors_name_the_field(
    api: httpx.Client, params: dict[str, object], status: int, field: str
) -> None:
    error(api.get("/api/route", params=params), status, field)


def test_unknown_place_has_suggestions(api: httpx.Client) -> None:
    body = api.get("/api/route", params={"origin": "Chongqing", "destination": "Duisbrug"}).json()
    assert "Duisburg" in body["suggestions"]


def test_flow_is_the_analysis_answer(api: httpx.Client, default_net: cx.Network) -> None:
    body = api.get("/api/flow", params={"from": "KZ", "scenario": "cpc-suspension-2022"}).json()
    scen = load_scenario("cpc-suspension-2022")
    assert scen.year == 2022  # the scenario's year applies, as on the command line
    tables = read_year_tables()
    direct = flow_at_year(
        default_net, "crude", "KZ", year=2022, scenario=scen, tables=tables
    ).as_dict()
    assert body["year"] == 2022
    assert body["basis"] == "bound"
    assert body["delivered_total"] == direct["delivered_total"]
    assert body["min_cut"] == direct["min_cut"]
    assert body["exports"] == direct["exports"]
    assert body["exports"]["shortfall"] > 0
    cut = [f for f in body["features"]["features"] if f["properties"]["cut"]]
    assert {f["properties"]["id"] for f in cut} == {c["id"] for c in direct["min_cut"]}
    error(api.get("/api/flow", params={"from": "Atlantis"}), 422, "from")
    error(api.get("/api/flow", params={"from": "KZ", "demand": "eu"}), 422, "demand")


def test_flow_takes_a_year_as_the_cli_does(api: httpx.Client, default_net: cx.Network) -> None:
    tables = read_year_tables()
    by_year = {}
    for year in (2022, 2026):
        body = api.get("/api/flow", params={"from": "KZ", "year": year}).json()
        direct = flow_at_year(default_net, "crude", "KZ", year=year, tables=tables)
        assert body["delivered_total"] == direct.as_dict()["delivered_total"]
        by_year[year] = body["delivered_total"]
    assert by_year[2026] > by_year[2022]  # CPC debottlenecked (dated_values.csv)
    error(api.get("/api/flow", params={"from": "KZ", "year": 1800}), 422, "year")


def test_compare_and_assign(api: httpx.Client, default_net: cx.Network) -> None:
    body = api.get(
        "/api/compare", params={"scenario": "russia-closed", "od": ["Chongqing:Duisburg"]}
    ).json()
    assert body["scenario"]["name"] == "russia-closed"
    assert {(r["origin"], r["destination"]) for r in body["routes"]} == {
        (cx.resolve(default_net, "Chongqing"), cx.resolve(default_net, "Duisburg"))
    }
    error(api.get("/api/compare", params={"scenario": "russia-closed", "od": "x"}), 422, "od")
    many = {"scenario": "russia-closed", "od": [f"a{i}:b" for i in range(11)]}
    error(api.get("/api/compare", params=many), 422, "od")
    error(api.get("/api/compare", params={"od": "Chongqing:Duisburg"}), 422, "scenario")
    closures = {"avoid_passage": "suez", "avoid_mode": "ferry", "od": "Shanghai:Rotterdam"}
    moved = api.get("/api/compare", params=closures).json()
    want = compare(
        default_net,
        Scenario(name="x", close=Closures(passages=("suez",), modes=("ferry",))),
        od_pairs=[("Shanghai", "Rotterdam")],
    ).as_dict()
    fields = ("corridor", "status", "time_low_h_after", "cost_usd_after", "length_km_after")
    assert [[r[f] for f in fields] for r in moved["routes"]] == [
        [r[f] for f in fields] for r in want["routes"]
    ]
    assert any(r["status"] == "changed" for r in moved["routes"])
    assigned = api.get("/api/assign").json()
    assert assigned["assigned_total"] > 0
    assert assigned["published"]


def test_scenarios_list_show_and_404(api: httpx.Client) -> None:
    names = [s["name"] for s in api.get("/api/scenarios").json()]
    assert names == list(shipped_scenarios())
    shown = api.get("/api/scenarios/cpc-suspension-2022").json()
    assert shown["close"]["links"]
    error(api.get("/api/scenarios/nope"), 404, "name")


def upload(api: httpx.Client, text: str | bytes) -> httpx.Response:
    return api.post("/api/scenarios/validate", files={"file": ("s.yaml", text, "application/yaml")})


def test_uploaded_scenario_is_validated(api: httpx.Client) -> None:
    shipped = shipped_scenarios()["cpc-suspension-2022"].read_text(encoding="utf-8")
    ok = upload(api, shipped).json()
    assert ok["valid"]
    assert ok["effect"]["links_after"] < ok["effect"]["links_before"]
    bad = error(upload(api, "name: x\nclose:\n  countries: [RUSSIA]\n"), 422, "file")
    assert any("close.countries" in p["field"] for p in bad["problems"])  # type: ignore[attr-defined]
    error(upload(api, "close:\n  links: [no_such_link]\n"), 422, "file")
    error(upload(api, "a: &x [1]\nb: *x\n"), 422, "file")
    error(upload(api, b"\xff\xfe"), 422, "file")
    error(upload(api, "[" * 5000), 422, "file")
    error(upload(api, "note: " + "x" * 70_000), 413, "body")


def test_sources(api: httpx.Client, default_net: cx.Network) -> None:
    first = str(default_net.sources.index[0])
    assert api.get(f"/api/sources/{first}").json()["id"] == first
    assert [s["id"] for s in api.get("/api/sources", params={"ids": first}).json()] == [first]
    error(api.get("/api/sources/nope"), 404, "source_id")


def test_size_bounds_and_no_cors(api: httpx.Client) -> None:
    error(api.get("/api/places", params={"q": "x" * 3000}), 414, "query")
    error(api.get("/api/nowhere"), 404, "path")
    r = api.get("/api/health", headers={"Origin": "http://elsewhere.test"})
    assert "access-control-allow-origin" not in r.headers
    pre = api.options("/api/route", headers={"Origin": "http://elsewhere.test"})
    assert "access-control-allow-origin" not in pre.headers


def call(app: object, path: str, params: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, params=params)

    return asyncio.run(go())


def test_time_limit_is_a_clear_4xx(default_net: cx.Network) -> None:
    app = create_app(default_net.replace(), limits=Limits(max_seconds=1e-6))
    r = call(app, "/api/flow", {"from": "KZ"})
    error(r, 422, "request")
    assert r.json()["error"] == "time_limit"


def test_scenario_networks_are_bounded(default_net: cx.Network) -> None:
    net = default_net.replace()
    app = create_app(net, limits=Limits(scenario_networks=3))
    for code in ("RU", "BY", "KZ", "TR", "GE", "PL"):
        r = call(app, "/api/route", {"origin": "Xi'an", "destination": "Berlin", "avoid": code})
        assert r.status_code in (200, 404)
    assert sum(1 for k in net.cache if isinstance(k, tuple) and k[:1] == ("scenario",)) <= 3


def test_serve_binds_loopback_and_prints_the_address() -> None:
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "from corridors.cli.app import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        for _ in range(300):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.status_code == 200
        assert "leaflet" in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_repeated_answers_come_from_the_cache(
    default_net: cx.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corridors.web.routers import routing

    calls: list[str] = []
    real = routing.route

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(str(args[1]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routing, "route", counted)
    app = create_app(default_net.replace())
    params = {"origin": "Chongqing", "destination": "Duisburg"}
    first, second = call(app, "/api/route", params), call(app, "/api/route", params)
    assert first.content == second.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert calls == ["Chongqing"]
    bad = {"origin": "Chongqing", "destination": "Nowhere"}
    assert call(app, "/api/route", bad).status_code == 422
    assert call(app, "/api/route", bad).status_code == 422
    assert calls == ["Chongqing", "Chongqing", "Chongqing"]  # errors are not kept
