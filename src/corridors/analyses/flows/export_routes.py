"""Export routes of a flow: where it leaves the exporting countries, and the shortfall.

A flow solved from a country's fields leaves that country over a few border-crossing links
(a pipeline into Russia, a tanker from Aktau, the rail ferry to Baku). Grouping the flow by
those links gives "export capacity by route"; comparing the delivered total with a reference
volume (actual annual exports) gives the shortfall a closure causes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from corridors.analyses.flows.solve import FlowResult
from corridors.model.network import Network
from corridors.units import convert

__all__ = ["ExportSummary", "export_routes", "export_summary", "reference_exports"]


@dataclass(frozen=True)
class ExportSummary:
    """Flow leaving the exporting countries, by route, and against a reference volume.

    Attributes
    ----------
    countries
        The exporting countries (ISO codes).
    routes
        One row per link on which the flow leaves them: ``id``, ``name``, ``mode``,
        ``from``, ``to``, ``to_country``, ``flow``, ``capacity``, ``utilisation``.
    delivered
        Total delivered to the sinks.
    reference
        The reference volume (e.g. actual annual exports), or NaN.
    reference_note
        Where the reference comes from.
    shortfall
        ``reference - delivered`` (never below 0), or NaN without a reference.
    """

    countries: tuple[str, ...]
    routes: pd.DataFrame
    delivered: float
    reference: float
    shortfall: float
    reference_note: str = ""

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        clean = self.routes.astype(object).where(self.routes.notna(), None)
        return {
            "countries": list(self.countries),
            "routes": clean.to_dict(orient="records"),
            "delivered": self.delivered,
            "reference": None if math.isnan(self.reference) else self.reference,
            "shortfall": None if math.isnan(self.shortfall) else self.shortfall,
            "reference_note": self.reference_note,
        }


def export_routes(net: Network, result: FlowResult, countries: set[str]) -> pd.DataFrame:
    """Links on which a flow leaves ``countries``, largest flow first.

    Parameters
    ----------
    net
        The network the flow was solved on (for the countries of nodes).
    result
        A solved flow.
    countries
        ISO codes of the exporting countries.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``mode``, ``from``, ``to``, ``to_country``, ``flow``,
        ``capacity``, ``utilisation``.
    """
    country = net.nodes["country"]
    links = result.links
    start = links["from"].map(country)
    end = links["to"].map(country)
    leaving = start.isin(countries) & ~end.isin(countries) & end.notna()
    out = links[leaving].assign(to_country=end[leaving])
    cols = ["id", "name", "mode", "from", "to", "to_country", "flow", "capacity", "utilisation"]
    return out[cols].sort_values("flow", ascending=False).reset_index(drop=True)


def reference_exports(
    net: Network,
    commodity: str,
    countries: set[str],
    unit: str,
    destinations: set[str] | None = None,
) -> tuple[float, str] | None:
    """Actual annual exports of ``commodity`` from ``countries``, from the demand table.

    Sums the demand rows of the commodity whose origin lies in ``countries`` (and, when
    ``destinations`` is given, whose destination is one of those node ids), for the most
    recent year they give, in ``unit``.

    Returns
    -------
    (float, str) or None
        The volume and a note saying where it comes from; None without such rows.
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
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    total = sum(
        convert(float(a), str(u), unit) for a, u in zip(rows["amount"], rows["unit"], strict=True)
    )
    return total, f"exports in {year}: sum of {len(rows)} demand rows (see their sources)"


def export_summary(
    net: Network,
    result: FlowResult,
    countries: set[str],
    reference: float | None = None,
    *,
    reference_note: str = "",
) -> ExportSummary:
    """Export routes of ``result`` out of ``countries`` and the shortfall against ``reference``.

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.flows.solve import max_flow
    >>> net = cx.load()
    >>> s = export_summary(net, max_flow(net, "crude", ["KZ"]), {"KZ"}, reference=64.3)
    >>> bool(s.routes["flow"].sum() > 0), s.shortfall >= 0
    (True, True)
    """
    routes = export_routes(net, result, countries)
    ref = math.nan if reference is None else float(reference)
    short = math.nan if reference is None else max(0.0, ref - result.delivered_total)
    return ExportSummary(
        tuple(sorted(countries)), routes, result.delivered_total, ref, short, reference_note
    )
