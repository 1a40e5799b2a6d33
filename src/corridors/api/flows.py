"""Energy and freight volumes: maximum or least-cost flow, the assignment, scenario comparison."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

    from corridors.analyses.flows.solve import FlowResult
    from corridors.model.graph import Objective
    from corridors.model.network import Network
    from corridors.model.scenario import Scenario
    from corridors.results.assignment import Assignment
    from corridors.results.compare import Comparison


__all__ = ["assign", "compare", "flow"]


def flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: Literal["max", "mincost"] = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    reference: float | None = None,
) -> FlowResult:
    """Maximum flow (or its least-cost routing) of crude, gas or uranium, with the min cut.

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        ``crude``, ``gas`` or ``uranium`` (a commodity id of the network).
    sources
        Fields (names, ids or aliases) or ISO country codes, a list or a comma-separated
        string.
    sinks
        Nodes or ISO country codes; ``None``: every market the commodity's links reach.
    mode
        ``max`` (the most that can be delivered) or ``mincost`` (that volume at least
        cost).
    demand
        Volume wanted per sink, in the commodity's flow unit.
    scenario
        Applied to ``net`` first.
    reference
        Volume to set the delivered total against (default: the exporting countries'
        actual exports in the demand table, of the supply's year).

    Returns
    -------
    FlowResult
        Delivered volumes, link flows, the min cut, shadow prices of binding capacities,
        what is left unserved, and the export summary (routes out of the exporting
        countries, shortfall against the reference).

    Examples
    --------
    >>> import corridors as cx
    >>> r = flow(cx.load(), "crude", "KZ")
    >>> r.unit, r.delivered_total > 0
    ('Mt/yr', True)
    """
    from corridors.analyses.flows.solve import flow as flow_with_exports

    return flow_with_exports(
        net,
        commodity,
        sources,
        sinks,
        mode=mode,
        demand=demand,
        scenario=scenario,
        reference=reference,
    )


def assign(
    net: Network,
    commodity: str = "container",
    *,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
) -> Assignment:
    """Assign the yearly demand to routes under link, border and port capacities.

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        Commodity id (``container``: demand and capacities in TEU/yr).
    scenario
        Applied to ``net`` first.
    demand
        Rows ``origin``, ``destination``, ``amount`` (optionally ``unit``, ``modes``);
        ``None``: the network's demand table.

    Returns
    -------
    Assignment
        Routes with volumes and shares, border crossings, unserved demand, the
        utilisation of every capacitated element, and the published shares beside the
        model's.

    Examples
    --------
    >>> import corridors as cx
    >>> a = assign(cx.load())
    >>> a.unit, a.assigned_total + a.unserved_total == a.demand_total
    ('TEU/yr', True)
    """
    from corridors.analyses.assignment.solve import assign as assign_demand

    return assign_demand(net, commodity, scenario=scenario, demand=demand)


def compare(
    net: Network,
    scenario: Scenario,
    *,
    against: Scenario | None = None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    markets: Sequence[str] | None = None,
    objective: Objective | str = "time",
    commodities: Sequence[str] | None = None,
    assignment: bool = True,
) -> Comparison:
    """What a scenario changes: routes, energy deliveries, bottlenecks and exporters.

    Parameters
    ----------
    net
        A network from :func:`load`.
    scenario
        The scenario whose effect is wanted ("after"); :func:`compose` joins several.
    against
        What it is compared with ("before"); ``None``: the network as it is.
    od_pairs
        Origin–destination pairs to route; ``None``: the dataset's default pairs.
    markets
        Sinks of the energy flows; ``None``: every market the commodity's links reach.
    objective
        What routes minimise: ``time``, ``cost`` or ``distance``.
    commodities
        Energy commodities to solve flows for; ``None``: the dataset's defaults.
    assignment
        Whether to assign the demand before and after too (when the network has
        demand of containers).

    Returns
    -------
    Comparison
        The routes before and after with their differences, delivered volumes, new
        and relieved bottlenecks, exporters' losses and the assignment's change.

    Examples
    --------
    >>> import corridors as cx
    >>> red_sea = cx.load_scenario("red-sea-closed-2024")
    >>> c = compare(
    ...     cx.load(), red_sea, od_pairs=[("Shanghai", "Hamburg")], commodities=[], assignment=False
    ... )
    >>> bool((c.routes_frame()["delta_length_km"] >= 0).all())
    True
    """
    from corridors.analyses.compare.comparison import compare as compare_scenarios

    return compare_scenarios(
        net,
        scenario,
        against=against,
        od_pairs=od_pairs,
        markets=markets,
        objective=objective,
        commodities=commodities,
        assignment=assignment,
    )
