"""Continent-sized networks (issue 15): every phase against its target and a naive baseline.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--size 1000 --size 10000] [--sweep N]``
(``make bench`` runs 1k and 10k; ``--size 100000`` on request). Each size is a synthetic
road/rail network of :mod:`corridors.datasets.synthetic` written as CSV files, then:

- **load cold** (read + validate, no cache), **load cached** (the validated network from
  the disk cache of :mod:`corridors.io.network_cache`), **validate** alone;
- **compile** the container graph (time objective);
- **route**: a new origin's shortest-path tree (scipy) against NetworkX's Dijkstra on the
  same CSR graph;
- **max-flow** and **min-cost flow** from 5 nodes in the west to 5 in the east, by the
  network-flow engine (OR-Tools; min-cost by the primal-dual method of
  :mod:`corridors.analyses.flows.mincost`, also timed against OR-Tools' cost scaling)
  against the flow LP (HiGHS, both stages; a time limit, printed as ``>`` when hit);
- **assignment** of the 50 demand rows by column generation against the multicommodity
  LP on a sample of rows (extrapolated by rows: the LP grows with them);
- **sweep memory** (at 10k): peak RSS of a child process applying ``--sweep`` scenarios
  (each closes one link, compiles, searches one tree) with the LRU caches, against the
  unbounded caches on a sample, extrapolated.

Times are on this machine as it is (shared cores): the ratios in the same run are the
comparison that holds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, cast

import numpy as np

from corridors.analyses.assignment.solve import assign
from corridors.analyses.flows.netflow import solve_network
from corridors.analyses.flows.problem import build_problem
from corridors.datasets.synthetic import write_synthetic
from corridors.io.tables import read_table_files
from corridors.model.graph import compile_graph
from corridors.model.network import Network, load
from corridors.model.scenario import Closures, Scenario, apply_scenario
from corridors.model.validate import validate_tables

#: Targets of issue 15, seconds (MB for memory), by phase and size.
TARGETS: dict[str, dict[int, float]] = {
    "load cold": {100_000: 5.0},
    "load cached": {100_000: 1.0},
    "compile": {100_000: 1.0},
    "max-flow": {100_000: 5.0},
    "min-cost flow": {100_000: 5.0},
    "assignment": {10_000: 30.0, 100_000: 300.0},
    "sweep memory": {10_000: 2048.0},
}
#: Time limit of a baseline LP, seconds.
LP_LIMIT = 120.0


@contextlib.contextmanager
def env(**values: str) -> Iterator[None]:
    """Set environment variables for the block."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def clock(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds of one call and its value."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def row(
    size: int, phase: str, value: float, unit: str = "s", base: str = "", ratio: str = ""
) -> None:
    """One line: the phase, its value, the target and whether it is met, the baseline."""
    target = TARGETS.get(phase, {}).get(size)
    verdict = ""
    if target is not None:
        verdict = f"target <= {target:g} {unit}: {'met' if value <= target else 'NOT met'}"
    print(f"  {phase:16s} {value:10.3f} {unit:3s} {verdict:28s} {base:34s} {ratio}")


def _limited_lp(solve: Callable[[], object]) -> tuple[float, object | None]:
    """Seconds of an LP baseline and its value (``None``: not within :data:`LP_LIMIT`)."""
    t0 = time.perf_counter()
    try:
        out = solve()
    except Exception:  # the time limit (or a solver failure) ends the baseline
        return time.perf_counter() - t0, None
    return time.perf_counter() - t0, out


def bench_load(size: int, folder: Path, cache: Path) -> Network:
    with env(CORRIDORS_NO_CACHE="1"):
        cold, _ = clock(lambda: load(folder))
        raw, problems = read_table_files(folder)
        t_val, _ = clock(lambda: validate_tables(raw, problems))
    with env(CORRIDORS_CACHE_DIR=str(cache)):
        load(folder)  # writes the entry
        cached, net = clock(lambda: load(folder))
    row(size, "load cold", cold, base="(issue 15: 0.48 / 4.2 / 58.9 s)")
    row(size, "load cached", cached, ratio=f"cold/cached {cold / cached:.1f}x")
    row(size, "validate", t_val)
    return cast(Network, net)


def bench_route(size: int, net: Network) -> None:
    import networkx as nx
    from scipy.sparse.csgraph import dijkstra

    g = compile_graph(net, "container", "time")
    rng = np.random.default_rng(1)
    sources = rng.choice(g.source_vertex[g.source_vertex >= 0], 3, replace=False)
    search = cast(Any, dijkstra)
    t_sp = sum(
        clock(partial(search, g.matrix, indices=int(s), return_predecessors=True))[0]
        for s in sources
    )
    graph = nx.from_scipy_sparse_array(g.matrix, create_using=nx.DiGraph)
    t_nx = sum(
        clock(partial(nx.single_source_dijkstra_path_length, graph, int(s)))[0] for s in sources
    )
    t_sp, t_nx = t_sp / 3, t_nx / 3
    row(size, "route (new tree)", t_sp, base=f"NetworkX {t_nx:.3f} s", ratio=f"{t_nx / t_sp:.1f}x")


def _flow_ends(net: Network) -> tuple[dict[str, float], dict[str, float]]:
    lon = net.nodes["lon"].to_numpy()
    order = np.argsort(lon)
    ids = net.nodes.index.to_numpy()
    west, east = ids[order[:5]], ids[order[-5:]]
    return {str(n): float("inf") for n in west}, {str(n): float("inf") for n in east}


