"""Write a GeoJSON FeatureCollection atomically, the one writer behind every ``--geojson``.

Built on :func:`corridors.io.atomic.atomic_write_text`: a temporary file beside the target,
then a rename, so a reader (QGIS, a web server) never sees a half-written file; the file
keeps the umask; a folder, a device or an empty name is refused; JSON is strict (no
``Infinity``/``NaN``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corridors.errors import CorridorsError
from corridors.io.atomic import atomic_write_text

__all__ = ["write_geojson"]


def write_geojson(path: str | Path, collection: dict[str, Any]) -> Path:
    """Write a GeoJSON FeatureCollection to ``path`` atomically.

    Raises
    ------
    CorridorsError
        If the target is refused, the write fails (nothing is left behind), or the
        collection holds a non-finite number.

    Examples
    --------
    >>> import json, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> out = write_geojson(folder / "r.geojson", {"type": "FeatureCollection", "features": []})
    >>> json.loads(out.read_text())["type"], [p.name for p in folder.iterdir()]
    ('FeatureCollection', ['r.geojson'])
    """
    target = Path(path)
    if not str(path):
        raise CorridorsError("cannot write GeoJSON: the file name is empty")
    try:
        text = json.dumps(collection, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise CorridorsError(f"cannot write {target}: {exc}") from None
    return atomic_write_text(target, text + "\n")
