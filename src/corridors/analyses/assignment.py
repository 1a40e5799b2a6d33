r"""Capacity-constrained assignment of container demand to routes (system optimum).

The yearly demand between origin and destination nodes (the ``demand`` table, or a
given frame) is assigned to the network as a **minimum-cost multicommodity flow**
(Ahuja, Magnanti & Orlin, *Network Flows*, Prentice Hall 1993, ch. 17): one commodity
per origin, sharing the capacities of links, transfers and border/port nodes, and
minimising the total generalized time of the whole flow. The result is the system
optimum (Wardrop's second principle): what a single planner routing every TEU would do.

Network
-------
The layered graph of :mod:`corridors.model.graph` for the commodity, with the ``time``
weights: an edge's weight :math:`c_e` is the mean of its low and high times in hours,
including a node's dwell (border formalities, a vessel's port call), a transfer's time
(gauge change, port handling) plus the dwell of a non-port node, and a ferry's expected
wait (half the headway). Every edge of the compiled graph is a variable (parallel edges
included), not only the cheapest kept in the CSR matrix.

Formulation
-----------
Let :math:`K` be the origins, :math:`D_k` the destinations of origin :math:`k` with
demand :math:`q_{kd}` (TEU/yr), :math:`s_k` the source vertex of :math:`k` and
:math:`t_d` the sink vertex of :math:`d`. Variables: :math:`x_{ke} \ge 0`, the flow of
commodity :math:`k` on edge :math:`e`, and :math:`u_{kd} \ge 0`, the demand of
:math:`(k, d)` left unserved.

.. math::

    \min \sum_k \sum_e c_e x_{ke} + P \sum_k \sum_{d \in D_k} u_{kd}

subject to flow conservation for every commodity and vertex :math:`v`

.. math::

    \sum_{e \in \delta^-(v)} x_{ke} - \sum_{e \in \delta^+(v)} x_{ke} =
    \begin{cases}
      -\sum_{d} (q_{kd} - u_{kd}) & v = s_k \\
      q_{kd} - u_{kd} & v = t_d,\ d \in D_k \\
      0 & \text{otherwise}
    \end{cases}

and the bundle (capacity) constraints shared by all commodities

.. math::

    \sum_k \sum_{e \in S_r} x_{ke} \le U_r \quad \text{for every capacitated element } r.

An unserved :math:`u_{kd}` enters the equations exactly like an arc from :math:`s_k` to
:math:`t_d` of cost :math:`P`, so the LP is always feasible (send everything unserved)
and bounded (all costs are positive).

- **Links**: :math:`S_r` is one direction of the link (a ``both`` link is bounded in each
  direction separately, as in :mod:`corridors.analyses.flows`), :math:`U_r` its capacity.
- **Transfers** (gauge change, port handling): likewise, per direction.
- **Nodes** of kind ``border`` or ``port`` with a capacity: :math:`S_r` is every edge that
  handles a load at the node — a border's dwell, transfer and terminal (start/end)
  edges; a port's transfer and terminal edges only (a load staying on its ship or a
  train passing the port city is not handled by the port).

Capacities are converted to TEU/yr with :func:`corridors.units.teu_per_year`: TEU rates
directly, train rates by :data:`corridors.units.TEU_PER_TRAIN` (96.5 TEU, the 2022
China–Europe average). Capacities in other dimensions (``Mt/yr`` of a line carrying
bulk) are not container capacities and are ignored; elements without a capacity are
unbounded. For another commodity the commodity's flow unit is used.

Unserved demand costs :data:`UNSERVED_PENALTY_H` hours per TEU (a million hours, about
114 years — three orders of magnitude above any route's time), so demand is left
unserved only where serving it would need capacity that is not there.

Solution and optimality
-----------------------
The LP is solved by HiGHS's dual simplex (``scipy.optimize.linprog(method="highs-ds")``),
volumes in thousands of TEU for scaling. HiGHS stops at a basic solution that is primal
feasible (every constraint met within 1e-7 kTEU) and dual feasible (no reduced cost below
-1e-7): by LP duality that basis is optimal, its objective equal to the dual bound, so
there is no iteration count or gap to tune — the criterion is exact optimality within
the feasibility tolerances. Because every edge weighs at least
:data:`corridors.model.graph.EPSILON`, an optimal flow carries no cycle.

Routes come from the standard **flow decomposition** (Ahuja et al. 1993, §3.5): per
origin, repeatedly follow edges with remaining flow from :math:`s_k` to some sink, take
the bottleneck as a path flow and subtract it (a cycle met on the way, from numerical
noise, is cancelled); this ends after at most :math:`|E|` paths. Paths are grouped by
origin, destination and *signature* (the sequence of countries, the modes, the sea
passages).

Where a load crosses a border (two consecutive countries on its route differ), the
crossing is put at the border or port node on the entering side of the link (Dostyk for
Alashankou–Dostyk, Malaszewicze for Brest–Malaszewicze, Baku/Alat for the Aktau ferry),
at the leaving side when only that end is a border or port, and otherwise at the link
(a border inside a long link).

Shares
------
``transit_share[c]``: share of the assigned volume whose route crosses country ``c``
other than at its ends (neither the origin's nor the destination's country).
``overland_share[c]``: among the volume on routes without a sea leg (rail, with ferries
and road), the share whose route passes ``c`` — the model's counterpart of published
figures such as "49% of China–Europe train trips cross Kazakhstan".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog as _scipy_linprog
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.flows import flow_unit
from corridors.analyses.routing import resolve
from corridors.errors import CorridorsError
from corridors.io.tables import default_data_dir
from corridors.model.graph import CompiledGraph, EdgeKind, Objective, compile_graph
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.units import UnitError, convert, teu_per_year

__all__ = [
    "CAPACITY_NODE_KINDS",
    "UNSERVED_PENALTY_H",
    "Assignment",
    "assign",
    "compare_published",
    "published_shares",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Generalized-time penalty per TEU of unserved demand, hours (1e6 h, about 114 years).
UNSERVED_PENALTY_H = 1.0e6

#: Node kinds whose capacity bounds the loads handled there.
CAPACITY_NODE_KINDS = frozenset({"border", "port"})

#: Volumes are solved in thousands of TEU (capacities and demand up to ~1e7 TEU/yr).
_SCALE = 1.0e3
#: Path flows below this (TEU/yr) are solver noise, not routes.
_TOL = 1.0e-3
#: scipy-stubs reject sparse constraint matrices, which linprog accepts with HiGHS.
_linprog = cast("Callable[..., Any]", _scipy_linprog)

_ROUTE_COLUMNS = [
    "origin",
    "destination",
    "od",
    "signature",
    "countries",
    "modes",
    "passages",
    "crossings",
    "time_h",
    "volume",
    "share_of_od",
    "share_of_total",
]
_CROSSING_COLUMNS = ["node", "name", "kind", "countries", "volume", "share"]
_UNSERVED_COLUMNS = ["origin", "destination", "od", "demand", "unserved", "share", "reason"]
_UTIL_COLUMNS = ["id", "kind", "name", "capacity", "flow", "utilisation"]


@dataclass(frozen=True, eq=False)
class Assignment:
    """Demand assigned to routes under capacities.

    Attributes
    ----------
    commodity, scenario, unit
        What was assigned, on which network (its label), and the unit of every volume.
    demand_total, assigned_total, unserved_total
        Yearly volumes; ``assigned_total + unserved_total == demand_total``.
    total_time
        Generalized time of the assigned flow, volume x mean hours (TEU·h per year).
    routes
        One row per origin, destination and route signature: ``origin``, ``destination``
        (node ids), ``od`` (``"Name → Name"``), ``signature``, ``countries``, ``modes``,
        ``passages`` (tuples), ``crossings`` (names, tuple), ``time_h`` (volume-weighted
        mean hours), ``volume``, ``share_of_od``, ``share_of_total`` (of the assigned
        total); largest volume first.
    crossings
        One row per border crossing used: ``node`` (node id, or the link id for a border
        inside a link), ``name``, ``kind``, ``countries`` (the two sides, sorted, joined
        by ``–``), ``volume``, ``share`` (of the assigned total).
    transit_share, overland_share, mode_share
        See the module docstring; ``mode_share`` splits the assigned volume into ``sea``
        (a sea leg), ``rail`` (rail legs, perhaps ferries and road) and ``road``.
    unserved
        One row per OD with demand left: ``origin``, ``destination``, ``od``, ``demand``,
        ``unserved``, ``share``, ``reason`` (``capacity`` or ``no route``).
    utilisation
        Every capacitated link, transfer and node: ``id``, ``kind``, ``name``,
        ``capacity``, ``flow`` (the busier direction for links and transfers),
        ``utilisation``; busiest first.
    solver
        ``status``, ``message``, ``iterations``, ``objective`` (with the penalty),
        ``variables``, ``constraints``.
    """

    commodity: str
    scenario: str
    unit: str
    demand_total: float
    assigned_total: float
    unserved_total: float
    total_time: float
    routes: pd.DataFrame
    crossings: pd.DataFrame
    transit_share: dict[str, float]
    overland_share: dict[str, float]
    mode_share: dict[str, float]
    unserved: pd.DataFrame
    utilisation: pd.DataFrame
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def mean_time_h(self) -> float:
        """Volume-weighted mean generalized time of the assigned flow, hours."""
        return self.total_time / self.assigned_total if self.assigned_total > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (volumes rounded to 3 decimals, shares to 6)."""
        routes = [
            {
                "origin": r["origin"],
                "destination": r["destination"],
                "od": r["od"],
                "signature": r["signature"],
                "countries": list(r["countries"]),
                "modes": list(r["modes"]),
                "passages": list(r["passages"]),
                "crossings": list(r["crossings"]),
                "time_h": round(float(r["time_h"]), 1),
                "volume": _v(r["volume"]),
                "share_of_od": _s(r["share_of_od"]),
                "share_of_total": _s(r["share_of_total"]),
            }
            for r in self.routes.to_dict(orient="records")
        ]
        crossings = [
            {
                "node": r["node"],
                "name": r["name"],
                "kind": r["kind"],
                "countries": r["countries"],
                "volume": _v(r["volume"]),
                "share": _s(r["share"]),
            }
            for r in self.crossings.to_dict(orient="records")
        ]
        unserved = [
            {
                "origin": r["origin"],
                "destination": r["destination"],
                "od": r["od"],
                "demand": _v(r["demand"]),
                "unserved": _v(r["unserved"]),
                "share": _s(r["share"]),
                "reason": r["reason"],
            }
            for r in self.unserved.to_dict(orient="records")
        ]
        utilisation = [
            {
                "id": r["id"],
                "kind": r["kind"],
                "name": r["name"],
                "capacity": _v(r["capacity"]),
                "flow": _v(r["flow"]),
                "utilisation": _s(r["utilisation"]),
            }
            for r in self.utilisation.to_dict(orient="records")
        ]
        return {
            "commodity": self.commodity,
            "scenario": self.scenario,
            "unit": self.unit,
            "demand_total": _v(self.demand_total),
            "assigned_total": _v(self.assigned_total),
            "unserved_total": _v(self.unserved_total),
            "mean_time_h": round(self.mean_time_h, 2),
            "routes": routes,
            "crossings": crossings,
            "transit_share": {k: _s(v) for k, v in self.transit_share.items()},
            "overland_share": {k: _s(v) for k, v in self.overland_share.items()},
            "mode_share": {k: _s(v) for k, v in self.mode_share.items()},
            "unserved": {"total": _v(self.unserved_total), "by_od": unserved},
            "utilisation": utilisation,
        }


