"""Cold start of the command line, against ``python -c pass`` in the same run.

Times, as separate processes and interleaved round by round (so that load on the machine
hits every command alike), the median wall time of:

- ``python -c pass`` (the interpreter alone: the baseline);
- ``python -c "import corridors"``;
- ``corridors route A B --json`` cold (``CORRIDORS_NO_CACHE=1``: tables read and
  validated);
- the same warm (the validated network read from a cache filled before the first round);
- the third-party libraries a route query needs, imported alone (the floor).

and prints each one's difference from the baseline against the target: a route query at
most 0.6 s slower than the bare interpreter. ``--against PYTHON`` also times the same
route with another installation's interpreter (e.g. a checkout of ``main``), for a
before/after ratio in the same run.

Usage: ``python benchmarks/bench_startup.py [--runs N] [--against PYTHON]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The target: a route query at most this many seconds slower than ``python -c pass``.
TARGET_S = 0.6
#: The third-party imports a route query cannot do without: the network's tables are
#: DataFrames, paths come from scipy's Dijkstra, scenarios are pydantic models, the
#: command line is Typer and Rich. No cache can start faster than this.
FLOOR = "import numpy, pandas, scipy.sparse.csgraph, pydantic, yaml, typer, rich.console"


def cli(python: str) -> list[str]:
    """The ``corridors`` command of the installation that ``python`` belongs to."""
    script = Path(python).parent / "corridors"
    if script.is_file():
        return [str(script)]
    return [python, "-c", "from corridors.cli.app import main; main()"]


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``cmd`` (which must succeed).

    On a loaded machine the wall time also counts waiting for a core; the CPU time does
    not, so it is the better guide to what an idle machine would show.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="rounds (median of these)")
    parser.add_argument("--origin", default="Chongqing")
    parser.add_argument("--destination", default="Duisburg")
    parser.add_argument("--against", help="another installation's python, for a ratio")
    args = parser.parse_args()

    py = sys.executable
    route = [args.origin, args.destination, "--json"]
    with tempfile.TemporaryDirectory(prefix="corridors-bench-cache-") as cache:
        base = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDORS_")}
        warm_env = base | {"CORRIDORS_CACHE_DIR": cache}
        cold_env = base | {"CORRIDORS_NO_CACHE": "1"}
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([py, "-c", "pass"], base),
            "python -c 'import corridors'": ([py, "-c", "import corridors"], base),
            "libraries a route needs (floor)": ([py, "-c", FLOOR], base),
            "route --json, cold (no cache)": ([*cli(py), "route", *route], cold_env),
            "route --json, warm (cache)": ([*cli(py), "route", *route], warm_env),
        }
        if args.against:
            cases["route --json, --against python"] = (
                [*cli(args.against), "route", *route],
                base,
            )
        run_once(cases["route --json, warm (cache)"][0], warm_env)  # fill the cache
        wall: dict[str, list[float]] = {name: [] for name in cases}
        cpu: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (cmd, env) in cases.items():
                w, c = run_once(cmd, env)
                wall[name].append(w)
                cpu[name].append(c)
    report(wall, cpu, f"{args.origin} → {args.destination}, median of {args.runs} interleaved runs")
    if args.against:
        against = statistics.median(wall["route --json, --against python"])
        ratio = against / statistics.median(wall["route --json, warm (cache)"])
        print(f"warm route is {ratio:.2f}x faster than {args.against} (wall medians)")


def report(wall: dict[str, list[float]], cpu: dict[str, list[float]], title: str) -> None:
    """Print medians and their differences from ``python -c pass`` against the target."""
    base_wall = statistics.median(wall["python -c pass"])
    base_cpu = statistics.median(cpu["python -c pass"])
    print(title)
    print(f"{'':38} {'wall s':>7} {'- pass':>7} {'cpu s':>7} {'- pass':>7}  target +{TARGET_S} s")
    for name in wall:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        verdict = ""
        if name != "python -c pass":
            verdict = "met" if w - base_wall <= TARGET_S else "missed"
            verdict += f" (cpu: {'met' if c - base_cpu <= TARGET_S else 'missed'})"
        print(f"{name:38} {w:7.3f} {w - base_wall:+7.3f} {c:7.3f} {c - base_cpu:+7.3f}  {verdict}")


if __name__ == "__main__":
    main()
