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

import numpy as np
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


class _Checker:
    """Collects problems while typing one table's columns."""

    def __init__(self, table: str, df: pd.DataFrame, problems: list[Problem]) -> None:
        self.table = table
        self.df = df
        self.problems = problems

    def add(self, idx: int, column: str, value: object, message: str) -> None:
        self.problems.append(
            Problem(
                str(self.df.at[idx, "_file"]),
                int(str(self.df.at[idx, "_row"])),
                column,
                str(value),
                message,
            )
        )

    def type_column(self, spec: ColumnSpec, known: dict[str, frozenset[str]]) -> None:
        col = self.df[spec.name].astype(str)
        empty = col == ""
        if spec.required:
            for idx in col.index[empty]:
                self.add(idx, spec.name, "", "required value is missing")
        if spec.is_number:
            self._number(spec, col, empty)
        elif spec.type.startswith("list"):
            self._list(spec, col, known)
        else:
            self._scalar(spec, col, empty, known)

    def _number(self, spec: ColumnSpec, col: pd.Series, empty: pd.Series) -> None:
        num = pd.to_numeric(col.where(~empty), errors="coerce")
        for idx in col.index[~empty & num.isna()]:
            self.add(idx, spec.name, col[idx], "not a number")
        finite = np.isfinite(num.to_numpy(dtype=float))
        for idx in num.index[num.notna() & ~finite]:
            self.add(idx, spec.name, col[idx], "must be a finite number")
        num = num.where(finite)
        bad = pd.Series(False, index=num.index)
        if spec.minimum is not None:
            bad |= (num <= spec.minimum) if spec.exclusive_min else (num < spec.minimum)
        if spec.maximum is not None:
            bad |= num > spec.maximum
        for idx in num.index[bad]:
            self.add(idx, spec.name, col[idx], f"out of range: must be {spec.bounds_text}")
        if spec.type == "int":
            for idx in num.index[num.notna() & (num != np.round(num))]:
                self.add(idx, spec.name, col[idx], "must be a whole number")
        if spec.choices:
            allowed = {float(c) for c in spec.choices}
            for idx in num.index[num.notna() & ~num.isin(allowed)]:
                self.add(idx, spec.name, col[idx], f"must be one of {', '.join(spec.choices)}")
        self.df[spec.name] = num.astype(float)

    def _list(self, spec: ColumnSpec, col: pd.Series, known: dict[str, frozenset[str]]) -> None:
        kind = spec.type.partition(":")[2]
        parsed = col.map(_split)
        for idx, items in zip(parsed.index, parsed, strict=True):
            for item in items:
                if kind == "country" and not is_country(item):
                    self.add(int(idx), spec.name, item, "not an ISO 3166-1 alpha-2 country code")
                elif known.get(kind) and item not in known[kind]:
                    self.add(int(idx), spec.name, item, f"unknown {kind}")
        self.df[spec.name] = parsed

    def _scalar(
        self,
        spec: ColumnSpec,
        col: pd.Series,
        empty: pd.Series,
        known: dict[str, frozenset[str]],
    ) -> None:
        for idx in col.index[~empty]:
            value = col[idx]
            message = _scalar_problem(spec, value, known)
            if message:
                self.add(idx, spec.name, value, message)


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
    values = df[key].astype(str).agg(",".join, axis=1)
    given = (df[key].astype(str) != "").all(axis=1)
    first: dict[str, tuple[str, int]] = {}
    for idx in df.index[given]:
        where = (str(df.at[idx, "_file"]), int(str(df.at[idx, "_row"])))
        value = str(values[idx])
        if value in first:
            f, r = first[value]
            what = f"{table} id" if key == ["id"] else f"{table} key ({', '.join(key)})"
            problems.append(Problem(*where, key[-1], value, f"duplicate {what}; first at {f}:{r}"))
        else:
            first[value] = where


