"""The library file as a database: opening (checks, migrations), read helpers and write transactions.

:class:`Database` wraps one connection; a connection belongs to one thread at a time, so each
thread (the GUI's reader, the writer worker, a CLI process) opens its own library object on the
same file. WAL mode lets readers go on while one writer commits. Writes go through
:meth:`Database.write`, a ``BEGIN IMMEDIATE`` transaction (a savepoint when nested), so a failure
leaves nothing half-written. The table families (:mod:`.articles`, :mod:`.tags`, :mod:`.search`,
:mod:`.highlights`, :mod:`.saved_searches`, :mod:`.translations`) build on it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core.errors import LibraryFileError, NewerSchemaError
from reader.core.storage.connection import (
    APPLICATION_ID,
    OPEN_LOCK,
    check_file,
    connect,
    mapped_errors,
    register_open,
    release_open,
)
from reader.core.storage.migrations import KNOWN, applied_names, apply_pending

_savepoints = itertools.count(1)


def utc_now() -> str:
    """Now as an ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _writable(path: Path) -> bool:
    """True when the library file and its folder can be written (the folder holds -wal/-shm)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


class Database:
    """One connection to a Polyglot Reader library file.

    Opening creates the file if needed, refuses files that are not ours or are newer, and upgrades
    older ones after a backup copy (``<name>.backup-v<N>``).
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path).expanduser()
        # Checked and opened under one lock: reading the header of a file another thread of this
        # process has open would drop that connection's locks (see connection._OPEN_FILES). The
        # registration is released by close(), or when the object is collected without it.
        with OPEN_LOCK:
            existed = check_file(self.path)
            if not existed and not create:
                raise LibraryFileError(f"no library at {self.path}")
            #: True when the file or its folder cannot be written: opened read-only (reads work,
            #: writes fail with one "read-only" line).
            self.readonly = existed and not _writable(self.path)
            self.conn: sqlite3.Connection = connect(self.path, readonly=self.readonly)
            self._release = weakref.finalize(self, release_open, register_open(self.path))
        try:
            with mapped_errors(self.path):
                self._prepare(existed)
        except BaseException:
            self.close()
            raise

    @property
    def db(self) -> Any:
        """A sqlite-utils ``Database`` over this connection (sqlite-utils is imported on first use)."""
        db = self.__dict__.get("_db")
        if db is None:
            from sqlite_utils import Database as SqliteUtilsDatabase

            db = self.__dict__["_db"] = SqliteUtilsDatabase(self.conn)
        return db

    # --- opening and migrating ------------------------------------------------------------------
    def _prepare(self, existed: bool) -> None:
        if existed:
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # raises if damaged
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if app_id != APPLICATION_ID and tables:
                raise LibraryFileError(
                    f"{self.path} is an SQLite file of another program, not a Polyglot Reader "
                    "library; it was left untouched — open another library"
                )
            done = applied_names(self.conn) if tables else []
            unknown = [n for n in done if n not in KNOWN]
            if unknown:
                raise NewerSchemaError(
                    f"{self.path} was written by a newer Polyglot Reader (schema {len(done)}, this "
                    f"version knows {len(KNOWN)}); it was left untouched — update the app or open "
                    "another library"
                )
            if self.readonly:
                if done != KNOWN:
                    raise LibraryFileError(
                        f"{self.path} is read-only and needs an upgrade by this version; copy it to a "
                        "writable folder and open it there"
                    )
                return
            if done and len(done) < len(KNOWN):
                self.backup_copy(self.path.with_name(f"{self.path.name}.backup-v{len(done)}"))
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        if applied_names(self.conn) != KNOWN:
            # Creating and migrating under an exclusive lock, checked again once it is held: five
            # processes making the same new library at once migrate it once, the others wait.
            self.conn.execute("BEGIN EXCLUSIVE")
            try:
                if applied_names(self.conn) != KNOWN:
                    self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    apply_pending(self.conn)
                    self.conn.execute(f"PRAGMA user_version = {len(KNOWN)}")
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this library, in order."""
        with mapped_errors(self.path):
            return applied_names(self.conn)

    def backup_copy(self, dest: Path) -> Path:
        """A consistent copy of the library (SQLite online backup) at ``dest``."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        with mapped_errors(dest):
            try:
                target = sqlite3.connect(str(tmp))
                try:
                    self.conn.backup(target)
                finally:
                    target.close()
                shutil.move(str(tmp), str(dest))
            except BaseException:
                tmp.unlink(missing_ok=True)  # e.g. the disk filled: leave no half copy behind
                raise
        return dest

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self._release()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all or nothing; errors mapped to StorageError.

        Nested inside another write it is a savepoint: its failure undoes only its own part.
        """
        with mapped_errors(self.path):
            if self.conn.in_transaction:  # nested: a savepoint
                name = f"sp_{next(_savepoints)}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self.conn
                except BaseException:
                    # SQLite may have rolled the whole transaction back already (a full disk):
                    # then there is no savepoint left, and the original error is what matters.
                    if self.conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            self.conn.execute(f"ROLLBACK TO {name}")
                            self.conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every read inside sees one consistent state of the file (WAL)."""
        with mapped_errors(self.path):
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a query (as :class:`sqlite3.Row`), errors mapped."""
        with mapped_errors(self.path):
            cur = self.conn.execute(sql, list(params))
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    def _column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The first column of a query's rows, errors mapped: plain tuples, not :class:`sqlite3.Row`
        (a list of a million ids is built in ~0.5 s instead of ~1.3 s, holding the GIL less)."""
        with mapped_errors(self.path):
            cur = self.conn.execute(sql, list(params))
            cur.row_factory = None
            return [row[0] for row in cur]

    # --- misc -----------------------------------------------------------------------------------
    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` on this connection: it changes whenever another
        connection (another thread's, or another process's) commits a change to the file."""
        return int(self._read("PRAGMA data_version")[0][0])

    def integrity_ok(self) -> bool:
        return self._read("PRAGMA integrity_check")[0][0] == "ok"
