"""The shortest-path N-1 kernel: base paths once, then only what a removal changes.

For one compiled graph and a set of OD pairs:

1. **Base paths.** One Dijkstra run per origin (batched) gives every pair's path; its edges
   form the pair-by-edge incidence ``P``.
2. **Affected pairs.** With the element-by-edge incidence ``M``
   (:func:`corridors.analyses.criticality.elements.element_edges`), ``M @ P.T`` says which
   pairs' current paths use each element. An element no path uses scores zero without a
   search (removing an edge off every shortest path changes no distance).
3. **Direct scores.** A link that is a bridge of the node-level network (igraph's
   ``bridges``; parallel links are not bridges) disconnects every pair whose path uses it;
   so does removing a pair's own origin or destination. These pairs are lost without a
   search.
4. **Searches.** For the other affected pairs, each element is scored by one compiled
   A* search on the graph with the element's edges masked
   (:mod:`corridors.analyses.criticality.astar`), guided by the origin's base tree from
   step 1 (:mod:`corridors.analyses.criticality.pair_scores`). The graph is never rebuilt.

:class:`SweepState` holds only arrays, so it pickles to worker processes and to Dask
workers; :func:`corridors.analyses.criticality.pair_scores.score_pair` is the one
function they run (one OD pair, some elements).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.criticality.astar import EdgeCSR, edge_csr
from corridors.model.graph import CompiledGraph

__all__ = [
    "METRICS",
    "SweepState",
    "base_paths",
    "prepare_state",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Columns of the score arrays, one row per element.
METRICS = (
    "lost",
    "rerouted",
    "extra_hours_year",
    "extra_cost_year",
    "disconnected_pairs",
    "affected_pairs",
)

#: Batch Dijkstra runs up to this many (sources x vertices) cells.
BATCH_CELLS = 20_000_000

#: The base trees' distances are kept for the searches up to this many cells (8 bytes
#: each: 400 MB); beyond, each pair's search computes its own bound.
KEEP_CELLS = 50_000_000


@dataclass(eq=False)
class SweepState:
    """Everything a worker needs to score elements (arrays only; picklable).

    Attributes
    ----------
    indptr, indices, data, keys
        The CSR matrix of the graph (parallel edges reduced to the cheapest), and each
        entry's ``row * n + column``.
    edge_pos, kept
        Per edge, the CSR entry of its (tail, head); per entry, the cheapest edge behind it.
    weight, hours, cost
        Per edge: routing weight, mean hours, USD per unit (0 where unknown).
    src, dst, amount, base_hours, base_cost
        Per OD pair: source and sink vertex, volume per year, base hours and cost per unit.
    elem_indptr, elem_edges
        Per element, its edges.
    todo_indptr, todo_pairs
        Per element, the affected pairs that need a search.
    direct_indptr, direct_pairs
        Per element, the affected pairs lost without a search.
    edges
        The edges grouped by tail and by head
        (:class:`~corridors.analyses.criticality.astar.EdgeCSR`) for the compiled searches.
    origins, origin_dist
        The OD origins and their distances to every vertex on the intact graph (kept by
        :func:`base_paths` when they fit in :data:`KEEP_CELLS`; else empty).
    """

    indptr: IntArray
    indices: IntArray
    data: FloatArray
    keys: IntArray
    edge_pos: IntArray
    kept: IntArray
    weight: FloatArray
    hours: FloatArray
    cost: FloatArray
    src: IntArray
    dst: IntArray
    amount: FloatArray
    base_hours: FloatArray
    base_cost: FloatArray
    elem_indptr: IntArray
    elem_edges: IntArray
    edges: EdgeCSR
    todo_indptr: IntArray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    todo_pairs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    direct_indptr: IntArray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    direct_pairs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    origins: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    origin_dist: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))

    def matrix(self) -> sp.csr_matrix:
        """The CSR matrix over a private copy of the weights (so masking stays local)."""
        n = len(self.indptr) - 1
        return sp.csr_matrix((self.data.copy(), self.indices, self.indptr), shape=(n, n))


def _entry_keys(m: sp.csr_matrix) -> IntArray:
    """``row * n + column`` of every CSR entry: ascending, so entries are found by bisection."""
    n = m.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(m.indptr))
    return rows * n + m.indices.astype(np.int64)


def _positions(graph: CompiledGraph) -> tuple[sp.csr_matrix, IntArray]:
    """A sorted-index copy of the graph's matrix and each edge's entry in it."""
    m = graph.matrix.copy()
    m.sort_indices()
    keys = _entry_keys(m)
    pos = np.searchsorted(keys, graph.tail * m.shape[0] + graph.head).astype(np.int64)
    return m, pos


def _walk(pred: npt.NDArray[np.int32], s: int, t: int, keys: IntArray, n: int) -> IntArray:
    """CSR entries (of an ``n``-vertex matrix) along the tree path from ``s`` to ``t``."""
    path = [t]
    v = t
    while v != s:
        v = int(pred[v])
        path.append(v)
    vertices = np.asarray(path[::-1], dtype=np.int64)
    return np.searchsorted(keys, vertices[:-1] * n + vertices[1:]).astype(np.int64)


def _entry_edges(state: SweepState, pos: IntArray) -> IntArray:
    """The edge behind each CSR entry: the cheapest of its parallel edges."""
    return np.asarray(state.kept[pos], dtype=np.int64)


def _trees(matrix: sp.csr_matrix, sources: IntArray) -> tuple[FloatArray, npt.NDArray[np.int32]]:
    dist, pred = cast(Any, dijkstra)(
        matrix, directed=True, indices=sources, return_predecessors=True
    )
    return np.atleast_2d(dist), np.atleast_2d(pred)


def base_paths(state: SweepState) -> tuple[sp.csr_matrix, FloatArray]:
    """Pair-by-edge incidence of the base paths, and each pair's base distance.

    Sets ``state.base_hours`` and ``state.base_cost`` (inf for pairs without a path).
    """
    matrix = state.matrix()
    n_v = matrix.shape[0]
    n_pairs = len(state.src)
    origins = np.unique(state.src)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    dist_out = np.full(n_pairs, np.inf)
    hours = np.full(n_pairs, np.inf)
    cost = np.full(n_pairs, np.inf)
    step = max(1, BATCH_CELLS // max(1, n_v))
    keep = len(origins) > 0 and len(origins) * n_v <= KEEP_CELLS
    kept: list[FloatArray] = []
    for lo in range(0, len(origins), step):
        batch = origins[lo : lo + step]
        dist, pred = _trees(matrix, batch)
        if keep:
            kept.append(dist)
        for k, s in enumerate(batch):
            for p in np.flatnonzero(state.src == s):
                t = int(state.dst[p])
                if not np.isfinite(dist[k, t]):
                    continue
                edges = _entry_edges(
                    state, _walk(pred[k], int(s), t, state.keys, len(state.indptr) - 1)
                )
                rows.append(np.full(len(edges), p, dtype=np.int64))
                cols.append(edges)
                dist_out[p] = dist[k, t]
                hours[p] = float(state.hours[edges].sum())
                cost[p] = float(state.cost[edges].sum())
    state.base_hours, state.base_cost = hours, cost
    if keep:
        state.origins = origins
        state.origin_dist = kept[0] if len(kept) == 1 else np.vstack(kept)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    incidence = sp.csr_matrix(
        (np.ones(len(r), dtype=np.int8), (r, c)), shape=(n_pairs, len(state.weight))
    )
    return incidence, dist_out


def prepare_state(
    graph: CompiledGraph,
    src: IntArray,
    dst: IntArray,
    amount: FloatArray,
    element_matrix: sp.csr_matrix,
) -> SweepState:
    """The sweep state of ``graph`` for OD pairs (source and sink vertices) and elements."""
    m, pos = _positions(graph)
    order = np.lexsort((graph.weight, pos))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pos[order][1:] != pos[order][:-1]
    kept = np.full(len(m.data), -1, dtype=np.int64)
    kept[pos[order][first]] = order[first]
    return SweepState(
        indptr=m.indptr.astype(np.int64),
        indices=m.indices.astype(np.int64),
        data=np.asarray(m.data, dtype=float),
        keys=_entry_keys(m),
        edge_pos=pos,
        kept=kept,
        weight=graph.weight,
        hours=(graph.time_low + graph.time_high) / 2.0,
        cost=np.nan_to_num(graph.cost, nan=0.0),
        src=src.astype(np.int64),
        dst=dst.astype(np.int64),
        amount=amount.astype(float),
        base_hours=np.zeros(len(src)),
        base_cost=np.zeros(len(src)),
        elem_indptr=element_matrix.indptr.astype(np.int64),
        elem_edges=element_matrix.indices.astype(np.int64),
        edges=edge_csr(graph.tail, graph.head, m.shape[0]),
    )
