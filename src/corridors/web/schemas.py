"""Pydantic models of the answers the web layer shapes itself (for the OpenAPI document).

Analysis results document themselves (``Result.json_schema()``); these models cover the
rest: errors, places, sources, the catalogue of the network, GeoJSON collections.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from corridors.results.criticality import Criticality
from corridors.results.leverage import Leverage

__all__ = [
    "Answer",
    "CriticalityAnswer",
    "ErrorBody",
    "FeatureCollection",
    "LeverageAnswer",
    "LeverageMatrix",
    "Meta",
    "Place",
    "ScenarioSummary",
    "Source",
    "error_responses",
]


class ErrorBody(BaseModel):
    """Every error answer: a code, the request field at fault, a message."""

    error: str = Field(description="Error code, e.g. unknown_place, invalid_parameter.")
    field: str = Field(description="The request field (parameter, body, path) at fault.")
    message: str = Field(description="What is wrong, in words.")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error ``codes`` (422 always)."""
    wanted = sorted({422, *codes})
    return {code: {"model": ErrorBody, "description": "Error naming the field"} for code in wanted}


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection (RFC 7946; coordinates are [lon, lat], WGS 84)."""

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]


class Answer(BaseModel):
    """An analysis answer: the result's JSON form (``as_dict()``), with map features."""

    model_config = {"extra": "allow"}

    features: FeatureCollection | None = None


class Place(BaseModel):
    """A node matching a search."""

    id: str
    name: str
    kind: str
    country: str
    match: str = Field(description="The name, alias or transliteration that matched.")


class Source(BaseModel):
    """A source behind numbers in the tables."""

    id: str
    title: str
    publisher: str
    url: str | None = None
    year: int | None = None
    licence: str | None = None
    note: str | None = None


class ScenarioSummary(BaseModel):
    """A shipped scenario, for a picker."""

    name: str
    title: str
    date: str
    description: str
    sources: list[str]


class Meta(BaseModel):
    """What the network holds, for pickers and legends."""

    network: str
    fingerprint: str
    commodities: list[dict[str, Any]]
    modes: list[str]
    statuses: list[str]
    passages: list[dict[str, Any]]
    countries: list[dict[str, Any]]
    objectives: list[str]
    scenarios: list[str]
    limits: dict[str, Any]


def _answer_model(result: type[BaseModel], name: str, doc: str, **extra: Any) -> type[BaseModel]:
    """A model of ``result``'s JSON form (its own fields, one for one) with ``extra`` fields."""
    fields: dict[str, Any] = {k: (f.annotation, f) for k, f in result.model_fields.items()}
    model: type[BaseModel] = create_model(name, __doc__=doc, **fields, **extra)
    return model


#: ``Criticality.as_dict()`` (the ``top`` rows) with the map layer coloured by impact.
CriticalityAnswer = _answer_model(
    Criticality,
    "CriticalityAnswer",
    "``Criticality.as_dict()`` (the ``top`` rows), with the map layer coloured by impact.\n\n"
    "``features`` has one feature per row with a geometry (links as lines; nodes, transfers "
    "and passages as points; countries have none), each with the row's fields and "
    "``impact`` = (lost + rerouted) / the largest such value.",
    features=(FeatureCollection, ...),
    rows_total=(int, Field(description="Rows in the whole sweep (before ``top``).")),
)

#: ``Leverage.as_dict()``.
LeverageAnswer = _answer_model(
    Leverage,
    "LeverageAnswer",
    "``Leverage.as_dict()``: exporter x transit rows, largest value at risk first, and the "
    "exporters' trade partners.",
)


class LeverageMatrix(BaseModel):
    """The leverage rows as an exporter x transit matrix (one grid per measure).

    ``cells[measure][i][j]`` is the measure for ``exporters[i]`` and ``transits[j]``;
    null where the analysis has no row (the exporter's flow does not touch that country).
    Transits are ordered by their largest value at risk.
    """

    commodity: str
    scenario: str | None
    unit: str
    exporters: list[str]
    transits: list[str]
    measures: list[str]
    cells: dict[str, list[list[float | None]]]
    after: dict[str, list[list[float | None]]] | None = Field(
        default=None, description="The same grids under the scenario, when one is given."
    )
