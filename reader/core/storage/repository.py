"""The repository: every read and write of articles, tags and settings. Returns dataclasses.

One :class:`Library` wraps one connection; a connection belongs to one thread at a time, so each
thread (the GUI's reader, the writer worker, a CLI process) opens its own :class:`Library` on the
same file. WAL mode lets readers go on while one writer commits. Writes go through
:meth:`Library.write`, a ``BEGIN IMMEDIATE`` transaction, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core.errors import LibraryFileError, NewerSchemaError, NotFoundError, ValidationError
from reader.core.models import (
    UNDETERMINED,
    Article,
    ArticleSummary,
    ImportOutcome,
    LanguageGuess,
    ListFilter,
    ParsedArticle,
    SearchHit,
    Tag,
    join_paragraphs,
)
from reader.core.query import Query, compile_query, mentions_archived, parse, parse_date
from reader.core.storage.connection import (
    APPLICATION_ID,
    OPEN_LOCK,
    check_file,
    connect,
    in_chunks,
    mapped_errors,
    register_open,
    release_open,
)
from reader.core.storage.migrations import KNOWN, applied_names, apply_pending
from reader.core.textmatch import snippet

SORT_COLUMNS = {
    "date": "a.published",
    "title": "a.title COLLATE NOCASE",
    "added": "a.id",  # ids grow with import time (restores keep both): the id is the cheapest sort key
    "lang": "a.lang",
    "source": "a.source COLLATE NOCASE",
}
_SUMMARY_COLUMNS = (
    "a.id, a.title, a.lang, a.lang_confidence, a.published, a.source, a.url, a.added_at, "
    "a.read, a.starred, a.archived"
)
_FLAG_NAMES = ("read", "starred", "archived")
SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
#: Relevance ranking (bm25) is computed over at most this many of the newest matches. A query that
#: matches more articles (a very common word at 100k articles) ranks its newest RANK_WINDOW matches
#: and lists the older ones after them, newest first: this keeps p95 under 50 ms at 100k articles.
RANK_WINDOW = 5000


def utc_now() -> str:
    """Now as an ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(title: str, body: str) -> str:
    """De-duplication key: sha256 of the NFC, whitespace-normalised body (title only if no body)."""
    text = body if body.strip() else title
    norm = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def normalize_tag(name: str) -> str:
    """A tag name as stored: NFC, trimmed, inner whitespace folded, no empty path segments."""
    name = unicodedata.normalize("NFC", name)
    parts = [" ".join(p.split()) for p in name.split("/")]
    return "/".join(p for p in parts if p)


