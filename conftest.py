"""Session-wide test setup, for the tests and the doctests under ``src`` alike.

The validated-network cache (:mod:`corridors.io.network_cache`) goes to a fresh folder
per test session, never to the user's own cache: the suite starts cold, every later
``load`` of unchanged tables is a cache hit, and nothing outlives the session.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_ENV = "CORRIDORS_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    """Point the network cache at a fresh folder for this session (and turn it on)."""
    os.environ.pop("CORRIDORS_NO_CACHE", None)
    os.environ[_CACHE_ENV] = tempfile.mkdtemp(prefix="corridors-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder."""
    folder = os.environ.pop(_CACHE_ENV, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
