"""Monte Carlo of door-to-door time: numpy against a plain Python loop in the same run.

For Chongqing-Duisburg (the northern route) and the Middle Corridor (Chongqing-Duisburg
avoiding RU, BY and IR: across the Caspian) it times 10,000 draws of
``corridors.analyses.uncertainty.time_distribution`` with the shipped disruption events,
against a naive loop drawing the same distributions one trip and one step at a time with
the standard library (``random.betavariate``, ``random.uniform``), and prints the ratio.

It then times the pieces of ``corridors report --scenario cpc-suspension-2022``: the
analyses the report calls (:func:`corridors.report.content.collect`, of which
``flow_range`` and ``leverage``) and the whole build (analyses, drawing, HTML), wall and
CPU time (CPU time is the honest figure on a shared machine).

Usage: ``python benchmarks/bench_uncertainty.py [--draws N] [--repeat R] [--no-report]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial

import corridors as cx
from corridors.analyses.uncertainty import route_steps, time_distribution
from corridors.analyses.uncertainty.events import event_sites, hit_probability
from corridors.analyses.uncertainty.steps import StepTimes
from corridors.model.disruptions import Disruption, load_disruptions
from timing import timed


def _pert(rnd: random.Random, low: float, high: float, mode: float | None) -> float:
    if high <= low:
        return low
    m = (low + high) / 2 if mode is None else mode
    a = 1 + 4 * (m - low) / (high - low)
    b = 1 + 4 * (high - m) / (high - low)
    return low + (high - low) * rnd.betavariate(a, b)


def naive(steps: Sequence[StepTimes], events: Sequence[Disruption], draws: int) -> list[float]:
    """The same model, one trip and one component at a time (no numpy)."""
    rnd = random.Random(0)
    sites = [
        (e, hit_probability(e, exposure))
        for e in events
        for _, exposure in event_sites(e, steps).values()
    ]
    out = []
    for _ in range(draws):
        total = 0.0
        for s in steps:
            total += _pert(rnd, s.low_h, s.high_h, None)
            if s.headway_h > 0:
                total += rnd.uniform(0.0, s.headway_h)
        for e, p in sites:
            if rnd.random() < p:
                total += _pert(rnd, e.delay_low_h, e.delay_high_h, e.delay_mode_h)
        out.append(total / 24.0)
    return out


def main() -> None:
    """Run the benchmark and print one line per route."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-report", action="store_true", help="Skip the report timings.")
    args = parser.parse_args()
    net = cx.load()
    events = load_disruptions(net=net)
    cases = {
        "Chongqing-Duisburg": None,
        "Middle Corridor (avoid RU,BY,IR)": cx.Scenario.from_flags(avoid=["RU", "BY", "IR"]),
    }
    print(f"{args.draws:,} draws per route, {len(events)} disruption events, warm")
    for name, scenario in cases.items():
        r = cx.route(net, "Chongqing", "Duisburg", scenario=scenario)
        steps = route_steps(r)
        time_distribution(r, events, draws=args.draws)  # warm-up
        fast = [
            timed(partial(time_distribution, r, events, draws=args.draws))
            for _ in range(args.repeat)
        ]
        slow = timed(partial(naive, steps, events, args.draws))
        d = time_distribution(r, events, draws=args.draws)
        nv = sorted(naive(steps, events, args.draws))
        p50_naive = nv[len(nv) // 2]
        numpy_ms, loop_ms = statistics.median(fast) * 1e3, slow * 1e3
        print(
            f"{name}: {len(steps)} steps; numpy {numpy_ms:.1f} ms, Python loop {loop_ms:.0f} ms, "
            f"ratio {loop_ms / numpy_ms:.0f}x; P50 {d.p50:.2f} d (loop {p50_naive:.2f} d)"
        )
    if not args.no_report:
        report_timings(net)


def _both(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def report_timings(net: cx.Network) -> None:
    """Time the report for the CPC suspension: its analyses, then the whole build."""
    from corridors.analyses.leverage import leverage
    from corridors.analyses.uncertainty.capacity import flow_range
    from corridors.report import build_report
    from corridors.report.content import collect

    scen = cx.load_scenario("cpc-suspension-2022")
    build_report(net, scen, pairs=(("xian", "hamburg"),), draws=200)  # warm-up
    parts: dict[str, Callable[[], object]] = {
        "flow_range crude KZ (3 solves)": partial(flow_range, net, "crude", "KZ", scenario=scen),
        "leverage crude KZ (before and after)": partial(
            leverage, net, "crude", exporters=["KZ"], scenario=scen
        ),
        "all analyses of the report (collect)": partial(collect, net, scen),
        "whole report (analyses, 5 images, HTML)": partial(build_report, net, scen),
    }
    print("report --scenario cpc-suspension-2022, warm")
    for name, fn in parts.items():
        wall, cpu = _both(fn)
        print(f"{name}: wall {wall:.2f} s, CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
