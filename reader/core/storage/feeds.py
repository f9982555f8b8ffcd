"""Feeds: subscriptions, their status, the keys of the entries they brought, and their articles.

The table family behind :class:`reader.core.feeds.service.FeedService` (which does the fetching and
turns entries into articles); it is mixed into :class:`~reader.core.storage.library.Library`. Only
SQL here: no network, no parsing. Timestamps are ISO 8601 UTC strings (``utc_now``), so they compare
as text.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from reader.core.errors import NotFoundError, ValidationError
from reader.core.models import FULL_TEXT_MODES, Feed
from reader.core.storage.articles import ArticleTable
from reader.core.storage.connection import in_chunks
from reader.core.storage.database import utc_now
from reader.core.storage.rich import remove_unused_images

_FEED_SELECT = (
    "SELECT f.*, (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0 "
    "AND a.archived = 0) AS unread FROM feeds f"
)
_FEED_ORDER = " ORDER BY f.folder IS NOT NULL, f.folder COLLATE NOCASE, f.title COLLATE NOCASE, f.id"
#: Columns :meth:`FeedTable.update_feed` may change (options and status; never the id).
EDITABLE = frozenset({
    "title", "title_set", "url", "site_url", "folder", "full_text", "translate_to", "keep_days",
    "interval_minutes", "etag", "last_modified", "last_fetched", "last_ok", "last_error", "failures",
    "retry_at",
})


def clean_folder(folder: str | None) -> str | None:
    """A folder name as stored: NFC, trimmed, ``a / b`` as ``a/b``; empty means no folder (None)."""
    if folder is None:
        return None
    parts = [" ".join(p.split()) for p in unicodedata.normalize("NFC", folder).split("/")]
    joined = "/".join(p for p in parts if p)
    return joined or None


def _feed(r: sqlite3.Row) -> Feed:
    return Feed(
        id=r["id"], title=r["title"], url=r["url"], site_url=r["site_url"], folder=r["folder"],
        full_text=r["full_text"], translate_to=r["translate_to"], keep_days=r["keep_days"],
        interval_minutes=r["interval_minutes"], unread=r["unread"] or 0, last_fetched=r["last_fetched"],
        last_ok=r["last_ok"], last_error=r["last_error"], failures=r["failures"], retry_at=r["retry_at"],
        title_set=bool(r["title_set"]), etag=r["etag"], last_modified=r["last_modified"],
    )


class FeedTable(ArticleTable):
    """Reads and writes of ``feeds``, ``feed_entries`` and ``articles.feed_id``."""

    # --- subscriptions --------------------------------------------------------------------------
    def list_feeds(self) -> list[Feed]:
        """Every subscription with its unread count (unread, not archived), by folder then title."""
        return [_feed(r) for r in self._read(_FEED_SELECT + _FEED_ORDER)]

    def get_feed(self, feed_id: int) -> Feed:
        """One subscription with its unread count; raises :class:`NotFoundError` if there is none."""
        rows = self._read(_FEED_SELECT + " WHERE f.id = ?", (feed_id,))
        if not rows:
            raise NotFoundError(f"no feed #{feed_id}")
        return _feed(rows[0])

    def feed_by_url(self, url: str) -> Feed | None:
        """The subscription with this feed URL, or None."""
        rows = self._read(_FEED_SELECT + " WHERE f.url = ?", (url,))
        return _feed(rows[0]) if rows else None

    def feed_folders(self) -> list[str]:
        """The folders in use, sorted (case-insensitive)."""
        rows = self._read("SELECT DISTINCT folder FROM feeds WHERE folder IS NOT NULL "
                          "ORDER BY folder COLLATE NOCASE")
        return [r[0] for r in rows]

    def add_feed(self, url: str, *, title: str | None = None, site_url: str | None = None,
                 folder: str | None = None, full_text: str = "auto", title_set: bool = False) -> Feed:
        """Subscribe to ``url`` (not fetched here). Raises :class:`ValidationError` when it is
        already a subscription (naming it) or ``full_text`` is not one of the modes."""
        if full_text not in FULL_TEXT_MODES:
            raise ValidationError(f"full text must be one of {', '.join(FULL_TEXT_MODES)}, not {full_text!r}")
        shown = " ".join((title or "").split()) or url
        with self.write() as conn:
            existing = self.feed_by_url(url)
            if existing is not None:
                raise ValidationError(f"already subscribed to {url} (feed #{existing.id} {existing.title})")
            cur = conn.execute(
                "INSERT INTO feeds (title, title_set, url, site_url, folder, full_text, added_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (unicodedata.normalize("NFC", shown), int(title_set), url, site_url, clean_folder(folder),
                 full_text, utc_now()),
            )
            feed_id = int(cur.lastrowid or 0)
        return self.get_feed(feed_id)

    def update_feed(self, feed_id: int, **changes: Any) -> Feed:
        """Change columns of a subscription (names from :data:`EDITABLE`); returns it."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not feed columns: {sorted(unknown)}")
        with self.write() as conn:
            if not self._read("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)):
                raise NotFoundError(f"no feed #{feed_id}")
            if changes:
                cols = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(f"UPDATE feeds SET {cols} WHERE id = ?", [*changes.values(), feed_id])
        return self.get_feed(feed_id)

    def delete_feed(self, feed_id: int, *, delete_articles: bool = False) -> tuple[int, int]:
        """Unsubscribe. Its articles stay (no longer linked to a feed) unless ``delete_articles``;
        even then starred articles and those with highlights or a note are kept. Returns
        ``(deleted, kept)`` article counts."""
        with self.write() as conn:
            if not self._read("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)):
                raise NotFoundError(f"no feed #{feed_id}")
            deleted = 0
            if delete_articles:
                deleted = conn.execute(
                    f"DELETE FROM articles WHERE feed_id = ? AND {_REMOVABLE}", (feed_id,)
                ).rowcount
                remove_unused_images(conn)
            kept = conn.execute("UPDATE articles SET feed_id = NULL WHERE feed_id = ?", (feed_id,)).rowcount
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return deleted, kept

    # --- entries --------------------------------------------------------------------------------
    def entry_state(self, feed_ids: Iterable[int]) -> dict[int, dict[str, tuple[str, int | None]]]:
        """Per feed: entry key -> (fingerprint, article id or None) of every entry seen so far."""
        ids = list(feed_ids)
        out: dict[int, dict[str, tuple[str, int | None]]] = {i: {} for i in ids}
        for chunk, marks in in_chunks(ids):
            for r in self._read(f"SELECT feed_id, entry_key, fingerprint, article_id FROM feed_entries "
                                f"WHERE feed_id IN ({marks})", chunk):
                out[r[0]][r[1]] = (r[2], r[3])
        return out

    def known_links(self) -> set[str]:
        """Every entry link and article URL in the library (what need not be fetched again)."""
        rows = self._read("SELECT link FROM feed_entries WHERE link IS NOT NULL "
                          "UNION SELECT url FROM articles WHERE url IS NOT NULL")
        return {r[0] for r in rows}

    def article_for_link(self, link: str) -> int | None:
        """The article an entry link (or a saved link's URL) became, newest first; None if none."""
        rows = self._read(
            "SELECT article_id FROM feed_entries WHERE link = ? AND article_id IS NOT NULL "
            "UNION ALL SELECT id FROM articles WHERE url = ? LIMIT 1", (link, link))
        return int(rows[0][0]) if rows else None

    def remember_entry(self, feed_id: int, key: str, *, link: str | None, fingerprint: str,
                       article_id: int | None) -> None:
        """Record (or update) an entry of a feed and the article it became."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO feed_entries (feed_id, entry_key, link, fingerprint, article_id, seen_at) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(feed_id, entry_key) DO UPDATE SET link = excluded.link, "
                "fingerprint = excluded.fingerprint, article_id = excluded.article_id",
                (feed_id, key, link, fingerprint, article_id, utc_now()),
            )

    def set_article_feed(self, article_id: int, feed_id: int) -> None:
        """Mark an article as having come from a feed (kept if it already names one)."""
        with self.write() as conn:
            conn.execute("UPDATE articles SET feed_id = ? WHERE id = ? AND feed_id IS NULL",
                         (feed_id, article_id))

    def article_id_by_url(self, url: str) -> int | None:
        """An article stored from this URL, or None."""
        rows = self._read("SELECT id FROM articles WHERE url = ? ORDER BY id LIMIT 1", (url,))
        return int(rows[0][0]) if rows else None

    # --- the articles of a feed -----------------------------------------------------------------
    def mark_feed_read(self, feed_id: int) -> list[int]:
        """Mark every unread article of a feed read; returns their ids (to undo)."""
        with self.write() as conn:
            if not self._read("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)):
                raise NotFoundError(f"no feed #{feed_id}")
            ids = [r[0] for r in self._read("SELECT id FROM articles WHERE feed_id = ? AND read = 0 "
                                            "ORDER BY id", (feed_id,))]
            for chunk, marks in in_chunks(ids):
                conn.execute(f"UPDATE articles SET read = 1 WHERE id IN ({marks})", chunk)
        return ids

    def prune_feed(self, feed_id: int, older_than: str) -> list[int]:
        """Delete a feed's articles added before ``older_than`` (an ISO UTC time), except starred
        ones and those with highlights or a note. Their entry keys stay, so they do not come back.
        Returns the deleted ids."""
        with self.write() as conn:
            ids = [r[0] for r in self._read(
                f"SELECT id FROM articles WHERE feed_id = ? AND added_at < ? AND {_REMOVABLE}",
                (feed_id, older_than))]
            for chunk, marks in in_chunks(ids):
                conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
            if ids:
                remove_unused_images(conn)
        return ids

    def feed_article_ids(self, feed_id: int, ids: Sequence[int] | None = None) -> list[int]:
        """Ids of a feed's articles (optionally only among ``ids``)."""
        rows = self._read("SELECT id FROM articles WHERE feed_id = ? ORDER BY id", (feed_id,))
        found = [r[0] for r in rows]
        return found if ids is None else [i for i in found if i in set(ids)]


#: An article a feed may remove: not starred, no highlights, no note.
_REMOVABLE = ("starred = 0 AND (note IS NULL OR note = '') "
              "AND id NOT IN (SELECT article_id FROM highlights)")
