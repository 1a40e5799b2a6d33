"""Typed route results that every face (CLI, JSON, web) renders the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Leg", "Range", "Route", "Stop"]

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class Range:
    """A low-high range (times: the sources often give ranges, not points)."""

    low: float
    high: float

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def scaled(self, factor: float) -> Range:
        """Both ends times ``factor``.

        Examples
        --------
        >>> Range(24.0, 48.0).scaled(1 / 24)
        Range(low=1.0, high=2.0)
        """
        return Range(self.low * factor, self.high * factor)

    def as_dict(self, digits: int = 1) -> dict[str, float]:
        """``{"low": .., "high": ..}`` rounded."""
        return {"low": round(self.low, digits), "high": round(self.high, digits)}


@dataclass(frozen=True, slots=True)
class Leg:
    """One link travelled: its running time includes the expected ferry wait."""

    link: str
    name: str
    from_id: str
    from_name: str
    to_id: str
    to_name: str
    mode: str
    layer: str
    countries: tuple[str, ...]
    passages: tuple[str, ...]
    length_km: float
    time_h: Range
    wait_h: float
    cost_usd: float | None
    sources: tuple[str, ...]
    time_source: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "link": self.link,
            "name": self.name,
            "from": self.from_name,
            "from_id": self.from_id,
            "to": self.to_name,
            "to_id": self.to_id,
            "mode": self.mode,
            "layer": self.layer,
            "countries": list(self.countries),
            "passages": list(self.passages),
            "length_km": round(self.length_km, 1),
            "time_h": self.time_h.as_dict(),
            "wait_h": round(self.wait_h, 1),
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 2),
            "sources": list(self.sources),
            "time_source": self.time_source,
        }


@dataclass(frozen=True, slots=True)
class Stop:
    """Time spent at a node: a border or port dwell, or a transfer (gauge change ...)."""

    node: str
    name: str
    kind: str
    from_layer: str
    to_layer: str
    time_h: Range
    cost_usd: float
    sources: tuple[str, ...]

    @property
    def is_transfer(self) -> bool:
        """Whether the load changes layer here."""
        return self.kind != "dwell"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "node": self.name,
            "node_id": self.node,
            "kind": self.kind,
            "from_layer": self.from_layer,
            "to_layer": self.to_layer,
            "time_h": self.time_h.as_dict(),
            "cost_usd": round(self.cost_usd, 2),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Route:
    """A route from one node to another, with its legs and stops in order.

    Totals are the sums of the legs and stops (a property the tests check).
    """

    origin: str
    destination: str
    objective: str
    commodity: str
    scenario: str
    legs: tuple[Leg, ...]
    stops: tuple[Stop, ...]
    steps: tuple[Leg | Stop, ...] = field(repr=False, default=())

    @property
    def length_km(self) -> float:
        """Total length."""
        return sum(leg.length_km for leg in self.legs)

    @property
    def time_h(self) -> Range:
        """Total time: legs (with ferry waits) plus stops."""
        total = Range(0.0, 0.0)
        for leg in self.legs:
            total = total + leg.time_h
        for stop in self.stops:
            total = total + stop.time_h
        return total

    @property
    def cost_usd(self) -> float | None:
        """Total cost per unit, or None where a leg's cost is unknown."""
        legs = [leg.cost_usd for leg in self.legs]
        if any(c is None for c in legs):
            return None
        return sum(c for c in legs if c is not None) + sum(s.cost_usd for s in self.stops)

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries in the order visited."""
        seen: list[str] = []
        for leg in self.legs:
            for c in leg.countries:
                if not seen or seen[-1] != c:
                    seen.append(c)
        return tuple(seen)

    @property
    def passages(self) -> tuple[str, ...]:
        """Sea passages used, in order."""
        return tuple(dict.fromkeys(p for leg in self.legs for p in leg.passages))

    @property
    def transfers(self) -> tuple[Stop, ...]:
        """Stops where the load changes layer."""
        return tuple(s for s in self.stops if s.is_transfer)

    @property
    def modes(self) -> tuple[str, ...]:
        """Modes used, in order of first use."""
        return tuple(dict.fromkeys(leg.mode for leg in self.legs))

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Links travelled, in order."""
        return tuple(leg.link for leg in self.legs)

    def legs_frame(self) -> pd.DataFrame:
        """The legs as a DataFrame, one row per leg."""
        return pd.DataFrame([leg.as_dict() for leg in self.legs])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: legs, stops, transfers, totals, countries, passages."""
        time = self.time_h
        cost = self.cost_usd
        return {
            "origin": self.origin,
            "destination": self.destination,
            "commodity": self.commodity,
            "objective": self.objective,
            "scenario": self.scenario,
            "legs": [leg.as_dict() for leg in self.legs],
            "stops": [s.as_dict() for s in self.stops],
            "transfers": [s.as_dict() for s in self.transfers],
            "totals": {
                "length_km": round(self.length_km, 1),
                "time_h": time.as_dict(),
                "time_days": time.scaled(1 / HOURS_PER_DAY).as_dict(),
                "cost_usd": None if cost is None else round(cost, 2),
            },
            "countries": list(self.countries),
            "passages": list(self.passages),
            "modes": list(self.modes),
        }
