"""Read a solved flow LP back into a :class:`~corridors.results.flow.FlowResult`.

Link flows are netted over a ``both`` link's two directions and reported in the direction
of the flow; shadow prices are summed over an element's columns (see
:mod:`corridors.results.flow` for their meaning).
"""

from __future__ import annotations

import numpy as np

from corridors.analyses.flows.cut import connected, element_name, min_cut
from corridors.analyses.flows.ends import Ends
from corridors.analyses.flows.problem import Arc, FlowProblem, FlowSolution
from corridors.analyses.lp import FloatArray
from corridors.model.costs import missing_rate_modes
from corridors.model.geometry import link_line
from corridors.model.network import Network
from corridors.results.flow import (
    Binding,
    FlowResult,
    FlowSink,
    FlowSource,
    LinkFlow,
)

#: Flows below this (in the flow unit) are read as 0.
TOL = 1e-9


def _at_bound(problem: FlowProblem, x: FloatArray) -> np.ndarray:
    u = problem.upper
    return np.isfinite(u) & (x >= u - 1e-6 * np.maximum(1.0, np.where(np.isfinite(u), u, 1.0)))


def _by_ref(problem: FlowProblem, x: FloatArray, kind: Arc) -> dict[str, float]:
    out: dict[str, float] = {}
    for col in np.flatnonzero(problem.kind == kind):
        out[problem.ref[col]] = out.get(problem.ref[col], 0.0) + float(x[col])
    return out


def link_flows(net: Network, problem: FlowProblem, sol: FlowSolution) -> list[LinkFlow]:
    """Links carrying flow, netted over both directions, largest first."""
    g = problem.graph
    net_flow = np.zeros(len(g.link_ids))
    for col in np.flatnonzero(problem.kind == Arc.LINK):
        e = int(problem.edge[col])
        pos = int(g.ref[e])
        forward = int(g.link_edges[pos][0]) == e
        net_flow[pos] += sol.x[col] if forward else -sol.x[col]
    binding = _at_bound(problem, sol.x) | (sol.shadow > 1e-9)
    names = net.nodes["name"]
    rows: list[LinkFlow] = []
    for where in np.flatnonzero(np.abs(net_flow) > TOL):
        pos = int(where)
        lid = g.link_ids[pos]
        link = g.links.iloc[pos]
        a, b = str(link["from"]), str(link["to"])
        if net_flow[pos] < 0:
            a, b = b, a
        cols = problem.columns_of(Arc.LINK, lid)
        cap = float(g.capacity[g.link_edges[pos][0]])
        flow = float(abs(net_flow[pos]))
        bound = any(binding[c] for c in cols)
        rows.append(
            LinkFlow(
                id=lid,
                name=str(link["name"]) or lid,
                from_id=a,
                from_name=str(names[a]),
                to_id=b,
                to_name=str(names[b]),
                mode=str(link["mode"]),
                flow=flow,
                capacity=cap if np.isfinite(cap) else None,
                utilisation=flow / cap if np.isfinite(cap) and cap > 0 else None,
                shadow_price=float(sum(sol.shadow[c] for c in cols)) if bound else None,
                coordinates=link_line(net, lid, start=a),
            )
        )
    return sorted(rows, key=lambda r: (-r.flow, r.id))


def bindings(net: Network, problem: FlowProblem, sol: FlowSolution) -> list[Binding]:
    """Every element at its capacity in the flow (or with a positive shadow price)."""
    at = _at_bound(problem, sol.x) | (sol.shadow > 1e-9)
    out: dict[tuple[int, str], Binding] = {}
    for col in np.flatnonzero(at & (problem.kind != Arc.INTERNAL)):
        key = (int(problem.kind[col]), problem.ref[col])
        if key in out:
            continue
        kind, name = element_name(problem, net, int(col))
        price = float(sum(sol.shadow[c] for c in problem.columns_of(Arc(key[0]), key[1])))
        out[key] = Binding(
            id=key[1],
            name=name,
            element=kind,
            capacity=float(problem.upper[col]),
            shadow_price=price,
        )
    return sorted(out.values(), key=lambda b: (-b.shadow_price, -b.capacity, b.id))


def _no_path(net: Network, problem: FlowProblem, ends: Ends, total: float) -> str:
    if total > TOL:
        return ""
    g, names = problem.graph, net.nodes["name"]
    commodity = g.commodity
    off = [n for n in (*ends.sources, *ends.sinks) if int(g.sink_vertex[g.node_pos[n]]) < 0]
    if off:
        listed = ", ".join(f"{names[n]} ({n})" for n in off)
        return f"no operating {commodity} link reaches {listed}"
    if not connected(problem):
        src = ", ".join(str(names[n]) for n in ends.sources)
        snk = ", ".join(str(names[n]) for n in ends.sinks)
        return f"no path of operating {commodity} links joins {src} to {snk}"
    return ""


def read_result(
    net: Network, problem: FlowProblem, ends: Ends, sol: FlowSolution, mode: str
) -> FlowResult:
    """The flow result of ``sol`` (see the module docstring)."""
    nodes = net.nodes
    shipped = _by_ref(problem, sol.x, Arc.SUPPLY)
    received = _by_ref(problem, sol.x, Arc.INTAKE)
    sinks = [
        FlowSink(
            id=m,
            name=str(nodes.at[m, "name"]),
            country=str(nodes.at[m, "country"]),
            delivered=received.get(m, 0.0),
            demand=ends.demand.get(m, 0.0) if ends.demand else None,
            unserved=max(0.0, ends.demand.get(m, 0.0) - received.get(m, 0.0))
            if ends.demand
            else None,
        )
        for m in ends.sinks
    ]
    sources = [
        FlowSource(
            id=s,
            name=str(nodes.at[s, "name"]),
            country=str(nodes.at[s, "country"]),
            shipped=shipped.get(s, 0.0),
            supply=ends.supply[s] if np.isfinite(ends.supply[s]) else None,
            unused=max(0.0, ends.supply[s] - shipped.get(s, 0.0))
            if np.isfinite(ends.supply[s])
            else None,
        )
        for s in ends.sources
    ]
    links = link_flows(net, problem, sol)
    g = problem.graph
    note = ""
    if problem.cost_basis == "km":
        modes = missing_rate_modes(g.links, g.link_cost)
        note = (
            f"no {g.commodity} cost per km in mode_costs (and no tariff) for mode(s) "
            f"{', '.join(modes)}: every link is priced by its length (km)"
        )
    return FlowResult(
        commodity=g.commodity,
        mode=mode,
        scenario=net.label,
        unit=g.unit,
        delivered_total=float(sum(received.values())),
        sinks=sorted(sinks, key=lambda r: (-r.delivered, r.id)),
        sources=sorted(sources, key=lambda r: (-r.shipped, r.id)),
        links=links,
        min_cut=min_cut(problem, net, sol.x_max, sol.shadow),
        binding=bindings(net, problem, sol),
        uncapacitated=sorted(r.id for r in links if r.capacity is None),
        total_cost=float(problem.cost @ sol.x),
        cost_basis=problem.cost_basis,
        cost_note=note,
        no_path=_no_path(net, problem, ends, sol.total),
    )
