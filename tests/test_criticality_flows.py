"""Flow-LP criticality and leverage on hand-checked networks: reroute cost, duals, warm == cold."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import pytest

import corridors as cx
from corridors.analyses.leverage import leverage
from corridors.model.network import from_frames
from corridors.model.prices import load_export_partners, load_prices, price_per_flow_unit

# (id, kind, country, capacity, lat, lon)
Node = tuple[str, str, str, float | None, float, float]
# (id, from, to, length km, capacity Mt/yr)
Link = tuple[str, str, str, float, float | None]


def crude_network(
    nodes: Sequence[Node], links: Sequence[Link], demand: Sequence[tuple[str, str, float]]
) -> cx.Network:
    """Crude by pipeline at 0.02 USD per unit and km."""
    frames = {
        "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]}),
        "commodities": pd.DataFrame(
            {"id": ["crude"], "name": ["Crude"], "unit": ["Mt/yr"], "modes": ["oil_pipeline"]}
        ),
        "nodes": pd.DataFrame(
            {
                "id": [n[0] for n in nodes],
                "name": [n[0].upper() for n in nodes],
                "kind": [n[1] for n in nodes],
                "country": [n[2] for n in nodes],
                "lat": [n[4] for n in nodes],
                "lon": [n[5] for n in nodes],
                "capacity": [n[3] for n in nodes],
                "capacity_unit": ["Mt/yr" if n[3] is not None else "" for n in nodes],
                "sources": "s",
            }
        ),
        "links": pd.DataFrame(
            {
                "id": [x[0] for x in links],
                "name": [x[0].upper() for x in links],
                "from": [x[1] for x in links],
                "to": [x[2] for x in links],
                "mode": "oil_pipeline",
                "length_km": [x[3] for x in links],
                "capacity": [x[4] for x in links],
                "capacity_unit": ["Mt/yr" if x[4] is not None else "" for x in links],
                "countries": [
                    ";".join(dict.fromkeys(_country(nodes, x[1]) + _country(nodes, x[2])))
                    for x in links
                ],
                "status": "operating",
                "direction": "forward",
                "sources": "s",
            }
        ),
        "mode_costs": pd.DataFrame(
            {
                "mode": ["oil_pipeline"],
                "commodity": ["crude"],
                "cost_usd_per_km": [0.02],
                "sources": ["s"],
            }
        ),
        "demand": pd.DataFrame(
            {
                "id": [f"d{i}" for i in range(len(demand))],
                "origin": [d[0] for d in demand],
                "destination": [d[1] for d in demand],
                "commodity": "crude",
                "amount": [d[2] for d in demand],
                "unit": "Mt/yr",
                "year": 2023,
                "sources": "s",
            }
        ),
    }
    return from_frames(frames, "test")


def _country(nodes: Sequence[Node], node: str) -> list[str]:
    return [next(n[2] for n in nodes if n[0] == node)]


def two_routes() -> cx.Network:
    """Field f (KZ, 10) to market m (IT), demand 8: via r (RU) 200 km, cap 6; via a (AZ) 600 km, cap 3."""
    nodes: list[Node] = [
        ("f", "field", "KZ", 10.0, 45.0, 50.0),
        ("r", "junction", "RU", None, 45.0, 50.6),
        ("a", "junction", "AZ", None, 46.0, 50.6),
        ("m", "market", "IT", None, 45.0, 51.2),
    ]
    links: list[Link] = [
        ("fr", "f", "r", 100.0, 6.0),
        ("rm", "r", "m", 100.0, 6.0),
        ("fa", "f", "a", 300.0, 3.0),
        ("am", "a", "m", 300.0, 3.0),
    ]
    return crude_network(nodes, links, [("f", "m", 8.0)])


def test_leverage_extra_cost_is_per_rerouted_unit() -> None:
    """Base: 6 via RU at 4 USD/unit, 2 via AZ at 12. RU closed: AZ takes 3, so 5 are lost and
    1 unit reroutes from the 4 USD route to the 12 USD one: +8 USD and +400 km per unit."""
    r = leverage(
        two_routes(), "crude", exporters=["KZ"], prices=load_prices(),
        partners=load_export_partners(),
    )  # fmt: skip
    rows = {row.transit: row for row in r.rows}
    ru = rows["RU"]
    assert ru.exports == pytest.approx(8.0)
    assert ru.crossing_share == pytest.approx(6 / 8)
    assert ru.lost == pytest.approx(5.0)
    assert ru.lost_share == pytest.approx(5 / 8)
    assert ru.rerouted == pytest.approx(1.0)
    assert ru.extra_cost_per_unit == pytest.approx(8.0)
    assert ru.extra_km_per_unit == pytest.approx(400.0)
    price, _, _ = price_per_flow_unit(load_prices(), "crude", 2023)
    assert ru.value_at_risk_usd == pytest.approx(5.0 * price)
    # AZ closed: its 2 units find no spare room via RU: all lost, nothing reroutes
    az = rows["AZ"]
    assert (az.lost, az.rerouted, az.extra_cost_per_unit) == (pytest.approx(2.0), 0.0, None)


def test_leverage_warm_closures_equal_cold_solves_on_the_default_network() -> None:
    from corridors.analyses.flows.solve import solve_flow
    from corridors.analyses.leverage.compute import exporter_demand
    from corridors.model.scenario import Closures, Scenario

    net = cx.load()
    r = leverage(net, "crude", exporters=["KZ"])
    demand, _ = exporter_demand(net, "crude", "KZ")
    want = {str(k): float(v) for k, v in demand.groupby("destination")["amount"].sum().items()}
    base = solve_flow(net, "crude", "KZ", list(want), mode="mincost", demand=want)
    # the USD-priced base flow crosses RU and reaches the IT and EG markets (3 rows); priced by
    # km, before rail and ferry had crude rates, it also crossed AZ, GE, TR, BY, PL
    assert len(r.rows) >= 3
    for row in r.rows:
        closed = Scenario(close=Closures(countries=(row.transit,)))
        keep = {s: v for s, v in want.items() if net.nodes.at[s, "country"] != row.transit}
        after = (
            solve_flow(net, "crude", "KZ", list(keep), mode="mincost", demand=keep, scenario=closed)
            if keep
            else None
        )
        delivered = after.delivered_total if after is not None else 0.0
        assert row.lost == pytest.approx(base.delivered_total - delivered, abs=1e-6), row.transit
        assert 0 <= row.rerouted <= row.crossing_share * row.exports + 1e-6 or math.isclose(
            row.crossing_share,
            0.0,
            abs_tol=1e-12,  # EG: 5e-17 of float noise in the USD-priced flow
        )


def bottleneck() -> cx.Network:
    """Field f (10) to market m, demand 10: f-a (4) then a-m (6); f-b (3) then b-m (2)."""
    nodes: list[Node] = [
        ("f", "field", "KZ", 10.0, 45.0, 50.0),
        ("a", "junction", "RU", None, 45.0, 50.6),
        ("b", "junction", "AZ", None, 46.0, 50.6),
        ("m", "market", "IT", None, 45.0, 51.2),
    ]
    links: list[Link] = [
        ("fa", "f", "a", 100.0, 4.0),
        ("am", "a", "m", 100.0, 6.0),
        ("fb", "f", "b", 300.0, 3.0),
        ("bm", "b", "m", 300.0, 2.0),
    ]
    return crude_network(nodes, links, [("f", "m", 10.0)])


def test_binding_link_loses_its_dual_times_its_capacity() -> None:
    """Max flow 6 = fa (4, binding) + bm (2, binding). Closing a binding link takes away its
    whole capacity; its shadow price (one more unit of capacity, one more unit delivered)
    holds over that range, so the loss is the dual times the capacity. fb is not binding
    (dual 0): cutting its capacity to bm's 2 (inside its range) loses nothing, closing it
    (outside) loses the 2 it carries."""
    from corridors.analyses.criticality.capacitated import capacitated_criticality
    from corridors.analyses.flows.problem import Arc
    from corridors.analyses.flows.solve import flow_problem, solve_flow

    net = bottleneck()
    base = solve_flow(net, "crude", "KZ", ["m"], mode="mincost", demand={"m": 10.0})
    assert base.delivered_total == pytest.approx(6.0)
    dual = {lf.id: lf.shadow_price or 0.0 for lf in base.links}
    cap = {"fa": 4.0, "am": 6.0, "fb": 3.0, "bm": 2.0}
    rows = {r.element: r for r in capacitated_criticality(net, "crude").rows}
    for link in ("fa", "bm"):
        assert dual[link] == pytest.approx(1.0), link
        assert rows[link].lost == pytest.approx(dual[link] * cap[link]), link
    assert dual["fb"] == pytest.approx(0.0)
    assert dual["am"] == pytest.approx(0.0)
    assert rows["fb"].lost == pytest.approx(2.0)
    assert rows["am"].lost == pytest.approx(4.0)
    problem, _ = flow_problem(net, "crude", "KZ", ["m"], demand={"m": 10.0})
    problem.set_upper(problem.columns_of(Arc.LINK, "fb"), 2.0)
    assert problem.solve("mincost").total == pytest.approx(6.0)


@pytest.mark.parametrize("kind", ["nodes", "passages", "countries"])
def test_capacitated_warm_equals_cold_for_nodes_passages_countries(kind: str) -> None:
    from corridors.analyses.criticality.capacitated import capacitated_criticality

    net = cx.load()
    cold = {
        r.element: r for r in capacitated_criticality(net, "crude", elements=kind, warm=False).rows
    }
    warm = {r.element: r for r in capacitated_criticality(net, "crude", elements=kind).rows}
    assert cold.keys() == warm.keys()
    assert any(r.lost > 1 for r in cold.values())
    for element, c in cold.items():
        w = warm[element]
        assert w.lost == pytest.approx(c.lost, abs=1e-6), element
        if c.extra_cost_usd is None:
            assert w.extra_cost_usd is None, element
        else:
            assert w.extra_cost_usd == pytest.approx(c.extra_cost_usd, rel=1e-6, abs=1e-6), element
