"""Migration 002: the paragraph translation cache and per-article assembled translations (searchable).

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from reader.core.storage.migrations.m001_core import FTS_TOKENIZE


def m002_translations(db: Database) -> None:
    db.executescript(
        f"""
        -- One row per translated paragraph (or title, or selection). Never an empty or failed result.
        CREATE TABLE translations (
            id           INTEGER PRIMARY KEY,
            source_hash  TEXT NOT NULL,               -- sha256 of the NFC source text
            source_lang  TEXT NOT NULL,
            target_lang  TEXT NOT NULL,
            engine       TEXT NOT NULL,               -- e.g. google, libre, deepl, offline:roen-tiny
            text         TEXT NOT NULL CHECK (length(text) > 0),
            created_at   TEXT NOT NULL,
            UNIQUE (source_hash, source_lang, target_lang, engine)
        );

        -- The translation of a whole article into one language, assembled from cached paragraphs:
        -- what the full-text index searches and what has:translation tests.
        CREATE TABLE article_translations (
            article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            target_lang  TEXT NOT NULL,
            engine       TEXT NOT NULL,
            title        TEXT NOT NULL DEFAULT '',
            body         TEXT NOT NULL DEFAULT '',   -- paragraphs split by a blank line ('' if missing)
            complete     INTEGER NOT NULL DEFAULT 0,
            updated_at   TEXT NOT NULL,
            UNIQUE (article_id, target_lang)
        );
        CREATE VIRTUAL TABLE article_translations_fts USING fts5(
            title, body, content='article_translations', content_rowid='rowid',
            tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER article_translations_ai AFTER INSERT ON article_translations BEGIN
            INSERT INTO article_translations_fts(rowid, title, body)
                VALUES (new.rowid, new.title, new.body);
        END;
        CREATE TRIGGER article_translations_ad AFTER DELETE ON article_translations BEGIN
            INSERT INTO article_translations_fts(article_translations_fts, rowid, title, body)
                VALUES ('delete', old.rowid, old.title, old.body);
        END;
        CREATE TRIGGER article_translations_au AFTER UPDATE ON article_translations BEGIN
            INSERT INTO article_translations_fts(article_translations_fts, rowid, title, body)
                VALUES ('delete', old.rowid, old.title, old.body);
            INSERT INTO article_translations_fts(rowid, title, body)
                VALUES (new.rowid, new.title, new.body);
        END;
        """
    )
