"""The sidebar's numbers change in place (a feeds refresh re-reads them every few seconds): the same
entries, new counts, badges and tooltips; the selection stays; a new entry still rebuilds."""

from __future__ import annotations

from dataclasses import replace

from reader.core.models import Feed, Tag
from reader.gui.widgets.sidebar import ERROR_BADGE, ERROR_ROLE, Sidebar

VIEWS = {"all": 12, "unread": 5, "starred": 1, "archive": 0}


def _feeds(n: int = 30) -> list[Feed]:
    return [Feed(i, f"Feed {i}", f"http://127.0.0.1/{i}.xml", folder=f"F{i % 3}", unread=i,
                 last_ok="2026-12-03T10:00:00Z") for i in range(1, n + 1)]


def test_counts_badges_and_tooltips_change_in_place_and_the_selection_stays(qtbot) -> None:  # noqa: ANN001
    sb = Sidebar()
    qtbot.addWidget(sb)
    sb.set_counts(VIEWS, [Tag(1, "region", count=3)], [("en", 5)])
    feeds = _feeds()
    sb.set_feeds(feeds)
    sb.select("feed", "7")
    first = sb.feed_index(7)
    assert ("F1", "Feed 7", "7") in sb.feed_entries()

    feeds[6] = replace(feeds[6], unread=9, last_error="connection refused")
    feeds[1] = replace(feeds[1], unread=0, last_ok="2026-12-03T11:00:00Z")
    sb.set_feeds(feeds)
    sb.set_counts({**VIEWS, "unread": 6}, [Tag(1, "region", count=4)], [("en", 6)])
    entries = sb.feed_entries()
    assert ("F1", "Feed 7", f"{ERROR_BADGE} 9") in entries and ("F2", "Feed 2", "") in entries
    index = sb.feed_index(7)
    assert index == first  # the same row, not a rebuilt one
    assert index.data(ERROR_ROLE) == "connection refused" and "Last error: connection refused" in index.data(
        3)  # ToolTipRole
    assert "11:00:00" in sb.feed_index(2).data(3)
    assert sb.current() == ("feed", "7") and sb.currentIndex() == index
    counts = {str(sb.model().index(r, 0, sb.model().index(0, 0)).data()):
              sb.model().index(r, 1, sb.model().index(0, 0)).data() for r in range(4)}
    assert counts["Unread"] == "6"

    feeds[6] = replace(feeds[6], last_error=None)  # it works again: the badge goes
    sb.set_feeds(feeds)
    assert ("F1", "Feed 7", "9") in sb.feed_entries() and sb.feed_index(7).data(ERROR_ROLE) is None

    sb.set_feeds([*feeds, Feed(99, "Brand new", "http://127.0.0.1/new.xml", unread=2)])  # a new entry
    assert ("", "Brand new", "2") in sb.feed_entries()
    assert sb.current() == ("feed", "7")
