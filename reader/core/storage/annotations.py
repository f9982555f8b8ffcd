"""All SQL of highlights, notes, highlight tags and saved searches, over one :class:`Library`.

:class:`Annotations` wraps a :class:`~reader.core.storage.repository.Library` (one per thread, like
the Library itself); every write goes through ``library.write()`` so it is all or nothing. It returns
dataclasses (:class:`~reader.core.annotations.Highlight`, :class:`HighlightRow`, :class:`SavedSearch`).

Free text given to :meth:`Annotations.list_highlights` goes through :mod:`reader.core.query`, which
quotes every token: raw user text never reaches an FTS5 ``MATCH``.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.core.annotations import (
    COLORS,
    DEFAULT_COLOR,
    Highlight,
    find_quote,
    make_selector,
    paragraph_index,
    paragraph_spans,
    reanchor_article,
    validate_color,
)
from reader.core.errors import NotFoundError, QueryError, ValidationError
from reader.core.models import ListFilter
from reader.core.query import Filter, Query, compile_query, match_expression, parse, term_to_fts
from reader.core.storage.connection import in_chunks, mapped_errors
from reader.core.storage.repository import normalize_tag, utc_now

if TYPE_CHECKING:
    from reader.core.storage.repository import Library

_HIGHLIGHT_COLUMNS = (
    "h.id, h.article_id, h.color, h.start, h.end, h.quote, h.prefix, h.suffix, h.paragraph, h.view, "
    "h.translated_quote, h.target_lang, h.note, h.orphaned, h.created_at, h.updated_at"
)
_TAG_MATCH = "(t.name = ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\' COLLATE NOCASE)"


@dataclass(frozen=True, slots=True)
class HighlightRow:
    """A row of the library-wide highlights list: the highlight and what to show of its article."""

    highlight: Highlight
    article_title: str
    article_lang: str
    article_source: str | None = None
    article_published: str | None = None

    def to_json(self) -> dict[str, object]:
        data = self.highlight.to_json()
        data["article"] = {
            "id": self.highlight.article_id,
            "title": self.article_title,
            "lang": self.article_lang,
            "source": self.article_source,
            "date": self.article_published,
        }
        return data


@dataclass(frozen=True, slots=True)
class HighlightFilter:
    """What the All-highlights view selects.

    ``query`` uses the search-box language: free words search quotes, notes and translated quotes
    (diacritics folded); ``tag:`` matches a highlight's own tags or its article's (children
    included); ``lang:``, ``source:``, ``is:``, ``has:``, ``after:``/``before:`` apply to the article.
    """

    query: str | None = None
    tag: str | None = None
    color: str | None = None
    lang: str | None = None
    article_id: int | None = None
    orphaned: bool | None = None  # None: both; True: only orphans; False: only placed ones


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved query shown as a smart view; ``count`` is None when not computed or not valid."""

    id: int
    name: str
    query: str
    position: int
    count: int | None = None
    error: str | None = None  # why the query can no longer be run (a QueryError message)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "query": self.query, "position": self.position, "count": self.count,
                "error": self.error}


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What re-anchoring an article's highlights did."""

    article_id: int
    total: int
    by_strategy: dict[str, int] = field(default_factory=dict)
    orphaned: tuple[int, ...] = ()  # ids of the highlights that could not be placed
    changed: int = 0  # rows whose stored position/quote/state changed


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = unicodedata.normalize("NFC", note)
    return note if note.strip() else None


