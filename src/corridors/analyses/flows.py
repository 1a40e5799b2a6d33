"""Capacity-aware flows of crude and gas: maximum flow, least-cost flow and the min cut.

The flow problem is a linear programme over link flows, solved by HiGHS
(``scipy.optimize.linprog(method="highs-ds")``, dual simplex, so solutions are basic and
flows on a network matrix are exact).

Network the LP runs on
----------------------
The same layered view as routing (:mod:`corridors.model.graph`): one vertex per
``(node, layer)`` that a usable link touches. A load changes layer at a node only where
the ``transfers`` table offers it (crude from ``oil_pipeline`` to ``tanker`` at a terminal,
tank cars to tankers at Aktau), and a transfer's capacity bounds it. Plain node-based
conservation was rejected: it would let crude skip the loading capacities the energy
data records at Aktau, Batumi, Kulevi and the CPC terminal.

- **Which links**: operating links whose mode carries the commodity
  (:func:`corridors.model.graph.usable_links`), except that a link of a mode shared with
  other commodities (``rail``, ``sea`` for crude) is used only where its ``commodities``
  column names the commodity explicitly (the crude-by-rail lines). A container railway
  or a container sea lane has a capacity in TEU or none at all; letting crude onto it
  would send unbounded crude round the container network (see :func:`flow_links`).
- **Links**: one flow variable per usable direction (forward only for ``direction =
  forward``), bounded by the link's capacity converted to the commodity's unit with
  :func:`corridors.units.convert`. A ``both`` link has two variables, each bounded by the
  capacity (the max-flow value is the same as with a shared bound; reported flows are
  netted). A link with no capacity, or a capacity in a unit of another dimension (a rail
  line's TEU/yr for crude), is unbounded; those that carry flow are listed in
  :attr:`FlowResult.uncapacitated`.
- **Sources**: a supply variable per source field, bounded by the field's capacity; it
  may enter any layer present at the field. A field without a capacity supplies without
  bound (limited by the links leaving it).
- **Sinks**: an intake variable per sink, bounded by the node's capacity (where given in
  a compatible unit) and by the demand (where given); it drains every layer at the node.
- **Other nodes**: flow is conserved at every vertex. Capacities of intermediate nodes
  (a terminal's handling capacity) are not applied; the transfers carry them.

Objectives
----------
``max``: maximise the total delivered; then, with the total fixed, minimise the number
of link and transfer flow units (removes circulations and detours). ``mincost``:
maximise the total delivered; then, with the total fixed, minimise the cost (lexicographic).
The cost of a link is its own ``cost_usd`` or its length times the mode's rate in
``mode_costs`` (times any scenario ``cost_scale``); a link whose mode has no rate for the
commodity is priced at its length times the highest rate of the commodity; where the
commodity has no rate at all, every link costs its length in km. Transfers add their
``cost_usd`` (USD basis only).

The min cut is read from the residual network of the max-flow solution: the vertices
reachable from the super source, and the saturated arcs leaving them (links, transfers,
a source's supply limit, a sink's intake limit). Its capacity equals the maximum flow.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog as _scipy_linprog

from corridors.analyses.routing import resolve
from corridors.errors import CorridorsError
from corridors.model.graph import usable_links
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.model.validate import is_country
from corridors.units import KNOWN_UNITS, UnitError, convert

__all__ = [
    "CutElement",
    "FlowResult",
    "flow_links",
    "flow_unit",
    "max_flow",
    "min_cost_flow",
    "solve_flow",
]

FlowMode = Literal["max", "mincost"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_INF = float("inf")
#: scipy-stubs reject sparse constraint matrices, which linprog accepts with HiGHS.
_linprog = cast("Callable[..., Any]", _scipy_linprog)


class _Arc(IntEnum):
    LINK = 0
    TRANSFER = 1
    SUPPLY = 2
    INTAKE = 3
    INTERNAL = 4


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
        return {"id": self.id, "name": self.name, "kind": self.kind, "capacity": _r(self.capacity)}


@dataclass(frozen=True, eq=False)
class FlowResult:
    """The result of a flow solve.

    Attributes
    ----------
    commodity, mode, scenario
        What was solved, how, and on which network (its label).
    unit
        Unit of every volume (``Mt/yr`` for crude, ``bcm/yr`` for gas).
    delivered_total
        Total delivered to the sinks.
    by_sink, by_source
        Volume delivered to each sink and shipped from each source, by node name.
    links
        Links carrying flow: ``id``, ``name``, ``from``, ``to`` (in the direction of the
        flow), ``mode``, ``flow`` (> 0), ``capacity`` (NaN when unbounded),
        ``utilisation`` (flow / capacity, NaN when unbounded); largest flow first.
    min_cut
        The saturated elements separating sources from sinks; their capacities add up
        to ``delivered_total``.
    unserved
        ``{"sinks": {name: demand not met}, "sources": {name: supply not shipped}}``;
        sinks only when a demand is given, sources only when their supply is bounded.
    uncapacitated
        Ids of links carrying flow that have no capacity in the commodity's unit.
    total_cost
        Cost of the flow in ``cost_basis`` units times volume.
    cost_basis
        ``USD/unit`` (link and transfer costs) or ``km`` (lengths).
    """

    commodity: str
    mode: str
    scenario: str
    unit: str
    delivered_total: float
    by_sink: dict[str, float]
    by_source: dict[str, float]
    links: pd.DataFrame
    min_cut: tuple[CutElement, ...]
    unserved: dict[str, dict[str, float]]
    uncapacitated: tuple[str, ...] = ()
    total_cost: float = 0.0
    cost_basis: str = "km"
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (volumes rounded to 6 decimals)."""
        links = [
            {
                "id": row["id"],
                "name": row["name"],
                "from": row["from"],
                "to": row["to"],
                "flow": _r(row["flow"]),
                "capacity": None if np.isnan(row["capacity"]) else _r(row["capacity"]),
                "utilisation": None if np.isnan(row["utilisation"]) else _r(row["utilisation"]),
            }
            for _, row in self.links.iterrows()
        ]
        return {
            "commodity": self.commodity,
            "mode": self.mode,
            "scenario": self.scenario,
            "unit": self.unit,
            "delivered_total": _r(self.delivered_total),
            "by_sink": {k: _r(v) for k, v in self.by_sink.items()},
            "by_source": {k: _r(v) for k, v in self.by_source.items()},
            "links": links,
            "min_cut": [c.as_dict() for c in self.min_cut],
            "unserved": {k: {n: _r(v) for n, v in d.items()} for k, d in self.unserved.items()},
            "uncapacitated": list(self.uncapacitated),
            "total_cost": _r(self.total_cost),
            "cost_basis": self.cost_basis,
        }


