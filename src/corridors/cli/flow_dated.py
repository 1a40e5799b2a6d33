"""Tables of ``corridors flow --year``: bound against dispatch, published actuals, shared fleets.

Faces render, never compute: every number here is a field of the
:class:`~corridors.results.flow.FlowResult` that
:func:`corridors.analyses.flows.dated.flow_at_year` returned.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text

from corridors.cli.render import titled_table

if TYPE_CHECKING:
    from corridors.results.flow import Dispatch, FlowResult
    from corridors.results.uncertainty import FlowRange

__all__ = [
    "actuals_table",
    "basis_line",
    "dispatch_table",
    "fleets_table",
    "range_line",
    "year_tables",
]


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return "∞" if not math.isfinite(value) else f"{value:,.{digits}f}"


def basis_line(result: FlowResult | Dispatch, year_of: int | None = None) -> Text:
    """What the numbers of ``result`` are: a capacity bound or a modelled dispatch."""
    when = getattr(result, "year", year_of)
    year = f" as of {when}" if when is not None else ""
    label = "Capacity bound" if result.basis == "bound" else "Modelled dispatch"
    return Text(
        f"{label}{year}: {_num(result.delivered_total)} {result.unit} delivered — "
        f"{result.basis_note}",
        style="bold",
    )


def actuals_table(result: FlowResult) -> RenderableType:
    """Published actual volumes of the year by route, with the bound and the dispatch."""
    year = result.year if result.year is not None else "–"
    table = titled_table(
        f"Published actuals {year} beside the model ({result.unit})",
        [
            ("route", "left"),
            ("published", "right"),
            ("bound", "right"),
            ("dispatch", "right"),
            ("sources", "left"),
        ],
    )
    for a in result.actuals:
        table.add_row(
            a.route, _num(a.published), _num(a.bound), _num(a.dispatch), ", ".join(a.sources)
        )
    return table


def fleets_table(result: FlowResult) -> RenderableType:
    """Fleets shared with another commodity in this solve, and the split."""
    table = titled_table(
        f"Shared fleets: {result.commodity} and the competing commodity in the same solve",
        [
            ("fleet", "left"),
            ("slots/yr", "right"),
            ("competing", "right"),
            ("carried", "right"),
            ("their slots", "right"),
            (f"left for {result.commodity}", "right"),
            (f"{result.commodity} slots used", "right"),
            ("priority", "left"),
        ],
    )
    for f in result.fleets:
        table.add_row(
            f.name,
            _num(f.capacity, 0),
            f"{_num(f.competing, 0)} {f.competing_unit}",
            _num(f.competing_carried, 0),
            _num(f.competing_slots, 0),
            f"{_num(f.commodity_capacity)} {result.unit}",
            _num(f.commodity_slots, 0),
            f.priority,
        )
    if result.fleets:
        factors = "; ".join(x for f in result.fleets for x in f.factors)
        sources = ", ".join(sorted({s for f in result.fleets for s in f.sources}))
        table.caption = f"Conversion: {factors} (sources: {sources})"
    return table


def dispatch_table(dispatch: Dispatch) -> RenderableType:
    """Per market: demand, delivered and unserved in the dispatch; then its links."""
    u = dispatch.unit
    table = titled_table(
        f"Dispatch against the demand of {dispatch.demand_year}",
        [("market", "left"), ("demand", "right"), (u, "right"), ("unserved", "right")],
    )
    for s in dispatch.sinks:
        table.add_row(f"{s.id} ({s.name})", _num(s.demand), _num(s.delivered), _num(s.unserved))
    table.add_section()
    for row in dispatch.links:
        if (
            row.from_name
            and row.to_id
            and dispatch.sinks
            and row.to_id in {s.id for s in dispatch.sinks}
        ):
            table.add_row(f"  via {row.id}", "", _num(row.flow), "")
    return table


def year_tables(result: FlowResult) -> list[RenderableType]:
    """The tables after the bound's own: the dispatch line, actuals and fleets."""
    out: list[RenderableType] = []
    if result.dispatch is not None:
        out.append(basis_line(result.dispatch, result.year))
        out.append(dispatch_table(result.dispatch))
    else:
        out.append(
            Text("No dispatch: no demand rows for these exporters and markets.", style="dim")
        )
    if result.actuals:
        out.append(actuals_table(result))
    elif result.year is not None:
        out.append(Text(f"No published actuals for {result.year} in actuals.csv.", style="dim"))
    if result.fleets:
        out.append(fleets_table(result))
    return out


def range_line(spans: FlowRange) -> Text:
    """Delivered (and shortfall) with every sourced capacity range at its low and high end.

    Examples
    --------
    >>> from corridors.results.uncertainty import FlowRange
    >>> r = FlowRange(commodity="crude", scenario="baseline", unit="Mt/yr", delivered=2.0,
    ...               delivered_low=1.0, delivered_high=2.5)
    >>> print(range_line(r).plain)
    With 0 capacity ranges at their ends: 1.00–2.50 Mt/yr delivered (point 2.00)
    """
    text = (
        f"With {len(spans.ranges)} capacity ranges at their ends: "
        f"{_num(spans.delivered_low)}–{_num(spans.delivered_high)} {spans.unit} delivered "
        f"(point {_num(spans.delivered)})"
    )
    if spans.shortfall_low_caps is not None and spans.shortfall_high_caps is not None:
        text += f"; shortfall {_num(spans.shortfall_high_caps)}–{_num(spans.shortfall_low_caps)}"
    if spans.binding_point_only:
        text += "; binding with no published range: " + ", ".join(spans.binding_point_only)
    return Text(text)
