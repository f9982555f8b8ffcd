"""Query-to-SQL compilation: a parsed :class:`~reader.core.query.Query` as SQL over ``articles AS a``.

:func:`compile_query` turns filters and negative terms into SQL conditions with bound parameters and
the positive terms into an FTS5 MATCH expression (quoted tokens only, see
:func:`reader.core.query.match_expression`); :func:`list_filter_sql` and :func:`order_sql` do the
same for a :class:`~reader.core.models.ListFilter` (the sidebar views and ``reader-cli list``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.errors import QueryError, ValidationError
from reader.core.models import ListFilter
from reader.core.query import (
    Filter,
    NameResolver,
    Query,
    match_expression,
    mentions_archived,
    parse,
    term_to_fts,
)

SORT_COLUMNS = {
    "date": "a.published",
    "title": "a.title COLLATE NOCASE",
    "added": "a.id",  # ids grow with import time (restores keep both): the id is the cheapest sort key
    "lang": "a.lang",
    "source": "a.source COLLATE NOCASE",
}


@dataclass
class CompiledQuery:
    """SQL pieces for a query over ``articles AS a``.

    ``match`` is the FTS5 expression of the positive terms (None: no free text). ``where`` is a list
    of SQL conditions on ``a`` (joined with AND) and ``params`` their bound values, in order.
    """

    match: str | None
    where: list[str]
    params: list[object]


def compile_query(query: Query, fts_table: str = "articles_fts", names: NameResolver | None = None) -> CompiledQuery:
    """Compile filters and negative terms to SQL; positive terms to an FTS MATCH expression.

    ``names`` spells a ``~name`` term as the index's own words (see
    :meth:`reader.core.storage.search.SearchTable.name_resolver`); without it, as spelling prefixes.
    """
    where: list[str] = []
    params: list[object] = []
    for f in query.filters:
        cond, cond_params = filter_sql(f)
        where.append(f"NOT ({cond})" if f.negated else cond)
        params.extend(cond_params)
    match = match_expression(query.positive_terms, names)
    if match is not None:
        # Exclusions go into the MATCH as FTS5 NOT: a doclist difference, far cheaper than a
        # NOT IN subquery over every article holding a common word.
        for term in query.negative_terms:
            match = f"({match}) NOT {term_to_fts(term, names)}"
    else:
        for term in query.negative_terms:
            where.append(f"a.id NOT IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)")
            params.append(term_to_fts(term, names))
    return CompiledQuery(match, where, params)


def filter_sql(f: Filter) -> tuple[str, list[object]]:
    if f.key == "tag":
        name = f.value.strip("/")
        # EXISTS, not IN (list): a list of every article with a common tag is built before the first
        # row (375,000 rows at 1M articles: 130 ms); a probe per row lets a first page stop early.
        return (
            "EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id IN "
            "(SELECT t.id FROM tags t WHERE t.name = ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\' COLLATE NOCASE))",
            [name, like_escape(name) + "/%"],
        )
    if f.key == "lang":
        return "a.lang = ?", [f.value]
    if f.key == "source":
        return "a.source LIKE ? ESCAPE '\\'", ["%" + like_escape(f.value) + "%"]
    if f.key == "feed":
        if f.value.isdigit():
            return "a.feed_id IS ?", [int(f.value)]  # IS: -feed:3 keeps articles from no feed
        return (
            "(a.feed_id IS NOT NULL AND a.feed_id IN (SELECT id FROM feeds WHERE title LIKE ? ESCAPE '\\'))",
            ["%" + like_escape(f.value) + "%"],
        )
    if f.key == "is":
        return {
            "unread": ("a.read = 0", []),
            "read": ("a.read = 1", []),
            "starred": ("a.starred = 1", []),
            "archived": ("a.archived = 1", []),
        }[f.value]
    if f.key == "has":
        return {
            # IN (subquery) forms: evaluated once, not once per article row.
            "highlights": ("a.id IN (SELECT article_id FROM highlights)", []),
            "notes": (
                "a.id IN (SELECT id FROM articles WHERE note <> '' "
                "UNION SELECT article_id FROM highlights WHERE note <> '')",
                [],
            ),
            "translation": ("a.id IN (SELECT article_id FROM article_translations)", []),
        }[f.value]
    if f.key == "after":
        return "a.published >= ?", [f.value]
    if f.key == "before":
        return "a.published < ?", [f.value]
    raise QueryError(f"unknown filter {f.key}:")  # pragma: no cover - parse() guards this


def list_filter_sql(
    flt: ListFilter, names: NameResolver | None = None
) -> tuple[str | None, list[str], list[object]]:
    """(FTS match, where conditions on ``a``, params) for a list filter (``names``: see compile_query)."""
    query: Query = parse(flt.query) if flt.query else Query()
    compiled = compile_query(query, names=names)
    where, params = list(compiled.where), list(compiled.params)
    if flt.tag:
        extra = compile_query(parse(f'tag:"{flt.tag}"'))
        where += extra.where
        params += extra.params
    if flt.lang:
        where.append("a.lang = ?")
        params.append(flt.lang)
    if flt.feed_id is not None:
        where.append("a.feed_id = ?")
        params.append(flt.feed_id)
    if flt.unread:
        where.append("a.read = 0")
    if flt.starred:
        where.append("a.starred = 1")
    if flt.archived is True:
        where.append("a.archived = 1")
    elif flt.archived is False and not mentions_archived(query):
        where.append("a.archived = 0")
    return compiled.match, where, params


def order_sql(flt: ListFilter) -> str:
    """The ORDER BY clause (without the keywords) of a list filter's sort."""
    column = SORT_COLUMNS.get(flt.sort)
    if column is None:
        raise ValidationError(f"cannot sort by {flt.sort!r}; use one of: {', '.join(SORT_COLUMNS)}")
    direction = "DESC" if flt.descending else "ASC"
    nulls = " NULLS LAST" if flt.sort == "date" and not flt.descending else ""  # DESC: NULLs last already
    return f"{column} {direction}{nulls}, a.id {direction}"


def like_escape(text: str) -> str:
    """``text`` as a literal inside a ``LIKE ... ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
