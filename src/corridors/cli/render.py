"""Rendering of results for the terminal (Rich tables) and for scripts (JSON)."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from corridors.errors import Problem, shorten
from corridors.results.calibration import Calibration, CalibrationRow
from corridors.results.route import HOURS_PER_DAY, Leg, Range, Route, RouteSet

if TYPE_CHECKING:
    import pandas as pd

    from corridors.analyses.routing.options import OptionResult

__all__ = [
    "calibration_markdown",
    "calibration_table",
    "console",
    "days",
    "options_table",
    "print_json",
    "problems_table",
    "route_set_tables",
    "route_table",
    "styled",
    "titled_table",
]


def console(*, stderr: bool = False) -> Console:
    """A console as wide as the terminal, or 140 columns when output goes to a pipe or file.

    Rich falls back to 80 columns off a terminal, which folds the route tables badly.
    """
    stream = sys.stderr if stderr else sys.stdout
    width = (
        None if stream is not None and stream.isatty() else int(os.environ.get("COLUMNS", "140"))
    )
    return Console(stderr=stderr, width=width)


def days(hours: Range) -> str:
    """A time range in days, e.g. ``'16.2–18.9'``.

    Examples
    --------
    >>> days(Range.of(24.0, 36.0))
    '1.0–1.5'
    """
    r = hours.scaled(1 / HOURS_PER_DAY)
    return f"{r.low:.1f}–{r.high:.1f}"


def titled_table(title: str, columns: Sequence[tuple[str, str]]) -> Table:
    """An empty table titled on the left, with ``(name, justify)`` columns."""
    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=cast("JustifyMethod", justify))
    return table


def styled(text: str, style: str) -> str:
    """``text`` in Rich markup of ``style`` (unchanged when ``style`` is empty).

    Examples
    --------
    >>> styled("+2.0", "red"), styled("±0", "")
    ('[red]+2.0[/red]', '±0')
    """
    return f"[{style}]{text}[/{style}]" if style else text


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _finite(data: Any) -> Any:
    """``data`` with every non-finite float (inf, NaN) replaced by ``None``."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def print_json(console: Console, data: Any) -> None:
    """Print data as JSON (plain, no markup); a non-finite number is written ``null``.

    Examples
    --------
    >>> import io
    >>> c = Console(file=io.StringIO())
    >>> print_json(c, {"capacity": float("inf"), "flow": [1.5, float("nan")]})
    >>> c.file.getvalue().split()
    ['{', '"capacity":', 'null,', '"flow":', '[', '1.5,', 'null', ']', '}']
    """
    text = json.dumps(_finite(data), indent=2, ensure_ascii=False, allow_nan=False)
    console.file.write(text + "\n")


def route_table(route: Route, title: str | None = None) -> Table:
    """Legs and stops of a route, with totals, in days."""
    table = titled_table(
        title
        or f"{route.origin_name} → {route.destination_name} ({route.scenario}, by {route.objective})",
        [
            ("#", "right"),
            ("from → to", "left"),
            ("mode", "left"),
            ("countries", "left"),
            ("km", "right"),
            ("days", "right"),
            ("USD/unit", "right"),
            ("kg CO2e", "right"),
        ],
    )
    n = 0
    for step in route.steps:
        if isinstance(step, Leg):
            n += 1
            leg = step
            mode = leg.layer.replace("rail_", "rail ") + (
                "" if not leg.passages else f" ({', '.join(leg.passages)})"
            )
            wait = f" +wait {leg.wait_h:.0f} h" if leg.wait_h else ""
            table.add_row(
                str(n),
                f"{leg.from_name} → {leg.to_name}",
                mode + wait,
                "–".join(leg.countries),
                f"{leg.length_km:,.0f}",
                days(leg.time_h),
                _money(leg.cost_usd),
                _kg(leg.co2_kg),
            )
        else:
            stop = step
            what = stop.kind.replace("_", " ")
            if stop.is_transfer:
                what += (
                    f" {stop.from_layer.replace('rail_', '')}→{stop.to_layer.replace('rail_', '')}"
                )
            table.add_row(
                "",
                f"[dim]at {stop.node_name}[/dim]",
                f"[dim]{what}[/dim]",
                "",
                "",
                f"[dim]{days(stop.time_h)}[/dim]",
                f"[dim]{_money(stop.cost_usd) if stop.cost_usd else ''}[/dim]",
                "",
            )
    table.add_section()
    table.add_row(
        "",
        "[b]total[/b]",
        ", ".join(route.modes),
        "–".join(route.countries),
        f"[b]{route.length_km:,.0f}[/b]",
        f"[b]{days(route.time_h)}[/b]",
        f"[b]{_money(route.cost_usd)}[/b]",
        f"[b]{_kg(route.co2_kg)}[/b]",
    )
    return table


def _kg(value: float | None) -> str:
    """Kilograms CO2e per unit, or a dash where a mode has no emission factor."""
    return "—" if value is None else f"{value:,.0f}"


def route_set_tables(routes: RouteSet) -> list[Table]:
    """One table per route of a set (titled "Route i of n" when there are several)."""
    n = len(routes.routes)
    if n == 1:
        return [route_table(routes.best)]
    return [
        route_table(r, title=f"Route {i} of {n}: {r.origin_name} → {r.destination_name}")
        for i, r in enumerate(routes.routes, start=1)
    ]


