"""Compiled kernels for one OD pair's N-1 scores: goal-directed searches on masked edges.

For an OD pair ``(s, t)`` the distances *into* ``t`` on the intact graph are computed once
(:func:`distances_to`). Removing edges only lengthens paths, so those distances are a
consistent lower bound (an A* heuristic) on every masked graph: each removal is then one A*
search from ``s`` that settles only the vertices whose detour could still beat the best
path found, and prunes every vertex that cannot reach ``t`` at all. The search runs on the
edges themselves (parallel edges stay apart), so a removal masks exactly its edges and the
hours and cost of the new path are summed on the edges it takes.

The kernels are compiled by Numba on first use and cached on disk (``cache=True``); the
arrays they take are plain NumPy arrays, so a :class:`~corridors.analyses.criticality.engine.
SweepState` still pickles to worker processes and Dask workers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["EdgeCSR", "distances_to", "edge_csr", "path_edges", "score_elements_astar", "tree_from"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class EdgeCSR:
    """The graph's edges grouped by tail (forward) and by head (backward).

    Attributes
    ----------
    indptr, head, edge
        Forward: the out-edges of vertex ``v`` are ``edge[indptr[v]:indptr[v + 1]]``,
        leading to ``head[...]``.
    rindptr, rtail, redge
        Backward: the in-edges of ``v`` are ``redge[rindptr[v]:rindptr[v + 1]]``, coming
        from ``rtail[...]``.
    tail_of, head_of
        Per edge id, its tail and head vertex.
    """

    indptr: IntArray
    head: IntArray
    edge: IntArray
    rindptr: IntArray
    rtail: IntArray
    redge: IntArray
    tail_of: IntArray
    head_of: IntArray


def edge_csr(tail: IntArray, head: IntArray, n_vertices: int) -> EdgeCSR:
    """Group edges by tail and by head (edge ids ascending within each vertex).

    Examples
    --------
    >>> csr = edge_csr(np.array([0, 1, 0]), np.array([1, 2, 2]), 3)
    >>> csr.indptr.tolist(), csr.edge.tolist(), csr.head.tolist()
    ([0, 2, 3, 3], [0, 2, 1], [1, 2, 2])
    >>> csr.rindptr.tolist(), csr.redge.tolist(), csr.rtail.tolist()
    ([0, 0, 1, 3], [0, 1, 2], [0, 1, 0])
    """
    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    fwd = np.argsort(tail, kind="stable").astype(np.int64)
    bwd = np.argsort(head, kind="stable").astype(np.int64)
    indptr = np.zeros(n_vertices + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_vertices), out=indptr[1:])
    rindptr = np.zeros(n_vertices + 1, dtype=np.int64)
    np.cumsum(np.bincount(head, minlength=n_vertices), out=rindptr[1:])
    return EdgeCSR(indptr, head[fwd], fwd, rindptr, tail[bwd], bwd, tail, head)


@numba.njit(cache=True, nogil=True, inline="always")
def _push(
    keys: FloatArray, items: IntArray, size: int, key: float, item: int
) -> int:  # pragma: no cover - compiled
    """Push onto the 4-ary heap held in ``keys``/``items``; returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@numba.njit(cache=True, nogil=True, inline="always")
def _pop(keys: FloatArray, items: IntArray, size: int) -> int:  # pragma: no cover - compiled
    """Move the heap's minimum to position ``size - 1`` and restore the heap before it.

    A 4-ary heap moved by a hole rather than by swaps: fewer levels and fewer writes than a
    binary heap.
    """
    last = size - 1
    top_key = keys[0]
    top_item = items[0]
    key = keys[last]
    item = items[last]
    i = 0
    while True:
        child = 4 * i + 1
        if child >= last:
            break
        best = child
        best_key = keys[child]
        for j in range(child + 1, min(child + 4, last)):
            if keys[j] < best_key:
                best_key = keys[j]
                best = j
        if key <= best_key:
            break
        keys[i] = best_key
        items[i] = items[best]
        i = best
    keys[i] = key
    items[i] = item
    keys[last] = top_key
    items[last] = top_item
    return last


