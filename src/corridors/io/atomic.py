"""Atomic file writes: a file, or a set of files in a folder, appears whole or not at all.

Every writer here writes to a hidden temporary next to the target (``.NAME.PID.*.tmp``)
and renames it into place; the temporary is removed on every error path, including
``KeyboardInterrupt``; temporaries left by a process that was killed are removed by the
next write to the same target. Files get the permissions the umask gives (0644 under
umask 022), not the 0600 of :func:`tempfile.mkstemp`. A folder, a device or an empty
name is refused as a file target; an existing folder is replaced by a folder export only
when it holds nothing but the files that export writes.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from corridors.errors import CorridorsError

__all__ = [
    "atomic_write_file",
    "atomic_write_folder",
    "atomic_write_text",
    "check_file_target",
]

#: A function that writes one file at the path it is given.
Writer = Callable[[Path], None]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fail(target: Path, exc: OSError) -> CorridorsError:
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        why = "no space left on the device"
    return CorridorsError(f"cannot write {target}: {why}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(target: Path) -> None:
    """Remove temporaries of ``target`` left by processes that no longer run."""
    try:
        leftovers = list(target.parent.glob(f".{target.name}.*.tmp"))
    except OSError:
        return
    for path in leftovers:
        pid = path.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def check_file_target(target: Path) -> None:
    """Refuse an empty name, a folder or anything but a regular file as a file target.

    Raises
    ------
    CorridorsError
        Saying what the target is.

    Examples
    --------
    >>> check_file_target(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: cannot write /dev/null: not a regular file (a device?)
    """
    if not str(target).strip() or target.name in ("", ".", ".."):
        raise CorridorsError(f"cannot write {str(target)!r}: give a file name")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _fail(target, exc) from None
    if stat.S_ISDIR(mode):
        raise CorridorsError(f"cannot write {target}: it is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise CorridorsError(f"cannot write {target}: not a regular file (a device?)")


def atomic_write_file(target: Path, write: Writer) -> Path:
    """Write one file through ``write(temporary_path)`` and rename it to ``target``.

    Raises
    ------
    CorridorsError
        If the target is refused (:func:`check_file_target`) or the write fails (a full
        disk, no permission); the target is then untouched.
    """
    check_file_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(target)
        fd, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp"
        )
        os.close(fd)
    except OSError as exc:
        raise _fail(target, exc) from None
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        raise _fail(target, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically (see :func:`atomic_write_file`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write_text(folder / "a.txt", "hello").read_text()
    'hello'
    """

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return atomic_write_file(target, write)


def _replaceable(target: Path, names: set[str]) -> bool:
    if not target.exists() and not target.is_symlink():
        return False
    if not target.is_dir() or target.is_symlink():
        raise CorridorsError(f"cannot write {target}: it exists and is not a folder")
    other = sorted(p.name for p in target.iterdir() if p.name not in names)
    if other:
        raise CorridorsError(
            f"cannot write {target}: the folder holds other files ({', '.join(other[:5])}); "
            "give a new or empty folder"
        )
    return True


def atomic_write_folder(target: Path, files: Mapping[str, Writer]) -> list[Path]:
    """Write a set of files into folder ``target`` as one: all of them or none.

    The files are written into a temporary folder beside ``target``, which is then renamed
    to ``target`` (an existing ``target`` holding only these files is swapped out and
    removed).

    Returns
    -------
    list of Path
        The files written, in the order of ``files``.

    Raises
    ------
    CorridorsError
        If the target is refused or a write fails; ``target`` is then untouched.
    """
    if not str(target).strip() or target.name in ("", ".", ".."):
        raise CorridorsError(f"cannot write {str(target)!r}: give a folder name")
    replace = _replaceable(target, set(files))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(target)
        tmp = Path(
            tempfile.mkdtemp(
                dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp"
            )
        )
    except OSError as exc:
        raise _fail(target, exc) from None
    old = tmp.with_name(tmp.name.replace(".tmp", ".old.tmp"))
    mask = _umask()
    try:
        for name, write in files.items():
            write(tmp / name)
            os.chmod(tmp / name, 0o666 & ~mask)
        os.chmod(tmp, 0o777 & ~mask)
        if replace:
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except OSError:
            if replace:
                os.rename(old, target)
            raise
    except OSError as exc:
        raise _fail(target, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return [target / name for name in files]
