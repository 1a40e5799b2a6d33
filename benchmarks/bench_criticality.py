"""Shortest-path N-1 over all links: the naive NetworkX loop against the incremental engine.

Run: ``.venv/bin/python benchmarks/bench_criticality.py [--sizes 10000,100000] [--sample 20]``.

The naive way removes each link from a NetworkX copy of the compiled graph and recomputes
every OD pair with ``nx.dijkstra_path_length``; it is timed on ``--sample`` random links and
extrapolated to all links. The incremental engine
(:func:`corridors.analyses.criticality.shortest_path_criticality`) is timed on the full
sweep, on the same graph, in the same run; building the network and compiling the graph
are timed apart; the engine runs twice and the second run (graphs compiled and cached on
the network, as in a session) is the one compared; ``--jobs 2`` adds a run on two worker
processes. The capacitated sweeps (crude: links, nodes, countries) are timed cold (every
LP rebuilt through ``solve_flow``) and warm (bounds changed on one kept highspy model),
with the ratio and whether the losses agree.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time

import networkx as nx

import corridors as cx
from corridors.analyses.criticality import shortest_path_criticality
from corridors.analyses.criticality.capacitated import capacitated_criticality
from corridors.analyses.criticality.shortest import demand_pairs
from corridors.datasets.synthetic import synthetic_network
from corridors.model.graph import CompiledGraph, EdgeKind, compile_graph
from corridors.model.network import Network


def _naive_per_link(
    graph: CompiledGraph, net: Network, sample: int, seed: int = 0
) -> tuple[float, int]:
    """Seconds per removed link (every pair recomputed) on ``sample`` links, and link count."""
    g = nx.DiGraph()
    for t, h, w in zip(graph.tail, graph.head, graph.weight, strict=True):
        if not g.has_edge(int(t), int(h)) or g[int(t)][int(h)]["weight"] > w:
            g.add_edge(int(t), int(h), weight=float(w))
    pairs = demand_pairs(net, graph.commodity)
    od = [
        (int(graph.source_vertex[graph.node_pos[o]]), int(graph.sink_vertex[graph.node_pos[d]]))
        for o, d in zip(pairs["origin"], pairs["destination"], strict=True)
    ]
    links = sorted(set(graph.ref[graph.kind == EdgeKind.LINK].tolist()))
    chosen = random.Random(seed).sample(links, min(sample, len(links)))
    t0 = time.perf_counter()
    for link in chosen:
        edges = [(int(graph.tail[e]), int(graph.head[e])) for e in range(len(graph.tail))
                 if graph.kind[e] == EdgeKind.LINK and graph.ref[e] == link]  # fmt: skip
        view = nx.restricted_view(g, [], edges)
        for s, t in od:
            with contextlib.suppress(nx.NetworkXNoPath):
                nx.dijkstra_path_length(view, s, t)
    return (time.perf_counter() - t0) / len(chosen), len(links)


def _case(label: str, net: Network, sample: int, jobs: int) -> None:
    t0 = time.perf_counter()
    graph = compile_graph(net)
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    shortest_path_criticality(net, elements="links", jobs=jobs, geometry=False)
    t_first = time.perf_counter() - t0  # includes compiling one graph per demand mode set
    t0 = time.perf_counter()
    r = shortest_path_criticality(net, elements="links", geometry=False)
    t_ours = time.perf_counter() - t0
    t_jobs = None
    if jobs > 1:
        t0 = time.perf_counter()
        shortest_path_criticality(net, elements="links", jobs=jobs, geometry=False)
        t_jobs = time.perf_counter() - t0
    per_link, n_links = _naive_per_link(graph, net, sample)
    naive = per_link * n_links
    searched = sum(1 for row in r.rows if row.affected_pairs and not row.bridge)
    print(
        f"{label:28s} links {n_links:7d} pairs {r.pairs:3d} | compile {t_compile:6.2f} s | "
        f"ours {t_ours:7.2f} s (first run {t_first:.2f} s; searched {searched}, "
        f"bridges {sum(row.bridge for row in r.rows)}) | "
        f"naive {naive:10.1f} s (extrapolated from {sample}) | ratio {naive / t_ours:8.0f}x"
        + (
            f" | {jobs} processes {t_jobs:.2f} s, ratio {naive / t_jobs:.0f}x"
            if t_jobs is not None
            else ""
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--sample", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    net = cx.load()
    _case("default network", net, args.sample * 4, args.jobs)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        t0 = time.perf_counter()
        syn = synthetic_network(size, seed=0, n_pairs=50)
        print(
            f"synthetic {size} nodes built in {time.perf_counter() - t0:.2f} s (direct, no validation)"
        )
        _case(f"synthetic {size}", syn, max(2, args.sample // (size // 10000 + 1)), args.jobs)
    for kind in ("links", "nodes", "countries"):
        t0 = time.perf_counter()
        cold = capacitated_criticality(net, "crude", elements=kind, warm=False).rows
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = capacitated_criticality(net, "crude", elements=kind, warm=True).rows
        t_warm = time.perf_counter() - t0
        lost = {r.element: r.lost for r in cold}
        same = all(abs(lost[r.element] - r.lost) < 1e-6 for r in warm) and len(cold) == len(warm)
        print(
            f"capacitated crude N-1 {kind:9s} cold {t_cold:6.2f} s, warm {t_warm:6.2f} s "
            f"({len(warm)} elements): warm {t_cold / t_warm:.1f}x faster; same losses: {same}"
        )


if __name__ == "__main__":
    main()
