"""Pydantic models of the answers the web layer shapes itself (for the OpenAPI document).

Analysis results document themselves (``Result.json_schema()``); these models cover the
rest: errors, places, sources, the catalogue of the network, GeoJSON collections.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "Answer",
    "ErrorBody",
    "FeatureCollection",
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
