"""Validation of the network tables: type every column and report every problem at once.

The checks follow ``data/schema.csv``: required values, numbers (non-negative, lat/lon in
range), enumerations, ISO 3166 country codes, units, id syntax and uniqueness, references
between tables, sources for every number, rail gauges, and the plausibility of each land
link's length against the great-circle distance of its ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pycountry

from corridors.errors import Problem
from corridors.model.schema import TABLES, ColumnSpec, table_schema
from corridors.model.validate_rows import (
    CORE_TABLES,
    KEYS,
    LAND_MODES,
    LAYERS,
    MAX_DETOUR,
    MAX_SPEED_KMH,
    _check_empty,
    _check_keys,
    _check_links,
    _check_pairs,
    _check_ranges,
    _check_sourced,
    _check_speeds,
    _check_units,
    _emit,
    _where,
)
from corridors.units import KNOWN_UNITS

__all__ = [
    "CORE_TABLES",
    "KEYS",
    "LAND_MODES",
    "LAYERS",
    "MAX_DETOUR",
    "MAX_SPEED_KMH",
    "is_country",
    "link_layer",
    "validate_tables",
]

_ID = re.compile(r"^[a-z0-9_]+$")


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code.

    Examples
    --------
    >>> is_country("KZ"), is_country("XX")
    (True, False)
    """
    return code in _countries()


def link_layer(mode: str, gauge: float) -> str:
    """The layer a link of ``mode`` (and rail ``gauge`` in mm) runs on.

    Examples
    --------
    >>> link_layer("rail", 1520.0), link_layer("sea", float("nan"))
    ('rail_1520', 'sea')
    """
    if mode == "rail" and gauge == gauge:  # not NaN
        return f"rail_{int(gauge)}"
    return mode


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(";") if p.strip())


class _Checker:
    """Collects problems while typing one table's columns (columnar: one pass per check)."""

    def __init__(self, table: str, df: pd.DataFrame, problems: list[Problem]) -> None:
        self.table = table
        self.df = df
        self.problems = problems

    def emit(self, mask: object, column: str, values: object, message: object) -> None:
        """One problem per row where ``mask`` holds (``values``/``message``: per row or one)."""
        _emit(self.problems, self.df, mask, column, values, message)

    def type_column(self, spec: ColumnSpec, known: dict[str, frozenset[str]]) -> None:
        col = self.df[spec.name].astype(str)
        values = col.to_numpy(dtype=object)
        empty = values == ""
        if spec.required:
            self.emit(empty, spec.name, "", "required value is missing")
        if spec.is_number:
            self._number(spec, col, values, empty)
        elif spec.type.startswith("list"):
            self._list(spec, col, values, known)
        else:
            self._scalar(spec, values, empty, known)

    def _number(
        self, spec: ColumnSpec, col: pd.Series, values: np.ndarray, empty: np.ndarray
    ) -> None:
        given_text = values.copy()
        given_text[empty] = None
        arr: npt.NDArray[np.float64] = np.asarray(
            pd.to_numeric(cast(Any, given_text), errors="coerce"), dtype=np.float64
        )
        given = ~np.isnan(arr)
        self.emit(~empty & ~given, spec.name, values, "not a number")
        finite = np.isfinite(arr)
        self.emit(given & ~finite, spec.name, values, "must be a finite number")
        arr = np.where(finite, arr, np.nan)
        given = finite
        with np.errstate(invalid="ignore"):
            bad = np.zeros(len(arr), dtype=bool)
            if spec.minimum is not None:
                bad |= (arr <= spec.minimum) if spec.exclusive_min else (arr < spec.minimum)
            if spec.maximum is not None:
                bad |= arr > spec.maximum
            self.emit(bad, spec.name, values, f"out of range: must be {spec.bounds_text}")
            if spec.type == "int":
                self.emit(
                    given & (arr != np.round(arr)), spec.name, values, "must be a whole number"
                )
        if spec.choices:
            allowed = np.array([float(c) for c in spec.choices])
            message = f"must be one of {', '.join(spec.choices)}"
            self.emit(given & ~np.isin(arr, allowed), spec.name, values, message)
        self.df[spec.name] = pd.Series(arr, index=col.index, dtype=float)

    def _list(
        self,
        spec: ColumnSpec,
        col: pd.Series,
        values: np.ndarray,
        known: dict[str, frozenset[str]],
    ) -> None:
        kind = spec.type.partition(":")[2]
        split = {value: _split(value) for value in pd.unique(values)}
        bad: dict[str, list[tuple[str, str]]] = {}
        for value, items in split.items():
            found = []
            for item in items:
                if kind == "country" and not is_country(item):
                    found.append((item, "not an ISO 3166-1 alpha-2 country code"))
                elif known.get(kind) and item not in known[kind]:
                    found.append((item, f"unknown {kind}"))
            if found:
                bad[value] = found
        if bad:
            for pos in np.flatnonzero(pd.Series(values).isin(list(bad)).to_numpy(dtype=bool)):
                for item, message in bad[values[pos]]:
                    self.problems.append(
                        Problem(*_where(self.df, int(pos)), spec.name, item, message)
                    )
        self.df[spec.name] = pd.Series([split[v] for v in values], index=col.index, dtype=object)

    def _scalar(
        self,
        spec: ColumnSpec,
        values: np.ndarray,
        empty: np.ndarray,
        known: dict[str, frozenset[str]],
    ) -> None:
        unique = pd.unique(values[~empty])
        suspect = unique[_suspect(spec, unique, known)]
        messages = {
            value: message
            for value in suspect
            if (message := _scalar_problem(spec, str(value), known))
        }
        if messages:
            series = pd.Series(values, dtype=object)
            bad = series.isin(list(messages)).to_numpy(dtype=bool) & ~empty
            self.emit(bad, spec.name, values, series.map(messages).to_numpy(dtype=object))


