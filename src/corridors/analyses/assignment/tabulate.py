"""Decompose the assignment LP's edge flows into routes, and tabulate the results.

See :mod:`corridors.analyses.assignment.solve` for the definitions: flow decomposition into
paths, route signatures, border crossings, transit and overland shares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from corridors.analyses.assignment.lp import (
    CAPACITY_NODE_KINDS,
    Block,
    Element,
    OdKey,
    reachable,
)
from corridors.analyses.lp import FloatArray
from corridors.model.graph import CompiledGraph, EdgeKind
from corridors.model.network import Network
from corridors.results.assignment import AssignedRoute, Crossing, UnservedDemand, Utilisation

#: Path flows below this (TEU/yr) are solver noise, not routes.
TOL = 1.0e-3

# ---------------------------------------------------------------------- decomposition


def decompose(g: CompiledGraph, b: Block, flow: FloatArray) -> list[tuple[str, list[int], float]]:
    """Path flows ``(destination, edges, volume)`` of one origin's edge flows."""
    out_edges: dict[int, list[int]] = {}
    remaining: dict[int, float] = {}
    for j in np.flatnonzero(flow > TOL * 1e-3):
        e = int(b.edges[j])
        remaining[e] = float(flow[j])
        out_edges.setdefault(int(g.tail[e]), []).append(e)
    sink_dest = dict(zip(b.sinks, b.dests, strict=True))
    paths: list[tuple[str, list[int], float]] = []

    def live(v: int) -> list[int]:
        return [e for e in out_edges.get(v, []) if remaining[e] > TOL * 1e-3]

    for _ in range(4 * len(remaining) + 4):
        if sum(remaining[e] for e in live(b.source)) <= TOL:
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
        if m > TOL:
            paths.append((sink_dest[v], path, m))
    return paths


@dataclass
class RoutePath:
    """What a path passes: countries in order, modes, sea passages, crossings, hours."""

    countries: tuple[str, ...]
    modes: tuple[str, ...]
    passages: tuple[str, ...]
    crossings: list[tuple[str, str, str, tuple[str, str]]]  # id, name, kind, (a, b)
    time_h: float


@dataclass
class Lookup:
    """Plain-Python views of the node and link columns a path description reads."""

    kind: dict[str, str]
    country: dict[str, str]
    name: dict[str, str]
    links: list[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]]

    @classmethod
    def of(cls, net: Network, g: CompiledGraph) -> Lookup:
        """The lookup for ``net`` and its compiled graph ``g``."""
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


def describe(look: Lookup, g: CompiledGraph, edges: list[int], origin: str) -> RoutePath:
    """Countries, modes, passages, border crossings and mean hours of a path of edges."""
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
    return RoutePath(
        countries=tuple(countries),
        modes=tuple(dict.fromkeys(modes)),
        passages=tuple(passages),
        crossings=crossings,
        time_h=time_h,
    )


def signature(p: RoutePath) -> str:
    """``CN–KZ–RU (rail) via suez``: countries, modes and passages of a route."""
    text = f"{'–'.join(p.countries)} ({'+'.join(p.modes)})"
    return text + (f" via {', '.join(p.passages)}" if p.passages else "")


def corridor_mode(p: RoutePath) -> str:
    """``sea`` for a route with a sea leg, else ``rail`` for one with rail, else its mode."""
    if "sea" in p.modes:
        return "sea"
    if "rail" in p.modes:
        return "rail"
    return p.modes[0] if p.modes else "none"


# ------------------------------------------------------------------------ tabulate


def shares(volumes: dict[str, float], total: float) -> dict[str, float]:
    """Volumes as shares of ``total``, largest first."""
    if total <= 0:
        return {}
    return {k: v / total for k, v in sorted(volumes.items(), key=lambda kv: (-kv[1], kv[0]))}


def _reason(
    g: CompiledGraph, blocks: dict[tuple[str, str, tuple[str, ...]], Block], key: OdKey, known: bool
) -> Literal["capacity", "no route"]:
    """``capacity`` when some route (on the OD's modes) joins its ends, else ``no route``."""
    if known:
        return "capacity"
    o, d, modes = key
    b = blocks.get((o, d, modes))
    if b is None:
        return "no route"
    return "capacity" if reachable(g, b.edges, b.source, b.sinks[b.dests.index(d)]) else "no route"


@dataclass
class _Tally:
    """Volumes of the decomposed paths, summed by route, crossing, country and mode."""

    routes: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    crossings: dict[tuple[str, tuple[str, ...]], list[Any]] = field(default_factory=dict)
    transit: dict[str, float] = field(default_factory=dict)
    overland: dict[str, float] = field(default_factory=dict)
    modes: dict[str, float] = field(default_factory=dict)
    overland_total: float = 0.0

    def add(
        self,
        net: Network,
        o: str,
        d: str,
        p: RoutePath,
        v: float,
        overland_pairs: set[tuple[str, str]] | None,
    ) -> None:
        """Count ``v`` on the path ``p`` from ``o`` to ``d``."""
        sig = signature(p)
        rec = self.routes.setdefault(
            (o, d, sig), {"path": p, "signature": sig, "crossings": {}, "time": 0.0, "volume": 0.0}
        )
        rec["volume"] += v
        rec["time"] += v * p.time_h
        for cid, cname, ckind, pair in p.crossings:
            rec["crossings"].setdefault(cid, cname)
            self.crossings.setdefault((cid, tuple(sorted(pair))), [cname, ckind, 0.0])[2] += v
        at_ends = {str(net.nodes.at[o, "country"]), str(net.nodes.at[d, "country"])}
        for c in dict.fromkeys(p.countries):
            if c not in at_ends:
                self.transit[c] = self.transit.get(c, 0.0) + v
        cm = corridor_mode(p)
        self.modes[cm] = self.modes.get(cm, 0.0) + v
        if cm != "sea" and (overland_pairs is None or (o, d) in overland_pairs):
            self.overland_total += v
            for c in dict.fromkeys(p.countries):
                self.overland[c] = self.overland.get(c, 0.0) + v


