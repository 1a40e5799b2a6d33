"""Cold start: the validated-network cache, lazy imports, and imports that run downward only."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import corridors as cx
from corridors.io import network_cache
from corridors.model import network
from corridors.model.network import Network

SRC = Path(cx.__file__).parent


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(folder))
    monkeypatch.delenv("CORRIDORS_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the calls of the table validator (one per load that is not a cache hit)."""
    calls: list[int] = []
    real = network.validate_tables

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(network, "validate_tables", counting)
    return calls


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("network-*.pickle"))


def assert_same_network(a: Network, b: Network) -> None:
    for f in dataclasses.fields(Network):
        if f.name == "cache":
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        else:
            assert x == y, f.name


# ----------------------------------------------------------------------------- the cache


def test_second_load_comes_from_the_cache(
    cache: Path, tiny_copy: Callable[[], Path], validations: list[int]
) -> None:
    folder = tiny_copy()
    first = cx.load(folder)
    assert len(validations) == 1
    assert len(entries(cache)) == 1
    second = cx.load(folder)
    assert len(validations) == 1, "the second load validated the tables again"
    assert second is not first
    assert_same_network(first, second)
    assert second.cache == {}, "compiled graphs are not cached on disk"


def test_cached_network_answers_as_the_fresh_one(
    cache: Path, tiny_copy: Callable[[], Path]
) -> None:
    folder = tiny_copy()
    fresh = cx.route(cx.load(folder), "Alpha", "Delta")
    cached = cx.route(cx.load(folder), "Alpha", "Delta")
    assert cached.as_dict() == fresh.as_dict()


def test_a_changed_table_file_is_validated_again(
    cache: Path, tiny_copy: Callable[[], Path], validations: list[int]
) -> None:
    folder = tiny_copy()
    assert cx.load(folder).links.loc["ab", "length_km"] == 120
    links = folder / "links.csv"
    text = links.read_text(encoding="utf-8")
    links.write_text(
        text.replace("ab,A-B rail,a,b,rail,1435,120,", "ab,A-B rail,a,b,rail,1435,130,")
    )
    assert cx.load(folder).links.loc["ab", "length_km"] == 130
    assert len(validations) == 2


def test_same_size_and_mtime_but_other_content_is_validated_again(
    cache: Path, tiny_copy: Callable[[], Path], validations: list[int]
) -> None:
    folder = tiny_copy()
    links = folder / "links.csv"
    st = links.stat()
    cx.load(folder)
    text = links.read_text(encoding="utf-8")
    links.write_text(text.replace(",120,", ",125,", 1), encoding="utf-8")
    os.utime(links, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert links.stat().st_size == st.st_size
    assert cx.load(folder).links.loc["ab", "length_km"] == 125
    assert len(validations) == 2


def test_an_added_table_file_is_read(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    assert "z" not in cx.load(folder).nodes.index
    header = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "nodes_extra.csv").write_text(
        f"{header}\nz,Zulu,,city,DE,0,4,,,,,hand,,\n", encoding="utf-8"
    )
    assert "z" in cx.load(folder).nodes.index


def test_a_removed_table_file_is_missed(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    assert len(cx.load(folder).transfers) > 0
    (folder / "transfers.csv").unlink()
    assert len(cx.load(folder).transfers) == 0


def test_a_file_that_is_not_a_table_counts_too(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    before = network_cache.network_key(folder, label="x")
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    assert network_cache.network_key(folder, label="x") != before


def test_a_corrupt_entry_is_ignored_and_rebuilt(
    cache: Path, tiny_copy: Callable[[], Path], validations: list[int]
) -> None:
    folder = tiny_copy()
    fresh = cx.load(folder)
    (entry,) = entries(cache)
    entry.write_bytes(b"not a pickle")
    again = cx.load(folder)
    assert len(validations) == 2
    assert_same_network(fresh, again)
    cx.load(folder)
    assert len(validations) == 2, "the rebuilt entry is used"


def test_an_entry_of_another_key_is_ignored(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    key = network_cache.network_key(folder, label=str(folder))
    network_cache.write_entry("0" * 32, "something else", cache)
    (cache / "network-0000.pickle").write_bytes((cache / f"network-{'0' * 32}.pickle").read_bytes())
    assert network_cache.read_entry(key, cache) is None
    assert network_cache.read_entry("0000", cache) is None
    assert not (cache / "network-0000.pickle").exists()


def test_no_cache_env_turns_it_off(
    cache: Path, tiny_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_NO_CACHE", "1")
    cx.load(tiny_copy())
    assert not cache.exists()


def test_the_env_var_chooses_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path / "a"))
    cx.load()
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path / "b"))
    cx.load()
    assert len(entries(tmp_path / "a")) == 1
    assert len(entries(tmp_path / "b")) == 1


def test_the_cache_keeps_the_newest_entries(cache: Path) -> None:
    for i in range(network_cache.KEEP + 3):
        path = network_cache.write_entry(f"{i:032x}", i, cache)
        assert path is not None
        os.utime(path, ns=(i * 10**9, i * 10**9))
    kept = entries(cache)
    assert len(kept) == network_cache.KEEP
    assert (
        network_cache.read_entry(f"{network_cache.KEEP + 2:032x}", cache) == network_cache.KEEP + 2
    )
    assert network_cache.read_entry(f"{0:032x}", cache) is None


def test_the_cache_keeps_within_its_byte_budget(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network_cache, "MAX_BYTES", 2500)
    for i in range(4):
        path = network_cache.write_entry(f"{i:032x}", b"x" * 1000, cache)
        assert path is not None
        os.utime(path, ns=(i * 10**9, i * 10**9))
    assert entries(cache) == [cache / f"network-{i:032x}.pickle" for i in (2, 3)]
    assert network_cache.read_entry(f"{3:032x}", cache) == b"x" * 1000
    assert network_cache.read_entry(f"{1:032x}", cache) is None
    monkeypatch.setattr(network_cache, "MAX_BYTES", 10)
    assert network_cache.write_entry("f" * 32, b"y" * 1000, cache) is not None
    assert entries(cache) == [cache / f"network-{'f' * 32}.pickle"], "the newest stays"


def test_writes_leave_no_temporary_file(cache: Path) -> None:
    network_cache.write_entry("1" * 32, {"a": 1}, cache)
    assert [p.name for p in cache.iterdir()] == [f"network-{'1' * 32}.pickle"]


def test_an_unpicklable_object_is_not_cached(cache: Path) -> None:
    assert network_cache.write_entry("2" * 32, lambda: None, cache) is None
    assert list(cache.iterdir()) == []


def test_an_unwritable_cache_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(blocker / "cache"))
    assert "duisburg" in cx.load().nodes.index


