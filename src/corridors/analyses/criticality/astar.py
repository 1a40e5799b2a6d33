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

__all__ = ["EdgeCSR", "distances_to", "edge_csr", "score_elements_astar"]

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


@numba.njit(cache=True, nogil=True)
def _push(
    keys: FloatArray, items: IntArray, size: int, key: float, item: int
) -> int:  # pragma: no cover - compiled
    """Push onto the binary heap held in ``keys``/``items``; returns the new size."""
    i = size
    keys[i] = key
    items[i] = item
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        items[parent], items[i] = items[i], items[parent]
        i = parent
    return size + 1


@numba.njit(cache=True, nogil=True)
def _pop(keys: FloatArray, items: IntArray, size: int) -> int:  # pragma: no cover - compiled
    """Move the heap's minimum to position ``size - 1`` and restore the heap before it."""
    last = size - 1
    keys[0], keys[last] = keys[last], keys[0]
    items[0], items[last] = items[last], items[0]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= last:
            break
        small = left
        if left + 1 < last and keys[left + 1] < keys[left]:
            small = left + 1
        if keys[i] <= keys[small]:
            break
        keys[small], keys[i] = keys[i], keys[small]
        items[small], items[i] = items[i], items[small]
        i = small
    return last


@numba.njit(cache=True, nogil=True)
def _distances_to(
    rindptr: IntArray, rtail: IntArray, redge: IntArray, weight: FloatArray, t: int
) -> FloatArray:  # pragma: no cover - compiled
    n = len(rindptr) - 1
    dist = np.full(n, np.inf)
    done = np.zeros(n, dtype=np.bool_)
    keys = np.empty(len(redge) + 1)
    items = np.empty(len(redge) + 1, dtype=np.int64)
    dist[t] = 0.0
    size = _push(keys, items, 0, 0.0, t)
    while size > 0:
        size = _pop(keys, items, size)
        v = items[size]
        if done[v]:
            continue
        done[v] = True
        dv = dist[v]
        for k in range(rindptr[v], rindptr[v + 1]):
            u = rtail[k]
            nd = dv + weight[redge[k]]
            if nd < dist[u]:
                dist[u] = nd
                size = _push(keys, items, size, nd, u)
    return dist


def distances_to(csr: EdgeCSR, weight: FloatArray, t: int) -> FloatArray:
    """Shortest distance from every vertex into ``t`` over all edges (inf: cannot reach).

    Examples
    --------
    >>> csr = edge_csr(np.array([0, 1, 0]), np.array([1, 2, 2]), 3)
    >>> distances_to(csr, np.array([1.0, 1.0, 5.0]), 2).tolist()
    [2.0, 1.0, 0.0]
    """
    return _distances_to(csr.rindptr, csr.rtail, csr.redge, np.asarray(weight, float), int(t))


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