def bench_flows(size: int, net: Network) -> None:
    g = compile_graph(net, "container", "distance")
    supply, intake = _flow_ends(net)
    t_build = 0.0
    for phase, mode in (("max-flow", "max"), ("min-cost flow", "mincost")):
        t_build, problem = clock(partial(build_problem, g, supply, intake))  # a fresh LP each
        p = cast(Any, problem)
        p.model.setOptionValue("time_limit", LP_LIMIT)
        t_nf, sol = clock(partial(solve_network, p, mode))
        t_lp, lp = _limited_lp(partial(p.solve, mode))
        done = lp is not None
        sign = "" if done else ">"
        base = f"LP {sign}{t_lp:.2f} s"
        ratio = f"{sign}{t_lp / t_nf:.1f}x"
        row(size, phase, t_nf, base=base, ratio=ratio)
        total = cast(Any, sol).total
        same = f"LP {cast(Any, lp).total:,.0f}" if done else "LP unfinished"
        print(f"  {'':15s} delivered {total:,.0f} TEU/yr ({same})")
        if mode == "mincost":  # the primal-dual method against OR-Tools' cost scaling
            t_cs, old = clock(partial(solve_network, p, mode, min_cost="cost-scaling"))
            cost, cost_cs = (float(cast(Any, s).x @ p.cost) for s in (sol, old))
            print(
                f"  {'':15s} cost scaling {t_cs:.3f} s ({t_cs / t_nf:.1f}x the primal-dual "
                f"method's {t_nf:.3f} s); cost {cost:,.6g} against {cost_cs:,.6g}"
            )
    print(f"  {'':15s} (LP model build {t_build:.2f} s, not in either figure)")


def bench_assignment(size: int, net: Network) -> None:
    with env(CORRIDORS_ASSIGN_ENGINE="colgen"):
        t_cg, result = clock(lambda: assign(net))
    a = cast(Any, result)
    rows = len(net.demand)
    if size > 10_000:  # the LP takes minutes per row here and has no time limit
        row(size, "assignment", t_cg, base="LP ~370 s for 1 row (issue 15, not rerun)",
            ratio=f"~{370 * rows / t_cg:.0f}x (by rows)")  # fmt: skip
    else:
        sample = 2
        with env(CORRIDORS_ASSIGN_ENGINE="lp"):
            t_lp, _ = clock(lambda: assign(net, demand=net.demand.head(sample)))
        est = t_lp * rows / sample
        base = f"LP {t_lp:.1f} s for {sample} rows (~{est:.0f} s for {rows})"
        row(size, "assignment", t_cg, base=base, ratio=f"~{est / t_cg:.0f}x")
    print(
        f"  {'':15s} {rows} OD rows, {a.solver['pricing_rounds']} pricing rounds, "
        f"{a.solver['variables']} columns, assigned {a.assigned_total:,.0f} TEU/yr"
    )


def sweep_child(folder: str, count: int, budget: str) -> None:
    """Apply ``count`` one-link closures, compile and search each; print the peak RSS."""
    with env(CORRIDORS_SCENARIO_CACHE_MB=budget):
        net = load(folder)
        links = list(net.links.index)
        t0 = time.perf_counter()
        for i in range(count):
            work = apply_scenario(net, Scenario(name=f"s{i}", close=Closures(links=(links[i],))))
            g = compile_graph(work, "container", "time")
            g.tree(int(g.source_vertex[g.source_vertex >= 0][i % 10]))
        seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak_mb, "seconds": seconds}))


def _child(folder: Path, cache: Path, count: int, budget: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--sweep-child", str(folder), str(count), budget]
    extra = {"CORRIDORS_CACHE_DIR": str(cache), "PYTHONPATH": str(Path(__file__).parent)}
    out = subprocess.run(
        cmd, check=True, capture_output=True, text=True, env={**os.environ, **extra}
    )
    return cast(dict[str, float], json.loads(out.stdout.strip().splitlines()[-1]))


def bench_sweep(size: int, folder: Path, cache: Path, count: int) -> None:
    bounded = _child(folder, cache, count, "512")
    sample = min(count, 30)
    base0 = _child(folder, cache, 1, "1e9")
    base = _child(folder, cache, sample, "1e9")
    per = (base["peak_mb"] - base0["peak_mb"]) / max(1, sample - 1)
    est = base0["peak_mb"] + per * (count - 1)
    row(
        size,
        "sweep memory",
        bounded["peak_mb"],
        unit="MB",
        base=f"unbounded ~{est:,.0f} MB ({per:.0f} MB/scenario)",
        ratio=f"~{est / bounded['peak_mb']:.1f}x",
    )
    print(f"  {'':15s} {count} scenarios in {bounded['seconds']:.0f} s (apply, compile, one tree)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, action="append", help="nodes (repeatable)")
    parser.add_argument("--sweep", type=int, default=2000, help="scenarios of the 10k sweep")
    parser.add_argument("--sweep-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep_child:
        folder, count, budget = args.sweep_child
        sweep_child(folder, int(count), budget)
        return
    sizes = args.size or [1_000, 10_000]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for size in sizes:
            folder, cache = Path(tmp) / f"n{size}", Path(tmp) / f"cache{size}"
            t_gen, _ = clock(partial(write_synthetic, folder, size, seed=0))
            print(f"{size:,} nodes (tables written in {t_gen:.1f} s)")
            net = bench_load(size, folder, cache)
            print(f"  {'':15s} {len(net.nodes):,} nodes, {len(net.links):,} links")
            net.cache.clear()
            t_c, _g = clock(partial(compile_graph, net, "container", "time"))
            row(size, "compile", t_c, base="(issue 15: 0.05 / 0.50 / 8.1 s)")
            bench_route(size, net)
            bench_flows(size, net)
            bench_assignment(size, net)
            if size == 10_000 and args.sweep:
                bench_sweep(size, folder, cache, args.sweep)


if __name__ == "__main__":
    main()
