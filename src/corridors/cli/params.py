"""Command-line options that several commands share (Typer ``Annotated`` types)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.places import resolve_place
from corridors.model.validate import is_country

__all__ = [
    "AvoidOpt",
    "DataOpt",
    "GeojsonOpt",
    "JsonOpt",
    "JsonTablesOpt",
    "ModeOpt",
    "PassageOpt",
    "ScenarioOpt",
    "YearOpt",
    "check_markets",
    "dated_network",
    "finite_non_negative",
]


def finite_non_negative(value: float | None) -> float | None:
    """Typer callback: a number option must be finite and >= 0 (``None``: not given).

    Examples
    --------
    >>> finite_non_negative(2.5), finite_non_negative(None)
    (2.5, None)
    >>> finite_non_negative(float("nan"))  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: must be a finite number >= 0, got nan
    """
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise typer.BadParameter(f"must be a finite number >= 0, got {value:g}")
    return value


def check_markets(net: Network, markets: str) -> list[str] | None:
    """The markets of ``--markets`` (comma-separated), each known, or ``None`` when empty.

    A market is a node name, id or alias, or an ISO code of a country with market nodes.

    Raises
    ------
    UnknownPlaceError
        For a name that matches no node (with close matches).
    CorridorsError
        For a country code without market nodes.
    """
    names = [m.strip() for m in markets.split(",") if m.strip()]
    for name in names:
        code = name.upper()
        if len(code) == 2 and is_country(code):
            here = net.nodes[(net.nodes["kind"] == "market") & (net.nodes["country"] == code)]
            if here.empty:
                raise CorridorsError(f"--markets: no market node in {code}")
            continue
        resolve_place(net.nodes, name)
    return names or None


def dated_network(
    net: Network, year: int | None, scenario_year: int | None, data: Path | None
) -> Network:
    """The network as of ``--year``, else of the scenario's ``year:``, else as it is.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> dated_network(net, None, None, None) is net
    True
    >>> dated_network(net, 2026, 2022, None).label
    'default @ 2026'
    """
    when = year if year is not None else scenario_year
    if when is None:
        return net
    from corridors.io.dated_files import read_dated_values
    from corridors.model.years import at_year, check_dated

    dated = read_dated_values(data)
    check_dated(dated, net)
    return at_year(net, when, dated)


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
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        min=1950,
        max=2100,
        help="Take the network as of this year: links by start year and status, capacities, "
        "demand and background flows of that year (dated_values.csv); default: a "
        "scenario's year:, else the tables as they are.",
    ),
]
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
