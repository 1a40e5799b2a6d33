"""What a report shows: the results of the analyses it calls, gathered in one object.

:func:`collect` calls the analyses (routing, the time Monte Carlo, flows with their export
summary, flows at the low and high capacities, leverage) for the scenario and for the
network as it is, and keeps their results; the rest of :mod:`corridors.report` only draws
and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.scenario import Scenario
from corridors.results.flow import FlowResult
from corridors.results.leverage import Leverage
from corridors.results.route import Route
from corridors.results.uncertainty import FlowRange, LeverageRange, TimeDistribution

__all__ = ["FlowPair", "ReportData", "RoutePair", "collect"]

#: Commodities whose leverage is measured on routes, not flows (no flow LP for them).
ROUTED = frozenset({"container"})


@dataclass(frozen=True)
class RoutePair:
    """One origin-destination pair: the best route before and under the scenario."""

    origin: str
    destination: str
    before: Route | None
    after: Route | None
    time_before: TimeDistribution | None
    time_after: TimeDistribution | None
    why_none: str = ""


@dataclass(frozen=True)
class FlowPair:
    """One commodity's export flow before and under the scenario, with capacity ranges."""

    commodity: str
    before: FlowResult
    after: FlowResult
    capacity: FlowRange | None


@dataclass(frozen=True)
class ReportData:
    """Everything a report draws (results of analyses, never recomputed by the renderer)."""

    net: Network
    scenario: Scenario | None
    exporter: str
    routes: tuple[RoutePair, ...]
    flows: tuple[FlowPair, ...]
    leverage: tuple[Leverage, ...]
    draws: int
    seed: int
    disruption_sources: tuple[str, ...] = ()
    leverage_ranges: tuple[LeverageRange, ...] = ()
    notes: list[str] = field(default_factory=list)

    def results_json(self) -> dict[str, object]:
        """The results behind the page as JSON (``as_dict()`` of each)."""
        return {
            "scenario": None if self.scenario is None else self.scenario.name,
            "exporter": self.exporter,
            "times": [
                {
                    "origin": p.origin,
                    "destination": p.destination,
                    "before": None if p.time_before is None else p.time_before.as_dict(),
                    "after": None if p.time_after is None else p.time_after.as_dict(),
                }
                for p in self.routes
            ],
            "flow_ranges": [f.capacity.as_dict() for f in self.flows if f.capacity is not None],
            "leverage": [lev.as_dict() for lev in self.leverage],
            "leverage_ranges": [r.as_dict() for r in self.leverage_ranges],
        }


def _pairs(net: Network) -> tuple[tuple[str, str], ...]:
    d = net.defaults
    if d is not None and d.compare is not None and d.compare.pairs:
        return tuple(d.compare.pairs)
    if d is not None and d.demo is not None:
        return tuple(d.demo.pairs)
    return ()


def exporter_commodities(net: Network, exporter: str) -> tuple[str, ...]:
    """Commodities with demand rows leaving ``exporter``, in the order of the commodity table.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> exporter_commodities(load(), "KZ")
    ('container', 'crude', 'uranium')
    """
    d = net.demand
    if d.empty:
        return ()
    country = d["origin"].map(net.nodes["country"])
    present = set(d.loc[country == exporter, "commodity"])
    order = [str(c) for c in net.commodities.index]
    return tuple(c for c in order if c in present)


def collect(
    net: Network,
    scenario: Scenario | None,
    *,
    exporter: str = "KZ",
    pairs: tuple[tuple[str, str], ...] | None = None,
    draws: int = 10_000,
    seed: int = 0,
    leverage_ranges: bool = False,
) -> ReportData:
    """Run the analyses a report shows (see the module docstring).

    ``leverage_ranges`` also solves the leverage of each flow commodity with the sourced
    capacity ranges at their low and high ends (two more leverage runs per commodity).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.model.scenario import load_scenario
    >>> r = collect(load(), load_scenario("cpc-suspension-2022"), pairs=(("xian", "hamburg"),))
    >>> [f.commodity for f in r.flows], r.flows[0].after.delivered_total < r.flows[0].before.delivered_total
    (['crude', 'uranium'], True)
    """
    from corridors.analyses.flows.solve import flow
    from corridors.analyses.leverage import leverage
    from corridors.analyses.routing.search import route
    from corridors.analyses.uncertainty import time_distribution
    from corridors.analyses.uncertainty.capacity import (
        capacity_ranges,
        flow_range,
        leverage_range,
    )
    from corridors.model.disruptions import load_disruptions

    events = load_disruptions(net=net)
    notes: list[str] = []
    out_routes: list[RoutePair] = []
    for origin, destination in _pairs(net) if pairs is None else pairs:
        found: list[Route | None] = []
        why = ""
        for s in (None, scenario):
            try:
                found.append(route(net, origin, destination, scenario=s))
            except CorridorsError as exc:
                found.append(None)
                why = str(exc)
        before, after = found
        out_routes.append(
            RoutePair(
                origin=origin,
                destination=destination,
                before=before,
                after=after,
                time_before=None
                if before is None
                else time_distribution(before, events, draws=draws, seed=seed),
                time_after=None
                if after is None
                else time_distribution(after, events, draws=draws, seed=seed),
                why_none=why,
            )
        )
    commodities = exporter_commodities(net, exporter)
    if not commodities:
        raise CorridorsError(f"no demand rows leave {exporter!r}: give an exporting country")
    bounds = capacity_ranges(net)
    flows: list[FlowPair] = []
    for c in commodities:
        if c in ROUTED:
            continue
        try:
            before_f = flow(net, c, exporter)
            after_f = before_f if scenario is None else flow(net, c, exporter, scenario=scenario)
            span = flow_range(net, c, exporter, scenario=scenario, bounds=bounds)
        except CorridorsError as exc:
            notes.append(f"flow of {c} from {exporter}: {exc}")
            continue
        flows.append(FlowPair(c, before_f, after_f, span))
    lev: list[Leverage] = []
    for c in commodities:
        try:
            lev.append(leverage(net, c, exporters=[exporter], scenario=scenario))
        except CorridorsError as exc:
            notes.append(f"leverage of {c}: {exc}")
        except KeyError as exc:  # the shortest-path engine on an origin the scenario closes
            notes.append(f"leverage of {c}: not computed (place {exc} is not in the network)")
    spans = tuple(
        leverage_range(net, f.commodity, exporters=[exporter], scenario=scenario, bounds=bounds)
        for f in flows
        if leverage_ranges
    )
    return ReportData(
        net=net,
        scenario=scenario,
        exporter=exporter,
        routes=tuple(out_routes),
        flows=tuple(flows),
        leverage=tuple(lev),
        draws=draws,
        seed=seed,
        disruption_sources=tuple(dict.fromkeys(s for e in events for s in e.sources)),
        leverage_ranges=spans,
        notes=notes,
    )
