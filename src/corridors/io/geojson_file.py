"""Write a GeoJSON FeatureCollection atomically: a temporary file beside it, then a rename.

A reader (QGIS, a web server) never sees a half-written file, and a failed write leaves
the previous file in place.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridors.errors import CorridorsError

__all__ = ["write_feature_collection"]


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, else what a new file gets under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_feature_collection(path: str | Path, features: Sequence[dict[str, Any]]) -> Path:
    """Write ``features`` as a FeatureCollection to ``path`` (temp file + ``os.replace``).

    Raises
    ------
    CorridorsError
        If the folder does not exist or cannot be written.

    Examples
    --------
    >>> import tempfile, json
    >>> folder = tempfile.mkdtemp()
    >>> out = write_feature_collection(f"{folder}/x.geojson", [])
    >>> json.loads(out.read_text())
    {'type': 'FeatureCollection', 'features': []}
    """
    target = Path(path)
    text = json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CorridorsError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.chmod(tmp, _file_mode(target))  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CorridorsError(f"cannot write {target}: {exc.strerror}") from None
    return target
