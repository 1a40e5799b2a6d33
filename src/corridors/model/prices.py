"""Prices and export partners: side tables of a data folder that value what a network moves.

``prices.csv`` gives a sourced price per commodity and year, with its conversion to USD per
unit of the commodity's flow unit (``usd_per_flow_unit``: per Mt of crude, per bcm of gas,
per tU of uranium, per TEU of containers). ``export_partners.csv`` holds an exporter's
trade structure by partner (the seed article's Kazakhstan: China 19%, Russia 10%, others
71% of export income). Both are typed from ``data/schema.csv`` and checked like the network
tables: required values, numbers, and a source (in the network's sources) or an estimate
note for every row.

Examples
--------
>>> from corridors.model.network import load
>>> net = load()
>>> prices = load_prices(sources=net.sources)
>>> round(price_per_flow_unit(prices, "crude", 2023)[0] / 1e6, 2)
604.65
>>> sorted(load_export_partners(sources=net.sources)["partner"])
['CN', 'RU', 'other']
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from corridors.errors import CorridorsError, DataError, Problem
from corridors.io.tables import default_data_dir
from corridors.model.schema import table_schema

__all__ = ["load_export_partners", "load_prices", "price_per_flow_unit"]


def _read(table: str, folder: Path, sources: pd.DataFrame | None) -> pd.DataFrame:
    specs = table_schema(table)
    names = [s.name for s in specs]
    problems: list[Problem] = []
    records: list[dict[str, object]] = []
    for path in sorted(folder.glob(f"{table}*.csv")):
        if path.stem != table and not path.stem.startswith(table + "_"):
            continue
        with path.open(newline="", encoding="utf-8") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                rec: dict[str, object] = {}
                for spec in specs:
                    text = (row.get(spec.name) or "").strip()
                    where = (path.name, lineno, spec.name, text)
                    if spec.required and not text:
                        problems.append(Problem(*where, "required value is missing"))
                    if spec.is_number:
                        try:
                            value = float(text) if text else float("nan")
                        except ValueError:
                            problems.append(Problem(*where, "not a number"))
                            value = float("nan")
                        if value < 0:
                            problems.append(Problem(*where, "must be >= 0"))
                        rec[spec.name] = value
                    elif spec.type.startswith("list"):
                        rec[spec.name] = tuple(p.strip() for p in text.split(";") if p.strip())
                    else:
                        rec[spec.name] = text
                cited: tuple[str, ...] = rec.get("sources", ())  # type: ignore[assignment]
                known = set(sources.index) if sources is not None else None
                for sid in cited:
                    if known is not None and sid not in known:
                        problems.append(
                            Problem(path.name, lineno, "sources", sid, "unknown source id")
                        )
                if not cited and not str(rec.get("estimate", "")):
                    problems.append(
                        Problem(
                            path.name,
                            lineno,
                            "sources",
                            "",
                            "numbers without a source or an estimate note",
                        )
                    )
                records.append(rec)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(records, columns=names)


def load_prices(
    folder: str | Path | None = None, *, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The prices table of ``folder`` (default: the embedded dataset), checked.

    Parameters
    ----------
    folder
        Data folder holding ``prices.csv`` (an empty table when there is none).
    sources
        The network's sources table, to check the cited ids against.

    Raises
    ------
    DataError
        Listing every problem found.
    """
    return _read("prices", Path(folder) if folder is not None else default_data_dir(), sources)


def load_export_partners(
    folder: str | Path | None = None, *, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The export-partner shares of ``folder`` (default: the embedded dataset), checked."""
    return _read(
        "export_partners", Path(folder) if folder is not None else default_data_dir(), sources
    )


def price_per_flow_unit(prices: pd.DataFrame, commodity: str, year: int) -> tuple[float, str, int]:
    """USD per flow unit of ``commodity`` for ``year``: the row of that year, else the nearest.

    Returns
    -------
    (float, str, int)
        The price, the row's id and its year.

    Raises
    ------
    CorridorsError
        When the table has no price for the commodity.
    """
    rows = prices[prices["commodity"] == commodity]
    if rows.empty:
        raise CorridorsError(f"no price for {commodity} in the prices table")
    gap = np.abs(rows["year"].to_numpy(dtype=float) - year)
    best = rows.iloc[int(np.lexsort((-rows["year"].to_numpy(dtype=float), gap))[0])]
    return float(best["usd_per_flow_unit"]), str(best["id"]), int(best["year"])
