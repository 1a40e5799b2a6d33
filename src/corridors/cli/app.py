"""``corridors`` command line (Typer + Rich). Parses, calls analyses, renders; no computing."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from corridors.cli import render, uncertainty_view
from corridors.cli.params import (
    AvoidOpt,
    DataOpt,
    JsonOpt,
    ModeOpt,
    PassageOpt,
    ScenarioOpt,
    YearOpt,
    dated_network,
    finite_non_negative,
)
from corridors.errors import MAX_SHOWN, CorridorsError, DataError, Problem
from corridors.io.defaults_file import DEFAULTS_FILE
from corridors.io.tables import default_data_dir
from corridors.model.graph import Objective
from corridors.model.network import load
from corridors.model.scenario import load_scenario
from corridors.model.scenario_build import build_scenario, split_list

__all__ = ["app", "main"]

app = typer.Typer(
    help="Routes, flows and what-ifs on the China–Central Asia–Europe trade and energy corridors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(
    help="Validate, export, calibrate and take inventory of the network tables.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")

out = render.console()
err = render.console(stderr=True)


class ExportFormat(StrEnum):
    """Formats ``data export`` writes."""

    geojson = "geojson"
    gpkg = "gpkg"
    csv = "csv"


@app.command("route")
def route_cmd(
    origin: Annotated[str, typer.Argument(help="Where from (name, alias or id).")],
    destination: Annotated[str, typer.Argument(help="Where to.")],
    commodity: Annotated[str, typer.Option(help="Commodity id.")] = "container",
    optimize: Annotated[Objective, typer.Option(help="What to minimise.")] = Objective.TIME,
    avoid: AvoidOpt = "",
    avoid_passage: PassageOpt = "",
    avoid_mode: ModeOpt = "",
    via: Annotated[str, typer.Option(help="Places to pass, comma-separated, in order.")] = "",
    value_of_time: Annotated[
        float | None,
        typer.Option(
            callback=finite_non_negative,
            help="With --optimize generalized: USD per unit and day of transit "
            "(default: the commodity's value in the data).",
        ),
    ] = None,
    alternatives: Annotated[
        int, typer.Option(help="Up to K genuinely different routes.", min=1, max=20)
    ] = 1,
    scenario: ScenarioOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    geojson: Annotated[
        Path | None,
        typer.Option(
            "--geojson",
            help="Also write the routes' legs (lines) and stops (points) as GeoJSON here.",
        ),
    ] = None,
    data: DataOpt = None,
    promise: uncertainty_view.PromiseOpt = None,
) -> None:
    """Best route (or K alternatives) between two places: legs, days, km, cost, countries."""
    from corridors.analyses.routing.search import route_set
    from corridors.results.base import feature_collection

    scen = build_scenario(
        scenario or [], avoid=[avoid], avoid_passages=[avoid_passage], avoid_modes=[avoid_mode]
    )
    net = dated_network(load(data), year, scen.year, data)
    routes = route_set(
        net,
        origin,
        destination,
        k=alternatives,
        commodity=commodity,
        optimize=optimize,
        scenario=scen,
        via=split_list(via),
        value_of_time=value_of_time,
    )
    if geojson is not None:
        from corridors.io.geojson_file import write_geojson

        write_geojson(geojson, feature_collection(routes))
    if as_json:
        routes = uncertainty_view.with_percentiles(net, routes, data=data)
        render.print_json(out, routes.as_dict())
    else:
        for table in render.route_set_tables(routes):
            out.print(table)
        if promise is not None:
            out.print(uncertainty_view.on_time_line(net, routes.best, promise, data=data))


@app.command("serve")
def serve_cmd(
    host: Annotated[
        str, typer.Option(help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    data: DataOpt = None,
) -> None:
    """The web map and REST API (OpenAPI at /docs); Ctrl-C stops."""
    from corridors.web.serve import serve

    serve(host=host, port=port, data=data)


@app.command("demo")
def demo_cmd(data: DataOpt = None) -> None:
    """The corridor options between the dataset's demo pairs side by side (`make run`)."""
    from corridors.analyses.routing.options import corridor_options, named_options

    net = load(data)
    demo = net.defaults.demo if net.defaults is not None else None
    if demo is None:
        raise CorridorsError(
            f"the dataset has no demo section in {DEFAULTS_FILE} (pairs and corridor options)"
        )
    options = named_options(net, demo.options, section="demo.options")
    names = net.nodes["name"].astype(str)
    for origin, destination in demo.pairs:
        results = corridor_options(net, origin, destination, options=options)
        title = f"{names[origin]} → {names[destination]}: best route by each corridor"
        out.print(render.options_table(results, title))
        out.print()
    if demo.note:
        cited = f" (sources: {', '.join(demo.sources)})" if demo.sources else ""
        out.print(Text(" ".join(demo.note.split()) + cited, style="dim"))


