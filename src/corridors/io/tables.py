"""Read a folder of CSV tables into string DataFrames that remember file and line.

A table may be split over several files: ``nodes.csv`` and ``nodes_<part>.csv`` are read
as one table. Every cell is read as text; typing and checking is the model's job
(:mod:`corridors.model.validate`). Two extra columns, ``_file`` and ``_row`` (the line
number, header = 1), let every problem name where it is.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from corridors.errors import DataError, Problem
from corridors.io.schema import TABLES, table_schema

__all__ = ["REQUIRED_TABLES", "default_data_dir", "read_table_files", "table_files"]

#: Tables a network folder must have at least one file for, with at least one row (modes:
#: the speeds of links that give no time of their own).
REQUIRED_TABLES = ("sources", "commodities", "modes", "nodes", "links")


def default_data_dir() -> Path:
    """Folder of the embedded default dataset."""
    return Path(str(resources.files("corridors").joinpath("data")))


def table_files(folder: Path) -> dict[str, list[Path]]:
    """Map each table to the CSV files in ``folder`` that hold its parts.

    Examples
    --------
    >>> files = table_files(default_data_dir())
    >>> [p.name for p in files["sources"]][0]
    'sources.csv'
    """
    out: dict[str, list[Path]] = {t: [] for t in TABLES}
    for path in sorted(folder.glob("*.csv")):
        stem = path.stem
        for table in TABLES:
            if stem == table or stem.startswith(table + "_"):
                out[table].append(path)
                break
    return out


#: Largest table file read (bytes); a bigger one is refused unread.
MAX_TABLE_BYTES = 64 * 1024 * 1024


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[*(c.name for c in table_schema(table)), "_file", "_row"])


def decode_text(data: bytes) -> str:
    r"""Text of a UTF-8 file (a byte-order mark is dropped); ``ValueError`` says why not.

    Examples
    --------
    >>> decode_text(b"\xef\xbb\xbfid,name")
    'id,name'
    >>> decode_text("é".encode("latin-1"))
    Traceback (most recent call last):
    ...
    ValueError: not UTF-8 (byte 0xe9 on line 1); save the file as UTF-8
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("a UTF-16 file; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); save the file as UTF-8"
        ) from None


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    A FIFO, a device or a folder is refused without reading (so nothing blocks).

    Raises
    ------
    OSError
        If the file cannot be opened or read.
    ValueError
        If it is not a regular file or is larger than ``limit``.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, socket or device"
            raise ValueError(f"not a regular file ({kind}); refused without reading")
        if info.st_size > limit:
            raise ValueError(f"larger than {limit:,} bytes ({info.st_size:,}); refused")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(f"larger than {limit:,} bytes; refused")
    return data


def _text(path: Path, problems: list[Problem]) -> str | None:
    try:
        return decode_text(read_regular_file(path, MAX_TABLE_BYTES))
    except OSError as exc:
        problems.append(Problem(path.name, 0, "", "", f"cannot read: {exc.strerror or exc}"))
    except ValueError as exc:
        problems.append(Problem(path.name, 0, "", "", f"cannot read: {exc}"))
    return None


def _rows(path: Path, text: str, problems: list[Problem]) -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        problems.append(Problem(path.name, 0, "", "", f"cannot read: {exc}"))
    return None


def _cells(text: str) -> list[np.ndarray] | None:
    """The columns of every record of ``text`` by pandas' C parser, or ``None``.

    ``None`` when the file needs the exact row-by-row reader: a NUL byte or a parser
    error (a record longer than the first). Records and their numbering are those of
    :mod:`csv` (blank records included, their cells empty); a short record is padded with
    empty cells, which :func:`_fast_frame` finds by counting commas.
    """
    if "\x00" in text or not text.strip():
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text, newline=""),
            header=None,
            dtype=object,
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, csv.Error):  # pandas' ParserError is a ValueError
        return None
    return [frame[j].to_numpy(dtype=object) for j in frame.columns]


#: A line of only blanks and commas (a blank record of several cells).
_BLANK_CELLS = re.compile(r"^[^\S\r\n]*,[^\S\r\n,]*(?:,[^\S\r\n,]*)*$", re.MULTILINE)


def _strip(col: np.ndarray) -> np.ndarray:
    """``col`` with every cell stripped (checked on its distinct values first)."""
    if not any(v != v.strip() for v in pd.unique(col)):
        return col
    return np.array([v.strip() for v in col], dtype=object)


