"""Issue 13 item 5: renaming or merging a tag rewrites the saved searches that name it."""

from __future__ import annotations

from pathlib import Path

from reader.core.library_ops import Annotations
from reader.core.query import rename_tag_in_query
from reader.core.storage import Library
from tests.helpers.library import populate


def test_rename_in_query_text() -> None:
    assert rename_tag_in_query("tag:region is:unread", "region", "geo") == "tag:geo is:unread"
    assert rename_tag_in_query("-tag:Region/belarus minsk", "region", "geo") == "-tag:geo/belarus minsk"
    assert rename_tag_in_query('tag:"region" x', "region", "my geo") == 'tag:"my geo" x'
    assert rename_tag_in_query("tag:regional region", "region", "geo") == "tag:regional region"
    assert rename_tag_in_query("lang:ro", "region", "geo") == "lang:ro"


def test_rename_and_merge_rewrite_saved_searches(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    populate(db, 6)
    with Library(db) as lib:
        ids = lib.list_ids()
        lib.add_tags(ids[:3], ["region"])
        lib.add_tags(ids[3:5], ["region/belarus"])
        lib.add_tags(ids[5:], ["old"])
        ann = Annotations(lib)
        ann.add_saved_search("Unread region", "tag:region is:unread")
        ann.add_saved_search("Belarus", "tag:region/belarus")
        ann.add_saved_search("Old", "tag:old")
        before = {s.name: s.count for s in ann.saved_searches()}
        lib.rename_tag("region", "geo")
        renamed = {s.name: (s.query, s.count) for s in ann.saved_searches()}
        lib.merge_tags(["old"], "geo")
        merged = {s.name: s.query for s in ann.saved_searches()}
    assert renamed["Unread region"] == ("tag:geo is:unread", before["Unread region"])
    assert renamed["Belarus"] == ("tag:geo/belarus", before["Belarus"])
    assert before["Unread region"] and before["Belarus"]
    assert merged["Old"] == "tag:geo"
