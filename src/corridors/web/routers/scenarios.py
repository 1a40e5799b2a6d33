"""``/api/scenarios``: the shipped scenarios, and checking an uploaded one."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, File, Path, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from corridors.errors import DataError, ScenarioError
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario, shipped_scenarios
from corridors.web.errors import ApiError
from corridors.web.params import shipped
from corridors.web.schemas import ScenarioSummary, error_responses
from corridors.web.state import AppState, app_state, json_bytes, run_bounded

__all__ = ["check_scenario_text", "router"]

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
State = Annotated[AppState, Depends(app_state)]


def _summary(s: Scenario) -> dict[str, Any]:
    return {
        "name": s.name,
        "title": s.title,
        "date": s.date,
        "description": " ".join(s.description.split()),
        "sources": list(s.sources),
    }


@router.get("", response_model=list[ScenarioSummary], summary="Shipped scenarios")
async def list_scenarios() -> Response:
    """Name, title, date, description and sources of every shipped scenario."""
    body = json_bytes([_summary(shipped(name)) for name in shipped_scenarios()])
    return Response(body, media_type="application/json")


@router.get("/{name}", summary="One shipped scenario", responses=error_responses(404))
async def show_scenario(name: Annotated[str, Path(min_length=1, max_length=80)]) -> Response:
    """The scenario's whole content (closures, overrides, additions) as JSON."""
    if name not in shipped_scenarios():
        raise ApiError(404, "unknown_scenario", "name", f"no shipped scenario {name!r}")
    return Response(
        json_bytes(shipped(name).model_dump(mode="json")), media_type="application/json"
    )


def _reject(message: str, problems: list[dict[str, Any]] | None = None) -> ApiError:
    return ApiError(422, "invalid_scenario", "file", message, problems=problems or [])


#: Deepest nesting and most YAML events an uploaded scenario may have (a real one: ~6, ~300).
MAX_DEPTH, MAX_EVENTS = 24, 20_000


def _parse(text: str) -> Any:
    """Safe YAML: no anchors or aliases (no alias bombs), bounded nesting and size.

    The events are checked as the parser streams them, so a hostile file is turned away
    before it is built.
    """
    depth = 0
    try:
        for n, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _reject("YAML anchors and aliases are not accepted")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth > MAX_DEPTH or n > MAX_EVENTS:
                raise _reject(
                    f"YAML nested deeper than {MAX_DEPTH} or longer than {MAX_EVENTS} items"
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _reject(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _reject("YAML nested too deeply") from None


def check_scenario_text(net: Network, text: str) -> dict[str, Any]:
    """Validate a scenario's YAML text against the schema and the network.

    Returns
    -------
    dict
        ``valid``, the scenario as JSON, and what it changes (links and nodes removed,
        added).

    Raises
    ------
    ApiError
        422 naming ``file``, with ``problems`` (field, message, value) for each error.
    """
    data = _parse(text)
    if not isinstance(data, dict):
        raise _reject("a scenario is a YAML mapping (name:, close:, ...)")
    data.setdefault("name", "uploaded")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [
            {
                "field": ".".join(str(p) for p in e["loc"]) or "(top level)",
                "message": e["msg"],
                "value": None if isinstance(e.get("input"), dict | list) else str(e.get("input")),
            }
            for e in exc.errors()[:50]
        ]
        raise _reject(f"{len(problems)} problem(s) in the scenario", problems) from None
    except RecursionError:
        raise _reject("scenario nested too deeply") from None
    try:
        after = apply_scenario(net, scenario)
    except DataError as exc:
        problems = [{"field": p.file, "message": str(p), "value": p.value} for p in exc.problems]
        raise _reject(str(exc).splitlines()[0], problems[:50]) from None
    except ScenarioError as exc:
        raise _reject(str(exc)) from None
    return {
        "valid": True,
        "scenario": scenario.model_dump(mode="json"),
        "effect": {
            "links_before": len(net.links),
            "links_after": len(after.links),
            "nodes_before": len(net.nodes),
            "nodes_after": len(after.nodes),
        },
    }


@router.post(
    "/validate",
    summary="Validate an uploaded scenario file",
    responses=error_responses(413),
)
async def validate_scenario(
    state: State, file: Annotated[UploadFile, File(description="Scenario YAML (size-limited)")]
) -> Response:
    """Check a scenario YAML against the scenario schema and the network (nothing is stored)."""
    limit = state.limits.max_body_bytes
    raw = await file.read(limit + 1)
    if len(raw) > limit:
        raise ApiError(413, "body_too_large", "file", f"the file is larger than {limit} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _reject("the file is not UTF-8 text") from None
    key = ("validate", hashlib.sha256(raw).hexdigest())
    body = await run_bounded(state, key, lambda: check_scenario_text(state.net, text), heavy=True)
    return Response(body, media_type="application/json")
