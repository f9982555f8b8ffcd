"""Versioned schema migrations (sqlite-utils ``Migrations``), applied in the order registered here.

A library that has applied a migration this version does not know was written by a newer app: it
is refused untouched (:class:`NewerSchemaError`). An older library is upgraded after a backup copy.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from reader.core.storage.schema_annotation import m003_annotations
from reader.core.storage.schema_annotation2 import m004_annotation_indexes
from reader.core.storage.schema_core import m001_core, m005_article_row_index
from reader.core.storage.schema_translation import m002_translations

MIGRATION_SET = "polyglot-reader"

_ALL = (m001_core, m002_translations, m003_annotations, m004_annotation_indexes, m005_article_row_index)

migrations = Migrations(MIGRATION_SET)
for _fn in _ALL:
    migrations()(_fn)

#: Names of all migrations this version knows, in order. ``PRAGMA user_version`` is its length.
KNOWN = [fn.__name__ for fn in _ALL]
SCHEMA_VERSION = len(KNOWN)


def applied_names(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]
