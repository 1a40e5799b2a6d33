"""The assignment result: demand on routes under capacities, keyed by node and element ids.

Rows are typed lists (pydantic models) that serialise one way (:class:`Result`); the
``*_frame()`` methods give the same rows as DataFrames for Python users.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, computed_field

from corridors.results.base import Num, OptNum, Result

__all__ = [
    "AssignedRoute",
    "Assignment",
    "Crossing",
    "PublishedShare",
    "UnservedDemand",
    "Utilisation",
    "rows_frame",
]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AssignedRoute(_Row):
    """Volume on one route signature between an origin and a destination."""

    origin: str = Field(description="Origin node id.")
    origin_name: str
    destination: str = Field(description="Destination node id.")
    destination_name: str
    od: str = Field(description="'Origin → Destination' (names), for tables.")
    signature: str = Field(description="Countries, modes and passages: 'CN–KZ–RU (rail)'.")
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    passages: tuple[str, ...]
    crossing_ids: tuple[str, ...] = Field(description="Border crossings passed (node/link ids).")
    crossings: tuple[str, ...] = Field(description="Their names.")
    time_h: Num = Field(description="Volume-weighted mean generalized time, hours.")
    volume: Num
    share_of_od: Num = Field(description="Share of the pair's demand.")
    share_of_total: Num = Field(description="Share of the assigned total.")


class Crossing(_Row):
    """Volume through one border crossing (a border or port node, or a link)."""

    node: str = Field(description="Node id, or the link id for a border inside a link.")
    name: str
    kind: str
    countries: str = Field(description="The two sides, sorted, joined by '–'.")
    volume: Num
    share: Num = Field(description="Share of the assigned total.")


class UnservedDemand(_Row):
    """Demand of one pair and set of modes left unserved."""

    origin: str
    destination: str
    od: str
    modes: tuple[str, ...] = Field(description="Modes the demand may use (empty: any).")
    demand: Num
    unserved: Num
    share: Num
    reason: Literal["capacity", "no route"]


class Utilisation(_Row):
    """Flow on one capacitated link, transfer or node (the busier direction)."""

    id: str
    kind: str
    name: str
    capacity: Num
    flow: Num
    utilisation: OptNum
    #: Generalized hours the whole flow saves per TEU/yr of extra capacity (the LP's dual;
    #: where unserved demand is what the capacity binds, of the order of the unserved penalty).
    shadow_price_h: Num = 0.0


class PublishedShare(_Row):
    """A published route or transit share beside the model's."""

    id: str
    metric: str
    country: str = Field(description="ISO alpha-2 code; empty for a share of all traffic.")
    published: Num
    model: OptNum = Field(description="The model's counterpart (null: not comparable).")
    year: int
    sources: tuple[str, ...]
    note: str = ""


def rows_frame(rows: Sequence[BaseModel], model: type[BaseModel]) -> pd.DataFrame:
    """Typed rows as a DataFrame with the model's fields as columns (also when empty)."""
    return pd.DataFrame([r.model_dump() for r in rows], columns=list(model.model_fields))


class Assignment(Result):
    """Demand assigned to routes under capacities.

    Attributes
    ----------
    commodity, scenario, unit
        What was assigned, on which network (its label), and the unit of every volume.
    demand_total, assigned_total, unserved_total
        Yearly volumes; ``assigned_total + unserved_total == demand_total``.
    total_time
        Generalized time of the assigned flow, volume x mean hours (TEU·h per year).
    routes
        One row per origin, destination and route signature; largest volume first.
    crossings
        One row per border crossing used.
    transit_share, overland_share, mode_share
        Shares by country code (mode: ``sea``, ``rail``, ``road``); see
        :mod:`corridors.analyses.assignment.solve`.
    unserved
        One row per pair and modes with demand left.
    utilisation
        Every capacitated link, transfer and node; busiest first.
    published
        The network's published shares beside the model's.
    solver
        ``status``, ``message``, ``iterations``, ``objective`` (with the penalty) ...
    """

    kind: ClassVar[str] = "assignment"

    commodity: str
    scenario: str
    unit: str
    demand_total: Num
    assigned_total: Num
    unserved_total: Num
    total_time: Num
    routes: tuple[AssignedRoute, ...]
    crossings: tuple[Crossing, ...]
    transit_share: dict[str, Num]
    overland_share: dict[str, Num]
    mode_share: dict[str, Num]
    unserved: tuple[UnservedDemand, ...]
    utilisation: tuple[Utilisation, ...]
    published: tuple[PublishedShare, ...] = ()
    solver: dict[str, Any] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mean_time_h(self) -> float:
        """Volume-weighted mean generalized time of the assigned flow, hours."""
        return self.total_time / self.assigned_total if self.assigned_total > 0 else 0.0

    def routes_frame(self) -> pd.DataFrame:
        """:attr:`routes` as a DataFrame."""
        return rows_frame(self.routes, AssignedRoute)

    def crossings_frame(self) -> pd.DataFrame:
        """:attr:`crossings` as a DataFrame."""
        return rows_frame(self.crossings, Crossing)

    def unserved_frame(self) -> pd.DataFrame:
        """:attr:`unserved` as a DataFrame."""
        return rows_frame(self.unserved, UnservedDemand)

    def utilisation_frame(self) -> pd.DataFrame:
        """:attr:`utilisation` as a DataFrame."""
        return rows_frame(self.utilisation, Utilisation)

    def published_frame(self) -> pd.DataFrame:
        """:attr:`published` as a DataFrame."""
        return rows_frame(self.published, PublishedShare)
