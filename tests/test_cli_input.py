"""Bad command lines and broken outputs (issue 14): a clear message and exit code, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import TINY
from corridors.cli import app as cli_app
from corridors.cli.app import app, main
from corridors.cli.render import print_json
from corridors.errors import DataError, UnknownPlaceError

MAIN = [sys.executable, "-c", "from corridors.cli.app import main; main()"]


def _strict_json(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_never_prints_infinity_or_nan() -> None:
    console = Console(file=io.StringIO())
    print_json(
        console, {"capacity": float("inf"), "rows": [{"x": float("nan")}, (1.0, -float("inf"))]}
    )
    assert _strict_json(console.file.getvalue()) == {
        "capacity": None,
        "rows": [{"x": None}, [1.0, None]],
    }


@pytest.mark.parametrize(
    "args",
    [
        ["route", "Alpha", "Delta", "--optimize", "generalized", "--value-of-time", "nan"],
        ["route", "Alpha", "Delta", "--optimize", "generalized", "--value-of-time", "inf"],
        ["route", "Alpha", "Delta", "--optimize", "generalized", "--value-of-time", "-5"],
        ["flow", "--from", "KZ", "--reference", "-10"],
    ],
)
def test_numeric_options_are_checked(args: list[str]) -> None:
    res = CliRunner().invoke(app, [*args, "--data", str(TINY)])
    assert res.exit_code == 2, res.output
    assert "must be a finite number >= 0" in res.output


def test_compare_unknown_market_is_an_error() -> None:
    res = CliRunner().invoke(app, ["compare", "cpc-suspension-2022", "--markets", "atlantis"])
    assert isinstance(res.exception, UnknownPlaceError)
    assert "atlantis" in str(res.exception)


def test_data_validate_reports_a_duplicate_mode_costs_row(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    path = folder / "mode_costs.csv"
    path.write_text(path.read_text().replace("road,container,3.0", "rail,container,3.0"))
    res = CliRunner().invoke(app, ["data", "validate", str(folder)])
    assert isinstance(res.exception, DataError)
    assert "duplicate mode_costs key" in str(res.exception)


def test_full_stdout_gives_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [*MAIN, "route", "Alpha", "Delta", "--data", str(TINY), "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [
        "error: cannot write to standard output: No space left on device"
    ]


def test_closed_stdout_gives_one_line_and_exit_1() -> None:
    cmd = " ".join(f"'{a}'" for a in [*MAIN, "route", "Alpha", "Delta", "--data", str(TINY)])
    res = subprocess.run(["sh", "-c", f"{cmd} >&-"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert res.stderr.strip() == "error: standard output is closed"


class _BrokenPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_gives_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _BrokenPipe())
    monkeypatch.setattr(
        sys, "argv", ["corridors", "route", "Alpha", "Delta", "--data", str(TINY), "--json"]
    )
    monkeypatch.setattr(cli_app.out, "_file", None)
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 1
    assert capsys.readouterr().err.strip() == (
        "error: cannot write to standard output: the reader closed the pipe"
    )
