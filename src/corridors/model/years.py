"""The network as of a year: what exists, and the capacities, demand and background of that year.

:func:`at_year` is the one rule every command's ``--year`` (and a scenario's ``year:``) uses:

- **Existence.** A link whose ``start_year`` is after the year is not operating yet (its status
  becomes ``planned``). A dated ``status`` row (``dated_values.csv``) sets the status from its
  year on (Nord Stream 1 ``operating`` from 2011, ``suspended`` from 2022).
- **Dated values.** A row of ``dated_values.csv`` gives a value of one field of one row
  (``table``, ``ref``, ``field``) from its ``year`` on, until a later row of the same field.
  Fields: ``capacity`` (links, nodes, transfers; in the row's own ``capacity_unit``),
  ``status`` (links), ``amount`` (demand rows), ``occupied`` (links: capacity taken by a
  background flow the model does not route, such as Russian crude in transit to China; it is
  subtracted from the capacity and kept in the ``occupied`` column) and ``competing``
  (``shared`` fleets: the volume of the other commodity that competes for the fleet that
  year; read by :func:`corridors.analyses.flows.shared.share_fleet`).
  A year before every row of a field leaves the table's own value.
- Every dated row cites sources of the ``sources`` table (checked by :func:`check_dated`).

The tables are read by :mod:`corridors.io.dated_files`; ``at_year`` is pure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridors.errors import CorridorsError, DataError, Problem
from corridors.model.network import Network

__all__ = ["FIELDS", "MAX_YEAR", "MIN_YEAR", "at_year", "check_dated", "dated_for", "year_of"]

#: Years a ``--year`` may name.
MIN_YEAR, MAX_YEAR = 1950, 2100

#: Fields a dated row may set, per table.
FIELDS: dict[str, frozenset[str]] = {
    "links": frozenset({"capacity", "status", "occupied"}),
    "nodes": frozenset({"capacity"}),
    "transfers": frozenset({"capacity"}),
    "demand": frozenset({"amount"}),
    "shared": frozenset({"competing"}),
}


def check_dated(dated: pd.DataFrame, net: Network, file: str = "dated_values.csv") -> None:
    """Raise :class:`DataError` listing every dated row with an unknown target or source.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.io.dated_files import read_dated_values
    >>> check_dated(read_dated_values(), load())  # the shipped table is clean
    """
    known = {
        "links": set(net.links.index),
        "nodes": set(net.nodes.index),
        "transfers": set(net.transfers["id"]),
        "demand": set(net.demand["id"]) if "id" in net.demand else set(),
    }
    problems: list[Problem] = []
    for i, row in enumerate(dated.itertuples(index=False), start=2):
        table, field = str(row.table), str(row.field)
        if field not in FIELDS.get(table, frozenset()):
            problems.append(Problem(file, i, "field", field, f"not a dated field of {table}"))
        elif table in known and str(row.ref) not in known[table]:
            problems.append(Problem(file, i, "ref", str(row.ref), f"no such {table} row"))
        for src in str(row.sources).split(";"):
            if src and src not in net.sources.index:
                problems.append(Problem(file, i, "sources", src, "unknown source id"))
        if not str(row.sources):
            problems.append(Problem(file, i, "sources", "", "a dated value cites a source"))
    if problems:
        raise DataError(problems)


def dated_for(dated: pd.DataFrame, year: int) -> pd.DataFrame:
    """The dated rows in force in ``year``: per (table, ref, field), the latest row not after it.

    Examples
    --------
    >>> d = pd.DataFrame({"table": ["links"] * 2, "ref": ["a", "a"], "field": ["capacity"] * 2,
    ...                   "year": [2018, 2024], "value": ["67", "72.5"]})
    >>> dated_for(d, 2023)["value"].tolist(), dated_for(d, 2026)["value"].tolist()
    (['67'], ['72.5'])
    >>> dated_for(d, 2017).empty
    True
    """
    valid = dated[dated["year"].astype(int) <= year]
    if valid.empty:
        return valid
    order = valid.sort_values("year", kind="stable")
    return order.groupby(["table", "ref", "field"], sort=False).tail(1)


def year_of(net: Network) -> int | None:
    """The year a network was taken at by :func:`at_year` (None: not dated)."""
    value = net.cache.get("year")
    return int(value) if value is not None else None


def _number(value: object, row: pd.Series) -> float:
    try:
        return float(str(value))
    except ValueError:
        raise CorridorsError(f"dated value {row['id']}: {value!r} is not a number") from None


def _set_unit(out: pd.DataFrame, pick: np.ndarray, row: pd.Series) -> None:
    """Give a dated capacity its unit where the row has none (a link without a table capacity).

    A row that has a unit keeps it, and a dated value in another unit is an error.
    """
    unit = str(row.get("unit", "") or "")
    if not unit or unit == "nan":
        return
    current = out.loc[pick, "capacity_unit"].astype(object)
    empty = current.isna() | (current.astype(str).str.strip() == "")
    if (~empty & (current.astype(str) != unit)).any():
        raise CorridorsError(
            f"dated value {row['id']}: unit {unit} differs from the row's {current[~empty].iloc[0]}"
        )
    out.loc[pick, "capacity_unit"] = unit


def _apply(frame: pd.DataFrame, rows: pd.DataFrame, key: pd.Index | pd.Series) -> pd.DataFrame:
    """Set the ``capacity``/``amount`` fields of ``rows`` on ``frame`` (rows found by ``key``)."""
    out = frame.copy()
    for _, row in rows.iterrows():
        field = str(row["field"])
        if field in ("competing",):
            continue
        pick = np.asarray(key == row["ref"])
        if not pick.any():
            continue
        if field == "status":
            out.loc[pick, "status"] = str(row["value"])
        elif field == "occupied":
            taken = _number(row["value"], row)
            out.loc[pick, "occupied"] = taken
            out.loc[pick, "capacity"] = np.maximum(out.loc[pick, "capacity"] - taken, 0.0)
        else:
            out.loc[pick, field] = _number(row["value"], row)
            if field == "capacity" and "capacity_unit" in out:
                _set_unit(out, pick, row)
            if "capacity_year" in out and field == "capacity":
                out.loc[pick, "capacity_year"] = int(row["year"])
    return out


def at_year(net: Network, year: int, dated: pd.DataFrame | None = None) -> Network:
    """The network as of ``year`` (see the module docstring); ``net`` is untouched.

    Parameters
    ----------
    net
        A validated network (before scenarios: a scenario applies to the network of its year).
    year
        Calendar year, 1950 to 2100.
    dated
        The dated values; ``None``: the shipped ``dated_values.csv``.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> cpc = "oil_cpc_tengiz_atyrau"
    >>> float(at_year(net, 2022).links.at[cpc, "capacity"])
    67.0
    >>> float(at_year(net, 2026).links.at[cpc, "capacity"])
    72.5
    >>> y = at_year(net, 2022).links.loc["oil_cpc_atyrau_terminal"]  # Russian shippers' share
    >>> float(y["capacity"]), float(y["occupied"])
    (60.5, 6.5)
    >>> at_year(net, 2017).links.at["gas_tap", "status"]
    'planned'
    """
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise CorridorsError(f"--year {year}: a year from {MIN_YEAR} to {MAX_YEAR}")
    if dated is None:
        from corridors.io.dated_files import read_dated_values

        dated = read_dated_values()
    key = ("at_year", int(year), id(dated))
    if key in net.cache:
        cached: Network = net.cache[key]
        return cached
    rows = dated_for(dated, int(year))
    links = net.links.copy()
    late = links["start_year"].notna() & (links["start_year"] > year)
    links.loc[late & (links["status"] == "operating"), "status"] = "planned"
    links["occupied"] = 0.0
    by = {t: rows[rows["table"] == t] for t in FIELDS}
    links = _apply(links, by["links"], links.index.to_series())
    nodes = _apply(net.nodes, by["nodes"], net.nodes.index.to_series())
    transfers = _apply(net.transfers, by["transfers"], net.transfers["id"])
    demand = net.demand
    if "id" in demand and not by["demand"].empty:
        demand = _apply(demand, by["demand"], demand["id"])
        for _, row in by["demand"].iterrows():
            demand.loc[demand["id"] == row["ref"], "year"] = int(row["year"])
    out = net.replace(
        links=links,
        nodes=nodes,
        transfers=transfers,
        demand=demand,
        label=f"{net.label} @ {int(year)}",
    )
    out.cache["year"] = int(year)
    out.cache["dated"] = rows
    net.cache[key] = out
    return out
