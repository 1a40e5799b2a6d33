"""The edges of the compiled graph, laid out once (see :mod:`corridors.model.graph`).

:class:`Layout` numbers the vertices: an arrival ``2k`` and a departure ``2k + 1`` vertex
per ``(node, layer)`` pair ``k`` that a usable link touches (numbered in the order the
links first touch them), then a source and a sink vertex per node with such a pair.
:class:`EdgeList` collects the edges as column blocks (one array per attribute and
block); the three ``add_*`` functions add the link, node (dwell, terminal) and transfer
edges, each as arrays in one pass. A new per-edge attribute is one more entry of
``_COLUMNS`` and one more keyword to :meth:`EdgeList.extend`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import overload

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from corridors.model.network import Network

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: At a port, the node's dwell is the vessel's port call: charged to loads that stay on
#: these layers through the port, not to trains passing it nor to loads transferred there
#: (the port-handling transfer carries its own time).
PORT_CALL_LAYERS = frozenset({"sea", "ferry", "tanker"})

_COLUMNS = ("tail", "head", "kind", "ref", "lo", "hi", "cost", "len", "cap", "co2")
_DEFAULTS = {"cost": 0.0, "len": 0.0, "cap": float("inf"), "co2": 0.0}


class EdgeKind(IntEnum):
    """What a graph edge stands for."""

    LINK = 0
    DWELL = 1
    TRANSFER = 2
    TERMINAL = 3


@dataclass
class Layout:
    """Vertex numbering of a set of usable links (see the module docstring).

    ``pair_node`` and ``pair_layer`` give each pair's node position and layer; ``layers``
    the layer names in the order ``pair_layer`` codes them.
    """

    node_pos: dict[str, int]
    pair_node: IntArray
    pair_layer: IntArray
    layers: list[str]
    source_vertex: IntArray
    sink_vertex: IntArray
    vertex_node: IntArray
    vertex_layer: list[str]
    node_index: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    link_pairs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _keys: pd.Index | None = field(default=None, repr=False)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_layer)

    @property
    def pairs(self) -> dict[tuple[str, str], int]:
        """``(node id, layer) -> pair number`` (built on first use)."""
        ids = list(self.node_pos)
        return {
            (ids[n], self.layers[c]): k
            for k, (n, c) in enumerate(zip(self.pair_node, self.pair_layer, strict=True))
        }

    def pair_of(self, node: IntArray, layer: Sequence[str] | npt.NDArray[np.object_]) -> IntArray:
        """Pair number of each ``(node position, layer)``; -1 where there is none."""
        code = pd.Index(self.layers, dtype=object).get_indexer(pd.Index(layer, dtype=object))
        n_layers = max(1, len(self.layers))
        key = np.asarray(node, dtype=np.int64) * n_layers + code
        if self._keys is None:
            self._keys = pd.Index(self.pair_node * n_layers + self.pair_layer)
        found = self._keys.get_indexer(pd.Index(key))
        return np.where((code >= 0) & (np.asarray(node) >= 0), found, -1).astype(np.int64)

    def arr(self, node: str, layer: str) -> int:
        """Arrival vertex of ``node`` on ``layer`` (its departure vertex is the next one)."""
        k = int(self.pair_of(np.array([self.node_pos[node]]), [layer])[0])
        if k < 0:
            raise KeyError((node, layer))
        return 2 * k


def layout(net: Network, links: pd.DataFrame) -> Layout:
    """Number the vertices of the graph of ``links``."""
    ids = net.nodes.index.to_numpy(dtype=object)
    node_pos = dict(zip(ids.tolist(), range(len(ids)), strict=True))
    index = pd.Index(ids, dtype=object)
    ends = np.concatenate(
        [
            index.get_indexer(pd.Index(links["from"].to_numpy(dtype=object), dtype=object)),
            index.get_indexer(pd.Index(links["to"].to_numpy(dtype=object), dtype=object)),
        ]
    ).astype(np.int64)
    end_layer = np.concatenate([links["layer"].to_numpy(dtype=object)] * 2)
    layer_code, layer_names = pd.factorize(end_layer)
    n_layers = max(1, len(layer_names))
    pair_code, first = pd.factorize(ends * n_layers + layer_code)
    pair_node = np.asarray(first, dtype=np.int64) // n_layers
    pair_layer = np.asarray(first, dtype=np.int64) % n_layers
    n_pairs = len(pair_node)
    used_nodes = np.unique(pair_node)
    source_vertex = np.full(len(node_pos), -1, dtype=np.int64)
    sink_vertex = np.full(len(node_pos), -1, dtype=np.int64)
    j = np.arange(len(used_nodes), dtype=np.int64)
    source_vertex[used_nodes] = 2 * n_pairs + 2 * j
    sink_vertex[used_nodes] = 2 * n_pairs + 2 * j + 1
    vertex_node = np.concatenate([np.repeat(pair_node, 2), np.repeat(used_nodes, 2)])
    names = np.asarray(layer_names, dtype=object)
    vertex_layer = [*np.repeat(names[pair_layer], 2).tolist(), *[""] * (2 * len(used_nodes))]
    return Layout(
        node_pos,
        pair_node,
        pair_layer,
        [str(n) for n in names],
        source_vertex,
        sink_vertex,
        vertex_node.astype(np.int64),
        vertex_layer,
        index,
        np.asarray(pair_code, dtype=np.int64),
    )


@dataclass
class EdgeList:
    """Edge columns in blocks: tail, head, kind, ref, hours, cost, km, capacity, kg CO2e."""

    cols: dict[str, list[npt.NDArray[np.generic]]] = field(
        default_factory=lambda: {k: [] for k in _COLUMNS}
    )

    def extend(self, **columns: npt.ArrayLike) -> None:
        """Append a block of edges: one array (or one value for all) per column.

        ``tail``, ``head``, ``kind`` and ``ref`` are required; ``cost`` and ``len`` default
        to 0, ``cap`` to ``inf``.
        """
        n = len(np.asarray(columns["tail"]))
        for name in _COLUMNS:
            value = columns[name] if name in columns else _DEFAULTS[name]
            self.cols[name].append(np.broadcast_to(np.asarray(value), (n,)))

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
        self.extend(
            tail=[t], head=[h], kind=[int(kind)], ref=[ref], lo=[lo], hi=[hi], cost=[cost],
            len=[length], cap=[cap], co2=[co2],
        )  # fmt: skip

    def ints(self, name: str) -> IntArray:
        """An integer column as an array."""
        blocks = self.cols[name]
        return np.concatenate(blocks).astype(np.int64) if blocks else np.zeros(0, np.int64)

    def floats(self, name: str) -> FloatArray:
        """A float column as an array."""
        blocks = self.cols[name]
        return np.concatenate(blocks).astype(float) if blocks else np.zeros(0, float)


def _interleave(count: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """For items with 1 or 2 edges each: the item of each edge and whether it is the second."""
    item = np.repeat(np.arange(len(count), dtype=np.int64), count)
    start = np.cumsum(count) - count
    second = (np.arange(len(item)) - start[item]) == 1
    return item, second


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
    layer = links["layer"].to_numpy(dtype=object)
    n = len(links)
    if len(lay.link_pairs) == 2 * n:  # the links the layout was made of: pairs known
        u, v = lay.link_pairs[:n], lay.link_pairs[n:]
    else:
        index = lay.node_index
        u = lay.pair_of(index.get_indexer(pd.Index(links["from"].to_numpy(dtype=object))), layer)
        v = lay.pair_of(index.get_indexer(pd.Index(links["to"].to_numpy(dtype=object))), layer)
    both = (links["direction"] == "both").to_numpy(dtype=bool)
    i, back = _interleave(1 + both.astype(np.int64))
    edges.extend(
        tail=np.where(back, 2 * v[i] + 1, 2 * u[i] + 1),
        head=np.where(back, 2 * u[i], 2 * v[i]),
        kind=int(EdgeKind.LINK),
        ref=i,
        lo=t_lo[i],
        hi=t_hi[i],
        cost=np.asarray(cost, dtype=float)[i],
        len=length[i],
        cap=np.asarray(capacity, dtype=float)[i],
        co2=np.asarray(co2, dtype=float)[i],
    )
    return wait


def _dwell(net: Network) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    nodes = net.nodes
    lo = nodes["dwell_low_h"].fillna(0.0).to_numpy(dtype=float)
    hi = nodes["dwell_high_h"].fillna(0.0).to_numpy(dtype=float)
    return lo, hi, (nodes["kind"] == "port").to_numpy()


def add_node_edges(edges: EdgeList, lay: Layout, net: Network) -> None:
    """Per (node, layer): the dwell edge, and the terminal edges from the source and to the sink."""
    dwell_lo, dwell_hi, is_port = _dwell(net)
    ni = lay.pair_node
    k = np.arange(len(ni), dtype=np.int64)
    call = np.isin(np.asarray(lay.layers, dtype=object), list(PORT_CALL_LAYERS))
    charged = ~is_port[ni] | call[lay.pair_layer]
    zero = np.zeros(len(ni))
    lo, hi = np.where(charged, dwell_lo[ni], 0.0), np.where(charged, dwell_hi[ni], 0.0)
    kinds = (int(EdgeKind.DWELL), int(EdgeKind.TERMINAL), int(EdgeKind.TERMINAL))
    edges.extend(
        tail=np.stack([2 * k, lay.source_vertex[ni], 2 * k], axis=1).ravel(),
        head=np.stack([2 * k + 1, 2 * k + 1, lay.sink_vertex[ni]], axis=1).ravel(),
        kind=np.tile(np.array(kinds, dtype=np.int64), len(ni)),
        ref=np.repeat(ni, 3),
        lo=np.stack([lo, zero, zero], axis=1).ravel(),
        hi=np.stack([hi, zero, zero], axis=1).ravel(),
    )


def add_transfer_edges(
    edges: EdgeList, lay: Layout, net: Network, transfers: pd.DataFrame, capacity: FloatArray
) -> None:
    """An ``arr(n, A) -> dep(n, B)`` edge per transfer direction whose two layers exist."""
    if transfers.empty:
        return
    dwell_lo, dwell_hi, is_port = _dwell(net)
    ni = lay.node_index.get_indexer(pd.Index(transfers["node"].astype(str).to_numpy(dtype=object)))
    a = lay.pair_of(ni, transfers["from_layer"].astype(str).to_numpy(dtype=object))
    b = lay.pair_of(ni, transfers["to_layer"].astype(str).to_numpy(dtype=object))
    both = (transfers["direction"] == "both").to_numpy(dtype=bool)
    ti, back = _interleave(1 + both.astype(np.int64))
    x, y = np.where(back, b[ti], a[ti]), np.where(back, a[ti], b[ti])
    ok = (x >= 0) & (y >= 0)
    ti, x, y = ti[ok], x[ok], y[ok]
    node = ni[ti]
    plus = ~is_port[node]
    edges.extend(
        tail=2 * x,
        head=2 * y + 1,
        kind=int(EdgeKind.TRANSFER),
        ref=ti,
        lo=transfers["time_low_h"].to_numpy(dtype=float)[ti] + np.where(plus, dwell_lo[node], 0.0),
        hi=transfers["time_high_h"].to_numpy(dtype=float)[ti] + np.where(plus, dwell_hi[node], 0.0),
        cost=np.nan_to_num(transfers["cost_usd"].to_numpy(dtype=float), nan=0.0)[ti],
        cap=np.asarray(capacity, dtype=float)[ti],
    )


class LinkEdges(Sequence[IntArray]):
    """Per link position, its edges (one, or two for a ``both`` link), without a list of arrays.

    Examples
    --------
    >>> e = edges_by_link(np.array([0, 1, 0, 0]), np.array([0, 5, 1, 0]))
    >>> len(e), e[0].tolist(), e[1].tolist()
    (2, [0, 3], [2])
    """

    def __init__(self, edges: IntArray, indptr: IntArray) -> None:
        self.edges = edges
        self.indptr = indptr

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @overload
    def __getitem__(self, i: int) -> IntArray: ...
    @overload
    def __getitem__(self, i: slice) -> list[IntArray]: ...
    def __getitem__(self, i: int | slice) -> IntArray | list[IntArray]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.edges[self.indptr[i] : self.indptr[i + 1]]

    def __iter__(self) -> Iterator[IntArray]:
        return (self[i] for i in range(len(self)))


def edges_by_link(kind: IntArray, ref: IntArray) -> LinkEdges:
    """Per link position, its edges (one, or two for a ``both`` link)."""
    link_edge = np.flatnonzero(kind == EdgeKind.LINK).astype(np.int64)
    refs = ref[link_edge]
    order = np.argsort(refs, kind="stable")
    n = int(refs.max()) + 1 if len(refs) else 0
    indptr = np.concatenate([[0], np.cumsum(np.bincount(refs, minlength=n))]).astype(np.int64)
    return LinkEdges(link_edge[order], indptr)


class EdgeOf(Mapping[tuple[int, int], int]):
    """The edge behind each ``(tail, head)`` entry of a CSR matrix, looked up in its rows.

    Examples
    --------
    >>> tail, head = np.array([0, 0, 1, 0, 0]), np.array([1, 1, 0, 1, 1])
    >>> m, edge_of = _csr(tail, head, np.array([2.0, 1.0, 1.0, 3.0, 1.0]), 2)
    >>> edge_of[(0, 1)], edge_of[(1, 0)], (1, 1) in edge_of, len(edge_of)
    (1, 2, False, 2)
    >>> m.toarray().tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """

    def __init__(self, indptr: IntArray, indices: IntArray, edge: IntArray) -> None:
        self.indptr, self.indices, self.edge = indptr, indices, edge

    def _find(self, key: tuple[int, int]) -> int:
        a, b = key
        if not 0 <= a < len(self.indptr) - 1:
            return -1
        lo, hi = int(self.indptr[a]), int(self.indptr[a + 1])
        k = lo + int(np.searchsorted(self.indices[lo:hi], b))
        return int(self.edge[k]) if k < hi and int(self.indices[k]) == b else -1

    def __getitem__(self, key: tuple[int, int]) -> int:
        e = self._find(key)
        if e < 0:
            raise KeyError(key)
        return e

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self._find(key) >= 0

    def __len__(self) -> int:
        return len(self.edge)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        tails = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        return ((int(a), int(b)) for a, b in zip(tails, self.indices, strict=True))


def _csr(
    tail: IntArray, head: IntArray, weight: FloatArray, n: int
) -> tuple[sp.csr_matrix, EdgeOf]:
    """CSR matrix keeping, for parallel edges, the cheapest; and the edge behind each entry."""
    key = tail.astype(np.int64) * max(1, n) + head
    order = np.argsort(key, kind="stable")  # by tail, then head, then edge number
    k = key[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = k[1:] != k[:-1]
    if start.all():  # no parallel edges
        keep = order
    else:  # the cheapest of each group of parallel edges (the first of equals)
        group = np.cumsum(start) - 1
        w = weight[order]
        cheapest = np.minimum.reduceat(w, np.flatnonzero(start))
        best = np.flatnonzero(w == cheapest[group])
        g = group[best]
        keep = order[best[np.concatenate([[True], g[1:] != g[:-1]])]]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(tail[keep], minlength=n))])
    indices = head[keep]
    matrix = sp.csr_matrix((weight[keep], indices, indptr), shape=(n, n))
    return matrix, EdgeOf(indptr.astype(np.int64), indices.astype(np.int64), keep.astype(np.int64))
