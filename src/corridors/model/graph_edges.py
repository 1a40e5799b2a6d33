"""The edges of the compiled graph, laid out once (see :mod:`corridors.model.graph`).

:class:`Layout` numbers the vertices: an arrival ``2k`` and a departure ``2k + 1`` vertex
per ``(node, layer)`` pair ``k`` that a usable link touches, then a source and a sink
vertex per node with such a pair. :class:`EdgeList` collects one row per edge; the three
``add_*`` functions add the link, node (dwell, terminal) and transfer edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from corridors.model.network import Network

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: At a port, the node's dwell is the vessel's port call: charged to loads that stay on
#: these layers through the port, not to trains passing it nor to loads transferred there
#: (the port-handling transfer carries its own time).
PORT_CALL_LAYERS = frozenset({"sea", "ferry", "tanker"})

_COLUMNS = ("tail", "head", "kind", "ref", "lo", "hi", "cost", "len", "cap", "co2")


class EdgeKind(IntEnum):
    """What a graph edge stands for."""

    LINK = 0
    DWELL = 1
    TRANSFER = 2
    TERMINAL = 3


@dataclass
class Layout:
    """Vertex numbering of a set of usable links (see the module docstring)."""

    node_pos: dict[str, int]
    pairs: dict[tuple[str, str], int]
    source_vertex: IntArray
    sink_vertex: IntArray
    vertex_node: IntArray
    vertex_layer: list[str]

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_layer)

    def arr(self, node: str, layer: str) -> int:
        """Arrival vertex of ``node`` on ``layer`` (its departure vertex is the next one)."""
        return 2 * self.pairs[(node, layer)]


def layout(net: Network, links: pd.DataFrame) -> Layout:
    """Number the vertices of the graph of ``links``."""
    node_pos = {n: i for i, n in enumerate(net.nodes.index)}
    ends = pd.concat(
        [
            pd.DataFrame({"node": links["from"], "layer": links["layer"]}),
            pd.DataFrame({"node": links["to"], "layer": links["layer"]}),
        ]
    ).drop_duplicates()
    pairs = {
        (n, lay): k for k, (n, lay) in enumerate(zip(ends["node"], ends["layer"], strict=True))
    }
    n_pairs = len(pairs)
    used_nodes = sorted({node_pos[n] for n, _ in pairs})
    source_vertex = np.full(len(node_pos), -1, dtype=np.int64)
    sink_vertex = np.full(len(node_pos), -1, dtype=np.int64)
    for j, ni in enumerate(used_nodes):
        source_vertex[ni] = 2 * n_pairs + 2 * j
        sink_vertex[ni] = 2 * n_pairs + 2 * j + 1
    n_vertices = 2 * n_pairs + 2 * len(used_nodes)
    vertex_node = np.empty(n_vertices, dtype=np.int64)
    vertex_layer = [""] * n_vertices
    for (n, lay), k in pairs.items():
        vertex_node[2 * k : 2 * k + 2] = node_pos[n]
        vertex_layer[2 * k] = vertex_layer[2 * k + 1] = lay
    for j, ni in enumerate(used_nodes):
        vertex_node[2 * n_pairs + 2 * j : 2 * n_pairs + 2 * j + 2] = ni
    return Layout(node_pos, pairs, source_vertex, sink_vertex, vertex_node, vertex_layer)


@dataclass
class EdgeList:
    """Edge rows: tail, head, kind, ref, low and high hours, cost, km, capacity, kg CO2e."""

    cols: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in _COLUMNS})

    def add(
        self,
        t: int,
        h: int,
        kind: EdgeKind,
        ref: int,
        lo: float,
        hi: float,
        cost: float,
        length: float,
        cap: float = float("inf"),
        co2: float = 0.0,
    ) -> None:
        """Append one edge (``co2``: kg CO2e per unit; dwell and transfer edges emit none)."""
        for name, value in zip(
            _COLUMNS, (t, h, int(kind), ref, lo, hi, cost, length, cap, co2), strict=True
        ):
            self.cols[name].append(value)

    def ints(self, name: str) -> IntArray:
        """An integer column as an array."""
        return np.asarray(self.cols[name], dtype=np.int64)

    def floats(self, name: str) -> FloatArray:
        """A float column as an array."""
        return np.asarray(self.cols[name], dtype=float)


def add_link_edges(
    edges: EdgeList,
    lay: Layout,
    links: pd.DataFrame,
    cost: FloatArray,
    capacity: FloatArray,
    co2: FloatArray | None = None,
) -> FloatArray:
    """A ``dep(u) -> arr(v)`` edge per link (and back for ``both``); returns the ferry waits.

    ``co2``: kg CO2e per unit on each link (NaN where the mode has no factor; zeros when
    not given).
    """
    if co2 is None:
        co2 = np.zeros(len(links))
    wait = (links["headway_h"].fillna(0.0) / 2.0).to_numpy(dtype=float)
    t_lo = links["time_low_h"].to_numpy(dtype=float) + wait
    t_hi = links["time_high_h"].to_numpy(dtype=float) + wait
    length = links["length_km"].to_numpy(dtype=float)
    for i, (u, v, layer, direction) in enumerate(
        zip(links["from"], links["to"], links["layer"], links["direction"], strict=True)
    ):
        attrs = (t_lo[i], t_hi[i], cost[i], length[i], capacity[i], co2[i])
        edges.add(lay.arr(u, layer) + 1, lay.arr(v, layer), EdgeKind.LINK, i, *attrs)
        if direction == "both":
            edges.add(lay.arr(v, layer) + 1, lay.arr(u, layer), EdgeKind.LINK, i, *attrs)
    return wait


def _dwell(net: Network) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    nodes = net.nodes
    lo = nodes["dwell_low_h"].fillna(0.0).to_numpy(dtype=float)
    hi = nodes["dwell_high_h"].fillna(0.0).to_numpy(dtype=float)
    return lo, hi, (nodes["kind"] == "port").to_numpy()


def add_node_edges(edges: EdgeList, lay: Layout, net: Network) -> None:
    """Per (node, layer): the dwell edge, and the terminal edges from the source and to the sink."""
    dwell_lo, dwell_hi, is_port = _dwell(net)
    for (n, layer), k in lay.pairs.items():
        ni = lay.node_pos[n]
        charged = not is_port[ni] or layer in PORT_CALL_LAYERS
        lo, hi = (dwell_lo[ni], dwell_hi[ni]) if charged else (0.0, 0.0)
        edges.add(2 * k, 2 * k + 1, EdgeKind.DWELL, ni, lo, hi, 0.0, 0.0)
        edges.add(int(lay.source_vertex[ni]), 2 * k + 1, EdgeKind.TERMINAL, ni, 0.0, 0.0, 0.0, 0.0)
        edges.add(2 * k, int(lay.sink_vertex[ni]), EdgeKind.TERMINAL, ni, 0.0, 0.0, 0.0, 0.0)


def add_transfer_edges(
    edges: EdgeList, lay: Layout, net: Network, transfers: pd.DataFrame, capacity: FloatArray
) -> None:
    """An ``arr(n, A) -> dep(n, B)`` edge per transfer direction whose two layers exist."""
    dwell_lo, dwell_hi, is_port = _dwell(net)
    for ti, tr in enumerate(transfers.to_dict(orient="records")):
        n, a, b = str(tr["node"]), str(tr["from_layer"]), str(tr["to_layer"])
        ni = lay.node_pos.get(n)
        if ni is None:
            continue
        c = 0.0 if pd.isna(tr["cost_usd"]) else float(tr["cost_usd"])
        lo, hi = float(tr["time_low_h"]), float(tr["time_high_h"])
        if not is_port[ni]:
            lo, hi = lo + dwell_lo[ni], hi + dwell_hi[ni]
        for x, y in ((a, b), (b, a)) if tr["direction"] == "both" else ((a, b),):
            if (n, x) in lay.pairs and (n, y) in lay.pairs:
                t, h = lay.arr(n, x), lay.arr(n, y) + 1
                edges.add(t, h, EdgeKind.TRANSFER, ti, lo, hi, c, 0.0, capacity[ti])


def edges_by_link(kind: IntArray, ref: IntArray) -> list[IntArray]:
    """Per link position, its edges (one, or two for a ``both`` link)."""
    link_edge = np.flatnonzero(kind == EdgeKind.LINK)
    if not len(link_edge):
        return []
    order = np.argsort(ref[link_edge], kind="stable")
    split = np.split(link_edge[order], np.flatnonzero(np.diff(ref[link_edge][order])) + 1)
    return [e.astype(np.int64) for e in split]
