"""Whole tables in and out, for backups: which tables hold data, a consistent read of all of them,
and loading rows back in one transaction.

:mod:`reader.core.export` does the file format (a zip of JSON lines with a manifest); the SQL is
here. FTS indexes and bookkeeping tables are never dumped (they are rebuilt by the triggers).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.core.storage.migrations import applied_names

if TYPE_CHECKING:
    from reader.core.storage.database import Database

#: Tables never backed up: bookkeeping of SQLite and of sqlite-utils migrations.
SKIP_TABLES = {"_sqlite_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
BATCH = 1000
#: A batch also ends once its rows hold this many bytes of text and BLOBs (pictures): a backup or
#: restore of big pictures holds a few of them at a time, never a thousand.
BATCH_BYTES = 1024 * 1024


def row_bytes(row: Sequence[Any]) -> int:
    """About how much memory a row's text and BLOB values take (what :data:`BATCH_BYTES` counts)."""
    return sum(len(v) for v in row if isinstance(v, str | bytes))


@dataclass
class TableSpec:
    """A table that holds data, with its columns as dumped ("rowid" first when it is no column)."""

    name: str
    columns: list[str]


def data_tables(conn: sqlite3.Connection) -> list[TableSpec]:
    """Every table that holds data, FTS indexes and bookkeeping left out, in creation order."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    specs: list[TableSpec] = []
    for name, sql in rows:
        if name in SKIP_TABLES or name.startswith("sqlite_") or name in virtual:
            continue
        if any(name.startswith(v + "_") for v in virtual):
            continue  # an FTS shadow table
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        columns = [r[1] for r in info]
        pks = [r for r in info if r[5]]
        rowid_alias = len(pks) == 1 and (pks[0][2] or "").upper() == "INTEGER"
        without_rowid = "WITHOUT ROWID" in (sql or "").upper()
        if not rowid_alias and not without_rowid:
            columns = ["rowid", *columns]
        specs.append(TableSpec(name, columns))
    return specs


def _column_list(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' if c != "rowid" else "rowid" for c in columns)


class Snapshot:
    """A consistent read of a whole library (inside one read transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.schema: list[str] = applied_names(conn)
        self.tables: list[TableSpec] = data_tables(conn)

    def count(self, spec: TableSpec) -> int:
        """How many rows one table holds (in this snapshot): the total a backup's progress counts to."""
        return int(self._conn.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()[0])

    def batches(self, spec: TableSpec) -> Iterator[list[Any]]:
        """The rows of one table in batches (at most :data:`BATCH` rows and about
        :data:`BATCH_BYTES`), ordered by their first column."""
        cur = self._conn.execute(f'SELECT {_column_list(spec.columns)} FROM "{spec.name}" ORDER BY 1')
        batch: list[Any] = []
        size = 0
        for row in cur:
            batch.append(row)
            size += row_bytes(row)
            if len(batch) >= BATCH or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch


@contextlib.contextmanager
def snapshot(library: Database) -> Iterator[Snapshot]:
    """Read every data table as of one moment (WAL: writers go on meanwhile)."""
    with library.snapshot() as conn:
        yield Snapshot(conn)


def table_specs(library: Database) -> list[TableSpec]:
    """The data tables of a library (see :func:`data_tables`)."""
    return data_tables(library.conn)


def is_empty(library: Database, *, ignore: Iterable[str] = ("settings",)) -> bool:
    """True when no data table (besides ``ignore``) has a row."""
    skip = set(ignore)
    for spec in data_tables(library.conn):
        if spec.name in skip:
            continue
        if library.conn.execute(f'SELECT 1 FROM "{spec.name}" LIMIT 1').fetchone():
            return False
    return True


def load_tables(
    library: Database,
    tables: Sequence[tuple[str, Sequence[str]]],
    rows_of: Callable[[str], Iterable[Sequence[Any]]],
    *,
    clear: Iterable[str],
) -> None:
    """In one transaction: empty the tables ``clear`` (children first), then insert each table's
    rows (``tables`` in creation order, parents before children; ``rows_of(name)`` yields them)."""
    specs = [s.name for s in data_tables(library.conn)]
    to_clear = set(clear)
    with library.write() as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for name in reversed(specs):
            if name in to_clear:
                conn.execute(f'DELETE FROM "{name}"')
        for name, columns in tables:
            marks = ", ".join("?" * len(columns))
            sql = f'INSERT INTO "{name}" ({_column_list(columns)}) VALUES ({marks})'
            batch: list[Sequence[Any]] = []
            size = 0
            for row in rows_of(name):
                batch.append(row)
                size += row_bytes(row)
                if len(batch) >= BATCH or size >= BATCH_BYTES:
                    conn.executemany(sql, batch)
                    batch.clear()
                    size = 0
            if batch:
                conn.executemany(sql, batch)


def tables_for_schema(schema: Sequence[str]) -> set[str]:
    """The data tables a library has after applying the migrations ``schema`` (a prefix of
    :data:`~reader.core.storage.migrations.KNOWN`), found by applying them to an in-memory database."""
    from sqlite_utils import Database as SqliteUtilsDatabase

    from reader.core.storage.migrations import KNOWN, get_migrations

    if list(schema) != KNOWN[: len(schema)]:
        raise ValueError("not a prefix of the known migrations")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        stop = KNOWN[len(schema)] if len(schema) < len(KNOWN) else None
        get_migrations().apply(SqliteUtilsDatabase(conn), stop_before=stop)
        return {spec.name for spec in data_tables(conn)}
    finally:
        conn.close()
