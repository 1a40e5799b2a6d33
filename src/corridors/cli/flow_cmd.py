"""``corridors flow``: maximum or least-cost flow of crude, gas or uranium, with the min cut.

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("flow")(flow_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from corridors.cli.flow_dated import basis_line, range_line, year_tables
from corridors.cli.params import (
    DataOpt,
    JsonTablesOpt,
    ScenarioOpt,
    YearOpt,
    dated_network,
    finite_non_negative,
)
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.errors import CorridorsError
from corridors.model.network import load
from corridors.model.scenario_build import build_scenario

if TYPE_CHECKING:
    from corridors.results.flow import ExportSummary, FlowResult

__all__ = [
    "FleetPriority",
    "FlowMode",
    "export_table",
    "flow_cmd",
    "flow_tables",
    "parse_demand",
]


class FleetPriority(StrEnum):
    """Who takes a shared fleet first in ``corridors flow --year``."""

    containers = "containers"
    crude = "crude"


class FlowMode(StrEnum):
    """What ``corridors flow`` optimises."""

    max = "max"
    mincost = "mincost"


def parse_demand(text: str) -> dict[str, float]:
    """Parse ``--demand``: ``NAME=VOLUME`` pairs, comma-separated.

    Examples
    --------
    >>> parse_demand("market_eu=10, market_turkey=6.5")
    {'market_eu': 10.0, 'market_turkey': 6.5}
    >>> parse_demand("market_eu")
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: --demand: 'market_eu' is not NAME=VOLUME
    """
    out: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.rpartition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise CorridorsError(f"--demand: {part!r} is not NAME=VOLUME") from None
    return out


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return "∞" if not math.isfinite(value) else f"{value:,.{digits}f}"


def flow_tables(result: FlowResult) -> list[RenderableType]:
    """Rich tables: delivered per sink (and source), link flows, the min cut, notes."""
    u = result.unit
    head = titled_table(
        f"{result.commodity} flow ({result.mode}) on {result.scenario}: "
        f"{_num(result.delivered_total)} {u} delivered",
        [("", "left"), ("id", "left"), ("name", "left"), (u, "right"), ("unserved", "right")],
    )
    for sink in result.sinks:
        left = "" if sink.unserved is None else _num(sink.unserved)
        head.add_row("to", sink.id, sink.name, _num(sink.delivered), left)
    head.add_section()
    for src in result.sources:
        left = "∞" if src.unused is None else _num(src.unused)
        head.add_row("from", src.id, src.name, _num(src.shipped), left)

    links = titled_table(
        "Link flows",
        [
            ("link", "left"),
            ("from → to", "left"),
            ("mode", "left"),
            (u, "right"),
            ("capacity", "right"),
            ("use", "right"),
            ("shadow", "right"),
        ],
    )
    for row in result.links:
        use = row.utilisation
        style = "bold red" if use is not None and use >= 0.999 else ""
        links.add_row(
            row.id,
            f"{row.from_id} → {row.to_id}",
            row.mode,
            _num(row.flow),
            _num(row.capacity),
            "–" if use is None else styled(f"{use:.0%}", style),
            _num(row.shadow_price),
        )

    cut = titled_table(
        f"Min cut: {_num(sum(c.capacity for c in result.min_cut))} {u} (what limits flow)",
        [
            ("id", "left"),
            ("name", "left"),
            ("kind", "left"),
            ("capacity", "right"),
            ("shadow", "right"),
        ],
    )
    for c in result.min_cut:
        cut.add_row(c.id, c.name, c.element, _num(c.capacity), _num(c.shadow_price))
    tables: list[RenderableType] = [head, links, cut]
    if result.no_path:
        tables.insert(0, Text(f"No path: {result.no_path}", style="bold red"))
    if result.uncapacitated:
        n = len(result.uncapacitated)
        tables.append(
            Text(
                f"{n} link(s) carry flow without a capacity in {u} (unbounded): "
                + ", ".join(result.uncapacitated),
                style="dim",
            )
        )
    if result.mode == "mincost" and result.cost_note:
        tables.append(Text(f"Cost: {result.cost_note}", style="dim"))
    return tables


def flow_cmd(
    commodity: Annotated[str, typer.Option(help="Commodity id: crude, gas or uranium.")] = "crude",
    sources: Annotated[
        str,
        typer.Option(
            "--from",
            help="Fields, countries or regions, comma-separated: KZ, Kazakhstan, tengiz,acg.",
        ),
    ] = "",
    sinks: Annotated[
        str,
        typer.Option(
            "--to",
            help="Markets, nodes, countries or regions (EU, China), comma-separated "
            "(default: every market, or those in --demand).",
        ),
    ] = "",
    scenario: ScenarioOpt = None,
    mode: Annotated[
        FlowMode, typer.Option(help="max: most delivered; mincost: most at least cost.")
    ] = (FlowMode.max),
    demand: Annotated[
        str,
        typer.Option(help="Volume wanted per sink, NAME=VOLUME comma-separated (commodity unit)."),
    ] = "",
    reference: Annotated[
        float | None,
        typer.Option(
            callback=finite_non_negative,
            help="Reference volume to set the delivered total against (commodity unit); "
            "default: the exporters' actual exports in the demand table.",
        ),
    ] = None,
    year: YearOpt = None,
    keep_off: Annotated[
        str,
        typer.Option(
            help="ISO country code: with the most delivered, keep the least volume on links "
            "crossing or entering it (then cost or fewest links)."
        ),
    ] = "",
    fleet_priority: Annotated[
        FleetPriority,
        typer.Option(
            help="With a year: who is served first on fleets shared with containers "
            "(the Caspian ferries)."
        ),
    ] = FleetPriority.containers,
    capacity_ranges: Annotated[
        bool,
        typer.Option(
            "--capacity-ranges",
            help="Also solve with every sourced capacity range (capacity_ranges.csv) at its "
            "low and its high end, and report delivered and shortfall at both.",
        ),
    ] = False,
    as_json: JsonTablesOpt = False,
    geojson: Annotated[
        Path | None,
        typer.Option("--geojson", help="Write the link flows as a GeoJSON FeatureCollection."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Maximum (or least-cost) flow of crude or gas from fields to markets, and the min cut."""
    from corridors.analyses.flows.dated import flow_at_year
    from corridors.analyses.flows.solve import flow
    from corridors.io.dated_files import read_year_tables
    from corridors.io.geojson_file import write_geojson
    from corridors.model.years import check_dated
    from corridors.results.base import feature_collection

    if not sources.strip():
        raise CorridorsError("--from is required: fields, countries or regions, e.g. --from KZ")
    net = load(data)
    scen = build_scenario(scenario or [])
    when = year if year is not None else scen.year
    if when is not None and not demand:
        tables = read_year_tables(data)
        check_dated(tables.dated, net)
        result = flow_at_year(
            net,
            commodity,
            sources,
            sinks or None,
            year=when,
            mode=mode.value,
            scenario=None if scen.is_empty() else scen,
            reference=reference,
            priority=fleet_priority.value,
            tables=tables,
            keep_off=keep_off.strip().upper() or None,
        )
    else:
        net = dated_network(net, year, scen.year, data)
        result = flow(
            net,
            commodity,
            sources,
            sinks or None,
            mode=mode.value,
            demand=parse_demand(demand) or None,
            scenario=None if scen.is_empty() else scen,
            reference=reference,
            keep_off=keep_off.strip().upper() or None,
        )
    spans = None
    if capacity_ranges:
        from corridors.analyses.uncertainty.capacity import capacity_ranges as ranges_of
        from corridors.analyses.uncertainty.capacity import flow_range

        base = dated_network(load(data), year, scen.year, data)
        if when is not None and not demand:
            from corridors.analyses.flows.shared import restrict_fleets

            shared = read_year_tables(data)
            base = restrict_fleets(
                base, commodity, when, shared.shared, shared.dated, fleet_priority.value
            )
        spans = flow_range(
            base,
            commodity,
            sources,
            sinks or None,
            mode=mode.value,
            demand=parse_demand(demand) or None,
            scenario=None if scen.is_empty() else scen,
            bounds=ranges_of(base, data),
        )
    if geojson is not None:
        write_geojson(geojson, feature_collection(result))
    console = render_console()
    if as_json:
        body = result.as_dict()
        if spans is not None:
            body["capacity_range"] = spans.as_dict()
        print_json(console, body)
        return
    console.print(basis_line(result))
    if spans is not None:
        console.print(range_line(spans))
    if result.exports is not None:
        console.print(export_table(result.exports, result.unit))
    for table in flow_tables(result):
        console.print(table)
    if result.year is not None and result.basis == "bound":
        for table in year_tables(result):
            console.print(table)


def export_table(summary: ExportSummary, unit: str) -> Table:
    """Flow leaving the exporting countries by route, with the shortfall and its years."""
    where = ", ".join(summary.countries)
    title = f"Export routes out of {where}: {summary.delivered:.2f} {unit}"
    if summary.reference is not None:
        years = ""
        if summary.reference_year is not None:
            supply = ", ".join(map(str, summary.supply_years)) or "not given"
            years = f" (exports {summary.reference_year}, supply capacities {supply})"
        title += (
            f" against a reference of {summary.reference:.2f}{years}: "
            f"shortfall {_num(summary.shortfall)} {unit}"
        )
    table = titled_table(
        title,
        [
            ("link", "left"),
            ("route", "left"),
            ("mode", "left"),
            ("into", "left"),
            (unit, "right"),
            ("capacity", "right"),
            ("use", "right"),
        ],
    )
    for r in summary.routes:
        use = "–" if r.utilisation is None else f"{100 * r.utilisation:.0f}%"
        table.add_row(r.id, r.name, r.mode, r.to_country, f"{r.flow:.2f}", _num(r.capacity), use)
    return table
