"""Every ``corridors ...`` command shown in a code block of README.md or docs/*.md runs.

Commands are read from fenced blocks and from indented (4-space) blocks, with a leading
``$ `` and a trailing ``# comment`` dropped. Usage-style placeholders are read as the docs
mean them: ``[--opt X]`` (an optional part) is included, and ``a|b|c`` (alternatives) is
run with its first alternative. ``corridors serve`` starts a server that does not exit; it
is covered by the web tests and not run here. The commands run in-process through Typer's
``CliRunner``, so the network is loaded once, each in a fresh temporary folder (a command
that writes files, such as ``corridors report --out report.html``, writes them there).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridors.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: Commands that do not exit by design, with the reason.
NOT_RUN = {"serve": "starts the web server (tests/test_web_api.py covers it)"}


def doc_commands(text: str) -> list[tuple[int, str]]:
    """``(line, command)`` for every ``corridors`` command in a code block of ``text``.

    Examples
    --------
    >>> doc_commands("x\\n\\n    corridors flow --from KZ   # note\\n```\\n$ corridors route A B\\n```")
    [(3, 'corridors flow --from KZ'), (5, 'corridors route A B')]
    """
    out: list[tuple[int, str]] = []
    fenced = False
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if not (fenced or line.startswith("    ")):
            continue
        cmd = line.strip().removeprefix("$ ")
        if cmd.startswith("corridors "):
            out.append((n, re.sub(r"\s+#.*$", "", cmd).strip()))
    return out


def runnable(cmd: str) -> list[str]:
    """The arguments of a docs command, placeholders read as the module docstring says.

    Examples
    --------
    >>> runnable("corridors leverage [--commodity crude|gas] [--exporter KZ]")
    ['leverage', '--commodity', 'crude', '--exporter', 'KZ']
    """
    text = cmd.replace("[", " ").replace("]", " ")
    args = [a.split("|")[0] for a in shlex.split(text)]
    return args[1:]


def _all() -> list[tuple[str, str]]:
    found = []
    for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for line, cmd in doc_commands(path.read_text(encoding="utf-8")):
            found.append((f"{path.name}:{line}", cmd))
    return found


COMMANDS = _all()


def test_the_docs_show_commands() -> None:
    names = {runnable(c)[0] for _, c in COMMANDS}
    assert {"flow", "route", "compare", "criticality"} <= names


@pytest.mark.parametrize(("where", "cmd"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_docs_command_runs(
    where: str, cmd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = runnable(cmd)
    if args[0] in NOT_RUN:
        pytest.skip(f"{where}: {NOT_RUN[args[0]]}")
    assert "..." not in args, f"{where}: {cmd!r} has a placeholder; show a concrete command"
    result = CliRunner().invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, f"{where}: {cmd}\n{result.output}\n{result.exception!r}"