class Library:
    """A Polyglot Reader library file.

    Opening creates the file if needed, refuses files that are not ours or are newer, and upgrades
    older ones after a backup copy (``<name>.backup-v<N>``).
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path).expanduser()
        # Checked and opened under one lock: reading the header of a file another thread of this
        # process has open would drop that connection's locks (see connection._OPEN_FILES). The
        # registration is released by close(), or when the object is collected without it.
        with OPEN_LOCK:
            existed = check_file(self.path)
            if not existed and not create:
                raise LibraryFileError(f"no library at {self.path}")
            self.conn: sqlite3.Connection = connect(self.path)
            self._release = weakref.finalize(self, release_open, register_open(self.path))
        try:
            with mapped_errors(self.path):
                self._prepare(existed)
        except BaseException:
            self.close()
            raise

    @property
    def db(self) -> Any:
        """A sqlite-utils ``Database`` over this connection (sqlite-utils is imported on first use)."""
        db = self.__dict__.get("_db")
        if db is None:
            from sqlite_utils import Database

            db = self.__dict__["_db"] = Database(self.conn)
        return db

    # --- opening and migrating ------------------------------------------------------------------
    def _prepare(self, existed: bool) -> None:
        if existed:
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # raises if damaged
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if app_id != APPLICATION_ID and tables:
                raise LibraryFileError(
                    f"{self.path} is an SQLite file of another program, not a Polyglot Reader "
                    "library; it was left untouched — open another library"
                )
            done = applied_names(self.conn) if tables else []
            unknown = [n for n in done if n not in KNOWN]
            if unknown:
                raise NewerSchemaError(
                    f"{self.path} was written by a newer Polyglot Reader (schema {len(done)}, this "
                    f"version knows {len(KNOWN)}); it was left untouched — update the app or open "
                    "another library"
                )
            if done and len(done) < len(KNOWN):
                self.backup_copy(self.path.with_name(f"{self.path.name}.backup-v{len(done)}"))
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        if applied_names(self.conn) != KNOWN:
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            apply_pending(self.conn)
            self.conn.execute(f"PRAGMA user_version = {len(KNOWN)}")

    def backup_copy(self, dest: Path) -> Path:
        """A consistent copy of the library (SQLite online backup) at ``dest``."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        with mapped_errors(dest):
            try:
                target = sqlite3.connect(str(tmp))
                try:
                    self.conn.backup(target)
                finally:
                    target.close()
                shutil.move(str(tmp), str(dest))
            except BaseException:
                tmp.unlink(missing_ok=True)  # e.g. the disk filled: leave no half copy behind
                raise
        return dest

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self._release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all or nothing; errors mapped to StorageError."""
        with mapped_errors(self.path):
            if self.conn.in_transaction:  # nested: a savepoint
                with self.db.atomic():
                    yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with mapped_errors(self.path):
            cur = self.conn.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    # --- articles: create -----------------------------------------------------------------------
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
            if parsed.tags:
                self._add_tags(conn, [article_id], parsed.tags)
        return ImportOutcome(shown, "imported", article_id=article_id, title=parsed.title, lang=guess.lang)

    # --- articles: read -------------------------------------------------------------------------
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
            note=r["note"],
        )

    def exists(self, article_id: int) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def _tags_of(self, ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for chunk, marks in in_chunks(ids):
            for row in self._read(
                f"SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
                f"WHERE at.article_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            ):
                out.setdefault(row[0], []).append(row[1])
        return out

    def _summaries(self, rows: Iterable[sqlite3.Row]) -> list[ArticleSummary]:
        rows = list(rows)
        tags = self._tags_of([r["id"] for r in rows])
        return [
            ArticleSummary(
                id=r["id"], title=r["title"], lang=r["lang"], lang_confidence=r["lang_confidence"],
                published=r["published"], source=r["source"], url=r["url"], added_at=r["added_at"],
                read=bool(r["read"]), starred=bool(r["starred"]), archived=bool(r["archived"]),
                tags=tuple(tags.get(r["id"], ())),
            )
            for r in rows
        ]

    def get_summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Summaries for the given ids (missing ids are left out)."""
        out: dict[int, ArticleSummary] = {}
        for chunk, marks in in_chunks(ids):
            rows = self._read(f"SELECT {_SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", chunk)
            out.update({s.id: s for s in self._summaries(rows)})
        return out

    def _filter_sql(self, flt: ListFilter) -> tuple[str | None, list[str], list[object]]:
        """(FTS match, where conditions, params) for a list filter."""
        query: Query = parse(flt.query) if flt.query else Query()
        compiled = compile_query(query)
        where, params = list(compiled.where), list(compiled.params)
        if flt.tag:
            extra = compile_query(parse(f'tag:"{flt.tag}"'))
            where += extra.where
            params += extra.params
        if flt.lang:
            where.append("a.lang = ?")
            params.append(flt.lang)
        if flt.unread:
            where.append("a.read = 0")
        if flt.starred:
            where.append("a.starred = 1")
        if flt.archived is True:
            where.append("a.archived = 1")
        elif flt.archived is False and not mentions_archived(query):
            where.append("a.archived = 0")
        return compiled.match, where, params

    def _order_sql(self, flt: ListFilter) -> str:
        column = SORT_COLUMNS.get(flt.sort)
        if column is None:
            raise ValidationError(f"cannot sort by {flt.sort!r}; use one of: {', '.join(SORT_COLUMNS)}")
        direction = "DESC" if flt.descending else "ASC"
        nulls = " NULLS LAST" if flt.sort == "date" and not flt.descending else ""  # DESC: NULLs last already
        return f"{column} {direction}{nulls}, a.id {direction}"

    def list_ids(self, flt: ListFilter | None = None, *, limit: int | None = None) -> list[int]:
        """Ids of the articles a filter selects, in its sort order (search text: ranked)."""
        flt = flt or ListFilter()
        match, where, params = self._filter_sql(flt)
        if match:
            _, base = self._fts_base("original", where)
            params = [match, *params]
            cutoff = self._rank_cutoff("articles_fts", base, params)
            if cutoff is None:
                sql = base + " ORDER BY bm25(articles_fts, 10.0, 1.0)"
                if limit is not None:
                    sql += f" LIMIT {int(limit)}"
                return [r[0] for r in self._read(sql, params)]
            ranked = [r[0] for r in self._read(
                base + " AND articles_fts.rowid >= ? ORDER BY bm25(articles_fts, 10.0, 1.0)"
                + (f" LIMIT {int(limit)}" if limit is not None else ""),
                [*params, cutoff],
            )]
            if limit is not None and len(ranked) >= limit:
                return ranked
            rest_limit = "" if limit is None else f" LIMIT {int(limit) - len(ranked)}"
            older = [r[0] for r in self._read(
                base + f" AND articles_fts.rowid < ? ORDER BY articles_fts.rowid DESC{rest_limit}",
                [*params, cutoff],
            )]
            return ranked + older
        else:
            sql = "SELECT a.id FROM articles a"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += " ORDER BY " + self._order_sql(flt)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self._read(sql, params)]

    def _rank_cutoff(self, fts_table: str, base_sql: str, params: Sequence[Any]) -> int | None:
        """The rowid of the RANK_WINDOW-th newest match, or None when there are fewer matches."""
        from_where = base_sql[base_sql.index(" FROM ") :]
        rows = self._read(
            f"SELECT {fts_table}.rowid{from_where} ORDER BY {fts_table}.rowid DESC "
            f"LIMIT 1 OFFSET {RANK_WINDOW - 1}",
            params,
        )
        return int(rows[0][0]) if rows else None

    def list_articles(
        self, flt: ListFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        """Article rows a filter selects, sorted in SQL."""
        flt = flt or ListFilter()
        match, where, params = self._filter_sql(flt)
        if match:
            ids = self.list_ids(flt, limit=None if limit is None else limit + offset)[offset:]
            found = self.get_summaries(ids)
            return [found[i] for i in ids if i in found]
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + self._order_sql(flt)
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._summaries(self._read(sql, params))

    def count_articles(self, flt: ListFilter | None = None) -> int:
        flt = flt or ListFilter()
        match, where, params = self._filter_sql(flt)
        if match:
            sql = "SELECT count(*) FROM articles a WHERE a.id IN " \
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)" + "".join(f" AND {w}" for w in where)
            params = [match, *params]
        else:
            sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._read(sql, params)[0][0])

    def search(
        self,
        text: str,
        *,
        limit: int = 50,
        offset: int = 0,
        include_archived: bool = True,
        translations: bool = True,
        mark: tuple[str, str] = ("[", "]"),
        snippet_tokens: int = 16,
    ) -> list[SearchHit]:
        """Ranked full-text search with snippets; any input returns cleanly.

        Originals and cached translations are both searched; an article found in both is reported
        once, as ``original``. Very common words rank the newest :data:`RANK_WINDOW` matches.
        Filters in the text (``tag:``, ``lang:``...) narrow the results. With no free words, the filtered list is returned in ``added`` order (empty snippets); with
        nothing at all to search for, no hits.
        """
        query = parse(text)
        if query.is_empty():
            return []  # nothing to search for ('', '"', '*', punctuation)
        flt = ListFilter(query=text, archived=None if include_archived else False)
        match, where, params = self._filter_sql(flt)
        if not match:
            rows = self.list_articles(flt, limit=limit, offset=offset)
            return [SearchHit(r, "", 0.0) for r in rows]
        want = limit + offset
        found: dict[int, tuple[float, int, str]] = {}  # article id -> (rank, fts rowid, where found)
        sources = ["original"]
        if translations and self._read("SELECT 1 FROM article_translations LIMIT 1"):
            sources.append("translation")
        for where_found in sources:
            fts, base = self._fts_base(where_found, where)
            base_params = [match, *params]
            cutoff = self._rank_cutoff(fts, base, base_params)
            window = "" if cutoff is None else f" AND {fts}.rowid >= {cutoff}"
            # No snippet here: on an external-content table it reads every candidate's text.
            sql = (
                base.replace("SELECT ", f"SELECT bm25({fts}, 10.0, 1.0) AS rank, {fts}.rowid, ", 1)
                + f"{window} ORDER BY rank LIMIT ?"
            )
            for row in self._read(sql, [*base_params, want]):
                if row[2] not in found:
                    found[row[2]] = (row[0], row[1], where_found)
        ranked = sorted(found.items(), key=lambda kv: kv[1][0])[offset : offset + limit]
        # Snippets for the returned page only, made in Python with the index's folding: FTS5's
        # snippet() with "rowid IN (...)" re-runs a prefix query per row (a second at 100k).
        snippets: dict[int, str] = {}
        terms = query.positive_terms
        for where_found, table, key in (("original", "articles", "id"),
                                        ("translation", "article_translations", "rowid")):
            rowids = [rowid for _, (_, rowid, w) in ranked if w == where_found]
            if not rowids:
                continue
            marks = ",".join("?" * len(rowids))
            id_col = "id" if table == "articles" else "article_id"
            for article_id, body in self._read(
                f"SELECT {id_col}, body FROM {table} WHERE {key} IN ({marks})", rowids
            ):
                snippets[article_id] = snippet(body, terms, mark=mark, words=snippet_tokens)
        summaries = self.get_summaries([i for i, _ in ranked])
        return [
            SearchHit(summaries[i], snippets.get(i, ""), rank, where_found)
            for i, (rank, _, where_found) in ranked
            if i in summaries
        ]

    def translation_match_ids(self, flt: ListFilter, *, exclude: Iterable[int] = (), limit: int = 500) -> list[int]:
        """Articles of a view whose cached translation matches its free text, best first.

        The same filters as :meth:`list_ids` apply; ``exclude`` (e.g. the original matches already
        listed) is left out. No snippets: this is what a list shows after the original matches.
        """
        match, where, params = self._filter_sql(flt)
        if not match or not self._read("SELECT 1 FROM article_translations LIMIT 1"):
            return []
        fts, base = self._fts_base("translation", where)
        base_params = [match, *params]
        cutoff = self._rank_cutoff(fts, base, base_params)
        window = "" if cutoff is None else f" AND {fts}.rowid >= {cutoff}"
        skip = set(exclude)
        rows = self._read(f"{base}{window} ORDER BY bm25({fts}, 10.0, 1.0) LIMIT ?",
                          [*base_params, limit + len(skip)])
        out: list[int] = []
        for (article_id,) in rows:
            if article_id not in skip and article_id not in out:
                out.append(article_id)
        return out[:limit]

    @staticmethod
    def _fts_base(source: str, where: list[str]) -> tuple[str, str]:
        """(fts table, "SELECT <article id> FROM ... WHERE <fts> MATCH ? [AND where...]").

        The articles table is joined only when a condition needs it: a join reads every
        candidate's row, which at 100k articles costs more than the ranking itself.
        """
        extra = "".join(f" AND {w}" for w in where)
        if source == "original":
            if not where:
                return "articles_fts", "SELECT articles_fts.rowid FROM articles_fts WHERE articles_fts MATCH ?"
            return "articles_fts", (
                # CROSS JOIN keeps the full-text match driving the query: without it the planner may
                # start from an index (lang:ro) and run the MATCH once per article (seconds at 100k).
                "SELECT a.id FROM articles_fts CROSS JOIN articles a INDEXED BY idx_articles_row "
                "ON a.id = articles_fts.rowid "
                f"WHERE articles_fts MATCH ?{extra}"
            )
        fts = "article_translations_fts"
        join = f"JOIN article_translations t ON t.rowid = {fts}.rowid"
        if where:
            join += " CROSS JOIN articles a INDEXED BY idx_articles_row ON a.id = t.article_id"
        return fts, f"SELECT t.article_id FROM {fts} {join} WHERE {fts} MATCH ?{extra}"

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

    # --- articles: update -----------------------------------------------------------------------
    def _require(self, article_id: int) -> None:
        if not self.exists(article_id):
            raise NotFoundError(f"no article #{article_id}")

    def update_article(
        self,
        article_id: int,
        *,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
        url: str | None = None,
        lang: str | None = None,
        body: str | None = None,
        clear_date: bool = False,
    ) -> Article:
        """Edit metadata. ``lang`` set here is a person's override and survives re-detection."""
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
        if body is not None:
            changes["body"] = unicodedata.normalize("NFC", body)
        with self.write() as conn:
            self._require(article_id)
            if changes:
                changes["updated_at"] = utc_now()
                cols = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(f"UPDATE articles SET {cols} WHERE id = ?", [*changes.values(), article_id])
                if "body" in changes:  # highlights follow the new text (or become orphans), atomically
                    from reader.core.storage.annotations import on_article_text_changed

                    on_article_text_changed(self, article_id)
        return self.get_article(article_id)

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

    def set_read_position(self, article_id: int, position: float) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE articles SET read_position = ? WHERE id = ?",
                (max(0.0, min(1.0, float(position))), article_id),
            )

    # --- delete with undo -----------------------------------------------------------------------
    def delete_articles(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Delete articles; returns snapshots that :meth:`restore_articles` puts back exactly."""
        snapshots: list[dict[str, Any]] = []
        with self.write() as conn:
            for article_id in ids:
                self._require(article_id)
                snapshots.append(self._snapshot(article_id))
                conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return snapshots

    def _snapshot(self, article_id: int) -> dict[str, Any]:
        snap: dict[str, Any] = {"article": dict(self._read("SELECT * FROM articles WHERE id = ?", (article_id,))[0])}
        snap["tags"] = self._tags_of([article_id]).get(article_id, [])
        for table in ("highlights", "article_translations"):
            snap[table] = [dict(r) for r in self._read(f"SELECT * FROM {table} WHERE article_id = ?", (article_id,))]
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
            for snap in snapshots:
                self._insert_row(conn, "articles", snap["article"])
                self._add_tags(conn, [snap["article"]["id"]], snap["tags"])
                for table in ("highlights", "article_translations"):
                    for row in snap.get(table, []):
                        self._insert_row(conn, table, row)
                for row in snap.get("highlight_tags", []):
                    tag_id = self._ensure_tag(conn, row["name"])
                    conn.execute(
                        "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                        (row["highlight_id"], tag_id),
                    )

    @staticmethod
    def _insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
        cols = ", ".join(row)
        marks = ", ".join("?" * len(row))
        conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))

    # --- tags -----------------------------------------------------------------------------------
    def _ensure_tag(self, conn: sqlite3.Connection, name: str) -> int:
        clean = normalize_tag(name)
        if not clean:
            raise ValidationError("a tag name cannot be empty")
        conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (clean,))
        return int(conn.execute("SELECT id FROM tags WHERE name = ?", (clean,)).fetchone()[0])

    def _add_tags(self, conn: sqlite3.Connection, ids: Sequence[int], names: Iterable[str]) -> None:
        for name in names:
            tag_id = self._ensure_tag(conn, name)
            conn.executemany(
                "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)",
                [(i, tag_id) for i in ids],
            )

    def add_tags(self, ids: int | Sequence[int], names: Iterable[str]) -> None:
        """Tag one or many articles (tags are created as needed)."""
        id_list = [ids] if isinstance(ids, int) else list(ids)
        names = list(names)
        with self.write() as conn:
            for i in id_list:
                self._require(i)
            self._add_tags(conn, id_list, names)

    def remove_tags(self, ids: int | Sequence[int], names: Iterable[str]) -> None:
        """Untag; a tag left on no article and no highlight stays (it may have a colour)."""
        id_list = [ids] if isinstance(ids, int) else list(ids)
        with self.write() as conn:
            for i in id_list:
                self._require(i)
            for name in names:
                marks = ",".join("?" * len(id_list))
                conn.execute(
                    f"DELETE FROM article_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?) "
                    f"AND article_id IN ({marks})",
                    [normalize_tag(name), *id_list],
                )

    def list_tags(self) -> list[Tag]:
        """All tags with the number of (non-archived) articles tagged with each, by name."""
        rows = self._read(
            "SELECT t.id, t.name, t.color, count(a.id) FROM tags t "
            "LEFT JOIN article_tags at ON at.tag_id = t.id "
            "LEFT JOIN articles a INDEXED BY idx_articles_row ON a.id = at.article_id AND a.archived = 0 "
            "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        )
        return [Tag(r[0], r[1], r[2], r[3]) for r in rows]

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag and its children (``region`` -> ``place`` renames ``region/belarus`` too).

        Renaming onto an existing tag merges into it.
        """
        old_n, new_n = normalize_tag(old), normalize_tag(new)
        if not new_n:
            raise ValidationError("a tag name cannot be empty")
        with self.write() as conn:
            rows = conn.execute(
                "SELECT id, name FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
                (old_n, old_n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"),
            ).fetchall()
            if not rows:
                raise NotFoundError(f"no tag {old!r}")
            for tag_id, name in rows:
                target = new_n + name[len(old_n) :]
                existing = conn.execute("SELECT id FROM tags WHERE name = ?", (target,)).fetchone()
                if existing and existing[0] != tag_id:
                    self._merge_into(conn, tag_id, existing[0])
                else:
                    conn.execute("UPDATE tags SET name = ? WHERE id = ?", (target, tag_id))

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        """Move every article and highlight of ``sources`` to ``target`` and delete the sources."""
        with self.write() as conn:
            target_id = self._ensure_tag(conn, target)
            for name in sources:
                row = conn.execute("SELECT id FROM tags WHERE name = ?", (normalize_tag(name),)).fetchone()
                if row is None:
                    raise NotFoundError(f"no tag {name!r}")
                if row[0] != target_id:
                    self._merge_into(conn, row[0], target_id)

    @staticmethod
    def _merge_into(conn: sqlite3.Connection, source_id: int, target_id: int) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
            (target_id, source_id),
        )
        conn.execute(
            "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?",
            (target_id, source_id),
        )
        conn.execute("DELETE FROM tags WHERE id = ?", (source_id,))

    def delete_tag(self, name: str) -> None:
        """Delete a tag (and its links); the articles stay."""
        with self.write() as conn:
            cur = conn.execute("DELETE FROM tags WHERE name = ?", (normalize_tag(name),))
            if cur.rowcount == 0:
                raise NotFoundError(f"no tag {name!r}")

    def set_tag_color(self, name: str, color: str | None) -> None:
        with self.write() as conn:
            tag_id = self._ensure_tag(conn, name)
            conn.execute("UPDATE tags SET color = ? WHERE id = ?", (color, tag_id))

    # --- settings (never secrets) ---------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def all_settings(self) -> dict[str, Any]:
        return {r[0]: json.loads(r[1]) for r in self._read("SELECT key, value FROM settings")}

    # --- misc -----------------------------------------------------------------------------------
    def article_count(self) -> int:
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def integrity_ok(self) -> bool:
        return self._read("PRAGMA integrity_check")[0][0] == "ok"


def undetermined() -> LanguageGuess:
    return LanguageGuess(UNDETERMINED, 0.0)