def _v(value: Any) -> float:
    return round(float(value), 3)


def _s(value: Any) -> float:
    return round(float(value), 6)


# ----------------------------------------------------------------------------- demand


def _to_unit(value: float, unit: str, target: str) -> float:
    if target == "TEU/yr":
        return teu_per_year(value, unit)
    return convert(value, unit, target)


def _capacity(value: Any, unit: Any, target: str) -> float | None:
    """Capacity in ``target``, or None when missing or of another dimension."""
    if value is None or pd.isna(value) or not str(unit):
        return None
    try:
        return _to_unit(float(value), str(unit), target)
    except UnitError:
        return None


def _od_demand(
    net: Network, commodity: str, unit: str, demand: pd.DataFrame | None
) -> dict[tuple[str, str], float]:
    """Demand per (origin id, destination id) in ``unit``, summed over rows."""
    frame = net.demand if demand is None else demand
    if frame is None or frame.empty:
        if demand is None:
            raise CorridorsError(
                f"the network has no demand rows for {commodity}: add a demand table "
                "(demand*.csv) or pass demand="
            )
        return {}
    missing = {"origin", "destination", "amount"} - set(frame.columns)
    if missing:
        raise CorridorsError(f"demand lacks column(s) {', '.join(sorted(missing))}")
    if "commodity" in frame.columns:
        frame = frame[frame["commodity"].astype(str) == commodity]
    if frame.empty and demand is None:
        raise CorridorsError(f"the network has no demand rows for {commodity}")
    out: dict[tuple[str, str], float] = {}
    units = frame["unit"] if "unit" in frame.columns else pd.Series(unit, index=frame.index)
    for o, d, amount, u in zip(
        frame["origin"], frame["destination"], frame["amount"], units, strict=True
    ):
        a, b = resolve(net, str(o)), resolve(net, str(d))
        if a == b:
            raise CorridorsError(f"demand from {o!r} to itself")
        value = float(amount)
        if not value >= 0:
            raise CorridorsError(f"demand {o!r} → {d!r} must be >= 0, got {amount!r}")
        try:
            value = _to_unit(value, str(u or unit), unit)
        except UnitError as exc:
            raise CorridorsError(f"demand {o!r} → {d!r}: {exc}") from None
        out[(a, b)] = out.get((a, b), 0.0) + value
    return {k: v for k, v in out.items() if v > 0}


