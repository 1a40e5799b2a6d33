"""How much of the network rests on estimates rather than published figures.

A land link's length is an *estimate* when its ``estimate`` text derives the length from
geometry: a great-circle distance times a detour factor, or a published total split in
proportion to great-circle distances. A length read from a publication (a line article's
km posts, a tariff distance table, an operator's route description) carries no such text.

A *connector* is a model link with no physical line behind it: a delivery link into a market
sink, a feeder out of an aggregate supply node, a move inside a port area. Its ``estimate``
text starts with "abstract" or "length: model link"; it is counted apart, not as a land link
whose length could be published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "LAND_MODES",
    "LengthCoverage",
    "estimated_length_share",
    "is_connector",
    "length_is_estimated",
]

LAND_MODES: frozenset[str] = frozenset({"rail", "road", "oil_pipeline", "gas_pipeline"})
"""Modes whose links run over land (sea, ferry and tanker lanes are measured by searoute)."""

_GEOMETRIC = re.compile(r"great[- ]circle|detour", re.IGNORECASE)
_CONNECTOR = re.compile(r"^\s*(abstract\b|length: model link)", re.IGNORECASE)


def is_connector(estimate: object) -> bool:
    """Whether a link's ``estimate`` text marks it as a connector with no physical line.

    Parameters
    ----------
    estimate
        The link's ``estimate`` cell (empty, NaN or text).

    Returns
    -------
    bool
        True when the text starts with "abstract" or "length: model link".

    Examples
    --------
    >>> is_connector("abstract delivery link to the market sink: length = great-circle x 1.05")
    True
    >>> is_connector("great-circle x 1.15 (route via Bulgaria; abstract delivery to the market)")
    False
    >>> is_connector(None)
    False
    """
    return isinstance(estimate, str) and bool(_CONNECTOR.search(estimate))


def length_is_estimated(estimate: object) -> bool:
    """Whether a link's ``estimate`` text derives its length from geometry.

    Parameters
    ----------
    estimate
        The link's ``estimate`` cell (empty, NaN or text).

    Returns
    -------
    bool
        True when the text names a great-circle distance or a detour factor.

    Examples
    --------
    >>> length_is_estimated("great-circle distance x 1.25 (rail detour factor, assumed)")
    True
    >>> length_is_estimated("sum of published km posts 0-304 (Aktogay-Dostyk)")
    False
    >>> length_is_estimated(float("nan"))
    False
    """
    return isinstance(estimate, str) and bool(_GEOMETRIC.search(estimate))


@dataclass(frozen=True)
class LengthCoverage:
    """Counts of land links and of those whose length is an estimate.

    Attributes
    ----------
    estimated, land
        Land links (rail, road, pipelines) with an estimated length, and all land links;
        connectors are in neither.
    estimated_rail_road, rail_road
        The same for rail and road links only.
    connectors
        Land-mode links with no physical line (see :func:`is_connector`), counted apart.
    """

    estimated: int
    land: int
    estimated_rail_road: int
    rail_road: int
    connectors: int = 0

    @property
    def share(self) -> float:
        """Share of land links whose length is an estimate (0 when there are none)."""
        return self.estimated / self.land if self.land else 0.0

    @property
    def rail_road_share(self) -> float:
        """Share of rail and road links whose length is an estimate."""
        return self.estimated_rail_road / self.rail_road if self.rail_road else 0.0


def estimated_length_share(links: pd.DataFrame) -> LengthCoverage:
    """Count the land links whose length is an estimate.

    Parameters
    ----------
    links
        A links table (``mode`` and ``estimate`` columns), e.g. ``Network.links``.

    Returns
    -------
    LengthCoverage
        Counts over every land link and over rail and road links.

    Examples
    --------
    >>> links = pd.DataFrame(
    ...     {
    ...         "mode": ["rail", "road", "sea", "gas_pipeline", "oil_pipeline"],
    ...         "estimate": [
    ...             "great-circle distance x 1.2",
    ...             "",
    ...             "great-circle",
    ...             None,
    ...             "abstract delivery link to the market sink: great-circle x 1.05",
    ...         ],
    ...     }
    ... )
    >>> cov = estimated_length_share(links)
    >>> cov.estimated, cov.land, cov.estimated_rail_road, cov.rail_road, cov.connectors
    (1, 3, 1, 2, 1)
    >>> round(cov.share, 2)
    0.33

    On the default dataset:

    >>> from corridors.model.network import load
    >>> cov = estimated_length_share(load().links)
    >>> 0 < cov.estimated < cov.land
    True
    """
    land_modes = links[links["mode"].isin(LAND_MODES)]
    connector = land_modes["estimate"].map(is_connector).astype(bool)
    land = land_modes[~connector]
    flagged = land["estimate"].map(length_is_estimated).astype(bool)
    rail_road = land["mode"].isin({"rail", "road"})
    return LengthCoverage(
        estimated=int(flagged.sum()),
        land=len(land),
        estimated_rail_road=int((flagged & rail_road).sum()),
        rail_road=int(rail_road.sum()),
        connectors=int(connector.sum()),
    )
