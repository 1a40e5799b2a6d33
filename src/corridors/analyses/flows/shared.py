r"""Fleets shared by crude and containers: one capacity, split in the same solve.

The Caspian ferry fleet (``shared_capacity.csv``: 95,000 wagon slots a year) carries crude
tank cars (on ``rail_crude_alat_yard``, the crude leaving the ferries at Alat) and containers
(on ``mid_ferry_aktau_baku_alat``). Each member converts its flow to wagon slots with a
stated factor (``per_unit``: 20,833 slots per Mt of crude, 0.5 per TEU). The joint
programme is

.. math::

    \text{lex max } (y, x) \quad \text{s.t.} \quad a\,x + b\,y \le F, \quad 0 \le y \le D,
    \quad x \text{ a feasible crude flow}

with :math:`y` the containers carried (at most :math:`D`, the year's container volume on
the crossing, ``dated_values.csv`` field ``competing``), :math:`x` the crude on the fleet,
and containers first (``priority="containers"``: liner services are booked ahead) or crude
first. With one shared row and lexicographic priorities the joint optimum splits exactly:
the first commodity takes :math:`\min(D, F/b)` (or its own maximum), the other the rest. So
the crude LP runs once with the fleet's remaining slots as the bound of its fleet link, and
the split is reported as a :class:`~corridors.results.flow.FleetShare`.
"""

from __future__ import annotations

from typing import Literal, cast

import numpy as np
import pandas as pd

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.years import dated_for
from corridors.results.flow import FleetShare, FlowResult

__all__ = ["Priority", "fleet_shares", "restrict_fleets"]

Priority = Literal["containers", "crude"]


def _members(
    shared: pd.DataFrame, commodity: str, net: Network
) -> list[tuple[pd.Series, pd.Series]]:
    """(own row, competing row) per fleet that ``commodity`` uses in ``net``."""
    out = []
    for _, group in shared.groupby("fleet", sort=True):
        own = group[group["commodity"] == commodity]
        other = group[group["commodity"] != commodity]
        if own.empty or other.empty or str(own.iloc[0]["link"]) not in net.links.index:
            continue
        out.append((own.iloc[0], other.iloc[0]))
    return out


def _competing(dated: pd.DataFrame, fleet: str, year: int) -> float:
    rows = dated_for(dated[(dated["table"] == "shared") & (dated["ref"] == fleet)], year)
    return float(rows["value"].astype(float).sum()) if not rows.empty else 0.0


def restrict_fleets(
    net: Network,
    commodity: str,
    year: int,
    shared: pd.DataFrame,
    dated: pd.DataFrame,
    priority: Priority = "containers",
) -> Network:
    """The network with ``commodity``'s fleet links bounded by the slots it may take.

    Containers first: the fleet's slots less those the year's containers take; crude first:
    the whole fleet (the containers get what crude leaves, :func:`fleet_shares`).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.model.years import at_year
    >>> from corridors.io.dated_files import read_dated_values, read_shared
    >>> net = at_year(load(), 2025)
    >>> cut = restrict_fleets(net, "crude", 2025, read_shared(), read_dated_values())
    >>> round(float(cut.links.at["rail_crude_alat_yard", "capacity"]), 2)
    2.45
    """
    if priority not in ("containers", "crude"):
        raise CorridorsError(f"unknown fleet priority {priority!r} (known: containers, crude)")
    links = net.links
    changed = False
    for own, other in _members(shared, commodity, net):
        fleet = float(own["fleet_capacity"])
        taken = 0.0
        if priority == "containers":
            wanted = _competing(dated, str(own["fleet"]), year) * float(other["per_unit"])
            taken = min(wanted, fleet)
        bound = (fleet - taken) / float(own["per_unit"])
        link = str(own["link"])
        current = float(cast(float, links.at[link, "capacity"]))
        if not changed:
            links = links.copy()
            changed = True
        links.at[link, "capacity"] = bound if np.isnan(current) else min(current, bound)
    return net.replace(links=links) if changed else net


def fleet_shares(
    net: Network,
    result: FlowResult,
    year: int,
    shared: pd.DataFrame,
    dated: pd.DataFrame,
    priority: Priority = "containers",
) -> list[FleetShare]:
    """How each fleet ``result``'s commodity uses was split (after the solve)."""
    flows = {r.id: r.flow for r in result.links}
    out: list[FleetShare] = []
    for own, other in _members(shared, result.commodity, net):
        fleet = float(own["fleet_capacity"])
        a, b = float(own["per_unit"]), float(other["per_unit"])
        wanted = _competing(dated, str(own["fleet"]), year)
        used = flows.get(str(own["link"]), 0.0) * a
        carried = (
            min(wanted, fleet / b)
            if priority == "containers"
            else min(wanted, max(fleet - used, 0.0) / b)
        )
        unit = str(own["fleet_unit"]).removesuffix("/yr")
        out.append(
            FleetShare(
                id=str(own["fleet"]),
                name=str(own["name"]),
                unit=str(own["fleet_unit"]),
                capacity=fleet,
                priority=priority,
                competing_commodity=str(other["commodity"]),
                competing=wanted,
                competing_unit=_unit(net, str(other["commodity"])),
                competing_carried=carried,
                competing_slots=carried * b,
                commodity_capacity=(fleet - (carried * b if priority == "containers" else 0.0)) / a,
                commodity_slots=used,
                factors=[
                    f"{a:g} {unit} per {_unit(net, result.commodity).removesuffix('/yr')} "
                    f"of {result.commodity}",
                    f"{b:g} {unit} per {_unit(net, str(other['commodity']))} "
                    f"of {other['commodity']}",
                ],
                sources=sorted(
                    {s for r in (own, other) for s in str(r["sources"]).split(";") if s}
                ),
            )
        )
    return out


def _unit(net: Network, commodity: str) -> str:
    if commodity in net.commodities.index:
        return str(net.commodities.at[commodity, "unit"])
    return ""
