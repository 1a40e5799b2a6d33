"""Route results: legs, stops and totals, keyed by ids with names beside them.

A :class:`Route` is what :func:`corridors.route` returns and every face renders: the CLI
table, ``--json`` (:meth:`Route.as_dict`), ``--geojson`` (:meth:`Route.features`), the
REST API (:meth:`Route.json_schema`). A :class:`RouteSet` holds the routes of one query
(the best route, or the alternatives), so that the JSON has one shape either way.

Each leg carries the coordinates of its ends (``[lon, lat]``) and its GeoJSON geometry
(the stored searoute line for sea legs, see :mod:`corridors.model.geometry`). Totals are
computed from the legs and stops (never stored apart from them).

Examples
--------
>>> t = Range.of(24.0, 36.0) + Range.of(12.0, 12.0)
>>> t.as_dict(), t.scaled(1 / HOURS_PER_DAY).as_dict()
({'low': 36.0, 'high': 48.0}, {'low': 1.5, 'high': 2.0})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, Field, PrivateAttr, computed_field

from corridors.results.base import LineString, Num, OptNum, Result, round_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HOURS_PER_DAY",
    "Leg",
    "Part",
    "Range",
    "Route",
    "RouteSet",
    "Stop",
    "TimeRange",
    "Totals",
]

HOURS_PER_DAY = 24.0

#: A ``(lon, lat)`` pair, WGS 84.
LonLat = tuple[float, float]


class Part(BaseModel):
    """A part of a result (range, leg, stop, totals): frozen, serialised as results are."""

    model_config = Result.model_config

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (floats rounded as in every result)."""
        return self.model_dump(mode="json")


class Range(Part):
    """A low-high range (times: the sources often give ranges, not points)."""

    low: Num
    high: Num

    @classmethod
    def of(cls, low: float, high: float) -> Range:
        """A range from its two ends (no validation: the hot path builds many).

        Examples
        --------
        >>> Range.of(24.0, 48.0).scaled(1 / 24)
        Range(low=1.0, high=2.0)
        """
        return cls.model_construct(low=low, high=high)

    def __add__(self, other: Range) -> Range:
        return Range.of(self.low + other.low, self.high + other.high)

    @property
    def mean(self) -> float:
        """Midpoint of the range."""
        return (self.low + self.high) / 2.0

    def scaled(self, factor: float) -> Range:
        """Both ends times ``factor``."""
        return Range.of(self.low * factor, self.high * factor)


def _unset(value: object) -> bool:
    return value is None


class TimeRange(Range):
    """A time range with, when drawn (``docs/uncertainty.md``), its P10/P50/P90.

    The percentiles are left out of the JSON form until they are computed, so a route
    without a Monte Carlo serialises as before.

    Examples
    --------
    >>> TimeRange.of(12.0, 21.0).as_dict()
    {'low': 12.0, 'high': 21.0}
    >>> TimeRange(low=12.0, high=21.0, p10=14.0, p50=16.5, p90=19.0).as_dict()["p50"]
    16.5
    """

    p10: OptNum = Field(default=None, exclude_if=_unset)
    p50: OptNum = Field(default=None, exclude_if=_unset)
    p90: OptNum = Field(default=None, exclude_if=_unset)


def _joined(values: tuple[str, ...]) -> str:
    return ";".join(values)


