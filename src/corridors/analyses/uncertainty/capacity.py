"""Uncertain capacities: flows and leverage solved at the low and the high ends.

Most capacities in the tables are points (a nameplate figure, a year's throughput). Where a
source gives a range, ``capacity_ranges.csv`` of the data folder lists it (``target``
``links``/``nodes``/``transfers``, ``id``, ``low``, ``high`` in the row's own
``capacity_unit``, ``sources``, ``note``). :func:`flow_range` solves the flow analysis
(:func:`corridors.analyses.flows.solve.flow`) twice, with every ranged capacity set to its
low end and then to its high end (scenario overrides), and reports the delivered volume and
the shortfall at both ends beside the point solve; it also counts the capacities binding in
the point solve that hold only a point, so a narrow range is not mistaken for certainty.
:func:`leverage_range` does the same for :func:`corridors.analyses.leverage.leverage`.

Raising a capacity never lowers a maximum flow, so ``delivered`` at the low ends is at most
that at the high ends (a test checks it on the default data and on a network where the
range binds).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, cast

import pandas as pd

from corridors.errors import DataError, Problem
from corridors.io.tables import decode_text, default_data_dir
from corridors.model.network import Network
from corridors.model.scenario import Override, Scenario, apply_scenario, compose
from corridors.results.leverage import LeverageRow
from corridors.results.uncertainty import CapacityBound, FlowRange, LeverageRange, LeverageSpan

__all__ = [
    "TABLE",
    "capacity_ranges",
    "capacity_scenarios",
    "flow_range",
    "leverage_range",
]

#: File name of the side table in a data folder.
TABLE = "capacity_ranges.csv"
_TARGETS = ("links", "nodes", "transfers")
_COLUMNS = ("target", "id", "low", "high", "unit", "sources", "note")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _table(net: Network, target: str) -> pd.DataFrame:
    """The links, nodes or transfers of ``net``, indexed by id."""
    frame = cast(pd.DataFrame, getattr(net, target))
    return frame.set_index("id", drop=False) if "id" in frame.columns else frame


def _check(row: dict[str, str], line: int, net: Network, problems: list[Problem]) -> None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem(TABLE, line, column, row.get(column, ""), message))

    target, ident = row.get("target", ""), row.get("id", "")
    if target not in _TARGETS:
        bad("target", f"expected one of {', '.join(_TARGETS)}")
        return
    table = _table(net, target)
    if ident not in table.index:
        bad("id", f"unknown {target[:-1]} id")
        return
    low, high = _number(row.get("low", "")), _number(row.get("high", ""))
    if low is None:
        bad("low", "expected a finite number >= 0")
    if high is None:
        bad("high", "expected a finite number >= 0")
    if low is not None and high is not None and low > high:
        bad("high", "high is below low")
    unit = str(table.at[ident, "capacity_unit"])
    if row.get("unit", "") != unit:
        bad("unit", f"expected the row's capacity_unit {unit!r}")
    for s in filter(None, row.get("sources", "").split(";")):
        if s not in net.sources.index:
            bad("sources", f"unknown source id {s!r}")


def capacity_ranges(net: Network, folder: str | Path | None = None) -> tuple[CapacityBound, ...]:
    """The sourced capacity ranges of a data folder, checked against ``net``.

    Parameters
    ----------
    net
        The network the ids, units and sources must belong to.
    folder
        Folder of tables (default: the embedded dataset); no ``capacity_ranges.csv``
        there means no ranges.

    Raises
    ------
    DataError
        Listing every problem (file, row, column, value).

    Examples
    --------
    >>> import corridors as cx
    >>> [b.id for b in capacity_ranges(cx.load())][:2]
    ['oil_druzhba_samara_unecha', 'oil_druzhba_unecha_mozyr']
    """
    path = (Path(folder) if folder is not None else default_data_dir()) / TABLE
    if not path.is_file():
        return ()
    try:
        text = decode_text(path.read_bytes())
    except ValueError as exc:
        raise DataError([Problem(TABLE, 0, "", "", str(exc))]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DataError([Problem(TABLE, 1, c, "", "missing column") for c in missing])
    problems: list[Problem] = []
    rows: list[CapacityBound] = []
    for line, row in enumerate(reader, start=2):
        before = len(problems)
        _check(row, line, net, problems)
        if len(problems) == before:
            rows.append(
                CapacityBound(
                    target=row["target"],
                    id=row["id"],
                    low=float(row["low"]),
                    high=float(row["high"]),
                    unit=row["unit"],
                    sources=tuple(filter(None, row["sources"].split(";"))),
                    note=row["note"],
                )
            )
    if problems:
        raise DataError(problems)
    return tuple(rows)


def capacity_scenarios(bounds: Sequence[CapacityBound]) -> tuple[Scenario, Scenario]:
    """Two scenarios setting every ranged capacity to its low end, and to its high end.

    Examples
    --------
    >>> b = CapacityBound(target="links", id="x", low=1.0, high=2.0, unit="Mt/yr")
    >>> low, high = capacity_scenarios([b])
    >>> low.override[0].set, high.override[0].set
    (1.0, 2.0)
    """

    def at(end: Literal["low", "high"]) -> Scenario:
        return Scenario(
            name=f"capacities at the {end} end",
            override=tuple(
                Override.model_validate(
                    {
                        "target": b.target,
                        b.target: (b.id,),
                        "field": "capacity",
                        "set": getattr(b, end),
                    }
                )
                for b in bounds
            ),
        )

    return at("low"), at("high")


def _with(scenario: Scenario | None, end: Scenario) -> Scenario:
    return end if scenario is None else compose([scenario, end])


def flow_range(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: Literal["max", "mincost"] = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    bounds: Sequence[CapacityBound] | None = None,
) -> FlowRange:
    """Delivered volume and shortfall at the low, point and high capacities.

    Parameters are those of :func:`corridors.analyses.flows.solve.flow`; ``bounds``
    defaults to :func:`capacity_ranges` of the embedded dataset.

    Examples
    --------
    >>> import corridors as cx
    >>> r = flow_range(cx.load(), "crude", "KZ")
    >>> r.delivered_low <= r.delivered <= r.delivered_high
    True
    """
    from corridors.analyses.flows.solve import flow

    bounds = capacity_ranges(net) if bounds is None else tuple(bounds)
    low_s, high_s = capacity_scenarios(bounds)

    def solve(s: Scenario | None) -> tuple[float, float | None, list[str]]:
        r = flow(net, commodity, sources, sinks, mode=mode, demand=demand, scenario=s)
        short = r.exports.shortfall if r.exports is not None else None
        return r.delivered_total, short, [b.id for b in r.binding]

    point, short, binding = solve(scenario)
    low, short_low, _ = solve(_with(scenario, low_s))
    high, short_high, _ = solve(_with(scenario, high_s))
    ranged = {b.id for b in bounds if b.low < b.high}
    return FlowRange(
        commodity=commodity,
        scenario=scenario.name if scenario is not None else "baseline",
        unit=_unit(net, commodity),
        delivered=point,
        delivered_low=low,
        delivered_high=high,
        shortfall=short,
        shortfall_low_caps=short_low,
        shortfall_high_caps=short_high,
        ranges=tuple(bounds),
        binding_point_only=tuple(b for b in binding if b not in ranged),
    )


def _unit(net: Network, commodity: str) -> str:
    from corridors.model.costs import flow_unit

    return flow_unit(net, commodity)


def leverage_range(
    net: Network,
    commodity: str = "crude",
    *,
    exporters: list[str] | None = None,
    scenario: Scenario | None = None,
    bounds: Sequence[CapacityBound] | None = None,
) -> LeverageRange:
    """Lost volume and value at risk per exporter and transit at the low and high capacities.

    Examples
    --------
    >>> import corridors as cx
    >>> r = leverage_range(cx.load(), "crude", exporters=["KZ"])
    >>> ru = next(s for s in r.rows if s.transit == "RU")
    >>> ru.lost > 0, ru.unit
    (True, 'Mt/yr')
    """
    from corridors.analyses.leverage import leverage

    bounds = capacity_ranges(net) if bounds is None else tuple(bounds)
    low_s, high_s = capacity_scenarios(bounds)
    work = apply_scenario(net, scenario) if scenario is not None else net

    def rows_at(end: Scenario | None) -> dict[tuple[str, str], LeverageRow]:
        on = apply_scenario(work, end) if end is not None else work
        return {
            (r.exporter, r.transit): r for r in leverage(on, commodity, exporters=exporters).rows
        }

    point, low, high = rows_at(None), rows_at(low_s), rows_at(high_s)
    rows = tuple(
        LeverageSpan(
            exporter=r.exporter,
            transit=r.transit,
            unit=r.unit,
            exports=r.exports,
            lost=r.lost,
            lost_low_caps=low[k].lost if k in low else 0.0,
            lost_high_caps=high[k].lost if k in high else 0.0,
            value_at_risk_usd=r.value_at_risk_usd,
        )
        for k, r in point.items()
    )
    return LeverageRange(
        commodity=commodity,
        scenario=scenario.name if scenario is not None else "baseline",
        rows=rows,
        ranges=tuple(bounds),
    )
