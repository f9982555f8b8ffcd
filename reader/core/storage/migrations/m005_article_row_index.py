"""Migration 005: a covering index keyed by id over the columns filters read.

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m005_article_row_index(db: Database) -> None:
    """A small covering index keyed by id over the columns filters read.

    Full-text results are joined to ``articles`` by id to apply filters (archived, lang, read ...);
    looking those up in this index instead of the ~3 KB table rows makes the join ~3x faster at 100k
    articles (the search code names it with ``INDEXED BY``).
    """
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS idx_articles_row
            ON articles(id, archived, read, starred, lang, published, source);
        """
    )
