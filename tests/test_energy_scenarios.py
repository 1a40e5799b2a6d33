"""Shipped energy scenarios: they load, apply, and move the flows the expected way.

Stored figures (tolerance 0.05 in the flow unit) are the answers documented in
docs/energy-analyses.md; if the data change, update both.
"""

from __future__ import annotations

import os

import pytest

from corridors.analyses.flows.solve import solve_flow
from corridors.model.network import Network, load
from corridors.model.scenario import Scenario, apply_scenario, compose, load_scenario

ENERGY_SCENARIOS = [
    "cpc-suspension-2022",
    "russia-closed",
    "sgc-2027",
    "sgc-quadrupled",
    "trans-caspian-gas",
    "kazakh-caspian-oil-route",
    "uranium-avoid-russia",
]
TOL = 0.05


@pytest.fixture(scope="module")
def net() -> Network:
    return load(os.environ.get("CORRIDORS_TEST_DATA") or None)


def _flow(net: Network, commodity: str, src: str, dst: str | None, *names: str) -> float:
    scen: Scenario | None = compose([load_scenario(n) for n in names]) if names else None
    return solve_flow(net, commodity, src, dst, scenario=scen).delivered_total


@pytest.mark.parametrize("name", ENERGY_SCENARIOS)
def test_scenario_loads_and_applies(net: Network, name: str) -> None:
    scen = load_scenario(name)
    assert scen.name == name
    assert scen.title
    assert scen.description
    assert scen.sources
    assert scen.date
    assert apply_scenario(net, scen) is not net


def test_crude_baseline_is_supply_bound(net: Network) -> None:
    # KZ supply = 2022 exports (64.3 Mt): Tengiz + Kashagan + Karachaganak + other fields
    assert _flow(net, "crude", "KZ", None) == pytest.approx(64.3, abs=TOL)


def test_cpc_suspension_and_russia_closed(net: Network) -> None:
    base = _flow(net, "crude", "KZ", None)
    cpc = _flow(net, "crude", "KZ", None, "cpc-suspension-2022")
    no_ru = _flow(net, "crude", "KZ", None, "russia-closed")
    assert no_ru < cpc < base
    assert cpc == pytest.approx(33.26, abs=TOL)
    assert no_ru == pytest.approx(15.76, abs=TOL)


def test_kazakh_caspian_route_closes_part_of_the_gap(net: Network) -> None:
    no_ru = _flow(net, "crude", "KZ", None, "russia-closed")
    with_kcts = _flow(net, "crude", "KZ", None, "russia-closed", "kazakh-caspian-oil-route")
    assert with_kcts == pytest.approx(no_ru + 30.0, abs=TOL)  # KCTS Eskene-Kuryk 30 Mt/yr


def test_russia_closed_uses_no_russian_link(net: Network) -> None:
    scen = load_scenario("russia-closed")
    r = solve_flow(net, "crude", "KZ", None, scenario=scen)
    used = net.links.loc[[x.id for x in r.links]]
    assert not used["countries"].map(lambda cs: "RU" in cs).any()


def test_sgc_gas_to_eu(net: Network) -> None:
    today = _flow(net, "gas", "AZ", "market_eu")
    y2027 = _flow(net, "gas", "AZ", "market_eu", "sgc-2027")
    quad = _flow(net, "gas", "AZ", "market_eu", "sgc-quadrupled")
    assert today == pytest.approx(10.0, abs=TOL)
    assert y2027 == pytest.approx(20.0, abs=TOL)
    assert quad == pytest.approx(32.4, abs=TOL)


def test_trans_caspian_gas_brings_turkmen_gas_to_eu(net: Network) -> None:
    base = _flow(net, "gas", "TM", "market_eu")
    tcgp = _flow(net, "gas", "TM", "market_eu", "trans-caspian-gas")
    assert base == pytest.approx(0.0, abs=1e-6)
    assert tcgp > base
    assert tcgp == pytest.approx(10.0, abs=TOL)  # limited by TAP


def test_russian_gas_does_not_reach_china_via_turkmenistan(net: Network) -> None:
    r = solve_flow(net, "gas", "russia_gas_supply", "market_china")
    assert r.delivered_total == pytest.approx(0.0, abs=1e-6)


def test_uranium_routes(net: Network) -> None:
    base = solve_flow(net, "uranium", "KZ", None)
    assert base.unit == "tU/yr"
    assert base.delivered_total == pytest.approx(21112, abs=1)
    scen = load_scenario("uranium-avoid-russia")
    avoid = solve_flow(net, "uranium", "KZ", None, scenario=scen)
    assert avoid.delivered_total == pytest.approx(3500, abs=1)  # TITR quota
    used = net.links.loc[[x.id for x in avoid.links]]
    assert not used["countries"].map(lambda cs: "RU" in cs).any()
    assert "mid_ferry_aktau_baku_alat" in {x.id for x in avoid.links}


def test_russian_crude_is_bounded(net: Network) -> None:
    r = solve_flow(net, "crude", "RU", None)
    assert r.delivered_total == pytest.approx(90.0, abs=TOL)
