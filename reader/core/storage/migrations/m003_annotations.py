"""Migration 003: highlights (with anchoring selectors), notes, highlight tags and saved searches.

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from reader.core.storage.migrations.m001_core import FTS_TOKENIZE


def m003_annotations(db: Database) -> None:
    db.executescript(
        f"""
        ALTER TABLE articles ADD COLUMN note TEXT;    -- article-level Markdown note

        CREATE TABLE highlights (
            id               INTEGER PRIMARY KEY,
            article_id       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            color            TEXT NOT NULL DEFAULT 'yellow',
            -- W3C-style selectors on the original text (body, code points):
            start            INTEGER NOT NULL,        -- TextPositionSelector
            end              INTEGER NOT NULL,
            quote            TEXT NOT NULL,           -- TextQuoteSelector exact
            prefix           TEXT NOT NULL DEFAULT '',
            suffix           TEXT NOT NULL DEFAULT '',
            paragraph        INTEGER,                 -- index of the original paragraph
            -- made in the translation view: the translated passage and its language
            view             TEXT NOT NULL DEFAULT 'original',  -- original | translation
            translated_quote TEXT,
            target_lang      TEXT,
            note             TEXT,                    -- Markdown
            orphaned         INTEGER NOT NULL DEFAULT 0,  -- could not be placed in the current text
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL
        );
        CREATE INDEX idx_highlights_article ON highlights(article_id);

        CREATE VIRTUAL TABLE highlights_fts USING fts5(
            quote, note, translated_quote, content='highlights', content_rowid='id',
            tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER highlights_ai AFTER INSERT ON highlights BEGIN
            INSERT INTO highlights_fts(rowid, quote, note, translated_quote)
                VALUES (new.id, new.quote, COALESCE(new.note, ''), COALESCE(new.translated_quote, ''));
        END;
        CREATE TRIGGER highlights_ad AFTER DELETE ON highlights BEGIN
            INSERT INTO highlights_fts(highlights_fts, rowid, quote, note, translated_quote)
                VALUES ('delete', old.id, old.quote, COALESCE(old.note, ''), COALESCE(old.translated_quote, ''));
        END;
        CREATE TRIGGER highlights_au AFTER UPDATE OF quote, note, translated_quote ON highlights BEGIN
            INSERT INTO highlights_fts(highlights_fts, rowid, quote, note, translated_quote)
                VALUES ('delete', old.id, old.quote, COALESCE(old.note, ''), COALESCE(old.translated_quote, ''));
            INSERT INTO highlights_fts(rowid, quote, note, translated_quote)
                VALUES (new.id, new.quote, COALESCE(new.note, ''), COALESCE(new.translated_quote, ''));
        END;

        CREATE TABLE highlight_tags (
            highlight_id INTEGER NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,
            tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (highlight_id, tag_id)
        ) WITHOUT ROWID;

        CREATE TABLE saved_searches (
            id        INTEGER PRIMARY KEY,
            name      TEXT NOT NULL UNIQUE COLLATE NOCASE,
            query     TEXT NOT NULL,
            position  INTEGER NOT NULL DEFAULT 0
        );
        """
    )
