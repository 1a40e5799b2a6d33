"""Result of a leverage analysis: exporter x transit country, by commodity.

Examples
--------
>>> row = LeverageRow(exporter="KZ", transit="RU", commodity="crude", unit="Mt/yr",
...     exports=70.5, crossing_share=0.8, lost_share=0.5, lost=35.25,
...     extra_cost_per_unit=None, value_at_risk_usd=2.1e10, price_id="p", price_year=2023)
>>> Leverage(commodity="crude", scenario=None, rows=(row,), partners=()).as_dict()["rows"][0]["lost"]
35.25
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from corridors.results.base import Num, OptNum, Result

__all__ = ["Leverage", "LeverageAfter", "LeverageRow", "TradePartner"]


class LeverageAfter(BaseModel):
    """The same measures under the scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exports: Num
    crossing_share: Num
    lost_share: Num
    lost: Num
    extra_cost_per_unit: OptNum
    value_at_risk_usd: Num
    rerouted: Num = 0.0
    extra_km_per_unit: OptNum = None


class LeverageRow(BaseModel):
    """One exporter and one transit country.

    Attributes
    ----------
    exporter, transit, commodity, unit
        ISO codes, commodity id, unit of the volumes (per year).
    exports
        The exporter's demand rows (latest year) summed.
    crossing_share
        Share of the exporter's dispatched flow (or routed volume) crossing ``transit``.
    lost, lost_share
        Volume that could not leave at all with ``transit`` closed, and its share of exports.
    extra_cost_per_unit
        Extra USD per unit of the volume that reroutes when ``transit`` closes (cost of
        the alternative minus cost of the current route, over the rerouted volume only);
        None when nothing reroutes, or when a link whose flow changes has no USD cost
        for the commodity (then ``extra_km_per_unit`` still tells the detour).
    value_at_risk_usd
        ``lost`` times the price (``price_id``, of ``price_year``) per year.
    rerouted, extra_km_per_unit
        Volume that crossed ``transit`` and is still delivered with it closed, and the
        extra km per rerouted unit (flow commodities; None for containers).
    after
        The same under the scenario, when one is given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    exporter: str
    transit: str
    commodity: str
    unit: str
    exports: Num
    crossing_share: Num
    lost_share: Num
    lost: Num
    extra_cost_per_unit: OptNum
    value_at_risk_usd: Num
    rerouted: Num = 0.0
    extra_km_per_unit: OptNum = None
    price_id: str
    price_year: int
    after: LeverageAfter | None = None


class TradePartner(BaseModel):
    """A share of an exporter's exports by partner (from ``export_partners.csv``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exporter: str
    partner: str
    share: Num
    basis: str
    year: int
    sources: tuple[str, ...]


class Leverage(Result):
    """Leverage rows, largest value at risk first, and the exporters' trade structure."""

    kind: ClassVar[str] = "leverage"

    commodity: str
    scenario: str | None
    rows: tuple[LeverageRow, ...]
    partners: tuple[TradePartner, ...]
