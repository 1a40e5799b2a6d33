"""``corridors compare``: a scenario beside the baseline (or another scenario).

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("compare")(compare_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from corridors.analyses.compare.comparison import Comparison, compare
from corridors.cli.params import DataOpt, JsonTablesOpt, check_markets
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.errors import CorridorsError
from corridors.model.graph import Objective
from corridors.model.network import load
from corridors.model.scenario import load_scenario
from corridors.results.route import HOURS_PER_DAY

__all__ = ["compare_cmd", "compare_tables", "parse_pairs"]


def parse_pairs(values: list[str]) -> list[tuple[str, str]]:
    """Parse ``--od`` values: ``ORIGIN:DESTINATION``.

    Examples
    --------
    >>> parse_pairs(["Chongqing:Duisburg", " xian : hamburg "])
    [('Chongqing', 'Duisburg'), ('xian', 'hamburg')]
    >>> parse_pairs(["Chongqing"])
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: --od: 'Chongqing' is not ORIGIN:DESTINATION
    """
    out: list[tuple[str, str]] = []
    for value in values:
        a, sep, b = value.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise CorridorsError(f"--od: {value!r} is not ORIGIN:DESTINATION")
        out.append((a.strip(), b.strip()))
    return out


def _num(value: Any, fmt: str = "{:,.1f}", signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = ("{:+" + fmt[2:]).format(value) if signed else fmt.format(value)
    return "±0" if signed and text.lstrip("+-").strip("0.,") == "" else text


def _days(low: float, high: float) -> str:
    if math.isnan(low):
        return "—"
    return f"{low / HOURS_PER_DAY:.1f}–{high / HOURS_PER_DAY:.1f}"


def _delta_style(value: float, worse_if_up: bool = True) -> str:
    if math.isnan(value) or abs(value) < 1e-9:
        return ""
    return "red" if (value > 0) == worse_if_up else "green"


def _header(c: Comparison) -> RenderableType:
    s = c.scenario
    lines = [
        Text.assemble(
            ("Scenario: ", "bold"),
            (s.title or s.name, "bold cyan"),
            (f"  ({s.name}{', ' + s.date if s.date else ''})", "dim"),
        ),
        Text.assemble(("Compared against: ", "bold"), c.against.title or c.against.name),
    ]
    if s.description:
        lines.append(Text(" ".join(s.description.split())))
    if s.sources:
        lines.append(Text("Sources:", style="bold"))
        lines.extend(Text(f"  • {src}") for src in s.sources)
    else:
        lines.append(Text("Sources: none given", style="yellow"))
    if c.against.sources:
        lines.append(Text(f"Sources of {c.against.name}:", style="bold"))
        lines.extend(Text(f"  • {src}") for src in c.against.sources)
    return Group(*lines)


def _routes_table(c: Comparison) -> Table:
    table = titled_table(
        f"Container routes (by {c.objective}): before → after",
        [
            ("from → to", "left"),
            ("corridor", "left"),
            ("status", "left"),
            ("days before", "right"),
            ("days after", "right"),
            ("Δ days", "right"),
            ("Δ USD/TEU", "right"),
            ("Δ km", "right"),
            ("countries after / why no route", "left"),
        ],
    )
    previous = None
    hidden = 0
    for r in c.routes.to_dict(orient="records"):
        if r["corridor"] != "best" and r["status"] == "unchanged":
            hidden += 1
            continue
        pair = f"{r['origin']} → {r['destination']}"
        if previous is not None and pair != previous:
            table.add_section()
        status = str(r["status"])
        style = {"disappeared": "bold red", "appeared": "bold green", "changed": "yellow"}.get(
            status, "dim"
        )
        dt = float(r["delta_time_mean_h"])
        dcost = float(r["delta_cost_usd"])
        dkm = float(r["delta_length_km"])
        if status in ("disappeared", "no route"):
            where = f"[dim]{str(r['reason']).split(': ', 1)[-1]}[/dim]"
        else:
            where = "–".join(r["countries_after"])
            if r["passages_after"]:
                where += f" [dim]({', '.join(r['passages_after'])})[/dim]"
        table.add_row(
            pair if pair != previous else "",
            str(r["corridor"]),
            styled(status, style),
            _days(float(r["time_low_h_before"]), float(r["time_high_h_before"])),
            _days(float(r["time_low_h_after"]), float(r["time_high_h_after"])),
            styled(
                _num(dt / HOURS_PER_DAY if not math.isnan(dt) else dt, signed=True),
                _delta_style(dt),
            ),
            styled(_num(dcost, "{:,.0f}", signed=True), _delta_style(dcost)),
            styled(_num(dkm, "{:,.0f}", signed=True), _delta_style(dkm)),
            where,
        )
        previous = pair
    table.caption = (
        "days: low–high range; Δ days: change of the mean; disappeared: no route under the "
        "scenario"
        + (f"; {hidden} unchanged route(s) by other corridors not shown" if hidden else "")
    )
    return table


def _delivered_table(c: Comparison) -> Table:
    table = titled_table(
        "Energy delivered to markets (maximum flow from KZ, AZ, TM, RU fields)",
        [
            ("commodity", "left"),
            ("market", "left"),
            ("before", "right"),
            ("after", "right"),
            ("Δ", "right"),
        ],
    )
    for t in c.delivered_total.to_dict(orient="records"):
        commodity = str(t["commodity"])
        for r in c.delivered[c.delivered["commodity"] == commodity].to_dict(orient="records"):
            table.add_row(
                f"{commodity} ({r['unit']})",
                str(r["market"]),
                _num(r["before"]),
                _num(r["after"]),
                styled(_num(r["delta"], signed=True), _delta_style(r["delta"], False)),
            )
        table.add_row(
            "",
            "[b]all markets[/b]",
            f"[b]{_num(t['before'])}[/b]",
            f"[b]{_num(t['after'])}[/b]",
            styled(_num(t["delta"], signed=True), _delta_style(t["delta"], False)),
        )
        table.add_section()
    return table


def _bottleneck_table(c: Comparison) -> Table:
    new = c.bottlenecks[c.bottlenecks["change"] == "new"]
    n_gone = int((c.bottlenecks["change"] == "relieved").sum())
    table = titled_table(
        "New bottlenecks: in the min cut under the scenario, not before",
        [
            ("commodity", "left"),
            ("id", "left"),
            ("name", "left"),
            ("kind", "left"),
            ("capacity", "right"),
        ],
    )
    for r in new.to_dict(orient="records"):
        table.add_row(
            str(r["commodity"]),
            str(r["id"]),
            str(r["name"]),
            str(r["kind"]),
            f"{_num(r['capacity'])} {r['unit']}",
        )
    if n_gone:
        table.caption = f"{n_gone} element(s) left the min cut (see --json: change = relieved)"
    return table


def _exporters_table(c: Comparison) -> Table:
    table = titled_table(
        "Exports delivered by supply country (largest loss first)",
        [
            ("commodity", "left"),
            ("country", "left"),
            ("before", "right"),
            ("after", "right"),
            ("Δ", "right"),
            ("Δ %", "right"),
        ],
    )
    for r in c.exporters.to_dict(orient="records"):
        table.add_row(
            f"{r['commodity']} ({r['unit']})",
            str(r["country"]),
            _num(r["before"]),
            _num(r["after"]),
            styled(_num(r["delta"], signed=True), _delta_style(r["delta"], False)),
            _num(r["delta_pct"], "{:,.0f}", signed=True),
        )
    return table


def compare_tables(c: Comparison) -> list[RenderableType]:
    """Rich renderables: sourced header, routes, delivered energy, bottlenecks, exporters."""
    out: list[RenderableType] = [_header(c)]
    if len(c.routes):
        out.append(_routes_table(c))
    if len(c.delivered_total):
        out.append(_delivered_table(c))
        if len(c.bottlenecks):
            out.append(_bottleneck_table(c))
        out.append(_exporters_table(c))
    out.extend(Text(f"note: {n}", style="dim") for n in c.notes)
    return out


def compare_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file or shipped scenario name.")],
    against: Annotated[
        str,
        typer.Option(
            "--against", help="Compare with: baseline (default) or another scenario name/file."
        ),
    ] = "baseline",
    od: Annotated[
        list[str] | None,
        typer.Option(
            "--od",
            help="ORIGIN:DESTINATION pair to route; repeat (default: demand table or "
            "China–Europe pairs).",
        ),
    ] = None,
    markets: Annotated[
        str,
        typer.Option("--markets", help="Energy markets, comma-separated (default: every market)."),
    ] = "",
    optimize: Annotated[Objective, typer.Option(help="What routes minimise.")] = Objective.TIME,
    as_json: JsonTablesOpt = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print one long CSV table instead of tables.")
    ] = False,
    data: DataOpt = None,
) -> None:
    """What a scenario changes: route times, costs, corridors; energy delivered; bottlenecks."""
    if as_json and as_csv:
        raise CorridorsError("give at most one of --json and --csv")
    net = load(data)
    after = load_scenario(scenario)
    before = None if against.strip().lower() in ("", "baseline") else load_scenario(against.strip())
    result = compare(
        net,
        after,
        against=before,
        od_pairs=parse_pairs(od) if od else None,
        markets=check_markets(net, markets),
        objective=optimize,
    )
    console = render_console()
    if as_json:
        print_json(console, result.as_dict())
        return
    if as_csv:
        result.to_frame().to_csv(console.file, index=False, lineterminator="\n")
        return
    for item in compare_tables(result):
        console.print(item)
        console.print()
