from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import corridors as cx

TINY = Path(__file__).parent / "data" / "tiny"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``corridors`` command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from corridors.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin", **cache_env()},
    )


def cache_env() -> dict[str, str]:
    """The session's network-cache folder (set by the root ``conftest.py``), for subprocesses."""
    return {k: os.environ[k] for k in ("CORRIDORS_CACHE_DIR",) if k in os.environ}


@pytest.fixture(scope="session")
def tiny() -> cx.Network:
    return cx.load(TINY)


@pytest.fixture(scope="session")
def default_net() -> cx.Network:
    return cx.load()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Callable[[], Path]:
    """A writable copy of the tiny network folder."""

    def make() -> Path:
        dest = tmp_path / "tiny"
        shutil.copytree(TINY, dest)
        return dest

    return make
