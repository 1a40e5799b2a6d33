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
from corridors.geo import haversine_km
from corridors.model.schema import TABLES, ColumnSpec, table_schema
from corridors.units import KNOWN_UNITS

__all__ = [
    "LAND_MODES",
    "LAYERS",
    "MAX_DETOUR",
    "is_country",
    "link_layer",
    "validate_tables",
]

_ID = re.compile(r"^[a-z0-9_]+$")

#: Modes whose links run over land: their length is checked against great-circle distance.
LAND_MODES = frozenset({"rail", "road", "oil_pipeline", "gas_pipeline"})
#: A land link may be at most this many times the great-circle distance of its ends.
MAX_DETOUR = 3.0
#: Every layer a route can move on.
LAYERS = frozenset(
    {"rail_1435", "rail_1520", "rail_1668", "road", "sea", "ferry"}
    | {"oil_pipeline", "gas_pipeline", "tanker"}
)
#: No freight link runs faster on average: a link time implying more is refused.
MAX_SPEED_KMH = 200.0
#: Tables without which there is no network (a folder also needs modes.csv).
CORE_TABLES = ("sources", "commodities", "nodes", "links")
#: Key columns of each table: a key given twice is an error naming both rows.
KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "commodities": ("id",),
    "passages": ("id",),
    "modes": ("mode",),
    "mode_costs": ("mode", "commodity"),
    "nodes": ("id",),
    "links": ("id",),
    "transfers": ("id",),
    "demand": ("id",),
}


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


def _where(df: pd.DataFrame, pos: int) -> tuple[str, int]:
    """File and line of the row at position ``pos``."""
    return str(df["_file"].iat[pos]), int(str(df["_row"].iat[pos]))


def _emit(
    problems: list[Problem],
    df: pd.DataFrame,
    mask: object,
    column: str,
    values: object,
    message: object,
) -> None:
    """Append one problem per row of ``df`` where ``mask`` holds, in row order.

    ``values`` and ``message`` are one string for every row or an array with one per row.
    """
    where = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(where):
        return
    files = df["_file"].to_numpy(dtype=object)[where]
    rows = df["_row"].to_numpy(dtype=object)[where]
    vals = values[where] if isinstance(values, np.ndarray) else [values] * len(where)
    msgs = message[where] if isinstance(message, np.ndarray) else [message] * len(where)
    problems.extend(
        Problem(str(f), int(str(r)), column, str(v), str(m))
        for f, r, v, m in zip(files, rows, vals, msgs, strict=True)
    )


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


def _check_keys(table: str, df: pd.DataFrame, problems: list[Problem]) -> None:
    key = [k for k in KEYS.get(table, ()) if k in df]
    if not key or df.empty:
        return
    parts = [df[k].astype(str) for k in key]
    values = parts[0]
    for part in parts[1:]:
        values = values + "," + part
    given = np.flatnonzero(np.logical_and.reduce([(p != "").to_numpy(dtype=bool) for p in parts]))
    sub = values.to_numpy(dtype=object)[given]
    dup = pd.Series(sub).duplicated(keep="first").to_numpy(dtype=bool)
    if not dup.any():
        return
    firsts = {str(v): _where(df, int(p)) for p, v in zip(given[~dup], sub[~dup], strict=True)}
    what = f"{table} id" if key == ["id"] else f"{table} key ({', '.join(key)})"
    for pos, v in zip(given[dup], sub[dup], strict=True):
        f, r = firsts[str(v)]
        problems.append(
            Problem(*_where(df, int(pos)), key[-1], str(v), f"duplicate {what}; first at {f}:{r}")
        )


def _check_pairs(df: pd.DataFrame, low: str, high: str, problems: list[Problem]) -> None:
    if low not in df or high not in df:
        return
    for given, missing in ((low, high), (high, low)):
        _emit(
            problems,
            df,
            (df[given].notna() & df[missing].isna()).to_numpy(dtype=bool),
            missing,
            "",
            f"missing while {given} is given: give both ends of the range or neither",
        )


