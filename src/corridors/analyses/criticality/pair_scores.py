"""Scores of one OD pair for the elements on its path: the function every worker runs.

Each element on the pair's base path is scored by one A* search on the graph with the
element's edges masked (:mod:`corridors.analyses.criticality.astar`). The search runs from
the destination back to the origin, guided by the origin's base tree (the distances from
the origin on the intact graph, kept by :func:`~corridors.analyses.criticality.engine.
base_paths`): removing edges only lengthens paths, so those distances are a consistent
lower bound on every masked graph. Where the base trees were too many to keep, one search
into the destination gives the bound instead and the A* runs forward. The graph is never
rebuilt; a mask is lifted as soon as its search ends.
"""

from __future__ import annotations

import numpy as np

from corridors.analyses.criticality.astar import distances_to, score_elements_astar
from corridors.analyses.criticality.engine import FloatArray, IntArray, SweepState

__all__ = ["score_pair"]


def score_pair(state: SweepState, task: tuple[int, IntArray]) -> FloatArray:
    """Scores of one searched OD pair for some element rows (no direct pairs).

    Parameters
    ----------
    state
        From :func:`~corridors.analyses.criticality.engine.prepare_state`, with the base
        paths found (:func:`~corridors.analyses.criticality.engine.base_paths`).
    task
        ``(pair, element rows)``: elements whose edges the pair's base path uses.

    Returns
    -------
    numpy.ndarray
        One row of :data:`~corridors.analyses.criticality.engine.METRICS` per element
        (``affected_pairs`` left at 0).

    Examples
    --------
    On a small synthetic network, every element a pair's path uses either reroutes the
    pair (rerouted = its volume, never faster) or loses it:

    >>> from corridors.datasets.synthetic import synthetic_network
    >>> from corridors.analyses.criticality.elements import element_edges
    >>> from corridors.analyses.criticality.engine import base_paths, prepare_state
    >>> from corridors.model.graph import compile_graph
    >>> net = synthetic_network(60, seed=1, n_pairs=3)
    >>> g = compile_graph(net)
    >>> els = element_edges(net, g, "links")
    >>> o, d = net.demand["origin"].iloc[0], net.demand["destination"].iloc[0]
    >>> src = np.array([g.source_vertex[g.node_pos[o]]])
    >>> dst = np.array([g.sink_vertex[g.node_pos[d]]])
    >>> state = prepare_state(g, src, dst, np.array([5.0]), els.matrix)
    >>> paths, _ = base_paths(state)
    >>> on_path = np.flatnonzero((els.matrix @ paths.T).toarray()[:, 0])
    >>> out = score_pair(state, (0, on_path))
    >>> bool(((out[:, 0] == 5.0) ^ (out[:, 1] == 5.0)).all()), bool((out[:, 2] >= 0).all())
    (True, True)
    """
    p, elements = task
    s, t = int(state.src[p]), int(state.dst[p])
    pair = (s, t, float(state.amount[p]), float(state.base_hours[p]), float(state.base_cost[p]))
    k = int(np.searchsorted(state.origins, s))
    kept = k < len(state.origins) and state.origins[k] == s
    bound = state.origin_dist[k] if kept else distances_to(state.edges, state.weight, t)
    return score_elements_astar(
        state.edges,
        state.weight,
        state.hours,
        state.cost,
        state.elem_indptr,
        state.elem_edges,
        elements,
        pair,
        bound,
        backward=kept,
    )
