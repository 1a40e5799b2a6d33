"""What the network holds: metadata for pickers, place search, the network layer, sources."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Annotated, Any, cast

import pandas as pd
import pycountry
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from corridors.model.graph import Objective, usable_links
from corridors.model.network import Network
from corridors.model.places import fold_name
from corridors.model.scenario import shipped_scenarios
from corridors.model.schema import table_schema
from corridors.web.errors import ApiError, translate
from corridors.web.geo import network_collection
from corridors.web.params import csv_list
from corridors.web.schemas import FeatureCollection, Meta, Place, Source, error_responses
from corridors.web.state import AppState, app_state, json_bytes, run_bounded

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["network"])
State = Annotated[AppState, Depends(app_state)]


def _statuses() -> list[str]:
    return [c for spec in table_schema("links") if spec.name == "status" for c in spec.choices]


def _country(code: str) -> dict[str, Any]:
    found = pycountry.countries.get(alpha_2=code)
    return {
        "code": code,
        "numeric": getattr(found, "numeric", None),
        "name": getattr(found, "common_name", None) or getattr(found, "name", code),
    }


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


@router.get("/meta", response_model=Meta, summary="What the network holds, for pickers")
async def meta(state: State) -> Response:
    """Commodities, modes, statuses, passages, countries, objectives, scenarios and limits."""
    net = state.net

    def compute() -> dict[str, Any]:
        commodities = [
            {"id": r["id"], "name": r["name"], "unit": r["unit"], "modes": list(r["modes"])}
            for r in net.commodities.to_dict(orient="records")
        ]
        return {
            "network": net.label,
            "fingerprint": net.fingerprint,
            "commodities": commodities,
            "modes": [str(m) for m in net.modes["mode"]],
            "statuses": _statuses(),
            "passages": [{"id": i, "name": n} for i, n in net.passages["name"].items()],
            "countries": [_country(c) for c in sorted(net.countries())],
            "objectives": [o.value for o in Objective],
            "scenarios": list(shipped_scenarios()),
            "limits": {
                k: getattr(state.limits, k)
                for k in ("max_alternatives", "max_via", "max_items", "max_od_pairs")
            },
        }

    return Response(await run_bounded(state, ("meta",), compute), media_type="application/json")


def _labels(net: Network) -> list[tuple[str, str, str]]:
    """(folded label, node id, label) for every id, name and alias, cached on the network."""
    found = net.cache.get(("web", "labels"))
    if found is None:
        found = []
        for node_id, name, aliases in zip(
            net.nodes.index, net.nodes["name"], net.nodes["aliases"], strict=True
        ):
            for label in dict.fromkeys([str(name), *aliases, str(node_id)]):
                found.append((fold_name(label), str(node_id), label))
        net.cache[("web", "labels")] = found
    return cast(list[tuple[str, str, str]], found)


@router.get("/places", response_model=list[Place], summary="Search places (autocomplete)")
async def places(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=80, description="Name, alias or id.")],
    limit: Annotated[int, Query(ge=1, le=25)] = 10,
) -> Response:
    """Nodes whose name, alias or transliteration starts with (then contains) ``q``.

    Matching folds case, diacritics and punctuation (``malasz`` finds Małaszewicze).
    """
    net = state.net

    def compute() -> list[dict[str, Any]]:
        key = fold_name(q)
        if not key:
            return []
        hits: dict[str, tuple[int, int, str]] = {}
        for folded, node_id, label in _labels(net):
            pos = folded.find(key)
            if pos < 0:
                continue
            rank = (0 if pos == 0 else 1, len(folded), label)
            if node_id not in hits or rank < hits[node_id]:
                hits[node_id] = rank
        best = sorted(hits.items(), key=lambda kv: kv[1])[:limit]
        nodes = net.nodes
        return [
            {
                "id": node_id,
                "name": str(nodes.at[node_id, "name"]),
                "kind": str(nodes.at[node_id, "kind"]),
                "country": str(nodes.at[node_id, "country"]),
                "match": rank[2],
            }
            for node_id, rank in best
        ]

    answer = await run_bounded(state, ("places", q, limit), compute)
    return Response(answer, media_type="application/json")


@router.get(
    "/network",
    response_model=FeatureCollection,
    summary="Nodes and links as GeoJSON",
    responses=error_responses(),
)
async def network(
    state: State,
    mode: Annotated[str, Query(max_length=200, description="Modes, comma-separated.")] = "",
    commodity: Annotated[
        str, Query(max_length=40, description="Only links this commodity may use.")
    ] = "",
    status: Annotated[str, Query(max_length=200, description="Statuses, comma-separated.")] = "",
) -> Response:
    """The network as a FeatureCollection: links (LineStrings) then nodes (Points)."""
    net, lim = state.net, state.limits
    modes = csv_list(mode, "mode", lim)
    statuses = csv_list(status, "status", lim)
    for field, items, known in (
        ("mode", modes, set(net.modes["mode"])),
        ("status", statuses, set(_statuses())),
    ):
        bad = [i for i in items if i not in known]
        if bad:
            raise ApiError(422, f"unknown_{field}", field, f"{field}: unknown {bad[0]!r}")
    if commodity and commodity not in net.commodities.index:
        raise ApiError(422, "unknown_commodity", "commodity", f"unknown commodity {commodity!r}")

    def compute() -> dict[str, Any]:
        with translate("commodity"):
            links = usable_links(net, commodity).index if commodity else None
        return network_collection(net, modes=modes, links=links, statuses=statuses)

    key = ("network", tuple(sorted(modes)), commodity, tuple(sorted(statuses)))
    return Response(await run_bounded(state, key, compute), media_type="application/geo+json")


def _source(row: Mapping[Hashable, Any]) -> dict[str, Any]:
    year = row.get("year")
    return {
        "id": str(row["id"]),
        "title": _text(row.get("title")),
        "publisher": _text(row.get("publisher")),
        "url": _text(row.get("url")) or None,
        "year": None if year is None or pd.isna(year) else int(year),
        "licence": _text(row.get("licence")) or None,
        "note": _text(row.get("note")) or None,
    }


@router.get("/sources", response_model=list[Source], summary="Sources (all, or by id)")
async def sources(
    state: State,
    ids: Annotated[str, Query(max_length=1000, description="Source ids, comma-separated.")] = "",
) -> Response:
    """Every source of the tables, or those named; unknown ids are left out."""
    wanted = csv_list(ids, "ids", state.limits)
    table = state.net.sources
    rows = table.loc[[i for i in wanted if i in table.index]] if wanted else table
    body = json_bytes([_source(r) for r in rows.to_dict(orient="records")])
    return Response(body, media_type="application/json")


@router.get(
    "/sources/{source_id}",
    response_model=Source,
    summary="One source by id",
    responses=error_responses(404),
)
async def source(
    state: State, source_id: Annotated[str, Path(min_length=1, max_length=120)]
) -> Response:
    """The source behind a number: title, publisher, year, URL, licence, note."""
    table = state.net.sources
    if source_id not in table.index:
        raise ApiError(404, "unknown_source", "source_id", f"no source {source_id!r}")
    body = json_bytes(_source(table.loc[source_id].to_dict()))
    return Response(body, media_type="application/json")
