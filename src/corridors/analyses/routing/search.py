"""Multimodal routing: best route, K genuinely different alternatives, closures explained.

Shortest paths run in compiled code (``scipy.sparse.csgraph.dijkstra``) over a graph
compiled once per (network, commodity, objective) — see :mod:`corridors.model.graph` — so a
query costs one Dijkstra run plus turning the path into legs.

Alternatives use the *penalty method* (de la Barra et al., 1993; Bovy 2009): after each
route is found, the weights of its links are raised by a factor and the search is run
again; a new route is kept only if it shares less than ``max_overlap`` of its length with
every route kept so far, so the routes differ in substance rather than by a detour of a
few km. Routes through another corridor (other countries, sea passages or modes) come
first; routes through the same corridor by another border crossing fill the list only when
there are not ``k`` corridors. Routes are returned in order of their true (unpenalised)
weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.errors import CorridorsError, NoRouteError
from corridors.model.graph import CompiledGraph, EdgeKind, Objective, _csr, compile_graph
from corridors.model.network import Network
from corridors.model.places import place_index, resolve_place
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.route import Leg, Range, Route, Stop

__all__ = ["resolve", "route", "route_alternatives"]


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


def _path_edges(
    graph: CompiledGraph,
    origin: int,
    destination: int,
    weights: tuple[sp.csr_matrix, dict[tuple[int, int], int]] | None = None,
) -> list[int] | None:
    """Edges of the shortest path between two node positions, or None (the one kernel)."""
    s, t = int(graph.source_vertex[origin]), int(graph.sink_vertex[destination])
    if s < 0 or t < 0:
        return None
    if weights is None:
        edge_of = graph.edge_of
        dist, pred = graph.tree(s)
    else:
        matrix, edge_of = weights
        dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return None
    vertices = [t]
    while vertices[-1] != s:
        vertices.append(int(pred[vertices[-1]]))
    vertices.reverse()
    return [edge_of[(a, b)] for a, b in pairwise(vertices)]


def _leg(graph: CompiledGraph, edge: int) -> Leg:
    i = int(graph.ref[edge])
    link_id, name, start, mode, layer, countries, passages, sources, time_source = (
        graph.link_records()[i]
    )
    a = int(graph.vertex_node[graph.tail[edge]])
    b = int(graph.vertex_node[graph.head[edge]])
    cost = float(graph.cost[edge])
    return Leg(
        link=str(link_id),
        name=str(name),
        from_id=graph.node_ids[a],
        from_name=graph.node_names[a],
        to_id=graph.node_ids[b],
        to_name=graph.node_names[b],
        mode=str(mode),
        layer=str(layer),
        countries=tuple(countries) if graph.node_ids[a] == start else tuple(reversed(countries)),
        passages=tuple(passages),
        length_km=float(graph.length[edge]),
        time_h=Range(float(graph.time_low[edge]), float(graph.time_high[edge])),
        wait_h=float(graph.link_wait[i]),
        cost_usd=None if np.isnan(cost) else cost,
        sources=tuple(sources),
        time_source=str(time_source),
    )


def _stop(graph: CompiledGraph, edge: int) -> Stop | None:
    kind = EdgeKind(int(graph.kind[edge]))
    tail, head = int(graph.tail[edge]), int(graph.head[edge])
    node = int(graph.vertex_node[tail])
    time = Range(float(graph.time_low[edge]), float(graph.time_high[edge]))
    if kind is EdgeKind.DWELL:
        if time.high <= 0:
            return None
        return Stop(graph.node_ids[node], graph.node_names[node], "dwell", "", "", time, 0.0, ())
    kind_name, sources = graph.transfer_records()[int(graph.ref[edge])]
    return Stop(
        node=graph.node_ids[node],
        name=graph.node_names[node],
        kind=kind_name,
        from_layer=graph.vertex_layer[tail],
        to_layer=graph.vertex_layer[head],
        time_h=time,
        cost_usd=float(graph.cost[edge]),
        sources=sources,
    )


def _build(
    graph: CompiledGraph, edges: Sequence[int], origin: str, destination: str, scenario: str
) -> Route:
    legs: list[Leg] = []
    stops: list[Stop] = []
    steps: list[Leg | Stop] = []
    for e in edges:
        kind = int(graph.kind[e])
        if kind == EdgeKind.LINK:
            leg = _leg(graph, e)
            legs.append(leg)
            steps.append(leg)
        elif kind in (EdgeKind.DWELL, EdgeKind.TRANSFER):
            stop = _stop(graph, e)
            if stop is not None:
                stops.append(stop)
                steps.append(stop)
    return Route(
        origin=origin,
        destination=destination,
        objective=graph.objective.value,
        commodity=graph.commodity,
        scenario=scenario,
        legs=tuple(legs),
        stops=tuple(stops),
        steps=tuple(steps),
    )


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
    if _path_edges(base, base.node_pos[a], base.node_pos[b]) is None:
        return NoRouteError(
            f"no route from {pair} for {commodity}: the network does not connect them"
        )
    cutting: list[str] = []
    for kind, value in scenario.close.items():
        relaxed = apply_scenario(net, scenario.without(kind, value))
        g = compile_graph(relaxed, commodity)
        pa, pb = g.node_pos.get(a), g.node_pos.get(b)
        if pa is not None and pb is not None and _path_edges(g, pa, pb) is not None:
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
        Places the route must pass, in order.
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
    >>> r = route(cx.load(), "Chongqing", "Duisburg")
    >>> r.countries[0], r.countries[-1]
    ('CN', 'DE')
    """
    work, a, b, scenario = _prepare(net, origin, destination, scenario)
    stops = [a, *(resolve(net, v) for v in via), b]
    graph = compile_graph(work, commodity, optimize, value_of_time_per_day=value_of_time)
    edges: list[int] = []
    for x, y in pairwise(stops):
        px, py = graph.node_pos.get(x), graph.node_pos.get(y)
        found = None if px is None or py is None else _path_edges(graph, px, py)
        if found is None:
            raise _explain(net, scenario, x, y, commodity)
        edges.extend(found)
    return _build(
        graph, edges, str(net.nodes.at[a, "name"]), str(net.nodes.at[b, "name"]), scenario.name
    )


