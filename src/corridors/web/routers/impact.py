"""``/api/criticality`` and ``/api/leverage``: which element hurts most, who can choke whom.

Both call the analyses through :mod:`corridors.web.impacts` (the CLI's functions, with
the CLI's arguments). Work is bounded before it starts: the engine and kind of element
must be a sweep :data:`~corridors.web.impacts.ENGINES` allows, the sweep may remove at
most ``limits.max_sweep_elements`` elements, a leverage request names at most
``limits.max_exporters`` exporters, and every solve shares the heavy slots and the time
limit of :func:`~corridors.web.state.run_bounded`. Sweeps are deterministic, so each
result is kept per (dataset, scenario, parameters) and every answer cut from it (the top
rows, the map layer, the matrix) is cached too.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from corridors.model.network import Network
from corridors.model.scenario import Scenario
from corridors.results.criticality import Criticality
from corridors.results.leverage import Leverage
from corridors.web import impacts
from corridors.web.errors import ApiError, translate
from corridors.web.params import Closed, ListParam, csv_list, scenario_from_request
from corridors.web.schemas import (
    CriticalityAnswer,
    FeatureCollection,
    LeverageAnswer,
    LeverageMatrix,
    error_responses,
)
from corridors.web.state import AppState, app_state, result_bounded, run_bounded

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["impact"])
State = Annotated[AppState, Depends(app_state)]
Commodity = Annotated[str, Query(max_length=40, description="container, crude, gas, uranium")]
Elements = Annotated[
    Literal["links", "nodes", "transfers", "passages", "countries"],
    Query(description="What to remove, one at a time"),
]
Engine = Annotated[
    Literal["shortest-path", "capacitated"],
    Query(description="shortest-path (OD pairs routed alone) or capacitated (flow LP)"),
]
ScenarioParam = Annotated[ListParam, Query(description="Shipped scenario names, comma-separated")]
_CODE = re.compile(r"^[A-Za-z]{2}$")
#: The leverage measures the matrix carries, in the order of ``LeverageMatrix.measures``.
MEASURES = ("crossing_share", "lost_share", "value_at_risk_usd", "lost")


def _commodity(net: Network, commodity: str) -> None:
    if commodity not in net.commodities.index:
        known = ", ".join(map(str, net.commodities.index))
        raise ApiError(
            422, "unknown_commodity", "commodity", f"unknown commodity {commodity!r} ({known})"
        )


def _optional(scen: Scenario) -> Scenario | None:
    return None if scen.is_empty() else scen


async def _criticality(
    state: AppState, commodity: str, elements: str, engine: str, scenario: str, closed: Closed
) -> tuple[Criticality, tuple[Any, ...]]:
    """The whole sweep (checked, bounded, computed once), and the key it is kept under."""
    net, lim = state.net, state.limits
    _commodity(net, commodity)
    allowed = impacts.ENGINES[engine]
    if elements not in allowed:
        raise ApiError(
            422,
            "sweep_not_allowed",
            "elements",
            f"the {engine} engine removes {', '.join(allowed)}, not {elements}",
        )
    size = impacts.sweep_size(net, commodity, elements)
    if size > lim.max_sweep_elements:
        raise ApiError(
            422,
            "sweep_too_large",
            "elements",
            f"removing {size} {elements} one at a time is more than this server's limit of "
            f"{lim.max_sweep_elements} per request; pick another kind of element",
        )
    scen, scen_key = scenario_from_request(net, lim, scenario, closed)
    key = ("criticality", net.fingerprint, commodity, elements, engine, scen_key)

    def sweep() -> Criticality:
        with translate("commodity"):
            return impacts.criticality(
                net, commodity, elements=elements, engine=engine, scenario=_optional(scen)
            )

    return await result_bounded(state, key, sweep, heavy=True), key


@router.get(
    "/criticality",
    response_model=CriticalityAnswer,
    summary="Rank elements by the demand their loss cuts or reroutes",
    responses=error_responses(),
)
async def criticality_endpoint(
    state: State,
    commodity: Commodity = "container",
    elements: Elements = "links",
    engine: Engine = "shortest-path",
    scenario: ScenarioParam = "",
    top: Annotated[int, Query(ge=0, le=10_000, description="Rows to return (0: all)")] = 20,
    avoid: ListParam = "",
    close_node: ListParam = "",
    close_link: ListParam = "",
) -> Response:
    """``corridors criticality --json``: each element's lost and rerouted volume, ranked.

    ``features`` colours the network by impact (the returned rows with a geometry).
    The sweeps allowed: ``shortest-path`` removes links, nodes, transfers, passages or
    countries; ``capacitated`` (crude, gas, uranium) links, nodes, passages or countries.
    """
    closed = Closed(avoid=avoid, close_node=close_node, close_link=close_link)
    result, key = await _criticality(state, commodity, elements, engine, scenario, closed)

    def answer() -> dict[str, Any]:
        shown = result.top(top or None)
        features = {"type": "FeatureCollection", "features": shown.features()}
        return shown.as_dict() | {"features": features, "rows_total": len(result.rows)}

    body = await run_bounded(state, (*key, "json", top), answer)
    return Response(body, media_type="application/json")


@router.get(
    "/criticality/features",
    response_model=FeatureCollection,
    summary="The criticality sweep as a GeoJSON layer coloured by impact",
    responses=error_responses(),
)
async def criticality_features(
    state: State,
    commodity: Commodity = "container",
    elements: Elements = "links",
    engine: Engine = "shortest-path",
    scenario: ScenarioParam = "",
    avoid: ListParam = "",
    close_node: ListParam = "",
    close_link: ListParam = "",
) -> Response:
    """``corridors criticality --geojson``: one feature per element, ``impact`` in 0..1."""
    closed = Closed(avoid=avoid, close_node=close_node, close_link=close_link)
    result, key = await _criticality(state, commodity, elements, engine, scenario, closed)

    def answer() -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": result.features()}

    body = await run_bounded(state, (*key, "features"), answer)
    return Response(body, media_type="application/geo+json")


async def _leverage(
    state: AppState, commodity: str, exporter: str, scenario: str
) -> tuple[Leverage, tuple[Any, ...]]:
    net, lim = state.net, state.limits
    _commodity(net, commodity)
    codes = [c.upper() for c in csv_list(exporter, "exporter", lim)]
    for code in codes:
        if not _CODE.match(code):
            raise ApiError(
                422, "invalid_country", "exporter", f"{code!r} is not an ISO alpha-2 code"
            )
    if len(codes) > lim.max_exporters:
        raise ApiError(
            422, "too_many", "exporter", f"exporter: at most {lim.max_exporters} per request"
        )
    scen, scen_key = scenario_from_request(net, lim, scenario)
    exporters = sorted(codes) or None
    key = ("leverage", net.fingerprint, commodity, tuple(exporters or ()), scen_key)

    def run() -> Leverage:
        with translate("exporter"):
            return impacts.leverage(
                net,
                commodity,
                exporters=exporters,
                scenario=_optional(scen),
                data_path=state.data_path,
            )

    return await result_bounded(state, key, run, heavy=True), key


@router.get(
    "/leverage",
    response_model=LeverageAnswer,
    summary="Each transit country's hold on each exporter",
    responses=error_responses(),
)
async def leverage_endpoint(
    state: State,
    commodity: Commodity = "crude",
    exporter: Annotated[ListParam, Query(description="Exporter ISO codes (default: all)")] = "",
    scenario: ScenarioParam = "",
) -> Response:
    """``corridors leverage --json``: crossing share, lost share and value at risk per row."""
    result, key = await _leverage(state, commodity, exporter, scenario)
    body = await run_bounded(state, (*key, "rows"), result.as_dict)
    return Response(body, media_type="application/json")


def _grid(
    rows: list[dict[str, Any]], exporters: list[str], transits: list[str], measure: str
) -> list[list[float | None]]:
    grid: list[list[float | None]] = [[None] * len(transits) for _ in exporters]
    row_of = {e: i for i, e in enumerate(exporters)}
    col_of = {t: j for j, t in enumerate(transits)}
    for r in rows:
        grid[row_of[r["exporter"]]][col_of[r["transit"]]] = r.get(measure)
    return grid


def matrix(body: dict[str, Any]) -> dict[str, Any]:
    """The rows of ``Leverage.as_dict()`` laid out as exporter x transit grids.

    Examples
    --------
    >>> row = {"exporter": "KZ", "transit": "RU", "unit": "Mt/yr", "crossing_share": 0.9,
    ...        "lost_share": 0.7, "value_at_risk_usd": 3e10, "lost": 50.0, "after": None}
    >>> m = matrix({"commodity": "crude", "scenario": None, "rows": [row]})
    >>> m["exporters"], m["transits"], m["cells"]["lost_share"]
    (['KZ'], ['RU'], [[0.7]])
    """
    rows: list[dict[str, Any]] = body["rows"]
    exporters = sorted({r["exporter"] for r in rows})
    transits = list(dict.fromkeys(r["transit"] for r in rows))  # rows: largest risk first
    cells = {m: _grid(rows, exporters, transits, m) for m in MEASURES}
    after_rows = [
        r["after"] | {k: r[k] for k in ("exporter", "transit")} for r in rows if r.get("after")
    ]
    after = {m: _grid(after_rows, exporters, transits, m) for m in MEASURES} if after_rows else None
    return {
        "commodity": body["commodity"],
        "scenario": body["scenario"],
        "unit": rows[0]["unit"] if rows else "",
        "exporters": exporters,
        "transits": transits,
        "measures": list(MEASURES),
        "cells": cells,
        "after": after,
    }


@router.get(
    "/leverage/matrix",
    response_model=LeverageMatrix,
    summary="Leverage as an exporter x transit matrix",
    responses=error_responses(),
)
async def leverage_matrix(
    state: State,
    commodity: Commodity = "crude",
    exporter: Annotated[ListParam, Query(description="Exporter ISO codes (default: all)")] = "",
    scenario: ScenarioParam = "",
) -> Response:
    """Crossing share, lost share, value at risk and lost volume, exporter x transit."""
    result, key = await _leverage(state, commodity, exporter, scenario)
    body = await run_bounded(state, (*key, "matrix"), lambda: matrix(result.as_dict()))
    return Response(body, media_type="application/json")
