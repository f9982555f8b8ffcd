"""Migration 001: articles, tags, settings, and the full-text index over title and body.

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

#: FTS5 tokenizer: folds case and diacritics (Romanian ș/ş/s, ț/ţ/t; Lithuanian ą č ę ė į š ų ū ž).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def m001_core(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE articles (
            id               INTEGER PRIMARY KEY,
            title            TEXT NOT NULL,
            lang             TEXT NOT NULL DEFAULT 'und',
            lang_confidence  REAL NOT NULL DEFAULT 0,
            lang_overridden  INTEGER NOT NULL DEFAULT 0,
            published        TEXT,                    -- ISO date YYYY-MM-DD, NULL if unknown
            source           TEXT,
            url              TEXT,
            file_name        TEXT,
            content_hash     TEXT NOT NULL UNIQUE,    -- sha256 of the normalised title + body
            added_at         TEXT NOT NULL,           -- ISO 8601 UTC
            updated_at       TEXT NOT NULL,
            read             INTEGER NOT NULL DEFAULT 0,
            starred          INTEGER NOT NULL DEFAULT 0,
            archived         INTEGER NOT NULL DEFAULT 0,
            read_position    REAL NOT NULL DEFAULT 0, -- 0..1 of the body scrolled
            -- the body comes last: columns after a large value are read through its overflow pages
            body             TEXT NOT NULL            -- plain text, paragraphs split by a blank line
        );
        -- (archived, sort key, flags): views hide archived articles and sort in SQL; the flags and
        -- language in the index let "Unread", "Starred" and lang: filter without reading rows.
        -- Sorting by "added" uses the id (ids grow with import time).
        CREATE INDEX idx_articles_published ON articles(archived, published, read, starred, lang);
        CREATE INDEX idx_articles_title ON articles(archived, title COLLATE NOCASE, read, starred, lang);
        CREATE INDEX idx_articles_lang ON articles(archived, lang, read, starred);
        CREATE INDEX idx_articles_source ON articles(archived, source COLLATE NOCASE, read, starred, lang);

        CREATE TABLE tags (
            id     INTEGER PRIMARY KEY,
            name   TEXT NOT NULL UNIQUE COLLATE NOCASE,   -- nested with '/': region/belarus
            color  TEXT
        );
        CREATE TABLE article_tags (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (article_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_article_tags_tag ON article_tags(tag_id);

        CREATE TABLE settings (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL                      -- JSON; never secrets
        );

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, content='articles', content_rowid='id',
            tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """
    )