# ------------------------------------------------------------------------------ model


@dataclass
class _Element:
    id: str
    kind: str
    name: str
    capacity: float
    groups: list[list[int]]  # edge groups; the capacity bounds each group's sum


def _elements(net: Network, g: CompiledGraph, unit: str) -> list[_Element]:
    out: list[_Element] = []
    kind = g.kind
    link_cap = [
        _capacity(v, u, unit)
        for v, u in zip(g.links["capacity"], g.links["capacity_unit"], strict=True)
    ]
    by_link: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind == EdgeKind.LINK):
        by_link.setdefault(int(g.ref[e]), []).append(int(e))
    for i, edges in sorted(by_link.items()):
        cap = link_cap[i]
        if cap is not None:
            name = str(g.links.iloc[i]["name"]) or g.link_ids[i]
            out.append(_Element(g.link_ids[i], "link", name, cap, [[e] for e in edges]))
    by_transfer: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind == EdgeKind.TRANSFER):
        by_transfer.setdefault(int(g.ref[e]), []).append(int(e))
    for ti, edges in sorted(by_transfer.items()):
        tr = g.transfers.iloc[ti]
        cap = _capacity(tr["capacity"], tr["capacity_unit"], unit)
        if cap is not None:
            node = str(net.nodes.at[str(tr["node"]), "name"])
            name = f"{node}: {tr['from_layer']} → {tr['to_layer']}"
            out.append(_Element(str(tr["id"]), "transfer", name, cap, [[e] for e in edges]))
    at_node: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind != EdgeKind.LINK):
        k = int(kind[e])
        where = int(g.vertex_node[g.tail[e]]) if k == EdgeKind.TRANSFER else int(g.ref[e])
        at_node.setdefault(where, []).append(int(e))
    nodes = net.nodes
    for pos, edges in sorted(at_node.items()):
        nid = g.node_ids[pos]
        row = nodes.loc[nid]
        if row["kind"] not in CAPACITY_NODE_KINDS:
            continue
        cap = _capacity(row["capacity"], row["capacity_unit"], unit)
        if cap is None:
            continue
        if row["kind"] == "port":
            edges = [e for e in edges if kind[e] != EdgeKind.DWELL]
        out.append(_Element(nid, "node", str(row["name"]), cap, [edges]))
    return out


