"""Capacitated criticality: the flow LP re-solved with each element removed.

The base is the least-cost dispatch of the commodity's demand (the demand table's rows of
the latest year per origin country, from the fields of those countries to the rows'
destinations; :func:`corridors.analyses.flows.solve_flow` in ``mincost`` mode). An
element carrying no flow in the base solution scores zero without a solve: the base flow
stays feasible and optimal without it. Every other element is closed by a scenario and
the LP is solved again; ``lost`` is the fall in delivered volume and ``extra_cost_usd``
the rise in cost per unit still delivered.

Elements are removed warm by default: the flow LP is built once as a highspy model
(:func:`corridors.analyses.flows.solve.flow_problem`), an element (link, node, passage or
country) is closed by setting the upper bound of every column on one of its edges to 0
(:mod:`corridors.analyses.criticality.warm`), the LP is re-solved from the last basis, and
the bounds are restored. ``warm=False`` closes each element by a scenario and rebuilds the
LP (:func:`resolve_without`); the benchmark compares both, and a test checks they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from corridors.analyses.criticality.elements import ElementKind, element_edges
from corridors.analyses.criticality.shortest import Progress
from corridors.analyses.criticality.warm import closed, columns_on
from corridors.analyses.flows.ends import supplies
from corridors.analyses.flows.solve import FlowResult, flow_problem, flow_unit, solve_flow
from corridors.errors import CorridorsError
from corridors.model.costs import usable_links
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario, apply_scenario, compose
from corridors.results.criticality import Criticality, CriticalityRow

__all__ = ["capacitated_criticality", "resolve_without"]

#: Solves the flow again with one element closed: (closing scenario) -> result.
Resolver = Callable[[Scenario], FlowResult]


def _dispatch(net: Network, commodity: str) -> tuple[list[str], dict[str, float]]:
    """Exporting countries and demand per destination (latest year per country)."""
    from corridors.analyses.leverage.compute import exporter_demand

    d = net.demand[net.demand["commodity"] == commodity]
    countries = sorted(set(d["origin"].map(net.nodes["country"]).dropna()))
    want: dict[str, float] = {}
    sources: list[str] = []
    for c in countries:
        rows, _ = exporter_demand(net, commodity, c)
        fields = net.nodes[(net.nodes["kind"] == "field") & (net.nodes["country"] == c)]
        if rows.empty or fields.empty:
            continue
        sources.append(c)
        for dest, amount in rows.groupby("destination")["amount"].sum().items():
            want[str(dest)] = want.get(str(dest), 0.0) + float(amount)
    if not sources:
        raise CorridorsError(f"no {commodity} demand leaves a country with fields")
    return sources, want


def resolve_without(
    net: Network, commodity: str, sources: list[str], want: dict[str, float], scenario: Scenario
) -> FlowResult:
    """The cold path: build and solve the LP again on the network with ``scenario`` applied."""
    work = apply_scenario(net, scenario)
    keep = {s: v for s, v in want.items() if s in work.nodes.index}
    links = usable_links(work, commodity)
    reach = set(links["from"]) | set(links["to"])
    unit = flow_unit(work, commodity)
    fields = work.nodes[work.nodes["kind"] == "field"]
    left = [  # a source country whose fields are closed ships nothing (and is no error)
        c
        for c in sources
        if any(supplies(work, str(f), unit, reach) for f in fields.index[fields["country"] == c])
    ]
    if not left or not keep:
        raise CorridorsError(f"nothing left to ship under {scenario.name}")
    return solve_flow(
        net, commodity, left, list(keep), mode="mincost", demand=keep, scenario=scenario
    )


def _warm_resolver(
    net: Network, commodity: str, sources: list[str], want: dict[str, float], kind: ElementKind
) -> Callable[[str], tuple[float, float] | None]:
    """``element id -> (delivered, cost)`` with the element closed, on one kept highspy model.

    Every column on an edge of the element (:func:`element_edges`: a link's edges, every
    edge at a node's vertices, a passage's or a country's links and nodes) gets an upper
    bound of 0, the LP is re-solved from the last basis, and the bounds are restored. None
    for an element holding no edge of the model's graph (the caller solves it cold).
    """
    problem, _ = flow_problem(net, commodity, sources, list(want), demand=want)
    els = element_edges(net, problem.graph, kind)
    row_of = {e: k for k, e in enumerate(els.ids)}

    def without(element: str) -> tuple[float, float] | None:
        if element not in row_of:
            return None
        with closed(problem, columns_on(problem, els.matrix[row_of[element]].indices)):
            sol = problem.solve("mincost")
        return sol.total, float(problem.cost @ sol.x)

    return without


def _carrying(net: Network, kind: ElementKind, base: FlowResult) -> list[str]:
    ids = [lf.id for lf in base.links]
    links = net.links.loc[ids]
    if kind is ElementKind.LINKS:
        return ids
    if kind is ElementKind.NODES:
        return sorted({lf.from_id for lf in base.links} | {lf.to_id for lf in base.links})
    if kind is ElementKind.PASSAGES:
        return sorted({p for ps in links["passages"] for p in ps})
    if kind is ElementKind.COUNTRIES:
        return sorted({c for cs in links["countries"] for c in cs})
    raise CorridorsError("capacitated criticality removes links, nodes, passages or countries")


def capacitated_criticality(
    net: Network,
    commodity: str = "crude",
    *,
    elements: ElementKind | str = ElementKind.LINKS,
    scenario: Scenario | None = None,
    progress: Progress | None = None,
    warm: bool = True,
) -> Criticality:
    """Rank elements by the flow lost (and cost added) when each is removed.

    ``warm``: close each element by bounds on one kept highspy model and re-solve from
    the last basis, instead of rebuilding the LP for each removal.

    Examples
    --------
    >>> import corridors as cx
    >>> r = capacitated_criticality(cx.load(), "crude", elements="countries")
    >>> ru = next(row for row in r.rows if row.element == "RU")
    >>> ru.rank <= 3, ru.lost > 10
    (True, True)
    """
    kind = ElementKind(elements)
    work = apply_scenario(net, scenario) if scenario is not None else net
    sources, want = _dispatch(work, commodity)
    base = solve_flow(work, commodity, sources, list(want), mode="mincost", demand=want)
    base_cost = base.total_cost or 0.0
    unit_cost = base_cost / base.delivered_total if base.delivered_total > 0 else 0.0
    todo = _carrying(work, kind, base)
    records: list[tuple[str, float, float | None, float]] = []
    without = _warm_resolver(work, commodity, sources, want, kind) if warm else None
    for k, element in enumerate(todo, start=1):
        found = without(element) if without is not None else None
        if found is not None:
            delivered, cost = found
        else:
            closing = Scenario(
                name=f"without {element}", close=Closures.model_validate({kind.value: (element,)})
            )
            try:
                after = resolve_without(work, commodity, sources, want, compose([closing]))
                delivered, cost = after.delivered_total, after.total_cost or 0.0
            except CorridorsError:
                delivered, cost = 0.0, 0.0
        lost = max(0.0, base.delivered_total - delivered)
        extra = cost / delivered - unit_cost if delivered > 0 else None
        records.append((element, lost, extra, delivered))
        if progress is not None:
            progress(k, len(todo))
    total = float(sum(want.values()))
    records.sort(key=lambda r: (-r[1], r[2] is None, -(r[2] or 0.0)))
    names = _names(work, kind)
    rows = tuple(
        CriticalityRow(
            element=element,
            kind=kind.value,
            name=names.get(element, element),
            countries=_countries(work, kind, element),
            lost=lost,
            lost_share=lost / total if total > 0 else 0.0,
            rerouted=0.0,
            extra_time_h=None,
            extra_cost_usd=extra,
            extra_cost_usd_year=0.0 if extra is None else extra * delivered,
            disconnected_pairs=0,
            rank=rank,
        )
        for rank, (element, lost, extra, delivered) in enumerate(records, start=1)
    )
    return Criticality(
        commodity=commodity,
        unit=flow_unit(work, commodity),
        engine="capacitated",
        elements=kind.value,
        scenario=work.label,
        demand_total=total,
        pairs=len(want),
        rows=rows,
    )


def _names(net: Network, kind: ElementKind) -> dict[str, str]:
    if kind is ElementKind.LINKS:
        return {str(i): str(n) for i, n in zip(net.links.index, net.links["name"], strict=True)}
    if kind is ElementKind.NODES:
        return {str(i): str(n) for i, n in zip(net.nodes.index, net.nodes["name"], strict=True)}
    return {}


def _countries(net: Network, kind: ElementKind, element: str) -> tuple[str, ...]:
    if kind is ElementKind.LINKS:
        return tuple(cast(tuple[str, ...], net.links.at[element, "countries"]))
    if kind is ElementKind.NODES:
        return (str(net.nodes.at[element, "country"]),)
    if kind is ElementKind.COUNTRIES:
        return (element,)
    return ()
