"""Highlights and their tags (``highlights``, ``highlights_fts``, ``highlight_tags``): all their SQL.

:class:`HighlightStore` wraps a :class:`~reader.core.storage.library.Library` (one per thread, like
the Library itself); every write goes through ``library.write()`` so it is all or nothing. Where a
highlight is in its article's text (its :class:`~reader.core.models.Selector`) is computed above
storage, by :mod:`reader.core.annotations` via :mod:`reader.core.library_ops`; this module only
stores what it is given. It returns dataclasses from :mod:`reader.core.models`.

Free text given to :meth:`HighlightStore.list_highlights` goes through :mod:`reader.core.query`,
which quotes every token: raw user text never reaches an FTS5 ``MATCH``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from reader.core.errors import NotFoundError
from reader.core.models import (
    COLORS,
    DEFAULT_COLOR,
    Highlight,
    HighlightFilter,
    HighlightRow,
    Reanchored,
    ReanchorReport,
    Selector,
    validate_color,
)
from reader.core.query import Filter, Query, match_expression, parse, term_to_fts
from reader.core.storage.articles import clean_note
from reader.core.storage.connection import mapped_errors
from reader.core.storage.database import utc_now
from reader.core.storage.query_sql import compile_query, like_escape
from reader.core.storage.tags import normalize_tag, set_highlight_tags, tags_by_owner

if TYPE_CHECKING:
    from reader.core.storage.library import Library

_HIGHLIGHT_COLUMNS = (
    "h.id, h.article_id, h.color, h.start, h.end, h.quote, h.prefix, h.suffix, h.paragraph, h.view, "
    "h.translated_quote, h.target_lang, h.note, h.orphaned, h.created_at, h.updated_at"
)
_TAG_MATCH = "(t.name = ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\' COLLATE NOCASE)"


class HighlightStore:
    """Highlights and highlight tags of one library."""

    def __init__(self, library: Library) -> None:
        self.library = library

    # --- helpers ----------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with mapped_errors(self.library.path):
            cur = self.library.conn.execute(sql, list(params))
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    def _highlight_tags(self, ids: Sequence[int]) -> dict[int, list[str]]:
        return tags_by_owner(self._rows, "highlight_tags", "highlight_id", ids)

    def _to_highlights(self, rows: Sequence[sqlite3.Row]) -> list[Highlight]:
        tags = self._highlight_tags([r["id"] for r in rows])
        return [
            Highlight(
                id=r["id"], article_id=r["article_id"], color=r["color"], start=r["start"], end=r["end"],
                quote=r["quote"], prefix=r["prefix"], suffix=r["suffix"], paragraph=r["paragraph"],
                view=r["view"], translated_quote=r["translated_quote"], target_lang=r["target_lang"],
                note=r["note"], orphaned=bool(r["orphaned"]), created_at=r["created_at"],
                updated_at=r["updated_at"], tags=tuple(tags.get(r["id"], ())),
            )
            for r in rows
        ]

    def _set_tags(self, conn: sqlite3.Connection, highlight_id: int, names: Iterable[str]) -> None:
        set_highlight_tags(conn, highlight_id, names)

    # --- highlights: create (the selector is computed above storage) ----------------------------
    def insert_highlight(
        self,
        article_id: int,
        selector: Selector,
        paragraph: int | None,
        *,
        color: str = DEFAULT_COLOR,
        view: str = "original",
        translated_quote: str | None = None,
        target_lang: str | None = None,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> int:
        """Store a highlight at ``selector`` (validated by the caller) and return its id."""
        color = validate_color(color)
        tag_list = list(tags)
        sel = selector
        with self.library.write() as conn:
            now = utc_now()
            cur = conn.execute(
                "INSERT INTO highlights (article_id, color, start, end, quote, prefix, suffix, paragraph, view,"
                " translated_quote, target_lang, note, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, color, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, paragraph, view,
                 translated_quote, target_lang, clean_note(note), now, now),
            )
            hid = int(cur.lastrowid or 0)
            if tag_list:
                self._set_tags(conn, hid, tag_list)
        return hid

    # --- highlights: read -------------------------------------------------------------------------
    def get_highlight(self, highlight_id: int) -> Highlight:
        rows = self._rows(f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights h WHERE h.id = ?", (highlight_id,))
        if not rows:
            raise NotFoundError(f"no highlight #{highlight_id}")
        return self._to_highlights(rows)[0]

    def highlights_for_article(self, article_id: int) -> list[Highlight]:
        """All highlights of an article in text order; orphans (kept, not placed) come last."""
        rows = self._rows(
            f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights h WHERE h.article_id = ? "
            "ORDER BY h.orphaned, h.start, h.end, h.id",
            (article_id,),
        )
        return self._to_highlights(rows)

    def orphans(self, article_id: int | None = None) -> list[Highlight]:
        """Highlights that could not be placed in their article's current text (never dropped)."""
        flt = HighlightFilter(article_id=article_id, orphaned=True)
        return [r.highlight for r in self.list_highlights(flt, limit=None)]

    def _filter_sql(self, flt: HighlightFilter) -> tuple[str | None, list[str], list[object]]:
        """(FTS match, conditions on ``h``/``a``, params) for a highlights filter."""
        # NUL ends an FTS5 expression early ("unterminated string"): never let one through.
        query: Query = parse(flt.query.replace("\x00", " ")) if flt.query else Query()
        where: list[str] = []
        params: list[object] = []
        tag_filters = [f for f in query.filters if f.key == "tag"]
        if flt.tag:
            tag_filters.append(Filter("tag", flt.tag))
        for f in tag_filters:
            name = normalize_tag(f.value)
            pattern = like_escape(name) + "/%"
            cond = (
                f"(h.id IN (SELECT ht.highlight_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
                f"WHERE {_TAG_MATCH}) OR h.article_id IN (SELECT at.article_id FROM article_tags at "
                f"JOIN tags t ON t.id = at.tag_id WHERE {_TAG_MATCH}))"
            )
            where.append(f"NOT {cond}" if f.negated else cond)
            params += [name, pattern, name, pattern]
        other = compile_query(Query(filters=[f for f in query.filters if f.key != "tag"]))
        where += other.where
        params += other.params
        names = self.library.name_resolver(("highlights_fts",))  # ~name: the words of highlights_fts
        for term in query.negative_terms:
            where.append("h.id NOT IN (SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?)")
            params.append(term_to_fts(term, names))
        if flt.color:
            where.append("h.color = ?")
            params.append(validate_color(flt.color))
        if flt.lang:
            where.append("a.lang = ?")
            params.append(flt.lang.strip().lower())
        if flt.article_id is not None:
            where.append("h.article_id = ?")
            params.append(flt.article_id)
        if flt.orphaned is not None:
            where.append("h.orphaned = ?")
            params.append(int(flt.orphaned))
        return match_expression(query.positive_terms, names), where, params

    def list_highlights(
        self, flt: HighlightFilter | None = None, *, limit: int | None = 100, offset: int = 0
    ) -> list[HighlightRow]:
        """The library-wide highlights list: newest first, or by relevance when there are free words.

        Raises :class:`QueryError` for a malformed filter in ``flt.query``.
        """
        flt = flt or HighlightFilter()
        match, where, params = self._filter_sql(flt)
        cols = f"{_HIGHLIGHT_COLUMNS}, a.title AS a_title, a.lang AS a_lang, a.source AS a_source, " \
               "a.published AS a_published"
        if match:
            sql = (
                f"SELECT {cols} FROM highlights_fts JOIN highlights h ON h.id = highlights_fts.rowid "
                "JOIN articles a ON a.id = h.article_id WHERE highlights_fts MATCH ?"
            )
            params = [match, *params]
            if where:
                sql += " AND " + " AND ".join(where)
            sql += " ORDER BY bm25(highlights_fts), h.id DESC"
        else:
            sql = f"SELECT {cols} FROM highlights h JOIN articles a ON a.id = h.article_id"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += " ORDER BY h.created_at DESC, h.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._rows(sql, params)
        highlights = self._to_highlights(rows)
        return [
            HighlightRow(h, r["a_title"], r["a_lang"], r["a_source"], r["a_published"])
            for h, r in zip(highlights, rows, strict=True)
        ]

    def count_highlights(self, flt: HighlightFilter | None = None) -> int:
        """How many highlights :meth:`list_highlights` selects in all (for the view's header/paging)."""
        flt = flt or HighlightFilter()
        match, where, params = self._filter_sql(flt)
        if match:
            sql = (
                "SELECT count(*) FROM highlights_fts JOIN highlights h ON h.id = highlights_fts.rowid "
                "JOIN articles a ON a.id = h.article_id WHERE highlights_fts MATCH ?"
            )
            params = [match, *params]
            if where:
                sql += " AND " + " AND ".join(where)
        else:
            sql = "SELECT count(*) FROM highlights h JOIN articles a ON a.id = h.article_id"
            if where:
                sql += " WHERE " + " AND ".join(where)
        return int(self._rows(sql, params)[0][0])

    def highlight_counts(self) -> dict[str, int]:
        """Counts per colour plus ``all`` and ``orphaned`` (for the All-highlights filters)."""
        out = {c: 0 for c in COLORS}
        for r in self._rows("SELECT color, count(*) FROM highlights GROUP BY color"):
            out[r[0]] = r[1]
        row = self._rows("SELECT count(*), coalesce(sum(orphaned), 0) FROM highlights")[0]
        out["all"], out["orphaned"] = row[0], row[1]
        return out

    # --- highlights: update / delete --------------------------------------------------------------
    def update_highlight(
        self,
        highlight_id: int,
        *,
        color: str | None = None,
        note: str | None = None,
        tags: Iterable[str] | None = None,
    ) -> Highlight:
        """Change colour, note (``""`` clears it) and/or tags (replaces them); None leaves a field alone."""
        changes: dict[str, object] = {}
        if color is not None:
            changes["color"] = validate_color(color)
        if note is not None:
            changes["note"] = clean_note(note)
        with self.library.write() as conn:
            self.get_highlight(highlight_id)
            if changes or tags is not None:
                changes["updated_at"] = utc_now()
                sets = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(f"UPDATE highlights SET {sets} WHERE id = ?", [*changes.values(), highlight_id])
            if tags is not None:
                self._set_tags(conn, highlight_id, list(tags))
        return self.get_highlight(highlight_id)

    def set_span(self, highlight_id: int, selector: Selector, paragraph: int | None) -> None:
        """Move a highlight to ``selector`` (computed by the caller) and mark it placed."""
        sel = selector
        with self.library.write() as conn:
            conn.execute(
                "UPDATE highlights SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?, paragraph = ?,"
                " orphaned = 0, updated_at = ? WHERE id = ?",
                (sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, paragraph, utc_now(), highlight_id),
            )

    def delete_highlight(self, highlight_id: int) -> dict[str, Any]:
        """Delete a highlight; returns a snapshot that :meth:`restore_highlight` puts back exactly."""
        with self.library.write() as conn:
            rows = self._rows("SELECT * FROM highlights WHERE id = ?", (highlight_id,))
            if not rows:
                raise NotFoundError(f"no highlight #{highlight_id}")
            snapshot = {
                "highlight": dict(rows[0]),
                "tags": self._highlight_tags([highlight_id]).get(highlight_id, []),
            }
            conn.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))
        return snapshot

    def restore_highlight(self, snapshot: dict[str, Any]) -> Highlight:
        """Undo :meth:`delete_highlight` (same id, note, tags and timestamps)."""
        row = dict(snapshot["highlight"])
        with self.library.write() as conn:
            if not self._rows("SELECT 1 FROM articles WHERE id = ?", (row["article_id"],)):
                raise NotFoundError(f"no article #{row['article_id']}: its highlight cannot be restored")
            cols = ", ".join(row)
            conn.execute(f"INSERT INTO highlights ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
            self._set_tags(conn, row["id"], snapshot.get("tags", []))
        return self.get_highlight(row["id"])

    # --- highlight tags ---------------------------------------------------------------------------
    def set_highlight_tags(self, highlight_id: int, names: Iterable[str]) -> Highlight:
        return self.update_highlight(highlight_id, tags=list(names))

    def add_highlight_tags(self, highlight_id: int, names: Iterable[str]) -> Highlight:
        current = self.get_highlight(highlight_id).tags
        return self.update_highlight(highlight_id, tags=[*current, *names])

    def remove_highlight_tags(self, highlight_id: int, names: Iterable[str]) -> Highlight:
        drop = {normalize_tag(n).casefold() for n in names}
        current = self.get_highlight(highlight_id).tags
        return self.update_highlight(highlight_id, tags=[t for t in current if t.casefold() not in drop])

    # --- re-anchoring (the new places are computed above storage) ------------------------------
    def save_reanchored(self, article_id: int, highlights: Sequence[Highlight],
                        results: Sequence[Reanchored]) -> ReanchorReport:
        """Store re-anchoring results (same order as ``highlights``): new places, or orphaned.

        Orphans are kept (never deleted); a row is written only when something changed.
        """
        with self.library.write() as conn:
            by_strategy: dict[str, int] = {}
            orphaned: list[int] = []
            changed = 0
            now = utc_now()
            for h, res in zip(highlights, results, strict=True):
                if res.anchor is None or res.selector is None:
                    orphaned.append(h.id)
                    if not h.orphaned:
                        conn.execute("UPDATE highlights SET orphaned = 1, updated_at = ? WHERE id = ?", (now, h.id))
                        changed += 1
                    continue
                by_strategy[res.anchor.strategy] = by_strategy.get(res.anchor.strategy, 0) + 1
                sel = res.selector
                if h.orphaned or (sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, res.paragraph) != (
                    h.start, h.end, h.quote, h.prefix, h.suffix, h.paragraph
                ):
                    if sel.quote != h.quote:
                        conn.execute(
                            "UPDATE highlights SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?,"
                            " paragraph = ?, orphaned = 0, updated_at = ? WHERE id = ?",
                            (sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, res.paragraph, now, h.id),
                        )
                    else:  # leaves the full-text index alone (its trigger fires on quote)
                        conn.execute(
                            "UPDATE highlights SET start = ?, end = ?, prefix = ?, suffix = ?, paragraph = ?,"
                            " orphaned = 0 WHERE id = ?",
                            (sel.start, sel.end, sel.prefix, sel.suffix, res.paragraph, h.id),
                        )
                    changed += 1
        return ReanchorReport(article_id, len(highlights), by_strategy, tuple(orphaned), changed)
