"""Fuzz what a user gives ``corridors`` (issue 14): no traceback, no hang, valid JSON.

Corrupted tables, scenario files and command lines (strategies in ``fuzz_strategies``)
are run in-process, each under a per-input time limit; a few tens of nasty cases run as
real subprocesses with a timeout. Only :class:`~corridors.errors.CorridorsError` may
escape, a command exits 0, 1 or 2, ``--json`` output is strict JSON, and routes keep
their properties (closures never help; totals are legs plus stops; flows within
capacity). The number of generated inputs is printed at the end of the module.
"""

from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import corridors as cx
from corridors.analyses.flows.solve import solve_flow
from corridors.cli.app import app
from corridors.cli.flow_cmd import parse_demand
from corridors.cli.params import check_markets, finite_non_negative
from corridors.errors import CorridorsError, DataError, NoRouteError
from corridors.io.scenario_files import parse_scenario_text
from corridors.io.tables import decode_text
from corridors.model.network import from_frames
from corridors.model.scenario import Override, scenario_from_mapping
from fuzz_strategies import (
    COUNTRIES,
    COUNTS,
    MODES,
    NODES,
    PASSAGES,
    TINY,
    command_lines,
    corrupted_folders,
    option_numbers,
    scenario_texts,
    time_limit,
    write_folder,
)

#: Scale every example count (e.g. ``FUZZ_SCALE=0.1`` while developing); 1 in CI.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """Reproducible settings (derandomized, no database) for ``examples`` inputs."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


LIMIT_S = 20
T = TypeVar("T")


