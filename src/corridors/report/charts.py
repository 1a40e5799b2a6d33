"""The report's charts, drawn with matplotlib (Agg, no window) from the collected results.

Each function takes results and returns a :class:`~matplotlib.figure.Figure`; nothing here
solves or samples anything. :func:`png` turns a figure into PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corridors.report.content import FlowPair, RoutePair
from corridors.results.leverage import Leverage

__all__ = ["flows_chart", "leverage_chart", "png", "sankey_chart", "time_chart"]

DPI = 110
#: Colour cycle (colour-blind safe, Okabe-Ito).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")


def png(fig: Figure) -> bytes:
    """PNG bytes of ``fig``."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def _label(p: RoutePair) -> str:
    r = p.after or p.before
    if r is None:
        return f"{p.origin}–{p.destination}"
    return f"{r.origin_name}–{r.destination_name}"


def time_chart(pairs: Sequence[RoutePair], *, scenario: str | None) -> Figure:
    """Share of trips arriving within x days (empirical CDF of the draws), one line per pair.

    Solid: under the scenario; dashed: before it (drawn only where the route changed).
    """
    fig = Figure(figsize=(8.0, 4.2))
    ax = fig.add_subplot()
    for i, p in enumerate(pairs):
        colour = COLOURS[i % len(COLOURS)]
        for dist, style, tag in ((p.time_after, "-", ""), (p.time_before, "--", " (before)")):
            if dist is None or (style == "--" and (scenario is None or _same(p))):
                continue
            days = dist.hours / 24.0
            share = np.arange(1, days.size + 1) / days.size
            ax.plot(days, share, style, color=colour, lw=1.6, label=_label(p) + tag)
            if style == "-":
                ax.plot([dist.p10, dist.p50, dist.p90], [0.1, 0.5, 0.9], "o", color=colour, ms=4)
    ax.set_xlabel("door-to-door days")
    ax.set_ylabel("share of trips arriving within")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Time distributions (dots: P10, P50, P90)", fontsize=10)
    return fig


def _same(p: RoutePair) -> bool:
    if p.before is None or p.after is None:
        return p.before is p.after
    return p.before.link_ids == p.after.link_ids