@numba.njit(cache=True, nogil=True)
def _tree(
    indptr: IntArray, head: IntArray, edge: IntArray, weight: FloatArray, s: int
) -> tuple[FloatArray, IntArray]:  # pragma: no cover - compiled
    n = len(indptr) - 1
    dist = np.full(n, np.inf)
    via = np.full(n, -1, dtype=np.int64)
    keys = np.empty(len(edge) + 1)
    items = np.empty(len(edge) + 1, dtype=np.int64)
    dist[s] = 0.0
    size = _push(keys, items, 0, 0.0, s)
    while size > 0:
        size = _pop(keys, items, size)
        v = items[size]
        dv = keys[size]
        if dv > dist[v]:
            continue
        for k in range(indptr[v], indptr[v + 1]):
            e = edge[k]
            u = head[k]
            nd = dv + weight[e]
            if nd < dist[u]:
                dist[u] = nd
                via[u] = e
                size = _push(keys, items, size, nd, u)
    return dist, via


def tree_from(csr: EdgeCSR, weight: FloatArray, s: int) -> tuple[FloatArray, IntArray]:
    """Shortest-path tree from ``s``: each vertex's distance and the edge it is reached by.

    Of parallel or equally short ways, the edge with the lowest id is kept. The kernel
    releases the GIL, so trees from several origins can be grown on threads.

    Examples
    --------
    >>> csr = edge_csr(np.array([0, 0, 1]), np.array([1, 2, 2]), 3)
    >>> dist, via = tree_from(csr, np.array([1.0, 5.0, 1.0]), 0)
    >>> dist.tolist(), via.tolist()
    ([0.0, 1.0, 2.0], [-1, 0, 2])
    """
    return _tree(csr.indptr, csr.head, csr.edge, np.asarray(weight, float), int(s))


def distances_to(csr: EdgeCSR, weight: FloatArray, t: int) -> FloatArray:
    """Shortest distance from every vertex into ``t`` over all edges (inf: cannot reach).

    Examples
    --------
    >>> csr = edge_csr(np.array([0, 1, 0]), np.array([1, 2, 2]), 3)
    >>> distances_to(csr, np.array([1.0, 1.0, 5.0]), 2).tolist()
    [2.0, 1.0, 0.0]
    """
    # the tree from t over the in-edges: the same Dijkstra as tree_from, edges reversed
    return _tree(csr.rindptr, csr.rtail, csr.redge, np.asarray(weight, float), int(t))[0]


