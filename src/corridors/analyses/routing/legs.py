"""Turn a path (edges of a compiled graph) into a :class:`~corridors.results.route.Route`.

Routing builds many routes (alternatives, options, comparisons), so the parts are cheap:
a :class:`~corridors.results.route.Leg` depends only on the edge travelled (link and
direction), and is built once per edge and graph, then shared by every route that uses
it (the models are frozen); stops are built with ``model_construct`` from prebuilt
records. Geometry comes from :mod:`corridors.model.geometry`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corridors.model.geometry import link_line, node_point
from corridors.model.graph import CompiledGraph, EdgeKind
from corridors.model.network import Network
from corridors.results.base import LineString
from corridors.results.route import Leg, Range, Route, Stop

__all__ = ["build_route"]


def _leg(net: Network, graph: CompiledGraph, edge: int) -> Leg:
    """The leg of a link edge, built once per edge and graph."""
    cache: dict[int, Leg] = graph.extra.setdefault("legs", {})
    leg = cache.get(edge)
    if leg is not None:
        return leg
    i = int(graph.ref[edge])
    link_id, name, start, mode, layer, countries, passages, sources, time_source = (
        graph.link_records()[i]
    )
    a = int(graph.vertex_node[graph.tail[edge]])
    b = int(graph.vertex_node[graph.head[edge]])
    a_id, b_id = graph.node_ids[a], graph.node_ids[b]
    cost = float(graph.cost[edge])
    co2 = float(graph.co2[edge])
    line = link_line(net, str(link_id), start=a_id)
    leg = cache[edge] = Leg.model_construct(
        link_id=str(link_id),
        link_name=str(name),
        from_id=a_id,
        from_name=graph.node_names[a],
        to_id=b_id,
        to_name=graph.node_names[b],
        from_lonlat=line[0],
        to_lonlat=line[-1],
        mode=str(mode),
        layer=str(layer),
        countries=tuple(countries) if a_id == start else tuple(reversed(countries)),
        passages=tuple(passages) if a_id == start else tuple(reversed(passages)),
        length_km=float(graph.length[edge]),
        time_h=Range.of(float(graph.time_low[edge]), float(graph.time_high[edge])),
        wait_h=float(graph.link_wait[i]),
        cost_usd=None if np.isnan(cost) else cost,
        co2_kg=None if np.isnan(co2) else co2,
        sources=tuple(sources),
        time_source=str(time_source),
        geometry=LineString.model_construct(type="LineString", coordinates=line),
    )
    return leg


def _stop(net: Network, graph: CompiledGraph, edge: int, after_leg: int) -> Stop | None:
    """The stop of a dwell or transfer edge (None for a dwell of no time)."""
    kind = EdgeKind(int(graph.kind[edge]))
    tail, head = int(graph.tail[edge]), int(graph.head[edge])
    node = int(graph.vertex_node[tail])
    lo, hi = float(graph.time_low[edge]), float(graph.time_high[edge])
    if kind is EdgeKind.DWELL:
        if hi <= 0:
            return None
        kind_name, sources, cost = "dwell", tuple[str, ...](), 0.0
    else:
        kind_name, sources = graph.transfer_records()[int(graph.ref[edge])]
        cost = float(graph.cost[edge])
    node_id = graph.node_ids[node]
    return Stop.model_construct(
        node_id=node_id,
        node_name=graph.node_names[node],
        lonlat=node_point(net, node_id),
        kind=kind_name,
        from_layer=graph.vertex_layer[tail],
        to_layer=graph.vertex_layer[head],
        time_h=Range.of(lo, hi),
        cost_usd=cost,
        sources=sources,
        after_leg=after_leg,
    )


def build_route(
    net: Network,
    graph: CompiledGraph,
    edges: Sequence[int],
    origin: str,
    destination: str,
    *,
    scenario: str,
    via: Sequence[str] = (),
) -> Route:
    """The route along ``edges`` from node ``origin`` to node ``destination`` (ids).

    ``net`` is the network the graph was compiled from (after any scenario): it gives the
    geometry of legs and stops.
    """
    legs: list[Leg] = []
    stops: list[Stop] = []
    kinds = graph.kind
    for e in edges:
        kind = int(kinds[e])
        if kind == EdgeKind.LINK:
            legs.append(_leg(net, graph, e))
        elif kind != EdgeKind.TERMINAL:
            stop = _stop(net, graph, e, len(legs) - 1)
            if stop is not None:
                stops.append(stop)
    names = graph.node_names
    return Route.model_construct(
        origin_id=origin,
        origin_name=names[graph.node_pos[origin]],
        destination_id=destination,
        destination_name=names[graph.node_pos[destination]],
        commodity=graph.commodity,
        objective=graph.objective.value,
        scenario=scenario,
        via=tuple(via),
        legs=tuple(legs),
        stops=tuple(stops),
    )
