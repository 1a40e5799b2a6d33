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

__all__ = ["apply_section_times", "matching_row"]


def _matches(row: dict[str, Any], mode: str, gauge: float, countries: tuple[str, ...]) -> bool:
    if row["mode"] != mode:
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


def apply_section_times(links: pd.DataFrame, sections: pd.DataFrame | None) -> pd.DataFrame:
    """``links`` with section speeds and service times applied (see the module docstring).

    ``links`` needs ``mode``, ``gauge_mm``, ``countries``, ``length_km``, the two time
    columns and ``time_source`` (as :func:`corridors.model.network.derive_link_columns`
    makes them); a copy is returned, with a ``service_h`` column (hours added by a
    service row, 0 where none).
    """
    out = links.copy()
    out["service_h"] = 0.0
    if sections is None or sections.empty:
        return out
    rows = [{str(k): v for k, v in r.items()} for r in sections.to_dict(orient="records")]
    lo = out["time_low_h"].to_numpy(dtype=float).copy()
    hi = out["time_high_h"].to_numpy(dtype=float).copy()
    source = out["time_source"].astype(str).tolist()
    service = np.zeros(len(out))
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
    out["time_low_h"], out["time_high_h"] = lo, hi
    out["time_source"], out["service_h"] = source, service
    return out
