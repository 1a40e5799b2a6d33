"""``corridors report``: a self-contained HTML report of a scenario (docs/report.md).

Parses, checks the output path before any work, calls :func:`corridors.report.build_report`
and writes the page (and, for a folder, a PNG of each chart beside it).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from corridors.cli.params import DataOpt, ScenarioOpt
from corridors.errors import CorridorsError

__all__ = ["check_out", "report_cmd"]


def check_out(out: Path) -> None:
    """Refuse an output path that cannot be written, before the analyses run.

    Examples
    --------
    >>> check_out(Path("no-such-folder/report.html"))
    >>> check_out(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: cannot write /dev/null: it exists and is not a folder
    """
    from corridors.io.atomic import check_file_target

    if not str(out).strip():
        raise CorridorsError("--out: give a file name ending in .html, or a folder name")
    if out.suffix.lower() in (".html", ".htm"):
        check_file_target(out)
    elif out.exists() and not out.is_dir():
        raise CorridorsError(f"cannot write {out}: it exists and is not a folder")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise CorridorsError(f"cannot write {out}: {parent} is not a folder")
            break


def report_cmd(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="FILE.html (one self-contained page) or a folder (the page, report.html, "
            "and a PNG of each chart).",
        ),
    ],
    scenario: ScenarioOpt = None,
    exporter: Annotated[
        str, typer.Option(help="Country (ISO code) whose export flows and leverage are shown.")
    ] = "KZ",
    draws: Annotated[
        int, typer.Option(help="Monte Carlo draws per route.", min=100, max=1_000_000)
    ] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the draws.", min=0)] = 0,
    capacity_ranges: Annotated[
        bool,
        typer.Option(
            "--capacity-ranges",
            help="Also solve the leverage with the sourced capacity ranges at their low and "
            "high ends (the flows always are; this doubles the leverage time).",
        ),
    ] = False,
    data: DataOpt = None,
) -> None:
    """A self-contained HTML report: map, time distributions, flows, leverage and sources."""
    from corridors.cli.app import out as console
    from corridors.model.network import load
    from corridors.model.scenario_build import build_scenario
    from corridors.report import build_report, write_report

    start = time.perf_counter()
    check_out(out)
    net = load(data)
    scen = build_scenario(scenario) if scenario else None
    report = build_report(
        net,
        scen,
        exporter=exporter.strip().upper(),
        draws=draws,
        seed=seed,
        leverage_ranges=capacity_ranges,
    )
    written = write_report(report, out)
    took = time.perf_counter() - start
    console.print(f"wrote {written[0]} ({len(report.images)} images) in {took:.1f} s")
