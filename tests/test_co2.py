"""CO2 per leg and route (GLEC / EN ISO 14083 default factors) and ``--optimize co2``."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import corridors as cx
from conftest import run_cli
from corridors.errors import CorridorsError
from corridors.model.network import from_frames

#: kg CO2e per TEU-km of the two modes of the hand-checked network.
RAIL, ROAD = 0.1, 1.0


def _net(road_co2: float | None = ROAD) -> cx.Network:
    """A to C by rail via B (1,000 + 1,000 km, slow) or by road direct (1,500 km, fast)."""
    src = {"sources": "s"}
    nodes = pd.DataFrame(
        [
            {
                "id": n,
                "name": n.upper(),
                "kind": "city",
                "country": "DE",
                "lat": 50.0,
                "lon": lon,
                **src,
            }
            for n, lon in (("a", 6.0), ("b", 13.0), ("c", 20.0))
        ]
    )
    link = {"countries": "DE", "status": "operating", "direction": "both", **src}
    links = pd.DataFrame(
        [
            {
                "id": "ab",
                "from": "a",
                "to": "b",
                "mode": "rail",
                "gauge_mm": 1435,
                "length_km": 1000.0,
                "time_low_h": 40.0,
                "time_high_h": 50.0,
                **link,
            },
            {
                "id": "bc",
                "from": "b",
                "to": "c",
                "mode": "rail",
                "gauge_mm": 1435,
                "length_km": 1000.0,
                "time_low_h": 40.0,
                "time_high_h": 50.0,
                **link,
            },
            {
                "id": "ac",
                "from": "a",
                "to": "c",
                "mode": "road",
                "length_km": 1500.0,
                "time_low_h": 20.0,
                "time_high_h": 30.0,
                **link,
            },
        ]
    )
    costs = pd.DataFrame(
        [
            {
                "mode": "rail",
                "commodity": "container",
                "cost_usd_per_km": 0.3,
                "co2e_kg_per_km": RAIL,
                **src,
            },
            {
                "mode": "road",
                "commodity": "container",
                "cost_usd_per_km": 0.8,
                "co2e_kg_per_km": "" if road_co2 is None else road_co2,
                **src,
            },
        ]
    )
    frames = {
        "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]}),
        "commodities": pd.DataFrame(
            {"id": ["container"], "name": ["Containers"], "unit": ["TEU"], "modes": ["rail;road"]}
        ),
        "modes": pd.DataFrame(
            {
                "mode": ["rail", "road"],
                "speed_low_kmh": [30.0, 40.0],
                "speed_high_kmh": [40.0, 60.0],
                **{k: [v, v] for k, v in src.items()},
            }
        ),
        "mode_costs": costs,
        "nodes": nodes,
        "links": links,
    }
    return from_frames(frames)


def test_legs_and_totals_carry_hand_checked_co2() -> None:
    net = _net()
    fast = cx.route(net, "a", "c")
    assert fast.link_ids == ("ac",)
    assert fast.legs[0].co2_kg == pytest.approx(1500 * ROAD)
    assert fast.totals.co2_kg == pytest.approx(1500.0)
    green = cx.route(net, "a", "c", optimize="co2")
    assert green.link_ids == ("ab", "bc")
    assert [leg.co2_kg for leg in green.legs] == pytest.approx([100.0, 100.0])
    assert green.totals.co2_kg == pytest.approx(200.0)
    assert green.objective == "co2"
    # the JSON form carries it by leg and in the totals
    data = green.as_dict()
    assert data["totals"]["co2_kg"] == pytest.approx(200.0)
    assert data["legs"][0]["co2_kg"] == pytest.approx(100.0)
    assert green.legs_frame()["co2_kg"].tolist() == pytest.approx([100.0, 100.0])


def test_a_mode_without_a_factor_reports_none_and_refuses_the_co2_objective() -> None:
    net = _net(road_co2=None)
    r = cx.route(net, "a", "c")
    assert r.legs[0].co2_kg is None
    assert r.totals.co2_kg is None
    with pytest.raises(CorridorsError, match="no co2e_kg_per_km for mode"):
        cx.route(net, "a", "c", optimize="co2")


def test_default_dataset_co2_route_is_no_worse_than_the_fastest(default_net: cx.Network) -> None:
    for commodity in ("container", "air_cargo"):
        fastest = cx.route(default_net, "Shanghai", "Hamburg", commodity=commodity)
        green = cx.route(default_net, "Shanghai", "Hamburg", commodity=commodity, optimize="co2")
        assert "air" not in green.modes
        assert fastest.totals.co2_kg is not None
        assert green.totals.co2_kg is not None
        assert green.totals.co2_kg <= fastest.totals.co2_kg + 1e-6
        assert green.totals.co2_kg == pytest.approx(sum(leg.co2_kg or 0.0 for leg in green.legs))


def test_air_emits_far_more_than_sea_per_tonne(default_net: cx.Network) -> None:
    sea = cx.Scenario.from_flags(avoid_modes=["rail", "road", "air"])
    by_air = cx.route(default_net, "Shanghai", "Frankfurt", commodity="air_cargo")
    by_sea = cx.route(default_net, "Shanghai", "Rotterdam", commodity="air_cargo", scenario=sea)
    assert by_air.modes == ("air",)
    assert by_air.totals.co2_kg is not None
    assert by_sea.totals.co2_kg is not None
    assert by_air.totals.co2_kg > 10 * by_sea.totals.co2_kg


def test_cli_optimize_co2_json() -> None:
    res = run_cli("route", "Xi'an", "Duisburg", "--optimize", "co2", "--json")
    assert res.returncode == 0, res.stderr
    best = json.loads(res.stdout)["routes"][0]
    assert best["objective"] == "co2"
    assert best["totals"]["co2_kg"] > 0
    assert best["totals"]["co2_kg"] == pytest.approx(
        sum(leg["co2_kg"] for leg in best["legs"]), rel=1e-3
    )
