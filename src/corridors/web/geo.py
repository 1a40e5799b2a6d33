"""GeoJSON layers for the map, from the one geometry source (:mod:`corridors.model.geometry`).

A result that draws itself (``result.features()``, see :mod:`corridors.results.base`) is
used as it is; until every result does, :func:`route_features` and :func:`flow_features`
draw routes and flows from their link ids, with the same geometry functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from corridors.model.geometry import link_line, node_point
from corridors.model.network import Network

__all__ = ["flow_features", "network_collection", "own_features", "route_features"]

Feature = dict[str, Any]


def _line(net: Network, link: str, start: str | None) -> list[tuple[float, float]] | None:
    """The line of a link (None if unknown), memoised on the network.

    :func:`~corridors.model.geometry.link_line` looks the tables up, which is slow next to
    a route query; a network's lines never change.
    """
    lines: dict[tuple[str, str | None], list[tuple[float, float]] | None] = net.cache.setdefault(
        ("web", "lines"), {}
    )
    key = (link, start)
    if key not in lines:
        lines[key] = link_line(net, link, start=start) if link in net.links.index else None
    return lines[key]


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> Feature:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def own_features(result: object) -> list[Feature] | None:
    """``result.features()`` when the result draws itself (non-empty), else None."""
    method = getattr(result, "features", None)
    if callable(method):
        found = method()
        if isinstance(found, list) and found:
            return found
    return None


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, tuple | list) else []


def network_collection(
    net: Network,
    *,
    modes: Iterable[str] = (),
    links: pd.Index | None = None,
    statuses: Iterable[str] = (),
) -> dict[str, Any]:
    """Nodes (Points) and links (LineStrings) as one FeatureCollection.

    Parameters
    ----------
    net
        The network.
    modes, statuses
        Keep links of these modes and statuses only (empty: all).
    links
        Keep only these link ids (e.g. the links a commodity may use).
    """
    table = net.links
    if modes := set(modes):
        table = table[table["mode"].isin(modes)]
    if statuses := set(statuses):
        table = table[table["status"].isin(statuses)]
    if links is not None:
        table = table[table.index.isin(links)]
    features: list[Feature] = []
    for row in table.to_dict(orient="records"):
        cap = row.get("capacity")
        props = {
            "layer": "link",
            "id": row["id"],
            "name": row.get("name") or row["id"],
            "mode": row["mode"],
            "status": row["status"],
            "from": row["from"],
            "to": row["to"],
            "length_km": row["length_km"],
            "capacity": None if pd.isna(cap) else float(cap),
            "capacity_unit": row.get("capacity_unit") or "",
            "countries": _list(row["countries"]),
            "passages": _list(row["passages"]),
            "commodities": _list(row.get("commodities", ())),
            "sources": _list(row.get("sources", ())),
        }
        line = _line(net, str(row["id"]), None)
        features.append(_feature({"type": "LineString", "coordinates": line}, props))
    used = (
        set(table["from"]) | set(table["to"]) if (modes or statuses or links is not None) else None
    )
    for node_id, node in net.nodes.iterrows():
        if used is not None and node_id not in used:
            continue
        props = {
            "layer": "node",
            "id": node_id,
            "name": node["name"],
            "kind": node["kind"],
            "country": node["country"],
            "aliases": _list(node.get("aliases", ())),
            "sources": _list(node.get("sources", ())),
        }
        point = node_point(net, str(node_id))
        features.append(_feature({"type": "Point", "coordinates": point}, props))
    return {"type": "FeatureCollection", "features": features}


def route_features(net: Network, route: dict[str, Any], index: int) -> list[Feature]:
    """One LineString per leg of a route's JSON form (``as_dict()``), tagged with its rank."""
    out: list[Feature] = []
    for n, leg in enumerate(route.get("legs", [])):
        line = _line(net, str(leg["link_id"]), str(leg.get("from_id") or "") or None)
        if line is None:
            continue
        props = {
            "layer": "route",
            "route": index,
            "leg": n,
            "link_id": leg["link_id"],
            "mode": leg["mode"],
            "name": leg.get("link_name", ""),
        }
        out.append(_feature({"type": "LineString", "coordinates": line}, props))
    return out


def flow_features(net: Network, flow: dict[str, Any], result: object = None) -> list[Feature]:
    """Links carrying a flow (``cut`` marks min-cut links), and min-cut nodes as points.

    Link features carry flow, capacity and utilisation: ``result.features()`` where the
    result draws itself, else drawn here from the flow's JSON form (``as_dict()``).
    """
    cut = {str(c["id"]): c for c in flow.get("min_cut", [])}
    own = own_features(result)
    out: list[Feature] = []
    if own:
        for f in own:
            props = f.get("properties", {})
            tags = {"layer": "flow", "cut": str(props.get("id")) in cut}
            out.append(f | {"properties": props | tags})
    else:
        for link in flow.get("links", []):
            line = _line(net, str(link["id"]), str(link.get("from") or "") or None)
            if line is None:
                continue
            props = {"layer": "flow", "cut": link["id"] in cut} | link
            out.append(_feature({"type": "LineString", "coordinates": line}, props))
    transfers = net.transfers.set_index("id")["node"] if len(net.transfers) else pd.Series()
    for cid, c in cut.items():
        node = transfers.get(cid) if c.get("kind") == "transfer" else cid
        if node is None or node not in net.nodes.index:
            continue
        props = {"layer": "cut", "cut": True} | c
        point = node_point(net, str(node))
        out.append(_feature({"type": "Point", "coordinates": point}, props))
    return out
