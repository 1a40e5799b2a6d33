"""A scenario beside the baseline (or another scenario): routes, assignment, energy.

:func:`compare` runs the same analyses twice, once per scenario, and returns a
:class:`corridors.results.compare.Comparison` that any face renders:

- **Routes**: for each origin–destination pair, the best route under each scenario (by
  time unless told otherwise) and under each way of going (the network's
  ``compare.options``): the two :class:`~corridors.results.route.Route` objects, their
  totals (time low/high, cost, distance), deltas, countries, modes and passages, and
  whether the route disappears (no route after), appears (no route before) or changes.
- **Assignment**: when the network has demand of the routed commodity, that demand is
  assigned under capacities (:func:`corridors.analyses.assignment.solve.assign`) before
  and after: assigned and unserved volumes, mean time, and the transit, overland, mode and
  route shares that change. A scenario that only adds capacity (the Middle Corridor
  upgrade under sanctions) changes no best route but shows here, as demand served.
- **Energy**: the maximum flow of each energy commodity (the network's
  ``compare.energy_commodities``: crude, gas) from the fields of the supply countries
  (``compare.supply_countries``) to every market: delivered per market before and after,
  the elements entering or leaving the min cut, and what each supply country delivers.

Pairs default to the pairs of the demand table's rows of the commodity, or when it has
none, to the network's ``compare.pairs``. A network without ``analysis_defaults.yaml``
needs ``corridors``, ``od_pairs``, ``commodities`` and ``supply_countries`` given.

Code
----
This module holds the public API; :mod:`.routes` routes the pairs under both scenarios
and :mod:`.energy` solves the energy flows under both and sets them side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from corridors.analyses.assignment.solve import assign
from corridors.analyses.compare.energy import energy_tables
from corridors.analyses.compare.routes import (
    compare_options,
    leg_lines,
    od_pairs_of,
    route_changes,
)
from corridors.analyses.routing.options import CorridorOption
from corridors.errors import CorridorsError
from corridors.model.analysis_defaults import missing
from corridors.model.graph import Objective
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.assignment import Assignment
from corridors.results.compare import (
    AssignmentChange,
    BottleneckChange,
    Comparison,
    DeliveredChange,
    EnergyTotal,
    ExporterChange,
    ScenarioMeta,
    ShareChange,
)

__all__ = ["Comparison", "compare", "compare_options", "od_pairs_of"]

BASELINE = Scenario(name="baseline")


def _meta(s: Scenario) -> ScenarioMeta:
    return ScenarioMeta(
        name=s.name,
        title=s.title,
        date=s.date,
        description=s.description.strip(),
        sources=s.sources,
    )


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with str keys and NaN as None."""
    return [
        {str(k): (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
        for r in df.to_dict(orient="records")
    ]


def _energy(
    net: Network,
    scenario: Scenario,
    against: Scenario,
    commodities: Sequence[str] | None,
    countries: Sequence[str] | None,
    markets: Sequence[str] | None,
) -> dict[str, Any]:
    section = net.defaults.compare if net.defaults is not None else None
    if commodities is None:
        if section is None:
            raise missing("compare.energy_commodities", "commodities")
        commodities = section.energy_commodities
    if countries is None and any(c in net.commodities.index for c in commodities):
        if section is None or not section.supply_countries:
            raise missing("compare.supply_countries", "supply_countries")
        countries = section.supply_countries
    delivered, totals, cuts, exporters, notes = energy_tables(
        net, scenario, against, list(commodities), list(countries or ()), markets
    )
    return {
        "delivered": tuple(DeliveredChange(**r) for r in _records(delivered)),
        "delivered_total": tuple(EnergyTotal(**r) for r in _records(totals)),
        "bottlenecks": tuple(BottleneckChange(**r) for r in _records(cuts)),
        "exporters": tuple(ExporterChange(**r) for r in _records(exporters)),
        "notes": tuple(notes),
    }


def _share_changes(before: Assignment, after: Assignment) -> tuple[ShareChange, ...]:
    def by_route(a: Assignment) -> dict[str, float]:
        out: dict[str, float] = {}
        for r in a.routes:
            out[r.signature] = out.get(r.signature, 0.0) + r.share_of_total
        return out

    rows: list[ShareChange] = []
    for metric, x, y in (
        ("transit_share", before.transit_share, after.transit_share),
        ("overland_share", before.overland_share, after.overland_share),
        ("mode_share", before.mode_share, after.mode_share),
        ("route_share", by_route(before), by_route(after)),
    ):
        for key in dict.fromkeys([*x, *y]):
            b, c = x.get(key, 0.0), y.get(key, 0.0)
            if abs(c - b) > 1e-6:
                rows.append(ShareChange(metric=metric, key=key, before=b, after=c, delta=c - b))  # type: ignore[arg-type]
    return tuple(sorted(rows, key=lambda r: (-abs(r.delta), r.metric, r.key)))


def _assignment_change(before: Assignment, after: Assignment) -> AssignmentChange:
    return AssignmentChange(
        commodity=after.commodity,
        unit=after.unit,
        demand_total=after.demand_total,
        assigned_before=before.assigned_total,
        assigned_after=after.assigned_total,
        delta_assigned=after.assigned_total - before.assigned_total,
        unserved_before=before.unserved_total,
        unserved_after=after.unserved_total,
        delta_unserved=after.unserved_total - before.unserved_total,
        mean_time_h_before=before.mean_time_h,
        mean_time_h_after=after.mean_time_h,
        shares=_share_changes(before, after),
    )


def _assignments(
    net: Network, commodity: str, scenarios: tuple[Scenario, Scenario]
) -> tuple[Assignment | None, Assignment | None, str]:
    demand = net.demand
    if not len(demand) or "commodity" not in demand or not (demand["commodity"] == commodity).any():
        return None, None, ""
    try:
        before, after = (assign(net, commodity, scenario=s) for s in scenarios)
    except CorridorsError as exc:
        return None, None, f"{commodity} assignment not compared: {exc}"
    return before, after, ""


def compare(
    net: Network,
    scenario: Scenario,
    *,
    against: Scenario | None = None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    markets: Sequence[str] | None = None,
    objective: Objective | str = Objective.TIME,
    corridors: Sequence[CorridorOption] | None = None,
    commodities: Sequence[str] | None = None,
    supply_countries: Sequence[str] | None = None,
    commodity: str = "container",
    assignment: bool = True,
) -> Comparison:
    """Compare ``scenario`` with the baseline (or with ``against``).

    Parameters
    ----------
    net
        A validated network.
    scenario
        The scenario whose effect is wanted ("after").
    against
        What it is compared with ("before"); ``None``: the network as it is.
    od_pairs
        Origin–destination pairs (names, aliases or ids) to route; ``None``: see
        :func:`od_pairs_of`. An unknown place raises.
    markets
        Sinks of the energy flows (names, ids or country codes); ``None``: every market
        the commodity's links reach.
    objective
        What routes minimise: ``time`` (default), ``cost`` or ``distance``.
    corridors
        The ways of going each pair is routed under; ``None``: the network's
        ``compare.options`` (:func:`compare_options`). Each option's closures are added
        to both scenarios.
    commodities
        Energy commodities to solve flows for (those the network lacks are skipped);
        ``None``: the network's ``compare.energy_commodities``.
    supply_countries
        Countries whose fields supply the flows; ``None``: ``compare.supply_countries``.
    commodity
        What the pairs route and the assignment assigns.
    assignment
        Whether to assign the network's demand of ``commodity`` (when it has any) before
        and after.

    Returns
    -------
    Comparison
        Routes (kept), assignment, delivered volumes, new bottlenecks, exporters.

    Raises
    ------
    UnknownPlaceError
        For a pair naming a place the network does not have.
    ScenarioError
        If either scenario names links, nodes or passages the network does not have.
    CorridorsError
        If a default is needed that the network does not have.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> c = compare(net, cx.load_scenario("red-sea-closed-2024"),
    ...             od_pairs=[("Shanghai", "Rotterdam")], commodities=(), assignment=False)
    >>> row = next(r for r in c.routes if r.corridor == "sea")
    >>> row.status, "suez" in row.before.passages, "cape" in row.after.passages
    ('changed', True, True)
    >>> bool(row.delta_time_mean_h > 0), c.features()[0]["properties"]["side"]
    (True, 'before')
    """
    against = against or BASELINE
    objective = Objective(objective).value
    # apply both first, so that unknown ids fail before any routing
    nets = (apply_scenario(net, against), apply_scenario(net, scenario))
    pairs = list(od_pairs) if od_pairs is not None else od_pairs_of(net, commodity)
    options = tuple(corridors) if corridors is not None else compare_options(net) if pairs else ()
    routes = route_changes(net, pairs, scenario, against, objective, options)
    before, after, why = (
        _assignments(net, commodity, (against, scenario)) if assignment else (None, None, "")
    )
    energy = _energy(net, scenario, against, commodities, supply_countries, markets)
    return Comparison(
        scenario=_meta(scenario),
        against=_meta(against),
        objective=objective,
        routes=routes,
        assignment=None if before is None or after is None else _assignment_change(before, after),
        assignment_before=before,
        assignment_after=after,
        lines=leg_lines(nets, routes),
        **(energy | {"notes": (*([why] if why else []), *energy["notes"])}),
    )
