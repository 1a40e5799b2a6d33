r"""The one rule for every analysis: which links a commodity uses, what a unit costs, capacities.

Routing, flows and assignment all read links, costs and capacities through this module, so
that the same link is priced and bounded the same way everywhere.

Which links
    :func:`usable_links`: operating links whose mode carries the commodity; on the
    commodity's ``tagged_modes`` only links whose ``commodities`` column names it.

What a unit costs on a link
    :func:`link_unit_costs`. A link's own ``cost_usd`` is a published tariff in the unit
    the schema gives that column (``USD/TEU``): it applies to the commodity counted in
    that unit (:func:`tariff_commodity_unit`, containers) and to no other. Otherwise a
    unit costs the link's length times the mode's ``cost_usd_per_km`` for the commodity
    (``mode_costs``). Either is multiplied by a scenario's ``cost_scale``. Where neither
    gives a figure the cost is **NaN**: there is no fallback to another mode's rate. The
    cost objective of routing refuses to run then, and the least-cost flow prices every
    link by its length instead, saying so (:func:`missing_rate_modes`).

What its capacity is, in the commodity's flow unit
    :func:`capacity_in`: one conversion for every analysis. A capacity is converted with
    :func:`corridors.units.convert`; when the flow unit is ``TEU/yr``, a train rate counts
    as TEU at :data:`corridors.units.TEU_PER_TRAIN` (:func:`corridors.units.teu_per_year`),
    always. A capacity of another dimension (a rail line's TEU/yr for crude) is no capacity
    for that commodity (``None``; an unbounded arc in a flow).

Examples
--------
>>> from corridors.model.network import load
>>> net = load()
>>> links = usable_links(net, "crude")
>>> cost = link_unit_costs(net, links, "crude")
>>> missing_rate_modes(links, cost)
[]
>>> flow_unit(net, "crude"), tariff_commodity_unit()
('Mt/yr', 'TEU')
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.schema import table_schema
from corridors.units import KNOWN_UNITS, UnitError, convert, teu_per_year

__all__ = [
    "capacities_in",
    "capacity_in",
    "flow_unit",
    "link_unit_co2",
    "link_unit_costs",
    "missing_rate_modes",
    "tariff_commodity_unit",
    "to_unit",
    "usable_links",
]

FloatArray = npt.NDArray[np.float64]


def usable_links(net: Network, commodity: str) -> pd.DataFrame:
    """Operating links whose mode (and own commodity list) can carry ``commodity``.

    A link naming commodities carries only those. A link naming none carries every
    commodity of its mode, except on the commodity's ``tagged_modes`` (crude by rail or
    sea, uranium), where only links that name the commodity count: otherwise crude would
    flow, unbounded, over every container railway and sea lane.

    Raises
    ------
    CorridorsError
        If the commodity is unknown.
    """
    if commodity not in net.commodities.index:
        known = ", ".join(net.commodities.index)
        raise CorridorsError(f"unknown commodity {commodity!r} (known: {known})")
    modes = set(cast(tuple[str, ...], net.commodities.loc[commodity, "modes"]))
    tagged: set[str] = set()
    if "tagged_modes" in net.commodities:
        tagged = set(cast(tuple[str, ...], net.commodities.loc[commodity, "tagged_modes"]))
    links = net.links
    named = links["commodities"].map(lambda cs: commodity in cs)
    untagged = links["commodities"].map(lambda cs: not cs)
    ok = (
        (links["status"] == "operating")
        & links["mode"].isin(modes)
        & (named | (untagged & ~links["mode"].isin(tagged)))
    )
    return links[ok]


def flow_unit(net: Network, commodity: str) -> str:
    """The unit flows of ``commodity`` are counted in (``TEU`` becomes ``TEU/yr``).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> flow_unit(net, "gas"), flow_unit(net, "container"), flow_unit(net, "uranium")
    ('bcm/yr', 'TEU/yr', 'tU/yr')
    """
    if commodity not in net.commodities.index:
        known = ", ".join(net.commodities.index)
        raise CorridorsError(f"unknown commodity {commodity!r} (known: {known})")
    unit = str(net.commodities.at[commodity, "unit"])
    if "/" not in unit and f"{unit}/yr" in KNOWN_UNITS:
        return f"{unit}/yr"
    return unit


@cache
def tariff_commodity_unit() -> str:
    """The commodity unit a link's ``cost_usd`` is a tariff for, read from the schema.

    ``links.cost_usd`` is given in ``USD/<unit>`` in ``schema.csv``; the tariff applies to
    the commodities counted in ``<unit>``.
    """
    spec = next(c for c in table_schema("links") if c.name == "cost_usd")
    return spec.unit.partition("/")[2]


def _tariff_applies(net: Network, commodity: str) -> bool:
    unit = str(net.commodities.at[commodity, "unit"])
    return unit.partition("/")[0] == tariff_commodity_unit()


def link_unit_costs(net: Network, links: pd.DataFrame, commodity: str) -> FloatArray:
    """USD per unit of ``commodity`` on each of ``links``; NaN where no rule gives one.

    See the module docstring for the rule (a link's own tariff where it is in the
    commodity's unit, else length times the mode's rate, times ``cost_scale``).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> ferry = net.links.loc[["mid_ferry_aktau_baku_alat"]]
    >>> float(link_unit_costs(net, ferry, "container")[0])
    600.0
    >>> round(float(link_unit_costs(net, ferry, "crude")[0]), 1)  # 527.4 km x 0.056, not 600
    29.5
    """
    rates = net.mode_costs[net.mode_costs["commodity"] == commodity].set_index("mode")
    per_km = links["mode"].map(rates["cost_usd_per_km"]).astype(float).to_numpy()
    length = links["length_km"].to_numpy(dtype=float)
    derived = length * per_km
    if _tariff_applies(net, commodity):
        own = links["cost_usd"].to_numpy(dtype=float)
        derived = np.where(np.isnan(own), derived, own)
    return np.asarray(derived * links["cost_scale"].to_numpy(dtype=float), dtype=float)


def link_unit_co2(net: Network, links: pd.DataFrame, commodity: str) -> FloatArray:
    """Emissions (kg CO2e) per unit of ``commodity`` on each of ``links``; NaN without a factor.

    A link's length times its mode's ``co2e_kg_per_km`` for the commodity (``mode_costs``,
    from the GLEC Framework / EN ISO 14083 default intensities). A scenario's
    ``cost_scale`` scales money, not emissions.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> sea = net.links.loc[["sea_shanghai_rotterdam_suez"]]
    >>> round(float(link_unit_co2(net, sea, "container")[0]))
    1743
    """
    rows = net.mode_costs[net.mode_costs["commodity"] == commodity].set_index("mode")
    if "co2e_kg_per_km" not in rows:
        return np.full(len(links), np.nan)
    per_km = links["mode"].map(rows["co2e_kg_per_km"]).astype(float).to_numpy()
    return np.asarray(links["length_km"].to_numpy(dtype=float) * per_km, dtype=float)


def missing_rate_modes(links: pd.DataFrame, cost: FloatArray) -> list[str]:
    """Modes of the links whose cost is NaN (no tariff, no rate), sorted."""
    return sorted({str(m) for m in links["mode"][np.isnan(cost)]})


def to_unit(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` converted to ``target`` (trains count as TEU for TEU/yr).

    Examples
    --------
    >>> to_unit(2.0, "Mt/yr", "t/yr")
    2000000.0
    >>> round(to_unit(1.0, "trains/yr", "TEU/yr"), 1)
    96.5
    """
    if target == "TEU/yr":
        return teu_per_year(value, unit)
    return convert(value, unit, target)


def capacity_in(value: Any, unit: Any, target: str) -> float | None:
    """A capacity converted to ``target``, or None when missing or of another dimension.

    Examples
    --------
    >>> capacity_in(30.0, "mcm/day", "bcm/yr")
    10.95
    >>> capacity_in(10.0, "TEU/yr", "Mt/yr") is None, capacity_in(None, "", "Mt/yr") is None
    (True, True)
    >>> round(capacity_in(1.0, "trains/yr", "TEU/yr"), 1)
    96.5
    """
    if value is None or pd.isna(value) or not str(unit):
        return None
    try:
        return to_unit(float(value), str(unit), target)
    except UnitError:
        return None


def capacities_in(values: pd.Series, units: pd.Series, target: str) -> FloatArray:
    """:func:`capacity_in` of each row, ``inf`` where there is none."""
    caps = [capacity_in(v, u, target) for v, u in zip(values, units, strict=True)]
    return np.array([np.inf if c is None else c for c in caps], dtype=float)
