"""Reading a list through (issue 13): the first unread of a view's ids, and marking a whole view
read (and back) — both over id lists longer than one ``IN (...)`` chunk."""

from __future__ import annotations

from pathlib import Path

from reader.core.models import ListFilter
from reader.core.storage import Library
from reader.core.storage.connection import IN_CHUNK
from tests.helpers.library import populate


def test_first_unread_keeps_the_list_order_across_chunks(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = populate(db, 6, tags=False)
    gone = list(range(10_000, 10_000 + 2 * IN_CHUNK + 7))  # ids that are not (or no longer) there
    with Library(db) as lib:
        lib.set_flags(ids[:4], read=True)
        assert lib.first_unread([]) is None
        assert lib.first_unread(ids[:4]) is None
        assert lib.first_unread([ids[5], ids[4]]) == ids[5]  # the given order, not the id order
        assert lib.first_unread([*ids[:4], *gone, ids[4], ids[5]]) == ids[4]  # found in the third chunk


def test_mark_read_changes_only_what_was_unread_and_says_which(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = populate(db, 2 * IN_CHUNK + 3, tags=False)  # three chunks
    with Library(db) as lib:
        already = [ids[0], ids[IN_CHUNK], ids[-1]]
        lib.set_flags(already, read=True)
        changed = lib.mark_read([*ids, 99_999])  # an id that is gone is skipped
        assert sorted(changed) == sorted(set(ids) - set(already))
        assert lib.view_counts()["unread"] == 0
        assert lib.mark_read(ids) == []  # nothing left to change
        assert sorted(lib.mark_read(changed, False)) == sorted(changed)  # the undo
        assert sorted(lib.list_ids(ListFilter(unread=True))) == sorted(changed)