def _check_empty(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """A core table without rows, named as such (not as dangling references).

    Tables read from a folder carry ``attrs["files"]``: the reader names those itself.
    """
    for table in CORE_TABLES:
        df = tables[table]
        if df.empty and "files" not in df.attrs:
            problems.append(
                Problem(table, 0, "", "", f"the {table} table has no rows: a network needs some")
            )


def _check_speeds(links: pd.DataFrame, modes: pd.DataFrame, problems: list[Problem]) -> None:
    """Links that take their time from the modes table need a speed there."""
    if modes.empty:  # a folder needs modes.csv (io.tables); frames may leave it out
        return
    speeds = set(modes["mode"][modes["speed_low_kmh"].notna() & modes["speed_high_kmh"].notna()])
    derived = links[links["time_low_h"].isna() & links["time_high_h"].isna()]
    for key, group in derived.groupby("mode"):
        mode = str(key)
        if mode and mode not in speeds:
            row = group.iloc[0]
            problems.append(
                Problem(
                    row["_file"],
                    int(row["_row"]),
                    "time_low_h",
                    "",
                    f"no time given and the modes table has no speed for {mode} "
                    f"({len(group)} such link(s); is modes.csv missing or empty?)",
                )
            )


def _check_sourced(
    table: str, df: pd.DataFrame, problems: list[Problem], sources: frozenset[str]
) -> None:
    if "sources" not in df:
        return
    cited = df["sources"].to_numpy(dtype=object)
    if sources:
        unknown = {t: [s for s in t if s not in sources] for t in set(cited)}
        for pos in np.flatnonzero([bool(unknown[t]) for t in cited]):
            where = _where(df, int(pos))
            problems.extend(
                Problem(*where, "sources", sid, "unknown source id") for sid in unknown[cited[pos]]
            )
    numbers = [c.name for c in table_schema(table) if c.is_number]
    if not numbers:
        return
    given = df[numbers].notna().to_numpy(dtype=bool)
    no_note = (
        (df["estimate"].astype(str).str.strip() == "").to_numpy(dtype=bool)
        if "estimate" in df
        else np.ones(len(df), dtype=bool)
    )
    bare = given.any(axis=1) & (np.fromiter(map(len, cited), int, len(cited)) == 0) & no_note
    for pos in np.flatnonzero(bare):
        listed = ", ".join(c for c, g in zip(numbers, given[pos], strict=True) if g)
        problems.append(
            Problem(
                *_where(df, int(pos)),
                "sources",
                "",
                f"numbers ({listed}) without a source or an estimate note",
            )
        )


def _check_ranges(df: pd.DataFrame, low: str, high: str, problems: list[Problem]) -> None:
    if low not in df:
        return
    lo, hi = df[low].to_numpy(dtype=float), df[high].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = lo > hi  # False where either is NaN
    for pos in np.flatnonzero(bad):
        problems.append(
            Problem(
                *_where(df, int(pos)), low, str(float(lo[pos])), f"is above {high}={float(hi[pos])}"
            )
        )


def _check_units(df: pd.DataFrame, problems: list[Problem]) -> None:
    if "capacity" not in df:
        return
    bad = df["capacity"].notna() & (df["capacity_unit"] == "")
    _emit(problems, df, bad.to_numpy(dtype=bool), "capacity_unit", "", "a capacity needs its unit")


def _check_links(links: pd.DataFrame, nodes: pd.DataFrame, problems: list[Problem]) -> None:
    """Gauges, loops, speeds, lengths against great-circle distance, end countries (columnar)."""
    mode = links["mode"].astype(str).to_numpy(dtype=object)
    src = links["from"].astype(str).to_numpy(dtype=object)
    dst = links["to"].astype(str).to_numpy(dtype=object)
    length = links["length_km"].to_numpy(dtype=float)
    low = links["time_low_h"].to_numpy(dtype=float)
    rail = mode == "rail"
    _emit(problems, links, rail & links["gauge_mm"].isna().to_numpy(), "gauge_mm", "",
          "a rail link needs its gauge")  # fmt: skip
    _emit(problems, links, (src == dst) & (src != ""), "to", dst,
          "a link must join two different nodes")  # fmt: skip
    with np.errstate(invalid="ignore"):
        fast = (length > 0) & (low >= 0) & (length > MAX_SPEED_KMH * low * (1 + 1e-9))
    for pos in np.flatnonzero(fast):
        problems.append(
            Problem(
                *_where(links, int(pos)),
                "time_low_h",
                f"{low[pos]:g}",
                f"too short for {length[pos]:g} km: it means above {MAX_SPEED_KMH:g} km/h, "
                "faster than any freight service",
            )
        )
    index = pd.Index(nodes.index.to_numpy(dtype=object), dtype=object)
    a = index.get_indexer(pd.Index(src, dtype=object))
    b = index.get_indexer(pd.Index(dst, dtype=object))
    good = (a >= 0) & (b >= 0)
    if not good.any():
        return
    lat, lon = nodes["lat"].to_numpy(dtype=float), nodes["lon"].to_numpy(dtype=float)
    country = nodes["country"].astype(str).to_numpy(dtype=object)
    ia, ib = np.where(good, a, 0), np.where(good, b, 0)
    dist = np.where(good, haversine_km(lat[ia], lon[ia], lat[ib], lon[ib]), np.nan)
    with np.errstate(invalid="ignore"):
        short = good & (length < 0.99 * dist - 1.0)
        land = np.isin(mode, list(LAND_MODES))
        long = good & ~short & land & (length > MAX_DETOUR * dist + 5.0)
    for pos in np.flatnonzero(short | long):
        text = (
            f"shorter than the great-circle distance between its ends ({dist[pos]:.0f} km)"
            if short[pos]
            else f"more than {MAX_DETOUR:g}x the great-circle distance of its ends "
            f"({dist[pos]:.0f} km)"
        )
        problems.append(Problem(*_where(links, int(pos)), "length_km", f"{length[pos]:g}", text))
    listed = links["countries"].to_numpy(dtype=object)
    ends = {t: (t[0], t[-1]) if t else ("", "") for t in set(listed)}
    first = np.array([ends[t][0] for t in listed], dtype=object)
    last = np.array([ends[t][1] for t in listed], dtype=object)
    ca, cb = country[ia], country[ib]
    wrong = good & (first != "") & ((first != ca) | (last != cb))
    for pos in np.flatnonzero(wrong):
        problems.append(
            Problem(
                *_where(links, int(pos)),
                "countries",
                ";".join(listed[pos]),
                f"must start with the country of 'from' ({ca[pos]}) and end with that of "
                f"'to' ({cb[pos]})",
            )
        )


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
