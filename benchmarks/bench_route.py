"""Route-query latency on the default network, against NetworkX in the same run.

For the same random city/port pairs on the same compiled graph it times:

- ``corridors.route``: a full warm query (names resolved, path found, legs and stops built);
- the same query turned into its JSON form (``as_dict()``);
- the same full query with NetworkX's ``dijkstra_path`` as the path search (same assembly);
- the path search alone: corridors (shortest-path trees from every node computed once per
  compiled graph, in one batched ``scipy.sparse.csgraph.dijkstra`` run, then looked up)
  against NetworkX's ``dijkstra_path`` and igraph's ``get_shortest_path``;
- the one-off cost: compiling the graph and computing the trees.

Usage: ``python benchmarks/bench_route.py [--queries N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from functools import partial
from itertools import pairwise

import igraph as ig
import networkx as nx

import corridors as cx
from corridors.analyses.routing.legs import build_route
from corridors.analyses.routing.paths import path_edges
from corridors.model.graph import CompiledGraph
from timing import percentile, timed


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    return statistics.median(samples) * 1e3, percentile(samples, 0.95) * 1e3


def route_json(net: cx.Network, a: str, b: str) -> dict[str, object]:
    """A full query turned into its JSON form."""
    return cx.route(net, a, b).as_dict()


def nx_query(net: cx.Network, graph: CompiledGraph, g_nx: nx.DiGraph, a: str, b: str) -> cx.Route:
    """The same query as corridors.route, with NetworkX finding the path."""
    s = int(graph.source_vertex[graph.node_pos[a]])
    t = int(graph.sink_vertex[graph.node_pos[b]])
    vertices = nx.dijkstra_path(g_nx, s, t)
    edges = [graph.edge_of[(u, v)] for u, v in pairwise(vertices)]
    return build_route(net, graph, edges, a, b, scenario="baseline")


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    net = cx.load()
    t0 = time.perf_counter()
    graph: CompiledGraph = cx.compile_graph(net, "container", "time")
    compile_s = time.perf_counter() - t0
    places = [n for n in net.nodes.index if graph.source_vertex[graph.node_pos[n]] >= 0]
    places = [n for n in places if net.nodes.at[n, "kind"] in ("city", "port")]
    rng = random.Random(42)
    pairs = [tuple(rng.sample(places, 2)) for _ in range(args.queries)]
    t0 = time.perf_counter()
    graph.tree(int(graph.source_vertex[graph.node_pos[pairs[0][0]]]))
    trees_s = time.perf_counter() - t0

    edges = [(int(a), int(b)) for a, b in zip(*graph.matrix.nonzero(), strict=True)]
    weights = [float(graph.matrix[a, b]) for a, b in edges]
    g_nx = nx.DiGraph()
    g_nx.add_weighted_edges_from((a, b, w) for (a, b), w in zip(edges, weights, strict=True))
    g_ig = ig.Graph(n=graph.n_vertices, edges=edges, directed=True)
    g_ig.es["w"] = weights

    full, full_json, full_nx, path, path_nx, path_ig = [], [], [], [], [], []
    for a, b in pairs:
        pa, pb = graph.node_pos[a], graph.node_pos[b]
        s, t = int(graph.source_vertex[pa]), int(graph.sink_vertex[pb])
        if path_edges(graph, pa, pb) is None:
            continue
        full.append(timed(partial(cx.route, net, a, b)))
        full_json.append(timed(partial(route_json, net, a, b)))
        full_nx.append(timed(partial(nx_query, net, graph, g_nx, a, b)))
        path.append(timed(partial(path_edges, graph, pa, pb)))
        path_nx.append(timed(partial(nx.dijkstra_path, g_nx, s, t)))
        path_ig.append(timed(partial(g_ig.get_shortest_path, s, t, weights="w")))

    print(
        f"default network: {len(net.nodes)} nodes, {len(net.links)} links -> "
        f"{graph.n_vertices} vertices, {len(graph.tail)} edges"
    )
    print(
        f"one-off: graph compiled in {compile_s * 1e3:.1f} ms; "
        f"shortest-path trees from all nodes in {trees_s * 1e3:.1f} ms"
    )
    print(f"{len(full)} route queries (random city/port pairs, seed 42), warm")
    print(f"{'what':<52}{'p50 ms':>10}{'p95 ms':>10}")
    rows = [
        ("corridors.route (full query)", full),
        ("corridors.route + as_dict() (JSON form)", full_json),
        ("same full query, NetworkX dijkstra_path as search", full_nx),
        ("path search: corridors (cached trees)", path),
        ("path search: NetworkX dijkstra_path", path_nx),
        ("path search: igraph get_shortest_path", path_ig),
    ]
    for name, samples in rows:
        p50, p95 = percentiles(samples)
        print(f"{name:<52}{p50:>10.4f}{p95:>10.4f}")
    med = statistics.median
    print(f"full query:  NetworkX p50 / corridors p50 = {med(full_nx) / med(full):.1f}x")
    print(f"path search: NetworkX p50 / corridors p50 = {med(path_nx) / med(path):.1f}x")


if __name__ == "__main__":
    main()
