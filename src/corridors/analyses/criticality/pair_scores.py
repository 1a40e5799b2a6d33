"""Scores of one OD pair for the elements on its path: the function every worker runs.

For each element on the pair's base path, the element's edges are masked in the worker's
copy of the matrix (and its transpose), then, in order of cost:

1. a single link removal (one path edge, its other edges off both trees) is answered by
   replacement paths (:mod:`corridors.analyses.criticality.replace`);
2. else the subtree below the removed tree edges is repaired
   (:func:`corridors.analyses.criticality.repair.repair_one`), on whichever of the two
   trees (from the origin, into the destination) the element disturbs less;
3. else (a subtree above :data:`~corridors.analyses.criticality.repair.FULL_SHARE` of the
   graph) a full Dijkstra runs from the origin.

The mask is lifted after each element; the graph is never rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from corridors.analyses.criticality.astar import distances_to, score_elements_astar
from corridors.analyses.criticality.engine import (
    METRICS,
    FloatArray,
    IntArray,
    SweepState,
    _entry_edges,
    _mask,
    _search,
)
from corridors.analyses.criticality.repair import (
    OriginTree,
    affected,
    augment,
    repair_one,
    tree_from,
)
from corridors.analyses.criticality.replace import (
    LightTree,
    PairPaths,
    Tree,
    light_tree,
    pair_paths,
    replace_edge,
)

__all__ = ["REPLACE", "path_sums", "score_pair"]

#: Score single-link removals by replacement paths (:mod:`.replace`); off, every removal
#: is repaired the general way (the property test checks both against a naive rebuild).
REPLACE = True

#: Score every removal by one compiled A* search on the masked edges (:mod:`.astar`);
#: off, the replacement-path and repair engine above runs instead.
ASTAR = True


@dataclass(eq=False)
class _Work:
    """A worker's mutable copies: the matrix, its transpose and the entry maps."""

    state: SweepState
    matrix: sp.csr_matrix
    tmatrix: sp.csr_matrix
    tperm: IntArray
    entry_row: IntArray
    t_entry_row: IntArray


_WORK: dict[int, _Work] = {}


def _worker(state: SweepState) -> _Work:
    cached = _WORK.get(id(state))
    if cached is None or cached.state is not state:
        _WORK.clear()
        matrix = state.matrix()
        n = matrix.shape[0]
        mark = sp.csr_matrix(
            (np.arange(1, len(matrix.data) + 1, dtype=float), matrix.indices, matrix.indptr),
            shape=(n, n),
        )
        tmark = mark.T.tocsr()
        tmark.sort_indices()
        tperm = np.empty(len(matrix.data), dtype=np.int64)
        tperm[tmark.data.astype(np.int64) - 1] = np.arange(len(tmark.data))
        tmatrix = sp.csr_matrix(
            (matrix.data[tmark.data.astype(np.int64) - 1], tmark.indices, tmark.indptr),
            shape=(n, n),
        )
        entry_row = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
        t_entry_row = np.repeat(np.arange(n, dtype=np.int64), np.diff(tmatrix.indptr))
        cached = _WORK[id(state)] = _Work(
            state, augment(matrix), augment(tmatrix), tperm, entry_row, t_entry_row
        )
    return cached


def _tally(
    state: SweepState,
    todo: IntArray,
    paths: list[list[int] | None],
    alive: npt.NDArray[np.bool_],
) -> tuple[float, float, float, float, int]:
    """Rerouted, hours, cost, lost and pairs lost from new vertex paths."""
    rerouted = hours = cost = lost = 0.0
    n_lost = 0
    n = len(state.indptr) - 1
    for p, path in zip(todo, paths, strict=True):
        a = float(state.amount[p])
        if path is None:
            lost += a
            n_lost += 1
            continue
        v = np.asarray(path, dtype=np.int64)
        entries = np.searchsorted(state.keys, v[:-1] * n + v[1:]).astype(np.int64)
        edges = _entry_edges(state, entries, alive)
        rerouted += a
        hours += a * (float(state.hours[edges].sum()) - state.base_hours[p])
        cost += a * (float(state.cost[edges].sum()) - state.base_cost[p])
    return rerouted, hours, cost, lost, n_lost