def _name(net: Network, node: object) -> str:
    return str(net.nodes.at[str(node), "name"])


def _r(value: float) -> float:
    return round(float(value), 6)


# ----------------------------------------------------------------------------- units


def flow_unit(net: Network, commodity: str) -> str:
    """Return the unit flows of ``commodity`` are counted in (``TEU`` becomes ``TEU/yr``).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> flow_unit(net, "crude"), flow_unit(net, "gas"), flow_unit(net, "container")
    ('Mt/yr', 'bcm/yr', 'TEU/yr')
    """
    if commodity not in net.commodities.index:
        known = ", ".join(net.commodities.index)
        raise CorridorsError(f"unknown commodity {commodity!r} (known: {known})")
    unit = str(net.commodities.at[commodity, "unit"])
    if "/" not in unit and f"{unit}/yr" in KNOWN_UNITS:
        return f"{unit}/yr"
    return unit


def flow_links(net: Network, commodity: str) -> pd.DataFrame:
    """Links a flow of ``commodity`` may use (see the module docstring).

    Operating links whose mode carries the commodity; a link whose mode also carries
    other commodities only when its ``commodities`` names this one (crude by rail, the
    Aktau-Alat rail ferry for crude tank cars and uranium, the uranium rail and sea legs).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> links = flow_links(load(), "crude")
    >>> sorted(set(links["mode"]))
    ['ferry', 'oil_pipeline', 'rail', 'tanker']
    >>> shared = links[links["mode"].isin(["rail", "ferry"])]
    >>> bool(shared["commodities"].map(lambda c: "crude" in c).all())
    True
    """
    links = usable_links(net, commodity)
    shared = {
        m
        for c, modes in zip(net.commodities.index, net.commodities["modes"], strict=True)
        if c != commodity
        for m in modes
    }
    keep = ~links["mode"].isin(shared) | links["commodities"].map(lambda cs: commodity in cs)
    return links[keep]


