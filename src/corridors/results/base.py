"""The one result contract: pydantic models with one serializer and one rounding rule.

Every analysis returns a subclass of :class:`Result`. Faces never format numbers on their
own for JSON: ``result.as_dict()`` (``model_dump(mode="json")``) is the JSON form that
the CLI prints, the REST API sends and the report embeds, and ``Result.json_schema()`` is
the schema the API's OpenAPI document uses.

The rounding rule (:func:`round_number`): every float is written with at most
:data:`SIGNIFICANT_DIGITS` significant digits, and a non-finite float (``inf``, ``nan``)
is written as ``null`` — JSON has no ``Infinity``. Python users see the unrounded values
on the model itself.

Geometry is GeoJSON (RFC 7946): :class:`LineString` coordinates are ``[lon, lat]`` pairs in
WGS 84; a result that can be drawn gives :meth:`Result.features`, and
:func:`feature_collection` wraps them for a map, a GeoPackage or a web layer.

Examples
--------
>>> round_number(19988.3333333), round_number(float("inf")), round_number(0.000123456789)
(19988.3, None, 0.000123457)
>>> class Demo(Result):
...     km: Num
>>> Demo(km=1 / 3).as_dict()
{'km': 0.333333}
>>> Demo.json_schema()["properties"]["km"]["anyOf"][0]["type"]
'number'
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

__all__ = [
    "SIGNIFICANT_DIGITS",
    "LineString",
    "Num",
    "OptNum",
    "Result",
    "feature_collection",
    "round_number",
]

#: Floats in JSON keep this many significant digits.
SIGNIFICANT_DIGITS = 6


def round_number(value: float | None) -> float | None:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits; None if not finite.

    Examples
    --------
    >>> round_number(2.0), round_number(None), round_number(float("nan"))
    (2.0, None, None)
    >>> round_number(1234567.89)
    1234570.0
    """
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


#: A float in a result: rounded by :func:`round_number` in JSON (``null`` if not finite).
Num = Annotated[float, PlainSerializer(round_number, return_type=float | None, when_used="json")]
#: An optional float in a result.
OptNum = Annotated[
    float | None, PlainSerializer(round_number, return_type=float | None, when_used="json")
]


class LineString(BaseModel):
    """A GeoJSON LineString: ``[lon, lat]`` pairs (WGS 84), at least two."""

    model_config = ConfigDict(frozen=True)

    type: Literal["LineString"] = "LineString"
    coordinates: list[tuple[float, float]] = Field(min_length=2)


class Result(BaseModel):
    """Base of every analysis result: frozen, serialised one way, with a JSON Schema."""

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="null")

    #: Name of the result kind in the API and in GeoJSON properties.
    kind: ClassVar[str] = "result"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: floats rounded by :func:`round_number`, non-finite as null."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON text of :meth:`as_dict` (always valid JSON)."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """JSON Schema of the serialised form (what :meth:`as_dict` returns)."""
        return cls.model_json_schema(mode="serialization")

    def features(self) -> list[dict[str, Any]]:
        """GeoJSON features of the result (empty for results with no geometry)."""
        return []


def feature_collection(result: Result) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``result``'s features.

    Examples
    --------
    >>> feature_collection(Result())
    {'type': 'FeatureCollection', 'features': []}
    """
    return {"type": "FeatureCollection", "features": result.features()}