@data_app.command("validate")
def validate_cmd(
    path: Annotated[
        Path | None, typer.Argument(help="Folder of tables (default: embedded dataset).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check every table and report every problem at once (file, row, column, value)."""
    from corridors.analyses.validation import validate_folder

    report = validate_folder(path)
    if as_json:
        render.print_json(out, report.as_dict())
        if not report.valid:
            raise typer.Exit(1)
        return
    if not report.valid:
        raise DataError(
            [Problem(p.file, p.row, p.column, p.value, p.message) for p in report.problems]
        )
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    out.print(
        f"[green]valid[/green]: {report.folder} ({counts}); every number is sourced or marked "
        "as an estimate"
    )
    cov = report.lengths
    if cov is not None:
        out.print(
            f"land-link lengths estimated from great-circle distance: {cov.estimated} of "
            f"{cov.land} ({cov.share:.0%}); rail and road {cov.estimated_rail_road} of "
            f"{cov.rail_road} ({cov.rail_road_share:.0%}); {cov.connectors} connectors with no "
            "physical line (market sinks, aggregate feeders, port moves) not counted"
        )


@data_app.command("export")
def export_cmd(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.geojson,
    out_path: Annotated[
        str, typer.Option("--out", help="File (geojson, gpkg) or folder (csv).")
    ] = "corridors-network",
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
) -> None:
    """Write the network for GIS tools (QGIS opens the GeoJSON and GeoPackage).

    Every write is atomic: a file, or the CSV folder as a whole, appears complete or not
    at all; a folder or device is refused as a file target.
    """
    from corridors.io.export import export_network
    from corridors.model.scenario import apply_scenario

    if not out_path.strip():
        raise typer.BadParameter("give a file or folder name", param_hint="--out")
    net = apply_scenario(load(data), build_scenario(scenario or []))
    written = export_network(net, Path(out_path), fmt.value)
    for path in written:
        out.print(f"wrote {path}")


@data_app.command("calibrate")
def calibrate_cmd(
    as_json: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table.")] = False,
    data: DataOpt = None,
) -> None:
    """The model beside published end-to-end figures (km, days), with the differences."""
    from corridors.analyses.calibration.checks import calibrate
    from corridors.io.tables import read_calibration

    net = load(data)
    published = read_calibration(data or default_data_dir())
    result = calibrate(net, published)
    if as_json:
        render.print_json(out, result.as_dict())
    elif markdown:
        out.file.write(render.calibration_markdown(result, net.sources))
    else:
        out.print(render.calibration_table(result))


@data_app.command("inventory")
def inventory_cmd(
    country: Annotated[
        str, typer.Option("--country", help="ISO 3166-1 alpha-2 code of the country.")
    ] = "KZ",
    as_json: JsonOpt = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print the links and published counts as one CSV table.")
    ] = False,
    data: DataOpt = None,
) -> None:
    """A country's links across its borders by mode, beside published corridor counts."""
    from corridors.analyses.inventory import inventory
    from corridors.cli.inventory_view import inventory_renderables

    if as_json and as_csv:
        raise CorridorsError("give at most one of --json and --csv")
    result = inventory(load(data), country)
    if as_json:
        render.print_json(out, result.as_dict())
    elif as_csv:
        result.to_frame().to_csv(out.file, index=False, lineterminator="\n")
    else:
        for item in inventory_renderables(result):
            out.print(item)


from corridors.cli.assign_cmd import assign_cmd  # noqa: E402
from corridors.cli.compare_cmd import compare_cmd  # noqa: E402
from corridors.cli.criticality_cmd import criticality_cmd, leverage_cmd  # noqa: E402
from corridors.cli.flow_cmd import flow_cmd  # noqa: E402
from corridors.cli.report_cmd import report_cmd  # noqa: E402

app.command("flow")(flow_cmd)
app.command("compare")(compare_cmd)
app.command("assign")(assign_cmd)
app.command("criticality")(criticality_cmd)
app.command("leverage")(leverage_cmd)
app.command("report")(report_cmd)

scenarios_app = typer.Typer(help="Shipped scenarios.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")


@scenarios_app.command("list")
def scenarios_list_cmd() -> None:
    """Scenarios shipped with the package."""
    from corridors.model.scenario import shipped_scenarios

    for name in shipped_scenarios():
        s = load_scenario(name)
        out.print(f"[b]{name}[/b]  {s.title or s.description[:80]}")


@scenarios_app.command("show")
def scenarios_show_cmd(name: Annotated[str, typer.Argument(help="Scenario name or file.")]) -> None:
    """A scenario's content as JSON."""
    render.print_json(out, load_scenario(name).model_dump(mode="json"))


@scenarios_app.command("schema")
def scenarios_schema_cmd(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the reference docs/scenarios.md instead.")
    ] = False,
) -> None:
    """The JSON Schema of scenario files (or, with --markdown, their reference)."""
    from corridors.model.scenario_schema import scenario_docs_markdown, scenario_json_schema

    if markdown:
        out.file.write(scenario_docs_markdown())
    else:
        render.print_json(out, scenario_json_schema())


def _stdout_error(exc: OSError) -> None:
    """Report a failed write to stdout in one line; later writes go nowhere."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    why = "the reader closed the pipe" if isinstance(exc, BrokenPipeError) else exc.strerror
    sys.stderr.write(f"error: cannot write to standard output: {why or exc}\n")


def main() -> None:
    """Entry point: run the app, turning input errors into messages and exit code 1.

    A closed, full or broken standard output gives a one-line message and exit code 1.
    """
    if sys.stdout is None:
        sys.stderr.write("error: standard output is closed\n")
        sys.exit(1)
    code, stdout = 0, sys.stdout
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if sys.stdout is not stdout:  # click swapped it: a broken pipe, met silently
            _stdout_error(BrokenPipeError(errno.EPIPE, "Broken pipe"))
            code = code or 1
    except DataError as exc:
        err.print(render.problems_table(exc.problems[:MAX_SHOWN]))
        more = len(exc.problems) - MAX_SHOWN
        if more > 0:
            err.print(f"... and {more} more problem(s)", highlight=False)
        code = 1
    except CorridorsError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        code = 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    except OSError as exc:
        if exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO):
            _stdout_error(exc)
        else:
            sys.stderr.write(f"error: {exc.strerror or exc}\n")
        code = 1
    try:
        sys.stdout.flush()
    except OSError as exc:
        _stdout_error(exc)
        code = code or 1
    sys.exit(code)
