"""The comparison result: what a scenario changes, with the routes before and after kept.

Every row is keyed by ids (node ids, element ids, country codes) with names beside them.
The routes themselves (:class:`corridors.results.route.Route`) are kept on each
:class:`RouteChange`; :meth:`Comparison.features` draws their legs before and after.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema

from corridors.results.assignment import Assignment, rows_frame
from corridors.results.base import LineString, Num, OptNum, Result
from corridors.results.route import Route

__all__ = [
    "AssignmentChange",
    "BottleneckChange",
    "Comparison",
    "DeliveredChange",
    "EnergyTotal",
    "ExporterChange",
    "RouteChange",
    "RouteStatus",
    "ScenarioMeta",
    "ShareChange",
    "leg_key",
]

RouteStatus = Literal["unchanged", "changed", "disappeared", "appeared", "no route"]


def _route_json(r: Route | None) -> dict[str, Any] | None:
    return None if r is None else r.as_dict()


def _is_route(value: Any) -> Route | None:
    if value is not None and not isinstance(value, Route):
        raise ValueError("not a Route")
    return value


#: A route kept on a result: checked to be a :class:`Route`, serialised by its ``as_dict``.
KeptRoute = Annotated[
    Route | None,
    PlainValidator(_is_route),
    PlainSerializer(_route_json, return_type=dict[str, Any] | None),
    WithJsonSchema(
        {"anyOf": [{"type": "object", "title": "Route (Route.as_dict())"}, {"type": "null"}]}
    ),
]


def leg_key(link: str, from_id: str) -> str:
    """Key of a leg's line in :attr:`Comparison.lines`: the link and the node it leaves.

    Examples
    --------
    >>> leg_key("ab", "a")
    'ab|a'
    """
    return f"{link}|{from_id}"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScenarioMeta(_Row):
    """Name, title, date, description and sources of a scenario."""

    name: str
    title: str = ""
    date: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()


class RouteChange(_Row):
    """One pair under one way of going: the best route before and after, and the change."""

    origin: str = Field(description="Origin node id.")
    origin_name: str
    destination: str = Field(description="Destination node id.")
    destination_name: str
    corridor: str = Field(description="Corridor option key (best, overland, ...).")
    corridor_label: str
    status: RouteStatus
    time_low_h_before: OptNum
    time_high_h_before: OptNum
    time_low_h_after: OptNum
    time_high_h_after: OptNum
    delta_time_low_h: OptNum
    delta_time_high_h: OptNum
    delta_time_mean_h: OptNum
    cost_usd_before: OptNum
    cost_usd_after: OptNum
    delta_cost_usd: OptNum
    length_km_before: OptNum
    length_km_after: OptNum
    delta_length_km: OptNum
    countries_before: tuple[str, ...]
    countries_after: tuple[str, ...]
    modes_before: tuple[str, ...]
    modes_after: tuple[str, ...]
    passages_before: tuple[str, ...]
    passages_after: tuple[str, ...]
    corridor_changed: bool = Field(description="Both routes exist and their countries differ.")
    reason: str = Field(description="Why a route is missing ('' when both exist).")
    before: KeptRoute = Field(default=None, description="The route before (null: none).")
    after: KeptRoute = Field(default=None, description="The route after (null: none).")


class DeliveredChange(_Row):
    """Energy delivered to one market before and after."""

    commodity: str
    unit: str
    market_id: str = Field(default="", description="Market node id (when the flow gives it).")
    market: str = Field(description="Market name.")
    before: Num
    after: Num
    delta: Num


class EnergyTotal(_Row):
    """Energy delivered to every market before and after."""

    commodity: str
    unit: str
    before: Num
    after: Num
    delta: Num


class BottleneckChange(_Row):
    """An element entering (``new``) or leaving (``relieved``) the min cut."""

    commodity: str
    unit: str
    id: str
    name: str
    kind: str
    capacity: Num
    change: Literal["new", "relieved"]


class ExporterChange(_Row):
    """What one supply country delivers before and after."""

    commodity: str
    unit: str
    country: str
    before: Num
    after: Num
    delta: Num
    delta_pct: OptNum


class ShareChange(_Row):
    """One share of the assignment before and after.

    ``metric``: ``transit_share`` and ``overland_share`` by country code, ``mode_share``
    by mode, ``route_share`` by route signature (share of the assigned total).
    """

    metric: Literal["transit_share", "overland_share", "mode_share", "route_share"]
    key: str
    before: Num
    after: Num
    delta: Num


class AssignmentChange(_Row):
    """Totals of the capacity-constrained assignment before and after."""

    commodity: str
    unit: str
    demand_total: Num
    assigned_before: Num
    assigned_after: Num
    delta_assigned: Num
    unserved_before: Num
    unserved_after: Num
    delta_unserved: Num
    mean_time_h_before: Num
    mean_time_h_after: Num
    shares: tuple[ShareChange, ...] = Field(description="Shares that change, largest first.")


_ROUTE_METRICS = (
    ("time_low_h", "h"),
    ("time_high_h", "h"),
    ("cost_usd", "USD/TEU"),
    ("length_km", "km"),
)
_FRAME_COLUMNS = (
    "section",
    "commodity",
    "item",
    "metric",
    "unit",
    "before",
    "after",
    "delta",
    "note",
)


class Comparison(Result):
    """What a scenario changes, against the baseline or another scenario.

    Attributes
    ----------
    scenario, against
        The scenario compared ("after") and the one compared against ("before").
    objective
        What routes minimise.
    routes
        One row per pair and way of going, with the two routes kept.
    delivered, delivered_total, bottlenecks, exporters
        The energy flows side by side (per market, in total, min-cut changes, per
        supply country, largest loss first).
    assignment
        Totals and shares of the assignment of the container demand before and after
        (None when the network has no such demand); :attr:`assignment_before` and
        :attr:`assignment_after` are the two assignments.
    notes
        What could not be compared and why.
    lines
        Coordinates of every leg of the kept routes (by :func:`leg_key`), for
        :meth:`features`; not part of the JSON form.
    """

    kind: ClassVar[str] = "comparison"

    scenario: ScenarioMeta
    against: ScenarioMeta
    objective: str
    routes: tuple[RouteChange, ...]
    delivered: tuple[DeliveredChange, ...] = ()
    delivered_total: tuple[EnergyTotal, ...] = ()
    bottlenecks: tuple[BottleneckChange, ...] = ()
    exporters: tuple[ExporterChange, ...] = ()
    assignment: AssignmentChange | None = None
    assignment_before: Assignment | None = None
    assignment_after: Assignment | None = None
    notes: tuple[str, ...] = ()
    lines: dict[str, LineString] = Field(default_factory=dict, exclude=True)

    @property
    def disappeared(self) -> list[tuple[str, str, str]]:
        """``(origin name, destination name, corridor)`` with a route before, none after."""
        return self._with_status("disappeared")

    @property
    def appeared(self) -> list[tuple[str, str, str]]:
        """``(origin name, destination name, corridor)`` with a route after, none before."""
        return self._with_status("appeared")

    def _with_status(self, status: str) -> list[tuple[str, str, str]]:
        return [
            (r.origin_name, r.destination_name, r.corridor)
            for r in self.routes
            if r.status == status
        ]

    def routes_frame(self) -> pd.DataFrame:
        """:attr:`routes` as a DataFrame (without the Route objects)."""
        return rows_frame(self.routes, RouteChange).drop(columns=["before", "after"])

    def delivered_frame(self) -> pd.DataFrame:
        """:attr:`delivered` as a DataFrame."""
        return rows_frame(self.delivered, DeliveredChange)

    def delivered_total_frame(self) -> pd.DataFrame:
        """:attr:`delivered_total` as a DataFrame."""
        return rows_frame(self.delivered_total, EnergyTotal)

    def bottlenecks_frame(self) -> pd.DataFrame:
        """:attr:`bottlenecks` as a DataFrame."""
        return rows_frame(self.bottlenecks, BottleneckChange)

    def exporters_frame(self) -> pd.DataFrame:
        """:attr:`exporters` as a DataFrame."""
        return rows_frame(self.exporters, ExporterChange)

    def to_frame(self) -> pd.DataFrame:
        """Every difference in one long table (the CSV form).

        Columns ``section`` (``route``, ``assignment``, ``share``, ``delivered``,
        ``delivered_total``, ``bottleneck``, ``exporter``), ``commodity``, ``item`` (the
        pair, market, element, country or share key), ``metric``, ``unit``, ``before``,
        ``after``, ``delta`` and ``note``. Tuples are joined with ``;``.
        """
        rows: list[tuple[Any, ...]] = []
        for r in self.routes:
            pair = f"{r.origin_name} → {r.destination_name} ({r.corridor})"
            note = f"{r.status}{': ' + r.reason if r.reason else ''}"
            what = next((x.commodity for x in (r.before, r.after) if x is not None), "")
            for metric, unit in _ROUTE_METRICS:
                values = [getattr(r, f"{metric}_before"), getattr(r, f"{metric}_after")]
                delta = getattr(r, f"delta_{metric}")
                rows.append(("route", what, pair, metric, unit, *values, delta, note))
            for metric in ("countries", "modes", "passages"):
                x, y = getattr(r, f"{metric}_before"), getattr(r, f"{metric}_after")
                rows.append(("route", what, pair, metric, "", ";".join(x), ";".join(y), None, note))
        if (a := self.assignment) is not None:
            for metric, x, y, d in (
                ("assigned", a.assigned_before, a.assigned_after, a.delta_assigned),
                ("unserved", a.unserved_before, a.unserved_after, a.delta_unserved),
                ("mean_time_h", a.mean_time_h_before, a.mean_time_h_after, None),
            ):
                unit = "h" if metric == "mean_time_h" else a.unit
                rows.append(("assignment", a.commodity, "all demand", metric, unit, x, y, d))
            for s in a.shares:
                rows.append(("share", a.commodity, s.key, s.metric, "", s.before, s.after, s.delta))
        for e in self.delivered:
            rows.append(
                (
                    "delivered",
                    e.commodity,
                    e.market,
                    "delivered",
                    e.unit,
                    e.before,
                    e.after,
                    e.delta,
                )
            )
        for t in self.delivered_total:
            rows.append(
                (
                    "delivered_total",
                    t.commodity,
                    "all markets",
                    "delivered",
                    t.unit,
                    t.before,
                    t.after,
                    t.delta,
                )
            )
        for c in self.bottlenecks:
            x, y = (None, c.capacity) if c.change == "new" else (c.capacity, None)
            item = f"{c.id} ({c.name})"
            rows.append(
                (
                    "bottleneck",
                    c.commodity,
                    item,
                    "capacity",
                    c.unit,
                    x,
                    y,
                    None,
                    f"{c.change} {c.kind}",
                )
            )
        for x in self.exporters:
            rows.append(
                (
                    "exporter",
                    x.commodity,
                    x.country,
                    "delivered",
                    x.unit,
                    x.before,
                    x.after,
                    x.delta,
                )
            )
        return pd.DataFrame(
            [dict(zip(_FRAME_COLUMNS, r, strict=False)) for r in rows], columns=list(_FRAME_COLUMNS)
        ).fillna({"note": ""})

    def features(self) -> list[dict[str, Any]]:
        """GeoJSON features: every leg of every route, tagged ``side`` before or after."""
        out: list[dict[str, Any]] = []
        for row in self.routes:
            for side, r in (("before", row.before), ("after", row.after)):
                if r is None:
                    continue
                out.extend(self._leg_features(row, side, r))
        return out

    def _leg_features(self, row: RouteChange, side: str, r: Route) -> list[dict[str, Any]]:
        scenario = self.against.name if side == "before" else self.scenario.name
        out = []
        for i, (link, leg) in enumerate(zip(r.link_ids, r.legs, strict=True)):
            line = self.lines.get(leg_key(link, leg.from_id))
            if line is None:
                continue
            props = leg.as_dict() | {
                "side": side,
                "scenario": scenario,
                "origin": row.origin,
                "destination": row.destination,
                "corridor": row.corridor,
                "status": row.status,
                "leg": i,
                "link": link,
            }
            out.append(
                {"type": "Feature", "geometry": line.model_dump(mode="json"), "properties": props}
            )
        return out
