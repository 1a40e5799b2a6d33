"""Build and solve the flow LP (see :mod:`corridors.analyses.flows.solve` for the model).

:func:`build_model` lays out the arcs (links, transfers, a supply arc per source and an
intake arc per sink, joined to a super source and sink) with their bounds and costs;
:func:`solve_model` solves one objective over them; :func:`link_table` nets each link's
two directions into the table of link flows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from corridors.analyses.lp import FloatArray, IntArray, capacity_in, incidence, solve_lp
from corridors.errors import CorridorsError
from corridors.model.network import Network

INF = float("inf")


class Arc(IntEnum):
    """What an arc of the flow LP stands for."""

    LINK = 0
    TRANSFER = 1
    SUPPLY = 2
    INTAKE = 3
    INTERNAL = 4


@dataclass
class FlowModel:
    """The arcs of the flow LP, one entry per arc in each array, and the links they use."""

    vertices: dict[tuple[str, str], int]
    tail: IntArray  # -1: super source
    head: IntArray  # -1: super sink
    ub: FloatArray
    cost: FloatArray
    tidy: FloatArray
    kind: IntArray
    ref: list[str]
    link_pos: list[int]  # for LINK arcs: row of the link in `links`, else -1
    reversed_: list[bool]
    links: pd.DataFrame
    link_cap: FloatArray
    link_capped: npt.NDArray[np.bool_]
    cost_basis: str


def bound(value: Any, unit: Any, target: str) -> float:
    """A capacity in ``target`` as an arc bound: inf when missing or of another dimension."""
    cap = capacity_in(value, unit, target)
    return INF if cap is None else cap


def link_costs(net: Network, links: pd.DataFrame, commodity: str) -> tuple[FloatArray, str]:
    """Cost per unit of flow on each link, and its basis (``USD/unit`` or ``km``)."""
    rates = net.mode_costs[net.mode_costs["commodity"] == commodity].set_index("mode")
    length = links["length_km"].to_numpy(dtype=float)
    if rates.empty:
        return length.copy(), "km"
    per_km = links["mode"].map(rates["cost_usd_per_km"]).astype(float).to_numpy()
    per_km = np.where(np.isnan(per_km), float(rates["cost_usd_per_km"].max()), per_km)
    own = links["cost_usd"].to_numpy(dtype=float)
    cost = np.where(np.isnan(own), length * per_km, own) * links["cost_scale"].to_numpy(dtype=float)
    return np.asarray(cost, dtype=float), "USD/unit"


def build_model(
    net: Network,
    links: pd.DataFrame,
    commodity: str,
    unit: str,
    sources: list[str],
    sinks: list[str],
    demand: dict[str, float],
) -> FlowModel:
    """Lay out the arcs of the flow LP over ``links`` from ``sources`` to ``sinks``."""
    vertices: dict[tuple[str, str], int] = {}

    def vertex(node: str, layer: str) -> int:
        return vertices.setdefault((node, layer), len(vertices))

    cols: dict[str, list[Any]] = {
        k: [] for k in ("t", "h", "ub", "c", "tidy", "k", "ref", "pos", "rev")
    }

    def add(
        t: int, h: int, ub: float, c: float, tidy: float, k: Arc, ref: str, pos: int, rev: bool
    ) -> None:
        for key, value in zip(cols, (t, h, ub, c, tidy, int(k), ref, pos, rev), strict=True):
            cols[key].append(value)

    caps = [
        capacity_in(v, u, unit)
        for v, u in zip(links["capacity"], links["capacity_unit"], strict=True)
    ]
    link_cap = np.array([INF if c is None else c for c in caps], dtype=float)
    link_capped = np.array([c is not None for c in caps], dtype=bool)
    cost, basis = link_costs(net, links, commodity)
    for i, (lid, u, v, lay, direction) in enumerate(
        zip(
            links.index, links["from"], links["to"], links["layer"], links["direction"], strict=True
        )
    ):
        a, b = vertex(u, lay), vertex(v, lay)
        add(a, b, link_cap[i], cost[i], 1.0, Arc.LINK, str(lid), i, False)
        if direction == "both":
            add(b, a, link_cap[i], cost[i], 1.0, Arc.LINK, str(lid), i, True)
    for _, tr in net.transfers.iterrows():
        n, x, y = tr["node"], tr["from_layer"], tr["to_layer"]
        cap = bound(tr["capacity"], tr["capacity_unit"], unit)
        c = 0.0 if basis == "km" or pd.isna(tr["cost_usd"]) else float(tr["cost_usd"])
        for p, q in ((x, y), (y, x)) if tr["direction"] == "both" else ((x, y),):
            if (n, p) in vertices and (n, q) in vertices:
                add(
                    vertices[(n, p)],
                    vertices[(n, q)],
                    cap,
                    c,
                    1.0,
                    Arc.TRANSFER,
                    str(tr["id"]),
                    -1,
                    False,
                )
    layers: dict[str, list[int]] = {}
    for (n, _lay), k in list(vertices.items()):
        layers.setdefault(n, []).append(k)
    for s in sources:
        cap = bound(net.nodes.at[s, "capacity"], net.nodes.at[s, "capacity_unit"], unit)
        hub = vertex(s, "<supply>")
        add(-1, hub, cap, 0.0, 0.0, Arc.SUPPLY, s, -1, False)
        for k in layers.get(s, []):
            add(hub, k, INF, 0.0, 0.0, Arc.INTERNAL, s, -1, False)
    for m in sinks:
        cap = bound(net.nodes.at[m, "capacity"], net.nodes.at[m, "capacity_unit"], unit)
        cap = min(cap, demand.get(m, INF))
        hub = vertex(m, "<intake>")
        for k in layers.get(m, []):
            add(k, hub, INF, 0.0, 0.0, Arc.INTERNAL, m, -1, False)
        add(hub, -1, cap, 0.0, 0.0, Arc.INTAKE, m, -1, False)
    return FlowModel(
        vertices=vertices,
        tail=np.asarray(cols["t"], dtype=np.int64),
        head=np.asarray(cols["h"], dtype=np.int64),
        ub=np.asarray(cols["ub"], dtype=float),
        cost=np.asarray(cols["c"], dtype=float),
        tidy=np.asarray(cols["tidy"], dtype=float),
        kind=np.asarray(cols["k"], dtype=np.int64),
        ref=cols["ref"],
        link_pos=cols["pos"],
        reversed_=cols["rev"],
        links=links,
        link_cap=link_cap,
        link_capped=link_capped,
        cost_basis=basis,
    )


def solve_model(model: FlowModel, objective: FloatArray, fix_total: float | None) -> FloatArray:
    """Arc flows minimising ``objective``, delivering at least ``fix_total`` when given.

    A second stage that fixes the total may be infeasible by a rounding hair; the total
    is then relaxed by a relative 1e-9 and solved again.
    """
    n_v = len(model.vertices)
    a_eq = incidence(model.tail, model.head, n_v)
    bounds = [(0.0, None if not np.isfinite(u) else float(u)) for u in model.ub]
    intake = (model.kind == Arc.INTAKE).astype(float)
    a_ub = sp.csr_array(-intake.reshape(1, -1)) if fix_total is not None else None

    def at_least(total: float | None) -> Any:
        b_ub = None if total is None else np.array([-total])
        return solve_lp(
            objective, a_eq=a_eq, b_eq=np.zeros(n_v), bounds=bounds, a_ub=a_ub, b_ub=b_ub
        )

    res = at_least(fix_total)
    if res.status == 2 and fix_total is not None:
        res = at_least(fix_total - 1e-9 * max(1.0, fix_total))
    if res.status != 0 or res.x is None:
        raise CorridorsError(f"the flow LP could not be solved: {res.message}")
    x: FloatArray = np.clip(np.asarray(res.x, dtype=float), 0.0, None)
    return x


def link_table(model: FlowModel, x: FloatArray) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Links carrying flow, netted over both directions, and those without a capacity.

    The table is :attr:`corridors.analyses.flows.solve.FlowResult.links`; the ids are of links
    carrying flow without a capacity in the flow's unit.
    """
    links = model.links
    net_flow = np.zeros(len(links))
    for e in np.flatnonzero(model.kind == Arc.LINK):
        pos = model.link_pos[e]
        net_flow[pos] += -x[e] if model.reversed_[e] else x[e]
    keep = np.abs(net_flow) > 1e-9
    flow = np.abs(net_flow[keep])
    back = net_flow[keep] < 0
    sub = links[keep]
    cap = np.where(model.link_capped[keep], model.link_cap[keep], np.nan)
    table = pd.DataFrame(
        {
            "id": sub.index.astype(str),
            "name": sub["name"].astype(str).to_numpy(),
            "from": np.where(back, sub["to"], sub["from"]),
            "to": np.where(back, sub["from"], sub["to"]),
            "mode": sub["mode"].astype(str).to_numpy(),
            "flow": flow,
            "capacity": cap,
            "utilisation": flow / cap,
        }
    )
    table = table.sort_values(["flow", "id"], ascending=[False, True]).reset_index(drop=True)
    unbounded = tuple(sorted(str(i) for i in sub.index[~model.link_capped[keep]]))
    return table, unbounded
