"""Checks on the files the app writes to (exports, backups): never replace what must not be replaced.

A target path is written only when it does not exist yet or is a *regular file* that is neither the
open library, nor one of its ``-wal``/``-shm``/``-journal`` companions, nor any other SQLite file
(another library, a WAL or rollback journal). Devices, FIFOs, sockets and folders are refused; so is
a symbolic link: the app writes by renaming a temp file over the target, which would replace the
link itself, and following it would write to a file the user did not name. Each refusal is one
:class:`~reader.core.errors.ValidationError` line.

Temp files of ours (``.export-*.tmp``, ``.backup-*.tmp``) are held under an exclusive ``flock``
while they are written; :func:`sweep_stale_temps` removes the ones no live run holds (left by a
killed run). A failed write removes its own temp file (:func:`atomic_writer`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from reader.core.errors import ValidationError
from reader.core.storage.connection import SQLITE_MAGIC, is_open_here

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; stale temp files are swept by age
    fcntl = None  # type: ignore[assignment]

#: SQLite companion files of a database.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
#: First bytes of a WAL file (big- and little-endian checksums) and of a rollback journal.
_WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
_JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
#: Our temp files: ``tempfile.mkstemp(prefix=".export-"|".backup-", suffix=".tmp")``.
TEMP_RE = re.compile(r"^\.(export|backup)-[A-Za-z0-9_]{6,16}\.tmp$")
#: Without flock (Windows) a temp file untouched for this long is taken as stale.
STALE_AGE_S = 6 * 3600


def _kind(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def _is_sqlite_file(path: Path) -> bool:
    """True for an SQLite database, WAL or journal (read only when no connection here has it open)."""
    if is_open_here(path):
        return True
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        head = os.read(fd, 16)
    except OSError:
        return False
    finally:
        os.close(fd)
    return head == SQLITE_MAGIC or head[:4] in _WAL_MAGICS or head[:8] == _JOURNAL_MAGIC


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _library_files(library: Path) -> list[Path]:
    return [library, *(library.with_name(library.name + s) for s in COMPANION_SUFFIXES)]


def check_target(path: Path, *, library: Path | None = None, what: str = "export") -> None:
    """Refuse to write ``path`` unless it is new or a plain regular file that is no SQLite file.

    ``library`` is the open library: it and its companions are refused even when they do not
    exist yet (a WAL appears with the next write).
    """
    path = Path(path)
    if library is not None:
        lib = Path(library)
        for candidate in _library_files(lib):
            if _same(path, candidate) or os.path.abspath(path) == os.path.abspath(candidate):
                raise ValidationError(
                    f"{path} is the open library file or one of its companions; the {what} was not "
                    "written (nothing was changed) — choose another file name"
                )
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ValidationError(f"cannot write the {what} to {path}: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(st.st_mode):
        raise ValidationError(
            f"{path} is a symbolic link; the {what} was not written (a link is never replaced or "
            "followed) — give the real file's path"
        )
    kind = _kind(st.st_mode)
    if stat.S_ISDIR(st.st_mode):
        example = path / ("library-backup.zip" if what == "backup" else "export.json")
        raise ValidationError(f"{path} is a folder; the {what} was not written — give a file path, e.g. {example}")
    if kind is not None:
        raise ValidationError(f"{path} is {kind}, not a regular file; the {what} was not written")
    if _is_sqlite_file(path):
        raise ValidationError(
            f"{path} is an SQLite file (a library or its journal); the {what} was not written "
            "(nothing was changed) — choose another file name"
        )


def _holds_lock(path: Path) -> bool:
    """True when a live run still writes this temp file (it holds the flock)."""
    if fcntl is None:  # pragma: no cover - Windows
        try:
            import time

            return time.time() - path.stat().st_mtime < STALE_AGE_S
        except OSError:
            return True
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also drops the lock we may have taken
    return False


def sweep_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files of ours in ``folder`` left by runs that were killed. Returns them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMP_RE.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        path = Path(entry.path)
        if _holds_lock(path):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_writer(dest: Path, *, prefix: str) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``dest`` (rename) when the block succeeds; removed when it fails.

    The temp file sits beside ``dest`` and is held under an exclusive flock while written, so
    :func:`sweep_stale_temps` in another run leaves it alone. Check ``dest`` first
    (:func:`check_target`). ``OSError`` is raised as is, for the caller to word.
    """
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=prefix, suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
