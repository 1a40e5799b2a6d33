"""Route-query latency on the default network, against NetworkX's Dijkstra in the same run.

Prints p50/p95 of:
- a full ``corridors.route`` query (warm: graph compiled once, reused), result assembly included;
- the shortest-path kernel alone (scipy.sparse.csgraph.dijkstra on the compiled CSR graph);
- igraph's Dijkstra and NetworkX's ``dijkstra_path`` on the very same graph and pairs.

Usage: ``python benchmarks/bench_route.py [--queries N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

import igraph as ig
import networkx as nx
from scipy.sparse.csgraph import dijkstra

import corridors as cx
from corridors.model.graph import CompiledGraph


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1e3, p95 * 1e3


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Seconds per call (best of nothing: one timing of ``repeat`` calls, averaged)."""
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


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
    cx.route(net, *pairs[0])  # warm

    full, kernel, igr, nxt = [], [], [], []
    edges = [(int(a), int(b)) for a, b in zip(*graph.matrix.nonzero(), strict=True)]
    weights = [float(graph.matrix[a, b]) for a, b in edges]
    g_nx = nx.DiGraph()
    g_nx.add_weighted_edges_from((a, b, w) for (a, b), w in zip(edges, weights, strict=True))
    g_ig = ig.Graph(n=graph.n_vertices, edges=edges, directed=True)
    g_ig.es["w"] = weights
    for a, b in pairs:
        s = int(graph.source_vertex[graph.node_pos[a]])
        t = int(graph.sink_vertex[graph.node_pos[b]])
        try:
            full.append(timed(partial(cx.route, net, a, b)))
        except cx.NoRouteError:
            continue
        kernel.append(timed(partial(dijkstra, graph.matrix, indices=s, return_predecessors=True)))
        igr.append(timed(partial(g_ig.get_shortest_path, s, t, weights="w")))
        nxt.append(timed(partial(nx.dijkstra_path, g_nx, s, t)))

    print(
        f"default network: {len(net.nodes)} nodes, {len(net.links)} links -> "
        f"{graph.n_vertices} vertices, {len(graph.tail)} edges; compiled once in {compile_s * 1e3:.1f} ms"
    )
    print(f"{len(full)} route queries (random city/port pairs, seed 42)")
    print(f"{'what':<44}{'p50 ms':>10}{'p95 ms':>10}")
    rows = [
        ("corridors.route (full query, warm)", full),
        ("kernel: scipy csgraph dijkstra", kernel),
        ("igraph get_shortest_path (same graph)", igr),
        ("NetworkX dijkstra_path (same graph)", nxt),
    ]
    for name, samples in rows:
        p50, p95 = percentiles(samples)
        print(f"{name:<44}{p50:>10.3f}{p95:>10.3f}")
    sources = sorted({int(graph.source_vertex[graph.node_pos[a]]) for a, _ in pairs})
    batch = timed(lambda: dijkstra(graph.matrix, indices=sources), repeat=5) / len(sources)
    nx_batch = timed(
        lambda: [nx.single_source_dijkstra_path_length(g_nx, s) for s in sources]
    ) / len(sources)
    print(f"{'one-to-all, batched (per source)':<44}{'scipy':>10}{'NetworkX':>10}")
    print(f"{'':<44}{batch * 1e3:>10.3f}{nx_batch * 1e3:>10.3f}  -> {nx_batch / batch:.1f}x")
    ratio_full = statistics.median(nxt) / statistics.median(full)
    ratio_kernel = statistics.median(nxt) / statistics.median(kernel)
    print(f"NetworkX p50 / corridors.route p50 = {ratio_full:.1f}x")
    print(f"NetworkX p50 / kernel p50          = {ratio_kernel:.1f}x")


if __name__ == "__main__":
    main()
