"""Flow-solve time on the default network: p50/p95 over repeated solves, crude and gas.

Run: ``.venv/bin/python benchmarks/bench_flow.py [--repeat N]``. Loading the network is
not timed; each timed call is one full :func:`corridors.analyses.flows.solve.solve_flow`
(resolution, LP build, max-flow LP, second LP, min cut, tables).

Then a sweep over the links of the crude max flow, closing one at a time: **cold** rebuilds
(a scenario closing the link, a new compiled graph and highspy model, both stages) against
**warm** (one :func:`corridors.analyses.flows.solve.flow_problem`, the link's columns set to
0 and both stages re-solved from the last basis, then restored); the ratio is printed.
"""

from __future__ import annotations

import argparse
import statistics
import time

from corridors.analyses.flows.problem import Arc
from corridors.analyses.flows.solve import flow_problem, solve_flow
from corridors.model.network import Network, load
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
    sweep(net)


def sweep(net: Network) -> None:
    """Close each link of the crude max flow in turn: rebuilt (cold) against re-solved (warm)."""
    links = [x.id for x in solve_flow(net, "crude", "KZ").links]
    cold: list[float] = []
    warm: list[float] = []
    problem, _ = flow_problem(net, "crude", "KZ")
    for lid in links:
        scenario = Scenario(name="bench", close=Closures(links=(lid,)))
        t0 = time.perf_counter()
        a = solve_flow(net, "crude", "KZ", scenario=scenario).delivered_total
        cold.append((time.perf_counter() - t0) * 1000.0)
        cols = problem.columns_of(Arc.LINK, lid)
        upper = problem.upper[cols].copy()
        t0 = time.perf_counter()
        problem.set_upper(cols, 0.0)
        b = problem.solve().total
        problem.set_upper(cols, upper)
        warm.append((time.perf_counter() - t0) * 1000.0)
        assert abs(a - b) < 1e-6, (lid, a, b)
    c50, w50 = statistics.median(cold), statistics.median(warm)
    print(
        f"sweep: close each of {len(links)} crude links: cold (rebuild) p50 {c50:.2f} ms, "
        f"warm (bounds + re-solve) p50 {w50:.2f} ms, ratio {c50 / w50:.1f}x"
    )


if __name__ == "__main__":
    main()
