r"""Min-cost flow by the primal-dual method: Dijkstra phases, a max flow in each.

The least-cost flow of a given total from one source to one sink, with non-negative
integer costs and capacities, by the classic primal-dual algorithm (Ford and Fulkerson;
Ahuja, Magnanti and Orlin, *Network Flows*, section 9.8):

1. keep vertex potentials :math:`\pi` (zero at the start, valid because no cost is
   negative) so that every residual arc has a reduced cost
   :math:`c_{uv} + \pi_u - \pi_v \ge 0`;
2. each phase runs one Dijkstra from the source over the residual graph with the reduced
   costs (:func:`scipy.sparse.csgraph.dijkstra`, C code), adds the distances, capped at the
   sink's, to the potentials, and then ships a *maximum* flow (OR-Tools ``SimpleMaxFlow``)
   over the admissible arcs: residual arcs of zero reduced cost, which hold every shortest
   path of the phase at once;
3. it stops when the total is shipped.

Every phase saturates all shortest paths of the current length, so the number of phases
is the number of distinct path lengths the optimal flow needs, not the number of paths.
The result is an exact optimum of the integer problem (the same total cost as OR-Tools'
cost scaling, which is slow on large capacities: issue 15).

The residual graph keeps one forward and one backward arc per column in a fixed CSR order
(by tail); a phase hands Dijkstra the arcs with residual capacity, in that order.
"""

from __future__ import annotations

from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from corridors.analyses.lp import IntArray
from corridors.errors import CorridorsError

__all__ = ["MinCostFlow", "primal_dual_min_cost"]


class MinCostFlow(NamedTuple):
    """What :func:`primal_dual_min_cost` returns."""

    #: Integer flow per arc.
    flows: IntArray
    #: Per vertex: reachable from the source over arcs with residual capacity (once the
    #: flow is maximum, the source side of the minimum cut that is smallest by inclusion,
    #: as OR-Tools' ``GetSourceSideMinCut`` returns).
    source_side: npt.NDArray[np.bool_]
    #: Dijkstra phases that shipped flow.
    phases: int


