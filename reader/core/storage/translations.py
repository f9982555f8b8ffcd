"""All translation SQL: the paragraph cache (``translations``) and assembled article translations.

A :class:`TranslationStore` wraps one :class:`~reader.core.storage.Library` (so one thread): reads
use ``library.conn``; writes go through ``library.write()``. Empty texts are never stored.
:class:`~reader.core.models.StoredArticleTranslation` lives in :mod:`reader.core.models`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from reader.core.models import StoredArticleTranslation
from reader.core.storage.connection import in_chunks, mapped_errors
from reader.core.storage.database import utc_now

if TYPE_CHECKING:
    from reader.core.storage.library import Library


def source_hash(text: str) -> str:
    """The cache key of a source text: sha256 of its NFC form, surrounding whitespace trimmed."""
    return hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode("utf-8")).hexdigest()


class TranslationStore:
    """Reads and writes of cached translations in one library."""

    def __init__(self, library: Library) -> None:
        self.library = library

    # --- paragraph cache ------------------------------------------------------------------------
    def get(self, digest: str, source_lang: str, target_lang: str, engine: str) -> str | None:
        with mapped_errors(self.library.path):
            row = self.library.conn.execute(
                "SELECT text FROM translations WHERE source_hash=? AND source_lang=? AND target_lang=?"
                " AND engine=?", (digest, source_lang, target_lang, engine)).fetchone()
        return row[0] if row else None

    def get_many(self, digests: Iterable[str], source_lang: str, target_lang: str,
                 engine: str) -> dict[str, str]:
        """``{hash: text}`` for the hashes cached under exactly this language pair and engine."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(digests))
        with mapped_errors(self.library.path):
            for chunk, marks in in_chunks(wanted):
                rows = self.library.conn.execute(
                    f"SELECT source_hash, text FROM translations WHERE source_lang=? AND target_lang=? "
                    f"AND engine=? AND source_hash IN ({marks})",
                    (source_lang, target_lang, engine, *chunk)).fetchall()
                found.update({r[0]: r[1] for r in rows})
        return found

    def get_any(self, digests: Iterable[str], target_lang: str,
                prefer_engine: str | None = None) -> dict[str, tuple[str, str]]:
        """``{hash: (text, engine)}`` from any engine and source language (``prefer_engine`` wins).

        This is what "show what is cached" uses: fast (no language detection) and provider-agnostic.
        """
        found: dict[str, tuple[str, str]] = {}
        wanted = list(dict.fromkeys(digests))
        with mapped_errors(self.library.path):
            for chunk, marks in in_chunks(wanted):
                rows = self.library.conn.execute(
                    f"SELECT source_hash, text, engine FROM translations WHERE target_lang=? "
                    f"AND source_hash IN ({marks}) ORDER BY (engine = ?) ASC, created_at ASC",
                    (target_lang, *chunk, prefer_engine or "")).fetchall()
                for digest, text, engine in rows:  # preferred engine and newest rows come last
                    found[digest] = (text, engine)
        return found

    def put(self, digest: str, source_lang: str, target_lang: str, engine: str, text: str) -> bool:
        """Store (or replace) one translation; an empty text is refused (returns False)."""
        return self.put_many([(digest, text)], source_lang, target_lang, engine) == 1

    def put_many(self, items: Sequence[tuple[str, str]], source_lang: str, target_lang: str,
                 engine: str) -> int:
        """Store ``(hash, text)`` pairs in one transaction; empty texts are skipped. Returns how many."""
        rows = [(d, source_lang, target_lang, engine, t, utc_now()) for d, t in items if t and t.strip()]
        if not rows:
            return 0
        with self.library.write() as conn:
            conn.executemany(
                "INSERT INTO translations (source_hash, source_lang, target_lang, engine, text, created_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT (source_hash, source_lang, target_lang, engine)"
                " DO UPDATE SET text = excluded.text, created_at = excluded.created_at", rows)
        return len(rows)

    def delete(self, digests: Iterable[str], target_lang: str, engine: str | None = None) -> int:
        """Forget cached translations of these source texts (all engines unless one is given)."""
        wanted = list(dict.fromkeys(digests))
        removed = 0
        with self.library.write() as conn:
            for chunk, marks in in_chunks(wanted):
                sql = f"DELETE FROM translations WHERE target_lang=? AND source_hash IN ({marks})"
                params: list[str] = [target_lang, *chunk]
                if engine:
                    sql += " AND engine=?"
                    params.append(engine)
                removed += conn.execute(sql, params).rowcount
        return removed

    def count(self) -> int:
        with mapped_errors(self.library.path):
            return int(self.library.conn.execute("SELECT count(*) FROM translations").fetchone()[0])

    # --- assembled article translations (searchable) --------------------------------------------
    def upsert_article(self, article_id: int, target_lang: str, engine: str, title: str,
                       paragraphs: Sequence[str], complete: bool) -> None:
        """Store an article's translation (paragraph-aligned; ``''`` for a missing paragraph)."""
        body = "\n\n".join(p.strip() for p in paragraphs) if any(p.strip() for p in paragraphs) else ""
        with self.library.write() as conn:
            conn.execute(
                "INSERT INTO article_translations (article_id, target_lang, engine, title, body, complete,"
                " updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (article_id, target_lang) DO UPDATE SET"
                " engine=excluded.engine, title=excluded.title, body=excluded.body,"
                " complete=excluded.complete, updated_at=excluded.updated_at",
                (article_id, target_lang, engine, title, body, int(complete), utc_now()))

    def get_article(self, article_id: int, target_lang: str) -> StoredArticleTranslation | None:
        with mapped_errors(self.library.path):
            row = self.library.conn.execute(
                "SELECT article_id, target_lang, engine, title, body, complete, updated_at"
                " FROM article_translations WHERE article_id=? AND target_lang=?",
                (article_id, target_lang)).fetchone()
        if row is None:
            return None
        return StoredArticleTranslation(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])

    def article_languages(self, article_id: int) -> list[str]:
        """Target languages this article has a stored translation into."""
        with mapped_errors(self.library.path):
            rows = self.library.conn.execute(
                "SELECT target_lang FROM article_translations WHERE article_id=? ORDER BY target_lang",
                (article_id,)).fetchall()
        return [r[0] for r in rows]

    def delete_article(self, article_id: int, target_lang: str | None = None) -> int:
        with self.library.write() as conn:
            if target_lang:
                cur = conn.execute("DELETE FROM article_translations WHERE article_id=? AND target_lang=?",
                                   (article_id, target_lang))
            else:
                cur = conn.execute("DELETE FROM article_translations WHERE article_id=?", (article_id,))
            return cur.rowcount


__all__ = ["TranslationStore", "source_hash"]