@dataclass
class _Block:
    origin: str
    source: int
    dests: list[str]
    sinks: list[int]
    demand: list[float]
    edges: IntArray  # global edge index per column (before the bypass columns)
    offset: int  # first column of the block


def _solve(
    g: CompiledGraph, blocks: list[_Block], elements: list[_Element]
) -> tuple[FloatArray, dict[str, Any]]:
    n_v = g.n_vertices
    cols = sum(len(b.edges) + len(b.dests) for b in blocks)
    c = np.empty(cols)
    rows_i: list[IntArray] = []
    cols_i: list[IntArray] = []
    vals: list[FloatArray] = []
    b_eq = np.zeros(n_v * len(blocks))
    for k, b in enumerate(blocks):
        ne, nd = len(b.edges), len(b.dests)
        col = b.offset + np.arange(ne, dtype=np.int64)
        rows_i += [k * n_v + g.tail[b.edges], k * n_v + g.head[b.edges]]
        cols_i += [col, col]
        vals += [-np.ones(ne), np.ones(ne)]
        c[b.offset : b.offset + ne] = g.weight[b.edges]
        bypass = b.offset + ne + np.arange(nd, dtype=np.int64)
        rows_i += [np.full(nd, k * n_v + b.source, dtype=np.int64), k * n_v + np.array(b.sinks)]
        cols_i += [bypass, bypass]
        vals += [-np.ones(nd), np.ones(nd)]
        c[bypass] = UNSERVED_PENALTY_H
        q = np.array(b.demand) / _SCALE
        b_eq[k * n_v + b.source] -= q.sum()
        np.add.at(b_eq, k * n_v + np.array(b.sinks, dtype=np.int64), q)
    a_eq = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_i))),
        shape=(n_v * len(blocks), cols),
    )
    # column of each global edge in each block (-1: not in the block)
    where = np.full((len(blocks), len(g.tail)), -1, dtype=np.int64)
    for k, b in enumerate(blocks):
        where[k, b.edges] = b.offset + np.arange(len(b.edges))
    ub_rows: list[int] = []
    ub_cols: list[int] = []
    b_ub: list[float] = []
    for el in elements:
        for group in el.groups:
            cs = where[:, group].ravel()
            cs = cs[cs >= 0]
            if not len(cs):
                continue
            ub_rows += [len(b_ub)] * len(cs)
            ub_cols += cs.tolist()
            b_ub.append(el.capacity / _SCALE)
    a_ub = (
        sp.csr_array((np.ones(len(ub_rows)), (ub_rows, ub_cols)), shape=(len(b_ub), cols))
        if b_ub
        else None
    )
    res = _linprog(
        c,
        A_ub=a_ub,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=(0.0, None),
        method="highs-ds",
    )
    if res.status != 0 or res.x is None:
        raise CorridorsError(f"the assignment LP could not be solved: {res.message}")
    info = {
        "status": int(res.status),
        "message": str(res.message),
        "iterations": int(getattr(res, "nit", 0)),
        "objective": float(res.fun) * _SCALE,
        "variables": int(cols),
        "constraints": int(a_eq.shape[0] + len(b_ub)),
    }
    x: FloatArray = np.clip(np.asarray(res.x, dtype=float), 0.0, None) * _SCALE
    return x, info


