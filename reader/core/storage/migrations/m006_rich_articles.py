"""Migration 006: articles keep their shape — blocks beside the plain text, pictures in the file.

* ``images`` — every stored picture once, content-addressed (``sha256`` of its bytes; the same
  picture in two articles is stored once), with its type, size in pixels and in bytes. The bytes are
  in the library file, so the library stays one file and backups carry them.
* ``article_images`` — which pictures an article uses (an article's pictures are removed with the
  last article that uses them).
* ``article_blocks`` — an article's structure: a JSON list of blocks (heading, list item, quote,
  pre, image, rule, table row, paragraph), each mapped to its span of ``articles.body``. The plain
  text is unchanged: search, language detection, highlights and translations keep working on it
  and their offsets do not move.

Every article that existed before this migration is, by definition, one paragraph block per
paragraph of its body: an article without a row here *is* that (``storage.rich.paragraph_blocks``
derives it exactly, on read), so the upgrade rewrites nothing and loses nothing — it takes
milliseconds on a library of a million articles instead of a rewrite of every row. Only articles
whose structure is more than paragraphs get a row.

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m006_rich_articles(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE images (
            id       INTEGER PRIMARY KEY,
            sha256   TEXT NOT NULL UNIQUE,
            mime     TEXT NOT NULL,
            width    INTEGER NOT NULL,
            height   INTEGER NOT NULL,
            bytes    INTEGER NOT NULL,
            data     BLOB NOT NULL,
            added_at TEXT NOT NULL
        );

        CREATE TABLE article_images (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sha256     TEXT NOT NULL REFERENCES images(sha256),
            position   INTEGER NOT NULL,          -- order of first use in the article
            alt        TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (article_id, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX idx_article_images_sha ON article_images(sha256);

        CREATE TABLE article_blocks (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            blocks     TEXT NOT NULL              -- JSON: [{"k": kind, "s": start, "e": end, ...}]
        );
        """
    )
