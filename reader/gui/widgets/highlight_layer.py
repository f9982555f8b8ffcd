"""Highlights in the reader pane: where each shown paragraph sits, and the layer that paints.

:class:`PaneGeometry` maps between the pane's current document (Qt positions count UTF-16 units) and
the article: code-point positions in ``Article.body`` for the original text, or the paragraph index
and the selected translated text for a translation. The body is stored as paragraphs joined by blank
lines (``paragraph_spans``), each paragraph rendered as one block (one table cell side by side), so
a position maps exactly.

:class:`HighlightLayer` draws an article's highlights into that document (char-format backgrounds,
so they coexist with the search-match ExtraSelections) and reads the selection back out. It is a
view helper: it takes :class:`~reader.core.models.Highlight` values and never reads or writes the
library. No signals.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QTextCharFormat, QTextCursor, QTextDocument

from reader.core.annotations import find_quote
from reader.core.models import Highlight
from reader.core.text import from_utf16, paragraph_spans, to_utf16
from reader.gui.widgets.palette import paint_color
from reader.gui.widgets.reader_pane import ReaderPane


# --- selection / highlight mapping ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SelectionTarget:
    """What a selection in the reader pane designates.

    ``view == "original"``: ``start``/``end`` are code points of ``Article.body``.
    ``view == "translation"``: ``paragraph`` of the original, ``translated_quote`` the selected text.
    """

    view: str
    start: int = 0
    end: int = 0
    paragraph: int = 0
    translated_quote: str = ""


def _utf16_len(text: str) -> int:
    return to_utf16(text, len(text))


class PaneGeometry:
    """Where each shown paragraph (original or translated) sits in the pane's current document.

    Built from the pane after each render: the paragraph start positions, the text shown in each,
    whether it is a translation, and side by side the translated cells of the table.
    """

    def __init__(self, pane: ReaderPane) -> None:
        article = pane.article()
        self.body = article.body if article is not None else ""
        self.spans = paragraph_spans(self.body)
        self.originals = [self.body[s:e] for s, e in self.spans]
        translated: list[str | None] = pane.translated_paragraphs()
        ready = any(t for t in translated)
        self.mode = pane.mode() if ready else "original"
        self.translated = translated + [None] * (len(self.originals) - len(translated))
        self.positions = [pane.paragraph_position(i) for i in range(pane.paragraph_count())]
        self.texts: list[str] = [pane.paragraph_text(i) for i in range(len(self.positions))]
        self.doc = pane.browser.document()
        # side by side: (position, text) of each translated cell
        # (the rows are in several tables: pictures and rules span both columns between them)
        self.cells: list[tuple[int, str] | None] = []
        self.cell_rows: dict[int, int] = {}  # translated cell start -> paragraph
        if self.mode == "side_by_side":
            for i in range(len(self.positions)):
                cell_start = pane.translation_cell(i)
                text = self.translated[i] if i < len(self.translated) else None
                self.cells.append((cell_start, text) if text and cell_start is not None else None)
                if cell_start is not None:
                    self.cell_rows[cell_start] = i

    # -- which paragraph shows what
    def shows_translation(self, i: int) -> bool:
        """In Translation mode: paragraph ``i`` shows its translation (not the original)."""
        return self.mode == "translation" and i < len(self.translated) and bool(self.translated[i])

    def _paragraph_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.positions, pos) - 1)

    # -- selection -> article
    def target_for(self, start: int, end: int) -> SelectionTarget | None:
        """Map a document selection (UTF-16 positions) to the article; None when nothing usable."""
        if not self.positions or end <= start or not self.originals:
            return None
        if self.mode == "side_by_side":
            c = QTextCursor(self.doc)
            c.setPosition(start)
            table = c.currentTable()
            if table is not None:
                cell = table.cellAt(start)
                if cell.isValid() and cell.column() == 1:
                    row = self.cell_rows.get(cell.firstCursorPosition().position(), -1)
                    if row < 0:
                        return None
                    shown = self.translated[row] if row < len(self.translated) else None
                    if not shown:
                        return None
                    base = cell.firstCursorPosition().position()
                    last = cell.lastCursorPosition().position()
                    s = from_utf16(shown, start - base)
                    e = from_utf16(shown, min(end, last) - base)
                    quote = shown[s:e].strip()
                    return SelectionTarget("translation", paragraph=row, translated_quote=quote) if quote else None
                if cell.isValid():  # column 0: an original paragraph; stay inside its cell
                    end = min(end, cell.lastCursorPosition().position())
        first = self._paragraph_at(start)
        if start < self.positions[0]:
            start, first = self.positions[0], 0
        if self.shows_translation(first):
            shown = self.texts[first]
            base = self.positions[first]
            s = from_utf16(shown, start - base)
            e = from_utf16(shown, min(end, base + _utf16_len(shown)) - base)
            quote = shown[s:e].strip()
            return SelectionTarget("translation", paragraph=first, translated_quote=quote) if quote else None
        last = self._paragraph_at(end)
        if self.mode == "translation":
            last = first  # mixed translated/original paragraphs: keep to one
            end = min(end, self.positions[first] + _utf16_len(self.originals[first]))
        if self.mode == "side_by_side" and last != first:
            last = first
        body_start = self._body_pos(first, start)
        body_end = self._body_pos(last, end)
        while body_start < body_end and self.body[body_start].isspace():
            body_start += 1
        while body_end > body_start and self.body[body_end - 1].isspace():
            body_end -= 1
        if body_end <= body_start:
            return None
        return SelectionTarget("original", start=body_start, end=body_end, paragraph=first)

    def _body_pos(self, i: int, pos: int) -> int:
        text = self.originals[i]
        local = max(0, min(pos - self.positions[i], _utf16_len(text)))
        return self.spans[i][0] + from_utf16(text, local)

    # -- article -> document ranges
    def _original_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for i, (ps, pe) in enumerate(self.spans):
            if pe <= start or ps >= end or i >= len(self.positions):
                continue
            if self.shows_translation(i):
                continue
            text = self.originals[i]
            s, e = max(start, ps) - ps, min(end, pe) - ps
            base = self.positions[i]
            out.append((base + to_utf16(text, s), base + to_utf16(text, e)))
        return out

    def ranges_for(self, h: Highlight) -> list[tuple[int, int]]:
        """Document ranges (UTF-16) where ``h`` is drawn in what the pane shows now."""
        if h.orphaned:
            return []
        out: list[tuple[int, int]] = []
        if self.mode != "translation" or h.view == "original":
            out += self._original_ranges(h.start, h.end)
        if h.view == "translation" and h.translated_quote and h.paragraph is not None:
            i = h.paragraph
            shown: tuple[int, str] | None = None
            if self.mode == "side_by_side" and i < len(self.cells):
                shown = self.cells[i]
            elif self.shows_translation(i) and i < len(self.positions):
                shown = (self.positions[i], self.texts[i])
            if shown is not None:
                base, text = shown
                spans = find_quote(text, h.translated_quote)
                if spans:
                    s, e = spans[0]
                    out.append((base + to_utf16(text, s), base + to_utf16(text, e)))
            if self.mode == "translation" and not self.shows_translation(i):
                out += self._original_ranges(h.start, h.end)
        return out


class HighlightLayer(QObject):
    """Draws highlights into the reader pane's document and reads selections out of it.

    The pane builds a new QTextDocument on every render (article, mode, font, translated paragraph);
    ``QTextEdit.textChanged`` fires on each, and the layer paints its backgrounds again.
    """

    def __init__(self, pane: ReaderPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.highlights: list[Highlight] = []
        self.article_id: int | None = None
        self._painting = False
        self._ranges: dict[int, list[tuple[int, int]]] = {}
        # what was painted into which document: a repaint of the same document (a highlight deleted
        # or recoloured) wipes it first, or the old paint would stay until the article is re-rendered
        self._painted_doc: object = None
        self._painted: list[tuple[int, int]] = []
        pane.browser.textChanged.connect(self._on_browser_text_changed)

    def set_highlights(self, article_id: int | None, highlights: Sequence[Highlight]) -> None:
        self.article_id = article_id
        self.highlights = list(highlights)
        self.repaint()

    def geometry(self) -> PaneGeometry:
        return PaneGeometry(self.pane)

    def selection_target(self) -> SelectionTarget | None:
        """What the pane's current selection designates (None: no selection / nothing usable)."""
        if self.pane.article() is None:
            return None
        cursor = self.pane.browser.textCursor()
        if not cursor.hasSelection():
            return None
        return self.geometry().target_for(cursor.selectionStart(), cursor.selectionEnd())

    def ranges(self, highlight_id: int) -> list[tuple[int, int]]:
        """Document ranges drawn for one highlight (empty when not shown in this view)."""
        return list(self._ranges.get(highlight_id, []))

    def drawn_text(self, highlight_id: int) -> str:
        """The text the pane shows highlighted for one highlight (tests, accessibility)."""
        doc = self.pane.browser.document()
        parts = []
        for s, e in self._ranges.get(highlight_id, []):
            c = QTextCursor(doc)
            c.setPosition(s)
            c.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            parts.append(c.selectedText())
        return " | ".join(parts)

    def scroll_to(self, highlight_id: int) -> bool:
        """Scroll the pane to a highlight and put the caret at its start. False when not drawn."""
        ranges = self._ranges.get(highlight_id)
        if not ranges:
            return False
        browser = self.pane.browser
        c = QTextCursor(browser.document())
        c.setPosition(ranges[0][0])
        browser.setTextCursor(c)
        browser.ensureCursorVisible()
        # a third of the way down, with the text before it in view (not at the very bottom edge)
        bar = browser.verticalScrollBar()
        bar.setValue(bar.value() + browser.cursorRect().top() - browser.viewport().height() // 3)
        return True

    def _on_browser_text_changed(self) -> None:
        if not self._painting:
            self.repaint()

    def repaint(self) -> None:
        """(Re)draw the highlights of the shown article into the current document."""
        self._ranges = {}
        if self._painting:
            return
        doc = self.pane.browser.document()
        if doc is self._painted_doc and self._painted:
            self._wipe(doc)
        self._painted_doc, self._painted = doc, []
        article = self.pane.article()
        if article is None or article.id != self.article_id or not self.highlights:
            return
        geo = self.geometry()
        self._painting = True
        try:
            undo = doc.isUndoRedoEnabled()
            doc.setUndoRedoEnabled(False)
            for h in self.highlights:
                ranges = geo.ranges_for(h)
                if not ranges:
                    continue
                self._ranges[h.id] = ranges
                fmt = QTextCharFormat()
                fmt.setBackground(paint_color(h.color, self.pane))
                if h.note:
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setToolTip(h.note or "")
                for s, e in ranges:
                    c = QTextCursor(doc)
                    c.setPosition(s)
                    c.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
                    c.mergeCharFormat(fmt)
                self._painted.extend(ranges)
            doc.setUndoRedoEnabled(undo)
        finally:
            self._painting = False

    def _wipe(self, doc: QTextDocument) -> None:
        """Take the paint of the last repaint off ``doc`` (background, note underline, tooltip)."""
        self._painting = True
        try:
            undo = doc.isUndoRedoEnabled()
            doc.setUndoRedoEnabled(False)
            clear = QTextCharFormat()
            clear.setBackground(QBrush(Qt.BrushStyle.NoBrush))
            clear.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
            clear.setToolTip("")
            end = doc.characterCount() - 1
            for s, e in self._painted:
                c = QTextCursor(doc)
                c.setPosition(min(s, end))
                c.setPosition(min(e, end), QTextCursor.MoveMode.KeepAnchor)
                c.mergeCharFormat(clear)
            doc.setUndoRedoEnabled(undo)
        finally:
            self._painting = False
            self._painted = []


__all__ = ["HighlightLayer", "PaneGeometry", "SelectionTarget"]