def _signature(route: Route) -> tuple[tuple[str, ...], ...]:
    """The corridor a route takes: countries, sea passages and modes, in order."""
    return (route.countries, route.passages, route.modes)


def _weighted_length(route: Route) -> dict[str, float]:
    return {leg.link: leg.length_km + 1e-9 for leg in route.legs}


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    shared = sum(v for k, v in a.items() if k in b)
    return shared / max(min(sum(a.values()), sum(b.values())), 1e-9)


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
        A route sharing more than this fraction of its length with a kept route is
        dropped as a variant of it.
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
    first = None if pa is None or pb is None else _path_edges(graph, pa, pb)
    if first is None or pa is None or pb is None:
        raise _explain(net, scenario, a, b, commodity)
    names = net.nodes["name"].astype(str)
    found = [(first, _build(graph, first, names[a], names[b], scenario.name))]
    used = np.zeros(len(graph.weight))
    is_link = graph.kind == EdgeKind.LINK

    def penalise(edges: Sequence[int]) -> None:
        refs = {int(graph.ref[e]) for e in edges if is_link[e]}
        used[is_link & np.isin(graph.ref, list(refs))] += 1

    penalise(first)
    variants: list[tuple[list[int], Route]] = []
    for _ in range(max_rounds or 8 * k):
        if len(found) >= k:
            break
        matrix, edge_of = _csr(
            graph.tail, graph.head, graph.weight * (1 + penalty * used), graph.n_vertices
        )
        edges = _path_edges(graph, pa, pb, (matrix, edge_of))
        if edges is None:
            break
        penalise(edges)
        candidate = _build(graph, edges, names[a], names[b], scenario.name)
        shape = _weighted_length(candidate)
        kept = [r for _, r in (*found, *variants)]
        if any(_overlap(shape, _weighted_length(r)) > max_overlap for r in kept):
            continue
        if _signature(candidate) in {_signature(r) for _, r in found}:
            variants.append((edges, candidate))
        else:
            found.append((edges, candidate))
    found.extend(variants[: max(0, k - len(found))])
    weight = graph.weight
    found.sort(key=lambda item: float(weight[item[0]].sum()))
    return [r for _, r in found]
