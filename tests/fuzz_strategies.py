"""Hypothesis strategies that corrupt what a user gives ``corridors`` (issue 14).

Tables (cells, headers, rows, files, encodings), scenario files (mappings with wrong
types and numbers, alias bombs, deep nesting, duplicate keys, bytes) and command lines.
Every generated input is counted in :data:`COUNTS` (by category) so the suite can say
how many it ran.
"""

from __future__ import annotations

import csv
import io
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

TINY = Path(__file__).parent / "data" / "tiny"

#: Inputs generated so far, by category.
COUNTS: Counter[str] = Counter()

#: Cells a user (or a spreadsheet) might leave in a table.
BAD_CELLS = [
    "",
    " ",
    "inf",
    "-inf",
    "nan",
    "1e309",
    "-1",
    "0",
    "1e12",
    "2001.7",
    "abc",
    "a\x00b",
    "[/x]",
    "[red]",
    "x" * 300,
    "Ωé√",
    ";",
    ";;",
    "1,5",
    '"',
    "'",
    "\\",
    "1e-320",
    "0x10",
    "True",
    "\t",
]

PLACES = ["Alpha", "Delta", "Bravo", "alfa", "Zulu", "", " ", "[/x]", "Echo Port", "a", "q"]
COUNTRIES = ["RU", "KZ", "CN", "DE", "XX", "ru", "", "R", "USA", "AZ"]
PASSAGES = ["suez", "suezz", "cape", "", "bosporus", "SUEZ"]
MODES = ["rail", "road", "sea", "ferry", "boat", "", "RAIL"]
LINKS = ["ab", "bc", "cd", "pq", "qd", "ad_new", "zz", ""]
NODES = ["a", "b", "c", "d", "p", "q", "zz", ""]


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail an input that runs longer than ``seconds`` (a hang), via SIGALRM."""

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"input ran longer than {seconds} s (a hang)")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _tiny_rows() -> dict[str, list[list[str]]]:
    return {
        p.name: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"), newline="")))
        for p in sorted(TINY.glob("*.csv"))
    }


TINY_ROWS = _tiny_rows()

cells = st.one_of(
    st.sampled_from(BAD_CELLS),
    st.text(max_size=12),
    st.floats().map(repr),
    st.integers(-(10**6), 10**13).map(str),
)


def _encode(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def corrupted_folders(draw: st.DrawFn) -> dict[str, bytes]:
    """The tiny network's files with one to three corruptions: file name -> bytes."""
    files = {name: [list(r) for r in rows] for name, rows in TINY_ROWS.items()}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        rows = files[name]
        op = draw(
            st.sampled_from(
                [
                    *("cell", "cell", "cell", "dup_row", "del_row", "del_col", "header"),
                    *("empty", "header_only", "del_file", "swap", "extra_cell"),
                ]
            )
        )
        n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
        if op == "del_file":
            del files[name]
            if not files:
                break
        elif op == "empty":
            files[name] = []
        elif op == "header_only":
            files[name] = rows[:1]
        elif n_rows < 2 or n_cols == 0:
            continue
        elif op == "cell":
            r, c = draw(st.integers(1, n_rows - 1)), draw(st.integers(0, n_cols - 1))
            rows[r][c] = draw(cells)
        elif op == "dup_row":
            rows.append(list(rows[draw(st.integers(1, n_rows - 1))]))
        elif op == "del_row":
            del rows[draw(st.integers(1, n_rows - 1))]
        elif op == "del_col":
            c = draw(st.integers(0, n_cols - 1))
            for row in rows:
                del row[c : c + 1]
        elif op == "header":
            c = draw(st.integers(0, n_cols - 1))
            rows[0][c] = draw(st.one_of(st.sampled_from(rows[0]), cells))
        elif op == "swap":
            r = draw(st.integers(1, n_rows - 1))
            i, j = draw(st.integers(0, n_cols - 1)), draw(st.integers(0, n_cols - 1))
            rows[r][i], rows[r][j] = rows[r][j], rows[r][i]
        else:
            rows[draw(st.integers(1, n_rows - 1))].append(draw(cells))
    out = {name: _encode(rows).encode("utf-8") for name, rows in files.items()}
    if out:
        name = draw(st.sampled_from(sorted(out)))
        how = draw(st.sampled_from(["utf-8"] * 6 + ["bom", "latin-1", "utf-16", "cut", "bytes"]))
        text = out[name].decode("utf-8")
        if how == "bom":
            out[name] = b"\xef\xbb\xbf" + out[name]
        elif how == "latin-1":
            out[name] = text.encode("latin-1", errors="replace") + "é".encode("latin-1")
        elif how == "utf-16":
            out[name] = text.encode("utf-16")
        elif how == "cut":
            out[name] = out[name][: draw(st.integers(0, len(out[name])))]
        elif how == "bytes":
            out[name] = draw(st.binary(max_size=64))
    return out


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` into ``folder`` (emptied first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


numbers: st.SearchStrategy[Any] = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**7),
    st.booleans(),
    st.text(max_size=5),
    st.none(),
)


def _ids(pool: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.one_of(st.sampled_from(pool), st.text(max_size=6)), max_size=3)


overrides = st.fixed_dictionaries(
    {"field": st.sampled_from(["time", "cost", "capacity", "headway", "dwell", "speed"])},
    optional={
        "target": st.sampled_from(["links", "transfers", "nodes", "ports"]),
        "scale": numbers,
        "set": numbers,
        "links": _ids(LINKS),
        "modes": _ids(MODES),
        "nodes": _ids(NODES),
        "countries": _ids(COUNTRIES),
    },
)
added_links = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["ce", "ab", "x y", ""]),
        "from": st.sampled_from(NODES),
        "to": st.sampled_from(NODES),
        "mode": st.sampled_from(MODES),
        "length_km": numbers,
    },
    optional={
        "countries": st.sampled_from(["RU;AZ", "XX", ""]),
        "status": st.sampled_from(["operating", "open"]),
        "direction": st.just("both"),
        "sources": st.sampled_from(["hand", "nope"]),
        "colour": st.just("red"),
    },
)
scenario_mappings = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.text(max_size=8), st.integers()),
        "close": st.fixed_dictionaries(
            {},
            optional={
                "countries": _ids(COUNTRIES),
                "nodes": _ids(NODES),
                "links": _ids(LINKS),
                "passages": _ids(PASSAGES),
                "modes": _ids(MODES),
                "ports": st.just(["x"]),
            },
        ),
        "open_links": _ids(LINKS),
        "override": st.lists(overrides, max_size=3),
        "add_links": st.lists(added_links, max_size=2),
        "sources": st.one_of(st.lists(st.text(max_size=5), max_size=2), st.integers()),
    },
)


def _bomb(levels: int, width: int) -> str:
    text = "a0: &a0 [lol]\n"
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]\n"
    return text


@st.composite
def scenario_texts(draw: st.DrawFn) -> bytes:
    """A scenario file's bytes: a dumped mapping, often corrupted, or something else."""
    text = yaml.safe_dump(draw(scenario_mappings), allow_unicode=True)
    how = draw(
        st.sampled_from(
            ["as is"] * 5 + ["dup key", "bomb", "deep", "splice", "cut", "raw", "tabs", "alias"]
        )
    )
    if how == "dup key" and text.strip() not in ("{}", ""):
        text += text.splitlines()[0].split(":")[0] + ": []\n"
    elif how == "bomb":
        text = _bomb(draw(st.integers(2, 10)), draw(st.integers(2, 12))) + text
    elif how == "deep":
        depth = draw(st.integers(1, 3000))
        text = "close: " + "[" * depth + "]" * depth + "\n"
    elif how == "splice":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=10)) + text[at:]
    elif how == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "raw":
        text = draw(st.text(max_size=60))
    elif how == "tabs":
        text = text.replace("  ", "\t")
    elif how == "alias":
        text = "x: &x {passages: [suez]}\nclose: *x\n" + text.replace("close:", "closed:")
    data = text.encode("utf-8", errors="surrogatepass")
    enc = draw(st.sampled_from(["utf-8"] * 8 + ["bom", "latin-1", "utf-16", "bytes"]))
    if enc == "bom":
        data = b"\xef\xbb\xbf" + data
    elif enc == "latin-1":
        data = text.encode("latin-1", errors="replace") + b"\xe9"
    elif enc == "utf-16":
        data = text.encode("utf-16", errors="surrogatepass")
    elif enc == "bytes":
        data = draw(st.binary(max_size=80))
    return data


option_numbers = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "-5", "0", "1e308", "abc", "", "1e-300", "-0"]),
    st.floats().map(repr),
)


@st.composite
def command_lines(draw: st.DrawFn, scenario: str, out: str) -> list[str]:
    """A command line for the tiny network: a command and a few options, some bad."""
    kind = draw(st.sampled_from(["route"] * 4 + ["validate", "export", "show", "flow", "junk"]))
    data = ["--data", str(TINY)]
    if kind == "validate":
        return ["data", "validate", draw(st.sampled_from([str(TINY), "/nonexistent", "/dev/null"]))]
    if kind == "export":
        fmt = draw(st.sampled_from(["geojson", "csv", "shp"]))  # gpkg: tests/test_exports.py
        target = draw(st.sampled_from([out, "", "/dev/full", str(Path(out).parent), out + "/x/y"]))
        return ["data", "export", "--format", fmt, "--out", target, *data]
    if kind == "show":
        return ["scenarios", "show", draw(st.sampled_from([scenario, "nope", "", "/dev/zero"]))]
    if kind == "flow":
        return [
            "flow",
            "--from",
            draw(st.sampled_from(["KZ", "", "zz"])),
            "--reference",
            draw(option_numbers),
            *data,
        ]
    if kind == "junk":
        return draw(st.lists(st.text(max_size=8), max_size=4))
    args = ["route", draw(st.sampled_from(PLACES)), draw(st.sampled_from(PLACES))]
    pool: list[st.SearchStrategy[list[str]]] = [
        st.tuples(st.just("--optimize"), st.sampled_from(["time", "cost", "generalized", "x"])).map(
            list
        ),
        st.tuples(st.just("--value-of-time"), option_numbers).map(list),
        st.tuples(st.just("--avoid"), st.sampled_from(COUNTRIES)).map(list),
        st.tuples(st.just("--avoid-passage"), st.sampled_from(PASSAGES)).map(list),
        st.tuples(st.just("--avoid-mode"), st.sampled_from(MODES)).map(list),
        st.tuples(st.just("--via"), st.sampled_from(PLACES)).map(list),
        st.tuples(st.just("--alternatives"), st.sampled_from(["1", "3", "0", "21", "x"])).map(list),
        st.tuples(st.just("--scenario"), st.just(scenario)).map(list),
        st.just(["--json"]),
    ]
    for extra in draw(st.lists(st.sampled_from(pool), max_size=4)):
        args += draw(extra)
    return [*args, *data]
