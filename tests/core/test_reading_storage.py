"""Reading a list through (issue 13): the first unread of a view's ids, and marking a whole view
read (and back) — both over id lists longer than one ``IN (...)`` chunk."""

from __future__ import annotations

from pathlib import Path

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
