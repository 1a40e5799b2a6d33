"""Hypothesis properties on random networks: totals, avoided countries, monotone closures."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors as cx
from corridors.model.network import from_frames
from corridors.model.validate import MAX_SPEED_KMH

COUNTRIES = ["CN", "KZ", "RU", "BY", "PL", "DE", "AZ", "GE", "TR"]


@st.composite
def networks(draw: st.DrawFn) -> cx.Network:
    n = draw(st.integers(min_value=3, max_value=9))
    countries = [draw(st.sampled_from(COUNTRIES)) for _ in range(n)]
    nodes = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(n)],
            "name": [f"Node {i}" for i in range(n)],
            "kind": ["city"] * n,
            "country": countries,
            "lat": [draw(st.floats(min_value=30, max_value=55)) for _ in range(n)],
            "lon": [draw(st.floats(min_value=0, max_value=120)) for _ in range(n)],
            "dwell_low_h": [draw(st.sampled_from([0.0, 1.0, 5.0])) for _ in range(n)],
            "dwell_high_h": [10.0] * n,
            "sources": ["s"] * n,
        }
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=2,
            max_size=20,
        )
    )
    rows = []
    for k, (i, j) in enumerate(pairs):
        a, b = nodes.iloc[i], nodes.iloc[j]
        from corridors.geo import haversine_km

        gc = float(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]))
        factor = draw(st.floats(min_value=1.0, max_value=2.5))
        via = draw(st.lists(st.sampled_from(COUNTRIES), max_size=2))
        fastest = math.ceil(gc * factor + 1) / MAX_SPEED_KMH  # validation refuses faster
        low = draw(st.floats(min_value=fastest, max_value=max(fastest, 50)))
        rows.append(
            {
                "id": f"l{k}",
                "from": a["id"],
                "to": b["id"],
                "mode": draw(st.sampled_from(["road", "rail"])),
                "gauge_mm": 1435,
                "length_km": math.ceil(gc * factor + 1),
                "time_low_h": low,
                "time_high_h": max(60.0, low),
                "countries": ";".join([a["country"], *via, b["country"]]),
                "status": "operating",
                "direction": "both",
                "sources": "s",
            }
        )
    frames = {
        "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2026]}),
        "commodities": pd.DataFrame(
            {"id": ["container"], "name": ["c"], "unit": ["TEU"], "modes": ["rail;road"]}
        ),
        "mode_costs": pd.DataFrame(
            {
                "mode": ["rail", "road"],
                "commodity": ["container"] * 2,
                "cost_usd_per_km": [1.0, 2.0],
                "sources": ["s", "s"],
            }
        ),
        "nodes": nodes,
        "links": pd.DataFrame(rows),
    }
    return from_frames(frames, "random")


def best(net: cx.Network, scenario: cx.Scenario | None = None) -> cx.Route | None:
    try:
        return cx.route(net, "n0", "n1", scenario=scenario)
    except cx.NoRouteError:
        return None


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks())
def test_totals_equal_sum_of_legs_and_stops(net: cx.Network) -> None:
    r = best(net)
    if r is None:
        return
    parts = [*r.legs, *r.stops]
    assert math.isclose(r.time_h.low, sum(p.time_h.low for p in parts), abs_tol=1e-6)
    assert math.isclose(r.time_h.high, sum(p.time_h.high for p in parts), abs_tol=1e-6)
    assert math.isclose(r.length_km, sum(leg.length_km for leg in r.legs), abs_tol=1e-6)
    assert r.legs[0].from_id == "n0"
    assert r.legs[-1].to_id == "n1"
    for x, y in zip(r.legs[:-1], r.legs[1:], strict=True):
        assert x.to_id == y.from_id


@SETTINGS
@given(networks(), st.sampled_from(COUNTRIES))
def test_an_avoided_country_never_appears(net: cx.Network, country: str) -> None:
    if country in set(net.nodes.loc[["n0", "n1"], "country"]):
        return
    r = best(net, cx.Scenario.from_flags(avoid=[country]))
    if r is not None:
        assert country not in r.countries


@SETTINGS
@given(networks(), st.data())
def test_closing_anything_never_makes_the_best_route_better(
    net: cx.Network, data: st.DataObject
) -> None:
    base = best(net)
    link = data.draw(st.sampled_from(list(net.links.index)))
    node = data.draw(
        st.sampled_from([n for n in net.nodes.index if n not in ("n0", "n1")] or ["n0"])
    )
    closures = [cx.Scenario(close={"links": (link,)}), cx.Scenario(close={"modes": ("road",)})]
    if node not in ("n0", "n1"):
        closures.append(cx.Scenario(close={"nodes": (node,)}))
    for scen in closures:
        after = best(net, scen)
        if after is None:
            continue
        assert base is not None  # a route after a closure existed before it
        mean = lambda r: (r.time_h.low + r.time_h.high) / 2  # noqa: E731
        assert mean(after) >= mean(base) - 1e-6


def _consistent_layers(r: cx.Route) -> bool:
    """Consecutive legs share a layer, or a transfer where they meet changes it."""
    for i, (x, y) in enumerate(zip(r.legs[:-1], r.legs[1:], strict=True)):
        if x.to_id != y.from_id:
            return False
        moves = [(s.from_layer, s.to_layer) for s in r.transfers if s.after_leg == i]
        if x.layer != y.layer and moves != [(x.layer, y.layer)]:
            return False
    return True


def _check_via(net: cx.Network, a: str, b: str, v: str, objective: str = "time") -> None:
    try:
        direct = cx.route(net, a, b, optimize=objective)
    except cx.NoRouteError:
        direct = None
    try:
        through = cx.route(net, a, b, via=[v], optimize=objective)
    except cx.NoRouteError:
        return
    assert direct is not None  # a route through v is a route
    assert _consistent_layers(through)
    assert v in {leg.to_id for leg in through.legs[:-1]}
    parts = [*through.legs, *through.stops]
    assert math.isclose(through.time_h.low, sum(p.time_h.low for p in parts), abs_tol=1e-6)
    if objective == "time":
        assert through.time_h.mean >= direct.time_h.mean - 1e-6
    else:
        assert direct.cost_usd is not None
        assert through.cost_usd is not None
        assert through.cost_usd >= direct.cost_usd - 1e-6


@SETTINGS
@given(networks(), st.data())
def test_a_via_never_beats_the_direct_route(net: cx.Network, data: st.DataObject) -> None:
    inner = [n for n in net.nodes.index if n not in ("n0", "n1")]
    _check_via(net, "n0", "n1", data.draw(st.sampled_from(inner)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_via_on_the_default_network_never_beats_the_direct_route(
    default_net: cx.Network, data: st.DataObject
) -> None:
    nodes = [n for n in default_net.nodes.index if default_net.nodes.at[n, "kind"] != "field"]
    a, b, v = data.draw(st.lists(st.sampled_from(nodes), min_size=3, max_size=3, unique=True))
    _check_via(default_net, a, b, v, data.draw(st.sampled_from(["time", "cost"])))
