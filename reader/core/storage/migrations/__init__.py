"""Versioned schema migrations (sqlite-utils ``Migrations``), applied in the order registered here.

One module per migration, ``mNNN_<topic>.py``, named by order; each holds one function of the
same name. A library records the *function names* it has applied (:data:`KNOWN`), so those names
never change: an existing library is not migrated again.

A library that has applied a migration this version does not know was written by a newer app: it
is refused untouched (:class:`NewerSchemaError`). An older library is upgraded after a backup copy.

Which migrations a library has applied is read with plain SQL, so opening an up-to-date library
never imports sqlite-utils (~100 ms of the window's start-up); :data:`migrations` (the sqlite-utils
``Migrations`` object) is built on first use.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from reader.core.storage.migrations.m001_core import m001_core
from reader.core.storage.migrations.m002_translations import m002_translations
from reader.core.storage.migrations.m003_annotations import m003_annotations
from reader.core.storage.migrations.m004_annotation_indexes import m004_annotation_indexes
from reader.core.storage.migrations.m005_article_row_index import m005_article_row_index
from reader.core.storage.migrations.m006_rich_articles import m006_rich_articles
from reader.core.storage.migrations.m007_feeds import m007_feeds

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "polyglot-reader"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' table

#: In the order they are applied. m007 was written (and is in libraries) before m006, whose name was
#: reserved for the rich-articles issue: m006 comes last so every library applies them in one order.
_ALL = (m001_core, m002_translations, m003_annotations, m004_annotation_indexes, m005_article_row_index,
        m007_feeds, m006_rich_articles)

#: Names of all migrations this version knows, in order. ``PRAGMA user_version`` is its length.
KNOWN = [fn.__name__ for fn in _ALL]
SCHEMA_VERSION = len(KNOWN)

_migrations: Migrations | None = None


def get_migrations() -> Migrations:
    """The sqlite-utils ``Migrations`` set (imports sqlite-utils on first use)."""
    global _migrations
    if _migrations is None:
        from sqlite_utils.migrations import Migrations

        m = Migrations(MIGRATION_SET)
        for fn in _ALL:
            m()(fn)
        _migrations = m
    return _migrations


def __getattr__(name: str) -> Any:  # ``from ...migrations import migrations`` keeps working
    if name == "migrations":
        return get_migrations()
    raise AttributeError(name)


def applied_names(db: Database | sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to a library, in the order applied (plain SQL)."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", (MIGRATION_SET,)
    ).fetchall()
    return [r[0] for r in rows]


def apply_pending(conn: sqlite3.Connection) -> bool:
    """Apply the migrations a library lacks; False when it was up to date (nothing imported)."""
    if applied_names(conn) == KNOWN:
        return False
    from sqlite_utils import Database

    get_migrations().apply(Database(conn))
    return True
