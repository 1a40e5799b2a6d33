"""``corridors flow``: maximum or least-cost flow of crude or gas, with the min cut.

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("flow")(flow_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from corridors.analyses.flows.export_routes import ExportSummary, export_summary, reference_exports
from corridors.analyses.flows.solve import FlowResult, solve_flow
from corridors.cli.params import DataOpt, JsonTablesOpt, ScenarioOpt
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.errors import CorridorsError
from corridors.model.network import Network, load
from corridors.model.scenario_build import build_scenario

__all__ = ["FlowMode", "export_table", "flow_cmd", "flow_tables", "parse_demand"]


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


def _num(value: float, digits: int = 2) -> str:
    return "∞" if not math.isfinite(value) else f"{value:,.{digits}f}"


def flow_tables(result: FlowResult) -> list[RenderableType]:
    """Rich tables: delivered per sink (and source), link flows, the min cut, a note."""
    u = result.unit
    head = titled_table(
        f"{result.commodity} flow ({result.mode}) on {result.scenario}: "
        f"{_num(result.delivered_total)} {u} delivered",
        [("", "left"), ("name", "left"), (u, "right"), ("unserved", "right")],
    )
    for name, volume in sorted(result.by_sink.items(), key=lambda kv: -kv[1]):
        left = result.unserved.get("sinks", {}).get(name)
        head.add_row("to", name, _num(volume), "" if left is None else _num(left))
    head.add_section()
    for name, volume in sorted(result.by_source.items(), key=lambda kv: -kv[1]):
        left = result.unserved.get("sources", {}).get(name)
        head.add_row("from", name, _num(volume), "∞" if left is None else _num(left))

    links = titled_table(
        "Link flows",
        [
            ("link", "left"),
            ("from → to", "left"),
            ("mode", "left"),
            (u, "right"),
            ("capacity", "right"),
            ("use", "right"),
        ],
    )
    for _, row in result.links.iterrows():
        cap, use = float(row["capacity"]), float(row["utilisation"])
        style = "bold red" if use >= 0.999 else ""
        links.add_row(
            str(row["id"]),
            f"{row['from']} → {row['to']}",
            str(row["mode"]),
            _num(float(row["flow"])),
            "–" if math.isnan(cap) else _num(cap),
            "–" if math.isnan(use) else styled(f"{use:.0%}", style),
        )

    cut = titled_table(
        f"Min cut: {_num(sum(c.capacity for c in result.min_cut))} {u} (what limits flow)",
        [("id", "left"), ("name", "left"), ("kind", "left"), ("capacity", "right")],
    )
    for c in result.min_cut:
        cut.add_row(c.id, c.name, c.kind, _num(c.capacity))
    tables: list[RenderableType] = [head, links, cut]
    if result.uncapacitated:
        n = len(result.uncapacitated)
        tables.append(
            Text(
                f"{n} link(s) carry flow without a capacity in {u} (unbounded): "
                + ", ".join(result.uncapacitated),
                style="dim",
            )
        )
    return tables


def flow_cmd(
    commodity: Annotated[str, typer.Option(help="Commodity id: crude or gas.")] = "crude",
    sources: Annotated[
        str,
        typer.Option(
            "--from", help="Fields or ISO country codes, comma-separated: KZ or tengiz,acg."
        ),
    ] = "",
    sinks: Annotated[
        str,
        typer.Option(
            "--to", help="Markets, nodes or ISO codes, comma-separated (default: every market)."
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
            help="Reference volume to set the delivered total against (commodity unit); "
            "default: the exporters' actual exports in the demand table."
        ),
    ] = None,
    as_json: JsonTablesOpt = False,
    data: DataOpt = None,
) -> None:
    """Maximum (or least-cost) flow of crude or gas from fields to markets, and the min cut."""
    if not sources.strip():
        raise CorridorsError("--from is required: fields or ISO country codes, e.g. --from KZ")
    net = load(data)
    scen = build_scenario(scenario or [])
    result = solve_flow(
        net,
        commodity,
        sources,
        sinks or None,
        mode=mode.value,
        demand=parse_demand(demand) or None,
        scenario=None if scen.is_empty() else scen,
    )
    exporters = _source_countries(net, sources, result)
    note = "given with --reference"
    if reference is None:
        wanted = None
        if sinks:
            names = set(result.by_sink)
            wanted = set(net.nodes.index[net.nodes["name"].isin(names)])
        found = reference_exports(net, commodity, exporters, result.unit, wanted)
        reference, note = found if found is not None else (None, "")
    summary = export_summary(net, result, exporters, reference, reference_note=note)
    console = render_console()
    if as_json:
        print_json(console, result.as_dict() | {"exports": summary.as_dict()})
        return
    console.print(export_table(summary, result.unit))
    for table in flow_tables(result):
        console.print(table)


def _source_countries(net: Network, sources: str, result: FlowResult) -> set[str]:
    """Countries the flow is exported from: ISO codes given, else the sources' countries."""
    given = {s.strip().upper() for s in sources.split(",") if s.strip()}
    codes = {c for c in given if len(c) == 2 and c in set(net.nodes["country"])}
    if codes:
        return codes
    named = net.nodes[net.nodes["name"].isin(list(result.by_source))]
    return set(named["country"])


def export_table(summary: ExportSummary, unit: str) -> Table:
    """Flow leaving the exporting countries by route, with the shortfall if asked."""
    where = ", ".join(summary.countries)
    title = f"Export routes out of {where}: {summary.delivered:.2f} {unit}"
    if not math.isnan(summary.reference):
        title += (
            f" against a reference of {summary.reference:.2f}: "
            f"shortfall {summary.shortfall:.2f} {unit}"
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
    for _, r in summary.routes.iterrows():
        cap = "–" if pd.isna(r["capacity"]) else f"{r['capacity']:.2f}"
        use = "–" if pd.isna(r["utilisation"]) else f"{100 * r['utilisation']:.0f}%"
        table.add_row(
            str(r["id"]),
            str(r["name"]),
            str(r["mode"]),
            str(r["to_country"]),
            f"{r['flow']:.2f}",
            cap,
            use,
        )
    return table
