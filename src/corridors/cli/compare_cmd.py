"""``corridors compare``: a scenario beside the baseline (or another scenario).

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("compare")(compare_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from corridors.cli.params import (
    AvoidOpt,
    DataOpt,
    GeojsonOpt,
    JsonTablesOpt,
    ModeOpt,
    PassageOpt,
    ScenarioOpt,
    YearOpt,
    check_markets,
    dated_network,
)
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.errors import CorridorsError
from corridors.io.geojson_file import write_geojson
from corridors.model.graph import Objective
from corridors.model.network import load
from corridors.model.scenario_build import build_scenario
from corridors.results.base import feature_collection
from corridors.results.compare import AssignmentChange
from corridors.results.route import HOURS_PER_DAY

if TYPE_CHECKING:
    from corridors.analyses.compare.comparison import Comparison

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


def _num(value: float | None, fmt: str = "{:,.1f}", signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return "—"
    text = ("{:+" + fmt[2:]).format(value) if signed else fmt.format(value)
    return "±0" if signed and text.lstrip("+-").strip("0.,") == "" else text


def _days(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{low / HOURS_PER_DAY:.1f}–{high / HOURS_PER_DAY:.1f}"


def _delta_style(value: float | None, worse_if_up: bool = True) -> str:
    if value is None or math.isnan(value) or abs(value) < 1e-9:
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
    for r in c.routes:
        if r.corridor != "best" and r.status == "unchanged":
            hidden += 1
            continue
        pair = f"{r.origin_name} → {r.destination_name}"
        if previous is not None and pair != previous:
            table.add_section()
        status = r.status
        style = {"disappeared": "bold red", "appeared": "bold green", "changed": "yellow"}.get(
            status, "dim"
        )
        dt, dcost, dkm = r.delta_time_mean_h, r.delta_cost_usd, r.delta_length_km
        if status in ("disappeared", "no route"):
            where = f"[dim]{r.reason.split(': ', 1)[-1]}[/dim]"
        else:
            where = "–".join(r.countries_after)
            if r.passages_after:
                where += f" [dim]({', '.join(r.passages_after)})[/dim]"
        table.add_row(
            pair if pair != previous else "",
            r.corridor,
            styled(status, style),
            _days(r.time_low_h_before, r.time_high_h_before),
            _days(r.time_low_h_after, r.time_high_h_after),
            styled(_num(None if dt is None else dt / HOURS_PER_DAY, signed=True), _delta_style(dt)),
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


def _assignment_table(a: AssignmentChange, top: int = 12) -> Table:
    table = titled_table(
        f"Demand assigned under capacities: {a.commodity}, {a.unit}",
        [("", "left"), ("before", "right"), ("after", "right"), ("Δ", "right")],
    )
    table.add_row("demand", _num(a.demand_total, "{:,.0f}"), _num(a.demand_total, "{:,.0f}"), "")
    for label, x, y, d, worse_if_up in (
        ("assigned", a.assigned_before, a.assigned_after, a.delta_assigned, False),
        ("unserved", a.unserved_before, a.unserved_after, a.delta_unserved, True),
    ):
        table.add_row(
            label,
            _num(x, "{:,.0f}"),
            _num(y, "{:,.0f}"),
            styled(_num(d, "{:,.0f}", signed=True), _delta_style(d, worse_if_up)),
        )
    dt = a.mean_time_h_after - a.mean_time_h_before
    table.add_row(
        "mean days",
        _num(a.mean_time_h_before / HOURS_PER_DAY),
        _num(a.mean_time_h_after / HOURS_PER_DAY),
        styled(_num(dt / HOURS_PER_DAY, signed=True), _delta_style(dt)),
    )
    if a.shares:
        table.add_section()
    for s in a.shares[:top]:
        table.add_row(
            f"{s.metric.replace('_', ' ')}: {s.key}",
            f"{s.before:.1%}",
            f"{s.after:.1%}",
            f"{100 * s.delta:+.1f} pt",
        )
    more = len(a.shares) - top
    table.caption = "shares that change, largest first" + (
        f"; {more} more in --json" if more > 0 else ""
    )
    return table


def _delivered_table(c: Comparison) -> Table:
    table = titled_table(
        "Energy delivered to markets (maximum flow from the supply countries' fields)",
        [
            ("commodity", "left"),
            ("market", "left"),
            ("before", "right"),
            ("after", "right"),
            ("Δ", "right"),
        ],
    )
    for t in c.delivered_total:
        for r in (r for r in c.delivered if r.commodity == t.commodity):
            table.add_row(
                f"{t.commodity} ({r.unit})",
                r.market,
                _num(r.before),
                _num(r.after),
                styled(_num(r.delta, signed=True), _delta_style(r.delta, False)),
            )
        table.add_row(
            "",
            "[b]all markets[/b]",
            f"[b]{_num(t.before)}[/b]",
            f"[b]{_num(t.after)}[/b]",
            styled(_num(t.delta, signed=True), _delta_style(t.delta, False)),
        )
        table.add_section()
    return table


def _bottleneck_table(c: Comparison) -> Table:
    new = [b for b in c.bottlenecks if b.change == "new"]
    n_gone = sum(b.change == "relieved" for b in c.bottlenecks)
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
    for b in new:
        table.add_row(b.commodity, b.id, b.name, b.kind, f"{_num(b.capacity)} {b.unit}")
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
    for x in c.exporters:
        table.add_row(
            f"{x.commodity} ({x.unit})",
            x.country,
            _num(x.before),
            _num(x.after),
            styled(_num(x.delta, signed=True), _delta_style(x.delta, False)),
            _num(x.delta_pct, "{:,.0f}", signed=True),
        )
    return table


def compare_tables(c: Comparison) -> list[RenderableType]:
    """Rich renderables: sourced header, routes, assignment, energy, bottlenecks, exporters."""
    out: list[RenderableType] = [_header(c)]
    if c.routes:
        out.append(_routes_table(c))
    if c.assignment is not None:
        out.append(_assignment_table(c.assignment))
    if c.delivered_total:
        out.append(_delivered_table(c))
        if c.bottlenecks:
            out.append(_bottleneck_table(c))
        out.append(_exporters_table(c))
    out.extend(Text(f"note: {n}", style="dim") for n in c.notes)
    return out


def compare_cmd(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(help="Scenario YAML files or shipped scenario names, composed in order."),
    ] = None,
    scenario: ScenarioOpt = None,
    avoid: AvoidOpt = "",
    avoid_passage: PassageOpt = "",
    avoid_mode: ModeOpt = "",
    against: Annotated[
        list[str] | None,
        typer.Option(
            "--against",
            help="Compare with: baseline (default) or other scenarios (names/files); repeat "
            "to compose.",
        ),
    ] = None,
    od: Annotated[
        list[str] | None,
        typer.Option(
            "--od",
            help="ORIGIN:DESTINATION pair to route; repeat (default: demand table or "
            "the dataset's compare pairs).",
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
    geojson: GeojsonOpt = None,
    year: YearOpt = None,
    data: DataOpt = None,
) -> None:
    """What scenarios change: routes, demand served, energy delivered, bottlenecks.

    Scenario arguments, then --scenario, then --avoid flags: composed, as `route` does.
    """
    from corridors.analyses.compare.comparison import compare

    if as_json and as_csv:
        raise CorridorsError("give at most one of --json and --csv")
    files = [*(scenarios or []), *(scenario or [])]
    if not files and not (avoid or avoid_passage or avoid_mode):
        raise CorridorsError("give a scenario: a name or file, --scenario, or --avoid ...")
    after = build_scenario(
        files, avoid=[avoid], avoid_passages=[avoid_passage], avoid_modes=[avoid_mode]
    )
    before = build_scenario(against or [])
    years = [y for y in (after.year, before.year) if y is not None]
    net = dated_network(load(data), year, max(years) if years else None, data)
    result = compare(
        net,
        after,
        against=before,
        od_pairs=parse_pairs(od) if od else None,
        markets=check_markets(net, markets),
        objective=optimize,
    )
    if geojson is not None:
        write_geojson(geojson, feature_collection(result))
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
