"""Capacity-aware flows of crude and gas: maximum flow, least-cost flow and the min cut.

The flow problem is a linear programme over the edges of the compiled graph
(:mod:`corridors.model.graph`), kept as one ``highspy`` model (:mod:`.problem`) and solved
by HiGHS's dual simplex, so solutions are basic and flows on a network matrix are exact.

Network the LP runs on
----------------------
The graph routing uses (:func:`corridors.model.graph.compile_graph`): an arrival and a
departure vertex per ``(node, layer)`` that a usable link touches, joined by a free dwell
arc. A load changes layer at a node only where
the ``transfers`` table offers it (crude from ``oil_pipeline`` to ``tanker`` at a terminal,
tank cars to tankers at Aktau), and a transfer's capacity bounds it. Plain node-based
conservation was rejected: it would let crude skip the loading capacities the energy
data records at Aktau, Batumi, Kulevi and the CPC terminal.

- **Which links**: operating links whose mode carries the commodity
  (:func:`corridors.model.costs.usable_links`), except that a link of a mode shared with
  other commodities (``rail``, ``sea`` for crude) is used only where its ``commodities``
  column names the commodity explicitly (the crude-by-rail lines). A container railway
  or a container sea lane has a capacity in TEU or none at all; letting crude onto it
  would send unbounded crude round the container network (see :func:`flow_links`).
- **Links**: one flow variable per usable direction (forward only for ``direction =
  forward``), bounded by the link's capacity converted to the commodity's unit with
  :func:`corridors.units.convert`. A ``both`` link has two variables, each bounded by the
  capacity (the max-flow value is the same as with a shared bound; reported flows are
  netted). A link with no capacity, or a capacity in a unit of another dimension (a rail
  line's TEU/yr for crude), is unbounded; those that carry flow are listed in
  ``FlowResult.uncapacitated``.
- **Sources**: a supply variable per source field, bounded by the field's capacity; it
  may enter any layer present at the field. A field without a capacity supplies without
  bound (limited by the links leaving it).
- **Sinks**: an intake variable per sink, bounded by the node's capacity (where given in
  a compatible unit) and by the demand (where a demand is given, a sink it does not name
  takes nothing); it drains every layer at the node.
- **Other nodes**: flow is conserved at every vertex. Capacities of intermediate nodes
  (a terminal's handling capacity) are not applied; the transfers carry them.

Objectives
----------
``max``: maximise the total delivered; then, with the total fixed, minimise the number
of link and transfer flow units (removes circulations and detours, also when nothing is
delivered: a result never carries a circulation). ``mincost``: maximise the total
delivered; then, with the total fixed, minimise the cost (lexicographic, in the same
highspy model). A unit's cost on a link is the one rule of :mod:`corridors.model.costs`;
where some usable link has no cost (its mode has no rate for the commodity, as for crude
by rail), there is no fallback to another rate: every link is then priced by its length
(``cost_basis = "km"``, transfers free) and ``cost_note`` names the modes without a rate.
Transfers add their ``cost_usd`` on the USD basis.

Shadow prices come from the duals of the max-flow stage (see :mod:`corridors.results.flow`).
When nothing can be delivered because no usable path joins the ends, ``no_path`` says
what is missing.

The min cut is read from the residual network of the max-flow solution: the vertices
reachable from the super source, and the saturated arcs leaving them (links, transfers,
a source's supply limit, a sink's intake limit). Its capacity equals the maximum flow.

Code
----
This module holds the public API; :mod:`.ends` reads the sources, sinks and demand,
:mod:`.problem` builds the highspy model once (:func:`flow_problem` gives it to sweeps),
:mod:`.read` turns a solution into a :class:`~corridors.results.flow.FlowResult`,
:mod:`.cut` finds the min cut (and a path without capacity), and :mod:`.export_routes`
the export summary of :func:`flow`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from corridors.analyses.flows.avoid import crossing_columns, solve_keeping_off
from corridors.analyses.flows.cut import unbounded_path
from corridors.analyses.flows.ends import Ends, flow_ends
from corridors.analyses.flows.export_routes import export_summary
from corridors.analyses.flows.netflow import solve_problem
from corridors.analyses.flows.problem import FlowProblem, build_problem
from corridors.analyses.flows.read import read_result
from corridors.errors import CorridorsError
from corridors.model.costs import flow_unit, usable_links
from corridors.model.graph import Objective, compile_graph
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.flow import CutElement, FlowResult

__all__ = [
    "CutElement",
    "FlowResult",
    "flow",
    "flow_links",
    "flow_problem",
    "flow_unit",
    "max_flow",
    "min_cost_flow",
    "solve_flow",
]

FlowMode = Literal["max", "mincost"]


def flow_links(net: Network, commodity: str) -> pd.DataFrame:
    """Links a flow of ``commodity`` may use (:func:`corridors.model.costs.usable_links`).

    On the commodity's ``tagged_modes`` only links whose ``commodities`` names it (crude by
    rail, the Aktau-Alat rail ferry for crude tank cars and uranium, the uranium rail and
    sea legs).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> links = flow_links(load(), "crude")
    >>> sorted(set(links["mode"]))
    ['ferry', 'oil_pipeline', 'rail', 'tanker']
    """
    return usable_links(net, commodity)


def flow_problem(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    demand: Mapping[str, float] | None = None,
) -> tuple[FlowProblem, Ends]:
    """The highspy flow model and its resolved ends, built once (for sweeps and warm solves).

    Close an element with ``problem.set_upper(problem.columns_of(Arc.LINK, id), 0.0)`` and
    call ``problem.solve()`` again: HiGHS starts from the last basis.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.analyses.flows.problem import Arc
    >>> p, ends = flow_problem(load(), "crude", "KZ")
    >>> base = p.solve().total
    >>> p.set_upper(p.columns_of(Arc.LINK, "oil_cpc_atyrau_terminal"), 0.0)
    >>> p.solve().total < base - 10
    True
    """
    unit = flow_unit(net, commodity)
    g = compile_graph(net, commodity, Objective.DISTANCE)
    in_graph = set(g.links["from"]) | set(g.links["to"])
    ends = flow_ends(net, commodity, unit, in_graph, sources, sinks, demand)
    return build_problem(g, ends.supply, ends.intake), ends


def solve_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: FlowMode = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow (and, in ``mincost`` mode, its least-cost routing) from sources to sinks.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id (``crude``, ``gas``, ``uranium``); only operating links whose mode
        carries it are used.
    sources
        Fields (names, ids, aliases), countries (ISO codes or English names: every field
        there that supplies the commodity) or regions (``Central Asia``); a list or a
        comma-separated string.
    sinks
        Nodes (any kind), countries or regions (every market node there that the
        commodity's links reach); ``None``: the nodes named in ``demand`` when given, else
        every market node the links reach.
    mode
        ``max`` or ``mincost`` (see the module docstring).
    demand
        Volume wanted per sink (name or id), in the commodity's flow unit; bounds each
        sink's intake (a sink without demand takes nothing), and what is not met is
        reported on the sink rows.
    scenario
        Applied to ``net`` first.

    Returns
    -------
    FlowResult
        Delivered volumes, link flows with shadow prices, the min cut, unserved demand.

    Raises
    ------
    CorridorsError
        On an unknown commodity, place or mode; a source that is not a field, supplies
        another commodity or has capacity 0; a country or region without fields (sources)
        or markets (sinks); or a flow without bound (a path with no capacity anywhere,
        named). Ends that no usable link reaches are kept, get 0 and are named in
        ``no_path``.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import from_frames
    >>> net = from_frames({
    ...     "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"],
    ...                              "year": [2024]}),
    ...     "commodities": pd.DataFrame({"id": ["gas"], "name": ["Gas"], "unit": ["bcm/yr"],
    ...                                  "modes": ["gas_pipeline"]}),
    ...     "nodes": pd.DataFrame({
    ...         "id": ["f", "m"], "name": ["Field", "Market"], "kind": ["field", "market"],
    ...         "country": ["TM", "CN"], "lat": [38.0, 40.0], "lon": [62.0, 75.0],
    ...         "capacity": [12.0, None], "capacity_unit": ["bcm/yr", ""], "sources": ["s", "s"]}),
    ...     "links": pd.DataFrame({
    ...         "id": ["fm"], "from": ["f"], "to": ["m"], "mode": ["gas_pipeline"],
    ...         "length_km": [1500.0], "capacity": [30.0], "capacity_unit": ["mcm/day"],
    ...         "countries": ["TM;UZ;KZ;CN"], "status": ["operating"], "direction": ["forward"],
    ...         "sources": ["s"]}),
    ... })
    >>> r = solve_flow(net, "gas", "TM", "Market")
    >>> round(r.delivered_total, 3), [(c.id, c.shadow_price) for c in r.min_cut]
    (10.95, [('fm', 1.0)])
    >>> round(r.sources[0].unused, 3)
    1.05
    """
    return _solve(net, commodity, sources, sinks, mode, demand, scenario)[0]


