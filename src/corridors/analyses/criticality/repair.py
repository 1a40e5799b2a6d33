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

__all__ = [
    "FULL_SHARE",
    "OriginTree",
    "affected",
    "augment",
    "origin_tree",
    "repair_one",
    "tree_from",
]

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
    size
        Number of vertices in each vertex's subtree (itself included; 0 if unreached).
    """

    s: int
    dist: FloatArray
    parent: IntArray
    order: IntArray
    where: IntArray
    depth: IntArray
    size: IntArray


def origin_tree(matrix: sp.csr_matrix, s: int) -> OriginTree:
    """The tree from ``s`` on ``matrix`` (one Dijkstra, one depth-first order)."""
    dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=s, return_predecessors=True)
    return tree_from(s, np.asarray(dist, dtype=float), np.asarray(pred, dtype=np.int64))


def tree_from(s: int, dist: FloatArray, pred: IntArray) -> OriginTree:
    """The tree of a Dijkstra run from ``s``, from its distances and predecessors.

    Adds the preorder, depths and subtree sizes.
    """
    n = len(dist)
    parent = np.asarray(pred, dtype=np.int64).copy()
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
    size = np.zeros(n, dtype=np.int64)
    size[order] = 1
    by_depth = order[np.argsort(depth[order], kind="stable")]
    cuts = np.flatnonzero(np.diff(depth[by_depth])) + 1
    for level in reversed(np.split(by_depth, cuts)):
        kids = level[parent[level] >= 0]
        np.add.at(size, parent[kids], size[kids])
    return OriginTree(s, np.asarray(dist, dtype=float), parent, order, where, depth, size)


def affected(
    tree: OriginTree, entries: IntArray, entry_row: IntArray, indices: npt.NDArray[Any]
) -> list[tuple[int, int]]:
    """Preorder blocks ``[i, j)`` of the subtrees below the tree edges among CSR ``entries``."""
    a, b = entry_row[entries], indices[entries].astype(np.int64)
    heads = b[tree.parent[b] == a]
    spans = sorted((int(tree.where[h]), int(tree.where[h] + tree.size[h])) for h in heads)
    merged: list[tuple[int, int]] = []
    for i, j in spans:
        if merged and i < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], j))
        else:
            merged.append((i, j))
    return merged


def augment(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` with one more vertex ``z = n`` joined to every vertex at weight inf.

    The entries of the first ``n`` rows keep their positions; ``z``'s entry to ``v`` is at
    ``indptr[n] + v``, so a repair sets the seeds there, searches from ``z`` and resets them.
    """
    n = matrix.shape[0]
    indptr = np.append(matrix.indptr.astype(np.int64), matrix.indptr[-1] + n)
    indices = np.concatenate([matrix.indices.astype(np.int64), np.arange(n, dtype=np.int64)])
    data = np.concatenate([np.asarray(matrix.data, dtype=float), np.full(n, np.inf)])
    return sp.csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))


def _gather(t: sp.csr_matrix, rows: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """(row, column, weight) of every entry in ``rows`` of CSR ``t``."""
    starts = t.indptr[rows].astype(np.int64)
    lens = t.indptr[rows + 1].astype(np.int64) - starts
    total = int(lens.sum())
    flat = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total, dtype=np.int64)
    return np.repeat(rows, lens), t.indices[flat].astype(np.int64), t.data[flat]


def _leaving(m: sp.csr_matrix, rows: IntArray, inside: npt.NDArray[np.bool_]) -> IntArray:
    """Positions of the entries of ``rows`` whose column is not ``inside``."""
    starts = m.indptr[rows].astype(np.int64)
    lens = m.indptr[rows + 1].astype(np.int64) - starts
    flat = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(
        int(lens.sum()), dtype=np.int64
    )
    return flat[~inside[m.indices[flat]]]


def _members(tree: OriginTree, blocks: list[tuple[int, int]]) -> IntArray:
    if not blocks:
        return tree.order[:0]
    return np.concatenate([tree.order[i:j] for i, j in blocks])


