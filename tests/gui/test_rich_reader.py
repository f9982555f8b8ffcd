"""Articles with their shape in the reader pane (issue 11): headings, lists, quotes, pre, table rows,
rules and figures with captions, pictures from the library only, decoded off the GUI thread, a click
for full size, side by side pairing blocks, highlights on list items.

Real library files and the real window (pytest-qt, offscreen); a person's clicks and keys.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication

from reader.core.library_ops import Annotations
from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
from reader.core.storage import Library
from reader.core.text import to_utf16
from tests.helpers.gui import wait_idle

HEADING = "A heading about the sea"
ITEMS = ("First item in the list", "Second item, with a nested one", "The nested item", "Third item")
QUOTE = "A quoted line from someone else."
PRE = "def f(x):\n    return x + 1"
CAPTION = "The red picture's caption"
ROW = "Name | Size"
PARAS = ("An opening paragraph that says what the article is about.", HEADING, *ITEMS, QUOTE, PRE,
         CAPTION, ROW, "A closing paragraph after everything else.")


def picture(color: str, width: int = 400, height: int = 200, fmt: str = "PNG") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, fmt)
    buf.close()
    return bytes(data.data())


def rich_article(red: bytes, blue: bytes) -> ParsedArticle:
    blocks = (
        ParsedBlock("paragraph", PARAS[0]),
        ParsedBlock("heading", HEADING, level=2),
        ParsedBlock("list_item", ITEMS[0], ordered=True),
        ParsedBlock("list_item", ITEMS[1], ordered=True),
        ParsedBlock("list_item", ITEMS[2], ordered=False, depth=1),
        ParsedBlock("list_item", ITEMS[3], ordered=True),
        ParsedBlock("quote", QUOTE),
        ParsedBlock("rule"),
        ParsedBlock("pre", PRE),
        ParsedBlock("image", CAPTION, image=0, alt="a red box"),
        ParsedBlock("image", "", image=1, alt="a blue box"),
        ParsedBlock("image", "", image=2, alt="a tracker that was not fetched"),
        ParsedBlock("table_row", ROW),
        ParsedBlock("paragraph", PARAS[-1]),
    )
    images = (
        ParsedImage("page_files/red.png", red, "image/png", 400, 200, "a red box"),
        ParsedImage("page_files/blue.png", blue, "image/png", 1600, 400, "a blue box"),
        ParsedImage("http://127.0.0.1:9/pixel.gif", alt="a tracker that was not fetched", reason="remote"),
    )
    return ParsedArticle(title="Shaped article", paragraphs=PARAS, source="Test", blocks=blocks, images=images)


def add_rich(db: Path) -> int:
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        lib.add_article(ParsedArticle(title="A plain article", paragraphs=("Only words here.",)), LanguageGuess("en", 0.9))
        out = lib.add_article(rich_article(picture("#ff0000"), picture("#0000ff", 1600, 400)), LanguageGuess("en", 0.99))
    assert out.article_id is not None
    return out.article_id


def open_rich(make_window, qtbot, tmp_path: Path):  # noqa: ANN001, ANN201
    db = tmp_path / "rich.db"
    aid = add_rich(db)
    parts = make_window(db)
    w = parts.window
    assert w.article_list.select_id(aid)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == aid, timeout=5_000)
    qtbot.waitUntil(lambda: w.reader_pane.pictures_pending() == 0, timeout=10_000)
    wait_idle(qtbot, parts)
    return parts, aid


def drag(widget, start: QPoint, end: QPoint) -> None:  # noqa: ANN001
    """A left-button mouse drag (press, moves with the button held, release), as a person makes it."""
    def send(kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for k in range(1, 11):
        send(QEvent.Type.MouseMove, start + (end - start) * k / 10, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def block_at(pane, index: int):  # noqa: ANN001, ANN201
    return pane.browser.document().findBlock(pane.paragraph_position(index))


def test_blocks_are_drawn_with_their_shape_and_the_paragraph_table_holds(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    parts, _aid = open_rich(make_window, qtbot, tmp_path)
    pane = parts.window.reader_pane
    assert pane.paragraph_count() == len(PARAS)
    doc = pane.browser.document()
    for i, text in enumerate(PARAS):  # text block i is paragraph i, wherever the pictures and rules are
        c = QTextCursor(doc)
        c.setPosition(pane.paragraph_position(i))
        c.setPosition(pane.paragraph_position(i) + to_utf16(text, len(text)), QTextCursor.MoveMode.KeepAnchor)
        assert c.selectedText().replace("\u2028", "\n") == text
        assert pane.paragraph_text(i) == text
    heading = block_at(pane, 1)
    c = QTextCursor(heading)
    c.movePosition(QTextCursor.MoveOperation.Right)
    hfmt = c.charFormat()
    assert hfmt.fontWeight() == QFont.Weight.Bold and hfmt.fontPointSize() > pane.reading_font.pointSizeF()
    assert heading.blockFormat().headingLevel() == 2
    # numbered items 1, 2, (nested bullet), 3; the nested one indented further
    lists = [block_at(pane, i).textList() for i in range(2, 6)]
    assert all(lst is not None for lst in lists)
    assert lists[0] is not None and lists[0].itemText(block_at(pane, 2)) == "1."
    assert lists[0].itemText(block_at(pane, 5)) == "3."
    assert lists[2] is not None and lists[2].format().indent() > lists[0].format().indent()
    assert lists[2].itemText(block_at(pane, 4)) != "3."  # a bullet, not a number
    quote = block_at(pane, 6)
    assert quote.blockFormat().leftMargin() > 0
    pre = block_at(pane, 7)
    assert pre.blockFormat().nonBreakableLines() and pre.text().count("\u2028") == 1  # one block, two lines
    c = QTextCursor(pre)
    c.movePosition(QTextCursor.MoveOperation.Right)
    assert c.charFormat().fontFixedPitch()
    # a horizontal rule between the quote and the pre block, which is no paragraph
    rule = quote.next()
    assert rule.blockFormat().hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)
    assert rule.text() == ""
    # caption centred under its picture, smaller than the body
    caption = block_at(pane, 8)
    assert caption.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter
    assert caption.previous().text() == "\ufffc"  # the picture's object character
    # the picture that was not stored says so, with its alt text
    assert "Picture not available offline: a tracker that was not fetched" in pane.plain_text()
    # paragraph_at on a picture: no paragraph; on the caption: its paragraph
    fig = pane.figures()[0]
    pane.browser.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    doc.documentLayout().documentSize()
    fig_rect = pane.figure_rect(fig)
    pane.browser.verticalScrollBar().setValue(max(0, fig_rect.top() - 40))
    QApplication.processEvents()
    fig_rect = pane.figure_rect(fig)
    assert pane.paragraph_at(fig_rect.center()) is None
    cap_rect = pane.browser.cursorRect(QTextCursor(caption))
    assert pane.paragraph_at(QPoint(cap_rect.x() + 2, cap_rect.center().y())) == 8
    # search terms are marked in headings and list items like in paragraphs
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        parts.window.search.field.setText("nested")
    qtbot.waitUntil(lambda: pane.highlight_count() >= 1, timeout=5_000)
    assert pane.first_highlight_text().lower() == "nested"


def test_pictures_come_from_the_library_fitted_to_the_column(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    parts, _aid = open_rich(make_window, qtbot, tmp_path)
    pane = parts.window.reader_pane
    figs = pane.figures()
    assert [f.alt for f in figs] == ["a red box", "a blue box"]
    column = pane.browser.column_width()
    red, blue = figs
    assert (red.width, red.height) == (400, 200)  # its own size: it fits
    assert blue.width <= column and abs(blue.width / blue.height - 4.0) < 0.05  # narrowed, aspect kept
    for fig in figs:
        assert pane.shown_picture(fig.sha) is not None
    # what is painted there is the picture (not the empty box it started as)
    pane.browser.verticalScrollBar().setValue(0)
    rect = pane.figure_rect(red)
    pane.browser.verticalScrollBar().setValue(max(0, rect.top() - 20))
    QApplication.processEvents()
    rect = pane.figure_rect(red)
    shot = pane.browser.viewport().grab().toImage()
    assert shot.pixelColor(rect.center()).name() == "#ff0000"
    # a narrower window: the pictures narrow with the column, never wider than it
    blue_width = blue.width
    parts.window.resize(760, 700)
    qtbot.waitUntil(lambda: pane.browser.column_width() < column, timeout=5_000)
    QApplication.processEvents()
    narrow = pane.browser.column_width()
    assert all(f.width <= narrow for f in pane.figures())
    assert pane.figures()[1].width < blue_width


def test_a_click_on_a_picture_opens_it_full_size_and_esc_closes(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    parts, _aid = open_rich(make_window, qtbot, tmp_path)
    pane = parts.window.reader_pane
    blue = pane.figures()[1]
    pane.browser.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    rect = pane.figure_rect(blue)
    pane.browser.verticalScrollBar().setValue(max(0, rect.top() - 20))
    QApplication.processEvents()
    rect = pane.figure_rect(blue)
    qtbot.mouseClick(pane.browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: pane.picture_viewer is not None and pane.picture_viewer.isVisible(), timeout=5_000)
    viewer = pane.picture_viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.full, timeout=10_000)
    assert viewer.picture_size() == (1600, 400)  # the original, not the fitted copy
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible(), timeout=5_000)


def test_a_highlight_on_a_list_item_is_painted_and_stored(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    parts, aid = open_rich(make_window, qtbot, tmp_path)
    w = parts.window
    pane = w.reader_pane
    # a mouse drag from the item's first letter to past its last one
    doc = pane.browser.document()
    start, end = QTextCursor(doc), QTextCursor(doc)
    start.setPosition(pane.paragraph_position(3))
    end.setPosition(pane.paragraph_position(3) + len(ITEMS[1]))
    a, b = pane.browser.cursorRect(start), pane.browser.cursorRect(end)
    drag(pane.browser.viewport(), QPoint(a.left() + 1, a.center().y()), QPoint(b.right() + 30, b.center().y()))
    w.activateWindow()
    pane.browser.setFocus()
    assert pane.browser.textCursor().selectedText() == ITEMS[1]
    ann = w.annotations
    with qtbot.waitSignal(ann.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: a == aid and len(hs) == 1):
        qtbot.keyClick(w.focusWidget() or pane.browser, Qt.Key.Key_H)
    wait_idle(qtbot, parts)
    h = ann.controller.highlights[0]
    assert h.quote == ITEMS[1]
    with Library(tmp_path / "rich.db") as lib:
        body = lib.get_article(aid).body
        stored = Annotations(lib).highlights_for_article(aid)
    assert [body[x.start:x.end] for x in stored] == [ITEMS[1]]
    assert ann.layer.drawn_text(h.id) == ITEMS[1]
    # painted: the item's characters carry the highlight background
    c = QTextCursor(pane.browser.document())
    c.setPosition(pane.paragraph_position(3) + 2)
    assert c.charFormat().background().style() != Qt.BrushStyle.NoBrush
    # and across blocks: from the heading into the first list item
    c = QTextCursor(pane.browser.document())
    c.setPosition(pane.paragraph_position(1) + HEADING.index("sea"))
    c.setPosition(pane.paragraph_position(2) + len("First"), QTextCursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(c)
    with qtbot.waitSignal(ann.controller.highlights_ready, timeout=10_000,
                          check_params_cb=lambda a, hs, _n: len(hs) == 2):
        qtbot.keyClick(w.focusWidget() or pane.browser, Qt.Key.Key_H)
    two = next(x for x in ann.controller.highlights if x.id != h.id)
    assert two.quote == "sea\n\nFirst"
    assert ann.layer.drawn_text(two.id) == "sea | First"


def test_side_by_side_pairs_blocks_and_translates_headings_and_captions(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from reader.gui.widgets.reader_pane import ReaderPane

    db = tmp_path / "rich.db"
    aid = add_rich(db)
    with Library(db) as lib:
        article = lib.get_article(aid)
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(1200, 800)
    pane.show()
    pane.set_translation_available(True)
    translated = [f"T{i} {p}" for i, p in enumerate(PARAS)]
    pane.show_article(article, translated, mode="side_by_side")
    assert pane.mode() == "side_by_side" and pane.paragraph_count() == len(PARAS)
    assert len(pane.figures()) == 2  # each picture once, spanning, not once per column
    doc = pane.browser.document()
    for i in (1, 8):  # the heading and the caption: translated beside their originals
        start = pane.translation_cell(i)
        assert start is not None
        block = doc.findBlock(start)
        assert block.text() == translated[i]
        assert doc.findBlock(pane.paragraph_position(i)).text() == PARAS[i]
    heading_right = QTextCursor(doc.findBlock(pane.translation_cell(1) or 0))
    heading_right.movePosition(QTextCursor.MoveOperation.Right)
    assert heading_right.charFormat().fontWeight() == QFont.Weight.Bold
    # a heading's translation arriving later is patched in place (same document), as a heading
    without = [t if i != 1 else None for i, t in enumerate(translated)]
    pane.set_translation(without)
    doc = pane.browser.document()
    pane.set_translation(translated)
    assert pane.browser.document() is doc
    assert doc.findBlock(pane.translation_cell(1) or 0).text() == translated[1]
    right = QTextCursor(pane.browser.document().findBlock(pane.translation_cell(1) or 0))
    right.movePosition(QTextCursor.MoveOperation.Right)
    assert right.charFormat().fontWeight() == QFont.Weight.Bold
    # translation mode: the heading shows its translation, as a heading
    pane.set_mode("translation")
    assert pane.paragraph_text(1) == translated[1]
    c = QTextCursor(pane.browser.document().findBlock(pane.paragraph_position(1)))
    c.movePosition(QTextCursor.MoveOperation.Right)
    assert c.charFormat().fontWeight() == QFont.Weight.Bold
    assert pane.browser.document().findBlock(pane.paragraph_position(8)).text() == translated[8]


def test_the_screenshot_shows_the_picture(tmp_path: Path) -> None:
    """``reader --db LIB --screenshot OUT`` waits for the shown article's pictures before the grab."""
    import os
    import subprocess
    import sys

    db = tmp_path / "shot.db"
    paras = ("A short paragraph over a large red picture.", "The red picture.")
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        lib.add_article(ParsedArticle(
            title="A picture", paragraphs=paras,
            blocks=(ParsedBlock("paragraph", paras[0]), ParsedBlock("image", paras[1], image=0, alt="red")),
            images=(ParsedImage("p_files/red.jpg", picture("#ff0000", 2400, 1600, "JPEG"), "image/jpeg", 2400, 1600, "red"),)),
            LanguageGuess("en", 0.99))
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READER_DATA_DIR=str(tmp_path / "data"),
               READER_CONFIG_DIR=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-m", "reader", "--db", str(db), "--screenshot", str(out)],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    red = sum(1 for y in range(0, 800, 4) for x in range(640, 1280, 4)
              if (c := image.pixelColor(x, y)).red() > 220 and c.green() < 40 and c.blue() < 40)
    assert red > 2000, red  # the picture's box is filled (an empty box is grey)