def _fast_frame(
    path: Path, text: str, cells: list[np.ndarray], table: str, problems: list[Problem]
) -> pd.DataFrame | None:
    """The table of a file that :func:`_cells` parsed, or ``None`` for the exact reader.

    Every comma of the text either separates two cells or lies inside a quoted cell (and
    so in a parsed value): when the separating ones number ``width - 1`` per non-blank
    record, no record was short (none can be longer: the parser refuses those).
    """
    columns = [c.name for c in table_schema(table)]
    width, n = len(cells), len(cells[0])
    try:
        stripped = [_strip(col) for col in cells]
    except AttributeError:  # a cell that is not text: let the exact reader say it
        return None
    filled = np.zeros(n, dtype=bool)
    inside = 0
    for col, clean in zip(cells, stripped, strict=True):
        filled |= clean != ""
        inside += ",".join(col).count(",") - (n - 1)
    if not filled[1:].all() and _BLANK_CELLS.search(text):
        return None  # blank records with commas: their commas are not counted here
    if text.count(",") - inside != (width - 1) * (1 + int(filled[1:].sum())):
        return None
    header = _header(path, [str(col[0]) for col in cells], table, problems)
    first: dict[str, int] = {}
    for j, h in enumerate(header):
        first.setdefault(h, j)
    keep = np.flatnonzero(filled[1:]) + 1
    data: dict[str, object] = {}
    for name in columns:
        at = first.get(name)
        data[name] = stripped[at][keep].tolist() if at is not None else [""] * len(keep)
    data["_file"] = [path.name] * len(keep)
    data["_row"] = (keep + 1).tolist()
    return pd.DataFrame(data, columns=[*columns, "_file", "_row"])


def _header(path: Path, row: list[str], table: str, problems: list[Problem]) -> list[str]:
    header = [h.strip() for h in row]
    columns = [c.name for c in table_schema(table)]
    seen: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        if h in seen:
            problems.append(
                Problem(path.name, 1, h, h, f"column named twice (columns {seen[h]} and {i})")
            )
        seen.setdefault(h, i)
        if h not in columns:
            problems.append(Problem(path.name, 1, h, h, f"unknown column for table {table!r}"))
    problems.extend(
        Problem(path.name, 1, c.name, "", "required column is missing")
        for c in table_schema(table)
        if c.required and c.name not in header
    )
    return header


def _read_one(path: Path, table: str, problems: list[Problem]) -> pd.DataFrame:
    columns = [c.name for c in table_schema(table)]
    text = _text(path, problems)
    if text is None:
        return _empty(table)
    cells = _cells(text)
    if cells:
        fast = _fast_frame(path, text, cells, table, problems)
        if fast is not None:
            return fast
    rows = _rows(path, text, problems)
    if rows is None:
        return _empty(table)
    if not rows:
        problems.append(Problem(path.name, 0, "", "", "empty file (no header)"))
        return _empty(table)
    header = _header(path, rows[0], table, problems)
    records: list[dict[str, object]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    path.name,
                    lineno,
                    "",
                    ",".join(row)[:60],
                    f"has {len(row)} cells, the header has {len(header)}",
                )
            )
            continue
        rec: dict[str, object] = dict.fromkeys(columns, "")
        for h, cell in reversed(list(zip(header, row, strict=True))):
            if "\x00" in cell:
                problems.append(Problem(path.name, lineno, h, cell, "contains a NUL byte"))
            elif h in columns:
                rec[h] = cell.strip()
        rec["_file"] = path.name
        rec["_row"] = lineno
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=[*columns, "_file", "_row"])


def read_table_files(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read every table in ``folder`` as text, with ``_file`` and ``_row`` columns.

    Returns
    -------
    tables, problems
        One DataFrame per table of the schema (empty if no file holds it) and the
        problems met while reading (unreadable files, unknown or missing columns).

    Raises
    ------
    DataError
        If ``folder`` is not a folder.
    """
    if not folder.is_dir():
        raise DataError([Problem(str(folder), 0, "", "", "is not a folder of CSV tables")])
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    files = table_files(folder)
    problems.extend(
        Problem(str(folder), 0, "", "", f"no {t}.csv (or {t}_<part>.csv): a network needs one")
        for t in REQUIRED_TABLES
        if not files[t]
    )
    for table, paths in files.items():
        parts = [_read_one(p, table, problems) for p in paths]
        tables[table] = pd.concat(parts, ignore_index=True) if parts else _empty(table)
        tables[table].attrs["files"] = [p.name for p in paths]
        if paths and table in REQUIRED_TABLES and tables[table].empty:
            problems.append(
                Problem(
                    ", ".join(p.name for p in paths),
                    0,
                    "",
                    "",
                    f"the {table} table has no rows (header only or blank): a network needs some",
                )
            )
    return tables, problems


def read_calibration(folder: Path) -> pd.DataFrame:
    """Read ``calibration.csv`` (published end-to-end figures) from a dataset folder.

    Raises
    ------
    DataError
        If the file is missing or a row lacks a field or has a non-numeric figure.
    """
    path = folder / "calibration.csv"
    if not path.is_file():
        raise DataError([Problem(str(path), 0, "", "", "no calibration table in this dataset")])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    for i, row in df.iterrows():
        line = int(str(i)) + 2
        for col in ("id", "origin", "destination", "option", "metric", "low", "high", "source"):
            if not row.get(col, ""):
                problems.append(Problem(path.name, line, col, "", "required value is missing"))
        for col in ("low", "high"):
            try:
                float(row.get(col, "") or "nan")
            except ValueError:
                problems.append(Problem(path.name, line, col, row[col], "not a number"))
    if problems:
        raise DataError(problems)
    df["low"] = df["low"].astype(float)
    df["high"] = df["high"].astype(float)
    return df
