"""``corridors assign``: capacity-constrained assignment of the demand to routes.

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("assign")(assign_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import RenderableType
from rich.text import Text

from corridors.cli.params import DataOpt, JsonTablesOpt, ScenarioOpt
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.model.network import load
from corridors.model.scenario import compose, load_scenario

if TYPE_CHECKING:
    from corridors.analyses.assignment.solve import Assignment

__all__ = ["assign_cmd", "assign_tables", "comparison_records"]


def _num(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.0f}"


def _pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.1%}"


def comparison_records(comparison: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows of :func:`corridors.analyses.assignment.solve.compare_published`."""
    return [
        {
            "id": r["id"],
            "metric": r["metric"],
            "country": r["country"],
            "published": None if pd.isna(r["share"]) else round(float(r["share"]), 6),
            "model": None if pd.isna(r["model"]) else round(float(r["model"]), 6),
            "year": r["year"],
            "source": r["source"],
            "note": r["note"],
        }
        for r in comparison.to_dict(orient="records")
    ]


def assign_tables(
    result: Assignment, comparison: pd.DataFrame, top: int = 15
) -> list[RenderableType]:
    """Rich tables for ``corridors assign``.

    Route shares, crossing shares, transit shares beside the published ones, utilisation
    of capacitated elements and unserved demand.
    """
    u = result.unit
    out: list[RenderableType] = [
        Text(
            f"{result.commodity} assignment on {result.scenario}: "
            f"{_num(result.demand_total)} {u} demand, {_num(result.assigned_total)} assigned, "
            f"{_num(result.unserved_total)} unserved; mean {result.mean_time_h / 24:.1f} days; "
            + ", ".join(f"{k} {_pct(v)}" for k, v in result.mode_share.items()),
            style="bold",
        )
    ]
    routes = titled_table(
        f"Routes (top {top} of {len(result.routes)})",
        [("OD", "left"), ("route", "left"), (u, "right"), ("of OD", "right"), ("of all", "right")],
    )
    for r in result.routes.head(top).to_dict(orient="records"):
        routes.add_row(
            str(r["od"]),
            str(r["signature"]),
            _num(r["volume"]),
            _pct(r["share_of_od"]),
            _pct(r["share_of_total"]),
        )
    out.append(routes)
    crossings = titled_table(
        f"Border crossings (top {top} of {len(result.crossings)})",
        [
            ("crossing", "left"),
            ("kind", "left"),
            ("countries", "left"),
            (u, "right"),
            ("share", "right"),
        ],
    )
    for r in result.crossings.head(top).to_dict(orient="records"):
        crossings.add_row(
            str(r["name"]), str(r["kind"]), str(r["countries"]), _num(r["volume"]), _pct(r["share"])
        )
    out.append(crossings)
    shares = titled_table(
        "Transit shares: model beside published",
        [
            ("country", "left"),
            ("transit (all)", "right"),
            ("overland", "right"),
            ("published", "right"),
            ("what", "left"),
        ],
    )
    published: dict[str, list[tuple[str, str]]] = {}
    for r in comparison.to_dict(orient="records"):
        published.setdefault(str(r["country"]) or "(all)", []).append(
            (_pct(float(r["share"])), f"{r['metric']} ({r['year']}, {r['source']})")
        )
    countries = list(dict.fromkeys([*published, *list(result.transit_share)[:top]]))
    for c in countries:
        pub = published.get(c, [])
        if c == "(all)":
            transit, overland = "", f"rail {_pct(result.mode_share.get('rail', 0.0))}"
        else:
            transit = _pct(result.transit_share.get(c, 0.0))
            overland = _pct(result.overland_share.get(c, 0.0))
        shares.add_row(
            c, transit, overland, "\n".join(p for p, _ in pub), "\n".join(w for _, w in pub)
        )
    out.append(shares)
    util = titled_table(
        "Capacitated elements carrying flow",
        [
            ("id", "left"),
            ("kind", "left"),
            ("name", "left"),
            ("capacity", "right"),
            (u, "right"),
            ("use", "right"),
        ],
    )
    for r in result.utilisation.to_dict(orient="records"):
        if r["flow"] <= 0:
            continue
        use = float(r["utilisation"])
        text = _pct(use)
        util.add_row(
            str(r["id"]),
            str(r["kind"]),
            str(r["name"]),
            _num(r["capacity"]),
            _num(r["flow"]),
            styled(text, "bold red" if use >= 0.999 else ""),
        )
    out.append(util)
    if len(result.unserved):
        unserved = titled_table(
            "Unserved demand",
            [("OD", "left"), ("demand", "right"), ("unserved", "right"), ("reason", "left")],
        )
        for r in result.unserved.to_dict(orient="records"):
            unserved.add_row(str(r["od"]), _num(r["demand"]), _num(r["unserved"]), str(r["reason"]))
        out.append(unserved)
    out.append(
        Text(
            "transit: share of the assigned volume crossing the country (not at its ends); "
            "overland: share of the volume on routes without a sea leg that passes the country. "
            "Generalized time only (no price): a system optimum, not a market split.",
            style="dim",
        )
    )
    return out


def assign_cmd(
    commodity: Annotated[str, typer.Option(help="Commodity id.")] = "container",
    scenario: ScenarioOpt = None,
    top: Annotated[int, typer.Option(help="Rows of routes and crossings to show.")] = 15,
    as_json: JsonTablesOpt = False,
    data: DataOpt = None,
) -> None:
    """Assign the yearly demand to routes under link, crossing and ferry capacities."""
    from corridors.analyses.assignment.solve import assign, compare_published, published_shares

    net = load(data)
    scen = compose([load_scenario(s) for s in scenario or []])
    result = assign(net, commodity, scenario=None if scen.is_empty() else scen)
    comparison = compare_published(result, published_shares(data))
    console = render_console()
    if as_json:
        print_json(console, result.as_dict() | {"published": comparison_records(comparison)})
        return
    for table in assign_tables(result, comparison, top):
        console.print(table)
