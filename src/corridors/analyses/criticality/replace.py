r"""Replacement paths of one OD pair: every edge of its shortest path removed in turn.

For an OD pair ``(s, t)`` with path :math:`p_0 = s, \dots, p_k = t`, the tree ``T_s`` from
``s`` and the tree ``T_t`` into ``t`` (on the transpose) are computed once. When both trees
hold the same ``s``-``t`` path (no ties), every vertex ``u`` has

- :math:`j(u)`, the index of its deepest ancestor on the path in ``T_s`` (``u`` lies below
  the path edges :math:`e_1 .. e_{j(u)}`: removing any of them may move ``u``);
- :math:`m(v)`, the index of the first path vertex on its ``T_t`` path to ``t`` (that path
  uses only :math:`e_{m(v)+1} .. e_k`).

A graph edge :math:`(u, v)` off the path then gives a path around :math:`e_i` for every
:math:`j(u) < i \le m(v)`, of length :math:`d_s(u) + w(u, v) + d_t(v)`. One pass over the
edges fills a :math:`k \times k` table of the least such length per :math:`(j, m)`, and
cumulative minima give the bound :math:`B_i` for every path edge at once (in undirected
graphs it is the answer; in directed ones a path around may need more than one edge off
both trees).

The exact answer for :math:`e_i` then needs only the vertices ``v`` below :math:`p_i` in
``T_s`` with :math:`d_s(v) + d_t(v) \le B_i` (distances only grow with a removal, so every
vertex of the new path after its last entry below :math:`p_i` is one of them): a Dijkstra
on that small set, seeded from the vertices outside whose distance has not changed
(Ramalingam and Reps 1996), gives the new path. The set is found by bisection in the
vertices sorted by :math:`d_s + d_t`, so a removal costs about the size of the ellipse of
near-shortest paths, not of the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.criticality.repair import _gather

__all__ = ["LightTree", "PairPaths", "Tree", "light_tree", "pair_paths", "replace_edge"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class PairPaths:
    """What one OD pair's replacement paths share.

    Attributes
    ----------
    path
        Vertices of the path, ``s`` first.
    index
        Per CSR entry on the path (its position), the path edge number ``i`` (1-based).
    j, m
        Per vertex, :math:`j(u)` (-1: unreached from ``s``) and :math:`m(v)` (-1: does
        not reach ``t``).
    bound
        :math:`B_i` for ``i = 0 .. k`` (``bound[0]`` unused).
    f_order, f_sorted
        The vertices with :math:`d_s + d_t` at most ``cap`` (the largest finite bound),
        sorted by it, and the sorted values.
    f, cap
        :math:`d_s + d_t` of every vertex, and that largest bound.
    local
        Scratch space: -1 per vertex (a search numbers its vertices here, then resets).
    to_t, next_hop
        Per vertex, :math:`d_t` and its parent in ``T_t`` (the next vertex toward ``t``).
    """

    path: IntArray
    index: dict[int, int]
    j: IntArray
    m: IntArray
    bound: FloatArray
    f_order: IntArray
    f_sorted: FloatArray
    f: FloatArray
    cap: float
    local: IntArray
    to_t: FloatArray
    next_hop: list[int]


class Tree(Protocol):
    """A shortest-path tree: its root, distances and parents (-1: root or unreached)."""

    @property
    def s(self) -> int:
        """The root."""

    @property
    def dist(self) -> FloatArray:
        """Distance of every vertex from the root (inf: unreached)."""

    @property
    def parent(self) -> IntArray:
        """Tree parent of every vertex (-1: the root or unreached)."""


@dataclass(frozen=True, eq=False)
class LightTree:
    """A tree without its preorder (all that replacement paths need)."""

    s: int
    dist: FloatArray
    parent: IntArray


def light_tree(matrix: sp.csr_matrix, s: int) -> LightTree:
    """One Dijkstra from ``s`` on ``matrix``: distances and parents."""
    dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=s, return_predecessors=True)
    parent = np.asarray(pred, dtype=np.int64)
    parent[parent < 0] = -1
    return LightTree(s, np.asarray(dist, dtype=float), parent)


def _deepest(tree: Tree, chain: IntArray) -> IntArray:
    """Per vertex, the position in ``chain`` of its nearest ancestor-or-self there.

    -1 for none; by pointer doubling over the parents (``log2`` of the depth passes).
    """
    n = len(tree.parent)
    label = np.full(n, -1, dtype=np.int64)
    label[chain] = np.arange(len(chain))
    up = np.where(tree.parent >= 0, tree.parent, np.arange(n))
    while True:
        need = label < 0
        if not need.any():
            break
        step = label[up]
        if not (need & (step >= 0)).any() and np.array_equal(up[up], up):
            break
        label = np.where(need, step, label)
        up = up[up]
    return label


def pair_paths(
    fwd: Tree, bwd: Tree, target: int, data: FloatArray, indptr: IntArray,
    indices: IntArray, keys: IntArray, rows: IntArray | None = None,
) -> PairPaths | None:  # fmt: skip
    """The shared state of one pair, or None when the two trees disagree on its path.

    ``data``, ``indptr``, ``indices`` are the unmasked CSR matrix (not augmented),
    ``keys`` each entry's ``row * n + column`` and ``rows`` each entry's row (computed when
    not given).
    """
    if not np.isfinite(fwd.dist[target]):
        return None
    path_l = [target]
    while path_l[-1] != fwd.s:
        path_l.append(int(fwd.parent[path_l[-1]]))
    path = np.asarray(path_l[::-1], dtype=np.int64)
    k = len(path) - 1
    if k < 1 or not np.array_equal(bwd.parent[path[:-1]], path[1:]):
        return None
    n = len(indptr) - 1
    j = _deepest(fwd, path)
    m_rev = _deepest(bwd, path[::-1])
    m = np.where(m_rev >= 0, k - m_rev, -1)
    pos = np.searchsorted(keys, path[:-1] * n + path[1:]).astype(np.int64)
    if rows is None:
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    cols = indices
    a, b = j[rows], m[cols]
    val = fwd.dist[rows] + data + bwd.dist[cols]
    ok = (a >= 0) & (b > a) & np.isfinite(val)
    ok[pos] = False
    table = np.full((k + 1) * (k + 1), np.inf)
    np.minimum.at(table, a[ok] * (k + 1) + b[ok], val[ok])
    grid = table.reshape(k + 1, k + 1)
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1]  # min over b' >= b
    prefix = np.minimum.accumulate(suffix, axis=0)  # min over a' <= a
    bound = np.full(k + 1, np.inf)
    bound[1:] = prefix[np.arange(k), np.arange(1, k + 1)]
    f = fwd.dist + bwd.dist
    finite_bounds = bound[1:][np.isfinite(bound[1:])]
    cap = float(finite_bounds.max()) * (1 + 1e-9) + 1e-9 if len(finite_bounds) else np.inf
    finite = np.flatnonzero(f <= cap)  # only these are ever near (see replace_edge)
    order = finite[np.argsort(f[finite])]
    return PairPaths(
        path=path,
        index={int(p): i + 1 for i, p in enumerate(pos)},
        j=j,
        m=m,
        bound=bound,
        f_order=order,
        f_sorted=f[order],
        f=f,
        cap=cap,
        local=np.full(len(f), -1, dtype=np.int64),
        to_t=bwd.dist,
        next_hop=bwd.parent.tolist(),
    )


def replace_edge(
    pp: PairPaths,
    fwd: Tree,
    i: int,
    matrix: sp.csr_matrix,
    tmatrix: sp.csr_matrix,
    alt: float,
) -> list[int] | bool | None:
    """The end of the new path with path edge ``i`` masked in ``matrix``/``tmatrix``.

    ``alt`` is the masked weight left on that edge's entry (a parallel edge's, or inf).
    Returns the new path from its last vertex outside the subtree below the edge (the
    path up to there is the tree path from ``s``), None when ``t`` is cut off, False when
    no bound is known (the caller repairs the general way).
    """
    path = pp.path
    # around by the parallel edge left on the entry: d_s(p_{i-1}) + alt + d_t(p_i)
    d = fwd.dist
    bound = min(float(pp.bound[i]), float(d[path[i - 1]] + alt + d[path[-1]] - d[path[i]]))
    if not np.isfinite(bound):
        return False
    limit = bound * (1 + 1e-9) + 1e-9
    if limit <= pp.cap:
        cand = pp.f_order[: int(np.searchsorted(pp.f_sorted, limit, side="right"))]
        near = cand[pp.j[cand] >= i]
    else:  # a parallel edge's way round beyond every bound: scan all vertices (rare)
        near = np.flatnonzero((pp.f <= limit) & (pp.j >= i))
    local = pp.local
    local[near] = np.arange(len(near))
    try:
        return _search_near(pp, fwd, i, matrix, tmatrix, near, limit)
    finally:
        local[near] = -1


def _search_near(
    pp: PairPaths,
    fwd: Tree,
    i: int,
    matrix: sp.csr_matrix,
    tmatrix: sp.csr_matrix,
    near: IntArray,
    limit: float,
) -> list[int] | bool | None:
    """Dijkstra on the ``near`` vertices (numbered in ``pp.local``), seeded from outside."""
    path, local, n_full = pp.path, pp.local, matrix.shape[0]
    sv, su, sw = _gather(tmatrix, near)  # entries u -> v into the near vertices
    su_c = np.minimum(su, len(pp.j) - 1)
    seed_val = fwd.dist[su_c] + sw
    ok = (su < n_full - 1) & (pp.j[su_c] < i) & np.isfinite(seed_val)
    if not ok.any():
        return None
    sv, su, seed_val = sv[ok], su[ok], seed_val[ok]
    # Any new path enters the subtree for the last time by one of these entries, and costs
    # at least its value plus the base distance to t from where it lands. When the least
    # such sum lands on a vertex whose tree path to t avoids the edge (m >= i), that path
    # is the answer: no search.
    score = seed_val + pp.to_t[sv]
    best = int(np.argmin(score))
    if pp.m[sv[best]] >= i and np.isfinite(score[best]):
        hop, end = pp.next_hop, int(path[-1])
        tail = [int(su[best]), int(sv[best])]
        while tail[-1] != end:
            tail.append(hop[tail[-1]])
        return tail
    order = np.lexsort((seed_val, sv))
    first = np.ones(len(order), dtype=bool)
    first[1:] = sv[order][1:] != sv[order][:-1]
    pick = order[first]
    seeds, value, came = sv[pick], seed_val[pick], su[pick]
    rows, cols, w = _gather(matrix, near)
    keep = (local[cols] >= 0) & np.isfinite(w)
    k = len(near)
    r_local = local[rows[keep]]
    counts = np.bincount(r_local, minlength=k)
    indptr = np.concatenate([[0], np.cumsum(counts), [int(counts.sum()) + len(seeds)]])
    sub = sp.csr_matrix(
        (
            np.concatenate([w[keep], value]),
            np.concatenate([local[cols[keep]], local[seeds]]),
            indptr,
        ),
        shape=(k + 1, k + 1),
    )
    dist, pred = cast(Any, dijkstra)(
        sub, directed=True, indices=k, return_predecessors=True, limit=limit
    )
    t = int(local[path[-1]])
    if t < 0 or not np.isfinite(dist[t]):
        return False
    back = pred.tolist()
    out = [t]
    while back[out[-1]] != k:
        out.append(back[out[-1]])
    out.reverse()
    vertices = near[out].tolist()
    return [int(came[np.searchsorted(seeds, vertices[0])]), *vertices]
