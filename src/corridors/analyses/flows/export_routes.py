"""Export routes of a flow: where it leaves the exporting countries, and the shortfall.

A flow solved from a country's fields leaves that country over a few border-crossing links
(a pipeline into Russia, a tanker from Aktau, the rail ferry to Baku). Grouping the flow by
those links gives "export capacity by route"; comparing the delivered total with a reference
volume (actual annual exports) gives the shortfall a closure causes.

Like with like: the reference is taken, where the demand table has it, for the year the
sources' supply capacities refer to (their ``capacity_year``); the summary states both
years either way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from corridors.model.network import Network
from corridors.results.flow import ExportRoute, ExportSummary, FlowResult
from corridors.units import convert

__all__ = ["export_routes", "export_summary", "reference_exports", "supply_years"]


def export_routes(net: Network, result: FlowResult, countries: set[str]) -> list[ExportRoute]:
    """Links on which a flow leaves ``countries``, largest flow first."""
    country = net.nodes["country"]
    out = [
        ExportRoute(
            id=r.id,
            name=r.name,
            mode=r.mode,
            from_id=r.from_id,
            to_id=r.to_id,
            to_country=str(country[r.to_id]),
            flow=r.flow,
            capacity=r.capacity,
            utilisation=r.utilisation,
        )
        for r in result.links
        if country[r.from_id] in countries and country[r.to_id] not in countries
    ]
    return sorted(out, key=lambda r: (-r.flow, r.id))


def supply_years(net: Network, sources: Sequence[str]) -> list[int]:
    """The distinct ``capacity_year`` of the source nodes (those that give one), sorted."""
    if "capacity_year" not in net.nodes:
        return []
    years = net.nodes.loc[list(sources), "capacity_year"].astype(float)
    return sorted({int(y) for y in years if not np.isnan(y)})


def reference_exports(
    net: Network,
    commodity: str,
    countries: set[str],
    unit: str,
    destinations: set[str] | None = None,
    *,
    year: int | None = None,
) -> tuple[float, int, str] | None:
    """Actual annual exports of ``commodity`` from ``countries``, from the demand table.

    Sums the demand rows of the commodity whose origin lies in ``countries`` (and, when
    ``destinations`` is given, whose destination is one of those node ids), for ``year``
    when the rows give it, else for the most recent year they give, in ``unit``.

    Returns
    -------
    (float, int, str) or None
        The volume, its year and a note saying where it comes from; None without rows.
    """
    demand = net.demand
    if demand.empty:
        return None
    origin_country = demand["origin"].map(net.nodes["country"])
    rows = demand[(demand["commodity"] == commodity) & origin_country.isin(countries)]
    if destinations is not None:
        rows = rows[rows["destination"].isin(destinations)]
    if rows.empty:
        return None
    years = {int(y) for y in rows["year"]}
    chosen = year if year in years else max(years)
    rows = rows[rows["year"] == chosen]
    total = sum(
        convert(float(a), str(u), unit) for a, u in zip(rows["amount"], rows["unit"], strict=True)
    )
    return total, chosen, f"exports in {chosen}: sum of {len(rows)} demand rows (see their sources)"


def export_summary(
    net: Network,
    result: FlowResult,
    countries: set[str],
    sources: Sequence[str],
    sinks: Sequence[str] | None = None,
    reference: float | None = None,
) -> ExportSummary:
    """Export routes of ``result`` out of ``countries`` and the shortfall against a reference.

    ``reference`` given: it is used as is. Otherwise the countries' exports in the demand
    table (towards ``sinks`` when given) for the sources' supply year where available.

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.flows.solve import max_flow
    >>> net = cx.load()
    >>> r = max_flow(net, "crude", ["KZ"])
    >>> s = export_summary(net, r, {"KZ"}, [x.id for x in r.sources])
    >>> s.reference_year, s.supply_years, s.shortfall >= 0
    (2022, [2022], True)
    """
    years = supply_years(net, sources)
    ref_year: int | None = None
    note = "given with --reference"
    if reference is None:
        wanted = set(sinks) if sinks is not None else None
        year = years[-1] if len(years) == 1 else None
        found = reference_exports(net, result.commodity, countries, result.unit, wanted, year=year)
        reference, ref_year, note = found if found is not None else (None, None, "")
    if ref_year is not None and years and years != [ref_year]:
        note += f"; supply capacities refer to {', '.join(map(str, years))}"
    delivered = result.delivered_total
    short = None if reference is None else max(0.0, float(reference) - delivered)
    return ExportSummary(
        countries=sorted(countries),
        routes=export_routes(net, result, countries),
        delivered=delivered,
        reference=None if reference is None or math.isnan(reference) else float(reference),
        reference_year=ref_year,
        supply_years=years,
        shortfall=short,
        reference_note=note,
    )
