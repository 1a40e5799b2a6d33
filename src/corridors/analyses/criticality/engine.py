"""The shortest-path N-1 kernel: base paths once, then only what a removal changes.

For one compiled graph and a set of OD pairs:

1. **Base paths.** One compiled Dijkstra per origin (on threads with ``jobs``) gives every
   pair's path; its edges form the pair-by-edge incidence ``P``.
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

from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from corridors.analyses.criticality.astar import EdgeCSR, edge_csr, path_edges, tree_from
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

#: The base trees' distances are kept for the searches up to this many cells (8 bytes
#: each: 400 MB); beyond, each pair's search computes its own bound.
KEEP_CELLS = 50_000_000


@dataclass(eq=False)
class SweepState:
    """Everything a worker needs to score elements (arrays only; picklable).

    Attributes
    ----------
    edges
        The graph's edges grouped by tail and by head
        (:class:`~corridors.analyses.criticality.astar.EdgeCSR`).
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
    origins, origin_dist
        The OD origins and their distances to every vertex on the intact graph (kept by
        :func:`base_paths` when they fit in :data:`KEEP_CELLS`; else empty).
    """

    edges: EdgeCSR
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
    todo_indptr: IntArray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    todo_pairs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    direct_indptr: IntArray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    direct_pairs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    origins: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    origin_dist: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))


def base_paths(state: SweepState, jobs: int = 1) -> tuple[sp.csr_matrix, FloatArray]:
    """Pair-by-edge incidence of the base paths, and each pair's base distance.

    One shortest-path tree per distinct origin (:func:`~corridors.analyses.criticality.
    astar.tree_from`), grown on ``jobs`` threads. Sets ``state.base_hours`` and
    ``state.base_cost`` (inf for pairs without a path), and keeps the trees' distances
    for the searches when they fit in :data:`KEEP_CELLS`.
    """
    n_v = len(state.edges.indptr) - 1
    n_pairs = len(state.src)
    origins = np.unique(state.src)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    dist_out = np.full(n_pairs, np.inf)
    hours = np.full(n_pairs, np.inf)
    cost = np.full(n_pairs, np.inf)
    keep = len(origins) > 0 and len(origins) * n_v <= KEEP_CELLS
    kept = np.empty((len(origins) if keep else 0, n_v))
    order = np.argsort(state.src, kind="stable")
    starts = np.searchsorted(state.src[order], origins)
    ends = np.searchsorted(state.src[order], origins, side="right")

    def grow(s: int) -> tuple[FloatArray, IntArray]:
        return tree_from(state.edges, state.weight, s)

    chunk = max(1, 4 * jobs)
    with ThreadPoolExecutor(jobs) if jobs > 1 else nullcontext() as pool:
        for lo in range(0, len(origins), chunk):
            batch = [int(s) for s in origins[lo : lo + chunk]]
            trees = pool.map(grow, batch) if pool is not None else map(grow, batch)
            for k, (s, (dist, via)) in enumerate(zip(batch, trees, strict=True), start=lo):
                if keep:
                    kept[k] = dist
                for p in order[starts[k] : ends[k]]:
                    t = int(state.dst[p])
                    if not np.isfinite(dist[t]):
                        continue
                    edges = path_edges(state.edges, via, s, t)
                    rows.append(np.full(len(edges), p, dtype=np.int64))
                    cols.append(edges)
                    dist_out[p] = dist[t]
                    hours[p] = float(state.hours[edges].sum())
                    cost[p] = float(state.cost[edges].sum())
    state.base_hours, state.base_cost = hours, cost
    if keep:
        state.origins, state.origin_dist = origins, kept
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
    return SweepState(
        edges=edge_csr(graph.tail, graph.head, graph.n_vertices),
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
    )
