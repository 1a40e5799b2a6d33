"""``corridors assign``: capacity-constrained assignment of the demand to routes.

Self-contained (it does not import :mod:`corridors.cli.app`, which registers it):
``app.command("assign")(assign_cmd)``. Input errors are raised as
:class:`~corridors.errors.CorridorsError` and turned into messages by ``app.main``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import RenderableType
from rich.text import Text

from corridors.cli.params import DataOpt, JsonTablesOpt, ScenarioOpt, YearOpt, dated_network
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, styled, titled_table
from corridors.model.network import load
from corridors.model.scenario_build import build_scenario

if TYPE_CHECKING:
    from corridors.analyses.assignment.solve import Assignment

__all__ = ["assign_cmd", "assign_tables"]


def _num(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.1%}"


def assign_tables(result: Assignment, top: int = 15) -> list[RenderableType]:
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
    for r in result.routes[:top]:
        routes.add_row(
            r.od, r.signature, _num(r.volume), _pct(r.share_of_od), _pct(r.share_of_total)
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
    for c in result.crossings[:top]:
        crossings.add_row(c.name, c.kind, c.countries, _num(c.volume), _pct(c.share))
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
    for p in result.published:
        published.setdefault(p.country or "(all)", []).append(
            (_pct(p.published), f"{p.metric} ({p.year}, {', '.join(p.sources)})")
        )
    countries = list(dict.fromkeys([*published, *list(result.transit_share)[:top]]))
    for code in countries:
        pub = published.get(code, [])
        if code == "(all)":
            transit, overland = "", f"rail {_pct(result.mode_share.get('rail', 0.0))}"
        else:
            transit = _pct(result.transit_share.get(code, 0.0))
            overland = _pct(result.overland_share.get(code, 0.0))
        shares.add_row(
            code, transit, overland, "\n".join(p for p, _ in pub), "\n".join(w for _, w in pub)
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
    for e in result.utilisation:
        if e.flow <= 0:
            continue
        use = e.utilisation
        full = use is not None and use >= 0.999
        util.add_row(
            e.id,
            e.kind,
            e.name,
            _num(e.capacity),
            _num(e.flow),
            styled(_pct(use), "bold red" if full else ""),
        )
    out.append(util)
    if result.unserved:
        unserved = titled_table(
            "Unserved demand",
            [("OD", "left"), ("demand", "right"), ("unserved", "right"), ("reason", "left")],
        )
        for left in result.unserved:
            unserved.add_row(left.od, _num(left.demand), _num(left.unserved), left.reason)
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
    year: YearOpt = None,
    top: Annotated[int, typer.Option(help="Rows of routes and crossings to show.")] = 15,
    as_json: JsonTablesOpt = False,
    data: DataOpt = None,
) -> None:
    """Assign the yearly demand to routes under link, crossing and ferry capacities."""
    from corridors.analyses.assignment.solve import assign

    scen = build_scenario(scenario or [])
    net = dated_network(load(data), year, scen.year, data)
    result = assign(net, commodity, scenario=None if scen.is_empty() else scen)
    console = render_console()
    if as_json:
        print_json(console, result.as_dict())
        return
    for table in assign_tables(result, top):
        console.print(table)