def test_invalid_tables_are_never_cached(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    (folder / "links.csv").write_text("id\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(cx.DataError):
            cx.load(folder)
    assert not cache.exists() or entries(cache) == []


def test_every_network_field_survives_the_cache(cache: Path, tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    cx.load(folder)
    cached = cx.load(folder)
    for f in dataclasses.fields(Network):
        assert hasattr(cached, f.name)


# ----------------------------------------------------------------------------- lazy imports


def modules_after(code: str) -> set[str]:
    """Modules loaded by a fresh interpreter after running ``code``."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "160"},
    )
    return set(out.stdout.split())


HEAVY = ("pandas", "scipy", "pydantic", "highspy", "geopandas", "yaml", "pycountry", "typer")


def test_import_corridors_imports_no_heavy_library() -> None:
    loaded = modules_after("import corridors")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_the_package_names_resolve_lazily() -> None:
    loaded = modules_after("import corridors\ncorridors.load\ncorridors.Route")
    assert "corridors.api" in loaded
    assert "corridors.analyses.flows.solve" not in loaded
    assert set(cx.__all__) <= set(dir(cx))
    for name in cx.__all__:
        assert getattr(cx, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = cx.nope  # type: ignore[attr-defined]


SOLVERS = ("scipy.optimize", "highspy", "geopandas", "shapely", "networkx")
OTHER_ANALYSES = tuple(f"corridors.analyses.{a}" for a in ("assignment", "flows", "compare"))


def test_a_route_query_imports_no_solver_and_no_other_analysis() -> None:
    loaded = modules_after(
        "from corridors.cli.app import app\n"
        "app(['route', 'Chongqing', 'Duisburg', '--json'], standalone_mode=False)"
    )
    assert "corridors.analyses.routing.search" in loaded
    unwanted = {m for m in loaded if m.startswith((*SOLVERS, *OTHER_ANALYSES))}
    assert not unwanted


# ----------------------------------------------------------------------------- layering

#: Each layer may import itself and the layers after it (plus errors, units, geo).
LAYERS = ("cli", "analyses", "results", "model", "io")
BASE = {"errors", "units", "geo", "api"}


def _imports(tree: ast.Module) -> Iterator[str]:
    """Modules imported by a file, outside ``if TYPE_CHECKING:`` blocks."""

    def walk(nodes: list[ast.stmt]) -> Iterator[str]:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                yield from walk(node.orelse)
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                    yield sub.module
                elif isinstance(sub, ast.Import):
                    yield from (a.name for a in sub.names)

    yield from walk(tree.body)


@pytest.mark.parametrize("layer", ["io", "model", "results"])
def test_imports_run_downward_only(layer: str) -> None:
    allowed = {*LAYERS[LAYERS.index(layer) :], *BASE} - {"api"}
    leaks = []
    for path in sorted((SRC / layer).rglob("*.py")):
        for module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] == "corridors" and len(parts) > 1 and parts[1] not in allowed:
                leaks.append(f"{path.relative_to(SRC)} imports {module}")
    assert not leaks
