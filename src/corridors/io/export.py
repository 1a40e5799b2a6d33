"""Export a network for GIS tools: GeoJSON, GeoPackage (two layers) or CSV tables.

Files are written to a temporary name and moved into place, so an interrupted export
never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridors.errors import CorridorsError
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


def _atomic(target: Path, write: Any) -> Path:
    try:
        return _write_atomic(target, write)
    except OSError as exc:
        raise CorridorsError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write_atomic(target: Path, write: Any) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def export_network(net: Network, out: Path, fmt: str) -> list[Path]:
    """Write ``net`` as ``geojson`` (one file), ``gpkg`` (layers nodes, links) or ``csv``.

    Returns
    -------
    list of Path
        The files written.
    """
    if fmt == "geojson":
        target = out if out.suffix else out.with_suffix(".geojson")
        text = json.dumps(network_features(net), ensure_ascii=False)
        return [_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))]
    if fmt == "gpkg":
        import geopandas as gpd

        target = out if out.suffix else out.with_suffix(".gpkg")
        fc = network_features(net)

        def write(p: Path) -> None:
            p.unlink()
            frame = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
            for layer in ("node", "link"):
                part = frame[frame["feature"] == layer].dropna(axis=1, how="all")
                part.to_file(p, layer=f"{layer}s", driver="GPKG")

        return [_atomic(target, write)]
    folder = out
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorridorsError(f"cannot create {folder}: {exc.strerror or exc}") from None
    written: list[Path] = []
    for table in ("nodes", "links", "transfers", "sources"):
        df = getattr(net, table)
        cols = [c.name for c in table_schema(table)]
        frame = df[cols].map(_plain) if len(df) else pd.DataFrame(columns=cols)
        written.append(
            _atomic(folder / f"{table}.csv", lambda p, f=frame: f.to_csv(p, index=False))
        )
    return written
