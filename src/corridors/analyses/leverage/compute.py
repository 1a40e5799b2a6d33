"""Compute leverage rows (see :mod:`corridors.analyses.leverage`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from corridors.analyses.criticality.elements import ElementKind, element_edges
from corridors.analyses.criticality.shortest import shortest_path_criticality
from corridors.analyses.criticality.warm import closed, columns_on, decompose, reroute
from corridors.analyses.flows.solve import FlowResult, flow_problem, flow_unit, solve_flow
from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.prices import load_export_partners, load_prices, price_per_flow_unit
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.leverage import Leverage, LeverageAfter, LeverageRow, TradePartner
from corridors.units import convert

__all__ = ["exporter_demand", "leverage"]

#: Commodities measured with the shortest-path engine (the rest with the flow LP).
ROUTED = frozenset({"container"})


@dataclass(frozen=True)
class _Measure:
    crossing: float
    lost: float
    extra_cost: float | None
    rerouted: float = 0.0
    extra_km: float | None = None


def exporter_demand(net: Network, commodity: str, exporter: str) -> tuple[pd.DataFrame, int]:
    """The exporter's demand rows of the latest year: origin, destination, amount (flow unit)."""
    unit = flow_unit(net, commodity)
    d = net.demand
    if d.empty:
        return pd.DataFrame(columns=["origin", "destination", "amount", "modes"]), 0
    country = d["origin"].map(net.nodes["country"])
    rows = d[(d["commodity"] == commodity) & (country == exporter)]
    if rows.empty:
        return pd.DataFrame(columns=["origin", "destination", "amount", "modes"]), 0
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    amount = [
        convert(float(a), str(u), unit) for a, u in zip(rows["amount"], rows["unit"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "origin": rows["origin"].to_numpy(),
            "destination": rows["destination"].to_numpy(),
            "amount": amount,
            "modes": list(rows["modes"]),
        }
    )
    return out, year


def _entering(net: Network, result: FlowResult) -> dict[str, float]:
    """Flow entering each country and not ending there."""
    links = net.links
    volume: dict[str, float] = {}
    for lid, start, flow in ((lf.id, lf.from_id, lf.flow) for lf in result.links):
        countries = tuple(cast(tuple[str, ...], links.at[lid, "countries"]))
        if start != links.at[lid, "from"]:
            countries = countries[::-1]
        for c in set(countries[1:]) - {countries[0]}:
            volume[c] = volume.get(c, 0.0) + float(flow)
    for sink in result.sinks:
        if sink.country in volume:
            volume[sink.country] = max(0.0, volume[sink.country] - sink.delivered)
    return volume


def _flow_measures(
    net: Network, commodity: str, exporter: str, demand: pd.DataFrame, scenario: Scenario | None
) -> dict[str, _Measure]:
    """Close each country the base dispatch touches on one kept LP (warm), and measure."""
    want = {str(k): float(v) for k, v in demand.groupby("destination")["amount"].sum().items()}
    work = apply_scenario(net, scenario) if scenario is not None else net
    base = solve_flow(work, commodity, exporter, list(want), mode="mincost", demand=want)
    entering = _entering(work, base)
    problem, _ = flow_problem(work, commodity, exporter, list(want), demand=want)
    solution = problem.solve("mincost")
    paths = decompose(problem, solution.x)
    countries = element_edges(work, problem.graph, ElementKind.COUNTRIES)
    row_of = {c: k for k, c in enumerate(countries.ids)}
    out: dict[str, _Measure] = {}
    for country in sorted(set(entering) - {exporter}):
        if country not in row_of:
            continue
        shut = columns_on(problem, countries.matrix[row_of[country]].indices)
        with closed(problem, shut):
            after = problem.solve("mincost")
        moved = reroute(problem, paths, solution.x, after.x, shut)
        out[country] = _Measure(
            entering[country], moved.lost, moved.extra_usd, moved.rerouted, moved.extra_km
        )
    return out


def _routed_measures(
    net: Network, commodity: str, exporter: str, demand: pd.DataFrame, scenario: Scenario | None
) -> dict[str, _Measure]:
    r = shortest_path_criticality(
        net, commodity, elements="countries", scenario=scenario, demand=demand, geometry=False
    )
    return {
        row.element: _Measure(row.lost + row.rerouted, row.lost, row.extra_cost_usd, row.rerouted)
        for row in r.rows
        if row.element != exporter and row.lost + row.rerouted > 0
    }


def _measures(
    net: Network, commodity: str, exporter: str, demand: pd.DataFrame, scenario: Scenario | None
) -> dict[str, _Measure]:
    if commodity in ROUTED:
        return _routed_measures(net, commodity, exporter, demand, scenario)
    return _flow_measures(net, commodity, exporter, demand, scenario)


def leverage(
    net: Network,
    commodity: str = "crude",
    *,
    exporters: list[str] | None = None,
    scenario: Scenario | None = None,
    prices: pd.DataFrame | None = None,
    partners: pd.DataFrame | None = None,
) -> Leverage:
    """Leverage of every transit country over every exporter of ``commodity``.

    Parameters
    ----------
    net
        A validated network.
    commodity
        ``crude``, ``gas``, ``uranium`` or ``container``.
    exporters
        ISO codes; default every origin country of the commodity's demand rows.
    scenario
        When given, every row also carries the measures under it (``after``).
    prices, partners
        The prices and export-partner tables (default: the embedded dataset's).

    Examples
    --------
    >>> import corridors as cx
    >>> r = leverage(cx.load(), "crude", exporters=["KZ"])
    >>> ru = next(row for row in r.rows if row.transit == "RU")
    >>> ru.crossing_share > 0.5, ru.lost > 0, ru.value_at_risk_usd > 1e9
    (True, True, True)
    """
    prices = load_prices(sources=net.sources) if prices is None else prices
    partners = load_export_partners(sources=net.sources) if partners is None else partners
    unit = flow_unit(net, commodity)
    if exporters is None:
        d = net.demand[net.demand["commodity"] == commodity]
        exporters = sorted(set(d["origin"].map(net.nodes["country"]).dropna()))
    rows: list[LeverageRow] = []
    for exporter in exporters:
        demand, year = exporter_demand(net, commodity, exporter)
        if demand.empty:
            raise CorridorsError(f"no {commodity} demand rows leave {exporter}")
        price, price_id, price_year = price_per_flow_unit(prices, commodity, year)
        total = float(demand["amount"].sum())
        try:
            before = _measures(net, commodity, exporter, demand, None)
            after = (
                _measures(net, commodity, exporter, demand, scenario)
                if scenario is not None
                else {}
            )
        except CorridorsError:
            if len(exporters) == 1:
                raise
            continue
        for transit in sorted(set(before) | set(after)):
            b = before.get(transit, _Measure(0.0, 0.0, None))
            a = after.get(transit, _Measure(0.0, 0.0, None))
            rows.append(
                LeverageRow(
                    exporter=exporter,
                    transit=transit,
                    commodity=commodity,
                    unit=unit,
                    exports=total,
                    crossing_share=min(1.0, b.crossing / total),
                    lost_share=b.lost / total,
                    lost=b.lost,
                    extra_cost_per_unit=b.extra_cost,
                    rerouted=b.rerouted,
                    extra_km_per_unit=b.extra_km,
                    value_at_risk_usd=b.lost * price,
                    price_id=price_id,
                    price_year=price_year,
                    after=None
                    if scenario is None
                    else LeverageAfter(
                        exports=total,
                        crossing_share=min(1.0, a.crossing / total),
                        lost_share=a.lost / total,
                        lost=a.lost,
                        extra_cost_per_unit=a.extra_cost,
                        rerouted=a.rerouted,
                        extra_km_per_unit=a.extra_km,
                        value_at_risk_usd=a.lost * price,
                    ),
                )
            )
    rows.sort(key=lambda r: (-r.value_at_risk_usd, -r.crossing_share, r.exporter, r.transit))
    trade = tuple(
        TradePartner(
            exporter=str(p["exporter"]),
            partner=str(p["partner"]),
            share=float(p["share"]),
            basis=str(p["basis"]),
            year=int(p["year"]),
            sources=tuple(p["sources"]),
        )
        for _, p in partners.iterrows()
        if p["exporter"] in exporters
    )
    return Leverage(
        commodity=commodity,
        scenario=None if scenario is None else scenario.name,
        rows=tuple(rows),
        partners=trade,
    )
