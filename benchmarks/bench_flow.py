"""Flow-solve time on the default network: p50/p95 over repeated solves, crude and gas.

Run: ``.venv/bin/python benchmarks/bench_flow.py [--repeat N]``. Loading the network is
not timed; each timed call is one full :func:`corridors.analyses.flows.solve.solve_flow`
(resolution, LP build, max-flow LP, second LP, min cut, tables).
"""

from __future__ import annotations

import argparse
import statistics
import time

from corridors.analyses.flows.solve import solve_flow
from corridors.model.network import load
from corridors.model.scenario import Closures, Scenario
from timing import percentile

CASES: list[tuple[str, str, str, str | None]] = [
    # (label, commodity, sources, scenario closure of one link)
    ("crude KZ -> all markets", "crude", "KZ", None),
    ("crude KZ -> all markets, CPC closed", "crude", "KZ", "oil_cpc_atyrau_terminal"),
    ("gas TM,AZ -> all markets", "gas", "TM,AZ", None),
    ("gas russia_gas_supply,TM,AZ -> all markets", "gas", "russia_gas_supply,TM,AZ", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    net = load()
    print(f"default network: {len(net.nodes)} nodes, {len(net.links)} links; {args.repeat} solves")
    for label, commodity, sources, closed in CASES:
        scenario = Scenario(name="bench", close=Closures(links=(closed,))) if closed else None
        for mode in ("max", "mincost"):
            solve_flow(net, commodity, sources, mode=mode, scenario=scenario)  # warm caches
            times: list[float] = []
            delivered = 0.0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r = solve_flow(net, commodity, sources, mode=mode, scenario=scenario)
                times.append((time.perf_counter() - t0) * 1000.0)
                delivered = r.delivered_total
            print(
                f"{label:45s} {mode:8s} p50 {statistics.median(times):7.1f} ms  "
                f"p95 {percentile(times, 0.95):7.1f} ms  delivered {delivered:8.2f} {r.unit}"
            )


if __name__ == "__main__":
    main()
