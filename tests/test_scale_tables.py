"""The columnar CSV reader and validation give what the row-by-row ones gave.

:func:`corridors.io.tables.read_table_files` parses a file with pandas' C parser and
falls back to :mod:`csv` row by row where the two could differ; these tests hold both
paths to the same tables and the same problems, on awkward files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corridors.datasets.synthetic import write_synthetic
from corridors.errors import DataError
from corridors.io import tables as reader
from corridors.model.network import load

HEADER = "id,name,kind,country,lat,lon,sources\n"
GOOD = "a,A,city,DE,52,13,s\n"

CASES = {
    "plain": HEADER + GOOD + "b,B,city,PL,52,21,s\n",
    "crlf": (HEADER + GOOD).replace("\n", "\r\n"),
    "blank lines": HEADER + "\n" + GOOD + "\n\n" + "b,B,city,PL,52,21,s\n",
    "blank first": "\n" + HEADER + GOOD,
    "spaces only": HEADER + "   \n" + GOOD + " , , \n",
    "short row": HEADER + "a,A,city\n" + GOOD.replace("a,A", "b,B"),
    "long row": HEADER + GOOD + "b,B,city,PL,52,21,s,extra\n",
    "quoted newline": HEADER + 'a,"A\nA",city,DE,52,13,s\n' + "b,B,city,PL,52,21,s\n",
    "quoted comma": HEADER + 'a,"A, the city",city,DE,52,13,s\n',
    "padded": "id , name,kind,country,lat,lon,sources\n a ,A ,city, DE,52, 13,s\n",
    "stray quote": HEADER + 'a,A"x,city,DE,52,13,s\n',
    "header only": HEADER,
    "duplicate column": "id,name,name,kind,country,lat,lon,sources\na,A,B,city,DE,52,13,s\n",
    "unknown column": "id,name,kind,country,lat,lon,sources,colour\na,A,city,DE,52,13,s,red\n",
    "nul": HEADER + "a,A\x00,city,DE,52,13,s\n",
    "cr only": (HEADER + GOOD).replace("\n", "\r"),
    "quoted quote": HEADER + 'a,"A ""big"" one",city,DE,52,13,s\n',
    "quote then text": HEADER + 'a,"A"x,city,DE,52,13,s\n',
    "no newline at end": HEADER + GOOD.rstrip("\n"),
}


def _read(folder: Path, exact: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        if exact:
            m.setattr(reader, "_cells", lambda text: None)
        tables, problems = reader.read_table_files(folder)
    return tables["nodes"], problems


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_reader_matches_exact_reader(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nodes.csv").write_text(CASES[name], encoding="utf-8", newline="")
    fast_nodes, fast_problems = _read(tmp_path, False, monkeypatch)
    exact_nodes, exact_problems = _read(tmp_path, True, monkeypatch)
    assert fast_problems == exact_problems
    assert isinstance(fast_nodes, pd.DataFrame)
    assert isinstance(exact_nodes, pd.DataFrame)
    pd.testing.assert_frame_equal(
        fast_nodes.reset_index(drop=True), exact_nodes.reset_index(drop=True), check_dtype=False
    )


def test_fast_path_is_taken_on_a_plain_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nodes.csv").write_text(CASES["plain"], encoding="utf-8")
    calls: list[int] = []
    real = reader._rows

    def spy(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_rows", spy)
    reader.read_table_files(tmp_path)
    assert calls == []


def test_synthetic_folder_loads_like_its_frames(tmp_path: Path) -> None:
    write_synthetic(tmp_path, 300, seed=4)
    net = load(tmp_path)
    assert len(net.nodes) == 300
    assert len(net.links) > 300


def test_synthetic_errors_name_file_row_column(tmp_path: Path) -> None:
    write_synthetic(tmp_path, 200, seed=2)
    links = pd.read_csv(tmp_path / "links.csv", dtype=str, keep_default_na=False)
    links.loc[5, "to"] = "nowhere"
    links.loc[7, "length_km"] = "-3"
    links.loc[9, "mode"] = "rail"
    links.loc[9, "gauge_mm"] = ""
    links.loc[11, "id"] = links.loc[10, "id"]
    links.to_csv(tmp_path / "links.csv", index=False)
    with pytest.raises(DataError) as err:
        load(tmp_path)
    found = {(p.file, p.row, p.column, p.message.split(" (")[0]) for p in err.value.problems}
    assert ("links.csv", 7, "to", "unknown node id") in found
    assert ("links.csv", 9, "length_km", "out of range: must be > 0 and <= 40075 km") in found
    assert ("links.csv", 11, "gauge_mm", "a rail link needs its gauge") in found
    assert any(
        f == "links.csv" and r == 13 and c == "id" and m.startswith("duplicate links id")
        for f, r, c, m in found
    )
