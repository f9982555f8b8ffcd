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
