"""Read ``analysis_defaults.yaml`` of a dataset folder as plain data, remembering lines.

The file holds dataset facts that the analyses use by default (corridor options, default
pairs, supply countries ...); :mod:`corridors.model.analysis_defaults` types and checks
it. Reading stays here: the model never opens a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corridors.errors import Problem

__all__ = ["DEFAULTS_FILE", "DefaultsText", "read_defaults_file"]

#: File name of the analysis defaults in a dataset folder.
DEFAULTS_FILE = "analysis_defaults.yaml"

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class DefaultsText:
    """The parsed file: its data and the line (1-based) of every node by its path."""

    file: str
    data: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """Line of the node at ``loc``, or of its deepest parent found (0: unknown).

        Examples
        --------
        >>> t = DefaultsText("f.yaml", {}, {(): 1, ("a",): 2})
        >>> t.line(("a", 0, "b")), t.line(("z",))
        (2, 1)
        """
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return 0


def _node_lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _node_lines(value, (*loc, str(key.value)), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*loc, i), out)


def read_defaults_file(folder: Path) -> tuple[DefaultsText | None, list[Problem]]:
    """Read ``folder/analysis_defaults.yaml``.

    Returns
    -------
    text, problems
        ``(None, [])`` when the folder has no such file; ``(None, problems)`` when it cannot
        be read or is not a YAML mapping; else the data with its lines.

    Examples
    --------
    >>> from corridors.io.tables import default_data_dir
    >>> text, problems = read_defaults_file(default_data_dir())
    >>> problems, "corridor_options" in text.data
    ([], True)
    """
    path = folder / DEFAULTS_FILE
    if not path.is_file():
        return None, []
    try:
        raw = path.read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(DEFAULTS_FILE, 0, "", "", f"cannot read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return None, [Problem(DEFAULTS_FILE, line, "", "", f"not valid YAML: {exc}")]
    if not isinstance(data, dict) or root is None:
        return None, [
            Problem(DEFAULTS_FILE, 1, "", "", "must be a YAML mapping (corridor_options:, ...)")
        ]
    lines: dict[Loc, int] = {}
    _node_lines(root, (), lines)
    return DefaultsText(DEFAULTS_FILE, data, lines), []