def _capacity(value: Any, unit: Any, target: str) -> tuple[float, bool]:
    """Capacity in ``target`` (inf when missing or of another dimension), and whether usable."""
    if value is None or pd.isna(value):
        return _INF, False
    try:
        return convert(float(value), str(unit), target), True
    except UnitError:
        return _INF, False


# ----------------------------------------------------------------------- resolution


def _as_list(names: str | Sequence[str] | None) -> list[str]:
    if names is None:
        return []
    if isinstance(names, str):
        names = names.split(",")
    return [n.strip() for n in names if n.strip()]


def _country(name: str) -> str | None:
    code = name.strip().upper()
    return code if len(code) == 2 and code.isalpha() and is_country(code) else None


def _supplies(net: Network, node: str, unit: str, in_graph: set[str]) -> bool:
    cap = cast(float, net.nodes.at[node, "capacity"])
    if np.isnan(cap):
        return node in in_graph
    _, ok = _capacity(cap, net.nodes.at[node, "capacity_unit"], unit)
    return ok


def _resolve_sources(
    net: Network, names: list[str], commodity: str, unit: str, in_graph: set[str]
) -> list[str]:
    if not names:
        raise CorridorsError("no sources given: name fields, or a country code such as KZ")
    nodes = net.nodes
    out: list[str] = []
    for name in names:
        code = _country(name)
        if code is not None:
            fields = nodes.index[(nodes["kind"] == "field") & (nodes["country"] == code)]
            ok = [f for f in fields if _supplies(net, f, unit, in_graph)]
            if not ok:
                there = f" (fields there: {', '.join(fields)})" if len(fields) else ""
                raise CorridorsError(
                    f"source {name!r}: no field in {code} supplies {commodity}{there}"
                )
            out.extend(ok)
            continue
        node = resolve(net, name)
        row = nodes.loc[node]
        if row["kind"] != "field":
            raise CorridorsError(
                f"source {name!r} ({row['name']}, a {row['kind']}) has no supply: a source is "
                "a field (kind=field) or a country code"
            )
        cap, cunit = row["capacity"], row["capacity_unit"]
        if not pd.isna(cap):
            value, ok = _capacity(cap, cunit, unit)
            if not ok:
                raise CorridorsError(
                    f"source {name!r} ({row['name']}) supplies {cunit}, not {commodity} ({unit})"
                )
            if value <= 0:
                raise CorridorsError(f"source {name!r} ({row['name']}) has no supply (capacity 0)")
        out.append(node)
    return list(dict.fromkeys(out))


def _resolve_sinks(
    net: Network, names: list[str] | None, commodity: str, in_graph: set[str]
) -> list[str]:
    nodes = net.nodes
    markets = nodes.index[nodes["kind"] == "market"]
    if not names:
        out = [m for m in markets if m in in_graph]
        if not out:
            raise CorridorsError(f"no market node is reached by an operating {commodity} link")
        return out
    found: list[str] = []
    for name in names:
        code = _country(name)
        if code is not None:
            here = [m for m in markets if nodes.at[m, "country"] == code]
            if not here:
                raise CorridorsError(f"sink {name!r}: no market node in {code}")
            # the markets the commodity reaches; if none (all cut off), all of them, with 0
            found.extend([m for m in here if m in in_graph] or here)
            continue
        found.append(resolve(net, name))
    return list(dict.fromkeys(found))


# ----------------------------------------------------------------------------- model


@dataclass
class _Model:
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


def _link_costs(net: Network, links: pd.DataFrame, commodity: str) -> tuple[FloatArray, str]:
    rates = net.mode_costs[net.mode_costs["commodity"] == commodity].set_index("mode")
    length = links["length_km"].to_numpy(dtype=float)
    if rates.empty:
        return length.copy(), "km"
    per_km = links["mode"].map(rates["cost_usd_per_km"]).astype(float).to_numpy()
    per_km = np.where(np.isnan(per_km), float(rates["cost_usd_per_km"].max()), per_km)
    own = links["cost_usd"].to_numpy(dtype=float)
    cost = np.where(np.isnan(own), length * per_km, own) * links["cost_scale"].to_numpy(dtype=float)
    return np.asarray(cost, dtype=float), "USD/unit"