def path_edges(csr: EdgeCSR, via: IntArray, s: int, t: int) -> IntArray:
    """The edges of the tree path from ``s`` to ``t`` (``via`` from :func:`tree_from`), in order.

    Examples
    --------
    >>> csr = edge_csr(np.array([0, 0, 1]), np.array([1, 2, 2]), 3)
    >>> _, via = tree_from(csr, np.array([1.0, 5.0, 1.0]), 0)
    >>> path_edges(csr, via, 0, 2).tolist()
    [0, 2]
    """
    out: list[int] = []
    v = int(t)
    while v != s:
        e = int(via[v])
        out.append(e)
        v = int(csr.tail_of[e])
    return np.asarray(out[::-1], dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def _score(
    indptr: IntArray,
    head: IntArray,
    edge: IntArray,
    back: IntArray,
    weight: FloatArray,
    hours: FloatArray,
    cost: FloatArray,
    elem_indptr: IntArray,
    elem_edges: IntArray,
    elements: IntArray,
    s: int,
    t: int,
    h: FloatArray,
    amount: float,
    base_hours: float,
    base_cost: float,
) -> FloatArray:  # pragma: no cover - compiled
    n = len(indptr) - 1
    out = np.zeros((len(elements), 6))
    alive = np.ones(len(weight), dtype=np.bool_)
    g = np.full(n, np.inf)
    via = np.full(n, -1, dtype=np.int64)
    stamp = np.zeros(n, dtype=np.int64)  # g and via are valid where stamp == run
    closed = np.zeros(n, dtype=np.int64)
    keys = np.empty(len(edge) + 1)
    items = np.empty(len(edge) + 1, dtype=np.int64)
    for row in range(len(elements)):
        el = elements[row]
        lo, hi = elem_indptr[el], elem_indptr[el + 1]
        for k in range(lo, hi):
            alive[elem_edges[k]] = False
        run = row + 1
        g[s] = 0.0
        via[s] = -1
        stamp[s] = run
        size = _push(keys, items, 0, h[s], s)
        found = False
        while size > 0:
            size = _pop(keys, items, size)
            v = items[size]
            if closed[v] == run:
                continue
            closed[v] = run
            if v == t:
                found = True
                break
            gv = g[v]
            for k in range(indptr[v], indptr[v + 1]):
                e = edge[k]
                if not alive[e]:
                    continue
                u = head[k]
                hu = h[u]
                if hu == np.inf or closed[u] == run:
                    continue
                nd = gv + weight[e]
                if stamp[u] != run or nd < g[u]:
                    stamp[u] = run
                    g[u] = nd
                    via[u] = e
                    size = _push(keys, items, size, nd + hu, u)
        for k in range(lo, hi):
            alive[elem_edges[k]] = True
        if not found:
            out[row, 0] = amount
            out[row, 4] = 1.0
            continue
        hh = 0.0
        cc = 0.0
        v = t
        while v != s:
            e = via[v]
            hh += hours[e]
            cc += cost[e]
            v = back[e]
        out[row, 1] = amount
        out[row, 2] = amount * (hh - base_hours)
        out[row, 3] = amount * (cc - base_cost)
    return out


def score_elements_astar(
    csr: EdgeCSR,
    weight: FloatArray,
    hours: FloatArray,
    cost: FloatArray,
    elem_indptr: IntArray,
    elem_edges: IntArray,
    elements: IntArray,
    pair: tuple[int, int, float, float, float],
    bound: FloatArray,
    *,
    backward: bool = False,
) -> FloatArray:
    """Scores of one OD pair for each element row: one A* search per element.

    Parameters
    ----------
    csr, weight, hours, cost
        The graph's edges (:func:`edge_csr`), their routing weights, mean hours and USD
        per unit.
    elem_indptr, elem_edges, elements
        Each element's edges (CSR rows), and the rows to score.
    pair
        ``(s, t, amount, base_hours, base_cost)``: source and sink vertex, volume per year,
        hours and cost per unit of the pair's base path.
    bound
        Distances on the intact graph: into ``t`` from every vertex
        (:func:`distances_to`), or, with ``backward``, from ``s`` to every vertex (the
        origin's base tree). Either is a consistent lower bound on every masked graph.
    backward
        Search from ``t`` back to ``s`` over the in-edges, guided by the distances from
        ``s`` (which the base paths already computed, so no search per pair is needed).

    Returns
    -------
    numpy.ndarray
        Per element: lost, rerouted, extra hours per year, extra cost per year, pairs lost
        (1 or 0), and 0 (the affected-pair count is filled in by the caller).

    Examples
    --------
    A square 0-1-3 and 0-2-3: losing edge 0->1 reroutes over 2 (2 h longer); losing both
    ways out of 0 cuts the pair off. Both directions of search agree.

    >>> tail, head = np.array([0, 1, 0, 2]), np.array([1, 3, 2, 3])
    >>> w = np.array([1.0, 1.0, 2.0, 2.0])
    >>> csr = edge_csr(tail, head, 4)
    >>> rows = (np.array([0, 1, 3]), np.array([0, 0, 2]), np.array([0, 1]))
    >>> pair = (0, 3, 10.0, 2.0, 2.0)
    >>> out = score_elements_astar(csr, w, w, w, *rows, pair, distances_to(csr, w, 3))
    >>> out.tolist()
    [[0.0, 10.0, 20.0, 20.0, 0.0, 0.0], [10.0, 0.0, 0.0, 0.0, 1.0, 0.0]]
    >>> from_s = np.array([0.0, 1.0, 2.0, 2.0])
    >>> bool((score_elements_astar(csr, w, w, w, *rows, pair, from_s, backward=True)
    ...       == out).all())
    True
    """
    s, t, amount, base_hours, base_cost = pair
    if backward:
        nbr = (csr.rindptr, csr.rtail, csr.redge, csr.head_of)
        start, goal = int(t), int(s)
    else:
        nbr = (csr.indptr, csr.head, csr.edge, csr.tail_of)
        start, goal = int(s), int(t)
    return _score(
        *nbr,
        np.asarray(weight, float),
        np.asarray(hours, float),
        np.asarray(cost, float),
        elem_indptr,
        elem_edges,
        np.asarray(elements, dtype=np.int64),
        start,
        goal,
        np.ascontiguousarray(bound, dtype=float),
        float(amount),
        float(base_hours),
        float(base_cost),
    )
