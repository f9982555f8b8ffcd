"""Opening the library file safely, and mapping SQLite's exceptions to the app's error tree."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from reader.core.errors import (
    DiskFullError,
    LibraryFileError,
    LibraryFolderError,
    LibraryLockedError,
    StorageError,
)

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of a Polyglot Reader library ("PRDR").
APPLICATION_ID = 0x50524452
BUSY_TIMEOUT_MS = 30_000
#: Test hook: when set to a positive integer, every connection gets ``PRAGMA max_page_count`` of
#: that many pages, so a test (or a user trying things out) can make the library "full" without a
#: small filesystem. ``PRAGMA max_page_count`` is per connection, hence an environment variable.
MAX_PAGES_ENV = "READER_MAX_PAGES"


#: Library files this process has open, by (device, inode), with how many connections. POSIX
#: advisory locks belong to the process, and closing ANY descriptor of a file drops all of them: a
#: plain ``open()``/``close()`` of a library file another thread has open silently releases that
#: connection's SQLite locks, and another process then checkpoints and deletes the WAL under it
#: ("database disk image is malformed"). So a file that is already open here is never re-read.
_OPEN_FILES: dict[tuple[int, int], int] = {}
#: Held while a library file is checked and opened, and while the table above changes.
OPEN_LOCK = threading.RLock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def register_open(path: Path) -> tuple[int, int] | None:
    """Note that a connection to ``path`` is open in this process; returns the key to release."""
    key = _file_key(path)
    if key is not None:
        with OPEN_LOCK:
            _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1
    return key


def release_open(key: tuple[int, int] | None) -> None:
    """Forget one connection registered by :func:`register_open`."""
    if key is None:
        return
    with OPEN_LOCK:
        left = _OPEN_FILES.get(key, 0) - 1
        if left > 0:
            _OPEN_FILES[key] = left
        else:
            _OPEN_FILES.pop(key, None)


def is_open_here(path: Path) -> bool:
    """True when this process already has a connection to the library file ``path``."""
    key = _file_key(path)
    with OPEN_LOCK:
        return key is not None and key in _OPEN_FILES


def check_file(path: Path) -> bool:
    """Check that an existing file looks like an SQLite database without writing to it.

    Returns True when the file exists and is non-empty (False: a new library will be created).
    Raises :class:`LibraryFileError` for anything that is not SQLite. A file this process already
    has open is not read again (see ``_OPEN_FILES``: that would drop the open connection's locks).
    """
    if not path.exists():
        return False
    if is_open_here(path):
        return True
    if path.is_dir():
        raise LibraryFileError(f"{path} is a folder, not a library file")
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise LibraryFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):  # opening a FIFO blocks forever; a device is never a library
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise LibraryFileError(f"{path} is {kind}, not a regular file: not a library; open a library file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise LibraryFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not header:
        return False
    if header != SQLITE_MAGIC:
        raise LibraryFileError(
            f"{path} is not a Polyglot Reader library (not an SQLite file); "
            "open another library or restore a backup"
        )
    return True


def check_folder(path: Path) -> None:
    """Refuse a library path whose folder does not exist (or is not a folder), naming that folder.

    A new library file is created only in a folder that is already there: a mistyped ``--db`` must
    not leave folders and an empty library behind. (The default library's folder, the platform
    data directory, is made by :func:`reader.paths.data_dir`.)
    """
    folder = Path(path).expanduser().parent
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise LibraryFolderError(f"{folder} is not a folder: cannot create the library {Path(path).name} in it")
    raise LibraryFolderError(
        f"the folder {folder} does not exist; create it first or check the library path "
        f"(nothing was created)"
    )


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on."""
    try:
        if readonly:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            )
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                # A WAL library in a folder where even the -shm cannot be made: nobody can write
                # it there either, so read it as an immutable file.
                conn.close()
                conn = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None,
                    timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                )
        else:
            check_folder(path)
            conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        max_pages = os.environ.get(MAX_PAGES_ENV, "").strip()
        if max_pages.isdigit() and int(max_pages) > 0:
            conn.execute(f"PRAGMA max_page_count = {int(max_pages)}")
        return conn
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, path) from exc
    except OSError as exc:
        raise StorageError(f"cannot open {path}: {exc.strerror or exc}") from exc


def map_sqlite_error(exc: BaseException, path: Path | str | None = None) -> StorageError:
    """The app's error for an SQLite (or OS) exception, with a message fit for a user."""
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "disk is full" in text or "database or disk is full" in text or isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return DiskFullError(f"the disk is full{where}; nothing was written — free some space and try again")
    if "expression tree is too large" in text or "parser stack overflow" in text or "too many terms" in text:
        return StorageError("the search query is too complex; use fewer words and filters")
    if "locked" in text or "busy" in text:
        return LibraryLockedError(f"the library is busy in another program{where}; try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return LibraryFileError(
            f"the library file is damaged{where}; open another library or restore a backup"
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            f"the library is read-only{where}: its file or folder cannot be written; it can be read, "
            "not changed — copy it to a writable folder to change it"
        )
    if "unable to open" in text:
        return StorageError(f"cannot open the library{where}")
    return StorageError(f"library error{where}: {exc}")


@contextlib.contextmanager
def mapped_errors(path: Path | str | None = None) -> Iterator[None]:
    """Re-raise sqlite3 and OS storage errors as :class:`StorageError` subclasses."""
    try:
        yield
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, path) from exc
    except OSError as exc:
        if exc.errno == 28:
            raise map_sqlite_error(exc, path) from exc
        raise StorageError(f"cannot access the library ({path}): {exc.strerror or exc}") from exc


#: Ids per ``IN (...)`` list: well under SQLite's bound-variable limit, with room for other params.
IN_CHUNK = 500


def in_chunks(items: Sequence[T]) -> Iterator[tuple[list[T], str]]:
    """Slices of ``items`` with the matching ``?,?,?`` placeholders, for ``IN (...)`` queries."""
    for start in range(0, len(items), IN_CHUNK):
        chunk = list(items[start : start + IN_CHUNK])
        yield chunk, ",".join("?" * len(chunk))