def _build(
    net: Network,
    links: pd.DataFrame,
    commodity: str,
    unit: str,
    sources: list[str],
    sinks: list[str],
    demand: dict[str, float],
) -> _Model:
    vertices: dict[tuple[str, str], int] = {}

    def vertex(node: str, layer: str) -> int:
        return vertices.setdefault((node, layer), len(vertices))

    cols: dict[str, list[Any]] = {
        k: [] for k in ("t", "h", "ub", "c", "tidy", "k", "ref", "pos", "rev")
    }

    def add(
        t: int, h: int, ub: float, c: float, tidy: float, k: _Arc, ref: str, pos: int, rev: bool
    ) -> None:
        for key, value in zip(cols, (t, h, ub, c, tidy, int(k), ref, pos, rev), strict=True):
            cols[key].append(value)

    caps = [
        _capacity(v, u, unit)
        for v, u in zip(links["capacity"], links["capacity_unit"], strict=True)
    ]
    link_cap = np.array([c for c, _ in caps], dtype=float)
    link_capped = np.array([ok for _, ok in caps], dtype=bool)
    cost, basis = _link_costs(net, links, commodity)
    for i, (lid, u, v, lay, direction) in enumerate(
        zip(
            links.index, links["from"], links["to"], links["layer"], links["direction"], strict=True
        )
    ):
        a, b = vertex(u, lay), vertex(v, lay)
        add(a, b, link_cap[i], cost[i], 1.0, _Arc.LINK, str(lid), i, False)
        if direction == "both":
            add(b, a, link_cap[i], cost[i], 1.0, _Arc.LINK, str(lid), i, True)
    for _, tr in net.transfers.iterrows():
        n, x, y = tr["node"], tr["from_layer"], tr["to_layer"]
        cap, _ = _capacity(tr["capacity"], tr["capacity_unit"], unit)
        c = 0.0 if basis == "km" or pd.isna(tr["cost_usd"]) else float(tr["cost_usd"])
        for p, q in ((x, y), (y, x)) if tr["direction"] == "both" else ((x, y),):
            if (n, p) in vertices and (n, q) in vertices:
                add(
                    vertices[(n, p)],
                    vertices[(n, q)],
                    cap,
                    c,
                    1.0,
                    _Arc.TRANSFER,
                    str(tr["id"]),
                    -1,
                    False,
                )
    layers: dict[str, list[int]] = {}
    for (n, _lay), k in list(vertices.items()):
        layers.setdefault(n, []).append(k)
    for s in sources:
        cap, _ = _capacity(net.nodes.at[s, "capacity"], net.nodes.at[s, "capacity_unit"], unit)
        hub = vertex(s, "<supply>")
        add(-1, hub, cap, 0.0, 0.0, _Arc.SUPPLY, s, -1, False)
        for k in layers.get(s, []):
            add(hub, k, _INF, 0.0, 0.0, _Arc.INTERNAL, s, -1, False)
    for m in sinks:
        cap, _ = _capacity(net.nodes.at[m, "capacity"], net.nodes.at[m, "capacity_unit"], unit)
        cap = min(cap, demand.get(m, _INF))
        hub = vertex(m, "<intake>")
        for k in layers.get(m, []):
            add(k, hub, _INF, 0.0, 0.0, _Arc.INTERNAL, m, -1, False)
        add(hub, -1, cap, 0.0, 0.0, _Arc.INTAKE, m, -1, False)
    return _Model(
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


def _unbounded_path(model: _Model, net: Network) -> list[str] | None:
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
                    _label(model, net, a) for a in reversed(path) if model.kind[a] != _Arc.INTERNAL
                ]
            if h not in pred and h < n:
                pred[h] = e
                queue.append(h)
    return None


def _label(model: _Model, net: Network, e: int) -> str:
    kind, ref = model.kind[e], model.ref[e]
    if kind == _Arc.SUPPLY:
        return f"supply of {_name(net, ref)} (no capacity)"
    if kind == _Arc.INTAKE:
        return f"intake of {_name(net, ref)} (no capacity)"
    if kind == _Arc.TRANSFER:
        return f"transfer {ref}"
    return f"link {ref}"


