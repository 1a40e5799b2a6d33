"""Units of capacity and flow, and the conversions between them, defined once.

Crude oil volumes and masses are linked by a density factor: BP's Statistical Review of
World Energy uses 7.33 barrels per tonne for average crude. Gas flows are converted
between million cubic metres per day and billion cubic metres per year by 365 days.

Container capacities given in trains (a border crossing's trains/day) become TEU by the
average load of a China–Europe train, :data:`TEU_PER_TRAIN` (see :func:`teu_per_year`).

Examples
--------
>>> round(convert(1.0, "Mt/yr", "bbl/day"), 0)
20082.0
>>> convert(100.0, "mcm/day", "bcm/yr")
36.5
"""

from __future__ import annotations

__all__ = [
    "BBL_PER_TONNE_CRUDE",
    "KNOWN_UNITS",
    "TEU_PER_TRAIN",
    "UnitError",
    "convert",
    "teu_per_year",
]

#: Barrels per tonne of average crude (BP Statistical Review of World Energy, approximate
#: conversion factors).
BBL_PER_TONNE_CRUDE = 7.33

#: Average load of a China–Europe container train in TEU: China State Railway Group,
#: January–August 2022, 10,575 train trips carried 1.02 million TEU (Xinhua, 12 Sep 2022,
#: http://belt.china.org.cn/2022-09/13/content_78417764.htm), i.e. 96.5 TEU a trip. Trains
#: on the 1435 mm European side are shorter (41–43 FEU, 82–86 TEU); Chinese domestic
#: sections run 50–55 FEU (100–110 TEU).
TEU_PER_TRAIN = 1_020_000 / 10_575

#: Each unit as (dimension, factor to the dimension's base unit). Bases: TEU/yr, t/yr,
#: bcm/yr, tU/yr, trains/yr, TEU, t, bcm, tU.
_UNITS: dict[str, tuple[str, float]] = {
    "TEU/yr": ("teu_rate", 1.0),
    "TEU/day": ("teu_rate", 365.0),
    "TEU/week": ("teu_rate", 365.0 / 7.0),
    "FEU/yr": ("teu_rate", 2.0),
    "trains/yr": ("train_rate", 1.0),
    "trains/day": ("train_rate", 365.0),
    "trains/week": ("train_rate", 365.0 / 7.0),
    "Mt/yr": ("mass_rate", 1e6),
    "kt/yr": ("mass_rate", 1e3),
    "t/yr": ("mass_rate", 1.0),
    "bbl/day": ("mass_rate", 365.0 / BBL_PER_TONNE_CRUDE),
    "kbbl/day": ("mass_rate", 365.0e3 / BBL_PER_TONNE_CRUDE),
    "Mbbl/day": ("mass_rate", 365.0e6 / BBL_PER_TONNE_CRUDE),
    "bcm/yr": ("gas_rate", 1.0),
    "mcm/day": ("gas_rate", 365.0 / 1000.0),
    "tU/yr": ("uranium_rate", 1.0),
    "vehicles/day": ("vehicle_rate", 365.0),
    "vehicles/yr": ("vehicle_rate", 1.0),
    "TEU": ("teu", 1.0),
    "t": ("mass", 1.0),
    "Mt": ("mass", 1e6),
    "bcm": ("gas", 1.0),
    "tU": ("uranium", 1.0),
}

#: Every unit name the tables may use.
KNOWN_UNITS: frozenset[str] = frozenset(_UNITS)


class UnitError(ValueError):
    """Two units cannot be converted into each other, or a unit is unknown."""


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a quantity between two units of the same dimension.

    Parameters
    ----------
    value
        The quantity in ``from_unit``.
    from_unit, to_unit
        Unit names from :data:`KNOWN_UNITS`.

    Returns
    -------
    float
        The quantity in ``to_unit``.

    Raises
    ------
    UnitError
        If a unit is unknown or the two measure different things.

    Examples
    --------
    >>> convert(2.0, "trains/day", "trains/yr")
    730.0
    >>> convert(1.0, "bcm/yr", "Mt/yr")
    Traceback (most recent call last):
    ...
    corridors.units.UnitError: cannot convert bcm/yr (gas_rate) to Mt/yr (mass_rate)
    """
    try:
        dim_a, fa = _UNITS[from_unit]
        dim_b, fb = _UNITS[to_unit]
    except KeyError as exc:
        raise UnitError(f"unknown unit {exc.args[0]!r}; known: {sorted(KNOWN_UNITS)}") from None
    if dim_a != dim_b:
        raise UnitError(f"cannot convert {from_unit} ({dim_a}) to {to_unit} ({dim_b})")
    return value * fa / fb


def teu_per_year(value: float, unit: str, teu_per_train: float = TEU_PER_TRAIN) -> float:
    """Convert a container capacity or volume to TEU/yr, trains by their average load.

    Parameters
    ----------
    value
        The quantity in ``unit``.
    unit
        A TEU rate (``TEU/yr``, ``TEU/day``, ``FEU/yr`` ...) or a train rate
        (``trains/day``, ``trains/week``, ``trains/yr``).
    teu_per_train
        TEU a train carries (default :data:`TEU_PER_TRAIN`).

    Returns
    -------
    float
        The quantity in TEU/yr.

    Raises
    ------
    UnitError
        For a unit that is neither a TEU nor a train rate (``Mt/yr`` is not a container
        capacity).

    Examples
    --------
    >>> teu_per_year(760.0, "TEU/day")
    277400.0
    >>> round(teu_per_year(14.0, "trains/day"))
    492879
    >>> teu_per_year(6.5, "Mt/yr")
    Traceback (most recent call last):
    ...
    corridors.units.UnitError: Mt/yr is not a container rate (TEU or trains per time)
    """
    dim = _UNITS.get(unit, ("", 0.0))[0]
    if dim == "teu_rate":
        return convert(value, unit, "TEU/yr")
    if dim == "train_rate":
        return convert(value, unit, "trains/yr") * teu_per_train
    if unit not in _UNITS:
        return convert(value, unit, "TEU/yr")  # raises "unknown unit"
    raise UnitError(f"{unit} is not a container rate (TEU or trains per time)")
