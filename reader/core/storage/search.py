"""Listing and full-text search of articles: filters, sorting and ranking in SQL, snippets in Python.

Originals (``articles_fts``) and cached translations (``article_translations_fts``) are both
searched. Query text is compiled by :mod:`reader.core.storage.query_sql`, so raw user text never
reaches an FTS5 ``MATCH``. A ``~name`` term is spelled as the index's own words that are the name
(:meth:`SearchTable.name_resolver`, via TEMP ``fts5vocab`` tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reader.core.errors import ReaderError
from reader.core.models import ArticleSummary, ListFilter, SearchHit
from reader.core.names import terms_expression, vocabulary_terms
from reader.core.query import NameResolver, parse
from reader.core.storage.articles import SUMMARY_COLUMNS, ArticleTable
from reader.core.storage.query_sql import list_filter_sql, order_sql
from reader.core.textmatch import snippet

SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
#: Relevance ranking (bm25) is computed over at most this many of the newest matches. A query that
#: matches more articles (a very common word at 100k articles) ranks its newest RANK_WINDOW matches
#: and lists the older ones after them, newest first: this keeps p95 under 50 ms at 100k articles.
RANK_WINDOW = 5000
#: A first page sorted by the time added looks among this many newest ids first (see ``list_ids``).
NEWEST_WINDOW = 10_000
#: The TEMP ``fts5vocab`` table (``row`` kind) over each FTS index, for ``~name`` terms.
NAME_VOCABULARIES = {
    "articles_fts": "names_vocab_articles",
    "article_translations_fts": "names_vocab_translations",
    "highlights_fts": "names_vocab_highlights",
}
#: The indexes an article search reads: one ``~name`` fragment serves both (a word that is not in
#: one of them simply matches nothing there).
ARTICLE_INDEXES = ("articles_fts", "article_translations_fts")
_NAME_CACHE_SIZE = 64


class SearchTable(ArticleTable):
    """Article lists and counts for a filter, ranked search, and matches in translations."""

    def name_resolver(self, indexes: Sequence[str] = ARTICLE_INDEXES) -> NameResolver:
        """``~name`` -> an FTS5 fragment of the exact words of ``indexes`` that are the name.

        Each spelling prefix of the name (:func:`reader.core.names.name_prefixes`) is looked up in
        a TEMP ``fts5vocab`` table per index (created on this connection when first needed, so a
        read-only library works too) and only the words :func:`~reader.core.names.matches_name`
        accepts are kept. None when the name is in none of them (the query then matches nothing).
        Results are cached until the library changes (``PRAGMA data_version`` for other
        connections' commits, ``total_changes`` for this one's).
        """
        tables = tuple(indexes)

        def resolve(text: str) -> str | None:
            version = (id(self.conn), self._read("PRAGMA data_version")[0][0], self.conn.total_changes)
            cache: dict[tuple[str, tuple[str, ...]], tuple[object, str | None]]
            cache = self.__dict__.setdefault("_name_cache", {})
            hit = cache.get((text, tables))
            if hit is not None and hit[0] == version:
                return hit[1]
            selects = []
            for table in tables:
                vocab = NAME_VOCABULARIES[table]
                # IF NOT EXISTS each time: a TEMP table made inside a transaction that is rolled back is gone.
                self._read(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab(main, {table}, row)")
                selects.append(f"SELECT term FROM temp.{vocab} WHERE term >= ?1 AND term < ?1 || char(1114111)")
            sql = " UNION ".join(selects)
            expr = terms_expression(vocabulary_terms(text, lambda prefix: [r[0] for r in self._read(sql, [prefix])]))
            if len(cache) >= _NAME_CACHE_SIZE:
                cache.clear()
            cache[(text, tables)] = (version, expr)
            return expr

        return resolve

    def list_ids(self, flt: ListFilter | None = None, *, limit: int | None = None) -> list[int]:
        """Ids of the articles a filter selects, in its sort order (search text: ranked)."""
        flt = flt or ListFilter()
        match, where, params = list_filter_sql(flt, self.name_resolver())
        if match:
            _, base = self._fts_base("original", where)
            params = [match, *params]
            ranked, cutoff = self._ranked_window("articles_fts", base, params, limit)
            ids = [row[0] for row in ranked]
            if cutoff is None or (limit is not None and len(ids) >= limit):
                return ids
            rest_limit = "" if limit is None else f" LIMIT {int(limit) - len(ids)}"
            older = self._column(
                base + f" AND articles_fts.rowid < ? ORDER BY articles_fts.rowid DESC{rest_limit}",
                [*params, cutoff],
            )
            return ids + older
        if limit is not None and flt.sort == "added":
            first = self._newest_first_page(where, params, limit, flt.descending)
            if first is not None:
                return first
        sql = "SELECT a.id FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + order_sql(flt)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._column(sql, params)

    def _newest_first_page(self, where: list[str], params: list[Any], limit: int, descending: bool) -> list[int] | None:
        """A first page in the order added, from the :data:`NEWEST_WINDOW` newest (or oldest) ids,
        walking the covering ``idx_articles_row`` (id first) in that order; None when the window
        holds fewer than ``limit`` matches (then the planner's query runs).

        SQLite otherwise reads every match through a flag index and sorts them all for the first
        200: 95–150 ms at 1,000,000 articles for the All view, 400 ms for ``tag:region lang:ro``;
        this takes 0.1–1 ms, and at most ~30 ms when the window does not fill."""
        edge = self._column("SELECT max(id) FROM articles" if descending else "SELECT min(id) FROM articles")
        if not edge or edge[0] is None:
            return []
        bound = "a.id > ?" if descending else "a.id < ?"
        sql = ("SELECT a.id FROM articles a INDEXED BY idx_articles_row WHERE " + " AND ".join([bound, *where])
               + f" ORDER BY a.id {'DESC' if descending else 'ASC'} LIMIT {int(limit)}")
        start = edge[0] - NEWEST_WINDOW if descending else edge[0] + NEWEST_WINDOW
        try:
            ids = self._column(sql, [start, *params])
        except ReaderError:  # a library without that index: the planner's way
            return None
        return ids if len(ids) >= limit else None

    def _ranked_window(self, fts_table: str, base_sql: str, params: Sequence[Any],
                       limit: int | None) -> tuple[list[tuple[Any, float, int]], int | None]:
        """The newest :data:`RANK_WINDOW` matches, best first: ((article id, bm25, fts rowid), ...)
        (at most ``limit`` of them), and the fts rowid of the oldest match in the window when it is
        full and ``limit`` reaches past it (the older matches follow it, newest first), else None.

        One statement: the window (newest first, filters applied) is read and ranked in the same pass,
        where a separate "rowid of the 5,000th newest match" query read every match a second time (a
        prefix query builds its merged doclist per statement: ~11 ms of 38 at 1M articles). Equal
        ranks go newest first, so a first page is always the start of the whole list."""
        inner = base_sql.replace(
            "SELECT ", f"SELECT bm25({fts_table}, 10.0, 1.0) AS rank, {fts_table}.rowid AS fts_rowid, ", 1
        ) + f" ORDER BY {fts_table}.rowid DESC LIMIT {RANK_WINDOW}"
        # A page shorter than the window: a full window always fills it, so no cutoff is needed
        page = limit is not None and limit < RANK_WINDOW
        rows = self._read(f"SELECT * FROM ({inner}) ORDER BY rank, fts_rowid DESC"
                          + (f" LIMIT {limit}" if page else ""), params)
        cutoff = min(row[1] for row in rows) if not page and len(rows) >= RANK_WINDOW else None
        return [(row[2], row[0], row[1]) for row in rows[:limit]], cutoff

    def list_articles(
        self, flt: ListFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        """Article rows a filter selects, sorted in SQL."""
        flt = flt or ListFilter()
        match, where, params = list_filter_sql(flt, self.name_resolver())
        if match:
            ids = self.list_ids(flt, limit=None if limit is None else limit + offset)[offset:]
            found = self.get_summaries(ids)
            return [found[i] for i in ids if i in found]
        sql = f"SELECT {SUMMARY_COLUMNS} FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + order_sql(flt)
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._summaries(self._read(sql, params))

    def count_articles(self, flt: ListFilter | None = None) -> int:
        flt = flt or ListFilter()
        match, where, params = list_filter_sql(flt, self.name_resolver())
        if match and not where:
            # The index alone (every article is in it, kept in step by triggers): a saved search
            # like ~lukashenko that matches nearly every article counts in ~15 ms, not ~200 ms.
            sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
            params = [match]
        elif match:
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
        match, where, params = list_filter_sql(flt, self.name_resolver())
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
            # No snippet here: on an external-content table it reads every candidate's text.
            for article_id, rank, rowid in self._ranked_window(fts, base, [match, *params], want)[0]:
                if article_id not in found:
                    found[article_id] = (rank, rowid, where_found)
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
        match, where, params = list_filter_sql(flt, self.name_resolver())
        if not match or not self._read("SELECT 1 FROM article_translations LIMIT 1"):
            return []
        fts, base = self._fts_base("translation", where)
        skip = set(exclude)
        rows = self._ranked_window(fts, base, [match, *params], limit + len(skip))[0]
        out: list[int] = []
        for article_id, _, _ in rows:
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
