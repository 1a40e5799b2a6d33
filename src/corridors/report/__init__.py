"""HTML reports an analyst can hand on: a map, charts, tables and every number's source.

A face, like the CLI and the web page: :func:`build_report` calls the analyses
(:func:`corridors.report.content.collect`), draws the map and charts with matplotlib
(offline: country outlines from installed files, :mod:`corridors.report.basemap`) and
renders one self-contained HTML page (:mod:`corridors.report.page`); :func:`write_report`
writes it atomically, as one file or as a folder with a PNG of each chart beside it.
See docs/report.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corridors.model.network import Network
from corridors.model.scenario import Scenario
from corridors.report.page import Chart

__all__ = ["Report", "build_report", "write_report"]


@dataclass(frozen=True)
class Report:
    """A rendered report: the page and the images it embeds."""

    html: str
    map: Chart
    charts: tuple[Chart, ...]
    results: dict[str, object]

    @property
    def images(self) -> tuple[Chart, ...]:
        """The map, then the charts."""
        return (self.map, *self.charts)


def build_report(
    net: Network,
    scenario: Scenario | None = None,
    *,
    exporter: str = "KZ",
    pairs: tuple[tuple[str, str], ...] | None = None,
    draws: int = 10_000,
    seed: int = 0,
    leverage_ranges: bool = False,
) -> Report:
    """Run the analyses for ``scenario`` and render the report.

    Parameters
    ----------
    net
        A validated network.
    scenario
        What the report is about (``None``: the network as it is).
    exporter
        ISO code of the country whose export flows and leverage are shown.
    pairs
        Origin-destination pairs to route (default: the dataset's comparison pairs).
    draws, seed
        Monte Carlo draws of the door-to-door times, and their seed.
    leverage_ranges
        Also show the leverage at the low and high sourced capacities (slower).

    Examples
    --------
    >>> import corridors as cx
    >>> r = build_report(cx.load(), cx.load_scenario("cpc-suspension-2022"),
    ...                  pairs=(("xian", "hamburg"),), draws=500)
    >>> [c.name for c in r.images], "http" in r.html.split("<h2 id=")[0]
    (['map', 'time', 'flows', 'sankey', 'leverage'], False)
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    from corridors.report import charts as ch
    from corridors.report.basemap import country_rings
    from corridors.report.content import collect
    from corridors.report.mapview import map_figure
    from corridors.report.page import render_page

    data = collect(
        net,
        scenario,
        exporter=exporter,
        pairs=pairs,
        draws=draws,
        seed=seed,
        leverage_ranges=leverage_ranges,
    )
    name = scenario.name if scenario is not None else None
    outlines = country_rings()
    the_map = Chart(
        "map",
        "Map of the routes and export flows",
        "Coloured: best routes under the scenario; grey dashed: before, where they differ; "
        f"wide lines: {exporter}'s export flows under the scenario, width by volume. "
        f"Outlines: {outlines.origin}.",
        ch.png(map_figure(data, outlines)),
    )
    drawn: list[Chart] = []
    if any(p.time_after is not None or p.time_before is not None for p in data.routes):
        drawn.append(
            Chart(
                "time",
                "Door-to-door time distributions",
                f"Share of {draws:,} simulated trips arriving within a number of days (seed "
                f"{seed}); time ranges as PERT, ferry waits uniform, disruption events with "
                "sourced frequencies (docs/uncertainty.md).",
                ch.png(ch.time_chart(data.routes, scenario=name)),
            )
        )
    if data.flows:
        drawn += [
            Chart(
                "flows",
                "Flows by export route",
                "Maximum flow leaving the exporter on each route, before and under the scenario.",
                ch.png(ch.flows_chart(data.flows, exporter=exporter, scenario=name)),
            ),
            Chart(
                "sankey",
                "Export flows by route and market",
                "Under the scenario: in by export route, out by market, through one node.",
                ch.png(ch.sankey_chart(data.flows, exporter=exporter)),
            ),
        ]
    if data.leverage:
        drawn.append(
            Chart(
                "leverage",
                "Leverage heat map",
                "Share of the exporter's exports (demand rows, latest year) that cannot leave "
                "with the transit country closed, by commodity.",
                ch.png(ch.leverage_chart(data.leverage, scenario=name)),
            )
        )
    html = render_page(data, the_map, drawn)
    return Report(html, the_map, tuple(drawn), data.results_json())


def write_report(report: Report, out: Path) -> list[Path]:
    """Write ``report`` to ``out``, atomically (:mod:`corridors.io.atomic`).

    A name ending in ``.html`` is written as one file; any other name as a folder holding
    ``report.html``, one PNG per image and ``results.json`` (the results behind the page).

    Raises
    ------
    CorridorsError
        For a target that cannot be written (a folder given as the file, a folder holding
        other files, no permission).
    """
    from corridors.io.atomic import atomic_write_folder, atomic_write_text

    if out.suffix.lower() in (".html", ".htm"):
        return [atomic_write_text(out, report.html)]

    def text(path: Path) -> None:
        path.write_text(report.html, encoding="utf-8")

    def image(data: bytes) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            path.write_bytes(data)

        return write

    def results(path: Path) -> None:
        path.write_text(json.dumps(report.results, indent=1, allow_nan=False) + "\n", "utf-8")

    files = {"report.html": text} | {f"{c.name}.png": image(c.png) for c in report.images}
    files["results.json"] = results
    return atomic_write_folder(out, files)