class Leg(Part):
    """One link travelled, from one node to the next; its time includes the ferry wait."""

    link_id: str
    link_name: str
    from_id: str
    from_name: str
    to_id: str
    to_name: str
    from_lonlat: LonLat
    to_lonlat: LonLat
    mode: str
    layer: str
    countries: tuple[str, ...]
    passages: tuple[str, ...]
    length_km: Num
    time_h: Range
    wait_h: Num
    cost_usd: OptNum
    co2_kg: OptNum = None
    sources: tuple[str, ...]
    time_source: str
    geometry: LineString

    def properties(self) -> dict[str, Any]:
        """Flat GeoJSON properties (lists joined by ``;``, numbers rounded)."""
        return {
            "link_id": self.link_id,
            "link_name": self.link_name,
            "from_id": self.from_id,
            "from_name": self.from_name,
            "to_id": self.to_id,
            "to_name": self.to_name,
            "mode": self.mode,
            "layer": self.layer,
            "countries": _joined(self.countries),
            "passages": _joined(self.passages),
            "length_km": round_number(self.length_km),
            "time_low_h": round_number(self.time_h.low),
            "time_high_h": round_number(self.time_h.high),
            "wait_h": round_number(self.wait_h),
            "cost_usd": round_number(self.cost_usd),
            "co2_kg": round_number(self.co2_kg),
            "sources": _joined(self.sources),
            "time_source": self.time_source,
        }


class Stop(Part):
    """Time spent at a node: a dwell (border, port call) or a transfer (gauge change ...).

    ``after_leg`` is the position (0-based) of the leg arriving at the stop; a dwell keeps
    the load on its layer (``from_layer == to_layer``).
    """

    node_id: str
    node_name: str
    lonlat: LonLat
    kind: str
    from_layer: str
    to_layer: str
    time_h: Range
    cost_usd: Num
    sources: tuple[str, ...]
    after_leg: int

    @property
    def is_transfer(self) -> bool:
        """Whether the load changes layer here."""
        return self.kind != "dwell"

    def properties(self) -> dict[str, Any]:
        """Flat GeoJSON properties."""
        return {
            "node_id": self.node_id,
            "node_name": self.node_name,
            "kind": self.kind,
            "from_layer": self.from_layer,
            "to_layer": self.to_layer,
            "time_low_h": round_number(self.time_h.low),
            "time_high_h": round_number(self.time_h.high),
            "cost_usd": round_number(self.cost_usd),
            "sources": _joined(self.sources),
            "after_leg": self.after_leg,
        }


class Totals(Part):
    """Sums over a route's legs and stops."""

    length_km: Num
    time_h: Range
    time_days: TimeRange
    cost_usd: OptNum
    co2_kg: OptNum = None