def _solve(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None,
    mode: FlowMode,
    demand: Mapping[str, float] | None,
    scenario: Scenario | None,
    keep_off: str | None = None,
) -> tuple[FlowResult, Ends, Network]:
    if mode not in ("max", "mincost"):
        raise CorridorsError(f"unknown flow mode {mode!r} (known: max, mincost)")
    flow_unit(net, commodity)
    if scenario is not None:
        net = apply_scenario(net, scenario)
    problem, ends = flow_problem(net, commodity, sources, sinks, demand=demand)
    path = unbounded_path(problem, net)
    if path is not None:
        raise CorridorsError(
            f"the {commodity} flow is unbounded: no capacity anywhere on "
            + " → ".join(path)
            + ". Give that path a capacity, or pass a demand."
        )
    if keep_off:
        solution = solve_keeping_off(problem, crossing_columns(problem, net, keep_off), mode)
    else:
        solution = solve_problem(problem, mode)  # the LP, or network flow for large problems
    return read_result(net, problem, ends, solution, mode), ends, net


def flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: FlowMode = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    reference: float | None = None,
    keep_off: str | None = None,
) -> FlowResult:
    """:func:`solve_flow` with its export summary: routes out of the exporting countries.

    The exporting countries are those of the sources as given (a country, the members of a
    region, a field's country). The reference is ``reference`` when given, else the
    countries' actual exports in the demand table (towards the sinks when they were named),
    of the year the sources' supply capacities refer to where the table has it
    (:func:`corridors.analyses.flows.export_routes.reference_exports`). ``keep_off`` (an ISO
    country code): with the total delivered held, the least volume on links crossing or
    entering that country first, then the mode's second objective (:mod:`.avoid`).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> r = flow(load(), "crude", "KZ")
    >>> r.exports.countries, r.exports.reference_year, r.exports.supply_years
    (['KZ'], 2022, [2022])
    """
    result, ends, work = _solve(net, commodity, sources, sinks, mode, demand, scenario, keep_off)
    named = ends.sinks if sinks is not None else None
    summary = export_summary(work, result, ends.countries, ends.sources, named, reference)
    basis = "bound" if demand is None else "dispatch"
    note = (
        "capacity bound (max flow): what the links could carry, not what would flow"
        if demand is None
        else "flow against the demand given: each sink takes at most its demand"
    )
    if keep_off:
        note += f"; then the least volume across {keep_off}"
    update = {"exports": summary, "basis": basis, "basis_note": note, "keep_off": keep_off or ""}
    return result.model_copy(update=update)


def max_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow of ``commodity`` from ``sources`` to ``sinks`` (see :func:`solve_flow`).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> r = max_flow(load(), "gas", "AZ", "market_turkey")
    >>> r.unit, r.delivered_total > 0
    ('bcm/yr', True)
    """
    return solve_flow(net, commodity, sources, sinks, mode="max", scenario=scenario)


def min_cost_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Deliver the most possible (up to ``demand``) at least cost (see :func:`solve_flow`)."""
    return solve_flow(
        net, commodity, sources, sinks, mode="mincost", demand=demand, scenario=scenario
    )
