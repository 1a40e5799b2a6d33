"""Result of a criticality sweep: every element's demand-weighted impact, ranked.

Examples
--------
>>> row = CriticalityRow(element="l1", kind="links", name="A-B", countries=("KZ",), lost=5.0,
...     lost_share=0.5, rerouted=0.0, extra_time_h=None, extra_time_h_year=0.0,
...     extra_cost_usd=None, extra_cost_usd_year=0.0, disconnected_pairs=1, affected_pairs=1,
...     rank=1, geometry=[(70.0, 45.0), (71.0, 45.0)])
>>> r = Criticality(commodity="container", unit="TEU/yr", engine="shortest-path",
...     elements="links", scenario="baseline", demand_total=10.0, pairs=2, rows=(row,))
>>> r.as_dict()["rows"][0]["lost_share"], "geometry" in r.as_dict()["rows"][0]
(0.5, False)
>>> r.features()[0]["geometry"]["type"]
'LineString'
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from corridors.results.base import Num, OptNum, Result

__all__ = ["Criticality", "CriticalityRow"]


class CriticalityRow(BaseModel):
    """The impact of removing one element: a row of :class:`Criticality`.

    Its ``kind`` is the element's kind, so it is a plain frozen model, not a :class:`Result`.

    Attributes
    ----------
    element, kind, name, countries
        Its id, kind (``links``, ``nodes``, ``transfers``, ``passages``, ``countries``),
        display name and countries.
    lost, lost_share
        Volume per year that can no longer be delivered, and its share of all demand.
    rerouted
        Volume per year whose route changes but is still delivered.
    extra_time_h, extra_cost_usd
        Extra hours and USD per unit rerouted (None when nothing reroutes).
    extra_time_h_year, extra_cost_usd_year
        The same times the rerouted volume (unit-hours and USD per year).
    disconnected_pairs, affected_pairs
        OD pairs cut off, and OD pairs whose current route uses the element.
    bridge
        Whether the element was scored directly (a bridge link).
    rank
        1 = most critical (lost volume first, then extra unit-hours, then extra cost).
    members
        For an N-2 row (``element`` ``"a+b"``): the two elements removed together.
    geometry
        GeoJSON coordinates (a point or a line) for :meth:`Criticality.features`; not in
        the JSON rows.
    """

    element: str
    kind: str
    name: str
    countries: tuple[str, ...]
    lost: Num
    lost_share: Num
    rerouted: Num = 0.0
    extra_time_h: OptNum
    extra_time_h_year: Num = 0.0
    extra_cost_usd: OptNum
    extra_cost_usd_year: Num = 0.0
    disconnected_pairs: int
    affected_pairs: int = 0
    bridge: bool = False
    rank: int
    members: tuple[str, ...] = ()
    geometry: SkipJsonSchema[Any] = Field(default=None, exclude=True)

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, values: dict[str, Any]) -> CriticalityRow:
        """A row from every field's value, already of its type, without validation.

        For engines that make tens of thousands of rows of their own numbers
        (``model_construct`` fills defaults field by field, which costs more than the row).

        Examples
        --------
        >>> v = dict(element="l1", kind="links", name="A-B", countries=("KZ",), lost=1.0,
        ...     lost_share=0.1, rerouted=0.0, extra_time_h=None, extra_time_h_year=0.0,
        ...     extra_cost_usd=None, extra_cost_usd_year=0.0, disconnected_pairs=1,
        ...     affected_pairs=1, bridge=False, rank=1, members=(), geometry=None)
        >>> CriticalityRow.trusted(v) == CriticalityRow(**v)
        True
        """
        missing = _row_fields() - values.keys()
        if missing:
            raise ValueError(f"CriticalityRow.trusted needs every field; missing {sorted(missing)}")
        row = cls.__new__(cls)
        object.__setattr__(row, "__dict__", values)
        object.__setattr__(row, "__pydantic_fields_set__", set(values))
        object.__setattr__(row, "__pydantic_extra__", None)
        object.__setattr__(row, "__pydantic_private__", None)
        return row


@cache
def _row_fields() -> frozenset[str]:
    return frozenset(CriticalityRow.model_fields)


class Criticality(Result):
    """Every element's impact, most critical first.

    Attributes
    ----------
    commodity, unit
        What is measured, and the unit of every volume (per year).
    engine
        ``shortest-path`` (every OD pair routed alone) or ``capacitated`` (the flow LP
        re-solved with the element removed).
    elements, scenario
        The kind of element removed, and the network's label.
    demand_total, pairs
        Total demand and number of OD pairs weighed.
    rows
        One per element holding part of the network, ranked.
    """

    kind: ClassVar[str] = "criticality"

    commodity: str
    unit: str
    engine: str
    elements: str
    scenario: str
    demand_total: Num
    pairs: int
    rows: tuple[CriticalityRow, ...]

    def top(self, n: int | None) -> Criticality:
        """The same result with only the ``n`` most critical rows (all when ``n`` is None)."""
        return self if n is None else self.model_copy(update={"rows": self.rows[:n]})

    def features(self) -> list[dict[str, Any]]:
        """GeoJSON features coloured by impact: one per element with a geometry."""
        out: list[dict[str, Any]] = []
        top = max((r.lost + r.rerouted for r in self.rows), default=0.0) or 1.0
        for r in self.rows:
            if r.geometry is None:
                continue
            coords = [list(c) for c in r.geometry] if isinstance(r.geometry, list) else None
            geometry = (
                {"type": "LineString", "coordinates": coords}
                if coords is not None
                else {"type": "Point", "coordinates": list(r.geometry)}
            )
            props = r.model_dump(mode="json")
            props["impact"] = (r.lost + r.rerouted) / top
            props["result"] = self.kind
            props["countries"] = ";".join(r.countries)
            out.append({"type": "Feature", "geometry": geometry, "properties": props})
        return out
