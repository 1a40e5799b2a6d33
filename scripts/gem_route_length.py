"""Measure a pipeline length along a Global Energy Monitor route between two points.

The Global Energy Monitor (GEM) pipeline trackers (CC BY 4.0) give each pipeline a
``route`` string ``"lat,lng:lat,lng;lat,lng:..."`` (``;`` between segments). This script
snaps two points (node coordinates) to the nearest route vertices and sums the
great-circle lengths of the polyline steps between them: a length *measured along the
published route geometry*, not a straight line times a detour factor. It also prints
how far each point lies from its snapped vertex, so that a poor fit is visible.

The GEM files are not part of the project; pass the path of a local extract.

Usage
-----
::

    python scripts/gem_route_length.py FILE PROJECT [--unit UNIT] --from LAT,LNG --to LAT,LNG

``PROJECT`` and ``UNIT`` match the ``project`` and ``unit`` columns exactly (``UNIT``
may be omitted when the project has one row). Segments are joined in file order.

Examples
--------
>>> pts = parse_route("40.0,50.0:40.0,51.0;40.0,51.0:41.0,51.0")
>>> len(pts)
3
>>> round(along(pts, (40.0, 50.0), (41.0, 51.0))[0])
196
"""

from __future__ import annotations

import argparse
import csv
import math
import sys

__all__ = ["along", "great_circle_km", "parse_route"]

_R_KM = 6371.0088


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in km between two ``(lat, lng)`` points."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _R_KM * math.asin(math.sqrt(h))


def parse_route(route: str) -> list[tuple[float, float]]:
    """Vertices of a GEM route string, segments joined in order, repeats dropped."""
    pts: list[tuple[float, float]] = []
    for seg in route.split(";"):
        for pair in seg.split(":"):
            if not pair.strip():
                continue
            lat, lng = (float(x) for x in pair.split(","))
            if not pts or pts[-1] != (lat, lng):
                pts.append((lat, lng))
    return pts


def along(
    pts: list[tuple[float, float]], a: tuple[float, float], b: tuple[float, float]
) -> tuple[float, float, float]:
    """Length along ``pts`` between the vertices nearest ``a`` and ``b``.

    Returns
    -------
    tuple
        ``(length_km, snap_a_km, snap_b_km)``: the polyline length and the distances
        from ``a`` and ``b`` to their snapped vertices.
    """
    da = [great_circle_km(a, p) for p in pts]
    db = [great_circle_km(b, p) for p in pts]
    ia, ib = da.index(min(da)), db.index(min(db))
    lo, hi = sorted((ia, ib))
    length = sum(great_circle_km(pts[i], pts[i + 1]) for i in range(lo, hi))
    return length, da[ia], db[ib]


def _point(text: str) -> tuple[float, float]:
    lat, lng = (float(x) for x in text.split(","))
    return lat, lng


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints the measured length and the snap distances."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("project")
    ap.add_argument("--unit", default=None)
    ap.add_argument("--from", dest="a", required=True, type=_point)
    ap.add_argument("--to", dest="b", required=True, type=_point)
    args = ap.parse_args(argv)
    with open(args.file, newline="", encoding="utf-8") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["project"] == args.project and (args.unit is None or r["unit"] == args.unit)
        ]
    if len(rows) != 1:
        print(f"{len(rows)} rows match; give --unit", file=sys.stderr)
        return 2
    length, sa, sb = along(parse_route(rows[0]["route"]), args.a, args.b)
    print(f"{length:.1f} km along the route ({rows[0]['url']}); snap {sa:.1f} km / {sb:.1f} km")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