def _check_pairs(df: pd.DataFrame, low: str, high: str, problems: list[Problem]) -> None:
    if low not in df or high not in df:
        return
    for given, missing in ((low, high), (high, low)):
        for _, row in df[df[given].notna() & df[missing].isna()].iterrows():
            problems.append(
                Problem(
                    row["_file"],
                    int(row["_row"]),
                    missing,
                    "",
                    f"missing while {given} is given: give both ends of the range or neither",
                )
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
    numbers = [c.name for c in table_schema(table) if c.is_number]
    has_number = df[numbers].notna().any(axis=1) if numbers else pd.Series(False, index=df.index)
    for idx, row in df.iterrows():
        cited: tuple[str, ...] = row["sources"]
        for sid in cited:
            if sources and sid not in sources:
                problems.append(
                    Problem(row["_file"], int(row["_row"]), "sources", sid, "unknown source id")
                )
        if (
            bool(has_number.iloc[int(str(idx))])
            and not cited
            and not str(row.get("estimate", "")).strip()
        ):
            given = ", ".join(c for c in numbers if pd.notna(row[c]))
            problems.append(
                Problem(
                    row["_file"],
                    int(row["_row"]),
                    "sources",
                    "",
                    f"numbers ({given}) without a source or an estimate note",
                )
            )


def _check_ranges(df: pd.DataFrame, low: str, high: str, problems: list[Problem]) -> None:
    if low not in df:
        return
    bad = df[low].notna() & df[high].notna() & (df[low] > df[high])
    for _, row in df[bad].iterrows():
        problems.append(
            Problem(
                row["_file"], int(row["_row"]), low, str(row[low]), f"is above {high}={row[high]}"
            )
        )


def _check_units(df: pd.DataFrame, problems: list[Problem]) -> None:
    if "capacity" not in df:
        return
    bad = df["capacity"].notna() & (df["capacity_unit"] == "")
    for _, row in df[bad].iterrows():
        problems.append(
            Problem(
                row["_file"], int(row["_row"]), "capacity_unit", "", "a capacity needs its unit"
            )
        )


def _check_links(links: pd.DataFrame, nodes: pd.DataFrame, problems: list[Problem]) -> None:
    ok_ends = links["from"].isin(nodes.index) & links["to"].isin(nodes.index)
    for _, row in links.iterrows():
        where = (row["_file"], int(row["_row"]))
        if row["mode"] == "rail" and pd.isna(row["gauge_mm"]):
            problems.append(Problem(*where, "gauge_mm", "", "a rail link needs its gauge"))
        if row["from"] == row["to"] and row["from"]:
            problems.append(
                Problem(*where, "to", row["to"], "a link must join two different nodes")
            )
        length, low = row["length_km"], row["time_low_h"]
        if length > 0 and low >= 0 and length > MAX_SPEED_KMH * low * (1 + 1e-9):
            problems.append(
                Problem(
                    *where,
                    "time_low_h",
                    f"{low:g}",
                    f"too short for {length:g} km: it means above {MAX_SPEED_KMH:g} km/h, "
                    "faster than any freight service",
                )
            )
    good = links[ok_ends]
    if good.empty:
        return
    a, b = nodes.loc[good["from"]], nodes.loc[good["to"]]
    gc = haversine_km(
        a["lat"].to_numpy(), a["lon"].to_numpy(), b["lat"].to_numpy(), b["lon"].to_numpy()
    )
    for (_, row), dist, ca, cb in zip(
        good.iterrows(), gc, a["country"].to_numpy(), b["country"].to_numpy(), strict=True
    ):
        where = (row["_file"], int(row["_row"]))
        length = row["length_km"]
        if length == length and not np.isnan(dist):
            if length < 0.99 * dist - 1.0:
                problems.append(
                    Problem(
                        *where,
                        "length_km",
                        f"{length:g}",
                        f"shorter than the great-circle distance between its ends ({dist:.0f} km)",
                    )
                )
            elif row["mode"] in LAND_MODES and length > MAX_DETOUR * dist + 5.0:
                problems.append(
                    Problem(
                        *where,
                        "length_km",
                        f"{length:g}",
                        f"more than {MAX_DETOUR:g}x the great-circle distance of its ends "
                        f"({dist:.0f} km)",
                    )
                )
        countries: tuple[str, ...] = row["countries"]
        if countries and (countries[0] != ca or countries[-1] != cb):
            problems.append(
                Problem(
                    *where,
                    "countries",
                    ";".join(countries),
                    f"must start with the country of 'from' ({ca}) and end with that of 'to' ({cb})",
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
