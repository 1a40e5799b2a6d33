"""Searches over the columns of the flow LP: the min cut, unbounded paths, reachability.

The **min cut** is read from the residual network of a maximum flow :math:`x`
(the max-flow min-cut theorem; Ahuja, Magnanti & Orlin, *Network Flows*, 1993, ch. 6): an arc
:math:`e = (v, w)` gives a forward residual arc when :math:`x_e < u_e` and a backward one
:math:`(w, v)` when :math:`x_e > 0`. The set :math:`S` of vertices reachable from the
super source is the source side of a minimum cut; the arcs leaving :math:`S` are saturated,
and their capacities add up to the maximum flow. Each is reported once per element (a
``both`` link's two arcs are one element), as a link, a transfer, a source's supply limit
or a sink's intake limit.

Before solving, :func:`unbounded_path` looks for a source-to-sink path of arcs without
any bound, on which the maximum flow would be unbounded, and :func:`connected` whether any
path joins the super source to the super sink at all.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from corridors.analyses.flows.problem import SUPER_SINK, SUPER_SOURCE, Arc, FlowProblem
from corridors.analyses.lp import FloatArray
from corridors.model.network import Network
from corridors.results.flow import CutElement


def element_name(problem: FlowProblem, net: Network, col: int) -> tuple[str, str]:
    """(kind, display name) of the element behind a column."""
    kind, ref = Arc(int(problem.kind[col])), problem.ref[col]
    nodes = net.nodes["name"]
    if kind is Arc.LINK:
        return "link", str(net.links.at[ref, "name"]) or ref
    if kind is Arc.TRANSFER:
        tr = problem.graph.transfers.set_index("id").loc[ref]
        return "transfer", f"{nodes[str(tr['node'])]}: {tr['from_layer']} → {tr['to_layer']}"
    if kind is Arc.SUPPLY:
        return "supply", f"supply of {nodes[ref]}"
    return "intake", f"intake of {nodes[ref]}"


def _search(adj: dict[int, list[int]]) -> set[int]:
    seen = {SUPER_SOURCE}
    queue = deque([SUPER_SOURCE])
    while queue:
        v = queue.popleft()
        for w in adj.get(v, []):
            if w not in seen:
                seen.add(w)
                queue.append(w)
    return seen


def min_cut(
    problem: FlowProblem, net: Network, x: FloatArray, shadow: FloatArray
) -> list[CutElement]:
    """The saturated elements leaving the source side of the residual network of ``x``."""
    adj: dict[int, list[int]] = {}
    for e in range(len(x)):
        t, h, u = int(problem.tail[e]), int(problem.head[e]), problem.upper[e]
        tol = 1e-6 * max(1.0, u if np.isfinite(u) else 1.0)
        if x[e] < u - tol:
            adj.setdefault(t, []).append(h)
        if x[e] > tol:
            adj.setdefault(h, []).append(t)
    seen = _search(adj)
    out: dict[tuple[int, str], CutElement] = {}
    for e in range(len(x)):
        key = (int(problem.kind[e]), problem.ref[e])
        if (
            int(problem.tail[e]) not in seen
            or int(problem.head[e]) in seen
            or problem.kind[e] == Arc.INTERNAL
        ):
            continue
        if key in out:
            continue
        kind, name = element_name(problem, net, e)
        price = float(sum(shadow[c] for c in problem.columns_of(Arc(key[0]), key[1])))
        out[key] = CutElement(
            id=key[1], name=name, element=kind, capacity=float(problem.upper[e]), shadow_price=price
        )
    return sorted(out.values(), key=lambda c: (-c.capacity, c.id))


def connected(problem: FlowProblem) -> bool:
    """Whether any path of open columns joins the super source to the super sink."""
    adj: dict[int, list[int]] = {}
    for t, h, u in zip(problem.tail, problem.head, problem.upper, strict=True):
        if u > 0:
            adj.setdefault(int(t), []).append(int(h))
    return SUPER_SINK in _search(adj)


def unbounded_path(problem: FlowProblem, net: Network) -> list[str] | None:
    """Labels of the elements on a source-to-sink path with no capacity anywhere, or None."""
    out: dict[int, list[int]] = {}
    for col in np.flatnonzero(~np.isfinite(problem.upper)):
        out.setdefault(int(problem.tail[col]), []).append(int(col))
    pred: dict[int, int] = {}
    queue: deque[int] = deque([SUPER_SOURCE])
    seen = {SUPER_SOURCE}
    while queue:
        v = queue.popleft()
        for e in out.get(v, []):
            h: int = int(problem.head[e])
            if h in seen:
                continue
            seen.add(h)
            pred[h] = e
            if h == SUPER_SINK:
                path: list[int] = []
                while h != SUPER_SOURCE:
                    path.append(pred[h])
                    h = int(problem.tail[pred[h]])
                labels = [_label(problem, net, a) for a in reversed(path)]
                return [lab for lab in labels if lab]
            queue.append(h)
    return None


def _label(problem: FlowProblem, net: Network, e: int) -> str:
    kind = Arc(int(problem.kind[e]))
    if kind in (Arc.SUPPLY, Arc.INTAKE):
        return f"{element_name(problem, net, e)[1]} (no capacity)"
    if kind is Arc.INTERNAL:
        return ""
    return f"{kind.name.lower()} {problem.ref[e]}"
