"""Export a network for GIS tools: GeoJSON, GeoPackage (two layers) or CSV tables.

Every format is written atomically (:mod:`corridors.io.atomic`), so an interrupted or
failed export never leaves a half-written file, or part of a set of files, behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridors.errors import CorridorsError
from corridors.io.atomic import (
    atomic_write_file,
    atomic_write_folder,
    atomic_write_text,
    check_file_target,
)
from corridors.io.geometry import fitted_line
from corridors.io.schema import table_schema

if TYPE_CHECKING:
    from corridors.model.network import Network

__all__ = ["export_network", "network_features"]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def _props(row: pd.Series, table: str) -> dict[str, Any]:
    cols = [c.name for c in table_schema(table)]
    extra = [c for c in ("layer", "time_source") if c in row.index]
    return {
        c: _plain(row[c]) for c in [*cols, *extra] if c in row.index and c not in ("lat", "lon")
    }


def network_features(net: Network) -> dict[str, Any]:
    """The network as a GeoJSON FeatureCollection: nodes as points, links as lines.

    Links are drawn as :func:`corridors.model.geometry.link_line` draws them (through
    :func:`corridors.io.geometry.fitted_line`): sea links along their stored searoute
    lines, other links as straight lines between their ends.

    Examples
    --------
    >>> import corridors as cx
    >>> fc = network_features(cx.load())
    >>> fc["type"], {f["geometry"]["type"] for f in fc["features"]} >= {"Point", "LineString"}
    ('FeatureCollection', True)
    """
    feats: list[dict[str, Any]] = []
    for _, row in net.nodes.iterrows():
        feats.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                },
                "properties": {"feature": "node", **_props(row, "nodes")},
            }
        )
    ends = {
        str(n): (float(lon), float(lat))
        for n, lon, lat in zip(net.nodes.index, net.nodes["lon"], net.nodes["lat"], strict=True)
    }
    for link, row in net.links.iterrows():
        stored = net.link_geometry.get(str(link))
        line = fitted_line(stored, ends[str(row["from"])], ends[str(row["to"])])
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]},
                "properties": {"feature": "link", **_props(row, "links")},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _file_target(out: Path, suffix: str) -> Path:
    """``out``, with ``suffix`` added when it has none; a folder or device is refused."""
    check_file_target(out)
    target = out if out.suffix else out.with_suffix(suffix)
    check_file_target(target)
    return target


def _write_gpkg(fc: dict[str, Any], target: Path) -> Path:
    import geopandas as gpd

    def write(p: Path) -> None:
        p.unlink()
        frame = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
        for layer in ("node", "link"):
            part = frame[frame["feature"] == layer].dropna(axis=1, how="all")
            try:
                part.to_file(p, layer=f"{layer}s", driver="GPKG")
            except RuntimeError as exc:  # pyogrio's errors (a full disk, no permission)
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
                raise CorridorsError(f"cannot write {target}: {first}") from None

    return atomic_write_file(target, write)


def export_network(net: Network, out: Path, fmt: str) -> list[Path]:
    """Write ``net`` as ``geojson`` (one file), ``gpkg`` (layers nodes, links) or ``csv``.

    Every format is written atomically (:mod:`corridors.io.atomic`): the CSV tables appear
    together in their folder or not at all.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    CorridorsError
        If the target is a folder or a device (for a file format), a folder holding other
        files (csv), or the write fails (a full disk); nothing is left behind.
    """
    if fmt == "geojson":
        target = _file_target(out, ".geojson")
        text = json.dumps(network_features(net), ensure_ascii=False, allow_nan=False)
        return [atomic_write_text(target, text)]
    if fmt == "gpkg":
        return [_write_gpkg(network_features(net), _file_target(out, ".gpkg"))]
    writers = {}
    for table in ("nodes", "links", "transfers", "sources"):
        df = getattr(net, table)
        cols = [c.name for c in table_schema(table)]
        frame = df[cols].map(_plain) if len(df) else pd.DataFrame(columns=cols)
        writers[f"{table}.csv"] = lambda p, f=frame: f.to_csv(p, index=False)
    return atomic_write_folder(out, writers)
