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
    assert len(r.rows) > 3
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
            row.crossing_share, 0.0
        )