def options_table(results: Sequence[OptionResult], title: str) -> Table:
    """One row per corridor option: days, km, cost, countries."""
    table = titled_table(
        title,
        [
            ("option", "left"),
            ("days", "right"),
            ("km", "right"),
            ("USD/TEU", "right"),
            ("countries", "left"),
            ("passages / transfers", "left"),
        ],
    )
    for res in results:
        r = res.route
        if r is None:
            table.add_row(res.option.label, "—", "—", "—", f"[dim]{res.error}[/dim]", "")
            continue
        extra = ", ".join(
            [
                *r.passages,
                *(
                    f"{t.kind.replace('_', ' ')} {t.node_name}"
                    for t in r.transfers
                    if t.kind == "gauge_change"
                ),
            ]
        )
        table.add_row(
            res.option.label,
            days(r.time_h),
            f"{r.length_km:,.0f}",
            _money(r.cost_usd),
            "–".join(r.countries),
            extra,
        )
    return table


def problems_table(problems: Sequence[Problem]) -> Table:
    """Validation problems: file, row, column, value, message."""
    table = Table(title=f"{len(problems)} problem(s)", title_justify="left")
    for col in ("file", "row", "column", "value", "problem"):
        table.add_column(col)
    for p in problems:
        cells = (p.file, str(p.row or ""), p.column, shorten(p.value), p.message)
        table.add_row(*(Text(c) for c in cells))
    return table


_UNITS = {"length_km": "km", "time_days": "days", "cost_usd": "USD"}


def _fig(low: float | None, high: float | None, metric: str) -> str:
    if low is None or high is None or low != low:
        return "—"
    fmt = "{:.1f}" if metric == "time_days" else "{:,.0f}"
    a, b = fmt.format(low), fmt.format(high)
    return a if a == b else f"{a}–{b}"


def _diff(r: CalibrationRow, unit: str = "") -> str:
    if r.diff is None:
        return "—"
    pct = "" if r.diff_pct is None else f" ({r.diff_pct:+.0f}%)"
    return f"{r.diff:+,.1f}{' ' + unit if unit else ''}{pct}"


def calibration_table(result: Calibration) -> Table:
    """Model vs published figures, one row each."""
    table = Table(title="Calibration: model vs published end-to-end figures", title_justify="left")
    for col in ("figure", "option", "published", "model", "diff", "ok", "in range", "source"):
        table.add_column(col)
    for r in result.rows:
        unit = _UNITS.get(r.metric, "")
        ok = "[green]yes[/green]" if r.within else "[red]no[/red]"
        table.add_row(
            f"{r.origin} → {r.destination} ({unit})",
            r.option,
            _fig(r.published_low, r.published_high, r.metric),
            _fig(r.model_low, r.model_high, r.metric),
            _diff(r, unit),
            "fitted" if r.fitted else ok,
            _yes_no(r.range_ok),
            r.source,
        )
    table.caption = _calibration_summary(result)
    return table


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _calibration_summary(result: Calibration) -> str:
    return (
        f"{result.n_checked_within} of {result.n_checked} checks within tolerance "
        f"({result.share_within:.0%}; km ±{result.km_tolerance:.0%}; days: model midpoint "
        f"±{result.time_tolerance:.0%}; cost ±{result.cost_tolerance:.0%}); "
        f"{len(result.rows) - result.n_checked} fitted rows not counted"
    )


def calibration_markdown(result: Calibration, sources: pd.DataFrame) -> str:
    """The calibration table as Markdown, with sources and explanations (docs/calibration.md)."""
    lines = [
        "# Calibration: the model beside published end-to-end figures",
        "",
        "Made by `corridors data calibrate --markdown` from `src/corridors/data/calibration.csv`.",
        "A length matches when within 10% of the published figure; a time when the model's",
        "midpoint is within 20% of the published midpoint (the strict rule; *in range* says",
        "whether the published range also lies inside the modelled low–high range); a cost",
        "(USD per TEU) when within 25% of the published range. Rows marked *fitted* were used",
        "to derive a model number (a rate per km, the liner port-call time) and are not counted.",
        "Rows where the model is off are kept, each with its reason.",
        "",
        f"**{_calibration_summary(result)}.**",
        "",
        "| figure | option | published | model | diff | ok | in range | source | why off / note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result.rows:
        unit = _UNITS.get(r.metric, "")
        src: dict[str, Any] | None = (
            {str(k): v for k, v in sources.loc[r.source].items()}
            if r.source in sources.index
            else None
        )
        cite = (
            f"[{src['publisher']} {int(src['year'])}]({src['url']})"
            if src is not None and src["url"]
            else r.source
        )
        why = r.explanation or r.error
        lines.append(
            f"| {r.origin} → {r.destination} ({unit}) | {r.option} | "
            f"{_fig(r.published_low, r.published_high, r.metric)} | "
            f"{_fig(r.model_low, r.model_high, r.metric)} | "
            f"{_diff(r)} | {'fitted' if r.fitted else ('yes' if r.within else '**no**')} | "
            f"{_yes_no(r.range_ok)} | {cite} | {why.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"
