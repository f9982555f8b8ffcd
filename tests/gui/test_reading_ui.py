"""The reading parts of the window (issue 13, "Missing"): Next Unread and Space at an article's end,
Mark All as Read with undo, text zoom, focus mode — driven with keys on a real window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from reader.core.settings import Settings, save_settings
from reader.core.storage import Library
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def key(qtbot, window, k, modifier=NO, target=None) -> None:  # noqa: ANN001
    window.activateWindow()
    qtbot.keyClick(target or window.focusWidget() or window.article_list, k, modifier)


def library_with_read(db: Path, count: int, read_rows: list[int]) -> list[int]:
    """``count`` articles, the ones at these list rows (newest first) already read; no dwell
    marks anything read during the test. Returns the ids in list order."""
    ids = populate(db, count)[::-1]
    with Library(db) as lib:
        lib.set_flags([ids[r] for r in read_rows], read=True)
    save_settings(Settings(mark_read_after_ms=600_000))
    return ids


# --- Next Unread ----------------------------------------------------------------------------------
def test_u_opens_the_next_unread_article_and_wraps_to_the_top(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    rows = library_with_read(db, 8, read_rows=[1, 2, 5])
    parts = make_window(db)
    w = parts.window
    w.article_list.setFocus()
    assert w.reader_pane.article_id() == rows[0]
    for expected in (3, 4, 6, 7):
        key(qtbot, w, Qt.Key.Key_U)
        qtbot.waitUntil(lambda e=expected: w.reader_pane.article_id() == rows[e], timeout=5_000)
        assert w.article_list.current_id() == rows[expected]
    key(qtbot, w, Qt.Key.Key_U)  # none below the last one: back to the first unread at the top
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == rows[0], timeout=5_000)
    assert "back at the top" in w.statusBar().currentMessage()
    # the menu item is the same command
    assert w.actions_by_name["next_unread"] in w.menuBar().actions()[2].menu().actions()
    w.actions_by_name["next_unread"].trigger()
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == rows[3], timeout=5_000)


def test_u_says_so_when_nothing_else_is_unread(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    rows = library_with_read(db, 4, read_rows=[1, 2, 3])
    parts = make_window(db)
    w = parts.window
    w.article_list.setFocus()
    key(qtbot, w, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: "No other unread articles" in w.statusBar().currentMessage(), timeout=5_000)
    assert w.reader_pane.article_id() == rows[0]


def test_space_pages_and_at_the_end_goes_to_the_next_unread(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    rows = library_with_read(db, 5, read_rows=[1])
    parts = make_window(db)
    w = parts.window
    w.resize(900, 300)
    qtbot.wait(20)
    body = w.reader_pane.browser
    body.setFocus()  # Space in the reader pane
    bar = body.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    key(qtbot, w, Qt.Key.Key_Space, target=body)  # not at the end: pages, stays on the article
    assert bar.value() > 0 and w.reader_pane.article_id() == rows[0]
    for _ in range(50):
        if bar.value() >= bar.maximum():
            break
        key(qtbot, w, Qt.Key.Key_Space, target=body)
    assert bar.value() == bar.maximum() and w.reader_pane.article_id() == rows[0]
    key(qtbot, w, Qt.Key.Key_Space, target=body)  # at the end: the next unread (row 1 is read)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == rows[2], timeout=5_000)
    assert bar.value() == 0
    key(qtbot, w, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier, target=body)  # Shift+Space: still up
    assert w.reader_pane.article_id() == rows[2]
    wait_idle(qtbot, parts)


# --- the window stays wiring ------------------------------------------------------------------------
def test_the_main_window_module_stays_under_450_lines() -> None:
    """main_window builds and wires; features live in their *_ui parts (docs/ARCHITECTURE.md)."""
    source = Path(__file__).resolve().parents[2] / "reader" / "gui" / "main_window.py"
    assert len(source.read_text(encoding="utf-8").splitlines()) < 450
