"""How much two routes overlap on the ground: the test alternatives must pass.

Comparing link ids is not enough: two sea lanes from neighbouring Chinese ports to
neighbouring North Sea ports are different links that sail the same water for 95% of
their length. A route's *footprint* is the set of grid cells (:data:`CELL_DEG` degrees)
its legs' lines pass, each weighted by the kilometres drawn in it (lines sampled every
:data:`STEP_KM` km; sea legs along their stored searoute lines). The overlap of route A
with route B is the share of A's kilometres that lie in B's cells; at sea, where lanes
from different ports run side by side tens of km apart, a cell next to one of B's sea
cells counts too (over land, routes that share a corridor share its nodes and lines).
The overlap of a pair is the larger of the two shares, i.e. the share of the shorter
route, as in the penalty method's overlap rule (Bovy 2009).

Routes through different sets of sea passages never overlap: a closure of one passage
(Suez, the Cape, the Bosporus) hits one and not the other, which is what sets them apart
for the user, even where a dataset has no stored lines and draws both straight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from corridors.geo import haversine_km
from corridors.results.route import Leg, Route

__all__ = ["CELL_DEG", "STEP_KM", "Footprint", "footprint", "route_overlap"]

#: Grid cell size of footprints, degrees (about 55 km of latitude).
CELL_DEG = 0.5
#: Lines are sampled at least this often, km.
STEP_KM = 10.0

Cell = tuple[int, int]
#: A cell of a footprint: the grid cell and whether the km in it are at sea.
Place = tuple[int, int, bool]


class Footprint:
    """Kilometres per grid cell of a route, its passages, and the cells counted as near it."""

    __slots__ = ("cells", "near", "passages", "total")

    def __init__(self, cells: dict[Place, float], passages: frozenset[str]) -> None:
        self.cells = cells
        self.passages = passages
        self.total = sum(cells.values())
        self.near = {c for c in cells if not c[2]} | {
            (x + dx, y + dy, True)
            for x, y, sea in cells
            if sea
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        }

    def share_in(self, other: Footprint) -> float:
        """Share of this footprint's km within one cell of ``other``'s."""
        if self.total <= 0:
            return 1.0
        return sum(km for c, km in self.cells.items() if c in other.near) / self.total


def line_cells(coords: Sequence[tuple[float, float]]) -> dict[Cell, float]:
    """Kilometres of a ``(lon, lat)`` line in each grid cell.

    Examples
    --------
    >>> cells = line_cells([(0.0, 0.1), (1.0, 0.1)])  # 111 km along the equator
    >>> len(cells), round(sum(cells.values()))
    (2, 111)
    """
    pts = np.asarray(coords, dtype=float)
    a, b = pts[:-1], pts[1:]
    km = haversine_km(a[:, 1], a[:, 0], b[:, 1], b[:, 0])
    out: dict[Cell, float] = {}
    for (x0, y0), (x1, y1), d in zip(a, b, km, strict=True):
        n = max(1, math.ceil(d / STEP_KM))
        t = (np.arange(n) + 0.5) / n
        xs = np.floor((x0 + t * (x1 - x0)) / CELL_DEG).astype(int)
        ys = np.floor((y0 + t * (y1 - y0)) / CELL_DEG).astype(int)
        for cx, cy in zip(xs, ys, strict=True):
            key = (int(cx), int(cy))
            out[key] = out.get(key, 0.0) + float(d) / n
    return out


def _leg_cells(leg: Leg, cache: dict[str, dict[Cell, float]]) -> dict[Cell, float]:
    cells = cache.get(leg.link_id)
    if cells is None:
        cells = cache[leg.link_id] = line_cells(leg.geometry.coordinates)
    return cells


def footprint(route: Route, cache: dict[str, dict[Cell, float]] | None = None) -> Footprint:
    """The footprint of a route (``cache``: link id -> cells, reused across routes)."""
    cache = {} if cache is None else cache
    cells: dict[Place, float] = {}
    for leg in route.legs:
        sea = leg.mode == "sea"
        for (x, y), km in _leg_cells(leg, cache).items():
            cells[(x, y, sea)] = cells.get((x, y, sea), 0.0) + km
    return Footprint(cells, frozenset(route.passages))


def route_overlap(a: Footprint, b: Footprint) -> float:
    """Overlap of two routes in [0, 1]: the larger share of either within the other.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> r = cx.route(net, "Chongqing", "Duisburg")
    >>> route_overlap(footprint(r), footprint(r))
    1.0
    """
    if a.passages != b.passages:
        return 0.0
    return max(a.share_in(b), b.share_in(a))
