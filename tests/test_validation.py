"""Each validation error class, reported with file, row, column and value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import corridors as cx
from corridors.errors import Problem


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(cx.DataError) as info:
        cx.load(folder)
    return info.value.problems


CASES = [
    # (file, old, new, column, value, words in the message)
    ("links.csv", "ab,A-B rail,a,b,", "ab,A-B rail,a,zz,", "to", "zz", "unknown node"),
    ("links.csv", "bc,B-C rail", "ab,B-C rail", "id", "ab", "duplicate"),
    ("nodes.csv", "c,Charlie,,city,RU", "c,Charlie,,city,RX", "country", "RX", "ISO 3166"),
    ("nodes.csv", "d,Delta,,city,DE,0,3", "d,Delta,,city,DE,95,3", "lat", "95", "out of range"),
    ("nodes.csv", "d,Delta,,city,DE,0,3", "d,Delta,,city,DE,0,190", "lon", "190", "out of range"),
    (
        "links.csv",
        "rail,1435,120,10,10",
        "rail,1435,-120,10,10",
        "length_km",
        "-120",
        "must be > 0",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120",
        "ab,A-B rail,a,b,rail,1435,",
        "length_km",
        "",
        "missing",
    ),
    (
        "links.csv",
        "bc,B-C rail,b,c,rail,1520,120,10,10",
        "bc,B-C rail,b,c,rail,1520,120,-1,10",
        "time_low_h",
        "-1",
        ">= 0",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120",
        "ab,A-B rail,a,b,rail,1435,50",
        "length_km",
        "50",
        "shorter than the great-circle",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120",
        "ab,A-B rail,a,b,rail,1435,900",
        "length_km",
        "900",
        "3x the great-circle",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435",
        "ab,A-B rail,a,b,rail,",
        "gauge_mm",
        "",
        "needs its gauge",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435",
        "ab,A-B rail,a,b,rail,1000",
        "gauge_mm",
        "1000",
        "must be one of",
    ),
    (
        "links.csv",
        "CN;KZ,,operating,,both,,hand,,",
        "CN;KZ,,operating,,both,,,,",
        "sources",
        "",
        "without a source",
    ),
    (
        "links.csv",
        "CN;KZ,,operating,,both,,hand,,",
        "CN;KZ,,operating,,both,,nope,,",
        "sources",
        "nope",
        "unknown source",
    ),
    ("links.csv", "CN;KZ,,operating", "CN;KZ,,running", "status", "running", "must be one of"),
    (
        "links.csv",
        "CN;DE,suez,operating",
        "CN;DE,suezz,operating",
        "passages",
        "suezz",
        "unknown passage",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,,,CN;KZ",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,,,KZ;CN",
        "countries",
        "KZ;CN",
        "must start with",
    ),
    (
        "transfers.csv",
        "b_gauge,b,rail_1435",
        "b_gauge,b,rail_1000",
        "from_layer",
        "rail_1000",
        "unknown layer",
    ),
    (
        "transfers.csv",
        "b_gauge,b,rail_1435,rail_1520,gauge_change,6,10",
        "b_gauge,b,rail_1435,rail_1520,gauge_change,16,10",
        "time_low_h",
        "16.0",
        "above time_high_h",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,,",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,5,",
        "capacity_unit",
        "",
        "needs its unit",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,,",
        "ab,A-B rail,a,b,rail,1435,12o,10,10,,,,",
        "length_km",
        "12o",
        "not a number",
    ),
    ("nodes.csv", "a,Alpha", "A B,Alpha", "id", "A B", "lowercase"),
]


@pytest.mark.parametrize(("file", "old", "new", "column", "value", "words"), CASES)
def test_each_error_class_names_file_row_column_value(
    tiny_copy: Callable[[], Path],
    file: str,
    old: str,
    new: str,
    column: str,
    value: str,
    words: str,
) -> None:
    folder = tiny_copy()
    edit(folder, file, old, new)
    found = [p for p in problems_of(folder) if p.column == column and words in p.message]
    assert found, f"no {column!r} problem with {words!r}"
    assert found[0].file == file
    assert found[0].row >= 2
    assert found[0].value == value


def test_every_problem_is_reported_at_once(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "nodes.csv", "c,Charlie,,city,RU", "c,Charlie,,city,RX")
    edit(folder, "links.csv", "ab,A-B rail,a,b,rail,1435", "ab,A-B rail,a,b,rail,")
    edit(folder, "links.csv", "CN;DE,suez,operating", "CN;DE,suez,running")
    problems = problems_of(folder)
    assert {p.column for p in problems} >= {"country", "gauge_mm", "status"}


def test_unknown_and_missing_columns(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "nodes.csv", "id,name,aliases", "id,nome,aliases")
    problems = problems_of(folder)
    assert any(p.column == "nome" and "unknown column" in p.message for p in problems)
    assert any(p.column == "name" and "required column" in p.message for p in problems)


def test_ragged_row(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "nodes.csv", "d,Delta,,city,DE,0,3,,,,,hand,,", "d,Delta,,city,DE,0,3")
    assert any("cells" in p.message and p.row == 5 for p in problems_of(folder))


def test_table_split_over_parts_and_duplicate_across_parts(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    (folder / "nodes_extra.csv").write_text(
        "id,name,aliases,kind,country,lat,lon,dwell_low_h,dwell_high_h,capacity,capacity_unit,sources,estimate,note\n"
        "z,Zulu,,city,TR,0,4,,,,,,great-circle guess,\n"
        "a,Alpha again,,city,CN,0,0,,,,,hand,,\n"
    )
    problems = problems_of(folder)
    assert [(p.file, p.column, p.value) for p in problems] == [("nodes_extra.csv", "id", "a")]


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(cx.DataError, match="not a folder"):
        cx.load(tmp_path / "missing")
