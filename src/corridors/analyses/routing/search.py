"""Multimodal routing: best route, K genuinely different alternatives, closures explained.

Shortest paths run in compiled code (``scipy.sparse.csgraph.dijkstra``) over a graph
compiled once per (network, commodity, objective) — see :mod:`corridors.model.graph` — so a
query costs one Dijkstra run plus turning the path into legs.

A route through ``via`` places arrives at each on some layer and leaves it by the place's
dwell or one of its transfers (:func:`corridors.analyses.routing.paths.via_path_edges`):
the via node's dwell and handling are paid, and the load never changes layer there without
a transfer.

Alternatives use the *penalty method* (de la Barra et al., 1993; Bovy 2009): after each
route is found, the weights of its links are raised by a factor and the search is run
again; a new route is kept only if it overlaps every route kept so far by at most
``max_overlap`` *on the ground* (:mod:`corridors.analyses.routing.overlap`: two sea lanes
to neighbouring ports are near-duplicates even though their link ids differ), and is not
a twin of a kept route (same corridor signature, length or time within
:data:`TWIN_TOLERANCE`). Routes through another corridor (other countries, sea passages or
modes) come first; routes through the same corridor by another border crossing fill the
list only when there are not ``k`` corridors. Routes are returned in order of their true
(unpenalised) weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from corridors.analyses.routing.legs import build_route
from corridors.analyses.routing.overlap import Footprint, footprint, route_overlap
from corridors.analyses.routing.paths import path_edges, via_path_edges
from corridors.errors import CorridorsError, NoRouteError
from corridors.model.graph import EdgeKind, Objective, _csr, compile_graph
from corridors.model.network import Network
from corridors.model.places import place_index, resolve_place
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.route import Route, RouteSet

__all__ = ["TWIN_TOLERANCE", "resolve", "route", "route_alternatives", "route_set"]

#: Two routes of one corridor signature whose length or mean time differ by less than
#: this fraction are twins: only the first is kept among alternatives.
TWIN_TOLERANCE = 0.02


def resolve(net: Network, name: str) -> str:
    """Node id for a place name, id or alias (cached index on the network).

    Raises
    ------
    UnknownPlaceError
        With close matches.
    """
    index = net.cache.get("place_index")
    if index is None:
        index = net.cache["place_index"] = place_index(net.nodes)
    return resolve_place(net.nodes, name, index)


def _closure_words(net: Network, kind: str, value: str) -> str:
    if kind == "countries":
        return f"crosses {value}"
    if kind == "passages":
        return f"passes the {value} passage"
    if kind == "modes":
        return f"uses {value}"
    if kind == "nodes":
        name = str(net.nodes.at[value, "name"]) if value in net.nodes.index else value
        return f"passes through {name}"
    return f"uses link {value}"


def _explain(net: Network, scenario: Scenario, a: str, b: str, commodity: str) -> NoRouteError:
    names = net.nodes["name"].astype(str)
    pair = f"{names[a]} to {names[b]}"
    base = compile_graph(net, commodity)
    if path_edges(base, base.node_pos[a], base.node_pos[b]) is None:
        return NoRouteError(
            f"no route from {pair} for {commodity}: the network does not connect them"
        )
    cutting: list[str] = []
    for kind, value in scenario.close.items():
        relaxed = apply_scenario(net, scenario.without(kind, value))
        g = compile_graph(relaxed, commodity)
        pa, pb = g.node_pos.get(a), g.node_pos.get(b)
        if pa is not None and pb is not None and path_edges(g, pa, pb) is not None:
            cutting.append(_closure_words(net, kind, value))
    if cutting:
        return NoRouteError(f"no route from {pair}: every route {' or '.join(cutting)}", cutting)
    closed = ", ".join(v for _, v in scenario.close.items())
    return NoRouteError(f"no route from {pair}: the closures together ({closed}) cut every route")


def _prepare(
    net: Network, origin: str, destination: str, scenario: Scenario | None
) -> tuple[Network, str, str, Scenario]:
    scenario = scenario or Scenario(name="baseline")
    a, b = resolve(net, origin), resolve(net, destination)
    if a == b:
        raise CorridorsError(
            f"origin and destination are the same place ({net.nodes.at[a, 'name']!s})"
        )
    for node in (a, b):
        country = net.nodes.at[node, "country"]
        if node in scenario.close.nodes or country in scenario.close.countries:
            raise NoRouteError(
                f"{net.nodes.at[node, 'name']!s} ({country!s}) is itself closed by the scenario"
            )
    return apply_scenario(net, scenario), a, b, scenario


def route(
    net: Network,
    origin: str,
    destination: str,
    *,
    commodity: str = "container",
    optimize: Objective | str = Objective.TIME,
    scenario: Scenario | None = None,
    via: Sequence[str] = (),
    value_of_time: float | None = None,
) -> Route:
    """The best route between two places.

    Parameters
    ----------
    net
        A validated network.
    origin, destination
        Place names, ids or aliases (``"Xi'an"``, ``"Dostyk"``, ``"Malaszewicze"``).
    commodity
        Commodity id (``container`` by default).
    optimize
        ``time`` (mean of low and high times), ``cost`` or ``distance``.
    scenario
        Closures, overrides and additions to apply first.
    via
        Places the route must pass, in order, as a load passes them: arriving, paying
        the place's dwell (or a transfer there, to change layer), leaving. A route
        through ``via`` is never better than the best route without it.
    value_of_time
        For ``optimize="generalized"``: USD per unit and day of transit (default: the
        commodity's ``value_of_time_usd_per_day``).

    Returns
    -------
    Route
        Legs, stops (dwells and transfers) and totals.

    Raises
    ------
    UnknownPlaceError
        For a name that matches no node.
    NoRouteError
        Naming the closure(s) that cut every route.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> r = route(net, "Chongqing", "Duisburg")
    >>> r.countries[0], r.countries[-1]
    ('CN', 'DE')
    >>> route(net, "Chongqing", "Duisburg", via=["Malaszewicze"]).time_h == r.time_h
    True
    """
    work, a, b, scenario = _prepare(net, origin, destination, scenario)
    through = _via_nodes(net, a, b, via, scenario)
    graph = compile_graph(work, commodity, optimize, value_of_time_per_day=value_of_time)
    ends = [a, *through, b]
    pos = [graph.node_pos.get(n) for n in ends]
    if any(p is None for p in pos):
        missing = next(n for n, p in zip(ends, pos, strict=True) if p is None)
        raise NoRouteError(f"{net.nodes.at[missing, 'name']!s} is not in the network")
    positions = [p for p in pos if p is not None]
    if not through:
        edges = path_edges(graph, positions[0], positions[1])
        if edges is None:
            raise _explain(net, scenario, a, b, commodity)
    else:
        found = via_path_edges(graph, positions)
        if isinstance(found, int):
            raise _via_error(net, scenario, ends, found, commodity)
        edges = found
    return build_route(work, graph, edges, a, b, scenario=scenario.name, via=through)


def _via_nodes(
    net: Network, a: str, b: str, via: Sequence[str], scenario: Scenario
) -> tuple[str, ...]:
    """Node ids of the via places, checked: none equal to the place before it, none closed."""
    through = tuple(resolve(net, v) for v in via)
    names = net.nodes["name"]
    for prev, node in pairwise((a, *through, b)):
        if prev == node:
            raise CorridorsError(f"--via {names[node]!s} repeats the place before it")
    for node in through:
        country = net.nodes.at[node, "country"]
        if node in scenario.close.nodes or country in scenario.close.countries:
            raise NoRouteError(f"{names[node]!s} ({country!s}) is itself closed by the scenario")
    return through


def _via_error(
    net: Network, scenario: Scenario, ends: Sequence[str], stage: int, commodity: str
) -> NoRouteError:
    """Why the route through the via places fails at ``stage``."""
    x, y = ends[stage], ends[stage + 1]
    work = apply_scenario(net, scenario)
    graph = compile_graph(work, commodity)
    if path_edges(graph, graph.node_pos[x], graph.node_pos[y]) is None:
        return _explain(net, scenario, x, y, commodity)
    names = net.nodes["name"]
    return NoRouteError(
        f"no route from {names[ends[0]]!s} to {names[ends[-1]]!s} through "
        f"{', '.join(str(names[v]) for v in ends[1:-1])}: a load reaching {names[x]!s} "
        f"cannot go on from there to {names[y]!s} (no transfer at {names[x]!s} between "
        "the layers it arrives and leaves on)"
        if stage > 0
        else f"no route from {names[x]!s} to {names[y]!s} for {commodity}"
    )


def _signature(route: Route) -> tuple[tuple[str, ...], ...]:
    """The corridor a route takes: countries, sea passages and modes, in order."""
    return (route.countries, route.passages, route.modes)


def _revisits(route: Route) -> bool:
    """Whether a route passes a place twice (a detour the penalties can make look cheap)."""
    places = [leg.from_id for leg in route.legs]
    return len(set(places)) < len(places) or route.destination_id in places


def _twins(a: Route, b: Route) -> bool:
    """Same corridor signature, and length or mean time within :data:`TWIN_TOLERANCE`."""
    if _signature(a) != _signature(b):
        return False
    close = [
        abs(x - y) <= TWIN_TOLERANCE * max(abs(x), abs(y), 1e-9)
        for x, y in ((a.length_km, b.length_km), (a.time_h.mean, b.time_h.mean))
    ]
    return any(close)


def route_alternatives(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    commodity: str = "container",
    optimize: Objective | str = Objective.TIME,
    scenario: Scenario | None = None,
    penalty: float = 0.5,
    max_overlap: float = 0.8,
    max_rounds: int | None = None,
    value_of_time: float | None = None,
) -> list[Route]:
    """Up to ``k`` genuinely different routes, best first (penalty method).

    Parameters
    ----------
    net, origin, destination, commodity, optimize, scenario, value_of_time
        As for :func:`route`.
    k
        How many routes at most.
    penalty
        Each time a link is on a found route its weight grows by this fraction.
    max_overlap
        A route sharing more than this fraction of its length with a kept route, on the
        ground (:func:`corridors.analyses.routing.overlap.route_overlap`), is dropped as
        a variant of it.
    max_rounds
        Searches at most (default ``8 * k``).

    Returns
    -------
    list of Route
        At least one route; fewer than ``k`` when the network has no more distinct ones.
    """
    if k < 1:
        raise CorridorsError("--alternatives must be at least 1")
    work, a, b, scenario = _prepare(net, origin, destination, scenario)
    graph = compile_graph(work, commodity, optimize, value_of_time_per_day=value_of_time)
    pa, pb = graph.node_pos.get(a), graph.node_pos.get(b)
    first = None if pa is None or pb is None else path_edges(graph, pa, pb)
    if first is None or pa is None or pb is None:
        raise _explain(net, scenario, a, b, commodity)
    found = [(first, build_route(work, graph, first, a, b, scenario=scenario.name))]
    cells: dict[str, dict[tuple[int, int], float]] = graph.extra.setdefault("leg_cells", {})
    shapes = [footprint(found[0][1], cells)]
    used = np.zeros(len(graph.weight))
    is_link = graph.kind == EdgeKind.LINK

    def penalise(edges: Sequence[int]) -> None:
        refs = {int(graph.ref[e]) for e in edges if is_link[e]}
        used[is_link & np.isin(graph.ref, list(refs))] += 1

    def distinct(candidate: Route, shape: Footprint, kept: list[Route]) -> bool:
        if _revisits(candidate):
            return False
        if any(route_overlap(shape, other) > max_overlap for other in shapes):
            return False
        return not any(_twins(candidate, r) for r in kept)

    penalise(first)
    variants: list[tuple[list[int], Route]] = []
    for _ in range(max_rounds or 8 * k):
        if len(found) >= k:
            break
        matrix, edge_of = _csr(
            graph.tail, graph.head, graph.weight * (1 + penalty * used), graph.n_vertices
        )
        edges = path_edges(graph, pa, pb, (matrix, edge_of))
        if edges is None:
            break
        penalise(edges)
        candidate = build_route(work, graph, edges, a, b, scenario=scenario.name)
        shape = footprint(candidate, cells)
        if not distinct(candidate, shape, [r for _, r in (*found, *variants)]):
            continue
        shapes.append(shape)
        if _signature(candidate) in {_signature(r) for _, r in found}:
            variants.append((edges, candidate))
        else:
            found.append((edges, candidate))
    found.extend(variants[: max(0, k - len(found))])
    weight = graph.weight
    found.sort(key=lambda item: float(weight[item[0]].sum()))
    return [r for _, r in found]


def route_set(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 1,
    commodity: str = "container",
    optimize: Objective | str = Objective.TIME,
    scenario: Scenario | None = None,
    via: Sequence[str] = (),
    value_of_time: float | None = None,
) -> RouteSet:
    """The best route (``k=1``, optionally ``via`` places) or up to ``k`` alternatives.

    One result shape for both: :class:`~corridors.results.route.RouteSet`, best first.

    Raises
    ------
    CorridorsError
        For ``via`` with ``k > 1`` (alternatives through given places are not searched),
        and as :func:`route` and :func:`route_alternatives` do.

    Examples
    --------
    >>> import corridors as cx
    >>> rs = route_set(cx.load(), "Shanghai", "Hamburg", k=3)
    >>> len(rs.routes), rs.origin_id, rs.destination_name
    (3, 'shanghai', 'Hamburg')
    """
    if k > 1 and via:
        raise CorridorsError("--via and --alternatives cannot be combined")
    if k == 1:
        best = route(
            net,
            origin,
            destination,
            commodity=commodity,
            optimize=optimize,
            scenario=scenario,
            via=via,
            value_of_time=value_of_time,
        )
        return RouteSet.of((best,))
    routes = route_alternatives(
        net,
        origin,
        destination,
        k=k,
        commodity=commodity,
        optimize=optimize,
        scenario=scenario,
        value_of_time=value_of_time,
    )
    return RouteSet.of(tuple(routes))