class Annotations:
    """Highlights, article notes, highlight tags and saved searches of one library."""

    def __init__(self, library: Library) -> None:
        self.library = library

    # --- helpers ----------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with mapped_errors(self.library.path):
            cur = self.library.conn.execute(sql, list(params))
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    def _article_body(self, article_id: int) -> str:
        rows = self._rows("SELECT body FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article #{article_id}")
        return str(rows[0][0])

    def _highlight_tags(self, ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for chunk, marks in in_chunks(ids):
            for r in self._rows(
                f"SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
                f"WHERE ht.highlight_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            ):
                out.setdefault(r[0], []).append(r[1])
        return out

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
        conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (highlight_id,))
        for name in names:
            tag_id = self.library._ensure_tag(conn, name)
            conn.execute(
                "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", (highlight_id, tag_id)
            )

    # --- highlights: create -----------------------------------------------------------------------
    def add_highlight(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> Highlight:
        """Highlight ``body[start:end]`` of an article (code points; the GUI converts from UTF-16)."""
        color = validate_color(color)
        tag_list = list(tags)
        with self.library.write() as conn:
            body = self._article_body(article_id)
            sel = make_selector(body, start, end)
            now = utc_now()
            cur = conn.execute(
                "INSERT INTO highlights (article_id, color, start, end, quote, prefix, suffix, paragraph,"
                " view, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'original',?,?,?)",
                (article_id, color, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix,
                 paragraph_index(body, sel.start), _clean_note(note), now, now),
            )
            hid = int(cur.lastrowid or 0)
            if tag_list:
                self._set_tags(conn, hid, tag_list)
        return self.get_highlight(hid)

    def add_highlight_by_quote(
        self,
        article_id: int,
        quote: str,
        *,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> tuple[Highlight, int]:
        """Highlight the first place ``quote`` occurs (exactly, else ignoring diacritics/spaces).

        Returns the highlight and how many places matched (more than 1: the first was used).
        """
        body = self._article_body(article_id)
        spans = find_quote(body, quote)
        if not spans:
            raise NotFoundError(f"the quote was not found in article #{article_id}")
        start, end = spans[0]
        return self.add_highlight(article_id, start, end, color=color, note=note, tags=tags), len(spans)

    def add_translation_highlight(
        self,
        article_id: int,
        paragraph: int,
        translated_quote: str,
        target_lang: str,
        *,
        original_span: tuple[int, int] | None = None,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> Highlight:
        """A highlight made in the Translation / Side-by-side view.

        It is tied to paragraph ``paragraph`` of the original (the whole paragraph, or
        ``original_span`` inside it when the GUI knows the aligned passage), so it shows in both views;
        ``translated_quote`` is the selected text of the translation.
        """
        color = validate_color(color)
        translated_quote = unicodedata.normalize("NFC", translated_quote).strip()
        if not translated_quote:
            raise ValidationError("a highlight needs some text, not only spaces")
        tag_list = list(tags)
        with self.library.write() as conn:
            body = self._article_body(article_id)
            spans = paragraph_spans(body)
            if not 0 <= paragraph < len(spans):
                raise ValidationError(f"article #{article_id} has no paragraph {paragraph}")
            start, end = original_span if original_span is not None else spans[paragraph]
            sel = make_selector(body, start, end)
            now = utc_now()
            cur = conn.execute(
                "INSERT INTO highlights (article_id, color, start, end, quote, prefix, suffix, paragraph, view,"
                " translated_quote, target_lang, note, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,'translation',?,?,?,?,?)",
                (article_id, color, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, paragraph,
                 translated_quote, target_lang.strip().lower(), _clean_note(note), now, now),
            )
            hid = int(cur.lastrowid or 0)
            if tag_list:
                self._set_tags(conn, hid, tag_list)
        return self.get_highlight(hid)

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
            pattern = _like_escape(name) + "/%"
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
        for term in query.negative_terms:
            where.append("h.id NOT IN (SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?)")
            params.append(term_to_fts(term))
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
        return match_expression(query.positive_terms), where, params

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
            changes["note"] = _clean_note(note)
        with self.library.write() as conn:
            self.get_highlight(highlight_id)
            if changes or tags is not None:
                changes["updated_at"] = utc_now()
                sets = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(f"UPDATE highlights SET {sets} WHERE id = ?", [*changes.values(), highlight_id])
            if tags is not None:
                self._set_tags(conn, highlight_id, list(tags))
        return self.get_highlight(highlight_id)

    def move_highlight(self, highlight_id: int, start: int, end: int) -> Highlight:
        """Set a highlight to a new span of its article (e.g. the user extended the selection)."""
        with self.library.write() as conn:
            h = self.get_highlight(highlight_id)
            body = self._article_body(h.article_id)
            sel = make_selector(body, start, end)
            conn.execute(
                "UPDATE highlights SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?, paragraph = ?,"
                " orphaned = 0, updated_at = ? WHERE id = ?",
                (sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, paragraph_index(body, sel.start),
                 utc_now(), highlight_id),
            )
        return self.get_highlight(highlight_id)

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

    # --- re-anchoring -----------------------------------------------------------------------------
    def reanchor(self, article_id: int) -> ReanchorReport:
        """Place every highlight of an article in its current text; those that cannot be placed are
        marked orphaned (never deleted), and orphans whose passage is back are placed again.

        Call after an article's body is edited or re-imported (see :func:`on_article_text_changed`).
        """
        with self.library.write() as conn:
            body = self._article_body(article_id)
            highlights = self.highlights_for_article(article_id)
            results = reanchor_article(body, highlights)
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

    # --- article notes ----------------------------------------------------------------------------
    def get_note(self, article_id: int) -> str | None:
        rows = self._rows("SELECT note FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article #{article_id}")
        return rows[0][0]

    def set_note(self, article_id: int, note: str | None) -> None:
        """Set the article-level Markdown note (empty or None removes it)."""
        with self.library.write() as conn:
            cur = conn.execute("UPDATE articles SET note = ? WHERE id = ?", (_clean_note(note), article_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no article #{article_id}")

    # --- saved searches ---------------------------------------------------------------------------
    def _saved_rows(self) -> list[sqlite3.Row]:
        return self._rows("SELECT id, name, query, position FROM saved_searches ORDER BY position, name COLLATE NOCASE")

    def count_query(self, query: str) -> int:
        """How many articles (archived included) a query selects."""
        return self.library.count_articles(ListFilter(query=query, archived=None))

    def saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Saved searches in sidebar order, with their article counts (None + error if now invalid)."""
        out: list[SavedSearch] = []
        for r in self._saved_rows():
            count: int | None = None
            error: str | None = None
            if counts:
                try:
                    count = self.count_query(r["query"])
                except QueryError as exc:
                    error = str(exc)
            out.append(SavedSearch(r["id"], r["name"], r["query"], r["position"], count, error))
        return out

    def get_saved_search(self, name: str) -> SavedSearch:
        rows = self._rows("SELECT id, name, query, position FROM saved_searches WHERE name = ?", (name.strip(),))
        if not rows:
            raise NotFoundError(f"no saved search {name!r}")
        r = rows[0]
        return SavedSearch(r["id"], r["name"], r["query"], r["position"])

    @staticmethod
    def _check(name: str, query: str) -> tuple[str, str]:
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if not name:
            raise ValidationError("a saved search needs a name")
        query = unicodedata.normalize("NFC", query).strip()
        if parse(query).is_empty():
            raise ValidationError("a saved search needs a query (words or filters such as tag:x)")
        return name, query

    def add_saved_search(self, name: str, query: str) -> SavedSearch:
        """Save a query under a name (appended to the end). Raises QueryError for a malformed query."""
        name, query = self._check(name, query)
        with self.library.write() as conn:
            if self._rows("SELECT 1 FROM saved_searches WHERE name = ?", (name,)):
                raise ValidationError(f"a saved search named {name!r} already exists")
            pos = self._rows("SELECT coalesce(max(position), -1) + 1 FROM saved_searches")[0][0]
            conn.execute("INSERT INTO saved_searches (name, query, position) VALUES (?, ?, ?)", (name, query, pos))
        return self.get_saved_search(name)

    def update_saved_search(self, name: str, *, new_name: str | None = None, query: str | None = None) -> SavedSearch:
        current = self.get_saved_search(name)
        new_name, new_query = self._check(new_name if new_name is not None else current.name,
                                          query if query is not None else current.query)
        with self.library.write() as conn:
            clash = self._rows("SELECT id FROM saved_searches WHERE name = ?", (new_name,))
            if clash and clash[0][0] != current.id:
                raise ValidationError(f"a saved search named {new_name!r} already exists")
            conn.execute("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?", (new_name, new_query, current.id))
        return self.get_saved_search(new_name)

    def remove_saved_search(self, name: str) -> SavedSearch:
        """Remove a saved search; returns it (add it again to undo)."""
        current = self.get_saved_search(name)
        with self.library.write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE id = ?", (current.id,))
        return current

    def reorder_saved_searches(self, names: Sequence[str]) -> None:
        """Put saved searches in this order (names not given keep their relative order after them)."""
        with self.library.write() as conn:
            rows = self._saved_rows()
            by_name = {r["name"].casefold(): r["id"] for r in rows}
            ordered: list[int] = []
            for n in names:
                sid = by_name.get(n.strip().casefold())
                if sid is None:
                    raise NotFoundError(f"no saved search {n!r}")
                if sid not in ordered:
                    ordered.append(sid)
            ordered += [r["id"] for r in rows if r["id"] not in ordered]
            conn.executemany("UPDATE saved_searches SET position = ? WHERE id = ?", list(enumerate(ordered)))


def on_article_text_changed(library: Library, article_id: int) -> ReanchorReport:
    """The hook to call after an article's body was edited or re-imported: re-anchors its highlights."""
    return Annotations(library).reanchor(article_id)


__all__ = [
    "Annotations",
    "HighlightFilter",
    "HighlightRow",
    "ReanchorReport",
    "SavedSearch",
    "on_article_text_changed",
]
