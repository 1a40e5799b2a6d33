"""The offline data-build script reproduces the stored sea legs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_build_script_reproduces_stored_sea_legs() -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_sea_legs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert res.returncode == 0, res.stdout + res.stderr
