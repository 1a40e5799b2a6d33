"""``/api/route``: the best route and alternatives, with every option the CLI has."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from corridors.analyses.routing.search import route, route_alternatives
from corridors.analyses.uncertainty import time_distribution
from corridors.model.disruptions import load_disruptions
from corridors.model.graph import Objective
from corridors.web.errors import ApiError, translate
from corridors.web.geo import own_features, route_features
from corridors.web.params import Closed, ListParam, csv_list, scenario_from_request
from corridors.web.schemas import Answer, error_responses
from corridors.web.state import AppState, app_state, run_bounded

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["routing"])
State = Annotated[AppState, Depends(app_state)]
#: Draws of the on-time probability (as ``corridors route --promise``).
PROMISE_DRAWS = 10_000
PlaceParam = Annotated[str, Query(min_length=1, max_length=120, description="Name, alias or id.")]


def _tagged(features: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    return [f | {"properties": {**f.get("properties", {}), "route": index}} for f in features]


@router.get(
    "/route",
    response_model=Answer,
    summary="Best route and alternatives between two places",
    responses=error_responses(404),
)
async def route_endpoint(
    state: State,
    origin: PlaceParam,
    destination: PlaceParam,
    commodity: Annotated[str, Query(max_length=40, description="Commodity id.")] = "container",
    optimize: Annotated[Objective, Query(description="What to minimise.")] = Objective.TIME,
    avoid: Annotated[ListParam, Query(description="Countries to avoid: RU,BY")] = "",
    avoid_passage: Annotated[ListParam, Query(description="Sea passages: suez")] = "",
    avoid_mode: Annotated[ListParam, Query(description="Modes: ferry,road")] = "",
    close_node: Annotated[ListParam, Query(description="Node ids closed")] = "",
    close_link: Annotated[ListParam, Query(description="Link ids closed")] = "",
    via: Annotated[ListParam, Query(description="Places to pass, in order")] = "",
    value_of_time: Annotated[
        float | None, Query(ge=0, le=1e6, description="USD per unit and day (generalized)")
    ] = None,
    alternatives: Annotated[int, Query(ge=1, le=20, description="Up to K routes")] = 1,
    scenario: Annotated[ListParam, Query(description="Shipped scenario names")] = "",
    promise: Annotated[
        float | None,
        Query(ge=0, le=1000, description="Promised door-to-door days (on-time probability)"),
    ] = None,
) -> Response:
    """Legs, stops and totals (days low–high, km, USD) of the best route and alternatives.

    ``features`` holds one GeoJSON LineString per leg, tagged with the route's rank. With
    ``promise`` (as ``corridors route --promise``), ``on_time`` gives the best route's
    probability of arriving within that many days and the Monte Carlo distribution it
    comes from (10,000 seeded draws over the time ranges and the sourced disruptions).
    """
    net, lim = state.net, state.limits
    if alternatives > lim.max_alternatives:
        raise ApiError(
            422, "too_many", "alternatives", f"alternatives: at most {lim.max_alternatives}"
        )
    places = csv_list(via, "via", lim)
    if len(places) > lim.max_via:
        raise ApiError(422, "too_many", "via", f"via: at most {lim.max_via} places")
    if places and alternatives > 1:
        raise ApiError(422, "invalid_combination", "via", "via and alternatives cannot be combined")
    if commodity not in net.commodities.index:
        raise ApiError(422, "unknown_commodity", "commodity", f"unknown commodity {commodity!r}")
    closed = Closed(
        avoid=avoid,
        avoid_passage=avoid_passage,
        avoid_mode=avoid_mode,
        close_node=close_node,
        close_link=close_link,
    )
    scen, scen_key = scenario_from_request(net, lim, scenario, closed)
    values = {"origin": origin, "destination": destination, "via": places}

    def compute() -> dict[str, Any]:
        with translate("origin", values):
            if alternatives > 1:
                routes = route_alternatives(
                    net,
                    origin,
                    destination,
                    k=alternatives,
                    commodity=commodity,
                    optimize=optimize,
                    scenario=scen,
                    value_of_time=value_of_time,
                )
            else:
                one = route(
                    net,
                    origin,
                    destination,
                    commodity=commodity,
                    optimize=optimize,
                    scenario=scen,
                    via=places,
                    value_of_time=value_of_time,
                )
                routes = [one]
        dicts = [r.as_dict() for r in routes]
        features: list[dict[str, Any]] = []
        for i, (r, d) in enumerate(zip(routes, dicts, strict=True)):
            own = own_features(r)
            features.extend(_tagged(own, i) if own else route_features(net, d, i))
        answer: dict[str, Any] = {
            "routes": dicts,
            "scenario": scen.name,
            "features": {"type": "FeatureCollection", "features": features},
        }
        if promise is not None:
            events = load_disruptions(state.data_path, net=net)
            dist = time_distribution(routes[0], events, draws=PROMISE_DRAWS, seed=0)
            answer["on_time"] = {
                "promise_days": promise,
                "probability": dist.prob_within(promise),
                "distribution": dist.as_dict(),
            }
        return answer

    key = (
        "route",
        origin,
        destination,
        commodity,
        optimize.value,
        tuple(places),
        value_of_time,
        alternatives,
        scen_key,
        promise,
    )
    return Response(await run_bounded(state, key, compute), media_type="application/json")