# ---------------------------------------------------------------------- decomposition


def _decompose(g: CompiledGraph, b: _Block, flow: FloatArray) -> list[tuple[str, list[int], float]]:
    """Path flows ``(destination, edges, volume)`` of one origin's edge flows."""
    out_edges: dict[int, list[int]] = {}
    remaining: dict[int, float] = {}
    for j in np.flatnonzero(flow > _TOL * 1e-3):
        e = int(b.edges[j])
        remaining[e] = float(flow[j])
        out_edges.setdefault(int(g.tail[e]), []).append(e)
    sink_dest = dict(zip(b.sinks, b.dests, strict=True))
    paths: list[tuple[str, list[int], float]] = []

    def live(v: int) -> list[int]:
        return [e for e in out_edges.get(v, []) if remaining[e] > _TOL * 1e-3]

    for _ in range(4 * len(remaining) + 4):
        if sum(remaining[e] for e in live(b.source)) <= _TOL:
            break
        path: list[int] = []
        seen = {b.source: 0}
        v = b.source
        while v not in sink_dest:
            nxt = live(v)
            if not nxt:
                break
            e = max(nxt, key=lambda a: remaining[a])
            path.append(e)
            v = int(g.head[e])
            if v in seen:  # a cycle (solver noise): cancel it and start again
                cycle = path[seen[v] :]
                m = min(remaining[a] for a in cycle)
                for a in cycle:
                    remaining[a] -= m
                path = []
                break
            seen[v] = len(path)
        if not path or v not in sink_dest:
            if not path:
                continue
            for a in path:  # a dead end (noise): drop what leads there
                remaining[a] = 0.0
            continue
        m = min(remaining[a] for a in path)
        for a in path:
            remaining[a] -= m
        if m > _TOL:
            paths.append((sink_dest[v], path, m))
    return paths


@dataclass
class _Path:
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    passages: tuple[str, ...]
    crossings: list[tuple[str, str, str, tuple[str, str]]]  # id, name, kind, (a, b)
    time_h: float


@dataclass
class _Lookup:
    """Plain-Python views of the node and link columns a path description reads."""

    kind: dict[str, str]
    country: dict[str, str]
    name: dict[str, str]
    links: list[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]]

    @classmethod
    def of(cls, net: Network, g: CompiledGraph) -> _Lookup:
        nodes = net.nodes
        cols = ["id", "name", "from", "mode", "countries", "passages"]
        return cls(
            kind=dict(zip(nodes.index, nodes["kind"].astype(str), strict=True)),
            country=dict(zip(nodes.index, nodes["country"].astype(str), strict=True)),
            name=dict(zip(nodes.index, nodes["name"].astype(str), strict=True)),
            links=[
                (str(i), str(n) or str(i), str(f), str(m), tuple(c), tuple(p))
                for i, n, f, m, c, p in g.links[cols].itertuples(index=False, name=None)
            ],
        )


