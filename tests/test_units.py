from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.units import BBL_PER_TONNE_CRUDE, KNOWN_UNITS, UnitError, convert


def test_crude_barrels_per_day_to_mt_per_year() -> None:
    # 1 Mt/yr = 1e6 t * 7.33 bbl/t / 365 d
    assert convert(1.0, "Mt/yr", "bbl/day") == pytest.approx(1e6 * BBL_PER_TONNE_CRUDE / 365)
    assert convert(1_000_000, "bbl/day", "Mt/yr") == pytest.approx(365 / 7.33, rel=1e-9)


def test_gas_and_trains() -> None:
    assert convert(1.0, "bcm/yr", "mcm/day") == pytest.approx(1000 / 365)
    assert convert(7.0, "trains/week", "trains/day") == pytest.approx(1.0)


def test_incompatible_and_unknown_units() -> None:
    with pytest.raises(UnitError, match="cannot convert"):
        convert(1.0, "TEU/yr", "Mt/yr")
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1.0, "furlongs", "Mt/yr")


@given(
    st.floats(min_value=0, max_value=1e9),
    st.sampled_from(sorted(KNOWN_UNITS)),
    st.sampled_from(sorted(KNOWN_UNITS)),
)
def test_round_trip(value: float, a: str, b: str) -> None:
    try:
        there = convert(value, a, b)
    except UnitError:
        return
    assert convert(there, b, a) == pytest.approx(value, rel=1e-9, abs=1e-9)
