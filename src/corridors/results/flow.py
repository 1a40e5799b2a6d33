"""The flow result: what a max-flow or least-cost flow solve returns, keyed by ids.

Every row carries ids with the names beside them (``id`` and ``name``; ``from``/``to`` and
``from_name``/``to_name`` on a link), so that a face looks nothing up and a later solve on
another scenario can be matched by id. Floats follow the one rounding rule of
:mod:`corridors.results.base`.

Shadow prices
-------------
A ``shadow_price`` is read from the duals of the **max-flow** LP: the increase of the
total delivered per unit of extra capacity of that element (flow unit per flow unit, so
dimensionless, between 0 and 1 for a single element), ``>= 0``. On a link it is ``null``
where the link is neither at its capacity in the reported flow nor priced by the duals.
Max-flow LPs are degenerate (several bases are optimal), so a saturated element of the
cut can show 0 where another element of the same cut carries the 1: the duals are one
valid set of prices, read from the basis HiGHS stops at.

Examples
--------
>>> r = FlowResult(commodity="gas", mode="max", scenario="demo", unit="bcm/yr",
...                delivered_total=10.95)
>>> r.as_dict()["delivered_total"], r.features()
(10.95, [])
>>> "links" in FlowResult.json_schema()["properties"]
True
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from pydantic import ConfigDict, Field

from corridors.results.base import Num, OptNum, Result

__all__ = [
    "ActualRow",
    "Binding",
    "CutElement",
    "Dispatch",
    "ExportRoute",
    "ExportSummary",
    "FleetShare",
    "FlowResult",
    "FlowSink",
    "FlowSource",
    "LinkFlow",
]


class FlowSink(Result):
    """A sink: what it received, and its demand and the unmet part when one was given."""

    id: str
    name: str
    country: str
    delivered: Num
    demand: OptNum = None
    unserved: OptNum = None


class FlowSource(Result):
    """A source: what it shipped, its supply limit and the part not shipped."""

    id: str
    name: str
    country: str
    shipped: Num
    supply: OptNum = None
    unused: OptNum = None


class LinkFlow(Result):
    """A link carrying flow, in the direction of the flow.

    ``capacity`` and ``utilisation`` are null when the link has no capacity in the flow
    unit; ``shadow_price`` (see the module docstring) is null when it is not binding.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)

    id: str
    name: str
    from_id: str = Field(serialization_alias="from")
    from_name: str
    to_id: str = Field(serialization_alias="to")
    to_name: str
    mode: str
    flow: Num
    capacity: OptNum = None
    utilisation: OptNum = None
    shadow_price: OptNum = None
    coordinates: list[tuple[float, float]] = Field(default_factory=list, exclude=True, repr=False)


