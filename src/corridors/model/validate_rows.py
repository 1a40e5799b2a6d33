"""Checks across the rows of typed tables (keys, ranges, sources, links), column by column.

Part of :mod:`corridors.model.validate`: each check builds numpy masks over a whole table
and makes a :class:`~corridors.errors.Problem` only for the rows that fail, naming file,
row, column and value as the row-by-row checks did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridors.errors import Problem
from corridors.geo import haversine_km
from corridors.model.schema import table_schema

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
    "published_counts": ("id",),
}


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
