"""The report's map: routes and export flows over country outlines, drawn offline.

Lines come from the results' own geometry (``Leg.geometry``, ``LinkFlow.coordinates``:
the stored searoute lines for sea legs, straight segments otherwise), the outlines from
:mod:`corridors.report.basemap`. Plain longitude-latitude axes, stretched by
``1 / cos(mid latitude)`` so that shapes near 45°N look right.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure

from corridors.report.basemap import Outlines
from corridors.report.charts import COLOURS, _label
from corridors.report.content import ReportData

__all__ = ["map_figure"]


def _extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    if not points:
        return (-20.0, 140.0, 0.0, 65.0)
    a = np.asarray(points)
    lon0, lat0 = a.min(axis=0)
    lon1, lat1 = a.max(axis=0)
    pad_lon, pad_lat = max(3.0, 0.05 * (lon1 - lon0)), max(3.0, 0.08 * (lat1 - lat0))
    return (lon0 - pad_lon, lon1 + pad_lon, max(-80.0, lat0 - pad_lat), min(84.0, lat1 + pad_lat))


def map_figure(data: ReportData, outlines: Outlines) -> Figure:
    """The map of a report's routes and flows.

    Routes under the scenario are coloured, before it (where they differ) grey and dashed;
    the exporter's flows under the scenario are wide lines, width by volume.
    """
    fig = Figure(figsize=(10.0, 6.0))
    ax = fig.add_subplot()
    points: list[tuple[float, float]] = []
    for i, p in enumerate(data.routes):
        colour = COLOURS[i % len(COLOURS)]
        changed = p.before is not None and (
            p.after is None or p.before.link_ids != p.after.link_ids
        )
        if changed and p.before is not None:
            segs = [leg.geometry.coordinates for leg in p.before.legs]
            ax.add_collection(LineCollection(segs, colors="#777777", lw=1.0, linestyles="--"))
        if p.after is not None:
            segs = [leg.geometry.coordinates for leg in p.after.legs]
            ax.add_collection(LineCollection(segs, colors=colour, lw=1.8, label=_label(p)))
            for s in segs:
                points.extend((float(x), float(y)) for x, y in s)
            ends = [p.after.legs[0].from_lonlat, p.after.legs[-1].to_lonlat]
            ax.plot(*zip(*ends, strict=True), "o", color=colour, ms=4)
    for k, fp in enumerate(data.flows):
        links = [lf for lf in fp.after.links if lf.flow > 0 and lf.coordinates]
        if not links:
            continue
        top = max(lf.flow for lf in links)
        segs = [lf.coordinates for lf in links]
        widths = [0.6 + 3.4 * lf.flow / top for lf in links]
        colour = COLOURS[(len(data.routes) + k) % len(COLOURS)]
        ax.add_collection(
            LineCollection(segs, colors=colour, lw=widths, alpha=0.6, label=f"{fp.commodity} flow")
        )
        for s in segs:
            points.extend((float(x), float(y)) for x, y in s)
    x0, x1, y0, y1 = _extent(points)
    if outlines.rings:
        visible = [
            r
            for r in outlines.rings
            if r[:, 0].max() >= x0
            and r[:, 0].min() <= x1
            and r[:, 1].max() >= y0
            and r[:, 1].min() <= y1
        ]
        ax.add_collection(
            PolyCollection(
                visible, facecolors="#f1efe8", edgecolors="#b5b0a0", linewidths=0.4, zorder=0
            )
        )
        ax.set_facecolor("#dbe8f2")
    stretch = 1.0 / math.cos(math.radians((y0 + y1) / 2.0))
    tall = (y1 - y0) * stretch / (x1 - x0)
    fig.set_size_inches(10.0, min(8.0, max(3.8, 10.0 * tall + 1.0)))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(stretch, adjustable="box")
    ax.grid(alpha=0.25, lw=0.5)
    ax.tick_params(labelsize=7)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(
            fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=4, frameon=False
        )
    scen = data.scenario.name if data.scenario is not None else "network as it is"
    ax.set_title(f"Routes and {data.exporter} export flows — {scen}", fontsize=10)
    fig.text(0.99, 0.005, f"outlines: {outlines.origin}", ha="right", fontsize=6, color="#555")
    return fig