def _describe(look: _Lookup, g: CompiledGraph, edges: list[int], origin: str) -> _Path:
    countries: list[str] = [look.country[origin]]
    modes: list[str] = []
    passages: list[str] = []
    crossings: list[tuple[str, str, str, tuple[str, str]]] = []
    time_h = 0.0

    def gate(node: str, country: str) -> bool:
        return look.kind[node] in CAPACITY_NODE_KINDS and look.country[node] == country

    def at(node: str, pair: tuple[str, str]) -> tuple[str, str, str, tuple[str, str]]:
        return (node, look.name[node], look.kind[node], pair)

    for e in edges:
        time_h += (float(g.time_low[e]) + float(g.time_high[e])) / 2.0
        if int(g.kind[e]) != EdgeKind.LINK:
            continue
        lid, lname, lfrom, mode, lcountries, lpassages = look.links[int(g.ref[e])]
        a = g.node_ids[int(g.vertex_node[g.tail[e]])]
        b = g.node_ids[int(g.vertex_node[g.head[e]])]
        cs = list(lcountries) if a == lfrom else list(reversed(lcountries))
        if not cs:
            cs = [look.country[a], look.country[b]]
        if cs[0] != countries[-1]:  # the tables disagree at a junction: cross at the node
            crossings.append(at(a, (countries[-1], cs[0])))
            countries.append(cs[0])
        last = len(cs) - 2
        for j in range(len(cs) - 1):
            x, y = cs[j], cs[j + 1]
            if x == y:
                continue
            if j == last and gate(b, y):
                crossings.append(at(b, (x, y)))
            elif j == 0 and gate(a, x):
                crossings.append(at(a, (x, y)))
            else:
                crossings.append((lid, lname, "link", (x, y)))
            countries.append(y)
        if not modes or modes[-1] != mode:
            modes.append(mode)
        passages.extend(p for p in lpassages if p not in passages)
    return _Path(
        countries=tuple(countries),
        modes=tuple(dict.fromkeys(modes)),
        passages=tuple(passages),
        crossings=crossings,
        time_h=time_h,
    )


def _signature(p: _Path) -> str:
    text = f"{'–'.join(p.countries)} ({'+'.join(p.modes)})"
    return text + (f" via {', '.join(p.passages)}" if p.passages else "")


def _corridor_mode(p: _Path) -> str:
    if "sea" in p.modes:
        return "sea"
    if "rail" in p.modes:
        return "rail"
    return p.modes[0] if p.modes else "none"


# ----------------------------------------------------------------------------- public


