r"""Subtree repair: after a removal, only the descendants of the removed tree edges move.

In the shortest-path tree from an origin ``s``, a vertex whose tree path avoids every
removed edge keeps its distance (removing edges never shortens a path). Only the
descendants ``S`` of the heads of removed *tree* edges can change, and their new distances
are those of a Dijkstra run on ``S`` alone, seeded at each ``v`` in ``S`` with the best
entry from outside, :math:`\min_{u \notin S} d(u) + w'(u, v)`: the last entry into ``S``
of any path to ``v`` comes from a vertex whose distance has not changed (Ramalingam and
Reps, *An incremental algorithm for a generalization of the shortest-path problem*, J.
Algorithms 21, 1996). ``S`` is a union of contiguous blocks of the tree's preorder, so it
is found without walking the tree.

:func:`origin_tree` computes the tree, its preorder and depths once per origin;
:func:`repair_pairs` scores one masked element for the pairs of that origin, or returns
None when ``S`` is too large to be worth it (the caller then runs a full search).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import depth_first_order, dijkstra

__all__ = ["FULL_SHARE", "OriginTree", "origin_tree", "repair_pairs"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Above this share of the vertices, a full Dijkstra is cheaper than repairing ``S``.
FULL_SHARE = 0.35


@dataclass(frozen=True, eq=False)
class OriginTree:
    """The shortest-path tree from one origin vertex, with its preorder.

    Attributes
    ----------
    s
        The origin vertex.
    dist, parent
        Distance and tree parent of every vertex (-1: the root or unreached).
    order, where
        Reached vertices in preorder, and each vertex's position in it (-1: unreached).
    depth
        Tree depth of every vertex.
    depth_pre
        ``depth[order]``.
    """

    s: int
    dist: FloatArray
    parent: IntArray
    order: IntArray
    where: IntArray
    depth: IntArray
    depth_pre: IntArray


def origin_tree(matrix: sp.csr_matrix, s: int) -> OriginTree:
    """The tree from ``s`` on ``matrix`` (one Dijkstra, one depth-first order)."""
    dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=s, return_predecessors=True)
    n = len(dist)
    parent = np.asarray(pred, dtype=np.int64)
    parent[parent < 0] = -1
    child = np.flatnonzero(parent >= 0)
    tree = sp.csr_matrix((np.ones(len(child)), (parent[child], child)), shape=(n, n))
    order = np.asarray(
        cast(Any, depth_first_order)(tree, s, directed=True, return_predecessors=False),
        dtype=np.int64,
    )
    where = np.full(n, -1, dtype=np.int64)
    where[order] = np.arange(len(order))
    up = np.where(parent >= 0, parent, np.arange(n))
    depth = (parent >= 0).astype(np.int64)
    while True:
        nxt = up[up]
        depth = depth + np.where(nxt != up, depth[up], 0)
        if np.array_equal(nxt, up):
            break
        up = nxt
    return OriginTree(s, np.asarray(dist, dtype=float), parent, order, where, depth, depth[order])


def _descendants(tree: OriginTree, heads: IntArray) -> IntArray:
    """Sorted vertices in the subtrees of ``heads`` (each included)."""
    blocks = []
    for b in np.unique(heads):
        i = int(tree.where[b])
        if i < 0:
            continue
        rest = tree.depth_pre[i + 1 :] <= tree.depth[b]
        j = i + 1 + (int(np.argmax(rest)) if rest.any() else len(rest))
        blocks.append(tree.order[i:j])
    return np.unique(np.concatenate(blocks)) if blocks else np.zeros(0, dtype=np.int64)


def _seeds(
    tree: OriginTree, tmatrix: sp.csr_matrix, members: IntArray, inside: npt.NDArray[np.bool_]
) -> tuple[FloatArray, IntArray]:
    """Best entry into each member from outside: distance and the vertex it comes from."""
    rows = cast(sp.csr_matrix, tmatrix[members]).tocoo()
    u, w = rows.col.astype(np.int64), rows.data
    cand = tree.dist[u] + w
    ok = ~inside[u] & np.isfinite(cand)
    v, u, cand = rows.row[ok], u[ok], cand[ok]
    seed = np.full(len(members), np.inf)
    origin = np.full(len(members), -1, dtype=np.int64)
    if len(v):
        order = np.lexsort((cand, v))
        first = np.ones(len(order), dtype=bool)
        first[1:] = v[order][1:] != v[order][:-1]
        best = order[first]
        seed[v[best]] = cand[best]
        origin[v[best]] = u[best]
    return seed, origin


def repair_pairs(
    tree: OriginTree,
    matrix: sp.csr_matrix,
    tmatrix: sp.csr_matrix,
    entries: IntArray,
    entry_row: IntArray,
    targets: IntArray,
) -> list[list[int] | None] | None:
    """New vertex paths from the origin to ``targets`` after masking CSR ``entries``.

    ``matrix`` and ``tmatrix`` (its transpose) already carry the masked weights. Returns one
    vertex path per target (None: cut off), or None when the affected set is larger than
    :data:`FULL_SHARE` of the vertices.
    """
    n = matrix.shape[0]
    a, b = entry_row[entries], matrix.indices[entries].astype(np.int64)
    heads = b[tree.parent[b] == a]
    members = _descendants(tree, heads)
    if len(members) > FULL_SHARE * n:
        return None
    inside = np.zeros(n, dtype=bool)
    inside[members] = True
    seed, came_from = _seeds(tree, tmatrix, members, inside)
    sub = cast(sp.csr_matrix, matrix[members][:, members]).tocoo()
    k = len(members)
    live = np.flatnonzero(np.isfinite(seed))
    aug = sp.csr_matrix(
        (
            np.concatenate([sub.data, seed[live]]),
            (np.concatenate([sub.row, np.full(len(live), k)]), np.concatenate([sub.col, live])),
        ),
        shape=(k + 1, k + 1),
    )
    dist, pred = cast(Any, dijkstra)(aug, directed=True, indices=k, return_predecessors=True)
    out: list[list[int] | None] = []
    for t in targets:
        i = int(np.searchsorted(members, t))
        if i >= k or members[i] != t:
            out.append(_tree_path(tree, int(t)))
            continue
        if not np.isfinite(dist[i]):
            out.append(None)
            continue
        inner = [i]
        while int(pred[inner[-1]]) != k:
            inner.append(int(pred[inner[-1]]))
        inner.reverse()
        prefix = _tree_path(tree, int(came_from[inner[0]]))
        out.append(prefix + [int(members[j]) for j in inner])
    return out


def _tree_path(tree: OriginTree, v: int) -> list[int]:
    path = [v]
    while path[-1] != tree.s:
        path.append(int(tree.parent[path[-1]]))
    path.reverse()
    return path
