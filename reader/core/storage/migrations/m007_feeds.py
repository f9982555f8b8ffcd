"""Migration 007: feed subscriptions, their entries' keys, and the feed an article came from.

* ``feeds`` — one row per subscription: its options (folder, full text, translate-ahead, keep N days,
  update interval), its HTTP validators (ETag / Last-Modified) and its status (last fetched, last
  success, last error, consecutive failures, the earliest time the server allows the next fetch).
* ``feed_entries`` — every entry key (GUID, else link, else a hash) seen per feed, with the entry's
  link, a fingerprint of its content (an entry that changes updates its article) and the article it
  became. The key outlives its article (``ON DELETE SET NULL``): a pruned or deleted article does not
  come back at the next refresh.
* ``articles.feed_id`` — the feed an article came from (NULL for files, saved links, and the
  articles of an unsubscribed feed that were kept).

The function's name is what a library records as applied: never rename it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m007_feeds(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE feeds (
            id               INTEGER PRIMARY KEY,
            title            TEXT NOT NULL,
            title_set        INTEGER NOT NULL DEFAULT 0,   -- 1: a person named it (refresh keeps it)
            url              TEXT NOT NULL UNIQUE,
            site_url         TEXT,
            folder           TEXT,
            full_text        TEXT NOT NULL DEFAULT 'auto', -- auto | always | never
            translate_to     TEXT,
            keep_days        INTEGER,
            interval_minutes INTEGER NOT NULL DEFAULT 60,
            etag             TEXT,
            last_modified    TEXT,
            last_fetched     TEXT,
            last_ok          TEXT,
            last_error       TEXT,
            failures         INTEGER NOT NULL DEFAULT 0,
            retry_at         TEXT,                         -- not before this (Retry-After, backoff)
            added_at         TEXT NOT NULL
        );
        CREATE INDEX idx_feeds_folder ON feeds(folder COLLATE NOCASE, title COLLATE NOCASE);

        CREATE TABLE feed_entries (
            feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            entry_key   TEXT NOT NULL,
            link        TEXT,
            fingerprint TEXT NOT NULL,
            article_id  INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            seen_at     TEXT NOT NULL,
            PRIMARY KEY (feed_id, entry_key)
        );
        CREATE INDEX idx_feed_entries_link ON feed_entries(link);
        CREATE INDEX idx_feed_entries_article ON feed_entries(article_id);

        ALTER TABLE articles ADD COLUMN feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL;
        CREATE INDEX idx_articles_feed ON articles(feed_id, read, archived);
        CREATE INDEX idx_articles_url ON articles(url);
        """
    )