def repair_one(
    tree: OriginTree,
    other: OriginTree,
    matrix: sp.csr_matrix,
    tmatrix: sp.csr_matrix,
    blocks: list[tuple[int, int]],
    other_blocks: list[tuple[int, int]],
    target: int,
) -> list[int] | bool | None:
    """The new vertex path from ``tree``'s root to ``target`` after masking.

    Parameters
    ----------
    tree, other
        The tree from the root (on ``matrix``) and the tree into ``target`` (on the
        transpose); ``other`` gives an upper bound that limits the search.
    matrix, tmatrix
        :func:`augmented <augment>` CSR matrices carrying the masked weights, ``tmatrix``
        the transpose of ``matrix``.
    blocks, other_blocks
        Affected preorder blocks of both trees (:func:`affected`).
    target
        The vertex whose path is wanted.

    Returns
    -------
    list of int, None or False
        The path; None when the target is cut off; False when the blocks hold more than
        :data:`FULL_SHARE` of the vertices (the caller searches in full).
    """
    n = matrix.shape[0] - 1
    if not blocks or sum(j - i for i, j in blocks) > FULL_SHARE * n:
        return False
    members = _members(tree, blocks)
    inside = np.zeros(n + 1, dtype=bool)
    inside[members] = True
    v, u, w = _gather(tmatrix, members)
    cand = tree.dist[u] + w
    ok = ~inside[u] & np.isfinite(cand)
    v, u, cand = v[ok], u[ok], cand[ok]
    if not len(v):
        return None
    order = np.lexsort((cand, v))
    first = np.ones(len(order), dtype=bool)
    first[1:] = v[order][1:] != v[order][:-1]
    pick = order[first]
    seeds, seed_value, seed_from = v[pick], cand[pick], u[pick]
    outside = np.ones(n + 1, dtype=bool)
    outside[_members(other, other_blocks)] = False
    bound = np.where(outside[seeds], seed_value + other.dist[seeds], np.inf)
    best = int(np.argmin(bound))
    if np.isfinite(bound[best]):
        return (
            _repair_near(
                tree,
                other,
                matrix,
                members,
                seeds,
                seed_value,
                seed_from,
                float(bound[best]),
                target,
            )
            or _tree_path(tree, int(seed_from[best])) + _tree_path(other, int(seeds[best]))[::-1]
        )
    # no path around with a known rest: search all of S (distances outside are known)
    zpos = matrix.indptr[n] + seeds
    leave = _leaving(matrix, members, inside)
    kept = matrix.data[leave]
    matrix.data[leave] = np.inf  # the search stays in S: outside, distances are known
    matrix.data[zpos] = seed_value
    try:
        dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=n, return_predecessors=True)
    finally:
        matrix.data[zpos] = np.inf
        matrix.data[leave] = kept
    if not np.isfinite(dist[target]):
        return None
    path = [target]
    while int(pred[path[-1]]) != n:
        path.append(int(pred[path[-1]]))
    path.reverse()
    came = seed_from[np.searchsorted(seeds, path[0])]
    return _tree_path(tree, int(came)) + path


def _repair_near(
    tree: OriginTree,
    other: OriginTree,
    matrix: sp.csr_matrix,
    members: IntArray,
    seeds: IntArray,
    seed_value: FloatArray,
    seed_from: IntArray,
    bound: float,
    target: int,
) -> list[int] | None:
    """The new path through ``S`` when some path around is known to cost ``bound``.

    A vertex ``v`` on the new path has new distances from the root and to the target
    summing to the new length, at most ``bound``; distances only grow with a removal, so
    ``v`` is among the members with ``tree.dist[v] + other.dist[v] <= bound``. The search
    runs on the matrix of those few vertices only (plus the seeding vertex), so it costs
    nothing like a search over the whole graph. None when it finds nothing shorter than
    ``bound`` (the caller then takes the path of the bound).
    """
    limit = bound * (1 + 1e-9) + 1e-9
    near = members[tree.dist[members] + other.dist[members] <= limit]
    local = np.full(matrix.shape[0], -1, dtype=np.int64)
    local[near] = np.arange(len(near))
    rows, cols, w = _gather(matrix, near)
    keep = (local[cols] >= 0) & np.isfinite(w)
    k = len(near)
    s_keep = local[seeds] >= 0
    z_cols = local[seeds[s_keep]]
    sub = sp.csr_matrix(
        (
            np.concatenate([w[keep], seed_value[s_keep]]),
            (np.concatenate([local[rows[keep]], np.full(len(z_cols), k)]),
             np.concatenate([local[cols[keep]], z_cols])),
        ),
        shape=(k + 1, k + 1),
    )  # fmt: skip
    if local[target] < 0 or not len(z_cols):
        return None
    dist, pred = cast(Any, dijkstra)(
        sub, directed=True, indices=k, return_predecessors=True, limit=limit
    )
    t = int(local[target])
    if not np.isfinite(dist[t]) or dist[t] > bound:
        return None
    path = [t]
    while int(pred[path[-1]]) != k:
        path.append(int(pred[path[-1]]))
    path.reverse()
    vertices = [int(near[x]) for x in path]
    entry = seed_from[np.searchsorted(seeds, vertices[0])]
    return _tree_path(tree, int(entry)) + vertices


def _tree_path(tree: OriginTree, v: int) -> list[int]:
    path = [v]
    while path[-1] != tree.s:
        path.append(int(tree.parent[path[-1]]))
    path.reverse()
    return path
