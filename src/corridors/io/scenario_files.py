"""Read scenario YAML files, bounded and checked at the door.

A scenario file is read only if it is a regular file (a FIFO, a device such as
``/dev/zero`` or a folder is refused without reading) of at most
:data:`MAX_SCENARIO_BYTES`, in UTF-8 (a byte-order mark is dropped). It is parsed with a
safe loader that refuses more than :data:`MAX_ALIASES` aliases, documents whose aliases
expand to more than :data:`MAX_NODES` nodes (a "billion laughs" file fails at once, with a
short message), nesting deeper than :data:`MAX_DEPTH`, and a key given twice in one
mapping (naming both lines). Turning the mapping into a scenario is the model's job
(:func:`corridors.model.scenario.load_scenario`).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from corridors.errors import ScenarioError, shorten
from corridors.io.tables import decode_text, read_regular_file

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_SCENARIO_BYTES",
    "parse_scenario_text",
    "read_scenario",
    "shipped_scenarios",
    "yaml_line",
]

#: Largest scenario file read (bytes).
MAX_SCENARIO_BYTES = 256 * 1024
#: Most aliases (``*name``) a scenario file may use.
MAX_ALIASES = 100
#: Most YAML nodes a document may expand to, aliases counted as often as they are used.
MAX_NODES = 20_000
#: Deepest nesting of mappings and lists.
MAX_DEPTH = 32


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with bounds on aliases and depth, and no duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name); refused", line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels; refused", line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise _Refused(
                        f"key {shorten(key.value)!r} given twice (lines {seen[key.value]} "
                        f"and {line}); give it once",
                        line,
                    )
                seen[key.value] = line
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes the document expands to, each alias counted as a copy (memoised, no recursion)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [x for pair in node.value for x in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in children))
        elif id(node) not in sizes:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def parse_scenario_text(text: str, where: str) -> Any:
    r"""The YAML document in ``text``, parsed within the bounds of this module.

    Raises
    ------
    ScenarioError
        Naming ``where`` and the line, if the text is not valid YAML or breaks a bound.

    Examples
    --------
    >>> parse_scenario_text("close:\n  passages: [suez]\n", "s.yaml")
    {'close': {'passages': ['suez']}}
    >>> parse_scenario_text("close: {}\nclose: {}\n", "s.yaml")
    Traceback (most recent call last):
    ...
    corridors.errors.ScenarioError: s.yaml:2: key 'close' given twice (lines 1 and 2); give it once
    """
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses a character at once
        raise ScenarioError(f"{where}: not valid YAML: {shorten(str(exc), 300)}") from None
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root) > MAX_NODES:
            raise _Refused(f"aliases expand to more than {MAX_NODES:,} nodes; refused", 1)
        return loader.construct_document(root)
    except _Refused as exc:
        raise ScenarioError(f"{where}:{exc.line}: {exc.message}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{where}: not valid YAML: {shorten(str(exc), 300)}") from None
    finally:
        loader.dispose()


def _scenario_dir() -> Path:
    return Path(str(resources.files("corridors").joinpath("data/scenarios")))


def shipped_scenarios() -> dict[str, Path]:
    """Scenarios shipped with the package, by name.

    Examples
    --------
    >>> "cpc-suspension-2022" in shipped_scenarios()
    True
    """
    folder = _scenario_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def read_scenario(name_or_path: str | Path) -> tuple[Any, str, Path]:
    """Read a scenario file (or a shipped scenario by name): the parsed YAML, text and path.

    Raises
    ------
    ScenarioError
        If the file is missing, not a regular file, too large, not UTF-8, or not valid
        YAML within the bounds of this module.
    """
    shipped = shipped_scenarios()
    name = str(name_or_path)
    if not name.strip():
        raise ScenarioError("--scenario is empty: give a YAML file or a shipped scenario name")
    path = shipped.get(name, Path(name_or_path))
    try:
        text = decode_text(read_regular_file(path, MAX_SCENARIO_BYTES))
    except OSError as exc:
        names = ", ".join(shipped) or "none"
        raise ScenarioError(
            f"cannot read scenario {shorten(name)!r}: {exc.strerror or exc}. "
            f"Shipped scenarios: {names}"
        ) from None
    except ValueError as exc:
        raise ScenarioError(f"scenario {shorten(name)!r}: {exc}") from None
    if "\x00" in text:
        raise ScenarioError(f"scenario {shorten(name)!r}: a binary file (NUL bytes), not YAML")
    return parse_scenario_text(text, str(path)), text, path


def yaml_line(text: str, loc: Sequence[int | str]) -> int:
    r"""Line (1-based) of the YAML node at ``loc``, or of the deepest parent found.

    Examples
    --------
    >>> yaml_line("name: x\nclose:\n  passages: [suezz]\n", ["close", "passages"])
    3
    """
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError:
        return 0
    try:
        node: Any = loader.get_single_node()
    except yaml.YAMLError:
        return 0
    finally:
        loader.dispose()
    line = 1
    for key in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    if node is not None:
        line = node.start_mark.line + 1
    return line