def score_pair(state: SweepState, task: tuple[int, IntArray]) -> FloatArray:
    """Scores of one searched OD pair for some element rows (no direct pairs).

    Parameters
    ----------
    state
        From :func:`prepare_state`, with the searched pairs filled in.
    task
        ``(pair, element rows)``. The tree from the pair's origin and the tree into its
        destination (on the transpose) are computed once; each element is repaired on
        whichever of the two it disturbs less
        (:func:`corridors.analyses.criticality.repair.repair_pairs`), or searched in full
        when both subtrees are large.

    Returns
    -------
    numpy.ndarray
        One row of :data:`METRICS` per element (``affected_pairs`` left at 0).
    """
    p, elements = task
    if ASTAR and state.edges is not None:
        s, t = int(state.src[p]), int(state.dst[p])
        pair = (s, t, float(state.amount[p]), float(state.base_hours[p]), float(state.base_cost[p]))
        k = int(np.searchsorted(state.origins, s))
        kept = k < len(state.origins) and state.origins[k] == s
        return score_elements_astar(
            state.edges,
            state.weight,
            state.hours,
            state.cost,
            state.elem_indptr,
            state.elem_edges,
            elements,
            pair,
            state.origin_dist[k] if kept else distances_to(state.edges, state.weight, t),
            backward=kept,
        )
    work = _worker(state)
    s, t = int(state.src[p]), int(state.dst[p])
    light = (_origin_tree(state, work, s), light_tree(work.tmatrix, t))
    pp = (
        pair_paths(*light, t, state.data, state.indptr, state.indices, state.keys, work.entry_row)
        if REPLACE
        else None
    )
    full: list[OriginTree] = []
    sums: tuple[FloatArray, FloatArray] | None = None
    alive = np.ones(len(state.weight), dtype=bool)
    out = np.zeros((len(elements), len(METRICS)))
    one = np.array([p], dtype=np.int64)
    for row, el in enumerate(elements):
        edges = state.elem_edges[state.elem_indptr[el] : state.elem_indptr[el + 1]]
        pos = _mask(state, work.matrix, edges, alive)
        tpos = work.tperm[pos]
        work.tmatrix.data[tpos] = work.matrix.data[pos]
        try:
            i = _single_path_edge(pp, *light, pos, work) if pp is not None else 0
            if pp is not None and i > 0:
                alt = float(work.matrix.data[_path_pos(pp, i, pos)])
                fast = replace_edge(pp, light[0], i, work.matrix, work.tmatrix, alt)
                if fast is not False:
                    if sums is None:
                        sums = path_sums(state, pp)
                    tail = _from_path(pp, light[0], fast) if isinstance(fast, list) else None
                    at = int(pp.j[tail[0]]) if tail else 0
                    out[row] = (*_tally_tail(state, p, tail, alive, sums, at), 0)
                    continue
            if i < 0 or (pp is not None and len(pos) <= 2 and not full):
                # one link the bound table cannot answer: one search from the origin is
                # cheaper than laying out both trees for a repair
                rerouted, hours, cost, lost, n_lost = _search(state, work.matrix, one, alive)
                out[row] = (lost, rerouted, hours, cost, n_lost, 0)
                continue
            if not full:
                full[:] = [tree_from(x.s, x.dist, x.parent) for x in light]  # unmasked
            fwd, bwd = full
            ahead = affected(fwd, pos, work.entry_row, work.matrix.indices)
            behind = affected(bwd, tpos, work.t_entry_row, work.tmatrix.indices)
            if sum(j - i for i, j in behind) < sum(j - i for i, j in ahead):
                back = repair_one(bwd, fwd, work.tmatrix, work.matrix, behind, ahead, s)
                found = back[::-1] if isinstance(back, list) else back
            else:
                found = repair_one(fwd, bwd, work.matrix, work.tmatrix, ahead, behind, t)
            if found is False:
                rerouted, hours, cost, lost, n_lost = _search(state, work.matrix, one, alive)
            else:
                path = found if isinstance(found, list) else None
                rerouted, hours, cost, lost, n_lost = _tally(state, one, [path], alive)
        finally:
            work.matrix.data[pos] = state.data[pos]
            work.tmatrix.data[tpos] = state.data[pos]
            alive[edges] = True
        out[row] = (lost, rerouted, hours, cost, n_lost, 0)
    return out