def assign(
    net: Network,
    commodity: str = "container",
    *,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
) -> Assignment:
    """Assign the yearly demand of ``commodity`` to routes under capacities.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id (``container`` by default; capacities and demand in TEU/yr).
    scenario
        Applied to ``net`` first (closures, links opened, overrides).
    demand
        Rows ``origin``, ``destination`` (place names or ids), ``amount`` and optionally
        ``unit`` (default: the commodity's flow unit, ``TEU/yr``) and ``commodity`` (rows
        of other commodities are skipped); ``None``: the network's ``demand`` table.

    Returns
    -------
    Assignment
        Routes with volumes and shares, crossings, transit shares, unserved demand,
        utilisation of capacitated elements.

    Raises
    ------
    CorridorsError
        On an unknown commodity or place, a negative amount or an incompatible unit, no
        demand at all (``demand=None`` and no demand rows), or a solver failure.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import load
    >>> from corridors.io.tables import default_data_dir
    >>> net = load()
    >>> od = pd.DataFrame({"origin": ["Xi'an"], "destination": ["Duisburg"],
    ...                    "amount": [1000.0]})
    >>> a = assign(net, demand=od)
    >>> round(a.assigned_total + a.unserved_total, 6)
    1000.0
    >>> a.routes.iloc[0]["countries"][0], a.routes.iloc[0]["countries"][-1]
    ('CN', 'DE')
    """
    unit = flow_unit(net, commodity)
    work = net if scenario is None or scenario.is_empty() else apply_scenario(net, scenario)
    od = _od_demand(net, commodity, unit, demand)  # places resolve before any closure
    g = compile_graph(work, commodity, Objective.TIME)
    names = net.nodes["name"].astype(str)

    def od_label(o: str, d: str) -> str:
        return f"{names[o]} → {names[d]}"

    # one block (commodity) per origin; ODs off the graph are unserved up front
    terminal = g.kind == EdgeKind.TERMINAL
    inner = np.flatnonzero(~terminal)
    by_origin: dict[str, list[str]] = {}
    no_route: dict[tuple[str, str], float] = {}
    for (o, d), q in od.items():
        if _vertex(g, o, source=True) < 0 or _vertex(g, d, source=False) < 0:
            no_route[(o, d)] = q
        else:
            by_origin.setdefault(o, []).append(d)
    blocks: list[_Block] = []
    offset = 0
    for o, dests in by_origin.items():
        s = int(g.source_vertex[g.node_pos[o]])
        sinks = [int(g.sink_vertex[g.node_pos[d]]) for d in dests]
        ends = np.flatnonzero(terminal & ((g.tail == s) | np.isin(g.head, sinks)))
        edges = np.concatenate([inner, ends]).astype(np.int64)
        blocks.append(_Block(o, s, dests, sinks, [od[(o, d)] for d in dests], edges, offset))
        offset += len(edges) + len(dests)
    elements = _elements(work, g, unit)
    if blocks:
        x, info = _solve(g, blocks, elements)
    else:
        x, info = np.zeros(0), {"status": 0, "message": "nothing to assign", "iterations": 0}

    # served / unserved per OD, edge totals
    unserved_od = dict(no_route)
    edge_flow = np.zeros(len(g.tail))
    raw_paths: list[tuple[str, str, list[int], float]] = []
    for b in blocks:
        ne = len(b.edges)
        flow = x[b.offset : b.offset + ne]
        np.add.at(edge_flow, b.edges, flow)
        for j, d in enumerate(b.dests):
            unserved_od[(b.origin, d)] = min(float(x[b.offset + ne + j]), od[(b.origin, d)])
        raw_paths += [(b.origin, d, p, v) for d, p, v in _decompose(g, b, flow)]

    demand_total = float(sum(od.values()))
    unserved_total = float(sum(unserved_od.values()))
    assigned_total = demand_total - unserved_total
    served_od = {k: od[k] - unserved_od.get(k, 0.0) for k in od}

    # routes
    records: dict[tuple[str, str, str], dict[str, Any]] = {}
    crossing_vol: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
    transit: dict[str, float] = {}
    overland: dict[str, float] = {}
    modes: dict[str, float] = {}
    overland_total = 0.0
    decomposed = sum(v for *_, v in raw_paths) or 1.0
    # shares are of the decomposed volume (equal to the served volume up to solver noise)
    look = _Lookup.of(work, g)
    for o, d, path, v in raw_paths:
        p = _describe(look, g, path, o)
        sig = _signature(p)
        rec = records.setdefault(
            (o, d, sig),
            {
                "origin": o,
                "destination": d,
                "od": od_label(o, d),
                "signature": sig,
                "countries": p.countries,
                "modes": p.modes,
                "passages": p.passages,
                "crossings": [],
                "time": 0.0,
                "volume": 0.0,
            },
        )
        rec["volume"] += v
        rec["time"] += v * p.time_h
        for cid, cname, ckind, pair in p.crossings:
            if cname not in rec["crossings"]:
                rec["crossings"].append(cname)
            crossing_vol.setdefault((cid, tuple(sorted(pair))), [cname, ckind, 0.0])[2] += v
        at_ends = {str(net.nodes.at[o, "country"]), str(net.nodes.at[d, "country"])}
        for c in dict.fromkeys(p.countries):
            if c not in at_ends:
                transit[c] = transit.get(c, 0.0) + v
        cm = _corridor_mode(p)
        modes[cm] = modes.get(cm, 0.0) + v
        if cm != "sea":
            overland_total += v
            for c in dict.fromkeys(p.countries):
                overland[c] = overland.get(c, 0.0) + v
    rows = []
    for rec in records.values():
        pair_od = (rec["origin"], rec["destination"])
        rows.append(
            {
                **{k: rec[k] for k in ("origin", "destination", "od", "signature")},
                "countries": rec["countries"],
                "modes": rec["modes"],
                "passages": rec["passages"],
                "crossings": tuple(rec["crossings"]),
                "time_h": rec["time"] / rec["volume"],
                "volume": rec["volume"],
                "share_of_od": rec["volume"] / od[pair_od],
                "share_of_total": rec["volume"] / decomposed,
            }
        )
    routes = pd.DataFrame(rows, columns=_ROUTE_COLUMNS)
    if len(routes):
        routes = routes.sort_values(["volume", "od", "signature"], ascending=[False, True, True])
        routes = routes.reset_index(drop=True)
    crossings = pd.DataFrame(
        [
            {
                "node": cid,
                "name": cname,
                "kind": ckind,
                "countries": "–".join(pair),
                "volume": vol,
                "share": vol / decomposed,
            }
            for (cid, pair), (cname, ckind, vol) in crossing_vol.items()
        ],
        columns=_CROSSING_COLUMNS,
    )
    if len(crossings):
        crossings = crossings.sort_values(["volume", "node"], ascending=[False, True])
        crossings = crossings.reset_index(drop=True)

    unserved = pd.DataFrame(
        [
            {
                "origin": o,
                "destination": d,
                "od": od_label(o, d),
                "demand": od[(o, d)],
                "unserved": u,
                "share": u / od[(o, d)],
                "reason": _reason(g, o, d, (o, d) in no_route or served_od[(o, d)] > 0),
            }
            for (o, d), u in unserved_od.items()
            if u > _TOL
        ],
        columns=_UNSERVED_COLUMNS,
    )
    util = pd.DataFrame(
        [
            {
                "id": el.id,
                "kind": el.kind,
                "name": el.name,
                "capacity": el.capacity,
                "flow": max(float(edge_flow[grp].sum()) for grp in el.groups),
                "utilisation": (
                    max(float(edge_flow[grp].sum()) for grp in el.groups) / el.capacity
                    if el.capacity > 0
                    else float("nan")
                ),
            }
            for el in elements
        ],
        columns=_UTIL_COLUMNS,
    )
    if len(util):
        util = util.sort_values(["utilisation", "id"], ascending=[False, True]).reset_index(
            drop=True
        )
    total_time = float(edge_flow @ (g.time_low + g.time_high) / 2.0)
    return Assignment(
        commodity=commodity,
        scenario=work.label,
        unit=unit,
        demand_total=demand_total,
        assigned_total=assigned_total,
        unserved_total=unserved_total,
        total_time=total_time,
        routes=routes,
        crossings=crossings,
        transit_share=_shares(transit, decomposed),
        overland_share=_shares(overland, overland_total),
        mode_share=_shares(modes, decomposed),
        unserved=unserved,
        utilisation=util,
        solver=info,
    )