class Route(Result):
    """A route from one node to another, with its legs and stops in order.

    Totals, countries, passages, modes and transfers are computed from the legs and stops
    (a property the tests check) and serialised with them.
    """

    kind: ClassVar[str] = "route"

    origin_id: str
    origin_name: str
    destination_id: str
    destination_name: str
    commodity: str
    objective: str
    scenario: str
    via: tuple[str, ...] = ()
    legs: tuple[Leg, ...]
    stops: tuple[Stop, ...]
    _days_p: tuple[float, float, float] | None = PrivateAttr(default=None)

    def with_time_percentiles(self, p10: float, p50: float, p90: float) -> Route:
        """A copy whose ``totals.time_days`` carries P10/P50/P90 days (from a Monte Carlo)."""
        out = self.model_copy()
        out._days_p = (p10, p50, p90)
        return out

    @property
    def length_km(self) -> float:
        """Total length."""
        return sum(leg.length_km for leg in self.legs)

    @property
    def time_h(self) -> Range:
        """Total time: legs (with ferry waits) plus stops."""
        times = [leg.time_h for leg in self.legs] + [stop.time_h for stop in self.stops]
        return Range.of(sum(t.low for t in times), sum(t.high for t in times))

    @property
    def cost_usd(self) -> float | None:
        """Total cost per unit, or None where a leg's cost is unknown."""
        legs = [leg.cost_usd for leg in self.legs]
        if any(c is None for c in legs):
            return None
        return sum(c for c in legs if c is not None) + sum(s.cost_usd for s in self.stops)

    @property
    def co2_kg(self) -> float | None:
        """Total kg CO2e per unit (legs only; stops emit none), or None where a leg has none."""
        legs = [leg.co2_kg for leg in self.legs]
        if any(c is None for c in legs):
            return None
        return sum(c for c in legs if c is not None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def totals(self) -> Totals:
        """Length, time (hours and days), cost, kg CO2e."""
        time = self.time_h
        p10, p50, p90 = self._days_p or (None, None, None)
        days = TimeRange.model_construct(
            low=time.low / HOURS_PER_DAY, high=time.high / HOURS_PER_DAY, p10=p10, p50=p50, p90=p90
        )
        return Totals.model_construct(
            length_km=self.length_km,
            time_h=time,
            time_days=days,
            cost_usd=self.cost_usd,
            co2_kg=self.co2_kg,
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def countries(self) -> tuple[str, ...]:
        """Countries in the order visited."""
        seen: list[str] = []
        for leg in self.legs:
            for c in leg.countries:
                if not seen or seen[-1] != c:
                    seen.append(c)
        return tuple(seen)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passages(self) -> tuple[str, ...]:
        """Sea passages used, in order."""
        return tuple(dict.fromkeys(p for leg in self.legs for p in leg.passages))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def modes(self) -> tuple[str, ...]:
        """Modes used, in order of first use."""
        return tuple(dict.fromkeys(leg.mode for leg in self.legs))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def transfers(self) -> tuple[Stop, ...]:
        """Stops where the load changes layer."""
        return tuple(s for s in self.stops if s.is_transfer)

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Links travelled, in order."""
        return tuple(leg.link_id for leg in self.legs)

    @property
    def steps(self) -> tuple[Leg | Stop, ...]:
        """Legs and stops interleaved in travel order."""
        after: dict[int, list[Stop]] = {}
        for s in self.stops:
            after.setdefault(s.after_leg, []).append(s)
        out: list[Leg | Stop] = []
        for i, leg in enumerate(self.legs):
            out.append(leg)
            out.extend(after.get(i, ()))
        return tuple(out)

    def legs_frame(self) -> pd.DataFrame:
        """The legs as a DataFrame, one row per leg (flat columns, as in GeoJSON)."""
        import pandas as pd

        return pd.DataFrame([leg.properties() for leg in self.legs])

    def features(self, rank: int | None = None) -> list[dict[str, Any]]:
        """One LineString feature per leg, then one Point feature per stop.

        Properties are flat (GIS tools read them as columns); ``rank`` (1-based) says
        which route of a :class:`RouteSet` a feature belongs to.
        """
        head: dict[str, Any] = {"origin_id": self.origin_id, "destination_id": self.destination_id}
        if rank is not None:
            head["route"] = rank
        feats: list[dict[str, Any]] = [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": leg.geometry.coordinates},
                "properties": {"feature": "leg", **head, "leg": i, **leg.properties()},
            }
            for i, leg in enumerate(self.legs)
        ]
        feats.extend(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(stop.lonlat)},
                "properties": {"feature": "stop", **head, **stop.properties()},
            }
            for stop in self.stops
        )
        return feats


class RouteSet(Result):
    """The routes of one query, best first: one route, or the alternatives.

    ``route --json`` prints this shape whether or not alternatives were asked for.
    """

    kind: ClassVar[str] = "routes"

    origin_id: str
    origin_name: str
    destination_id: str
    destination_name: str
    commodity: str
    objective: str
    scenario: str
    via: tuple[str, ...] = ()
    routes: tuple[Route, ...]

    @classmethod
    def of(cls, routes: tuple[Route, ...]) -> RouteSet:
        """The set of ``routes`` (at least one; they share their query)."""
        first = routes[0]
        return cls(
            origin_id=first.origin_id,
            origin_name=first.origin_name,
            destination_id=first.destination_id,
            destination_name=first.destination_name,
            commodity=first.commodity,
            objective=first.objective,
            scenario=first.scenario,
            via=first.via,
            routes=routes,
        )

    @property
    def best(self) -> Route:
        """The first (best) route."""
        return self.routes[0]

    def features(self) -> list[dict[str, Any]]:
        """The features of every route, each with its ``route`` rank (1 = best)."""
        return [f for i, r in enumerate(self.routes, start=1) for f in r.features(rank=i)]
