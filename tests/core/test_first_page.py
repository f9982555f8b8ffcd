"""A list's first page in the order added comes from the newest (or oldest) ids first
(``SearchTable._newest_first_page``): it must be exactly the first rows of the whole list, for
every kind of filter, with gaps in the ids, and when the window does not fill."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.models import ListFilter
from reader.core.storage import Library
from reader.core.storage import search as search_module
from tests.helpers.library import populate

QUERIES = ["", "is:unread", "is:starred", "lang:ro", "tag:region", "tag:region lang:ro", "-tag:region",
           "source:\"Source 3\"", "is:unread lang:lt -tag:region", "feed:3", "has:notes", "has:highlights", "numărul"]


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setattr(search_module, "NEWEST_WINDOW", 40)  # a small window, so some do not fill
    ids = populate(tmp_path / "lib.db", 400)
    lib = Library(tmp_path / "lib.db")
    lib.set_flags(ids[::3], read=True)
    lib.set_flags(ids[::11], starred=True)
    lib.set_flags(ids[::13], archived=True)
    lib.delete_articles(ids[350:380])  # a gap among the newest ids
    yield lib
    lib.close()


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("query", QUERIES)
def test_first_page_is_the_start_of_the_whole_list(library: Library, query: str, descending: bool) -> None:
    for archived in (False, None):
        flt = ListFilter(query=query or None, sort="added", descending=descending, archived=archived)
        whole = library.list_ids(flt)
        for limit in (1, 20, 200):
            assert library.list_ids(flt, limit=limit) == whole[:limit], (query, descending, archived, limit)


def test_the_window_answers_without_the_planner_when_it_fills(library: Library) -> None:
    seen: list[str] = []
    library.conn.set_trace_callback(seen.append)
    try:
        assert len(library.list_ids(ListFilter(sort="added"), limit=10)) == 10
    finally:
        library.conn.set_trace_callback(None)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT A.ID")]
    assert len(selects) == 1 and "INDEXED BY idx_articles_row" in selects[0]


@pytest.mark.parametrize("window", [50, 5000])
@pytest.mark.parametrize("query", ["numărul", "president*", "numărul -tag:region", "paragraf lang:ro", "moscow*"])
def test_a_ranked_first_page_is_the_start_of_the_whole_ranked_list(library: Library, monkeypatch: pytest.MonkeyPatch,
                                                                    query: str, window: int) -> None:
    """Search results rank the newest RANK_WINDOW matches and list the older ones after them; with
    equal ranks (these articles differ only in a number) a first page must still be the start of the
    whole list, whether the window fills (50) or not (5000), or the window resets the list it shows."""
    monkeypatch.setattr(search_module, "RANK_WINDOW", window)
    for archived in (False, None):
        flt = ListFilter(query=query, archived=archived)
        whole = library.list_ids(flt)
        assert len(whole) == len(set(whole)) == library.count_articles(flt) > 20  # every match, once
        for limit in (1, 20, 49, 200):
            assert library.list_ids(flt, limit=limit) == whole[:limit], (query, archived, limit)
