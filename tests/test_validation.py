"""Each validation error class, reported with file, row, column and value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import corridors as cx
from corridors.errors import Problem
from corridors.model.network import from_frames


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


# --- issue 14: every number finite and in range, keys unique, empty tables named ---

BOUND_CASES = [
    # (file, old, new, column, value, words): each was accepted before issue 14
    ("modes.csv", "rail,40,60", "rail,40,inf", "speed_high_kmh", "inf", "finite"),
    ("modes.csv", "rail,40,60", "rail,40,1e9", "speed_high_kmh", "1e9", "out of range"),
    ("modes.csv", "rail,40,60", "rail,0,60", "speed_low_kmh", "0", "must be > 0"),
    (
        "nodes.csv",
        "b,Bravo Border,Bravo,border,KZ,0,1,2,4",
        "b,Bravo Border,Bravo,border,KZ,0,1,2,inf",
        "dwell_high_h",
        "inf",
        "finite",
    ),
    (
        "nodes.csv",
        "b,Bravo Border,Bravo,border,KZ,0,1,2,4",
        "b,Bravo Border,Bravo,border,KZ,0,1,2,1e9",
        "dwell_high_h",
        "1e9",
        "out of range",
    ),
    (
        "transfers.csv",
        "gauge_change,6,10",
        "gauge_change,6,1e9",
        "time_high_h",
        "1e9",
        "out of range",
    ),
    ("transfers.csv", "gauge_change,6,10", "gauge_change,6,inf", "time_high_h", "inf", "finite"),
    (
        "links.csv",
        "rail,1435,120,10,10",
        "rail,1435,1e12,10,10",
        "length_km",
        "1e12",
        "out of range",
    ),
    (
        "links.csv",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,,",
        "ab,A-B rail,a,b,rail,1435,120,10,10,,,inf,TEU/yr",
        "capacity",
        "inf",
        "finite",
    ),
    ("links.csv", "p,q,sea,,400,100,120", "p,q,sea,,400,0,120", "time_low_h", "0", "km/h"),
    (
        "links.csv",
        "bc,B-C rail,b,c,rail,1520,120,10,10",
        "bc,B-C rail,b,c,rail,1520,120,10,",
        "time_high_h",
        "",
        "give both ends",
    ),
    ("sources.csv", ",2026,", ",2001.7,", "year", "2001.7", "whole number"),
    (
        "links.csv",
        "CN;KZ,,operating,,both",
        "CN;KZ,,operating,inf,both",
        "start_year",
        "inf",
        "finite",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "column", "value", "words"), BOUND_CASES)
def test_numbers_finite_in_range_and_whole(
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
    assert found, f"no {column!r} problem with {words!r}: {problems_of(folder)}"
    assert (found[0].file, found[0].value) == (file, value)
    assert found[0].row >= 2


def test_schema_declares_a_range_for_every_number() -> None:
    from corridors.model.schema import TABLES, table_schema

    numbers = [c for t in TABLES for c in table_schema(t) if c.is_number and not c.choices]
    assert numbers
    unbounded = [(c.table, c.name) for c in numbers if c.minimum is None or c.maximum is None]
    assert unbounded == []
    speeds = [c for c in table_schema("modes") if c.name.startswith("speed")]
    assert all(c.exclusive_min and c.minimum == 0 for c in speeds)


def test_duplicate_mode_costs_row_names_both_rows(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "mode_costs.csv", "road,container,3.0", "rail,container,3.0")
    [p] = [p for p in problems_of(folder) if "duplicate" in p.message]
    assert (p.file, p.row, p.value) == ("mode_costs.csv", 3, "rail,container")
    assert "first at mode_costs.csv:2" in p.message


def test_duplicate_mode_row(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "modes.csv", "road,50,50", "rail,50,50")
    [p] = [p for p in problems_of(folder) if "duplicate" in p.message]
    assert (p.file, p.row, p.column, p.value) == ("modes.csv", 3, "mode", "rail")
    assert "modes.csv:2" in p.message


def test_nul_byte_in_a_cell(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(folder, "nodes.csv", "c,Charlie", "c,Char\x00lie")
    [p] = [p for p in problems_of(folder) if "NUL" in p.message]
    assert (p.file, p.row, p.column) == ("nodes.csv", 4, "name")


def test_header_naming_a_column_twice(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    edit(
        folder,
        "modes.csv",
        "mode,speed_low_kmh,speed_high_kmh,sources,estimate,note",
        "mode,speed_low_kmh,speed_high_kmh,sources,estimate,sources",
    )
    [p] = [p for p in problems_of(folder) if "twice" in p.message]
    assert (p.file, p.row, p.column) == ("modes.csv", 1, "sources")
    assert "columns 4 and 6" in p.message


def test_utf8_bom_header_is_accepted(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    path = folder / "nodes.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "a" in cx.load(folder).nodes.index


@pytest.mark.parametrize(
    ("how", "file", "words"),
    [
        ("missing", "", "no modes.csv"),
        ("misnamed", "", "no modes.csv"),
        ("header-only", "modes.csv", "modes table has no rows"),
        ("without rail", "links.csv", "modes table has no speed for rail"),
    ],
)
def test_missing_or_empty_modes_table_is_named(
    tiny_copy: Callable[[], Path], how: str, file: str, words: str
) -> None:
    folder = tiny_copy()
    path = folder / "modes.csv"
    if how == "missing":
        path.unlink()
    elif how == "header-only":
        path.write_text(path.read_text().splitlines()[0] + "\n")
    elif how == "misnamed":
        path.rename(folder / "mode.csv")
    else:
        edit(folder, "modes.csv", "rail,40,60,hand,,\n", "")
    found = [p for p in problems_of(folder) if words in p.message]
    assert found, problems_of(folder)
    assert found[0].file == (file or str(folder))


def test_empty_nodes_table_is_named_not_280_dangling_references(
    tiny_copy: Callable[[], Path],
) -> None:
    folder = tiny_copy()
    path = folder / "nodes.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    problems = problems_of(folder)
    assert any(p.file == "nodes.csv" and "nodes table has no rows" in p.message for p in problems)
    with pytest.raises(cx.DataError, match="nodes table has no rows"):
        from_frames({})
    assert not [p for p in problems if p.file.endswith(".csv") and "unknown node" in p.message]


def test_fifo_in_the_data_folder_is_refused_without_reading(
    tiny_copy: Callable[[], Path],
) -> None:
    import os

    folder = tiny_copy()
    os.mkfifo(folder / "links_extra.csv")
    [p] = [p for p in problems_of(folder) if p.file == "links_extra.csv"]
    assert "not a regular file" in p.message


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"id,name\n\xe9,x\n", "not UTF-8 (byte 0xe9 on line 2)"), ("id".encode("utf-16"), "UTF-16")],
)
def test_table_encoding_errors_are_named(
    tiny_copy: Callable[[], Path], data: bytes, words: str
) -> None:
    folder = tiny_copy()
    (folder / "sources_more.csv").write_bytes(data)
    [p] = [p for p in problems_of(folder) if p.file == "sources_more.csv"]
    assert words in p.message


def test_errors_are_capped(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    row = "z{},Zulu,,city,XX,0,4,,,,,hand,,\n"
    (folder / "nodes_many.csv").write_text(
        (folder / "nodes.csv").read_text().splitlines()[0]
        + "\n"
        + "".join(row.format(i) for i in range(2000))
    )
    with pytest.raises(cx.DataError) as info:
        cx.load(folder)
    assert len(info.value.problems) == 2000
    assert len(str(info.value)) < 10_000
    assert "... and 1950 more" in str(info.value)


def test_long_values_are_shortened_in_messages() -> None:
    text = str(Problem("links.csv", 2, "name", "x" * 10_000, "bad"))
    assert len(text) < 200
    assert "more characters" in text