def _solve(model: _Model, objective: FloatArray, fix_total: float | None) -> FloatArray:
    n_v, n_e = len(model.vertices), len(model.ub)
    rows, cols, vals = [], [], []
    for e in range(n_e):
        if model.tail[e] >= 0:
            rows.append(int(model.tail[e]))
            cols.append(e)
            vals.append(-1.0)
        if model.head[e] >= 0:
            rows.append(int(model.head[e]))
            cols.append(e)
            vals.append(1.0)
    a_eq = sp.csr_array((vals, (rows, cols)), shape=(n_v, n_e))
    bounds = [(0.0, None if not np.isfinite(u) else float(u)) for u in model.ub]
    intake = (model.kind == _Arc.INTAKE).astype(float)
    a_ub = b_ub = None
    if fix_total is not None:
        a_ub = sp.csr_array(-intake.reshape(1, -1))
        b_ub = np.array([-fix_total])
    res = _linprog(
        objective,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=np.zeros(n_v),
        bounds=bounds,
        method="highs-ds",
    )
    if res.status == 2 and fix_total is not None:  # infeasible by a rounding hair: relax
        b_ub = np.array([-(fix_total - 1e-9 * max(1.0, fix_total))])
        res = _linprog(
            objective,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=np.zeros(n_v),
            bounds=bounds,
            method="highs-ds",
        )
    if res.status != 0 or res.x is None:
        raise CorridorsError(f"the flow LP could not be solved: {res.message}")
    x: FloatArray = np.clip(np.asarray(res.x, dtype=float), 0.0, None)
    return x


def _min_cut(model: _Model, net: Network, x: FloatArray) -> tuple[CutElement, ...]:
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
        if t not in seen or heads[e] in seen or model.kind[e] == _Arc.INTERNAL:
            continue
        kind, ref = _Arc(int(model.kind[e])), model.ref[e]
        key = (kind.name, ref)
        if key in out:
            continue
        if kind is _Arc.LINK:
            name = str(model.links.at[ref, "name"]) or ref
            elem = CutElement(ref, name, "link", float(model.ub[e]))
        elif kind is _Arc.TRANSFER:
            tr = net.transfers.set_index("id").loc[ref]
            name = f"{_name(net, tr['node'])}: {tr['from_layer']} → {tr['to_layer']}"
            elem = CutElement(ref, name, "transfer", float(model.ub[e]))
        elif kind is _Arc.SUPPLY:
            elem = CutElement(ref, f"supply of {_name(net, ref)}", "supply", float(model.ub[e]))
        else:
            elem = CutElement(ref, f"intake of {_name(net, ref)}", "intake", float(model.ub[e]))
        out[key] = elem
    return tuple(sorted(out.values(), key=lambda c: (-c.capacity, c.id)))


def _link_table(model: _Model, x: FloatArray) -> tuple[pd.DataFrame, tuple[str, ...]]:
    links = model.links
    net_flow = np.zeros(len(links))
    for e in np.flatnonzero(model.kind == _Arc.LINK):
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


# ----------------------------------------------------------------------------- public


