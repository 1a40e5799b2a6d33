"""Calibration: the model's end-to-end figures beside published ones.

Each published figure names an origin, a destination, a corridor option (see
:mod:`corridors.analyses.routing.options`) and a metric (``length_km`` or ``time_days``). The model
routes the pair under that option and reports its figure, the difference, and whether it
is within tolerance: lengths within ``KM_TOLERANCE`` of the published figure; times whose
modelled range overlaps the published range; costs (``cost_usd``, USD per unit) within
``COST_TOLERANCE`` of the published range.
"""

from __future__ import annotations

import pandas as pd

from corridors.analyses.routing.options import CORRIDOR_OPTIONS
from corridors.analyses.routing.search import route
from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.results.route import HOURS_PER_DAY

__all__ = ["COST_TOLERANCE", "KM_TOLERANCE", "calibrate"]

#: A modelled length within this fraction of the published one counts as matching.
KM_TOLERANCE = 0.10
#: A modelled cost within this fraction outside the published range counts as matching
#: (freight rates move by tens of percent within a year).
COST_TOLERANCE = 0.25


def calibrate(net: Network, published: pd.DataFrame) -> pd.DataFrame:
    """Compare the model with published end-to-end figures.

    Parameters
    ----------
    net
        The network.
    published
        Rows of ``calibration.csv``: id, origin, destination, option, metric, low, high,
        source, note, explanation.

    Returns
    -------
    pandas.DataFrame
        One row per figure: the published range, ``model_low``/``model_high``, ``diff``
        (model midpoint minus published midpoint, in the metric's unit), ``diff_pct``,
        ``within`` (bool) and the route's countries.
    """
    options = {o.key: o for o in CORRIDOR_OPTIONS}
    rows = []
    for _, fig in published.iterrows():
        opt = options.get(str(fig["option"]))
        out = {
            **fig.to_dict(),
            "model_low": float("nan"),
            "model_high": float("nan"),
            "countries": "",
        }
        try:
            if opt is None:
                raise CorridorsError(f"unknown option {fig['option']!r}")
            r = route(net, str(fig["origin"]), str(fig["destination"]), scenario=opt.scenario)
        except CorridorsError as exc:
            out["error"] = str(exc)
            rows.append(out)
            continue
        if fig["metric"] == "length_km":
            out["model_low"] = out["model_high"] = r.length_km
        elif fig["metric"] == "cost_usd":
            cost = r.cost_usd
            out["model_low"] = out["model_high"] = float("nan") if cost is None else cost
        else:
            days = r.time_h.scaled(1 / HOURS_PER_DAY)
            out["model_low"], out["model_high"] = days.low, days.high
        out["countries"] = "-".join(r.countries)
        out["error"] = ""
        rows.append(out)
    df = pd.DataFrame(rows)
    mid_model = (df["model_low"] + df["model_high"]) / 2
    mid_pub = (df["low"] + df["high"]) / 2
    df["diff"] = mid_model - mid_pub
    df["diff_pct"] = 100 * df["diff"] / mid_pub
    is_km = df["metric"] == "length_km"
    is_cost = df["metric"] == "cost_usd"
    is_time = ~is_km & ~is_cost
    overlap = (df["model_low"] <= df["high"]) & (df["model_high"] >= df["low"])
    cost_ok = (df["model_low"] >= df["low"] * (1 - COST_TOLERANCE)) & (
        df["model_low"] <= df["high"] * (1 + COST_TOLERANCE)
    )
    df["within"] = (
        (is_km & (df["diff_pct"].abs() <= 100 * KM_TOLERANCE))
        | (is_time & overlap)
        | (is_cost & cost_ok)
    )
    return df