def flows_chart(flows: Sequence[FlowPair], *, exporter: str, scenario: str | None) -> Figure:
    """Flow leaving the exporter on each export route, before and under the scenario."""
    n = max(1, len(flows))
    fig = Figure(figsize=(8.0, 1.2 + 2.2 * n))
    for k, fp in enumerate(flows):
        ax = fig.add_subplot(n, 1, k + 1)
        before = {r.id: r for r in (fp.before.exports.routes if fp.before.exports else [])}
        after = {r.id: r for r in (fp.after.exports.routes if fp.after.exports else [])}
        ids = sorted(set(before) | set(after), key=lambda i: -(before.get(i) or after[i]).flow)
        y = np.arange(len(ids))
        vb = [before[i].flow if i in before else 0.0 for i in ids]
        va = [after[i].flow if i in after else 0.0 for i in ids]
        names = [(before.get(i) or after[i]).name for i in ids]
        if scenario is not None:
            ax.barh(y - 0.2, vb, 0.4, color="#999999", label="before")
            ax.barh(y + 0.2, va, 0.4, color=COLOURS[k % len(COLOURS)], label=scenario)
            ax.legend(fontsize=8)
        else:
            ax.barh(y, va, 0.6, color=COLOURS[k % len(COLOURS)])
        ax.set_yticks(y, [s[:48] for s in names], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(f"{fp.commodity}, {fp.after.unit}", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Flows leaving {exporter} by export route", fontsize=10)
    fig.tight_layout()
    return fig


def _v(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _top(items: list[tuple[str, float]], keep: int) -> list[tuple[str, float]]:
    items = sorted((x for x in items if x[1] > 1e-9), key=lambda x: -x[1])
    if len(items) <= keep:
        return items
    rest = sum(v for _, v in items[keep - 1 :])
    return [*items[: keep - 1], ("others", rest)]


def _band(
    ax: Axes, x0: float, x1: float, a: tuple[float, float], b: tuple[float, float], colour: str
) -> None:
    """A band from ``a`` (bottom, top) at ``x0`` to ``b`` at ``x1``, smoothstep edges."""
    t = np.linspace(0.0, 1.0, 40)
    w = t * t * (3 - 2 * t)
    xs = x0 + (x1 - x0) * t
    lo = a[0] + (b[0] - a[0]) * w
    hi = a[1] + (b[1] - a[1]) * w
    ax.fill_between(xs, lo, hi, color=colour, alpha=0.55, lw=0)


def _stack(values: list[float], gap: float, total: float) -> list[tuple[float, float]]:
    """Bottom-top of each value stacked from the top (0..1 plus the gaps)."""
    out, y = [], 1.0 + gap * (len(values) - 1)
    for v in values:
        h = v / total
        out.append((y - h, y))
        y -= h + gap
    return out


def sankey_chart(flows: Sequence[FlowPair], *, exporter: str) -> Figure:
    """A Sankey per commodity: flow in by export route (left), out by market (right).

    The flow result gives the volume per export route and per market, not the pairs of
    them, so each diagram joins the routes to the markets through one node (the middle
    bar, the exporter's total).
    """
    n = max(1, len(flows))
    fig = Figure(figsize=(8.0, 3.0 * n))
    for k, fp in enumerate(flows):
        ax = fig.add_subplot(n, 1, k + 1)
        ax.axis("off")
        r = fp.after
        ins = _top([(x.name, x.flow) for x in (r.exports.routes if r.exports else [])], 6)
        outs = _top([(s.name, s.delivered) for s in r.sinks], 6)
        total_in, total_out = sum(v for _, v in ins), sum(v for _, v in outs)
        if total_in <= 0 or total_out <= 0:
            ax.text(0.5, 0.5, f"{fp.commodity}: nothing delivered", ha="center", va="center")
            continue
        if total_in > total_out * (1 + 1e-6):
            outs.append(("not delivered (used on the way)", total_in - total_out))
        elif total_out > total_in * (1 + 1e-6):
            ins.append((f"delivered inside {exporter}", total_out - total_in))
        total = max(total_in, total_out)
        colour = COLOURS[k % len(COLOURS)]
        left = _stack([v for _, v in ins], 0.04, total)
        right = _stack([v for _, v in outs], 0.04, total)
        mid_in = _stack([v for _, v in ins], 0.0, total)
        mid_out = _stack([v for _, v in outs], 0.0, total)
        for (name, v), a, m in zip(ins, left, mid_in, strict=True):
            ax.fill_between([0.0, 0.03], a[0], a[1], color=colour)
            _band(ax, 0.03, 0.47, a, m, colour)
            ax.text(-0.01, sum(a) / 2, f"{name[:40]}  {_v(v)}", ha="right", va="center", fontsize=7)
        for (name, v), b, m in zip(outs, right, mid_out, strict=True):
            ax.fill_between([0.97, 1.0], b[0], b[1], color=colour)
            _band(ax, 0.53, 0.97, m, b, colour)
            ax.text(1.01, sum(b) / 2, f"{_v(v)}  {name[:40]}", ha="left", va="center", fontsize=7)
        ax.fill_between([0.47, 0.53], 0.0, 1.0, color=colour)
        ax.set_xlim(-0.55, 1.55)
        ax.set_title(
            f"{fp.commodity} ({r.unit}): {exporter}'s exports in by route, out by market",
            fontsize=9,
        )
    fig.suptitle(f"Export flows of {exporter} by route and market, under the scenario", fontsize=10)
    return fig


def leverage_chart(results: Sequence[Leverage], *, scenario: str | None) -> Figure:
    """Heat map: share of the exporter's exports lost with each transit country closed."""
    rows = [r for lev in results for r in lev.rows]
    transits = sorted({r.transit for r in rows if r.crossing_share > 1e-6 or r.lost > 1e-6})
    commodities = [lev.commodity for lev in results]
    panels = [("as it is", False)] + ([(scenario, True)] if scenario is not None else [])
    fig = Figure(figsize=(1.6 + 0.55 * max(3, len(transits)) * len(panels), 2.4))
    for j, (title, after) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), j + 1)
        grid = np.zeros((len(commodities), len(transits)))
        for r in rows:
            if r.transit not in transits:
                continue
            value = (r.after.lost_share if r.after is not None else 0.0) if after else r.lost_share
            grid[commodities.index(r.commodity), transits.index(r.transit)] = value
        im = ax.imshow(grid, vmin=0.0, vmax=1.0, cmap="Reds", aspect="auto")
        for (a, b), v in np.ndenumerate(grid):
            if v > 0.005:
                ax.text(b, a, f"{v:.0%}", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(transits)), transits, fontsize=8)
        ax.set_yticks(range(len(commodities)), commodities, fontsize=8)
        ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=fig.axes, shrink=0.8, label="share of exports lost")
    fig.suptitle("Leverage: exports lost with a transit country closed", fontsize=10, y=1.06)
    return fig
