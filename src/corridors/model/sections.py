"""Section times: published speeds by region and gauge, and the calls a service makes.

``section_times.csv`` holds rows keyed by mode, gauge and a list of countries. A link
*matches* a row when its mode is the row's, its gauge is the row's (or the row names
none), and every country it crosses is in the row's list (or the row names none). Rows
are read in file order, so the more specific come first; the first matching row that
gives a figure applies:

- ``speed_low_kmh`` / ``speed_high_kmh`` replace the mode's speed (``modes.csv``) for
  links without their own time: European standard-gauge rail runs at its own published
  speed, not at the broad-gauge block-train speed. ``time_source`` becomes
  ``section:<row id>``.
- ``service_h_per_1000km`` adds the time a typical scheduled service spends between the
  link's ends beyond running (a liner's intermediate port calls) to every matching link,
  also one with its own time; ``time_source`` gets ``+<row id>``.
- ``cost_scale`` prices a lane: the link's rate per km (``mode_costs``) is multiplied by
  it (the link's ``cost_scale`` column, which a scenario's cost override multiplies in
  turn). A lane row names ``lane_a`` and ``lane_b``: it matches only links crossing a
  country of each (Asia-Mediterranean sea links: CN or SG, and IT, ES, GR or SI), so
  that a market index quoted per lane, not per km, is honoured.

Rows with ``year_from`` / ``year_to`` are *dated*: the loaded network ignores them (it
stands for the present); :func:`corridors.model.rates.dated_network` applies the rows of
one year ahead of the undated ones, so that a published figure of, say, 2013 is checked
against that year's section speeds. A dated row naming a ``node`` sets that node's dwell
(``dwell_low_h`` / ``dwell_high_h``) in its years: a border that was not yet congested.

Examples
--------
>>> import pandas as pd
>>> links = pd.DataFrame({"id": ["a"], "mode": ["rail"], "gauge_mm": [1435.0],
...     "countries": [("PL", "DE")], "length_km": [800.0], "time_low_h": [20.0],
...     "time_high_h": [26.0], "time_source": ["mode_speed"]})
>>> rows = pd.DataFrame({"id": ["eu"], "mode": ["rail"], "gauge_mm": [1435.0],
...     "countries": [("PL", "DE", "NL")], "speed_low_kmh": [16.0], "speed_high_kmh": [20.0],
...     "service_h_per_1000km": [float("nan")]})
>>> out = apply_section_times(links, rows)
>>> float(out.at[0, "time_low_h"]), float(out.at[0, "time_high_h"]), out.at[0, "time_source"]
(40.0, 50.0, 'section:eu')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["apply_section_times", "dated_rows", "matching_row", "undated_rows"]


def _is_dated(row: dict[str, Any]) -> bool:
    return any(row.get(c) is not None and not pd.isna(row.get(c)) for c in ("year_from", "year_to"))


def _in_years(row: dict[str, Any], year: int) -> bool:
    lo, hi = row.get("year_from"), row.get("year_to")
    lo_ok = lo is None or pd.isna(lo) or int(lo) <= year
    hi_ok = hi is None or pd.isna(hi) or year <= int(hi)
    return lo_ok and hi_ok


def _records(sections: pd.DataFrame | None) -> list[dict[str, Any]]:
    if sections is None or sections.empty:
        return []
    return [{str(k): v for k, v in r.items()} for r in sections.to_dict(orient="records")]


def undated_rows(sections: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The rows of ``sections`` without years (those of the loaded network), in order."""
    return [r for r in _records(sections) if not _is_dated(r)]


def dated_rows(sections: pd.DataFrame | None, year: int) -> list[dict[str, Any]]:
    """The dated rows of ``sections`` whose years include ``year``, in order."""
    return [r for r in _records(sections) if _is_dated(r) and _in_years(r, year)]


def _crosses(row: dict[str, Any], column: str, countries: tuple[str, ...]) -> bool:
    wanted = tuple(row.get(column) or ())
    return not wanted or bool(set(wanted) & set(countries))


def _matches(row: dict[str, Any], mode: str, gauge: float, countries: tuple[str, ...]) -> bool:
    if row["mode"] != mode:
        return False
    if not (_crosses(row, "lane_a", countries) and _crosses(row, "lane_b", countries)):
        return False
    g = row.get("gauge_mm", np.nan)
    if g is not None and not pd.isna(g) and (pd.isna(gauge) or float(g) != float(gauge)):
        return False
    allowed = tuple(row.get("countries") or ())
    return not allowed or set(countries) <= set(allowed)


def matching_row(
    rows: list[dict[str, Any]], column: str, mode: str, gauge: float, countries: tuple[str, ...]
) -> dict[str, Any] | None:
    """The first of ``rows`` matching the link that gives a value in ``column``, or None."""
    for row in rows:
        value = row.get(column)
        if value is None or pd.isna(value):
            continue
        if _matches(row, mode, gauge, countries):
            return row
    return None


def apply_section_times(
    links: pd.DataFrame,
    sections: pd.DataFrame | None,
    rows: list[dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """``links`` with section speeds and service times applied (see the module docstring).

    ``links`` needs ``mode``, ``gauge_mm``, ``countries``, ``length_km``, the two time
    columns and ``time_source`` (as :func:`corridors.model.network.derive_link_columns`
    makes them); a copy is returned, with a ``service_h`` column (hours added by a
    service row, 0 where none) and a ``cost_scale`` column (a lane row's rate multiple,
    1 where none). ``rows`` (records of the table) replaces the undated rows of
    ``sections`` when given.
    """
    out = links.copy()
    out["service_h"] = 0.0
    if "cost_scale" not in out:
        out["cost_scale"] = 1.0
    if rows is None:
        rows = undated_rows(sections)
    if not rows:
        return out
    lo = out["time_low_h"].to_numpy(dtype=float).copy()
    hi = out["time_high_h"].to_numpy(dtype=float).copy()
    source = out["time_source"].astype(str).tolist()
    service = np.zeros(len(out))
    cost_scale = out["cost_scale"].to_numpy(dtype=float).copy()
    length = out["length_km"].to_numpy(dtype=float)
    for i, (mode, gauge, countries) in enumerate(
        zip(out["mode"], out["gauge_mm"], out["countries"], strict=True)
    ):
        cs = tuple(countries)
        if source[i] == "mode_speed":
            row = matching_row(rows, "speed_low_kmh", str(mode), float(gauge), cs)
            if row is not None:
                lo[i] = length[i] / float(row["speed_high_kmh"])
                hi[i] = length[i] / float(row["speed_low_kmh"])
                source[i] = f"section:{row['id']}"
        row = matching_row(rows, "service_h_per_1000km", str(mode), float(gauge), cs)
        if row is not None:
            service[i] = length[i] / 1000.0 * float(row["service_h_per_1000km"])
            lo[i] += service[i]
            hi[i] += service[i]
            source[i] = f"{source[i]}+{row['id']}"
        row = matching_row(rows, "cost_scale", str(mode), float(gauge), cs)
        if row is not None:
            cost_scale[i] *= float(row["cost_scale"])
    out["cost_scale"] = cost_scale
    out["time_low_h"], out["time_high_h"] = lo, hi
    out["time_source"], out["service_h"] = source, service
    return out
