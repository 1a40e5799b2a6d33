"""Read the tables of values by year: ``dated_values.csv``, ``actuals.csv``, ``shared_capacity.csv``.

They sit beside the network tables (``docs/energy-data.md`` describes their columns) but are
not network tables: :func:`corridors.model.years.at_year` reads the dated values, the flow
command the published actuals and the shared fleets. A folder without one of them has
none (an empty table with the columns). Rows are checked for their columns and numbers here;
their references and sources by :func:`corridors.model.years.check_dated`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from corridors.errors import DataError, Problem
from corridors.io.tables import default_data_dir

__all__ = [
    "ACTUALS",
    "DATED",
    "SHARED",
    "YearTables",
    "read_actuals",
    "read_dated_values",
    "read_shared",
    "read_year_tables",
]

DATED = ("id", "table", "ref", "field", "year", "value", "unit", "sources", "estimate", "note")
ACTUALS = (
    "id",
    "commodity",
    "country",
    "route",
    "links",
    "scope",
    "year",
    "amount",
    "unit",
    "sources",
    "estimate",
    "note",
)
SHARED = (
    "id",
    "fleet",
    "name",
    "link",
    "commodity",
    "per_unit",
    "per_unit_label",
    "fleet_capacity",
    "fleet_unit",
    "sources",
    "estimate",
    "note",
)


def _read(
    folder: Path | None, name: str, columns: tuple[str, ...], numbers: tuple[str, ...]
) -> pd.DataFrame:
    path = (folder if folder is not None else default_data_dir()) / name
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [
        Problem(name, 1, c, "", "required column is missing") for c in columns if c not in df
    ]
    for i, row in df.iterrows():
        line = int(str(i)) + 2
        for col in ("id", *numbers):
            if col in df and not row[col]:
                problems.append(Problem(name, line, col, "", "required value is missing"))
        for col in numbers:
            try:
                float(row.get(col, "") or "nan")
            except ValueError:
                problems.append(Problem(name, line, col, row[col], "not a number"))
    if problems:
        raise DataError(problems)
    for col in numbers:
        df[col] = df[col].astype(float)
    if "year" in df:
        df["year"] = df["year"].astype(int)
    return df


@cache
def _dated(folder: Path | None) -> pd.DataFrame:
    return _read(folder, "dated_values.csv", DATED, ("year",))


def read_dated_values(folder: str | Path | None = None) -> pd.DataFrame:
    """The dated values of a dataset folder (default: the shipped dataset).

    Examples
    --------
    >>> d = read_dated_values()
    >>> sorted(set(d["table"]))
    ['demand', 'links', 'nodes', 'shared', 'transfers']
    """
    return _dated(Path(folder) if folder is not None else None)


def read_actuals(folder: str | Path | None = None) -> pd.DataFrame:
    """Published actual volumes by route and year (``actuals.csv``).

    Examples
    --------
    >>> a = read_actuals()
    >>> float(a.set_index("id").at["act_kz_crude_china_2023", "amount"])
    1.209
    """
    return _read(
        Path(folder) if folder is not None else None, "actuals.csv", ACTUALS, ("year", "amount")
    )


def read_shared(folder: str | Path | None = None) -> pd.DataFrame:
    """Fleets shared by several commodities, one row per (fleet, link, commodity).

    Examples
    --------
    >>> s = read_shared()
    >>> sorted(s["commodity"])
    ['container', 'crude']
    """
    numbers = ("per_unit", "fleet_capacity")
    return _read(
        Path(folder) if folder is not None else None, "shared_capacity.csv", SHARED, numbers
    )


@dataclass(frozen=True)
class YearTables:
    """The three tables by year of one dataset folder."""

    dated: pd.DataFrame
    actuals: pd.DataFrame
    shared: pd.DataFrame


def read_year_tables(folder: str | Path | None = None) -> YearTables:
    """Dated values, actuals and shared fleets of a dataset folder (default: the shipped one).

    Examples
    --------
    >>> t = read_year_tables()
    >>> len(t.dated) > 0, len(t.actuals) > 0, len(t.shared) > 0
    (True, True, True)
    """
    return YearTables(read_dated_values(folder), read_actuals(folder), read_shared(folder))
