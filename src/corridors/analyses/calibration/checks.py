"""Calibration: the model's end-to-end figures beside published ones.

Each published figure names an origin, a destination, a corridor option (see
:mod:`corridors.analyses.routing.options`) and a metric (``length_km`` or ``time_days``). The model
routes the pair under that option and reports its figure, the difference, and whether it
is within tolerance: lengths within ``KM_TOLERANCE`` of the published figure; times whose
modelled midpoint is within ``TIME_TOLERANCE`` of the published midpoint (the strict rule;
whether the published range lies inside the modelled one is shown beside it as
``range_ok``); costs (``cost_usd``, USD per unit) within ``COST_TOLERANCE`` of the
published range. A row whose ``fitted`` column says ``yes`` was used to derive a model
number (a rate per km, a service time): it is shown and marked, not counted as a check.
A row with a ``year`` is routed on the network as it ran that year (the dated
``section_times`` rows of the year: section speeds, border dwell;
:func:`corridors.model.rates.dated_network`) and, where ``rate_index`` has the year (and
always for a cost), with that year's market rates composed onto its option
(:func:`corridors.model.rates.rates_scenario`). A time row whose ``ends`` column says
``landed`` counts the box off the ship at a destination port (a published transit "to
Constanta" delivers there): a route that reaches the port by sea or ferry ends on the quay,
so the port's quickest handling off that layer (``transfers``) is added to its time. A
row's ``close`` (node ids separated by ``;``) closes them for that row, where the source
names the route and the model's fastest path in that year leaves it (the Government of
Kazakhstan's 2022 TITR figure runs through the Kazakh ports, not Turkmenbashi).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from corridors.analyses.routing.options import CorridorOption, named_options
from corridors.analyses.routing.search import route
from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.rates import dated_network, rate_years, rates_scenario
from corridors.model.scenario import Closures, Scenario, compose
from corridors.results.calibration import Calibration, CalibrationRow, Verdict
from corridors.results.route import HOURS_PER_DAY, Route

__all__ = ["COST_TOLERANCE", "KM_TOLERANCE", "TIME_TOLERANCE", "calibrate"]

#: A modelled length within this fraction of the published one counts as matching.
KM_TOLERANCE = 0.10
#: A modelled cost within this fraction outside the published range counts as matching
#: (freight rates move by tens of percent within a year).
COST_TOLERANCE = 0.25
#: A modelled time whose midpoint is within this fraction of the published midpoint matches.
TIME_TOLERANCE = 0.20

_TOLERANCE = {
    "length_km": f"within {KM_TOLERANCE:.0%} of the published figure",
    "cost_usd": f"within {COST_TOLERANCE:.0%} outside the published range",
    "time_days": f"model midpoint within {TIME_TOLERANCE:.0%} of the published midpoint",
}


def _model_range(r: Route, metric: str) -> tuple[float, float]:
    if metric == "length_km":
        return r.length_km, r.length_km
    if metric == "cost_usd":
        cost = r.cost_usd
        return (math.nan, math.nan) if cost is None else (cost, cost)
    days = r.time_h.scaled(1 / HOURS_PER_DAY)
    return days.low, days.high


def _verdict(metric: str, low: float, high: float, m_low: float, m_high: float) -> Verdict:
    if math.isnan(m_low):
        return "off"
    mid = (low + high) / 2
    if metric == "length_km":
        ok = abs((m_low + m_high) / 2 - mid) <= KM_TOLERANCE * mid
    elif metric == "cost_usd":
        ok = low * (1 - COST_TOLERANCE) <= m_low <= high * (1 + COST_TOLERANCE)
    else:
        ok = abs((m_low + m_high) / 2 - mid) <= TIME_TOLERANCE * mid
    return "within" if ok else "off"


def _time_checks(
    metric: str, low: float, high: float, m_low: float, m_high: float
) -> tuple[bool | None, bool | None]:
    """(published range inside the model's, model midpoint within the tolerance) for times."""
    if metric != "time_days" or math.isnan(m_low):
        return None, None
    mid = (low + high) / 2
    inside = m_low <= low and high <= m_high
    return inside, abs((m_low + m_high) / 2 - mid) <= TIME_TOLERANCE * mid


#: The layers a route can reach a port on, ending on the quay.
_WATER_LAYERS = frozenset({"sea", "ferry"})


def _landing_h(net: Network, r: Route) -> tuple[float, float]:
    """Hours to take the load off the ship at the route's end (0, 0 if it ends on land)."""
    if not r.legs or r.legs[-1].layer not in _WATER_LAYERS:
        return 0.0, 0.0
    layer, node = r.legs[-1].layer, r.legs[-1].to_id
    tr = net.transfers
    both = tr["direction"] == "both"
    off = tr[(tr["node"] == node) & (tr["from_layer"] == layer)]
    back = tr[(tr["node"] == node) & (tr["to_layer"] == layer) & both]
    times = [
        (float(t["time_low_h"]), float(t["time_high_h"]))
        for t in [*off.to_dict(orient="records"), *back.to_dict(orient="records")]
    ]
    if not times:
        return 0.0, 0.0
    return min(times, key=lambda t: t[0] + t[1])


def _is_fitted(value: Any) -> bool:
    return str(value or "").strip().lower() in ("yes", "true", "1")


def _row(
    net: Network,
    fig: dict[Any, Any],
    options: dict[str, CorridorOption],
    dated: dict[int, Network] | None = None,
) -> CalibrationRow:
    metric = str(fig["metric"])
    low, high = float(fig["low"]), float(fig["high"])
    m_low = m_high = math.nan
    countries: tuple[str, ...] = ()
    error = ""
    try:
        opt = options.get(str(fig["option"]))
        if opt is None:
            raise CorridorsError(f"unknown option {fig['option']!r}")
        scenario = opt.scenario
        work = net
        year = str(fig.get("year", "") or "").strip()
        if year:
            y = int(float(year))
            cache = {} if dated is None else dated
            work = cache.setdefault(y, dated_network(net, y))
            if metric == "cost_usd" or y in rate_years(net):
                scenario = compose([scenario, rates_scenario(net, y)])
        shut = tuple(v.strip() for v in str(fig.get("close", "") or "").split(";") if v.strip())
        if shut:
            scenario = compose([scenario, Scenario(name="row", close=Closures(nodes=shut))])
        r = route(work, str(fig["origin"]), str(fig["destination"]), scenario=scenario)
        m_low, m_high = _model_range(r, metric)
        if metric == "time_days" and str(fig.get("ends", "") or "").strip() == "landed":
            add_lo, add_hi = _landing_h(net, r)
            m_low, m_high = m_low + add_lo / HOURS_PER_DAY, m_high + add_hi / HOURS_PER_DAY
        countries = r.countries
    except CorridorsError as exc:
        error = str(exc)
    mid = (low + high) / 2
    diff = (m_low + m_high) / 2 - mid
    range_ok, midpoint_ok = _time_checks(metric, low, high, m_low, m_high)
    return CalibrationRow(
        id=str(fig["id"]),
        origin=str(fig["origin"]),
        destination=str(fig["destination"]),
        option=str(fig["option"]),
        metric=metric,
        unit=str(fig.get("unit", "")),
        published_low=low,
        published_high=high,
        model_low=None if math.isnan(m_low) else m_low,
        model_high=None if math.isnan(m_high) else m_high,
        diff=None if math.isnan(diff) else diff,
        diff_pct=None if math.isnan(diff) or mid == 0 else 100 * diff / mid,
        tolerance=_TOLERANCE.get(metric, _TOLERANCE["time_days"]),
        verdict="error" if error else _verdict(metric, low, high, m_low, m_high),
        source=str(fig["source"]),
        countries=countries,
        error=error,
        note=str(fig.get("note", "") or ""),
        explanation=str(fig.get("explanation", "") or ""),
        range_ok=range_ok,
        midpoint_ok=midpoint_ok,
        fitted=_is_fitted(fig.get("fitted")),
    )


def calibrate(
    net: Network, published: pd.DataFrame, *, options: tuple[CorridorOption, ...] | None = None
) -> Calibration:
    """Compare the model with published end-to-end figures.

    Parameters
    ----------
    net
        The network.
    published
        Rows of ``calibration.csv``: id, origin, destination, option, metric, low, high,
        unit, source, note, explanation and optionally fitted (``yes``: the figure was
        used to derive a model number; not counted as a check), year (route with that
        year's market rates, ``rate_index``), ends (``landed``: a time to a port
        counts the handling off the ship) and close (node ids closed for the row, ``;``).
    options
        The corridor options the rows name; ``None``: the network's
        (``analysis_defaults.yaml``).

    Returns
    -------
    Calibration
        One row per figure: the published range, the model's, the difference (model
        midpoint minus published midpoint, in the metric's unit, and in percent), the
        tolerance rule, the verdict and the route's countries.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import load
    >>> fig = pd.DataFrame([{"id": "x", "origin": "chongqing", "destination": "duisburg",
    ...     "option": "rail_north", "metric": "length_km", "low": 11179.0, "high": 11179.0,
    ...     "unit": "km", "source": "calib_chinadaily_2013"}])
    >>> row = calibrate(load(), fig).rows[0]
    >>> row.verdict, row.countries[0], abs(row.diff_pct) < 10
    ('within', 'CN', True)
    """
    by_key = {o.key: o for o in (options if options is not None else named_options(net))}
    dated: dict[int, Network] = {}
    rows = tuple(_row(net, fig, by_key, dated) for fig in published.to_dict(orient="records"))
    return Calibration(
        rows=rows,
        km_tolerance=KM_TOLERANCE,
        cost_tolerance=COST_TOLERANCE,
        time_tolerance=TIME_TOLERANCE,
    )