def solve_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: FlowMode = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow (and, in ``mincost`` mode, its least-cost routing) from sources to sinks.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id (``crude``, ``gas``); only operating links whose mode carries it
        are used.
    sources
        Field names/ids/aliases, or ISO country codes (every field in the country that
        supplies the commodity); a list or a comma-separated string.
    sinks
        Node names/ids (any kind of node), or ISO country codes (every market node there
        that the commodity's links reach); ``None``: every market node they reach.
    mode
        ``max`` or ``mincost`` (see the module docstring).
    demand
        Volume wanted per sink (name or id), in the commodity's flow unit; bounds each
        sink's intake, and what is not met is reported in ``unserved``.
    scenario
        Applied to ``net`` first.

    Returns
    -------
    FlowResult
        Delivered volumes, link flows, the min cut, unserved demand and supply.

    Raises
    ------
    CorridorsError
        On an unknown commodity, place or mode; a source that is not a field, supplies
        another commodity or has capacity 0; a country without fields (sources) or
        markets (sinks); or a flow without bound (a path with no capacity anywhere,
        named). A source or sink that no usable link reaches is kept and gets 0.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import from_frames
    >>> net = from_frames({
    ...     "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"],
    ...                              "year": [2024]}),
    ...     "commodities": pd.DataFrame({"id": ["gas"], "name": ["Gas"], "unit": ["bcm/yr"],
    ...                                  "modes": ["gas_pipeline"]}),
    ...     "nodes": pd.DataFrame({
    ...         "id": ["f", "m"], "name": ["Field", "Market"], "kind": ["field", "market"],
    ...         "country": ["TM", "CN"], "lat": [38.0, 40.0], "lon": [62.0, 75.0],
    ...         "capacity": [12.0, None], "capacity_unit": ["bcm/yr", ""], "sources": ["s", "s"]}),
    ...     "links": pd.DataFrame({
    ...         "id": ["fm"], "from": ["f"], "to": ["m"], "mode": ["gas_pipeline"],
    ...         "length_km": [1500.0], "capacity": [30.0], "capacity_unit": ["mcm/day"],
    ...         "countries": ["TM;UZ;KZ;CN"], "status": ["operating"], "direction": ["forward"],
    ...         "sources": ["s"]}),
    ... })
    >>> r = solve_flow(net, "gas", "TM", "Market")
    >>> round(r.delivered_total, 3), [c.id for c in r.min_cut]
    (10.95, ['fm'])
    >>> round(r.unserved["sources"]["Field"], 3)
    1.05
    """
    if mode not in ("max", "mincost"):
        raise CorridorsError(f"unknown flow mode {mode!r} (known: max, mincost)")
    unit = flow_unit(net, commodity)
    if scenario is not None:
        net = apply_scenario(net, scenario)
    links = flow_links(net, commodity)
    in_graph = set(links["from"]) | set(links["to"])
    src = _resolve_sources(net, _as_list(sources), commodity, unit, in_graph)
    snk = _resolve_sinks(net, _as_list(sinks) if sinks is not None else None, commodity, in_graph)
    both = sorted(set(src) & set(snk))
    if both:
        raise CorridorsError(f"nodes named as both source and sink: {', '.join(both)}")
    wanted: dict[str, float] = {}
    for name, volume in (demand or {}).items():
        node = resolve(net, name)
        if node not in snk:
            raise CorridorsError(f"demand given for {name!r}, which is not among the sinks")
        if not volume >= 0:
            raise CorridorsError(f"demand for {name!r} must be >= 0, got {volume}")
        wanted[node] = wanted.get(node, 0.0) + float(volume)

    model = _build(net, links, commodity, unit, src, snk, wanted)
    path = _unbounded_path(model, net)
    if path is not None:
        raise CorridorsError(
            f"the {commodity} flow is unbounded: no capacity anywhere on "
            + " → ".join(path)
            + ". Give that path a capacity, or pass a demand."
        )
    intake = model.kind == _Arc.INTAKE
    x_max = _solve(model, -intake.astype(float), None)
    total = float(x_max[intake].sum())
    objective = model.cost if mode == "mincost" else model.tidy
    x = _solve(model, objective, total) if total > 0 else x_max

    names = net.nodes["name"]
    by_sink = {str(names[model.ref[e]]): float(x[e]) for e in np.flatnonzero(intake)}
    supply = model.kind == _Arc.SUPPLY
    by_source = {str(names[model.ref[e]]): float(x[e]) for e in np.flatnonzero(supply)}
    unserved: dict[str, dict[str, float]] = {
        "sinks": {
            str(names[m]): max(0.0, wanted[m] - by_sink[str(names[m])]) for m in snk if m in wanted
        },
        "sources": {
            str(names[model.ref[e]]): max(0.0, float(model.ub[e] - x[e]))
            for e in np.flatnonzero(supply)
            if np.isfinite(model.ub[e])
        },
    }
    table, unbounded = _link_table(model, x)
    return FlowResult(
        commodity=commodity,
        mode=mode,
        scenario=net.label,
        unit=unit,
        delivered_total=float(x[intake].sum()),
        by_sink=by_sink,
        by_source=by_source,
        links=table,
        min_cut=_min_cut(model, net, x_max),
        unserved=unserved,
        uncapacitated=unbounded,
        total_cost=float(model.cost @ x),
        cost_basis=model.cost_basis,
        extra={"sources": src, "sinks": snk},
    )


def max_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow of ``commodity`` from ``sources`` to ``sinks`` (see :func:`solve_flow`).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> r = max_flow(load(), "gas", "AZ", "market_turkey")
    >>> r.unit, r.delivered_total > 0
    ('bcm/yr', True)
    """
    return solve_flow(net, commodity, sources, sinks, mode="max", scenario=scenario)


def min_cost_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Deliver the most possible (up to ``demand``) at least cost (see :func:`solve_flow`)."""
    return solve_flow(
        net, commodity, sources, sinks, mode="mincost", demand=demand, scenario=scenario
    )