def _route_rows(
    tally: _Tally, names: Callable[[str], str], od_pair: dict[tuple[str, str], float], total: float
) -> tuple[AssignedRoute, ...]:
    rows = [
        AssignedRoute(
            origin=o,
            origin_name=names(o),
            destination=d,
            destination_name=names(d),
            od=f"{names(o)} → {names(d)}",
            signature=sig,
            countries=rec["path"].countries,
            modes=rec["path"].modes,
            passages=rec["path"].passages,
            crossing_ids=tuple(rec["crossings"]),
            crossings=tuple(rec["crossings"].values()),
            time_h=rec["time"] / rec["volume"],
            volume=rec["volume"],
            share_of_od=rec["volume"] / od_pair[(o, d)],
            share_of_total=rec["volume"] / total,
        )
        for (o, d, sig), rec in tally.routes.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.volume, r.od, r.signature)))


def _crossing_rows(tally: _Tally, total: float) -> tuple[Crossing, ...]:
    rows = [
        Crossing(
            node=cid,
            name=cname,
            kind=ckind,
            countries="–".join(pair),
            volume=vol,
            share=vol / total,
        )
        for (cid, pair), (cname, ckind, vol) in tally.crossings.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.volume, r.node)))


def _unserved_rows(
    g: CompiledGraph,
    od: dict[OdKey, float],
    off_graph: dict[OdKey, float],
    unserved_od: dict[OdKey, float],
    block_of: dict[OdKey, Block],
    names: Callable[[str], str],
) -> tuple[UnservedDemand, ...]:
    out = []
    for key, u in unserved_od.items():
        if u <= TOL:
            continue
        o, d, modes_of = key
        served = od[key] - u
        out.append(
            UnservedDemand(
                origin=o,
                destination=d,
                od=f"{names(o)} → {names(d)}",
                modes=modes_of,
                demand=od[key],
                unserved=u,
                share=u / od[key],
                reason=_reason(g, block_of, key, key not in off_graph and served > 0),
            )
        )
    return tuple(out)


def _utilisation_rows(elements: list[Element], edge_flow: FloatArray) -> tuple[Utilisation, ...]:
    rows = []
    for el in elements:
        f = max(float(edge_flow[grp].sum()) for grp in el.groups)
        rows.append(
            Utilisation(
                id=el.id,
                kind=el.kind,
                name=el.name,
                capacity=el.capacity,
                flow=f,
                utilisation=f / el.capacity if el.capacity > 0 else None,
                shadow_price_h=el.shadow_price_h,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.utilisation is None, -(r.utilisation or 0.0), r.id)))


def tabulate(
    net: Network,
    work: Network,
    g: CompiledGraph,
    od: dict[OdKey, float],
    blocks: list[Block],
    off_graph: dict[OdKey, float],
    x: FloatArray,
    elements: list[Element],
    overland_pairs: set[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Routes, crossings, shares, unserved demand and utilisation from the LP solution.

    ``overland_pairs``, when given, limits the overland shares to those (origin,
    destination) node pairs.

    Returns the keyword arguments of :class:`corridors.results.assignment.Assignment`
    other than ``commodity``, ``scenario``, ``unit``, ``published`` and ``solver``.
    """
    node_names = net.nodes["name"].astype(str)

    def names(node: str) -> str:
        return str(node_names[node])

    unserved_od = dict(off_graph)
    edge_flow = np.zeros(len(g.tail))
    raw_paths: list[tuple[str, str, list[int], float]] = []
    block_of: dict[OdKey, Block] = {}
    for b in blocks:
        ne = len(b.edges)
        flow = x[b.offset : b.offset + ne]
        np.add.at(edge_flow, b.edges, flow)
        for j, d in enumerate(b.dests):
            key = (b.origin, d, b.modes)
            unserved_od[key] = min(float(x[b.offset + ne + j]), od[key])
            block_of[key] = b
        raw_paths += [(b.origin, d, p, v) for d, p, v in decompose(g, b, flow)]
    demand_total = float(sum(od.values()))
    unserved_total = float(sum(unserved_od.values()))
    od_pair: dict[tuple[str, str], float] = {}
    for (o, d, _), q in od.items():
        od_pair[(o, d)] = od_pair.get((o, d), 0.0) + q
    # shares are of the decomposed volume (equal to the served volume up to solver noise)
    decomposed = sum(v for *_, v in raw_paths) or 1.0
    look = Lookup.of(work, g)
    tally = _Tally()
    for o, d, path, v in raw_paths:
        tally.add(net, o, d, describe(look, g, path, o), v, overland_pairs)
    return {
        "demand_total": demand_total,
        "assigned_total": demand_total - unserved_total,
        "unserved_total": unserved_total,
        "total_time": float(edge_flow @ (g.time_low + g.time_high) / 2.0),
        "routes": _route_rows(tally, names, od_pair, decomposed),
        "crossings": _crossing_rows(tally, decomposed),
        "transit_share": shares(tally.transit, decomposed),
        "overland_share": shares(tally.overland, tally.overland_total),
        "mode_share": shares(tally.modes, decomposed),
        "unserved": _unserved_rows(g, od, off_graph, unserved_od, block_of, names),
        "utilisation": _utilisation_rows(elements, edge_flow),
    }
