"""Country outlines for the report's map, read from files already installed (never fetched).

Two places are tried, in order:

1. the Natural Earth 1:110m countries the web page ships, as TopoJSON (npm package
   ``world-atlas``, copied to ``corridors/web/static/vendor/world-atlas`` by ``make web``);
2. the Natural Earth "lowres" countries shapefile that ``pyogrio`` (the ``gis`` extra) ships
   with its test fixtures, read with ``pyogrio`` and ``shapely``.

Without either, :func:`country_rings` returns no rings and the map is drawn on a graticule
alone (the report says so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Outlines", "country_rings", "topojson_rings"]

#: Natural Earth credit shown under the map.
NATURAL_EARTH = "Natural Earth (public domain), 1:110m countries"


@dataclass(frozen=True)
class Outlines:
    """Polygon rings (``(n, 2)`` arrays of lon, lat) and where they were read from."""

    rings: tuple[NDArray[np.float64], ...]
    origin: str


def _vendor_file() -> Path:
    base = Path(str(resources.files("corridors").joinpath("web")))
    return base / "static" / "vendor" / "world-atlas" / "countries-110m.json"


def topojson_rings(topo: dict[str, Any], obj: str = "countries") -> list[NDArray[np.float64]]:
    """Rings of every polygon of ``topo["objects"][obj]`` (quantised, delta-coded arcs).

    Examples
    --------
    >>> topo = {"transform": {"scale": [1, 1], "translate": [0, 0]},
    ...         "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]],
    ...         "objects": {"countries": {"type": "GeometryCollection",
    ...             "geometries": [{"type": "Polygon", "arcs": [[0]]}]}}}
    >>> topojson_rings(topo)[0].tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    """
    tr = topo.get("transform")
    arcs: list[NDArray[np.float64]] = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)[:, :2]
        if tr is not None:
            a = np.cumsum(a, axis=0) * np.asarray(tr["scale"]) + np.asarray(tr["translate"])
        arcs.append(a)

    def ring(indices: list[int]) -> NDArray[np.float64]:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([p if k == 0 else p[1:] for k, p in enumerate(parts)])

    out: list[NDArray[np.float64]] = []
    for geom in topo["objects"][obj].get("geometries", []):
        polys = geom.get("arcs", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        elif geom.get("type") != "MultiPolygon":
            continue
        for poly in polys:
            out.extend(_unwrapped(ring(r)) for r in poly)
    return out


def _unwrapped(ring: NDArray[np.float64]) -> NDArray[np.float64]:
    """A ring crossing the antimeridian made continuous (longitudes may pass 180).

    A ring going round a pole (Antarctica) is kept as it is: its jump runs along the edge
    of the map.

    Examples
    --------
    >>> _unwrapped(np.array([[179.0, 60.0], [-179.0, 61.0]]))[:, 0].tolist()
    [179.0, 181.0]
    """
    if ring.shape[0] < 2 or np.abs(np.diff(ring[:, 0])).max() <= 180.0:
        return ring
    out = ring.copy()
    out[:, 0] = np.unwrap(ring[:, 0], period=360.0)
    return ring if np.ptp(out[:, 0]) >= 359.0 else out


def _shapefile_rings() -> list[NDArray[np.float64]] | None:
    try:
        import pyogrio
        import pyogrio.raw
        import shapely
    except ImportError:
        return None
    shp = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres"
    shp = shp / "naturalearth_lowres.shp"
    if not shp.is_file():
        return None
    geoms = shapely.from_wkb(pyogrio.raw.read(shp, read_geometry=True)[2])
    polys = shapely.get_parts(geoms)
    return [
        _unwrapped(np.asarray(shapely.get_coordinates(p.exterior), dtype=float))
        for p in polys
        if p is not None
    ]


def country_rings() -> Outlines:
    """Country outlines from the first installed source (see the module docstring)."""
    vendor = _vendor_file()
    if vendor.is_file():
        topo = json.loads(vendor.read_text(encoding="utf-8"))
        return Outlines(tuple(topojson_rings(topo)), f"{NATURAL_EARTH} (world-atlas)")
    rings = _shapefile_rings()
    if rings:
        return Outlines(tuple(rings), f"{NATURAL_EARTH} (pyogrio's shipped copy)")
    return Outlines((), "no country outlines installed (make web, or the gis extra)")