class _CountReport:
    """Prints the number of generated inputs in pytest's terminal summary (with or without -s)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def line(self) -> str:
        total = sum(COUNTS.values())
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(COUNTS.items()))
        return f"fuzz: {total:,} generated inputs ({parts}) in {self.seconds:.0f} s"

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if COUNTS:
            terminalreporter.write_line(self.line())


@pytest.fixture(scope="module", autouse=True)
def _report_count(request: pytest.FixtureRequest) -> Iterator[None]:
    manager = request.config.pluginmanager
    report = manager.get_plugin("corridors-fuzz-count")
    if report is None:
        report = _CountReport()
        manager.register(report, "corridors-fuzz-count")
    start = time.perf_counter()
    yield
    report.seconds += time.perf_counter() - start


def attempt(fn: Callable[[], T]) -> tuple[T | None, CorridorsError | None]:
    """``fn()`` and no error, or ``None`` and the input error it raised (nothing else)."""
    try:
        return fn(), None
    except CorridorsError as exc:
        return None, exc


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def _check_totals(route: cx.Route) -> None:
    """The JSON of a route is strict JSON and its totals are its legs plus its stops."""
    data = _strict_json(json.dumps(route.as_dict(), allow_nan=False))
    steps = [*data["legs"], *data["stops"]]
    for end in ("low", "high"):
        total = sum(s["time_h"][end] for s in steps)
        assert data["totals"]["time_h"][end] == pytest.approx(total, abs=0.05 * len(steps) + 0.05)
    length = sum(leg["length_km"] for leg in data["legs"])
    assert data["totals"]["length_km"] == pytest.approx(length, abs=0.05 * len(steps) + 0.05)


@fuzz(100)
@given(corrupted_folders())
def test_corrupted_tables_give_problems_or_a_network(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]
) -> None:
    COUNTS["tables"] += 1
    folder = write_folder(tmp_path_factory.getbasetemp() / "fuzz_tables", files)
    with time_limit(LIMIT_S):
        net, error = attempt(lambda: cx.load(folder))
        if net is None:
            assert isinstance(error, DataError)
            assert error.problems
            assert all(p.file and p.row >= 0 for p in error.problems)
            assert len(str(error)) < 20_000
            return
        route, _ = attempt(lambda: cx.route(net, "Alpha", "Delta"))
    if route is not None:
        _check_totals(route)


@fuzz(300)
@given(scenario_texts())
def test_scenario_files_load_or_say_why(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    COUNTS["scenario files"] += 1
    path = tmp_path_factory.getbasetemp() / "fuzz.yaml"
    path.write_bytes(data)
    with time_limit(LIMIT_S):
        scenario, error = attempt(lambda: cx.load_scenario(path))
    if error is not None:
        assert isinstance(error, cx.ScenarioError)
        assert 0 < len(str(error)) < 10_000
    else:
        assert isinstance(scenario, cx.Scenario)


def _parse(data: bytes) -> cx.Scenario:
    where = Path("fuzz.yaml")
    try:
        text = decode_text(data)
    except ValueError as exc:
        raise cx.ScenarioError(f"{where}: {exc}") from None
    return scenario_from_mapping(parse_scenario_text(text, str(where)), where, text)


@fuzz(4000)
@given(scenario_texts())
def test_scenario_texts_parse_or_say_why(data: bytes) -> None:
    COUNTS["scenario texts"] += 1
    with time_limit(LIMIT_S):
        scenario, error = attempt(lambda: _parse(data))
    if error is not None:
        assert isinstance(error, cx.ScenarioError)
        assert 0 < len(str(error)) < 10_000
    else:
        assert isinstance(scenario, cx.Scenario)


@fuzz(150)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "countries": st.lists(st.sampled_from(["RU", "KZ", "AZ", "DE", "US"]), max_size=2),
            "nodes": st.lists(st.sampled_from(NODES[:6]), max_size=2),
            "links": st.lists(st.sampled_from(["ab", "bc", "pq", "qd", "fe"]), max_size=2),
            "passages": st.lists(st.sampled_from(PASSAGES[:3]), max_size=2),
            "modes": st.lists(st.sampled_from(["rail", "road", "sea", "ferry"]), max_size=2),
        },
    ),
    st.sampled_from(["a", "b", "p"]),
    st.sampled_from(["d", "q", "e"]),
)
def test_closures_never_help_and_totals_add_up(
    tiny: cx.Network, close: dict[str, list[str]], origin: str, destination: str
) -> None:
    COUNTS["closures"] += 1
    with time_limit(LIMIT_S):
        base = cx.route(tiny, origin, destination)
        scenario = cx.Scenario.model_validate({"close": close})
        after, error = attempt(lambda: cx.route(tiny, origin, destination, scenario=scenario))
    if after is None:
        assert isinstance(error, NoRouteError | cx.ScenarioError | cx.UnknownPlaceError), error
        return
    assert after.time_h.low + after.time_h.high >= base.time_h.low + base.time_h.high - 1e-9
    _check_totals(after)


_DIAMOND = {
    "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]}),
    "commodities": pd.DataFrame(
        {"id": ["gas"], "name": ["Gas"], "unit": ["bcm/yr"], "modes": ["gas_pipeline"]}
    ),
    "nodes": pd.DataFrame(
        {
            "id": ["f", "a", "b", "m"],
            "name": ["Field", "A", "B", "Market"],
            "kind": ["field", "junction", "junction", "market"],
            "country": ["TM", "UZ", "KZ", "CN"],
            "lat": [38.0, 39.0, 41.0, 40.0],
            "lon": [62.0, 66.0, 68.0, 75.0],
            "sources": ["s"] * 4,
        }
    ),
    "links": pd.DataFrame(
        {
            "id": ["fa", "fb", "ab", "am", "bm"],
            "from": ["f", "f", "a", "a", "b"],
            "to": ["a", "b", "b", "m", "m"],
            "mode": ["gas_pipeline"] * 5,
            "length_km": [500.0, 900.0, 400.0, 1000.0, 800.0],
            "capacity": [10.0, 6.0, 3.0, 8.0, 9.0],
            "capacity_unit": ["bcm/yr"] * 5,
            "countries": ["TM;UZ", "TM;UZ;KZ", "UZ;KZ", "UZ;KZ;CN", "KZ;CN"],
            "status": ["operating"] * 5,
            "direction": ["forward"] * 5,
            "sources": ["s"] * 5,
        }
    ),
}


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    """The CLI commands' ``load`` memoised (the tables themselves are fuzzed above)."""
    from corridors.cli import app as app_module
    from corridors.cli import compare_cmd, flow_cmd

    with pytest.MonkeyPatch.context() as mp:
        for module in (app_module, flow_cmd, compare_cmd):
            mp.setattr(module, "load", _cached_load)
        yield mp


@pytest.fixture(scope="module")
def diamond() -> cx.Network:
    return from_frames(_DIAMOND, "diamond")


@fuzz(60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["fa", "fb", "ab", "am", "bm"]),
            st.floats(min_value=0, max_value=50, allow_nan=False),
        ),
        max_size=3,
    ),
    st.sampled_from(["max", "mincost"]),
)
def test_flows_stay_within_capacity(
    diamond: cx.Network, caps: list[tuple[str, float]], mode: str
) -> None:
    COUNTS["flows"] += 1
    scenario = cx.Scenario(
        override=tuple(Override(links=(k,), field="capacity", set=v) for k, v in caps)
    )
    with time_limit(LIMIT_S):
        result = solve_flow(diamond, "gas", "TM", "Market", mode=mode, scenario=scenario)
    assert result.links
    for link in result.links:
        assert (
            link.capacity is None
            or math.isnan(link.capacity)
            or (link.flow <= link.capacity + 1e-6)
        ), link
    _strict_json(json.dumps(_finite(result.as_dict()), allow_nan=False))


