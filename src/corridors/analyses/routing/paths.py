"""Shortest paths on a compiled graph: the one kernel behind every route query.

A path runs from a node's *source* vertex to another node's *sink* vertex (see
:mod:`corridors.model.graph`). A path that must pass intermediate nodes (``--via``) is
found stage by stage over the same layered graph: it arrives at each via node on some
layer and leaves it through one of the node's own edges — the dwell on the same layer or
a transfer to another layer — so that the via node's dwell and transfer are paid and a
load never changes layer where the data has no transfer. The search keeps, for every
departure vertex of a via node, the best cost of reaching it, and continues from all of
them at once (a dynamic programme over the stages), so the result is the best path
through the via nodes in order; it is never better than the best path without them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.model.graph import CompiledGraph, EdgeKind
from corridors.model.lru import ENV_TREE_MB, TREE_CACHE_MB, ByteLRU, budget_bytes

__all__ = ["path_edges", "via_path_edges"]

Weights = tuple[sp.csr_matrix, Mapping[tuple[int, int], int]]
Tree = tuple[npt.NDArray[np.float64], npt.NDArray[np.int32]]


def _walk(pred: npt.NDArray[np.int32], s: int, t: int) -> list[int]:
    """Vertices from ``s`` to ``t`` along a predecessor array."""
    vertices = [t]
    while vertices[-1] != s:
        vertices.append(int(pred[vertices[-1]]))
    vertices.reverse()
    return vertices


def path_edges(
    graph: CompiledGraph, origin: int, destination: int, weights: Weights | None = None
) -> list[int] | None:
    """Edges of the shortest path between two node positions, or None.

    With ``weights`` (a CSR matrix and its edge map, e.g. penalised weights), the search
    runs on them; else the compiled graph's cached trees are looked up.
    """
    s, t = int(graph.source_vertex[origin]), int(graph.sink_vertex[destination])
    if s < 0 or t < 0:
        return None
    if weights is None:
        edge_of = graph.edge_of
        dist, pred = graph.tree(s)
    else:
        matrix, edge_of = weights
        dist, pred = cast(Any, dijkstra)(matrix, directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return None
    return [edge_of[(a, b)] for a, b in pairwise(_walk(pred, s, t))]


def _vertex_trees(graph: CompiledGraph, vertices: Sequence[int]) -> list[Tree]:
    """Shortest-path trees from departure vertices, cached on the graph (at most one each)."""
    trees: ByteLRU[int, Tree] | None = graph.extra.get("vertex_trees")
    if trees is None:
        budget = budget_bytes(ENV_TREE_MB, TREE_CACHE_MB)
        trees = graph.extra["vertex_trees"] = ByteLRU(
            budget, size=lambda t: t[0].nbytes + t[1].nbytes
        )
    found: dict[int, Tree | None] = {v: trees.get(v) for v in vertices}
    missing = [v for v, t in found.items() if t is None]
    if missing:
        dist, pred = cast(Any, dijkstra)(
            graph.matrix, directed=True, indices=missing, return_predecessors=True
        )
        for k, v in enumerate(missing):
            found[v] = (dist[k], pred[k])
            trees.put(v, (dist[k], pred[k]))
    return [t for t in (found[v] for v in vertices) if t is not None]


def _pass_edges(graph: CompiledGraph, node: int) -> npt.NDArray[np.int64]:
    """Edges that pass a node: its dwell and transfer edges (arrival -> departure)."""
    table: dict[int, npt.NDArray[np.int64]] | None = graph.extra.get("pass_edges")
    if table is None:
        passing = (graph.kind == EdgeKind.DWELL) | (graph.kind == EdgeKind.TRANSFER)
        edges = np.flatnonzero(passing)
        nodes = graph.vertex_node[graph.tail[edges]]
        lists: dict[int, list[int]] = {}
        for e, n in zip(edges, nodes, strict=True):
            lists.setdefault(int(n), []).append(int(e))
        table = graph.extra["pass_edges"] = {
            n: np.asarray(v, dtype=np.int64) for n, v in lists.items()
        }
    return table.get(node, np.empty(0, dtype=np.int64))


def via_path_edges(graph: CompiledGraph, positions: Sequence[int]) -> list[int] | int:
    """Edges of the best path from ``positions[0]`` to ``positions[-1]`` through the others.

    Returns
    -------
    list of int or int
        The edges; or, when there is no such path, the index of the first stage that
        cannot be completed (0: from the origin to the first via node).
    """
    s, t = int(graph.source_vertex[positions[0]]), int(graph.sink_vertex[positions[-1]])
    if s < 0:
        return 0
    starts = [s]
    labels = np.zeros(1)
    trees = [graph.tree(s)]
    # per stage: the start vertices, their labels and trees, and the edge into each start
    stages: list[tuple[list[int], npt.NDArray[np.float64], list[Tree], list[int]]] = []
    into: list[int] = [-1]
    for k, node in enumerate(positions[1:-1]):
        stages.append((starts, labels, trees, into))
        passing = _pass_edges(graph, node)
        reach = np.full(len(passing), np.inf)
        for label, (dist, _) in zip(labels, trees, strict=True):
            reach = np.minimum(reach, label + dist[graph.tail[passing]])
        cost = reach + graph.weight[passing]
        best: dict[int, tuple[float, int]] = {}
        for e, c in zip(passing, cost, strict=True):
            h = int(graph.head[e])
            if np.isfinite(c) and (h not in best or c < best[h][0]):
                best[h] = (float(c), int(e))
        if not best:
            return k
        starts = list(best)
        labels = np.array([best[v][0] for v in starts])
        into = [best[v][1] for v in starts]
        trees = _vertex_trees(graph, starts)
    stages.append((starts, labels, trees, into))
    if t < 0:
        return len(positions) - 2
    return _trace(graph, stages, t) or len(positions) - 2


def _trace(
    graph: CompiledGraph,
    stages: list[tuple[list[int], npt.NDArray[np.float64], list[Tree], list[int]]],
    target: int,
) -> list[int]:
    """Walk the stages back from ``target``: the edges of the best staged path (or [])."""
    edges: list[int] = []
    for starts, labels, trees, into in reversed(stages):
        totals = [label + dist[target] for label, (dist, _) in zip(labels, trees, strict=True)]
        j = int(np.argmin(totals))
        if not np.isfinite(totals[j]):
            return []
        part = _walk(trees[j][1], starts[j], target)
        edges[:0] = [graph.edge_of[(a, b)] for a, b in pairwise(part)]
        if into[j] >= 0:
            edges.insert(0, into[j])
            target = int(graph.tail[into[j]])
    return edges
