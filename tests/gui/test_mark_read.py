"""Issue 13 item 2: only an article the person opens is marked read — not the first row a view,
a search, an import or the start-up restore opened by itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from reader.core.storage import Library
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate


def _unread(db: Path) -> int:
    with Library(db) as lib:
        return sum(not lib.get_article(i).read for i in lib.list_ids())


def _click_sidebar(qtbot, w, kind: str, value: str) -> None:  # noqa: ANN001
    index = w.sidebar._find(kind, value)  # where the entry is drawn; the click is a real one
    rect = w.sidebar.visualRect(index)
    qtbot.mouseClick(w.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_rows_the_list_opens_by_itself_stay_unread(make_window, qtbot, tmp_path: Path,
                                                   seeds_copy: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    parts = make_window(db, [str(p) for p in sorted(seeds_copy.iterdir())])
    w = parts.window
    parts.controller.dwell_ms = 30
    wait_idle(qtbot, parts)
    assert w.reader_pane.article_id() is not None  # the first row is shown ...
    qtbot.wait(300)
    assert _unread(db) == 5  # ... and stays unread
    # a search whose hits leave out the article on screen opens its first hit: shown, not read
    first = w.reader_pane.article_id()
    with Library(db) as lib:
        other = next(lib.get_article(i).lang for i in lib.list_ids() if lib.get_article(i).lang != lib.get_article(first).lang)
    w.search.field.setFocus()
    qtbot.keyClicks(w.search.field, f"lang:{other}")
    qtbot.waitUntil(lambda: parts.runner.pending() == 0 and w.reader_pane.article_id() not in (None, first),
                    timeout=10_000)
    qtbot.wait(400)
    assert _unread(db) == 5
    qtbot.keyClick(w.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w.search.field, Qt.Key.Key_Backspace)
    wait_idle(qtbot, parts)
    # the Unread view opens its first row: still nothing read
    _click_sidebar(qtbot, w, "view", "unread")
    wait_idle(qtbot, parts)
    qtbot.wait(300)
    assert _unread(db) == 5 and w.model.total() == 5
    # clicking the row already shown chooses it: now it is read
    shown = w.reader_pane.article_id()
    row = w.model.row_of(shown)
    rect = w.article_list.visualRect(w.model.index(row, 1))
    qtbot.mouseClick(w.article_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _unread(db) == 4, timeout=5_000)
    with Library(db) as lib:
        assert lib.get_article(shown).read
    # moving with the keyboard opens (and reads) the next one
    w.article_list.setFocus()
    wait_idle(qtbot, parts)
    last = w.article_list.currentIndex().row() == w.model.total() - 1
    qtbot.keyClick(w.article_list, Qt.Key.Key_Up if last else Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: _unread(db) == 3, timeout=5_000)


def test_a_filter_with_one_unread_hit_keeps_it(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 6)
    parts = make_window(db)
    w = parts.window
    parts.controller.dwell_ms = 30
    with Library(db) as lib:
        ids = lib.list_ids()
        lib.set_flags(ids[1:], read=True)
    # the person reads another article, then filters to the unread one
    row = w.model.row_of(ids[2])
    rect = w.article_list.visualRect(w.model.index(row, 1))
    qtbot.mouseClick(w.article_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == ids[2], timeout=5_000)
    w.search.field.setFocus()
    qtbot.keyClicks(w.search.field, "is:unread")
    qtbot.waitUntil(lambda: parts.runner.pending() == 0 and w.reader_pane.article_id() == ids[0], timeout=10_000)
    qtbot.wait(400)
    assert _unread(db) == 1  # the only hit is shown, not read: the view does not empty itself
    assert w.model.total() == 1
