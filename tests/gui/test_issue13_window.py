"""Issue 13, the window as a demanding reader uses it: items 7 (malformed filters, Esc), 8 (archive
undo), 9 (tag completion), 14 (sorting, the toolbar's star, the restored article). Driven with keys
and clicks on a real window over a real library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.core.storage import Library
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate


def type_search(qtbot, w, parts, text: str) -> None:  # noqa: ANN001
    w.search.field.setFocus()
    w.search.field.selectAll()
    qtbot.keyClick(w.search.field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(w.search.field, text)
    qtbot.keyClick(w.search.field, Qt.Key.Key_Return)
    wait_idle(qtbot, parts)


def test_a_malformed_filter_empties_the_list_and_esc_clears_the_box(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 12)
    parts = make_window(db)
    w = parts.window
    type_search(qtbot, w, parts, "paragraf")
    assert w.model.total() > 0 and parts.controller.terms
    type_search(qtbot, w, parts, "paragraf is:nonsense")
    assert w.search.error_label.isVisible() and "nonsense" in w.search.error_label.text()
    assert w.model.total() == 0  # not the results of the half-typed query
    assert parts.controller.terms == []
    assert w.reader_pane.article_id() is None
    # Esc clears the box, and the full list is back at once
    qtbot.keyClick(w.search.field, Qt.Key.Key_Escape)
    assert w.search.text() == ""
    qtbot.waitUntil(lambda: w.model.total() == 12, timeout=5_000)
    assert not w.search.error_label.isVisible()


def test_archive_can_be_undone(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 6)
    parts = make_window(db)
    w = parts.window
    w.article_list.setFocus()
    w.article_list.select_row(2)
    target = w.article_list.current_id()
    qtbot.keyClick(w.article_list, Qt.Key.Key_E)  # archive
    qtbot.waitUntil(lambda: w.model.total() == 5, timeout=5_000)
    assert "Archived 1 article." in w.message_bar.label.text() and w.message_bar.action_button.isVisible()
    qtbot.keyClick(w.article_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.model.total() == 6, timeout=5_000)
    with Library(db) as lib:
        assert not lib.get_article(target).archived
    qtbot.waitUntil(lambda: w.article_list.current_id() == target, timeout=5_000)  # back, and selected


@pytest.mark.qt_log_ignore(r"This plugin does not support")  # the completer popup, offscreen
def test_accepting_a_tag_completion_with_down_enter_clears_the_field(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 6)
    parts = make_window(db)
    w = parts.window
    wait_idle(qtbot, parts)
    untagged = next(i for i in w.model.ids() if not parts.controller.load_article(i).tags)
    w.article_list.select_id(untagged)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == untagged, timeout=5_000)
    editor = w.reader_pane.tag_row.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "econ")
    popup = editor.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "economy" in parts.controller.load_article(untagged).tags, timeout=5_000)
    QApplication.processEvents()
    qtbot.wait(50)
    assert editor.text() == ""


def test_sorting_star_button_and_the_restored_article(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 8)
    parts = make_window(db)
    w = parts.window
    header = w.article_list.horizontalHeader()
    # the first click on Date sorts newest first
    from reader.gui.models.article_model import COL_DATE

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().center().__class__(header.sectionViewportPosition(COL_DATE) + 5, 5))
    wait_idle(qtbot, parts)
    assert (parts.controller.sort, parts.controller.descending) == ("date", True)
    dates = [parts.controller.load_article(i).published for i in w.model.ids()]
    assert dates == sorted(dates, reverse=True)
    # editing a date re-sorts: the oldest article, dated today, goes to the top
    oldest = w.model.ids()[-1]
    parts.controller.update_article(oldest, published="2030-01-01")
    qtbot.waitUntil(lambda: w.model.ids()[0] == oldest, timeout=5_000)
    # nothing shown: the toolbar's star says "Star", not "Starred"
    with Library(db) as lib:
        lib.set_flags([oldest], starred=True)
    w.article_list.select_id(oldest)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == oldest, timeout=5_000)
    wait_idle(qtbot, parts)
    type_search(qtbot, w, parts, "nothing-matches-this-zzz")
    assert w.reader_pane.article_id() is None
    assert w.pane_actions["toggle_star"].text() == "☆ Star"
    # the article shown at close is the one shown at the next start
    type_search(qtbot, w, parts, "")
    third = w.model.ids()[3]
    w.article_list.select_id(third)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == third, timeout=5_000)
    w.close()
    again = make_window(db)
    wait_idle(qtbot, again)
    assert again.window.reader_pane.article_id() == third