def primal_dual_min_cost(
    tail: IntArray,
    head: IntArray,
    caps: IntArray,
    costs: IntArray,
    source: int,
    sink: int,
    total: int | None,
    n_vertices: int,
) -> MinCostFlow:
    """The least-cost flow of ``total`` (``None``: the maximum flow) from ``source`` to ``sink``.

    Parameters
    ----------
    tail, head
        Arc ends, vertices ``0 .. n_vertices - 1``.
    caps, costs
        Integer capacities and non-negative integer unit costs per arc.
    source, sink
        The two ends of the flow.
    total
        The flow to ship, at most the maximum flow; ``None`` ships the maximum flow (of
        least cost among the maximum flows).
    n_vertices
        Number of vertices.

    Returns
    -------
    MinCostFlow
        Flows, the vertices reachable from the source in the residual graph, phases.

    Raises
    ------
    CorridorsError
        On a negative cost, or when ``total`` exceeds the maximum flow.

    Examples
    --------
    Two routes from 0 to 3, of costs 2 and 5 and capacity 4 each; 6 units use both:

    >>> import numpy as np
    >>> t, h = np.array([0, 1, 0, 2]), np.array([1, 3, 2, 3])
    >>> caps, costs = np.array([4, 4, 4, 4]), np.array([1, 1, 2, 3])
    >>> flows, _, phases = primal_dual_min_cost(t, h, caps, costs, 0, 3, 6, 4)
    >>> flows.tolist(), int(flows @ costs), phases
    ([4, 4, 2, 2], 18, 2)

    Without a total it ships the maximum flow, 8; the cut leaves the source's two arcs:

    >>> flows, side, _ = primal_dual_min_cost(t, h, caps, costs, 0, 3, None, 4)
    >>> flows.tolist(), side.tolist()
    ([4, 4, 4, 4], [True, False, False, False])
    """
    from ortools.graph.python import max_flow
    from scipy.sparse.csgraph import breadth_first_order, dijkstra

    tail, head = np.asarray(tail, dtype=np.int64), np.asarray(head, dtype=np.int64)
    caps = np.asarray(caps, dtype=np.int64)
    if total is not None:
        caps = np.minimum(caps, max(int(total), 0))
    costs = np.asarray(costs, dtype=np.int64)
    if len(costs) and int(costs.min()) < 0:
        raise CorridorsError("the primal-dual min-cost flow needs non-negative costs")
    m, n = len(tail), n_vertices
    # Residual arc k < m is column k forward, k >= m column k - m backward; everything
    # below is in CSR order (by tail), ``twin`` maps a position to its reverse arc's.
    order = np.argsort(np.concatenate([tail, head]), kind="stable")
    position = np.empty(2 * m, dtype=np.int64)
    position[order] = np.arange(2 * m)
    twin = position[(order + m) % max(2 * m, 1)]
    r_tail = np.concatenate([tail, head])[order]
    r_head = np.concatenate([head, tail])[order]
    indptr = np.zeros(n + 1, dtype=np.int32)
    indices = r_head.astype(np.int32)
    r_cost = np.concatenate([costs, -costs])[order].astype(np.float64)
    residual = np.concatenate([caps, np.zeros(m, dtype=np.int64)])[order]
    pi = np.zeros(n, dtype=np.float64)  # integers, exact in float64 below 2**53
    shipped, phases = 0, 0
    side: npt.NDArray[np.bool_] | None = None
    while total is None or shipped < total:
        live = np.flatnonzero(residual > 0)  # still in CSR order
        lt, lh = r_tail[live], r_head[live]
        reduced = r_cost[live] + pi[lt] - pi[lh]
        np.cumsum(np.bincount(lt, minlength=n), out=indptr[1:])
        graph = sp.csr_matrix((reduced, indices[live], indptr), shape=(n, n))
        dist = np.asarray(cast(Any, dijkstra)(graph, directed=True, indices=source))
        to_sink = float(dist[sink])
        if not np.isfinite(to_sink):
            if total is not None:
                raise CorridorsError(f"only {shipped} of {total} flow steps reach the sink")
            side = np.isfinite(dist)
            break
        phases += 1
        # Shortest paths only pass vertices no farther than the sink; the others get the
        # sink's distance, which keeps every reduced cost non-negative and makes the arcs
        # of every shortest path (and no arc into a farther vertex) zero.
        step_pi = np.minimum(dist, to_sink)
        pi += step_pi
        arcs = live[reduced + step_pi[lt] - step_pi[lh] == 0]
        # With a total, one more arc into the source, from a new vertex, caps the phase at
        # what is left.
        mf = max_flow.SimpleMaxFlow()
        ids = mf.add_arcs_with_capacity(r_tail[arcs], r_head[arcs], residual[arcs])
        start = source
        if total is not None:
            start = n
            mf.add_arc_with_capacity(n, source, total - shipped)
        if mf.solve(start, sink) != max_flow.SimpleMaxFlow.OPTIMAL:
            raise CorridorsError("the max-flow solver failed in a min-cost-flow phase")
        pushed = np.asarray(mf.flows(ids), dtype=np.int64)
        step = int(mf.optimal_flow())
        if step <= 0:
            raise CorridorsError("a min-cost-flow phase shipped nothing")
        residual[arcs] -= pushed  # positions are distinct within each of the two updates
        residual[twin[arcs]] += pushed
        shipped += step
    if side is None:
        live = np.flatnonzero(residual > 0)
        np.cumsum(np.bincount(r_tail[live], minlength=n), out=indptr[1:])
        graph = sp.csr_matrix((np.ones(len(live)), indices[live], indptr), shape=(n, n))
        side = np.zeros(n, dtype=bool)
        side[breadth_first_order(graph, source, directed=True, return_predecessors=False)] = True
    # A column's flow is the residual capacity of its backward arc.
    return MinCostFlow(residual[position[m:]], side, phases)
