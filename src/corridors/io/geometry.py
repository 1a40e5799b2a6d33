"""GeoJSON I/O: stored link lines of a data folder, and result files written atomically.

A data folder may hold ``sea_lanes.geojson`` (written by ``scripts/build_sea_legs.py``): a
FeatureCollection with one LineString feature per link, the feature ``id`` (or its
``id`` property) being the link id, drawn from the link's ``from`` node. Links without a
stored line are drawn as straight segments (:mod:`corridors.model.geometry`). Only regular
files up to :data:`MAX_BYTES` are read; every problem names the file and the feature.

:func:`write_geojson` writes a FeatureCollection (``route --geojson``) to a temporary file
in the target's folder and renames it into place, so a failed write never leaves a
half-written file, and the file gets the permissions the umask gives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from corridors.errors import Problem

__all__ = [
    "END_TOLERANCE_DEG",
    "GEOMETRY_FILES",
    "MAX_BYTES",
    "LinkLines",
    "fitted_line",
    "read_link_lines",
]

#: Files of a data folder that hold link lines, read in this order (later ids win).
GEOMETRY_FILES = ("sea_lanes.geojson",)
#: Larger geometry files are refused (the shipped one is about 0.2 MB).
MAX_BYTES = 20_000_000

#: Link id -> ``(lon, lat)`` points, at least two, from the link's ``from`` node.
LinkLines = dict[str, tuple[tuple[float, float], ...]]

#: A stored line's ends must lie this close (degrees) to its link's end nodes.
END_TOLERANCE_DEG = 1e-3


def _near(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) <= END_TOLERANCE_DEG and abs(p[1] - q[1]) <= END_TOLERANCE_DEG


def fitted_line(
    stored: tuple[tuple[float, float], ...] | None,
    a: tuple[float, float],
    b: tuple[float, float],
) -> list[tuple[float, float]]:
    """The stored line from ``a`` to ``b`` if its ends are there, else the straight segment.

    Examples
    --------
    >>> fitted_line(((0.0, 0.0), (1.0, 5.0), (2.0, 0.0)), (0.0, 0.0), (2.0, 0.0))
    [(0.0, 0.0), (1.0, 5.0), (2.0, 0.0)]
    >>> fitted_line(((9.0, 9.0), (2.0, 0.0)), (0.0, 0.0), (2.0, 0.0))
    [(0.0, 0.0), (2.0, 0.0)]
    """
    if stored is not None and _near(stored[0], a) and _near(stored[-1], b):
        return list(stored)
    return [a, b]


def _line(feature: Any) -> tuple[str, tuple[tuple[float, float], ...]] | str:
    """(link id, points) of one feature, or what is wrong with it."""
    if not isinstance(feature, dict):
        return "a feature must be an object"
    link = feature.get("id")
    if link is None and isinstance(feature.get("properties"), dict):
        link = feature["properties"].get("id")
    if not isinstance(link, str) or not link:
        return "feature without a link id"
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
        return f"{link}: geometry must be a LineString"
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return f"{link}: a LineString needs at least two points"
    try:
        points = np.asarray(coords, dtype=float)
    except (TypeError, ValueError):
        return f"{link}: coordinates must be [lon, lat] numbers"
    if points.ndim != 2 or points.shape[1] < 2 or not np.isfinite(points[:, :2]).all():
        return f"{link}: coordinates must be [lon, lat] numbers"
    outside = (np.abs(points[:, 0]) > 180) | (np.abs(points[:, 1]) > 90)
    if outside.any():
        bad = points[int(np.argmax(outside)), :2].tolist()
        return f"{link}: point {bad} is outside lon -180..180, lat -90..90"
    return link, tuple(map(tuple, points[:, :2].tolist()))


def read_link_lines(folder: Path) -> tuple[LinkLines, list[Problem]]:
    """Stored link lines of a data folder, and the problems found reading them.

    Examples
    --------
    >>> from corridors.io.tables import default_data_dir
    >>> lines, problems = read_link_lines(default_data_dir())
    >>> problems, len(lines["sea_shanghai_hamburg_suez"]) > 2
    ([], True)
    """
    lines: LinkLines = {}
    problems: list[Problem] = []
    for name in GEOMETRY_FILES:
        path = folder / name
        if not path.exists():
            continue

        def problem(message: str, name: str = name) -> None:
            problems.append(Problem(name, 0, "", "", message))

        if not path.is_file():
            problem("not a regular file")
            continue
        try:
            if path.stat().st_size > MAX_BYTES:
                problem(f"larger than {MAX_BYTES:,} bytes")
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            problem(f"cannot read as GeoJSON: {exc}")
            continue
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            problem("not a GeoJSON FeatureCollection")
            continue
        for k, feature in enumerate(features, start=1):
            got = _line(feature)
            if isinstance(got, str):
                problem(f"feature {k}: {got}")
            else:
                lines[got[0]] = got[1]
    return lines, problems
