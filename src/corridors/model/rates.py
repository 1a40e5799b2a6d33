"""Rates that follow the market: a year's rates as a scenario scaling the reference rates.

``mode_costs.csv`` gives each mode's rate in one reference year (2023). ``rate_index.csv``
gives, per mode, lane (links crossing any of the row's countries) and year, the market
rate as a multiple of the reference one: a published index value (the Drewry World
Container Index for Asia-Europe sea lanes) over its reference-year value.
:func:`rates_scenario` turns a year's rows into cost overrides, so that a year is one more
scenario: composed with a corridor option, a closure or another scenario (a Red Sea
closure scenario already carries its own rate rise; composing it with the 2024 rates
would count the rise twice).

Examples
--------
>>> from corridors.model.network import load
>>> net = load()
>>> s = rates_scenario(net, 2021)
>>> s.name, s.override[0].modes, s.override[0].field
('rates 2021', ('sea',), 'cost')
>>> rate_years(net)[:3]
(2020, 2021, 2022)
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.scenario import Override, Scenario
from corridors.model.sections import apply_section_times, dated_rows, undated_rows

__all__ = ["dated_network", "dated_years", "rate_years", "rates_scenario"]


def rate_years(net: Network) -> tuple[int, ...]:
    """The years ``rate_index`` gives rates for, in order."""
    if net.rate_index.empty:
        return ()
    return tuple(sorted({int(y) for y in net.rate_index["year"]}))


def _cite(net: Network, source: str) -> str:
    if source not in net.sources.index:
        return source
    row = {str(k): v for k, v in net.sources.loc[source].items()}
    return f"{row['title']} ({row['publisher']}, {int(cast(float, row['year']))}, {row['url']})"


def rates_scenario(net: Network, year: int) -> Scenario:
    """The scenario of ``year``'s market rates (cost overrides from ``rate_index``).

    Raises
    ------
    CorridorsError
        If ``rate_index`` has no row for the year.
    """
    rows = net.rate_index[net.rate_index["year"] == year] if not net.rate_index.empty else None
    if rows is None or rows.empty:
        years = ", ".join(str(y) for y in rate_years(net)) or "none"
        raise CorridorsError(f"no market rates for {year} in rate_index (years: {years})")
    overrides = [
        Override(
            modes=cast(Any, (str(r["mode"]),)),
            countries=tuple(r["countries"]),
            field="cost",
            scale=float(r["scale"]),
        )
        for r in rows.to_dict(orient="records")
    ]
    ids = dict.fromkeys(s for cs in rows["sources"] for s in cs)
    sources = tuple(_cite(net, s) for s in ids)
    return Scenario(
        name=f"rates {year}",
        title=f"Market rates of {year} (rate_index.csv)",
        date=str(year),
        sources=sources,
        override=tuple(overrides),
    )


def dated_years(net: Network) -> tuple[int, ...]:
    """The years some dated ``section_times`` row covers (bounded rows only), in order."""
    years: set[int] = set()
    for r in net.section_times.to_dict(orient="records") if not net.section_times.empty else []:
        lo, hi = r.get("year_from"), r.get("year_to")
        if lo is not None and hi is not None and not pd.isna(lo) and not pd.isna(hi):
            years.update(range(int(lo), int(hi) + 1))
    return tuple(sorted(years))


def dated_network(net: Network, year: int) -> Network:
    """``net`` as it ran in ``year``: the dated ``section_times`` rows of the year applied.

    Their speeds come ahead of the undated rows for links timed by mode or section speed
    (links with their own published time keep it); a row naming a node sets that node's
    dwell, and a row naming a port adds its dwell to the port's transfers (a port's dwell
    is not charged to loads changing layer there, so a year's wait for a sailing is
    charged to its transfers to and from the row's mode). Without dated rows for the year,
    ``net`` itself is returned.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> dated_network(net, 1950) is net
    True
    """
    rows = dated_rows(net.section_times, year)
    if not rows:
        return net
    speed_rows = [r for r in rows if not _names_node(r)]
    links = net.links.copy()
    base = links["time_source"].astype(str).str.split("+").str[0]
    timed = base.str.startswith("section:")
    service = links["service_h"].to_numpy(dtype=float) if "service_h" in links else 0.0
    links["time_low_h"] = links["time_low_h"].to_numpy(dtype=float) - service
    links["time_high_h"] = links["time_high_h"].to_numpy(dtype=float) - service
    links["time_source"] = base.where(~timed, "mode_speed")
    links["cost_scale"] = 1.0
    links = apply_section_times(links, None, [*speed_rows, *undated_rows(net.section_times)])
    nodes = net.nodes.copy()
    transfers = net.transfers.copy()
    for r in rows:
        if _names_node(r):
            pick = nodes["id"] == str(r["node"])
            if (nodes.loc[pick, "kind"] == "port").any():
                # a port's dwell is not charged to loads changing layer there: the wait
                # for a sailing (a queue of the year) goes onto the port's transfers
                mode = str(r["mode"])
                at = (transfers["node"] == str(r["node"])) & (
                    (transfers["from_layer"] == mode) | (transfers["to_layer"] == mode)
                )
                for col, key in (("time_low_h", "dwell_low_h"), ("time_high_h", "dwell_high_h")):
                    transfers.loc[at, col] = transfers.loc[at, col].astype(float) + float(r[key])
                continue
            nodes.loc[pick, "dwell_low_h"] = float(r["dwell_low_h"])
            nodes.loc[pick, "dwell_high_h"] = float(r["dwell_high_h"])
    return net.replace(links=links, nodes=nodes, transfers=transfers, label=f"{net.label} ({year})")


def _names_node(row: dict[str, Any]) -> bool:
    node = row.get("node")
    return node is not None and not pd.isna(node) and str(node) != ""
