"""Searches over the arcs of the flow LP: the min cut, and a path without any capacity.

The **min cut** is read from the residual network of a maximum flow :math:`x`
(the max-flow min-cut theorem; Ahuja, Magnanti & Orlin, *Network Flows*, 1993, ch. 6): an arc
:math:`e = (v, w)` gives a forward residual arc when :math:`x_e < u_e` and a backward one
:math:`(w, v)` when :math:`x_e > 0`. The set :math:`S` of vertices reachable from the
super source is the source side of a minimum cut; the arcs leaving :math:`S` are saturated,
and their capacities add up to the maximum flow. Each is reported once per element (a
``both`` link's two arcs are one element), as a link, a transfer, a source's supply limit
or a sink's intake limit.

Before solving, :func:`unbounded_path` looks for a source-to-sink path of arcs without
any bound, on which the maximum flow would be unbounded.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridors.analyses.flows.lp import Arc, FlowModel
from corridors.analyses.lp import FloatArray
from corridors.model.network import Network


@dataclass(frozen=True)
class CutElement:
    """One element of the min cut.

    Attributes
    ----------
    id
        Link id, transfer id, or node id (for a supply or intake limit).
    name
        Display name.
    kind
        ``link``, ``transfer``, ``supply`` (a source's capacity) or ``intake`` (a sink's
        capacity or demand).
    capacity
        Its capacity in the flow's unit.
    """

    id: str
    name: str
    kind: str
    capacity: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "capacity": round(float(self.capacity), 6),
        }


def _name(net: Network, node: object) -> str:
    return str(net.nodes.at[str(node), "name"])


def min_cut(model: FlowModel, net: Network, x: FloatArray) -> tuple[CutElement, ...]:
    """The saturated elements leaving the source side of the residual network of ``x``."""
    adj: dict[int, list[int]] = {}  # residual arcs by tail vertex (-1 = super source)
    heads: list[int] = []
    for e in range(len(x)):
        t, h, u = int(model.tail[e]), int(model.head[e]), model.ub[e]
        tol = 1e-6 * max(1.0, u if np.isfinite(u) else 1.0)
        t_key = t if t >= 0 else -1
        h_key = h if h >= 0 else -2
        if x[e] < u - tol:
            adj.setdefault(t_key, []).append(h_key)
        if x[e] > tol:
            adj.setdefault(h_key, []).append(t_key)
        heads.append(h_key)
    seen = {-1}
    queue = deque([-1])
    while queue:
        v = queue.popleft()
        for w in adj.get(v, []):
            if w not in seen:
                seen.add(w)
                queue.append(w)
    out: dict[tuple[str, str], CutElement] = {}
    for e in range(len(x)):
        t = int(model.tail[e]) if model.tail[e] >= 0 else -1
        if t not in seen or heads[e] in seen or model.kind[e] == Arc.INTERNAL:
            continue
        kind, ref = Arc(int(model.kind[e])), model.ref[e]
        key = (kind.name, ref)
        if key in out:
            continue
        if kind is Arc.LINK:
            name = str(model.links.at[ref, "name"]) or ref
            elem = CutElement(ref, name, "link", float(model.ub[e]))
        elif kind is Arc.TRANSFER:
            tr = net.transfers.set_index("id").loc[ref]
            name = f"{_name(net, tr['node'])}: {tr['from_layer']} → {tr['to_layer']}"
            elem = CutElement(ref, name, "transfer", float(model.ub[e]))
        elif kind is Arc.SUPPLY:
            elem = CutElement(ref, f"supply of {_name(net, ref)}", "supply", float(model.ub[e]))
        else:
            elem = CutElement(ref, f"intake of {_name(net, ref)}", "intake", float(model.ub[e]))
        out[key] = elem
    return tuple(sorted(out.values(), key=lambda c: (-c.capacity, c.id)))


def unbounded_path(model: FlowModel, net: Network) -> list[str] | None:
    """Arcs of a source-to-sink path with no capacity anywhere, as labels, or None."""
    n = len(model.vertices)
    out: dict[int, list[int]] = {}
    starts: list[int] = []
    for e in range(len(model.ub)):
        if np.isfinite(model.ub[e]):
            continue
        if model.tail[e] < 0:
            starts.append(e)
        else:
            out.setdefault(int(model.tail[e]), []).append(e)
    pred: dict[int, int] = {}
    queue: deque[int] = deque()
    for e in starts:
        h = int(model.head[e])
        if h not in pred:
            pred[h] = e
            queue.append(h)
    while queue:
        v = queue.popleft()
        for e in out.get(v, []):
            h = int(model.head[e])
            if h < 0:
                path = [e]
                while True:
                    p = pred[int(model.tail[path[-1]])]
                    path.append(p)
                    if model.tail[p] < 0:
                        break
                return [
                    _label(model, net, a) for a in reversed(path) if model.kind[a] != Arc.INTERNAL
                ]
            if h not in pred and h < n:
                pred[h] = e
                queue.append(h)
    return None


def _label(model: FlowModel, net: Network, e: int) -> str:
    kind, ref = model.kind[e], model.ref[e]
    if kind == Arc.SUPPLY:
        return f"supply of {_name(net, ref)} (no capacity)"
    if kind == Arc.INTAKE:
        return f"intake of {_name(net, ref)} (no capacity)"
    if kind == Arc.TRANSFER:
        return f"transfer {ref}"
    return f"link {ref}"
