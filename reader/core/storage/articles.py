"""Articles: adding, reading, editing, flags, delete with undo (``articles`` and their links).

Editing an article's *text* is not done here alone: :func:`reader.core.library_ops.edit_article`
writes the body with :meth:`ArticleTable.set_body` and re-anchors its highlights in the same
transaction. Everything here returns dataclasses from :mod:`reader.core.models`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from reader.core.errors import NotFoundError, ValidationError
from reader.core.models import (
    UNDETERMINED,
    Article,
    ArticleSummary,
    ImportOutcome,
    LanguageGuess,
    ParsedArticle,
)
from reader.core.query import parse_date
from reader.core.storage.connection import in_chunks
from reader.core.storage.database import utc_now
from reader.core.storage.rich import RichTable, remove_unused_images, store_structure
from reader.core.storage.tags import TagTable, ensure_tag, tag_articles
from reader.core.text import join_paragraphs

SUMMARY_COLUMNS = (
    "a.id, a.title, a.lang, a.lang_confidence, a.published, a.source, a.url, a.added_at, "
    "a.read, a.starred, a.archived, a.feed_id"
)
_FLAG_NAMES = ("read", "starred", "archived")


def content_hash(title: str, body: str) -> str:
    """De-duplication key: sha256 of the NFC, whitespace-normalised body (title only if no body)."""
    text = body if body.strip() else title
    norm = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def undetermined() -> LanguageGuess:
    return LanguageGuess(UNDETERMINED, 0.0)


class ArticleTable(TagTable, RichTable):
    """Reads and writes of articles."""

    # --- create ---------------------------------------------------------------------------------
    def find_by_hash(self, digest: str) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    def add_article(
        self,
        parsed: ParsedArticle,
        guess: LanguageGuess,
        *,
        path: str | None = None,
        lang_overridden: bool = False,
    ) -> ImportOutcome:
        """Store one parsed article in its own transaction; a duplicate changes nothing."""
        body = join_paragraphs(parsed.paragraphs)
        digest = content_hash(parsed.title, body)
        shown = path or parsed.file_name or parsed.title
        now = utc_now()
        with self.write() as conn:
            existing = self.find_by_hash(digest)
            if existing is not None:
                return ImportOutcome(shown, "duplicate", article_id=existing, title=parsed.title)
            cur = conn.execute(
                "INSERT INTO articles (title, body, lang, lang_confidence, lang_overridden, published,"
                " source, url, file_name, content_hash, added_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    parsed.title, body, guess.lang, guess.confidence, int(lang_overridden),
                    parsed.published, parsed.source, parsed.url, parsed.file_name, digest, now, now,
                ),
            )
            article_id = int(cur.lastrowid or 0)
            store_structure(conn, article_id, parsed, body)
            if parsed.tags:
                tag_articles(conn, [article_id], parsed.tags)
        return ImportOutcome(shown, "imported", article_id=article_id, title=parsed.title, lang=guess.lang)

    # --- read -----------------------------------------------------------------------------------
    def get_article(self, article_id: int) -> Article:
        rows = self._read("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article #{article_id}")
        r = rows[0]
        return Article(
            id=r["id"], title=r["title"], body=r["body"], lang=r["lang"],
            lang_confidence=r["lang_confidence"], lang_overridden=bool(r["lang_overridden"]),
            published=r["published"], source=r["source"], url=r["url"], file_name=r["file_name"],
            content_hash=r["content_hash"], added_at=r["added_at"], read=bool(r["read"]),
            starred=bool(r["starred"]), archived=bool(r["archived"]),
            read_position=r["read_position"], tags=tuple(self._tags_of([article_id]).get(article_id, ())),
            note=r["note"], feed_id=r["feed_id"], blocks=self.get_blocks(article_id, r["body"]),
            images=self.article_images(article_id),
        )

    def get_body(self, article_id: int) -> str:
        """The stored text of an article (raises :class:`NotFoundError`)."""
        rows = self._read("SELECT body FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article #{article_id}")
        return str(rows[0][0])

    def exists(self, article_id: int) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def _summaries(self, rows: Iterable[sqlite3.Row]) -> list[ArticleSummary]:
        rows = list(rows)
        tags = self._tags_of([r["id"] for r in rows])
        return [
            ArticleSummary(
                id=r["id"], title=r["title"], lang=r["lang"], lang_confidence=r["lang_confidence"],
                published=r["published"], source=r["source"], url=r["url"], added_at=r["added_at"],
                read=bool(r["read"]), starred=bool(r["starred"]), archived=bool(r["archived"]),
                tags=tuple(tags.get(r["id"], ())), feed_id=r["feed_id"],
            )
            for r in rows
        ]

    def get_summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Summaries for the given ids (missing ids are left out)."""
        out: dict[int, ArticleSummary] = {}
        for chunk, marks in in_chunks(ids):
            rows = self._read(f"SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", chunk)
            out.update({s.id: s for s in self._summaries(rows)})
        return out

    def get_leads(self, ids: Sequence[int], chars: int = 160) -> dict[int, str]:
        """The first words of each article's text (whitespace folded; a text that opens with its
        title starts after it), for a two-line list row."""
        out: dict[int, str] = {}
        for chunk, marks in in_chunks(ids):
            rows = self._read(f"SELECT id, title, substr(body, 1, ?) FROM articles WHERE id IN ({marks})",
                              [chars + 300, *chunk])
            for r in rows:
                title, text = " ".join(str(r[1] or "").split()), " ".join(str(r[2] or "").split())
                if title and text.casefold().startswith(title.casefold()):
                    text = text[len(title):].lstrip(" .:—-")
                out[r[0]] = text[:chars]
        return out

    def language_counts(self) -> list[tuple[str, int]]:
        """(language, number of articles) for the sidebar, most first; archived left out."""
        rows = self._read(
            "SELECT lang, count(*) FROM articles WHERE archived = 0 GROUP BY lang ORDER BY count(*) DESC, lang"
        )
        return [(r[0], r[1]) for r in rows]

    def view_counts(self) -> dict[str, int]:
        """Counts for the sidebar's library views: all, unread, starred, archive."""
        row = self._read(
            "SELECT sum(archived = 0), sum(archived = 0 AND read = 0), sum(starred), sum(archived) FROM articles"
        )[0]
        return {"all": row[0] or 0, "unread": row[1] or 0, "starred": row[2] or 0, "archive": row[3] or 0}

    def article_count(self) -> int:
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    # --- update ---------------------------------------------------------------------------------
    def update_article(
        self,
        article_id: int,
        *,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
        url: str | None = None,
        lang: str | None = None,
        clear_date: bool = False,
    ) -> Article:
        """Edit metadata. ``lang`` set here is a person's override and survives re-detection.

        The text (body) is edited with :func:`reader.core.library_ops.edit_article`, which also
        re-anchors the article's highlights in the same transaction.
        """
        changes: dict[str, object] = {}
        if title is not None:
            if not title.strip():
                raise ValidationError("the title cannot be empty")
            changes["title"] = unicodedata.normalize("NFC", title.strip())
        if clear_date:
            changes["published"] = None
        elif published is not None:
            changes["published"] = parse_date(published, what="date") if published.strip() else None
        if source is not None:
            changes["source"] = source.strip() or None
        if url is not None:
            changes["url"] = url.strip() or None
        if lang is not None:
            code = lang.strip().lower()
            if not code or not all(part.isalpha() for part in code.split("-")) or len(code) > 12:
                raise ValidationError(f"{lang!r} is not a language code (e.g. ro, lt, en)")
            changes.update(lang=code, lang_confidence=1.0, lang_overridden=1)
        with self.write() as conn:
            self._require(article_id)
            if changes:
                changes["updated_at"] = utc_now()
                cols = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(f"UPDATE articles SET {cols} WHERE id = ?", [*changes.values(), article_id])
        return self.get_article(article_id)

    def set_body(self, article_id: int, body: str) -> None:
        """Store a new text for an article (NFC). Its highlights are NOT re-anchored here: use
        :func:`reader.core.library_ops.edit_article`, which does both in one transaction."""
        body = unicodedata.normalize("NFC", body)
        with self.write() as conn:
            self._require(article_id)
            old = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
            conn.execute("UPDATE articles SET body = ?, updated_at = ? WHERE id = ?", (body, utc_now(), article_id))
            if old != body:
                self._remap_structure(conn, article_id, old, body)

    def set_detected_language(self, article_id: int, guess: LanguageGuess) -> bool:
        """Store a re-detected language unless a person overrode it. Returns True if stored."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE articles SET lang = ?, lang_confidence = ? WHERE id = ? AND lang_overridden = 0",
                (guess.lang, guess.confidence, article_id),
            )
            return cur.rowcount > 0

    def set_flags(self, ids: int | Sequence[int], **flags: bool) -> int:
        """Set read / starred / archived on one or many articles. Returns how many changed."""
        unknown = set(flags) - set(_FLAG_NAMES)
        if unknown or not flags:
            raise ValueError(f"unknown flags: {sorted(unknown)}")
        id_list = [ids] if isinstance(ids, int) else list(ids)
        cols = ", ".join(f"{k} = ?" for k in flags)
        with self.write() as conn:
            if len(id_list) == 1:
                self._require(id_list[0])
            marks = ",".join("?" * len(id_list))
            cur = conn.execute(
                f"UPDATE articles SET {cols} WHERE id IN ({marks})",
                [int(v) for v in flags.values()] + id_list,
            )
            return cur.rowcount

    def first_unread(self, ids: Sequence[int]) -> int | None:
        """The first of ``ids`` (in their order) that is unread; None when all are read or gone.

        A view's list may hold 100,000 ids: they are looked up a chunk at a time (one primary-key
        read per chunk), stopping at the first chunk that has an unread one.
        """
        for chunk, marks in in_chunks(list(ids)):
            rows = self._read(f"SELECT id FROM articles WHERE read = 0 AND id IN ({marks})", chunk)
            if rows:
                unread = {r[0] for r in rows}
                return next(i for i in chunk if i in unread)
        return None

    def mark_read(self, ids: Sequence[int], read: bool = True) -> list[int]:
        """Set ``read`` on all of ``ids`` (a whole view: up to 100,000s) in one transaction, a chunk
        of ids per statement; returns the ids whose flag changed (what an undo puts back)."""
        value = int(read)
        changed: list[int] = []
        with self.write() as conn:
            for chunk, marks in in_chunks(list(ids)):
                todo = [r[0] for r in conn.execute(
                    f"SELECT id FROM articles WHERE read <> ? AND id IN ({marks})", [value, *chunk])]
                if todo:
                    conn.execute(f"UPDATE articles SET read = ? WHERE id IN ({','.join('?' * len(todo))})",
                                 [value, *todo])
                    changed.extend(todo)
        return changed

    def set_read_position(self, article_id: int, position: float) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE articles SET read_position = ? WHERE id = ?",
                (max(0.0, min(1.0, float(position))), article_id),
            )

    # --- article notes --------------------------------------------------------------------------
    def get_note(self, article_id: int) -> str | None:
        rows = self._read("SELECT note FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article #{article_id}")
        return rows[0][0]

    def set_note(self, article_id: int, note: str | None) -> None:
        """Set the article-level Markdown note (empty or None removes it)."""
        with self.write() as conn:
            cur = conn.execute("UPDATE articles SET note = ? WHERE id = ?", (clean_note(note), article_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no article #{article_id}")

    # --- delete with undo -----------------------------------------------------------------------
    def delete_articles(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Delete articles; returns snapshots that :meth:`restore_articles` puts back exactly."""
        snapshots: list[dict[str, Any]] = []
        with self.write() as conn:
            for article_id in ids:
                self._require(article_id)
                snapshots.append(self._snapshot(article_id))
                conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            remove_unused_images(conn, [i["sha256"] for s in snapshots for i in s["article_images"]])
        return snapshots

    def _snapshot(self, article_id: int) -> dict[str, Any]:
        snap: dict[str, Any] = {"article": dict(self._read("SELECT * FROM articles WHERE id = ?", (article_id,))[0])}
        snap["tags"] = self._tags_of([article_id]).get(article_id, [])
        for table in ("highlights", "article_translations"):
            snap[table] = [dict(r) for r in self._read(f"SELECT * FROM {table} WHERE article_id = ?", (article_id,))]
        snap.update(self._structure_snapshot(article_id))
        snap["highlight_tags"] = [
            dict(r)
            for r in self._read(
                "SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
                "JOIN highlights h ON h.id = ht.highlight_id WHERE h.article_id = ?",
                (article_id,),
            )
        ]
        return snap

    def restore_articles(self, snapshots: Sequence[dict[str, Any]]) -> None:
        """Undo :meth:`delete_articles`."""
        with self.write() as conn:
            self._restore_pictures(conn, snapshots)
            for snap in snapshots:
                row = snap["article"]
                if row.get("feed_id") is not None and not conn.execute(
                        "SELECT 1 FROM feeds WHERE id = ?", (row["feed_id"],)).fetchone():
                    row = {**row, "feed_id": None}  # its feed was unsubscribed meanwhile
                insert_row(conn, "articles", row)
                tag_articles(conn, [snap["article"]["id"]], snap["tags"])
                for table in ("highlights", "article_translations", "article_blocks"):
                    for row in snap.get(table, []):
                        insert_row(conn, table, row)
                for row in snap.get("article_images", []):
                    if conn.execute("SELECT 1 FROM images WHERE sha256 = ?", (row["sha256"],)).fetchone():
                        insert_row(conn, "article_images", row)  # (a picture gone meanwhile: not available)
                for row in snap.get("highlight_tags", []):
                    tag_id = ensure_tag(conn, row["name"])
                    conn.execute(
                        "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                        (row["highlight_id"], tag_id),
                    )


def clean_note(note: str | None) -> str | None:
    """A note as stored: NFC; only whitespace means no note (None)."""
    if note is None:
        return None
    note = unicodedata.normalize("NFC", note)
    return note if note.strip() else None


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert a row snapshot (column -> value) as it was (undo of a delete)."""
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
