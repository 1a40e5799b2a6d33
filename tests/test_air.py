"""Air freight: a mode between the main cargo airports, carried by ``air_cargo`` only."""

from __future__ import annotations

import pytest

import corridors as cx
from corridors.model.costs import usable_links


def test_only_air_cargo_flies(default_net: cx.Network) -> None:
    air = default_net.links[default_net.links["mode"] == "air"]
    assert len(air) >= 20
    # a TEU is not flown: containers (and the energy commodities) never see an air link
    for commodity in default_net.commodities.index:
        modes = set(usable_links(default_net, commodity)["mode"])
        assert ("air" in modes) == (commodity == "air_cargo"), commodity


def test_air_links_run_at_the_published_airport_to_airport_times(default_net: cx.Network) -> None:
    air = default_net.links[default_net.links["mode"] == "air"]
    assert set(air["time_source"]) == {"mode_speed"}
    pvg_fra = air.loc["air_shanghai_frankfurt"]
    # 3-7 days airport to airport on direct China-Europe flights (modes.csv)
    assert 2.9 <= pvg_fra["time_low_h"] / 24 <= 3.2
    assert 6.8 <= pvg_fra["time_high_h"] / 24 <= 7.2


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Shanghai", "Frankfurt"), ("Zhengzhou", "Liege"), ("Chongqing", "Leipzig")],
)
def test_a_small_urgent_shipment_flies(
    default_net: cx.Network, origin: str, destination: str
) -> None:
    r = cx.route(default_net, origin, destination, commodity="air_cargo")
    assert r.modes == ("air",)
    assert r.totals.time_days.high < 8
    rail = cx.route(
        default_net,
        origin,
        "Duisburg",  # the airports are air-only nodes: compare with rail to the Ruhr
        commodity="air_cargo",
        scenario=cx.Scenario.from_flags(avoid_modes=["air"]),
    )
    assert "air" not in rail.modes
    assert r.time_h.mean < rail.time_h.mean
    # air is dearer per tonne than rail, and priced from the published USD per kg
    assert r.cost_usd is not None
    assert rail.cost_usd is not None
    assert r.cost_usd > rail.cost_usd


def test_container_answers_ignore_the_airports(default_net: cx.Network) -> None:
    for a, b in (("Chongqing", "Duisburg"), ("Shanghai", "Hamburg")):
        r = cx.route(default_net, a, b)
        assert "air" not in r.modes


def test_avoiding_air_is_a_closure(default_net: cx.Network) -> None:
    s = cx.Scenario.from_flags(avoid_modes=["air"])
    r = cx.route(default_net, "Shanghai", "Rotterdam", commodity="air_cargo", scenario=s)
    assert "air" not in r.modes
