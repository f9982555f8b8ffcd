"""Opening the library file safely, and mapping SQLite's exceptions to the app's error tree."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from reader.core.errors import (
    DiskFullError,
    LibraryFileError,
    LibraryLockedError,
    StorageError,
)

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of a Polyglot Reader library ("PRDR").
APPLICATION_ID = 0x50524452
BUSY_TIMEOUT_MS = 30_000


def check_file(path: Path) -> bool:
    """Check that an existing file looks like an SQLite database without writing to it.

    Returns True when the file exists and is non-empty (False: a new library will be created).
    Raises :class:`LibraryFileError` for anything that is not SQLite.
    """
    if not path.exists():
        return False
    if path.is_dir():
        raise LibraryFileError(f"{path} is a folder, not a library file")
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


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on."""
    try:
        if readonly:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
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
    if "locked" in text or "busy" in text:
        return LibraryLockedError(f"the library is busy in another program{where}; try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return LibraryFileError(
            f"the library file is damaged{where}; open another library or restore a backup"
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(f"the library is read-only{where}")
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
