"""Highlights, notes, orphans, saved searches and tags in the real window (pytest-qt, offscreen).

Real library files, the real task runner; highlights are made the way a user makes them: a text
selection in the reader pane and a key press.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog

from reader.core.library_ops import Annotations
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library
from reader.core.text import to_utf16
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate

PARAS = (
    "Președintele a vorbit joi la Chișinău despre alianță. 🙂 Emoji înainte de citat: țară și râu.",
    "Al doilea paragraf vorbește despre economie, comerț și energie în regiune.",
    "Al treilea paragraf: concluzii 🙂 și perspective pentru anul următor.",
)


def add_sample(db: Path) -> int:
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        out = lib.add_article(
            ParsedArticle(title="Anchors 🙂 test", paragraphs=PARAS, published="2026-01-05", source="Test",
                          tags=("region/moldova",)),
            LanguageGuess("ro", 0.99),
        )
    assert out.article_id is not None
    return out.article_id


def open_article(qtbot, parts, article_id: int):  # noqa: ANN001, ANN201
    w = parts.window
    assert w.article_list.select_id(article_id)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == article_id, timeout=5_000)
    wait_idle(qtbot, parts)
    return w


def select_in_paragraph(pane, index: int, text: str, needle: str) -> None:  # noqa: ANN001
    """Select ``needle`` (the first occurrence in paragraph ``text``) the way a mouse drag does."""
    start = text.index(needle)
    base = pane.paragraph_position(index)
    c = QTextCursor(pane.browser.document())
    c.setPosition(base + to_utf16(text, start))
    c.setPosition(base + to_utf16(text, start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(c)
    pane.browser.setFocus()


def press(qtbot, w, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    w.activateWindow()
    qtbot.keyClick(w.focusWidget() or w.reader_pane.browser, key, modifier)


def make_highlight(qtbot, parts, article_id: int, index: int, needle: str, key=Qt.Key.Key_H):  # noqa: ANN001, ANN201
    w = parts.window
    ann = w.annotations
    select_in_paragraph(w.reader_pane, index, PARAS[index], needle)
    before = len(ann.controller.highlights)
    with qtbot.waitSignal(ann.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda aid, hs, _n: aid == article_id and len(hs) == before + 1):
        press(qtbot, w, key)
    wait_idle(qtbot, parts)
    return next(h for h in ann.controller.highlights if needle in h.quote)


def test_keyboard_highlight_is_drawn_listed_and_found_in_all_highlights(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 5)
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    # after an emoji (2 UTF-16 units): the mapping to code points must be exact
    h = make_highlight(qtbot, parts, aid, 0, "țară și râu")
    assert h.quote == "țară și râu" and h.color == "yellow" and not h.orphaned
    with Library(db) as lib:
        body = lib.get_article(aid).body
        stored = Annotations(lib).highlights_for_article(aid)
    assert [x.quote for x in stored] == ["țară și râu"]
    assert body[stored[0].start:stored[0].end] == "țară și râu"
    # drawn in the text, listed in the panel (which opens when asked: issue 13 item 3 reversed
    # "shown once a highlight exists")
    assert w.annotations.layer.drawn_text(h.id) == "țară și râu"
    if not w.annotations.dock.isVisible():
        press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.annotations.dock.isVisible()
    assert [x.quote for x in w.annotations.panel.highlights()] == ["țară și râu"]
    # a colour key across two paragraphs
    select_in_paragraph(w.reader_pane, 1, PARAS[1], "energie în regiune.")
    c = w.reader_pane.browser.textCursor()
    end_text = PARAS[2]
    c.setPosition(w.reader_pane.paragraph_position(2) + to_utf16(end_text, end_text.index(":")),
                  QTextCursor.MoveMode.KeepAnchor)
    w.reader_pane.browser.setTextCursor(c)
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 2):
        press(qtbot, w, Qt.Key.Key_3)
    two = [x for x in w.annotations.controller.highlights if x.color == "blue"][0]
    assert two.quote == "energie în regiune.\n\nAl treilea paragraf"
    assert w.annotations.layer.drawn_text(two.id) == "energie în regiune. | Al treilea paragraf"
    # nothing selected: nothing happens
    c = w.reader_pane.browser.textCursor()
    c.clearSelection()
    w.reader_pane.browser.setTextCursor(c)
    press(qtbot, w, Qt.Key.Key_H)
    wait_idle(qtbot, parts)
    assert len(w.annotations.controller.highlights) == 2
    # All highlights (Ctrl+Shift+H): searchable, and a double-click comes back to the passage
    press(qtbot, w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = w.annotations.highlights_view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5_000)
    assert view.count_label.text() == "2 highlights"
    view.search.setText("tara")  # diacritics folded
    qtbot.waitUntil(lambda: view.rows_text() == ["țară și râu"], timeout=5_000)
    view.color_box.setCurrentIndex(view.color_box.findData("blue"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    view.search.setText("")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    view.search.setText("after:someday")
    qtbot.waitUntil(lambda: view.error_label.isVisible(), timeout=5_000)
    view.search.setText("")
    view.color_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5_000)
    w.article_list.select_row(0 if w.model.id_at(0) != aid else 1)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() != aid, timeout=5_000)
    row = view.model.row_of(h.id)
    view.list.doubleClicked.emit(view.model.index(row, 0))
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == aid, timeout=5_000)
    qtbot.waitUntil(lambda: w.annotations.panel.selected_id() == h.id, timeout=5_000)
    caret = w.reader_pane.browser.textCursor().position()
    assert w.annotations.layer.ranges(h.id)[0][0] == caret


def test_note_edit_persists_and_renders_sanitized(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    h = make_highlight(qtbot, parts, aid, 1, "economie, comerț")
    panel = w.annotations.panel
    panel.select_highlight(h.id)
    panel.note_editor.editor.setPlainText("**Important** <script>alert(1)</script> [x](javascript:alert(1))")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: any(x.note for x in hs)):
        panel.note_editor.save_button.click()
    with Library(db) as lib:
        assert Annotations(lib).get_highlight(h.id).note.startswith("**Important**")
    html = panel.note_editor.preview_html()
    assert "<strong>Important</strong>" in html and "<script" not in html and "javascript:" not in html
    # the article note, through the same editor kind
    panel.article_note.editor.setPlainText("Read *again* in March.")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, n: n is not None):
        panel.article_note.save_button.click()
    with Library(db) as lib:
        assert Annotations(lib).get_note(aid) == "Read *again* in March."
    # tags on the highlight (Enter in the tags field); All highlights filters by them
    panel.tags_field.setText("quotes/economy, review")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: hs and hs[0].tags):
        qtbot.keyClick(panel.tags_field, Qt.Key.Key_Return)
    assert w.annotations.controller.highlights[0].tags == ("quotes/economy", "review")
    view = w.annotations.open_all_highlights()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    view.set_choices(["quotes", "quotes/economy", "review", "other"], ["ro"])
    view.tag_box.setCurrentIndex(view.tag_box.findData("other"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    view.tag_box.setCurrentIndex(view.tag_box.findData("quotes"))  # a parent tag takes its children
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    view.close()
    # the colour buttons change the highlight (and the drawing follows)
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: hs and hs[0].color == "green"):
        panel.color_buttons["green"].click()
    assert panel.color_buttons["green"].isChecked()
    # a new window on the same library shows the note again
    w.close()
    parts2 = make_window(db)
    w2 = open_article(qtbot, parts2, aid)
    qtbot.waitUntil(lambda: len(w2.annotations.panel.highlights()) == 1, timeout=5_000)
    assert w2.annotations.panel.highlights()[0].note.startswith("**Important**")
    assert w2.annotations.panel.article_note.text() == "Read *again* in March."


def test_delete_and_undo(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    h = make_highlight(qtbot, parts, aid, 2, "concluzii 🙂 și")
    assert w.annotations.layer.drawn_text(h.id) == "concluzii 🙂 și"
    panel = w.annotations.panel
    panel.select_highlight(h.id)
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: hs == []):
        panel.delete_button.click()
    assert w.annotations.layer.ranges(h.id) == []
    assert w.message_bar.action_button.isVisible() and "Deleted the highlight" in w.message_bar.label.text()
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 1):
        w.message_bar.action_button.click()
    back = w.annotations.controller.highlights[0]
    assert (back.id, back.quote, back.start) == (h.id, h.quote, h.start)
    assert w.annotations.layer.drawn_text(h.id) == "concluzii 🙂 și"
    # again, undone with Ctrl+Z this time
    panel.select_highlight(h.id)
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: hs == []):
        panel.delete_button.click()
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 1):
        press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.annotations.controller.highlights[0].id == h.id


def test_orphan_listed_after_the_body_is_edited(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    kept = make_highlight(qtbot, parts, aid, 1, "economie, comerț și energie")
    gone = make_highlight(qtbot, parts, aid, 2, "perspective pentru anul următor")
    panel = w.annotations.panel
    panel.select_highlight(gone.id)
    panel.note_editor.editor.setPlainText("check the forecast")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: any(x.note for x in hs)):
        panel.note_editor.save_button.click()
    new_body = "Un paragraf nou la început.\n\n" + PARAS[0] + "\n\n" + PARAS[1] + "\n\nFinalul a fost rescris complet."
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: any(x.orphaned for x in hs)):
        parts.controller.update_article(aid, body=new_body)
    assert [h.quote for h in panel.highlights() if not h.orphaned] == [kept.quote]
    orphans = [h for h in panel.highlights() if h.orphaned]
    assert [(o.quote, o.note) for o in orphans] == [(gone.quote, "check the forecast")]
    if not w.annotations.dock.isVisible():  # the panel opens when asked (issue 13 item 3)
        press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.orphan_list.isVisible() and "NOT FOUND" in panel.orphan_header.text()
    # the kept one moved with its text and is drawn there; the orphan is not drawn
    assert w.annotations.layer.drawn_text(kept.id) == kept.quote
    assert w.annotations.layer.ranges(gone.id) == []


def test_saved_search_in_the_sidebar_with_count_filters_the_list(make_window, qtbot, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 20)
    parts = make_window(db)
    w = parts.window
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        w.search.field.setText("lang:ro")
    assert w.search.save_search_action.isVisible()  # the ☆ in the search field
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Romanian", True)))
    with qtbot.waitSignal(w.annotations.controller.saved_searches_ready, timeout=10_000):
        w.search.save_search_action.trigger()
    assert w.sidebar.saved_entries() == [("Romanian", "5")]
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        w.search.field.setText("")
    assert w.model.total() == 20
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        w.sidebar.select("saved", "lang:ro")
    assert w.model.total() == 5
    assert all(w.model.data(w.model.index(r, 1)).endswith(" ro") for r in range(5))
    # the count follows library changes (archiving one keeps it: saved searches count archived too)
    first = w.model.id_at(0)
    with qtbot.waitSignal(w.annotations.controller.saved_searches_ready, timeout=10_000):
        parts.controller.add_tags([first], ["x"])
    # remove through the same intent the context menu emits
    with qtbot.waitSignal(w.annotations.controller.saved_searches_ready, timeout=10_000):
        w.sidebar.context_action_requested.emit("saved", "Romanian", "remove")
    assert w.sidebar.saved_entries() == []


def test_tag_manager_rename_and_merge_update_the_sidebar(make_window, qtbot, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 15)  # region/belarus on 5 articles, economy on 3
    parts = make_window(db)
    w = parts.window
    press(qtbot, w, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    manager = w.annotations.tag_manager
    assert manager is not None and manager.isVisible()
    assert {"region", "region/belarus", "economy"} <= set(manager.names())
    manager.select_names(["economy"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("topics/economics", True)))
    with qtbot.waitSignal(parts.controller.counts_ready, timeout=10_000):
        manager.buttons["rename"].click()
    tags = {t.name: t.count for t in parts.controller.library.list_tags()}
    assert "economy" not in tags and tags["topics/economics"] == 3
    assert w.sidebar._find("tag", "topics/economics").isValid()
    assert not w.sidebar._find("tag", "economy").isValid()
    qtbot.waitUntil(lambda: "topics/economics" in manager.names(), timeout=5_000)
    # merge it into region/belarus: articles with both count once
    manager.select_names(["topics/economics"])
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("region/belarus", True)))
    with qtbot.waitSignal(parts.controller.counts_ready, timeout=10_000):
        manager.buttons["merge"].click()
    tags = {t.name: t.count for t in parts.controller.library.list_tags()}
    assert "topics/economics" not in tags and tags["region/belarus"] == 7  # ids 0,3,6,9,12 + 5,10
    idx = w.sidebar._find("tag", "region/belarus")
    assert w.sidebar.model().index(idx.row(), 1, idx.parent()).data() == "7"
    # colour: a swatch in the sidebar
    with qtbot.waitSignal(parts.controller.counts_ready, timeout=10_000):
        parts.tags.set_tag_color("region/belarus", "#3b82e0")
    idx = w.sidebar._find("tag", "region/belarus")
    from reader.gui.widgets.sidebar import COLOR_ROLE

    assert idx.data(COLOR_ROLE) == "#3b82e0"
    assert not idx.data(Qt.ItemDataRole.DecorationRole).isNull()  # the swatch
    wait_idle(qtbot, parts)


def test_side_by_side_highlight_shows_in_both_views(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    pane = w.reader_pane
    article = pane.article()
    translated = [
        "The president spoke on Thursday in Chișinău about the alliance. 🙂 Country and river.",
        "The second paragraph talks about economy, trade and energy in the region.",
        None,
    ]
    pane.show_article(article, translated, mode="side_by_side")
    # select in the translated cell of row 1
    doc = pane.browser.document()
    c = QTextCursor(doc)
    c.setPosition(pane.paragraph_position(0))
    table = c.currentTable()
    assert table is not None
    cell = table.cellAt(1, 1)
    base = cell.firstCursorPosition().position()
    text = translated[1]
    s = text.index("economy, trade")
    c = QTextCursor(doc)
    c.setPosition(base + s)
    c.setPosition(base + s + len("economy, trade"), QTextCursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(c)
    pane.browser.setFocus()
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 1):
        press(qtbot, w, Qt.Key.Key_4)
    h = w.annotations.controller.highlights[0]
    assert (h.view, h.paragraph, h.translated_quote, h.color) == ("translation", 1, "economy, trade", "pink")
    assert h.quote == PARAS[1]  # tied to its paragraph of the original
    layer = w.annotations.layer
    # side by side: the original paragraph and the translated quote
    assert layer.drawn_text(h.id) == f"{PARAS[1]} | economy, trade"
    # Translation view: the translated quote
    pane.show_article(article, translated, mode="translation")
    assert layer.drawn_text(h.id) == "economy, trade"
    # Original view: the original paragraph
    pane.show_article(article, translated, mode="original")
    assert layer.drawn_text(h.id) == PARAS[1]
    # listed with both passages in All highlights
    w.annotations.open_all_highlights()
    view = w.annotations.highlights_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    assert view.rows_text() == ["economy, trade"]
    view.close()
    wait_idle(qtbot, parts)


def test_shortcuts_help_lists_the_annotation_keys() -> None:
    from reader.gui.actions import shortcut_rows

    rows = dict(shortcut_rows())
    assert rows["H"].startswith("Highlight the selected text")
    assert "1" in rows and "5" in rows and "N" in rows
    assert rows["Ctrl+Shift+H"] == "All highlights of the library"


def test_side_by_side_highlight_through_the_translation_gui(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """The real path: cached translations shown by the translation GUI, `t` modes, a highlight made
    in the translated column, then seen in Translation and Original."""
    from reader.core.storage.translations import TranslationStore, source_hash

    db = tmp_path / "lib.db"
    aid = add_sample(db)
    english = {0: "The president spoke on Thursday in Chișinău. 🙂 Country and river.",
               1: "The second paragraph talks about economy, trade and energy in the region.",
               2: "The third paragraph: conclusions 🙂 and prospects for next year."}
    with Library(db) as lib:
        art = lib.get_article(aid)
        store = TranslationStore(lib)
        for i, text in english.items():
            store.put(source_hash(art.paragraphs[i]), "ro", "en", "libre", text)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    pane = w.reader_pane
    pane.set_mode("side_by_side")
    qtbot.waitUntil(lambda: english[2] in pane.plain_text(), timeout=5_000)
    table = QTextCursor(pane.browser.document())
    table.setPosition(pane.paragraph_position(0))
    cell = table.currentTable().cellAt(2, 1)
    base = cell.firstCursorPosition().position()
    text = english[2]
    s = text.index("conclusions 🙂 and")
    c = QTextCursor(pane.browser.document())
    c.setPosition(base + to_utf16(text, s))
    c.setPosition(base + to_utf16(text, s + len("conclusions 🙂 and")), QTextCursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(c)
    pane.browser.setFocus()
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 1):
        press(qtbot, w, Qt.Key.Key_H)
    h = w.annotations.controller.highlights[0]
    assert (h.view, h.paragraph, h.translated_quote, h.target_lang) == ("translation", 2, "conclusions 🙂 and", "en")
    layer = w.annotations.layer
    assert layer.drawn_text(h.id) == f"{PARAS[2]} | conclusions 🙂 and"
    pane.set_mode("translation")
    assert layer.drawn_text(h.id) == "conclusions 🙂 and"
    pane.set_mode("original")
    assert layer.drawn_text(h.id) == PARAS[2]
    # side by side again: a selection in the original column is an ordinary highlight
    pane.set_mode("side_by_side")
    qtbot.waitUntil(lambda: english[2] in pane.plain_text(), timeout=5_000)
    select_in_paragraph(pane, 1, PARAS[1], "comerț și energie")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 2):
        press(qtbot, w, Qt.Key.Key_2)
    h2 = next(x for x in w.annotations.controller.highlights if x.id != h.id)
    assert (h2.view, h2.quote, h2.color) == ("original", "comerț și energie", "green")
    assert layer.drawn_text(h2.id) == "comerț și energie"
    wait_idle(qtbot, parts)


def test_n_highlights_the_selection_and_opens_its_note(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    select_in_paragraph(w.reader_pane, 1, PARAS[1], "comerț și energie")
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 1):
        press(qtbot, w, Qt.Key.Key_N)
    h = w.annotations.controller.highlights[0]
    assert h.quote == "comerț și energie"
    panel = w.annotations.panel
    qtbot.waitUntil(lambda: panel.selected_id() == h.id, timeout=5_000)
    qtbot.waitUntil(lambda: panel.note_editor.editor.hasFocus(), timeout=5_000)
    # typing `h` in the note types a letter: it is not the highlight key there
    qtbot.keyClicks(panel.note_editor.editor, "hi")
    assert panel.note_editor.text() == "hi"
    # the body's context menu offers highlighting for a selection
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMenu

    select_in_paragraph(w.reader_pane, 0, PARAS[0], "alianță")
    menu = QMenu()
    w.reader_pane.browser.context_menu_about_to_show.emit(menu, QPoint(5, 5))
    texts = [a.text() for a in menu.actions()]
    assert "Highlight\tH" in texts
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 2):
        next(a for a in menu.actions() if a.text() == "Highlight\tH").trigger()
    wait_idle(qtbot, parts)


def test_highlight_model_pages_lazily_and_passes_the_model_tester(qtmodeltester, tmp_path: Path) -> None:  # noqa: ANN001
    from reader.core.models import HighlightFilter
    from reader.gui.models.highlight_model import HighlightListModel

    db = tmp_path / "lib.db"
    aid = add_sample(db)
    with Library(db) as lib:
        ann = Annotations(lib)
        for word in ("Președintele", "Chișinău", "alianță", "economie", "energie", "concluzii"):
            ann.add_highlight_by_quote(aid, word)
        rows = ann.list_highlights(HighlightFilter(), limit=4)
        rest = ann.list_highlights(HighlightFilter(), limit=4, offset=4)
    model = HighlightListModel()
    asked: list[int] = []
    model.page_needed.connect(asked.append)
    model.set_rows(rows, total=6)
    from PySide6.QtCore import QModelIndex

    assert model.rowCount() == 4 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert asked == [4] and not model.canFetchMore(QModelIndex())  # one request in flight at a time
    model.append_rows(rest)
    assert model.rowCount() == 6 and not model.canFetchMore(QModelIndex())
    assert model.row_of(rest[-1].highlight.id) == 5
    qtmodeltester.check(model)


def test_delete_key_on_a_highlight_card_deletes_the_highlight_not_the_article(
        make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 13 items 1 and 4: Delete acts on what has focus, and the deleted highlight's paint goes."""
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    h = make_highlight(qtbot, parts, aid, 1, "economie, comerț")
    total = w.model.total()
    panel = w.annotations.panel
    if not panel.isVisible():
        press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(panel.list.isVisible, timeout=5_000)
    rect = panel.list.visualRect(panel.model.index(panel.model.row_of(h.id), 0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    panel.list.setFocus()
    # the paint is there before: the characters of the quote have the highlight's background
    doc = w.reader_pane.browser.document()
    start, _end = w.annotations.layer.ranges(h.id)[0]

    def painted() -> bool:
        c = QTextCursor(doc)
        c.setPosition(start + 2)
        return c.charFormat().background().style() != Qt.BrushStyle.NoBrush

    assert painted()
    with qtbot.waitSignal(w.annotations.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: hs == []):
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    wait_idle(qtbot, parts)
    assert w.model.total() == total  # no article deleted
    with Library(db) as lib:
        assert lib.article_count() == 1
    assert "Deleted the highlight" in w.message_bar.label.text()
    assert doc is w.reader_pane.browser.document() and not painted()  # gone from the page at once


def test_the_panel_leaves_the_reader_readable_at_the_default_size(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 13 item 3: at 1280x800 the Highlights panel does not crush the text column (the list
    and the sidebar give way, the list keeps its titles), the toolbar keeps Star and Details, and a
    new highlight does not open the panel by itself."""
    from reader.gui.models.article_model import COL_SOURCE, COL_TITLE

    db = tmp_path / "lib.db"
    aid = add_sample(db)
    parts = make_window(db)
    w = open_article(qtbot, parts, aid)
    w.resize(1280, 800)
    panel_dock = w.annotations.dock
    if panel_dock.isVisible():
        press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not panel_dock.isVisible(), timeout=5_000)
    make_highlight(qtbot, parts, aid, 0, "Chișinău")
    qtbot.wait(100)
    assert not panel_dock.isVisible()  # opens when asked, not on every highlight
    press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(panel_dock.isVisible, timeout=5_000)
    qtbot.waitUntil(lambda: w.reader_pane.width() >= 520, timeout=5_000)
    chars = w.reader_pane.browser.viewport().width() // w.reader_pane.browser.fontMetrics().averageCharWidth()
    assert chars >= 50
    toolbar = w.reader_pane.toolbar
    for name in ("toggle_star", "edit_details"):
        button = toolbar.widgetForAction(w.pane_actions[name])
        assert button is not None and button.isVisible()
    assert w.article_list.columnWidth(COL_TITLE) >= 150
    # closing the panel gives the list its columns back
    press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not panel_dock.isVisible(), timeout=5_000)
    w.splitter.setSizes([200, 520, 560])
    qtbot.waitUntil(lambda: not w.article_list.isColumnHidden(COL_SOURCE), timeout=5_000)


def test_a_tag_only_on_highlights_shows_its_highlights(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 13 item 10: a tag used only on highlights is listed with its highlight count, and
    choosing it shows those highlights (All Highlights), not an empty article list."""
    db = tmp_path / "lib.db"
    aid = add_sample(db)
    with Library(db) as lib:
        ann = Annotations(lib)
        h = ann.add_highlight(aid, 0, 10)
        ann.set_highlight_tags(h.id, ["quotes/strong"])
    parts = make_window(db)
    w = parts.window
    wait_idle(qtbot, parts)
    index = w.sidebar._find("tag", "quotes/strong")
    assert index.isValid()
    count = w.sidebar.model().index(index.row(), 1, index.parent()).data()
    assert count == "✎ 1"
    total = w.model.total()
    rect = w.sidebar.visualRect(index)
    qtbot.mouseClick(w.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = w.annotations.highlights_view
    qtbot.waitUntil(lambda: view is not None and view.isVisible() and view.model.rowCount() == 1, timeout=5_000)
    assert view.current_filter().tag == "quotes/strong"
    wait_idle(qtbot, parts)
    assert w.model.total() == total and w.sidebar.current() == ("view", "all")  # the list stays
    view.close()
