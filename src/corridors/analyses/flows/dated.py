"""A flow as of a year: the capacity bound, the modelled dispatch, and the published actuals.

:func:`flow_at_year` is what ``corridors flow --year YYYY`` computes:

1. the network as of the year (:func:`corridors.model.years.at_year`: links that exist,
   capacities of that year, background flows subtracted), then the scenario;
2. the fleets the commodity shares with containers split between them
   (:mod:`corridors.analyses.flows.shared`);
3. the **bound**: the maximum flow (``basis = "bound"``): what the links could carry;
4. the **dispatch**: the least-cost flow against the year's demand (``basis =
   "dispatch"``): the demand rows of the exporting countries for the commodity, of the
   latest year not after the one asked for (:func:`year_demand`), each sink bounded by its
   demand;
5. the **actuals**: the published volumes of that year by route (``actuals.csv``), each with
   the route's flow in the bound and in the dispatch (:func:`actual_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pandas as pd

from corridors.analyses.flows.shared import Priority, fleet_shares, restrict_fleets
from corridors.analyses.flows.solve import FlowMode, flow
from corridors.io.dated_files import YearTables
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.model.years import at_year
from corridors.results.flow import ActualRow, Dispatch, FlowResult

__all__ = ["BOUND_NOTE", "DISPATCH_NOTE", "actual_rows", "flow_at_year", "year_demand"]

BOUND_NOTE = "capacity bound (max flow): what the links could carry, not what would flow"
DISPATCH_NOTE = (
    "modelled dispatch (least-cost flow against the demand of {year}): each market takes at "
    "most its demand"
)


def year_demand(
    net: Network, commodity: str, countries: set[str], year: int
) -> tuple[dict[str, float], int | None]:
    """Demand per destination node of ``commodity`` from ``countries``, and its year.

    The rows of the latest year not after ``year`` (the earliest year when all are later).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> d, y = year_demand(load(), "crude", {"KZ"}, 2023)
    >>> y, round(sum(d.values()), 1), round(d["market_china"], 1)
    (2023, 70.5, 1.2)
    """
    demand = net.demand
    if demand.empty:
        return {}, None
    origin = demand["origin"].map(net.nodes["country"])
    rows = demand[(demand["commodity"] == commodity) & origin.isin(countries)]
    rows = rows[rows["destination"].isin(net.nodes.index)]
    if rows.empty:
        return {}, None
    years = sorted({int(y) for y in rows["year"]})
    before = [y for y in years if y <= year]
    chosen = before[-1] if before else years[0]
    rows = rows[rows["year"].astype(int) == chosen]
    sums = rows.groupby("destination", sort=True)["amount"].sum()
    return {str(k): float(v) for k, v in sums.items()}, chosen


def _route_flow(
    result: FlowResult | Dispatch, net: Network, row: pd.Series, countries: set[str]
) -> float | None:
    """The model's volume on an actuals row's route (see ``scope`` in docs/energy-data.md)."""
    scope = str(row["scope"])
    if scope == "total":
        return result.delivered_total
    if scope.startswith("avoiding:"):
        return _avoiding(result, net, scope.split(":", 1)[1], countries)
    flows = {r.id: r.flow for r in result.links}
    ids = [x for x in str(row["links"]).split(";") if x]
    return sum(flows.get(x, 0.0) for x in ids)


def _avoiding(
    result: FlowResult | Dispatch, net: Network, country: str, countries: set[str]
) -> float:
    """Flow leaving ``countries`` on links that neither cross nor enter ``country``."""
    where = net.nodes["country"]
    total = 0.0
    for r in result.links:
        crossed = cast(tuple[str, ...], net.links.at[r.id, "countries"])
        leaves = where[r.from_id] in countries and where[r.to_id] not in countries
        if leaves and country not in crossed and where[r.to_id] != country:
            total += r.flow
    return total


def actual_rows(
    actuals: pd.DataFrame,
    commodity: str,
    countries: set[str],
    year: int,
    bound: FlowResult,
    dispatch: Dispatch | None,
    net: Network,
) -> list[ActualRow]:
    """The published volumes of ``year`` for ``commodity`` from ``countries``, with the model's."""
    rows = actuals[
        (actuals["commodity"] == commodity)
        & actuals["country"].isin(countries)
        & (actuals["year"] == year)
    ]
    return [
        ActualRow(
            id=str(r["id"]),
            route=str(r["route"]),
            year=int(r["year"]),
            published=float(r["amount"]),
            unit=str(r["unit"]),
            bound=_route_flow(bound, net, r, countries),
            dispatch=None if dispatch is None else _route_flow(dispatch, net, r, countries),
            sources=[s for s in str(r["sources"]).split(";") if s],
            note=str(r["note"]),
        )
        for _, r in rows.iterrows()
    ]


def flow_at_year(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    year: int,
    mode: FlowMode = "max",
    scenario: Scenario | None = None,
    reference: float | None = None,
    priority: Priority = "containers",
    tables: YearTables,
    keep_off: str | None = None,
) -> FlowResult:
    """The bound, the dispatch and the actuals of ``year`` (see the module docstring).

    ``tables`` are the dataset's tables by year
    (:func:`corridors.io.dated_files.read_year_tables`); ``keep_off`` minimises the volume
    across a country after the total (both solves).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.io.dated_files import read_year_tables
    >>> r = flow_at_year(load(), "crude", "KZ", year=2023, tables=read_year_tables())
    >>> r.basis, r.dispatch.basis, r.year
    ('bound', 'dispatch', 2023)
    >>> [a.id for a in r.actuals][:2]
    ['act_kz_crude_total_2023', 'act_kz_crude_bypass_2023']
    """
    dated, shared = tables.dated, tables.shared
    work = at_year(net, year, dated)
    if scenario is not None and not scenario.is_empty():
        work = apply_scenario(work, scenario)
    work = restrict_fleets(work, commodity, year, shared, dated, priority)
    bound = flow(work, commodity, sources, sinks, mode=mode, reference=reference, keep_off=keep_off)
    countries = set(bound.exports.countries) if bound.exports is not None else set()
    wanted, demand_year = year_demand(work, commodity, countries, year)
    if sinks is not None:
        named = set(bound.by_sink)
        wanted = {k: v for k, v in wanted.items() if k in named}
    dispatch = None
    if wanted:
        solved = flow(
            work,
            commodity,
            sources,
            sorted(wanted),
            mode="mincost",
            demand=wanted,
            reference=reference,
            keep_off=keep_off,
        )
        dispatch = Dispatch(
            basis_note=DISPATCH_NOTE.format(year=demand_year),
            delivered_total=solved.delivered_total,
            unit=solved.unit,
            demand_year=demand_year,
            sinks=solved.sinks,
            links=solved.links,
            fleets=fleet_shares(work, solved, year, shared, dated, priority),
            total_cost=solved.total_cost,
            cost_basis=solved.cost_basis,
        )
    actuals = actual_rows(tables.actuals, commodity, countries, year, bound, dispatch, work)
    return bound.model_copy(
        update={
            "basis": "bound",
            "basis_note": BOUND_NOTE,
            "year": year,
            "dispatch": dispatch,
            "actuals": actuals,
            "fleets": fleet_shares(work, bound, year, shared, dated, priority),
        }
    )
