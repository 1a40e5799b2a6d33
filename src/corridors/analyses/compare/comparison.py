"""A scenario beside the baseline (or another scenario): routes, delivered energy, bottlenecks.

:func:`compare` runs the same analyses twice, once per scenario, and reports the
differences as DataFrames that any face renders:

- **Routes**: for each origin–destination pair, the best container route under each
  scenario (by time unless told otherwise): time (low/high), cost and distance, their
  deltas, the countries, modes and passages, and whether the route disappears (no route
  after), appears (no route before) or changes corridor.
- **Energy**: the maximum flow of crude and gas (:func:`corridors.analyses.flows.solve.solve_flow`)
  from the fields of the supply countries (Kazakhstan, Azerbaijan, Turkmenistan, Russia by
  default) to every market: delivered per market before and after, the elements of the
  min cut after that were not in it before (new bottlenecks), and the volume each supply
  country delivers before and after, largest loss first.

Pairs default to the container pairs of the network's demand table, or when it has none,
to :data:`DEFAULT_OD_PAIRS` (China–Europe pairs of the default dataset) that the network
has.

Code
----
This module holds the public API and :class:`Comparison`; :mod:`.routes` routes
the pairs under both scenarios and :mod:`.energy` solves the energy flows under
both and sets them side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridors.analyses.compare.energy import ENERGY_COMMODITIES, SUPPLY_COUNTRIES, energy_tables
from corridors.analyses.compare.routes import (
    DEFAULT_CORRIDORS,
    DEFAULT_OD_PAIRS,
    od_pairs_of,
    route_rows,
)
from corridors.analyses.compare.routes import ROUTE_COLUMNS as ROUTE_COLUMNS
from corridors.analyses.routing.options import CorridorOption
from corridors.model.graph import Objective
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario

__all__ = [
    "DEFAULT_CORRIDORS",
    "DEFAULT_OD_PAIRS",
    "ENERGY_COMMODITIES",
    "SUPPLY_COUNTRIES",
    "Comparison",
    "compare",
    "od_pairs_of",
]

BASELINE = Scenario(name="baseline")


@dataclass(frozen=True, eq=False)
class Comparison:
    """What a scenario changes, against the baseline or another scenario.

    Attributes
    ----------
    scenario, against
        The scenario compared ("after") and the one compared against ("before";
        ``baseline`` when nothing is applied).
    objective
        What routes minimise (``time``, ``cost`` or ``distance``).
    routes
        One row per origin–destination pair, columns :data:`ROUTE_COLUMNS`: totals before
        and after (NaN without a route), deltas (after minus before), countries, modes and
        passages (tuples), ``corridor_changed`` (the countries differ) and ``status``:
        ``unchanged`` (same links), ``changed`` (other links), ``disappeared``,
        ``appeared`` or ``no route`` (neither); ``reason`` says why a route is missing.
    delivered
        Per commodity and market: ``commodity``, ``unit``, ``market``, ``before``,
        ``after``, ``delta``.
    delivered_total
        Per commodity: ``commodity``, ``unit``, ``before``, ``after``, ``delta``.
    bottlenecks
        Min-cut elements that change: ``commodity``, ``unit``, ``id``, ``name``, ``kind``
        (link, transfer, supply, intake), ``capacity`` and ``change`` (``new``: in the
        min cut after but not before; ``relieved``: the other way round).
    exporters
        Per commodity and supply country: ``commodity``, ``unit``, ``country``,
        ``before``, ``after``, ``delta``, ``delta_pct``; largest loss first.
    notes
        What could not be compared and why (a commodity without fields, no market
        reached ...).
    """

    scenario: Scenario
    against: Scenario
    objective: str
    routes: pd.DataFrame
    delivered: pd.DataFrame
    delivered_total: pd.DataFrame
    bottlenecks: pd.DataFrame
    exporters: pd.DataFrame
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def disappeared(self) -> list[tuple[str, str, str]]:
        """``(origin, destination, corridor)`` with a route before but none after."""
        return self._with_status("disappeared")

    @property
    def appeared(self) -> list[tuple[str, str, str]]:
        """``(origin, destination, corridor)`` with a route after but none before."""
        return self._with_status("appeared")

    def _with_status(self, status: str) -> list[tuple[str, str, str]]:
        rows = self.routes[self.routes["status"] == status]
        return [
            (str(a), str(b), str(c))
            for a, b, c in zip(rows["origin"], rows["destination"], rows["corridor"], strict=True)
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the two scenarios' metadata and every table as records."""
        return {
            "scenario": _meta(self.scenario),
            "against": _meta(self.against),
            "objective": self.objective,
            "routes": _records(self.routes),
            "delivered": _records(self.delivered),
            "delivered_total": _records(self.delivered_total),
            "bottlenecks": _records(self.bottlenecks),
            "exporters": _records(self.exporters),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """Every difference in one long table (the CSV form).

        Columns ``section`` (``route``, ``delivered``, ``delivered_total``, ``bottleneck``,
        ``exporter``), ``commodity``, ``item`` (the pair, market, element or country),
        ``metric``, ``unit``, ``before``, ``after``, ``delta`` and ``note``. Tuples are
        joined with ``;``.
        """
        rows: list[dict[str, Any]] = []

        def add(section: str, commodity: str, item: str, metric: str, unit: str, **v: Any) -> None:
            rows.append(
                {
                    "section": section,
                    "commodity": commodity,
                    "item": item,
                    "metric": metric,
                    "unit": unit,
                    "before": _flat(v.get("before")),
                    "after": _flat(v.get("after")),
                    "delta": _flat(v.get("delta")),
                    "note": v.get("note", ""),
                }
            )

        for r in self.routes.to_dict(orient="records"):
            pair = f"{r['origin']} → {r['destination']} ({r['corridor']})"
            note = f"{r['status']}{': ' + r['reason'] if r['reason'] else ''}"
            for metric, unit in (
                ("time_low_h", "h"),
                ("time_high_h", "h"),
                ("cost_usd", "USD/TEU"),
                ("length_km", "km"),
            ):
                add(
                    "route",
                    "container",
                    pair,
                    metric,
                    unit,
                    before=r[f"{metric}_before"],
                    after=r[f"{metric}_after"],
                    delta=r[f"delta_{metric}"],
                    note=note,
                )
            for metric in ("countries", "modes", "passages"):
                add(
                    "route",
                    "container",
                    pair,
                    metric,
                    "",
                    before=r[f"{metric}_before"],
                    after=r[f"{metric}_after"],
                    note=note,
                )
        for r in self.delivered.to_dict(orient="records"):
            add(
                "delivered", r["commodity"], r["market"], "delivered", r["unit"], **_before_after(r)
            )
        for r in self.delivered_total.to_dict(orient="records"):
            add(
                "delivered_total",
                r["commodity"],
                "all markets",
                "delivered",
                r["unit"],
                **_before_after(r),
            )
        for r in self.bottlenecks.to_dict(orient="records"):
            add(
                "bottleneck",
                r["commodity"],
                f"{r['id']} ({r['name']})",
                "capacity",
                r["unit"],
                after=r["capacity"] if r["change"] == "new" else None,
                before=r["capacity"] if r["change"] == "relieved" else None,
                note=f"{r['change']} {r['kind']}",
            )
        for r in self.exporters.to_dict(orient="records"):
            add(
                "exporter", r["commodity"], r["country"], "delivered", r["unit"], **_before_after(r)
            )
        return pd.DataFrame(
            rows,
            columns=[
                "section",
                "commodity",
                "item",
                "metric",
                "unit",
                "before",
                "after",
                "delta",
                "note",
            ],
        )


def _before_after(record: dict[Any, Any]) -> dict[str, Any]:
    """Before, after and delta of a record."""
    return {k: record[k] for k in ("before", "after", "delta")}


def _flat(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _meta(s: Scenario) -> dict[str, Any]:
    return {
        "name": s.name,
        "title": s.title,
        "date": s.date,
        "description": s.description.strip(),
        "sources": list(s.sources),
    }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for rec in df.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for k, v in rec.items():
            if isinstance(v, tuple):
                row[str(k)] = list(v)
            elif isinstance(v, float | np.floating):
                row[str(k)] = None if np.isnan(v) else round(float(v), 6)
            elif isinstance(v, np.bool_):
                row[str(k)] = bool(v)
            elif isinstance(v, np.integer):
                row[str(k)] = int(v)
            else:
                row[str(k)] = v
        out.append(row)
    return out


# ------------------------------------------------------------------------------ public


def compare(
    net: Network,
    scenario: Scenario,
    *,
    against: Scenario | None = None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    markets: Sequence[str] | None = None,
    objective: Objective | str = Objective.TIME,
    corridors: Sequence[CorridorOption] = DEFAULT_CORRIDORS,
    commodities: Sequence[str] = ENERGY_COMMODITIES,
    supply_countries: Sequence[str] = SUPPLY_COUNTRIES,
) -> Comparison:
    """Compare ``scenario`` with the baseline (or with ``against``).

    Parameters
    ----------
    net
        A validated network.
    scenario
        The scenario whose effect is wanted ("after").
    against
        What it is compared with ("before"); ``None``: the network as it is.
    od_pairs
        Origin–destination pairs (names, aliases or ids) to route; ``None``: see
        :func:`od_pairs_of`. An unknown place raises.
    markets
        Sinks of the energy flows (names, ids or country codes); ``None``: every market
        the commodity's links reach.
    objective
        What routes minimise: ``time`` (default), ``cost`` or ``distance``.
    corridors
        The ways of going each pair is routed under (:data:`DEFAULT_CORRIDORS`: the best
        route, northern rail, Middle Corridor, sea); each option's closures are added to
        both scenarios. Pass only the first to route the best route alone.
    commodities
        Energy commodities to solve flows for (those the network lacks are skipped).
    supply_countries
        Countries whose fields supply the flows.

    Returns
    -------
    Comparison
        Routes, delivered volumes, new bottlenecks and exporters' losses.

    Raises
    ------
    UnknownPlaceError
        For a pair naming a place the network does not have.
    ScenarioError
        If either scenario names links, nodes or passages the network does not have.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> c = compare(net, cx.load_scenario("red-sea-closed-2024"),
    ...             od_pairs=[("Shanghai", "Rotterdam")], commodities=())
    >>> row = c.routes.set_index("corridor").loc["sea"]
    >>> row["status"], "suez" in row["passages_before"], "cape" in row["passages_after"]
    ('changed', True, True)
    >>> bool(row["delta_time_mean_h"] > 0)
    True
    """
    against = against or BASELINE
    objective = Objective(objective).value
    # apply both first, so that unknown ids fail before any routing
    apply_scenario(net, against)
    apply_scenario(net, scenario)
    pairs = list(od_pairs) if od_pairs is not None else od_pairs_of(net)
    routes = route_rows(net, pairs, scenario, against, objective, corridors)
    delivered, totals, cuts, exporters, notes = energy_tables(
        net, scenario, against, list(commodities), list(supply_countries), markets
    )
    return Comparison(
        scenario=scenario,
        against=against,
        objective=objective,
        routes=routes,
        delivered=delivered,
        delivered_total=totals,
        bottlenecks=cuts,
        exporters=exporters,
        notes=tuple(notes),
    )
