"""One row of a shortest-path criticality result, from an element's summed scores."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from corridors.analyses.criticality.elements import ElementKind
from corridors.model.geometry import link_line, node_point
from corridors.model.network import Network
from corridors.results.criticality import CriticalityRow

__all__ = ["criticality_row"]


def _geometry(net: Network, kind: ElementKind, element: str) -> Any:
    if kind is ElementKind.LINKS:
        return link_line(net, element)
    if kind is ElementKind.NODES:
        return node_point(net, element)
    if kind is ElementKind.TRANSFERS:
        node = net.transfers.loc[net.transfers["id"] == element, "node"]
        return node_point(net, str(node.iloc[0])) if len(node) else None
    if kind is ElementKind.PASSAGES and element in net.passages.index:
        lon = float(cast(float, net.passages.at[element, "lon"]))
        return (lon, float(cast(float, net.passages.at[element, "lat"])))
    return None


def criticality_row(
    net: Network,
    kind: ElementKind,
    element: str,
    info: tuple[str, tuple[str, ...]],
    values: np.ndarray,
    bridge: bool,
    total: float,
    rank: int,
    geometry: bool,
    members: tuple[str, ...] = (),
) -> CriticalityRow:
    """The row of ``element`` from its :data:`~.engine.METRICS` ``values``."""
    lost, rerouted, hours, cost, n_lost, n_affected = values.tolist()
    # built without validation: tens of thousands of rows of numbers made here
    return CriticalityRow.trusted(
        {
            "element": element,
            "kind": kind.value,
            "name": info[0],
            "countries": info[1],
            "lost": lost,
            "lost_share": lost / total if total > 0 else 0.0,
            "rerouted": rerouted,
            "extra_time_h": hours / rerouted if rerouted > 0 else None,
            "extra_time_h_year": hours,
            "extra_cost_usd": cost / rerouted if rerouted > 0 else None,
            "extra_cost_usd_year": cost,
            "disconnected_pairs": int(n_lost),
            "affected_pairs": int(n_affected),
            "bridge": bridge,
            "rank": rank,
            "members": members,
            "geometry": _geometry(net, kind, element) if geometry else None,
        }
    )
