"""Energy of :func:`corridors.analyses.compare.comparison.compare`: the flows before and after, side by side.

For each energy commodity, the maximum flow (:func:`corridors.analyses.flows.solve.solve_flow`)
from the supplying fields of the supply countries to the markets is solved under both
scenarios, on the same countries: a country whose flow alone is unbounded under either
scenario (a whole path without capacity) is left out of both, with a note. The tables set
the two flows side by side: delivered per market and in total, the min-cut elements that
enter (``new``) or leave (``relieved``) the cut, and the volume each supply country ships,
largest loss first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import pandas as pd

from corridors.analyses.flows.ends import supplies
from corridors.analyses.flows.solve import FlowResult, flow_links, flow_unit, solve_flow
from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario

#: Countries whose crude and gas exports the comparison follows.
SUPPLY_COUNTRIES: tuple[str, ...] = ("KZ", "AZ", "TM", "RU")

#: Commodities whose flows the comparison solves (when the network has them).
ENERGY_COMMODITIES: tuple[str, ...] = ("crude", "gas")


def _supply_fields(net: Network, commodity: str, countries: Sequence[str]) -> list[str]:
    """Fields in ``countries`` that supply ``commodity`` (as ``solve_flow`` reads a country).

    Unlike a country code given to ``solve_flow``, a field with a capacity of 0 is left out.
    """
    unit = flow_unit(net, commodity)
    links = flow_links(net, commodity)
    in_graph = set(links["from"]) | set(links["to"])
    nodes = net.nodes
    return [
        str(node)
        for node in nodes.index[(nodes["kind"] == "field") & nodes["country"].isin(countries)]
        if supplies(net, node, unit, in_graph)
        and not float(cast(float, nodes.at[node, "capacity"])) <= 0
    ]


def _solve(
    work: Network, commodity: str, fields: Sequence[str], markets: Sequence[str] | None
) -> tuple[FlowResult | None, str]:
    if not fields:
        return None, "no supplying field"
    try:
        return solve_flow(work, commodity, list(fields), markets), ""
    except CorridorsError as exc:
        return None, str(exc)


def _flows(
    net: Network,
    commodity: str,
    countries: Sequence[str],
    markets: Sequence[str] | None,
    scenarios: Sequence[Scenario],
) -> tuple[list[tuple[FlowResult | None, str]], list[str]]:
    """Max flow from the countries' fields under each scenario, on the same countries.

    A country whose flow alone fails under either scenario (unbounded: no capacity on a
    whole path) is left out of both solves, so that before and after stay comparable.
    """
    works = [apply_scenario(net, s) for s in scenarios]
    fields = [{c: _supply_fields(w, commodity, [c]) for c in countries} for w in works]
    left_out: dict[str, str] = {}
    for work, by_country in zip(works, fields, strict=True):
        for country, found in by_country.items():
            if found and country not in left_out:
                res, why = _solve(work, commodity, found, markets)
                if res is None and "unbounded" in why:
                    left_out[country] = why
    notes = [f"{commodity} from {c} left out: {why}" for c, why in left_out.items()]
    out = [
        _solve(
            work,
            commodity,
            [f for c, found in by_country.items() if c not in left_out for f in found],
            markets,
        )
        for work, by_country in zip(works, fields, strict=True)
    ]
    return out, notes


def energy_tables(
    net: Network,
    scenario: Scenario,
    against: Scenario,
    commodities: Sequence[str],
    countries: Sequence[str],
    markets: Sequence[str] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Delivered per market, delivered in total, bottlenecks, exporters, and notes.

    The columns are those of :class:`corridors.analyses.compare.comparison.Comparison`.
    """
    delivered: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    cuts: list[dict[str, Any]] = []
    exporters: list[dict[str, Any]] = []
    notes: list[str] = []
    for commodity in commodities:
        if commodity not in net.commodities.index:
            continue
        unit = flow_unit(net, commodity)
        ((before, why_before), (after, why_after)), left_out = _flows(
            net, commodity, countries, markets, (against, scenario)
        )
        notes.extend(left_out)
        if before is None and after is None:
            notes.append(f"{commodity}: not compared ({why_before})")
            continue
        for label, res, why in (("before", before, why_before), ("after", after, why_after)):
            if res is None:
                notes.append(f"{commodity} {label}: nothing delivered ({why})")
        both = {"commodity": commodity, "unit": unit}
        delivered += [both | r for r in _delivered_rows(before, after)]
        x_total = before.delivered_total if before else 0.0
        y_total = after.delivered_total if after else 0.0
        totals.append(both | {"before": x_total, "after": y_total, "delta": y_total - x_total})
        cuts += [both | r for r in _cut_rows(before, after)]
        exporters += [both | r for r in _exporter_rows(before, after, countries)]
    exp = pd.DataFrame(
        exporters,
        columns=["commodity", "unit", "country", "before", "after", "delta", "delta_pct"],
    )
    exp = exp.sort_values(["delta", "commodity", "country"], kind="stable").reset_index(drop=True)
    return (
        pd.DataFrame(
            delivered,
            columns=["commodity", "unit", "market", "market_id", "before", "after", "delta"],
        ),
        pd.DataFrame(totals, columns=["commodity", "unit", "before", "after", "delta"]),
        pd.DataFrame(
            cuts, columns=["commodity", "unit", "id", "name", "kind", "capacity", "change"]
        ),
        exp,
        notes,
    )


def _delivered_rows(before: FlowResult | None, after: FlowResult | None) -> list[dict[str, Any]]:
    """Delivered per market (by id; ``market`` is its name, ``market_id`` its id)."""
    names = {s.id: s.name for res in (before, after) if res for s in res.sinks}
    b_sink = before.by_sink if before else {}
    a_sink = after.by_sink if after else {}
    rows: list[dict[str, Any]] = []
    for market in dict.fromkeys([*b_sink, *a_sink]):
        x, y = b_sink.get(market, 0.0), a_sink.get(market, 0.0)
        rows.append(
            {"market": names[market], "market_id": market, "before": x, "after": y, "delta": y - x}
        )
    return rows


def _cut_rows(before: FlowResult | None, after: FlowResult | None) -> list[dict[str, Any]]:
    b_cut = {c.id: c for c in (before.min_cut if before else ())}
    a_cut = {c.id: c for c in (after.min_cut if after else ())}
    return [
        {"id": cid, "name": c.name, "kind": c.element, "capacity": c.capacity, "change": change}
        for change, here, there in (("new", a_cut, b_cut), ("relieved", b_cut, a_cut))
        for cid, c in here.items()
        if cid not in there
    ]


def _exporter_rows(
    before: FlowResult | None,
    after: FlowResult | None,
    countries: Sequence[str],
) -> list[dict[str, Any]]:
    by_country: dict[str, list[float]] = {c: [0.0, 0.0] for c in countries}
    for i, res in enumerate((before, after)):
        for src in res.sources if res else []:
            by_country.setdefault(src.country, [0.0, 0.0])[i] += src.shipped
    return [
        {
            "country": code,
            "before": x,
            "after": y,
            "delta": y - x,
            "delta_pct": 100 * (y - x) / x if x > 0 else float("nan"),
        }
        for code, (x, y) in by_country.items()
        if not (x == 0 and y == 0)
    ]