def _single_path_edge(pp: PairPaths, fwd: Tree, bwd: Tree, pos: IntArray, work: _Work) -> int:
    """Path edge number ``i`` when replacement paths answer for the masked entries ``pos``.

    That is when exactly one of them is on the path, and each other one is in neither
    tree where it matters (so every tree path used still stands) and is no way around
    ``e_i`` (so the bound table, built without masks, still holds); -1 when one is on the
    path but another spoils that; else 0.
    """
    on = [pp.index[int(q)] for q in pos if int(q) in pp.index]
    if len(on) != 1:
        return 0
    i = on[0]
    for q in pos:
        if int(q) in pp.index:
            continue
        x, y = int(work.entry_row[q]), int(work.matrix.indices[q])
        # a tree edge from s below e_i only moves vertices that move anyway; a tree edge
        # into t on the way of vertices whose way already uses e_i (m < i) changes no
        # bound or certificate either (the other direction of a link at the path's ends)
        if fwd.parent[y] == x and pp.j[x] < i:
            return -1
        if bwd.parent[x] == y and pp.m[x] >= i:
            return -1
        if pp.j[x] < i <= pp.m[y]:
            return -1
    return i


def _path_pos(pp: PairPaths, i: int, pos: IntArray) -> int:
    return next(int(q) for q in pos if pp.index.get(int(q)) == i)


def _origin_tree(state: SweepState, work: _Work, s: int) -> LightTree:
    """The base tree from ``s``: kept from :func:`base_paths`, else searched (unmasked)."""
    k = int(np.searchsorted(state.origins, s))
    if k < len(state.origins) and state.origins[k] == s:
        n = work.matrix.shape[0]  # one more vertex than the kept trees: the repair vertex
        dist = np.full(n, np.inf)
        dist[: n - 1] = state.origin_dist[k]
        parent = np.full(n, -1, dtype=np.int64)
        parent[: n - 1] = state.origin_pred[k]
        parent[parent < 0] = -1
        return LightTree(s, dist, parent)
    return light_tree(work.matrix, s)


def path_sums(state: SweepState, pp: PairPaths) -> tuple[FloatArray, FloatArray]:
    """Hours and cost per unit from the origin to each vertex of the pair's base path."""
    n = len(state.indptr) - 1
    v = pp.path
    edges = _entry_edges(state, np.searchsorted(state.keys, v[:-1] * n + v[1:]), None)
    zero = np.zeros(1)
    return (
        np.concatenate([zero, np.cumsum(state.hours[edges])]),
        np.concatenate([zero, np.cumsum(state.cost[edges])]),
    )


def _from_path(pp: PairPaths, tree: Tree, tail: list[int]) -> list[int]:
    """``tail`` with the tree branch from the base path down to its first vertex before it."""
    top = int(pp.path[pp.j[tail[0]]])
    branch = [tail[0]]
    while branch[-1] != top:
        branch.append(int(tree.parent[branch[-1]]))
    return branch[::-1] + tail[1:]


def _tally_tail(
    state: SweepState,
    p: int,
    tail: list[int] | None,
    alive: npt.NDArray[np.bool_],
    sums: tuple[FloatArray, FloatArray],
    at: int,
) -> tuple[float, float, float, float, int]:
    """(lost, rerouted, hours, cost, pairs lost) of pair ``p`` on its new path.

    ``tail`` is the new path from the base path's vertex number ``at`` (hours and cost up
    to there in ``sums``) to the sink; None: the pair is cut off.
    """
    a = float(state.amount[p])
    if tail is None:
        return a, 0.0, 0.0, 0.0, 1
    n = len(state.indptr) - 1
    v = np.asarray(tail, dtype=np.int64)
    edges = _entry_edges(state, np.searchsorted(state.keys, v[:-1] * n + v[1:]), alive)
    h = float(sums[0][at] + state.hours[edges].sum())
    c = float(sums[1][at] + state.cost[edges].sum())
    return 0.0, a, a * (h - state.base_hours[p]), a * (c - state.base_cost[p]), 0