def _finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def float_or_text(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def attempt_click(fn: Callable[[], T]) -> tuple[T | None, Exception | None]:
    """``fn()``, or the usage error (``click.BadParameter``) it raised."""
    try:
        return fn(), None
    except typer.BadParameter as exc:
        return None, exc


@fuzz(4500)
@given(
    st.one_of(option_numbers.map(float_or_text), st.none()),
    st.text(max_size=12),
    st.lists(st.sampled_from([*COUNTRIES, *PASSAGES, *MODES, "[/x]"]), max_size=3),
)
def test_option_values_are_checked(
    tiny: cx.Network, number: float | str | None, text: str, names: list[str]
) -> None:
    COUNTS["option values"] += 1
    with time_limit(LIMIT_S):
        if not isinstance(number, str):
            _, bad = attempt_click(lambda: finite_non_negative(number))
            assert (bad is None) == (number is None or (math.isfinite(number) and number >= 0))
        errors = [
            attempt(lambda: parse_demand(text))[1],
            attempt(lambda: check_markets(tiny, ",".join(names)))[1],
        ]
        flags, error = attempt(
            lambda: cx.Scenario.from_flags(avoid=names, avoid_passages=names, avoid_modes=names)
        )
        if flags is not None:
            error = attempt(lambda: cx.apply_scenario(tiny, flags))[1]
    assert all(str(e) for e in [*errors, error] if e is not None)


@functools.cache
def _tiny_network(path: str) -> cx.Network:
    return cx.load(path)


def _cached_load(path: str | Path | None = None) -> cx.Network:
    """The CLI's ``load``, memoised per folder so that each command line costs its command."""
    return _tiny_network(str(path)) if path is not None else _tiny_network(str(TINY))


@fuzz(1000)
@given(st.data())
def test_command_lines_exit_cleanly(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    COUNTS["command lines"] += 1
    base = tmp_path_factory.getbasetemp()
    scenario = base / "cli.yaml"
    if not scenario.exists():
        scenario.write_text("close:\n  passages: [suez]\n")
    argv = data.draw(command_lines(str(scenario), str(base / "cli_out" / "net")))
    with time_limit(LIMIT_S):
        res = CliRunner().invoke(app, argv)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        assert isinstance(res.exception, CorridorsError), (argv, repr(res.exception))
        assert str(res.exception)
        return
    assert res.exit_code in (0, 1, 2), (argv, res.output)
    if res.exit_code == 0 and "--json" in argv:
        _strict_json(res.stdout)


def _nasty_cases(tmp: Path) -> list[tuple[list[str], str]]:
    import os

    laughs = tmp / "laughs.yaml"
    laughs.write_text(
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
    )
    fifo = tmp / "fifo.yaml"
    os.mkfifo(fifo)
    folder = tmp / "net"
    folder.mkdir()
    for p in TINY.glob("*.csv"):
        (folder / p.name).write_bytes(p.read_bytes())
    os.mkfifo(folder / "links_more.csv")
    deep = tmp / "deep.yaml"
    deep.write_text("close: " + "[" * 10_000 + "]" * 10_000 + "\n")
    route = ["route", "Alpha", "Delta", "--data", str(TINY)]
    return [
        ([*route, "--scenario", str(laughs)], "aliases expand"),
        (["flow", "--from", "KZ", "--data", str(TINY), "--scenario", str(laughs)], "aliases"),
        (["compare", str(laughs), "--data", str(TINY)], "aliases expand"),
        ([*route, "--scenario", str(fifo)], "not a regular file"),
        ([*route, "--scenario", "/dev/zero"], "not a regular file"),
        ([*route, "--scenario", str(deep)], "nested deeper"),
        (["route", "Alpha", "Delta", "--data", str(folder)], "not a regular file"),
        (["data", "validate", str(folder)], "not a regular file"),
        (["data", "export", "--out", "/dev/full", "--data", str(TINY)], "not a regular file"),
        (["data", "export", "--out", str(tmp), "--data", str(TINY)], "is a folder"),
        ([*route, "--value-of-time", "nan"], "finite"),
        ([*route, "--avoid-passage", "suezz"], "did you mean suez"),
    ]


def test_nasty_inputs_in_real_processes_end_with_a_message(tmp_path: Path) -> None:
    main = [sys.executable, "-c", "from corridors.cli.app import main; main()"]
    cases = _nasty_cases(tmp_path)
    running = []
    for i in range(0, len(cases), 4):  # four at a time, each with its own timeout
        batch = [
            (
                args,
                words,
                subprocess.Popen(
                    [*main, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                ),
            )
            for args, words in cases[i : i + 4]
        ]
        for args, words, proc in batch:
            try:
                _, err = proc.communicate(timeout=90)
            except subprocess.TimeoutExpired:
                proc.kill()
                pytest.fail(f"hang: corridors {' '.join(args)}")
            COUNTS["subprocess runs"] += 1
            running.append(args)
            assert proc.returncode in (1, 2), (args, err)
            assert "Traceback" not in err, (args, err)
            assert words in " ".join(err.split()), (args, err)
    assert len(running) == len(cases)
