"""``/api/flow``, ``/api/compare``, ``/api/assign``: capacity-aware answers (LP solves).

These solves take from tens of milliseconds to seconds, so they share
``limits.heavy_slots`` worker slots and the time limit; their answers are cached.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from corridors.analyses.assignment.solve import assign
from corridors.analyses.compare.comparison import compare
from corridors.analyses.flows.dated import flow_at_year
from corridors.analyses.flows.solve import flow
from corridors.io.dated_files import read_year_tables
from corridors.model.graph import Objective
from corridors.model.network import Network
from corridors.model.scenario import Scenario
from corridors.model.years import check_dated
from corridors.web.errors import ApiError, translate
from corridors.web.geo import flow_features, own_features
from corridors.web.params import Closed, ListParam, csv_list, scenario_from_request
from corridors.web.schemas import Answer, error_responses
from corridors.web.state import AppState, app_state, run_bounded

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["flows"])
State = Annotated[AppState, Depends(app_state)]
ScenarioParam = Annotated[ListParam, Query(description="Shipped scenario names, comma-separated")]
_PAIR = re.compile(r"^\s*([^:=]{1,120})=\s*([0-9]+(?:\.[0-9]*)?)\s*$")


def _demand(text: str, state: AppState) -> dict[str, float]:
    """``NAME=VOLUME`` pairs, as ``corridors flow --demand`` reads them."""
    out: dict[str, float] = {}
    for part in csv_list(text, "demand", state.limits):
        m = _PAIR.match(part)
        if m is None:
            raise ApiError(422, "invalid_demand", "demand", f"demand: {part!r} is not NAME=VOLUME")
        out[m.group(1).strip()] = float(m.group(2))
    return out


def _flow_answer(
    net: Network,
    scen: Scenario,
    *,
    commodity: str,
    sources: str,
    sinks: str,
    mode: str,
    demand: dict[str, float],
    reference: float | None,
    year: int | None = None,
    data: Path | None = None,
) -> dict[str, Any]:
    """What ``corridors flow --json`` prints, with the flow's map features.

    As on the command line, a year (``year``, else the scenario's ``year:``) gives the
    bound, the dispatch and the published actuals of that year, with shared fleets split.
    """
    when = year if year is not None else scen.year
    flow_mode: Literal["max", "mincost"] = "mincost" if mode == "mincost" else "max"
    with translate("from", {"from": sources.split(","), "to": sinks.split(",")}):
        if when is not None and not demand:
            tables = read_year_tables(data)
            check_dated(tables.dated, net)
            result = flow_at_year(
                net,
                commodity,
                sources,
                sinks or None,
                year=when,
                mode=flow_mode,
                scenario=None if scen.is_empty() else scen,
                reference=reference,
                tables=tables,
            )
        else:
            result = flow(
                net,
                commodity,
                sources,
                sinks or None,
                mode=flow_mode,
                demand=demand or None,
                scenario=None if scen.is_empty() else scen,
                reference=reference,
            )
    body = result.as_dict()
    return body | {
        "features": {"type": "FeatureCollection", "features": flow_features(net, body, result)}
    }


@router.get(
    "/flow",
    response_model=Answer,
    summary="Max or least-cost flow, min cut, shortfall",
    responses=error_responses(),
)
async def flow_endpoint(
    state: State,
    sources: Annotated[
        str, Query(alias="from", min_length=1, max_length=400, description="Fields or ISO codes")
    ],
    commodity: Annotated[str, Query(max_length=40, description="crude or gas")] = "crude",
    sinks: Annotated[str, Query(alias="to", max_length=400, description="Markets/nodes")] = "",
    mode: Annotated[Literal["max", "mincost"], Query(description="What to optimise")] = "max",
    demand: Annotated[ListParam, Query(description="NAME=VOLUME, comma-separated")] = "",
    reference: Annotated[float | None, Query(ge=0, le=1e9, description="Reference volume")] = None,
    scenario: ScenarioParam = "",
    avoid: ListParam = "",
    close_node: ListParam = "",
    close_link: ListParam = "",
    year: Annotated[
        int | None,
        Query(
            ge=1950, le=2100, description="The network as of this year (default: the scenario's)"
        ),
    ] = None,
) -> Response:
    """Delivered per market and source, link flows, the min cut and the export shortfall.

    The min cut is the bottleneck; the shortfall is set against the actual exports in the
    demand table (or ``reference``).
    """
    net, lim = state.net, state.limits
    if commodity not in net.commodities.index:
        raise ApiError(422, "unknown_commodity", "commodity", f"unknown commodity {commodity!r}")
    wanted = _demand(demand, state)
    for field, value in (("from", sources), ("to", sinks)):
        csv_list(value, field, lim)
    closed = Closed(avoid=avoid, close_node=close_node, close_link=close_link)
    scen, scen_key = scenario_from_request(net, lim, scenario, closed)

    def compute() -> dict[str, Any]:
        return _flow_answer(
            net,
            scen,
            commodity=commodity,
            sources=sources,
            sinks=sinks,
            mode=mode,
            demand=wanted,
            reference=reference,
            year=year,
            data=state.data_path,
        )

    key = (
        "flow",
        commodity,
        sources,
        sinks,
        mode,
        tuple(wanted.items()),
        reference,
        scen_key,
        year,
    )
    body = await run_bounded(state, key, compute, heavy=True)
    return Response(body, media_type="application/json")


def _with_features(body: dict[str, Any], features: list[dict[str, Any]] | None) -> dict[str, Any]:
    """``body`` with its map layer, when the result draws itself."""
    if not features:
        return body
    return body | {"features": {"type": "FeatureCollection", "features": features}}


def _pairs(values: list[str], state: AppState) -> list[tuple[str, str]] | None:
    if not values:
        return None
    if len(values) > state.limits.max_od_pairs:
        raise ApiError(422, "too_many", "od", f"od: at most {state.limits.max_od_pairs} pairs")
    out = []
    for value in values:
        a, sep, b = value.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise ApiError(422, "invalid_od", "od", f"od: {value!r} is not ORIGIN:DESTINATION")
        out.append((a.strip(), b.strip()))
    return out


@router.get(
    "/compare",
    response_model=Answer,
    summary="A scenario beside the baseline",
    responses=error_responses(),
)
async def compare_endpoint(
    state: State,
    scenario: Annotated[str, Query(max_length=600, description="Shipped names")] = "",
    against: Annotated[str, Query(max_length=600, description="baseline or names")] = "baseline",
    od: Annotated[
        list[str] | None, Query(max_length=10, description="ORIGIN:DESTINATION, repeat")
    ] = None,
    markets: Annotated[ListParam, Query(description="Energy markets, comma-separated")] = "",
    optimize: Annotated[Objective, Query(description="What routes minimise")] = Objective.TIME,
    avoid: ListParam = "",
    avoid_passage: ListParam = "",
    avoid_mode: ListParam = "",
) -> Response:
    """Route times, costs and corridors; energy delivered; bottlenecks, before and after.

    The scenario compared is the shipped ``scenario`` names with the closures
    (``avoid``, ``avoid_passage``, ``avoid_mode``) on top, as ``corridors compare``.
    """
    net, lim = state.net, state.limits
    pairs = _pairs([v[:250] for v in od or []], state)
    closed = Closed(avoid=avoid, avoid_passage=avoid_passage, avoid_mode=avoid_mode)
    after, after_key = scenario_from_request(net, lim, scenario, closed)
    if after.is_empty():
        raise ApiError(
            422,
            "missing_scenario",
            "scenario",
            "name a shipped scenario or a closure (avoid, avoid_passage, avoid_mode) to compare",
        )
    base = against.strip()
    before, before_key = (
        (None, ()) if base.lower() in ("", "baseline") else scenario_from_request(net, lim, base)
    )
    market_list = csv_list(markets, "markets", lim)

    def compute() -> dict[str, Any]:
        with translate("od", {"od": [p for pair in pairs or [] for p in pair]}):
            result = compare(
                net,
                after,
                against=before,
                od_pairs=pairs,
                markets=market_list or None,
                objective=optimize,
            )
        return _with_features(result.as_dict(), own_features(result))

    key = ("compare", after_key, before_key, tuple(pairs or ()), tuple(market_list), optimize.value)
    body = await run_bounded(state, key, compute, heavy=True)
    return Response(body, media_type="application/json")


@router.get(
    "/assign",
    response_model=Answer,
    summary="Assign the demand to routes",
    responses=error_responses(),
)
async def assign_endpoint(
    state: State,
    commodity: Annotated[str, Query(max_length=40, description="Commodity id")] = "container",
    scenario: ScenarioParam = "",
    avoid: ListParam = "",
) -> Response:
    """Route, crossing and transit shares under capacities, beside the published shares."""
    net, lim = state.net, state.limits
    if commodity not in net.commodities.index:
        raise ApiError(422, "unknown_commodity", "commodity", f"unknown commodity {commodity!r}")
    scen, scen_key = scenario_from_request(net, lim, scenario, Closed(avoid=avoid))

    def compute() -> dict[str, Any]:
        with translate("commodity"):
            result = assign(net, commodity, scenario=None if scen.is_empty() else scen)
        return _with_features(result.as_dict(), own_features(result))

    key = ("assign", commodity, scen_key)
    body = await run_bounded(state, key, compute, heavy=True)
    return Response(body, media_type="application/json")
