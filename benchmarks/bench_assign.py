"""Assignment solve time on the default network: p50/p95 over repeated solves.

Run: ``.venv/bin/python benchmarks/bench_assign.py [--repeat N]``. Loading the network is
not timed; the layered graph is compiled once (cached on the network) before timing, so
each timed call is one :func:`corridors.analyses.assignment.solve.assign`: demand resolution,
LP build, the HiGHS solve, flow decomposition and the result tables. A second case times
the same with a scenario applied (a new network each call, so the graph is recompiled).
"""

from __future__ import annotations

import argparse
import statistics
import time

from corridors.analyses.assignment.solve import assign
from corridors.model.network import load
from corridors.model.scenario import load_scenario
from timing import percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    net = load()
    demand = net.demand[net.demand["commodity"] == "container"]
    print(
        f"default network: {len(net.nodes)} nodes, {len(net.links)} links; "
        f"{len(demand)} container demand rows, {demand['origin'].nunique()} origins, "
        f"{demand[['origin', 'modes']].drop_duplicates().shape[0]} (origin, modes) pairs; "
        f"{args.repeat} solves"
    )
    cases = [("baseline", None), ("russia-closed", load_scenario("russia-closed"))]
    for label, scenario in cases:
        r = assign(net, scenario=scenario)  # warm caches
        times: list[float] = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = assign(net, scenario=scenario)
            times.append((time.perf_counter() - t0) * 1000.0)
        print(
            f"{label:15s} p50 {statistics.median(times):7.1f} ms  "
            f"p95 {percentile(times, 0.95):7.1f} ms  "
            f"LP {r.solver['blocks']} commodities (origin, modes), "
            f"{r.solver['variables']} vars x {r.solver['constraints']} rows, "
            f"{r.solver['iterations']} simplex iterations; "
            f"KZ transit {r.transit_share.get('KZ', 0):.3f}, "
            f"overland {r.overland_share.get('KZ', 0):.3f}"
        )


if __name__ == "__main__":
    main()
