"""The query language is fuzzed: the parser raises nothing but QueryError (one readable line), and
searching, listing, counting and the highlights search never raise anything else for any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.errors import QueryError
from reader.core.library_ops import Annotations
from reader.core.models import HighlightFilter, LanguageGuess, ListFilter, ParsedArticle
from reader.core.query import parse
from reader.core.storage import Library
from reader.core.storage.query_sql import compile_query

# Text built from the pieces that break naive FTS5/SQL handling, plus arbitrary Unicode.
_PIECES = st.sampled_from([
    '"', "'", "*", "-", ":", "(", ")", "^", "+", "AND", "OR", "NOT", "NEAR", "NEAR(", "e-mail", "tag:", "lang:",
    "is:", "has:", "after:", "before:", "source:", "is:unread", "has:highlights", "has:notes", "tag:\"a b\"",
    "after:2026-01", "before:2026-13-01", "-tag:x", "-\"", "ș", "ş", "Lukașenko", "\\", "%", "_", "\x00",
    "{", "}", "[", "]", "column:", "title:", "body:", " ", "  ", "\n", "\t", "🙂", "\u202e",
])
QUERY_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(_PIECES, max_size=12).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=10).map(" ".join),
)


@given(QUERY_TEXT)
@settings(max_examples=1500, deadline=None)
def test_parser_raises_only_query_errors(text: str) -> None:
    try:
        query = parse(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    compiled = compile_query(query)
    assert len(compiled.where) <= len(query.filters) + len(query.negative_terms)


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "lib.db"
    with Library(path) as lib:
        for i, (text, lang) in enumerate([
            ("Lukașenko și Putin la Minsk. Acordul privind garanţii de securitate.", "ro"),
            ("Lukašenka ir Putinas susitiko Kremliuje.", "lt"),
            ("Belarus and Russia, e-mail AND \"quotes\" NEAR the border.", "en"),
        ]):
            out = lib.add_article(ParsedArticle(title=f"T{i}", paragraphs=(text,), published="2026-02-0" + str(i + 1),
                                                tags=("region/belarus",)), LanguageGuess(lang, 0.9))
            assert out.article_id is not None
            Annotations(lib).add_highlight(out.article_id, 0, 10, note="notă * \"x\"")
    return path


@given(QUERY_TEXT)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_searching_never_raises_anything_but_query_error(small_library: Path, text: str) -> None:
    with Library(small_library) as lib:
        notes = Annotations(lib)
        for call in (
            lambda: lib.search(text),
            lambda: lib.list_articles(ListFilter(query=text, archived=None), limit=5),
            lambda: lib.count_articles(ListFilter(query=text)),
            lambda: notes.list_highlights(HighlightFilter(query=text), limit=5),
            lambda: notes.count_highlights(HighlightFilter(query=text)),
        ):
            try:
                result = call()
            except QueryError as exc:
                assert str(exc) and "\n" not in str(exc)
            else:
                assert result is not None


def test_known_hostile_inputs(small_library: Path) -> None:
    with Library(small_library) as lib:
        for text in ['"', "*", "AND", "e-mail", "NEAR(", "a OR", "-", '-"', "ș*", "\x00", "a\x00b", "\\", "^x"]:
            lib.search(text)
        with pytest.raises(QueryError, match="needs a value"):
            lib.search('tag:"')
        assert [h.article.id for h in lib.search("lukasenko")] == [1]
        assert [h.article.id for h in lib.search("e-mail")] == [3]
