"""Command-line options that several commands share (Typer ``Annotated`` types)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "AvoidOpt",
    "DataOpt",
    "GeojsonOpt",
    "JsonOpt",
    "JsonTablesOpt",
    "ModeOpt",
    "PassageOpt",
    "ScenarioOpt",
]

DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Folder of network tables (default: the embedded dataset)."),
]
ScenarioOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario", help="Scenario YAML file or shipped scenario name; repeat to compose."
    ),
]
#: ``--json`` of a command that prints one table.
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
#: ``--json`` of a command that prints several tables.
JsonTablesOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
AvoidOpt = Annotated[
    str, typer.Option("--avoid", help="Countries to avoid, comma-separated ISO codes: RU,BY")
]
PassageOpt = Annotated[
    str, typer.Option("--avoid-passage", help="Sea passages to avoid: suez,babalmandab")
]
ModeOpt = Annotated[str, typer.Option("--avoid-mode", help="Modes to avoid: ferry,road")]
#: ``--geojson PATH``: write the result's features as a GeoJSON FeatureCollection.
GeojsonOpt = Annotated[
    Path | None,
    typer.Option("--geojson", help="Also write the result's legs as GeoJSON to this file."),
]