class CutElement(Result):
    """One element of the min cut.

    ``element`` (``kind`` in JSON): ``link``, ``transfer``, ``supply`` (a source's capacity)
    or ``intake`` (a sink's capacity or demand).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)

    id: str
    name: str
    element: str = Field(serialization_alias="kind")
    capacity: Num
    shadow_price: OptNum = None


class Binding(Result):
    """A capacity at its bound in the reported flow (or with a positive shadow price)."""

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)

    id: str
    name: str
    element: str = Field(serialization_alias="kind")
    capacity: Num
    shadow_price: Num


class ExportRoute(Result):
    """A link on which the flow leaves the exporting countries."""

    id: str
    name: str
    mode: str
    from_id: str
    to_id: str
    to_country: str
    flow: Num
    capacity: OptNum = None
    utilisation: OptNum = None


class ExportSummary(Result):
    """Flow leaving the exporting countries, by route, against a reference volume.

    ``reference_year`` is the year of the reference (actual exports); ``supply_years``
    the years the sources' supply capacities refer to, so that a shortfall says which
    years it sets against each other.
    """

    countries: list[str]
    routes: list[ExportRoute] = Field(default_factory=list)
    delivered: Num
    reference: OptNum = None
    reference_year: int | None = None
    supply_years: list[int] = Field(default_factory=list)
    shortfall: OptNum = None
    reference_note: str = ""


class ActualRow(Result):
    """A published actual volume (``actuals.csv``) beside what the model gives for it.

    ``bound`` is the route's flow in the capacity bound (max flow), ``dispatch`` in the
    modelled dispatch (least-cost flow against the year's demand); null where the model has
    no counterpart (a route that does not exist in the scenario solved).
    """

    id: str
    route: str
    year: int
    published: Num
    unit: str
    bound: OptNum = None
    dispatch: OptNum = None
    sources: list[str] = Field(default_factory=list)
    note: str = ""


class FleetShare(Result):
    """A fleet that several commodities share in the solve (the Caspian ferries).

    Capacities and uses are in ``unit`` (wagon slots per year); ``competing`` is the other
    commodity's volume wanting the fleet that year (in its own unit, ``competing_unit``) and
    ``competing_carried`` what it got; ``priority`` says which commodity was served first.
    """

    id: str
    name: str
    unit: str
    capacity: Num
    priority: str
    competing_commodity: str
    competing: Num
    competing_unit: str
    competing_carried: Num
    competing_slots: Num
    commodity_capacity: Num
    commodity_slots: Num
    factors: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Dispatch(Result):
    """The modelled dispatch beside a capacity bound: a least-cost flow against demand.

    Its rows are those of a :class:`FlowResult` (sinks with their demand and unserved part,
    links carrying flow), with the fleets it shares.
    """

    basis: str = "dispatch"
    basis_note: str = ""
    delivered_total: Num
    unit: str
    demand_year: int | None = None
    sinks: list[FlowSink] = Field(default_factory=list)
    links: list[LinkFlow] = Field(default_factory=list)
    fleets: list[FleetShare] = Field(default_factory=list)
    total_cost: OptNum = None
    cost_basis: str = "km"


class FlowResult(Result):
    """The result of a flow solve.

    Attributes
    ----------
    commodity, mode, scenario, unit
        What was solved, how, on which network (its label), and the unit of volumes.
    delivered_total
        Total delivered to the sinks.
    sinks, sources
        One row per sink and source, by id (largest volume first).
    links
        Links carrying flow (largest first); their flows decompose into paths from the
        sources to the sinks (no circulation).
    min_cut
        The saturated elements separating sources from sinks (capacities add up to
        ``delivered_total``).
    binding
        Every capacity at its bound in the reported flow, or with a positive shadow price.
    uncapacitated
        Ids of links carrying flow without a capacity in the flow unit.
    total_cost, cost_basis, cost_note
        Cost of the flow, its basis (``USD/unit`` or ``km``) and why km where it is.
    no_path
        Empty when a usable path joins some source to some sink; otherwise what is
        missing (sources or sinks no usable link reaches, or no path between them).
    exports
        The export summary when asked for (:func:`corridors.analyses.flows.flow`).
    basis, basis_note
        ``bound``: a capacity bound (max flow, what the links could carry); ``dispatch``: a
        modelled dispatch (least-cost flow against demand); and what that means.
    keep_off
        A country whose crossing volume was minimised after the total (``--keep-off``).
    year
        The year the network was taken at (``--year``; null: the tables as they are).
    dispatch
        With a year: the modelled dispatch beside this bound (a flow result itself).
    actuals
        Published actual volumes of that year by route, with the bound and dispatch beside.
    fleets
        Fleets shared with another commodity in this solve, and how they were split.
    """

    kind: ClassVar[str] = "flow"

    commodity: str
    mode: str
    scenario: str
    unit: str
    delivered_total: Num
    sinks: list[FlowSink] = Field(default_factory=list)
    sources: list[FlowSource] = Field(default_factory=list)
    links: list[LinkFlow] = Field(default_factory=list)
    min_cut: list[CutElement] = Field(default_factory=list)
    binding: list[Binding] = Field(default_factory=list)
    uncapacitated: list[str] = Field(default_factory=list)
    total_cost: OptNum = None
    cost_basis: str = "km"
    cost_note: str = ""
    no_path: str = ""
    exports: ExportSummary | None = None
    basis: str = "bound"
    basis_note: str = ""
    keep_off: str = ""
    year: int | None = None
    dispatch: Dispatch | None = None
    actuals: list[ActualRow] = Field(default_factory=list)
    fleets: list[FleetShare] = Field(default_factory=list)

    @property
    def by_sink(self) -> dict[str, float]:
        """Volume delivered per sink id."""
        return {s.id: s.delivered for s in self.sinks}

    @property
    def by_source(self) -> dict[str, float]:
        """Volume shipped per source id."""
        return {s.id: s.shipped for s in self.sources}

    def link_frame(self) -> pd.DataFrame:
        """The link flows as a table (``from``/``to`` ids; NaN where a value is None)."""
        cols = ["id", "name", "from", "to", "mode", "flow", "capacity", "utilisation"]
        rows = [
            (r.id, r.name, r.from_id, r.to_id, r.mode, r.flow, r.capacity, r.utilisation)
            for r in self.links
        ]
        frame = pd.DataFrame(rows, columns=[*cols])
        for c in ("capacity", "utilisation"):
            frame[c] = frame[c].astype(float)
        return frame

    def features(self) -> list[dict[str, Any]]:
        """One GeoJSON LineString feature per link carrying flow, in the flow's direction."""
        out: list[dict[str, Any]] = []
        for row in self.links:
            props = row.as_dict() | {"kind": self.kind, "commodity": self.commodity}
            props["unit"] = self.unit
            geometry = {"type": "LineString", "coordinates": [list(c) for c in row.coordinates]}
            out.append({"type": "Feature", "geometry": geometry, "properties": props})
        return out