def _shares(volumes: dict[str, float], total: float) -> dict[str, float]:
    if total <= 0:
        return {}
    return {k: v / total for k, v in sorted(volumes.items(), key=lambda kv: (-kv[1], kv[0]))}


def _vertex(g: CompiledGraph, node: str, *, source: bool) -> int:
    """Source (or sink) vertex of a node; -1 when a scenario removed it or no link reaches it."""
    pos = g.node_pos.get(node)
    if pos is None:
        return -1
    return int(g.source_vertex[pos] if source else g.sink_vertex[pos])


def _reason(g: CompiledGraph, o: str, d: str, known: bool) -> str:
    """``capacity`` when some route joins ``o`` to ``d``, else ``no route``."""
    s, t = _vertex(g, o, source=True), _vertex(g, d, source=False)
    if s < 0 or t < 0:
        return "no route"
    if known:
        return "capacity"
    dist = cast(Any, dijkstra)(g.matrix, directed=True, indices=s)
    return "capacity" if np.isfinite(dist[t]) else "no route"


# ------------------------------------------------------------------ published shares


def published_shares(folder: str | Path | None = None) -> pd.DataFrame:
    """Published route and transit shares (``published_shares.csv``) of a dataset folder.

    Parameters
    ----------
    folder
        Dataset folder; ``None``: the embedded default dataset.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``metric``, ``country``, ``share`` (0..1), ``year``, ``source``,
        ``note``; empty when the folder has no such file.

    Examples
    --------
    >>> df = published_shares()
    >>> float(df.set_index("id").loc["kz_trips_gt_2022", "share"])
    0.49
    """
    cols = ["id", "metric", "country", "share", "year", "source", "note"]
    path = Path(folder if folder is not None else default_data_dir()) / "published_shares.csv"
    if not path.is_file():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["share"] = pd.to_numeric(df["share"], errors="coerce")
    return df[cols]


def compare_published(result: Assignment, published: pd.DataFrame) -> pd.DataFrame:
    """Put the model's share beside each published share.

    Metrics: ``overland_country_share`` (:attr:`Assignment.overland_share` of the
    country), ``transit_share`` (:attr:`Assignment.transit_share`), ``rail_modal_share``
    (``mode_share["rail"]``). Other metrics get NaN.

    Returns
    -------
    pandas.DataFrame
        The published rows with a ``model`` column.
    """
    out = published.copy()
    model: list[float] = []
    for metric, country in zip(out["metric"], out["country"], strict=True):
        if metric == "overland_country_share":
            model.append(result.overland_share.get(str(country), 0.0))
        elif metric == "transit_share":
            model.append(result.transit_share.get(str(country), 0.0))
        elif metric == "rail_modal_share":
            model.append(result.mode_share.get("rail", 0.0))
        else:
            model.append(float("nan"))
    out["model"] = model
    return out
