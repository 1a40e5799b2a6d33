"""Rail rates by year: ERAI rows of rate_index scale the broad-gauge transit only."""

from __future__ import annotations

import pandas as pd
import pytest

import corridors as cx
from corridors.analyses.calibration.checks import calibrate
from corridors.model.rates import rate_years, rates_scenario


def _cost(net: cx.Network, origin: str, destination: str, year: str) -> float:
    row = {
        "id": "x",
        "origin": origin,
        "destination": destination,
        "option": "rail_north",
        "metric": "cost_usd",
        "low": 1.0,
        "high": 1.0,
        "unit": "USD/TEU",
        "source": "calib_erai_2024",
        "year": year,
    }
    got = calibrate(net, pd.DataFrame([row])).rows[0]
    assert got.model_low is not None
    assert got.model_low == got.model_high
    return float(got.model_low)


def test_rail_rows_are_erai_over_its_2023_level(default_net: cx.Network) -> None:
    rail = default_net.rate_index[default_net.rate_index["mode"] == "rail"].set_index("year")
    assert {2022, 2023, 2024, 2025} <= set(rail.index)
    assert {2022, 2023, 2024, 2025} <= set(rate_years(default_net))
    # ERAI around 3,240 USD/FEU in 2024, 3,250 in the first half of 2025, over about
    # 2,900 USD/FEU through 2023
    assert rail.at[2024, "scale"] == pytest.approx(3240 / 2900, abs=0.005)
    assert rail.at[2025, "scale"] == pytest.approx(3250 / 2900, abs=0.005)
    assert rail.at[2023, "scale"] == 1.0
    # 2022: midpoint of the 2,691-3,295 USD/FEU band over the same 2,900
    assert rail.at[2022, "scale"] == pytest.approx((2691 + 3295) / 2 / 2900, abs=0.005)
    assert set(rail["countries"].map(tuple)) == {("KZ", "RU", "BY")}
    rail_overrides = [o for o in rates_scenario(default_net, 2024).override if o.modes == ("rail",)]
    assert [(o.countries, o.scale) for o in rail_overrides] == [(("KZ", "RU", "BY"), 1.12)]


def test_a_rail_route_in_2024_costs_the_index_times_the_2023_rate(
    default_net: cx.Network,
) -> None:
    # Dostyk-Brest runs on KZ, RU and BY links only: the whole route scales
    transit_2023 = _cost(default_net, "dostyk", "brest", "2023")
    transit_2024 = _cost(default_net, "dostyk", "brest", "2024")
    assert _cost(default_net, "dostyk", "brest", "") == pytest.approx(transit_2023)
    assert transit_2024 == pytest.approx(1.12 * transit_2023, rel=1e-9)
    # by hand: rail 0.285 USD/TEU-km over the transit's length, times 1.12
    km = transit_2023 / 0.285
    assert 5400 < km < 5700
    assert transit_2024 == pytest.approx(km * 0.285 * 1.12)
    # door to door, the Chinese and EU sections keep the 2023 rate: only the transit rises
    door_2023 = _cost(default_net, "yiwu", "duisburg", "2023")
    door_2024 = _cost(default_net, "yiwu", "duisburg", "2024")
    assert door_2023 < door_2024 < 1.12 * door_2023
    assert door_2024 - door_2023 == pytest.approx(0.12 * transit_2023, rel=0.05)


def test_a_year_without_a_rail_row_keeps_the_2023_rail_rate(default_net: cx.Network) -> None:
    # 2021 has sea rows (Drewry WCI) but no rail row: rail stays at the reference rate
    assert 2021 in rate_years(default_net)
    assert all(o.modes != ("rail",) for o in rates_scenario(default_net, 2021).override)
    assert _cost(default_net, "shanghai", "moscow", "2021") == pytest.approx(
        _cost(default_net, "shanghai", "moscow", "2023")
    )
