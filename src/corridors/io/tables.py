"""Read a folder of CSV tables into string DataFrames that remember file and line.

A table may be split over several files: ``nodes.csv`` and ``nodes_<part>.csv`` are read
as one table. Every cell is read as text; typing and checking is the model's job
(:mod:`corridors.model.validate`). Two extra columns, ``_file`` and ``_row`` (the line
number, header = 1), let every problem name where it is.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd

from corridors.errors import DataError, Problem
from corridors.io.schema import TABLES, table_schema

__all__ = ["REQUIRED_TABLES", "default_data_dir", "read_table_files", "table_files"]

#: Tables a network folder must have at least one file for.
REQUIRED_TABLES = ("sources", "commodities", "nodes", "links")


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


def _read_one(path: Path, table: str, problems: list[Problem]) -> pd.DataFrame:
    columns = [c.name for c in table_schema(table)]
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(path.name, 0, "", "", f"cannot read: {exc}"))
        return pd.DataFrame(columns=[*columns, "_file", "_row"])
    if not rows:
        problems.append(Problem(path.name, 0, "", "", "empty file (no header)"))
        return pd.DataFrame(columns=[*columns, "_file", "_row"])
    header = [h.strip() for h in rows[0]]
    problems.extend(
        Problem(path.name, 1, h, h, f"unknown column for table {table!r}")
        for h in header
        if h not in columns
    )
    problems.extend(
        Problem(path.name, 1, c.name, "", "required column is missing")
        for c in table_schema(table)
        if c.required and c.name not in header
    )
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
        rec.update({h: cell.strip() for h, cell in zip(header, row, strict=True) if h in columns})
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
        columns = [*(c.name for c in table_schema(table)), "_file", "_row"]
        tables[table] = (
            pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
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