def _outside(values: np.ndarray, allowed: Iterable[str]) -> np.ndarray:
    return ~pd.Series(values, dtype=object).isin(set(allowed)).to_numpy(dtype=bool)


def _suspect(spec: ColumnSpec, unique: np.ndarray, known: dict[str, frozenset[str]]) -> np.ndarray:
    """Which distinct values :func:`_scalar_problem` may flag (a columnar first pass)."""
    kind = spec.type
    bad = np.zeros(len(unique), dtype=bool)
    if kind == "id":
        bad |= np.fromiter((_ID.match(str(v)) is None for v in unique), bool, len(unique))
    elif kind == "country":
        bad |= _outside(unique, _countries())
    elif kind == "unit":
        bad |= _outside(unique, KNOWN_UNITS)
    elif kind == "layer":
        bad |= _outside(unique, LAYERS)
    if spec.choices:
        bad |= _outside(unique, spec.choices)
    if kind.startswith("ref:") and known[kind[4:]]:
        bad |= _outside(unique, known[kind[4:]])
    return bad


def _scalar_problem(spec: ColumnSpec, value: str, known: dict[str, frozenset[str]]) -> str:
    kind = spec.type
    if kind == "id" and not _ID.match(value):
        return "ids use lowercase ASCII letters, digits and '_'"
    if kind == "country" and not is_country(value):
        return "not an ISO 3166-1 alpha-2 country code"
    if kind == "unit" and value not in KNOWN_UNITS:
        return f"unknown unit (known: {', '.join(sorted(KNOWN_UNITS))})"
    if kind == "layer" and value not in LAYERS:
        return f"unknown layer (known: {', '.join(sorted(LAYERS))})"
    if spec.choices and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}"
    if kind.startswith("ref:"):
        target = kind[4:]
        if known[target] and value not in known[target]:  # an empty table is reported once
            return f"unknown {target[:-1] if target.endswith('s') else target} id"
    return ""


def _known(tables: dict[str, pd.DataFrame]) -> dict[str, frozenset[str]]:
    def ids(table: str, key: str = "id") -> frozenset[str]:
        df = tables.get(table)
        return frozenset() if df is None or key not in df else frozenset(df[key].astype(str))

    return {
        "nodes": ids("nodes"),
        "commodities": ids("commodities"),
        "passage": ids("passages"),
        "commodity": ids("commodities"),
        "mode": frozenset(table_schema("links")[4].choices),
    }


def validate_tables(
    raw: dict[str, pd.DataFrame], problems: list[Problem] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Type and check raw text tables (as read by :func:`corridors.io.tables.read_table_files`).

    Parameters
    ----------
    raw
        One text DataFrame per table, with ``_file`` and ``_row`` columns.
    problems
        Problems found earlier (while reading), to which these checks add.

    Returns
    -------
    tables, problems
        Typed tables (numbers as floats, lists as tuples, nodes indexed by id) and every
        problem found. The tables are only fit for use when ``problems`` is empty.
    """
    problems = list(problems or [])
    tables = {t: raw[t].copy() for t in TABLES}
    known = _known(tables)
    for table in TABLES:
        checker = _Checker(table, tables[table], problems)
        for spec in table_schema(table):
            checker.type_column(spec, known)
        _check_keys(table, tables[table], problems)
    _check_empty(tables, problems)
    sources = frozenset(tables["sources"]["id"])
    for table in TABLES:
        df = tables[table]
        _check_sourced(table, df, problems, sources)
        _check_units(df, problems)
        for low, high in _RANGE_PAIRS:
            _check_pairs(df, low, high, problems)
            _check_ranges(df, low, high, problems)
    nodes = tables["nodes"].drop_duplicates("id").set_index("id", drop=False)
    nodes.index.name = None
    tables["nodes"] = nodes
    _check_links(tables["links"], nodes, problems)
    _check_speeds(tables["links"], tables["modes"], problems)
    problems.sort(key=lambda p: (p.file, p.row, p.column))
    return tables, problems


_RANGE_PAIRS: Iterable[tuple[str, str]] = (
    ("time_low_h", "time_high_h"),
    ("dwell_low_h", "dwell_high_h"),
    ("speed_low_kmh", "speed_high_kmh"),
)
