"""A disk cache of validated networks, keyed by a fingerprint of every input file.

Reading and validating the default dataset takes longer than answering a route query, and
every command-line call would repeat it. :func:`network_key` fingerprints what the
validated network depends on: the path, size, ``mtime_ns`` and content hash of every file
in the data folder (a changed, added or removed file changes the key), the schema file,
the source of the modules that read and validate tables, and the versions of the package,
Python, numpy and pandas. A stale entry is therefore never found, only left to age out.

Entries are pickles written atomically (a temporary file, then :func:`os.replace`); an
entry that cannot be read or holds another key is ignored and removed; at most
:data:`KEEP` entries and :data:`MAX_BYTES` are kept (the least recently used go first). The folder is
``$CORRIDORS_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridors``, else ``~/.cache/corridors``
(:func:`cache_dir`); ``CORRIDORS_NO_CACHE=1`` turns the cache off. Since entries are
pickles, point the cache only at a folder that no one else can write to (it is created
readable by its owner alone).

Examples
--------
>>> from corridors.io.tables import default_data_dir
>>> key = network_key(default_data_dir(), label="default")
>>> len(key) == 32 and key == network_key(default_data_dir(), label="default")
True
>>> key != network_key(default_data_dir(), label="elsewhere")
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import cast

__all__ = [
    "ENV_DIR",
    "ENV_OFF",
    "KEEP",
    "MAX_BYTES",
    "cache_dir",
    "network_key",
    "read_entry",
    "write_entry",
]

#: Environment variable naming the cache folder.
ENV_DIR = "CORRIDORS_CACHE_DIR"
#: Environment variable that, set to ``1`` (or ``true``, ``yes``), turns the cache off.
ENV_OFF = "CORRIDORS_NO_CACHE"
#: How many entries the cache keeps at most.
KEEP = 6
#: How many bytes the entries may take together (the newest one is kept whatever its size).
MAX_BYTES = 1 << 30
#: Bumped when the entry layout changes.
_FORMAT = b"corridors-network-cache/1"
_PREFIX = "network-"
_SUFFIX = ".pickle"
#: A temporary file older than this (an interrupted write) is removed.
_STALE_TMP_NS = 3600 * 10**9
#: Subpackages and modules whose code decides what a validated network holds.
_CODE_DIRS = ("io", "model")
_CODE_FILES = ("data/schema.csv", "errors.py", "units.py", "geo.py")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder, or ``None`` when the cache is turned off.

    ``$CORRIDORS_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridors``, else
    ``$HOME/.cache/corridors``; ``None`` when ``CORRIDORS_NO_CACHE`` is set, or when none
    of the three is (a process without a home, such as a bare service, writes nothing).

    Examples
    --------
    >>> cache_dir({"CORRIDORS_CACHE_DIR": "/tmp/cx", "HOME": "/home/u"})
    PosixPath('/tmp/cx')
    >>> cache_dir({"XDG_CACHE_HOME": "/tmp/xdg", "HOME": "/home/u"})
    PosixPath('/tmp/xdg/corridors')
    >>> cache_dir({"HOME": "/home/u"})
    PosixPath('/home/u/.cache/corridors')
    >>> cache_dir({"CORRIDORS_NO_CACHE": "1", "CORRIDORS_CACHE_DIR": "/tmp/cx"}) is None
    True
    >>> cache_dir({}) is None
    True
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_OFF, "").strip().lower() in {"1", "true", "yes"}:
        return None
    if env.get(ENV_DIR):
        return Path(env[ENV_DIR])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "corridors"
    if env.get("HOME"):
        return Path(env["HOME"]) / ".cache" / "corridors"
    return None


def _files_under(folder: str, prefix: str = "") -> list[tuple[str, str]]:
    """``(relative path, path)`` of every regular file below ``folder``, sorted.

    Hidden files and folders and ``__pycache__`` are left out (``os.scandir`` rather
    than ``pathlib``: this runs on every load and must cost well under a millisecond).
    """
    out: list[tuple[str, str]] = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            rel = prefix + entry.name
            if entry.is_dir():
                out.extend(_files_under(entry.path, rel + "/"))
            elif entry.is_file():
                out.append((rel, entry.path))
    return sorted(out)


def _code_files(package: str) -> list[tuple[str, str]]:
    """The schema and the modules whose code decides what a validated network holds."""
    out = [(name, os.path.join(package, name)) for name in _CODE_FILES]
    for sub in _CODE_DIRS:
        out.extend(
            f for f in _files_under(os.path.join(package, sub), sub + "/") if f[0].endswith(".py")
        )
    return out


def _stamp(h: hashlib.blake2b, files: list[tuple[str, str]]) -> None:
    """Add each file's relative path, size, ``mtime_ns`` and content hash to ``h``."""
    for rel, path in files:
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data = fh.read()
        except OSError:  # gone since listed, or unreadable: the load itself will say so
            h.update(f"\0{rel}\0unreadable\0".encode())
            continue
        h.update(f"\0{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        h.update(hashlib.blake2b(data, digest_size=16).digest())


def network_key(folder: Path, *, label: str) -> str:
    """The fingerprint of the network that loading ``folder`` as ``label`` gives.

    Parameters
    ----------
    folder
        The folder of tables.
    label
        The label the network gets (it is part of the network, so part of the key).

    Returns
    -------
    str
        32 hex digits; any change to a file of the folder (content, size or
        modification time), a new or removed file, another schema, code or library
        version gives another key.
    """
    import numpy as np
    import pandas as pd

    from corridors import __version__

    package = str(resources.files("corridors"))
    h = hashlib.blake2b(_FORMAT, digest_size=16)
    versions = (__version__, sys.version, np.__version__, pd.__version__)
    h.update(repr((label, os.path.realpath(folder), versions)).encode())
    _stamp(h, _files_under(str(folder)))
    _stamp(h, _code_files(package))
    return h.hexdigest()


def _entry(folder: Path, key: str) -> Path:
    return folder / f"{_PREFIX}{key}{_SUFFIX}"


def read_entry(key: str, folder: Path | None) -> object | None:
    """The object stored under ``key``, or ``None`` (no cache, no entry, or unreadable).

    An entry that cannot be unpickled or was written for another key is removed, so
    that the caller rebuilds it. A hit marks the entry as recently used.
    """
    if folder is None:
        return None
    path = _entry(folder, key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        fmt, stored_key, obj = cast(tuple[bytes, str, object], pickle.loads(data))
        if fmt != _FORMAT or stored_key != key:
            raise ValueError("entry of another key or format")
    except Exception:  # any failure to read back means: rebuild
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return obj


def write_entry(key: str, obj: object, folder: Path | None) -> Path | None:
    """Store ``obj`` under ``key`` atomically, then trim the cache (:data:`KEEP`, :data:`MAX_BYTES`).

    Returns the entry's path, or ``None`` when there is no cache or it cannot be written
    (a read-only or full disk, or an object that does not pickle, is not an error: the
    cache is only a shortcut).
    """
    if folder is None:
        return None
    tmp: str | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_FORMAT, key, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        path = _entry(folder, key)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # a full disk, a read-only folder, an object that does not pickle
        return None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _trim(folder, KEEP, MAX_BYTES)
    return path


def _trim(folder: Path, keep: int, max_bytes: int) -> None:
    """Keep the ``keep`` most recently used entries within ``max_bytes`` (the newest always).

    Temporary files of interrupted writes older than an hour are removed too.
    """
    now = time.time_ns()
    for tmp in folder.glob(f".tmp-*{_SUFFIX}"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime_ns > _STALE_TMP_NS:
                tmp.unlink()
    entries = []
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
        with contextlib.suppress(OSError):
            st = path.stat()
            entries.append((st.st_mtime_ns, st.st_size, path))
    entries.sort(reverse=True)
    total = 0
    for i, (_, size, path) in enumerate(entries):
        total += size
        if i >= keep or (i > 0 and total > max_bytes):
            with contextlib.suppress(OSError):
                path.unlink()
