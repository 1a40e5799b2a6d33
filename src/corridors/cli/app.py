"""``corridors`` command line (Typer + Rich). Parses, calls analyses, renders; no computing."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from corridors.cli import render, uncertainty_view
from corridors.cli.params import AvoidOpt, DataOpt, JsonOpt, ModeOpt, PassageOpt, ScenarioOpt
from corridors.errors import CorridorsError, DataError
from corridors.io.defaults_file import DEFAULTS_FILE
from corridors.io.tables import default_data_dir
from corridors.model.coverage import estimated_length_share
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
    help="Validate, export and calibrate the network tables.", no_args_is_help=True
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
            help="With --optimize generalized: USD per unit and day of transit "
            "(default: the commodity's value in the data)."
        ),
    ] = None,
    alternatives: Annotated[
        int, typer.Option(help="Up to K genuinely different routes.", min=1, max=20)
    ] = 1,
    scenario: ScenarioOpt = None,
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

    net = load(data)
    scen = build_scenario(
        scenario or [], avoid=[avoid], avoid_passages=[avoid_passage], avoid_modes=[avoid_mode]
    )
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
        from corridors.io.geometry import write_geojson

        write_geojson(geojson, feature_collection(routes))
    if as_json:
        render.print_json(out, routes.as_dict())
    else:
        for table in render.route_set_tables(routes):
            out.print(table)
        if promise is not None:
            out.print(uncertainty_view.on_time_line(net, routes.best, promise, data=data))


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
) -> None:
    """Check every table and report every problem at once (file, row, column, value)."""
    from corridors.io.tables import read_table_files
    from corridors.model.validate import validate_tables

    folder = path or default_data_dir()
    raw, problems = read_table_files(folder)
    tables, problems = validate_tables(raw, problems)
    if problems:
        err.print(render.problems_table(problems))
        raise typer.Exit(1)
    counts = ", ".join(f"{len(df)} {name}" for name, df in tables.items())
    out.print(
        f"[green]valid[/green]: {folder} ({counts}); every number is sourced or marked as an estimate"
    )
    cov = estimated_length_share(tables["links"])
    out.print(
        f"land-link lengths estimated from great-circle distance: {cov.estimated} of {cov.land}"
        f" ({cov.share:.0%}); rail and road {cov.estimated_rail_road} of {cov.rail_road}"
        f" ({cov.rail_road_share:.0%})"
    )


@data_app.command("export")
def export_cmd(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.geojson,
    out_path: Annotated[
        Path, typer.Option("--out", help="File (geojson, gpkg) or folder (csv).")
    ] = Path("corridors-network"),
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
) -> None:
    """Write the network for GIS tools (QGIS opens the GeoJSON and GeoPackage)."""
    from corridors.io.export import export_network
    from corridors.model.scenario import apply_scenario

    net = apply_scenario(load(data), build_scenario(scenario or []))
    written = export_network(net, out_path, fmt.value)
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


from corridors.cli.assign_cmd import assign_cmd  # noqa: E402
from corridors.cli.compare_cmd import compare_cmd  # noqa: E402
from corridors.cli.criticality_cmd import criticality_cmd, leverage_cmd  # noqa: E402
from corridors.cli.flow_cmd import flow_cmd  # noqa: E402

app.command("flow")(flow_cmd)
app.command("compare")(compare_cmd)
app.command("assign")(assign_cmd)
app.command("criticality")(criticality_cmd)
app.command("leverage")(leverage_cmd)

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


def main() -> None:
    """Entry point: run the app, turning input errors into messages and exit code 1."""
    try:
        app()
    except DataError as exc:
        err.print(render.problems_table(exc.problems))
        sys.exit(1)
    except CorridorsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
