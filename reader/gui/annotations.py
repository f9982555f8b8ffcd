"""Highlights, notes, saved searches and tag management in the window: the controller and the text layer.

:class:`AnnotationsController` is the only GUI code that reads or writes highlights, notes, saved
searches and tags (through the one :class:`~reader.gui.tasks.TaskRunner`: writes on the write lane,
counts and lists on the read lane, latest wins). Widgets emit intents; the window forwards them here.

:class:`HighlightLayer` draws an article's highlights into the reader pane's document (char-format
backgrounds, so they coexist with the search-match ExtraSelections) and maps a selection in the pane
back to the article: code-point positions in ``Article.body`` for the original text, or the
paragraph index and the selected translated text for a translation. Qt positions count UTF-16
units; the body is stored as paragraphs joined by blank lines (``paragraph_spans``), each paragraph
rendered as one block (one table cell side by side), so a position maps exactly.

Signals (AnnotationsController):
    highlights_ready(int, object, object): (article id, list of Highlight, article note or None).
    highlight_created(object): a new Highlight (the panel selects it).
    highlight_deleted(int, str): (id, quote) — Undo is possible.
    highlights_changed(): something changed library-wide (the All-highlights view refreshes).
    saved_searches_ready(object): list of SavedSearch with counts.
    tags_changed(): tags were renamed/merged/deleted/coloured (the sidebar reloads its counts).
    error(str): a one-line, user-facing message.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QWidget

from reader.core.annotations import COLORS, Highlight, find_quote, from_utf16, paragraph_spans, to_utf16
from reader.core.errors import ReaderError
from reader.core.storage.annotations import Annotations, HighlightFilter, HighlightRow, SavedSearch
from reader.gui.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from reader.gui.widgets.reader_pane import ReaderPane

#: Highlight colours as painted: (light theme, dark theme) backgrounds.
PAINT = {
    "yellow": ("#fff0a0", "#6b5a12"),
    "green": ("#c9f2c2", "#2d5a2a"),
    "blue": ("#c8e0ff", "#24466e"),
    "pink": ("#ffd0e4", "#6e2a48"),
    "purple": ("#e3d2ff", "#4b3470"),
}
#: Swatches (the panel's dots and buttons): one saturated tone per colour.
SWATCH = {"yellow": "#f2c200", "green": "#3fae3a", "blue": "#3b82e0", "pink": "#e85a9a", "purple": "#8d5ad6"}


def swatch_icon(color: str, size: int = 12) -> QIcon:
    """A round colour dot (tag colours in the sidebar and the tag manager)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


def paint_color(color: str, widget: QWidget | None = None) -> QColor:
    """The background a highlight of ``color`` gets in the current theme."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    light_c, dark_c = PAINT.get(color, PAINT["yellow"])
    return QColor(dark_c if dark else light_c)


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
        self.cells: list[tuple[int, str] | None] = []
        if self.mode == "side_by_side" and self.positions:
            table = QTextCursor(self.doc)
            table.setPosition(self.positions[0])
            t = table.currentTable()
            if t is not None:
                for i in range(t.rows()):
                    text = self.translated[i] if i < len(self.translated) else None
                    self.cells.append((t.cellAt(i, 1).firstCursorPosition().position(), text) if text else None)

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
                    row = cell.row()
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
        article = self.pane.article()
        if article is None or article.id != self.article_id or not self.highlights:
            return
        geo = self.geometry()
        doc = self.pane.browser.document()
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
            doc.setUndoRedoEnabled(undo)
        finally:
            self._painting = False


# --- the controller ------------------------------------------------------------------------------
def _create_tag(ctx: TaskContext, name: str, color: str | None) -> None:
    """A tag with no article yet (``Library.set_tag_color`` creates it if missing)."""
    ctx.library.set_tag_color(name, color)


class AnnotationsController(QObject):
    """See the module docstring."""

    highlights_ready = Signal(int, object, object)
    highlight_created = Signal(object)
    highlight_deleted = Signal(int, str)
    highlights_changed = Signal()
    saved_searches_ready = Signal(object)
    tags_changed = Signal()
    error = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.article_id: int | None = None
        self.highlights: list[Highlight] = []
        self.note: str | None = None
        self.target_lang = "en"
        self._undo: list[dict[str, Any]] = []

    # --- one article ------------------------------------------------------------------------------
    def load(self, article_id: int | None, *, reanchor: bool = True) -> None:
        """Load an article's highlights and note (re-anchored in its current text first)."""
        self.article_id = article_id
        if not article_id:
            self.highlights, self.note = [], None
            self.highlights_ready.emit(0, [], None)
            return

        def job(ctx: TaskContext) -> tuple[int, list[Highlight], str | None]:
            ann = Annotations(ctx.library)
            if reanchor:
                ann.reanchor(article_id)
            return article_id, ann.highlights_for_article(article_id), ann.get_note(article_id)

        # re-anchoring may write: the write lane, serialized with every other write
        self.runner.write(job, self._on_loaded, self._on_error, key="annotations.load")

    def _on_loaded(self, result: tuple[int, list[Highlight], str | None]) -> None:
        article_id, highlights, note = result
        if article_id != self.article_id:
            return
        self.highlights, self.note = highlights, note
        self.highlights_ready.emit(article_id, highlights, note)

    def _write(self, fn: Callable[[Annotations], Any], done: Callable[[Any], None] | None = None,
               *, reload: bool = True) -> None:
        article_id = self.article_id

        def finished(value: Any) -> None:
            if done is not None:
                done(value)
            if reload and article_id is not None and article_id == self.article_id:
                self.load(article_id, reanchor=False)
            self.highlights_changed.emit()

        self.runner.write(lambda c: fn(Annotations(c.library)), finished, self._on_error)

    def add_highlight(self, article_id: int, start: int, end: int, color: str = COLORS[0]) -> None:
        self._write(lambda a: a.add_highlight(article_id, start, end, color=color), self.highlight_created.emit)

    def add_translation_highlight(self, article_id: int, paragraph: int, translated_quote: str,
                                  color: str = COLORS[0], target_lang: str | None = None) -> None:
        lang = target_lang or self.target_lang
        self._write(lambda a: a.add_translation_highlight(article_id, paragraph, translated_quote, lang, color=color),
                    self.highlight_created.emit)

    def set_color(self, highlight_id: int, color: str) -> None:
        self._write(lambda a: a.update_highlight(highlight_id, color=color))

    def set_highlight_note(self, highlight_id: int, note: str) -> None:
        self._write(lambda a: a.update_highlight(highlight_id, note=note))

    def set_highlight_tags(self, highlight_id: int, tags: Sequence[str]) -> None:
        names = list(tags)
        self._write(lambda a: a.set_highlight_tags(highlight_id, names))

    def delete_highlight(self, highlight_id: int) -> None:
        def done(snapshot: dict[str, Any]) -> None:
            self._undo.append(snapshot)
            self.highlight_deleted.emit(highlight_id, str(snapshot["highlight"].get("quote", "")))

        self._write(lambda a: a.delete_highlight(highlight_id), done)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo_delete(self) -> None:
        """Put back the last deleted highlight (same id, note, tags)."""
        if self._undo:
            snapshot = self._undo.pop()
            self._write(lambda a: a.restore_highlight(snapshot))

    def set_article_note(self, article_id: int, note: str) -> None:
        self._write(lambda a: a.set_note(article_id, note))

    # --- library-wide -----------------------------------------------------------------------------
    def list_page(self, flt: HighlightFilter, offset: int, limit: int,
                  done: Callable[[tuple[int, list[HighlightRow]]], None],
                  failed: Callable[[BaseException], None], *, with_count: bool, key: str) -> None:
        """A page of the All-highlights list (and the total when asked), off the GUI thread."""

        def job(ctx: TaskContext) -> tuple[int, list[HighlightRow]]:
            ann = Annotations(ctx.library)
            rows = ann.list_highlights(flt, limit=limit, offset=offset)
            total = ann.count_highlights(flt) if with_count else -1
            return total, rows

        self.runner.read(job, done, failed, key=key)

    def reload_saved_searches(self) -> None:
        self.runner.read(lambda c: Annotations(c.library).saved_searches(counts=True),
                         self.saved_searches_ready.emit, self._on_error, key="annotations.saved")

    def add_saved_search(self, name: str, query: str) -> None:
        self._write(lambda a: a.add_saved_search(name, query), lambda _: self.reload_saved_searches(), reload=False)

    def rename_saved_search(self, name: str, new_name: str) -> None:
        self._write(lambda a: a.update_saved_search(name, new_name=new_name),
                    lambda _: self.reload_saved_searches(), reload=False)

    def remove_saved_search(self, name: str) -> None:
        self._write(lambda a: a.remove_saved_search(name), lambda _: self.reload_saved_searches(), reload=False)

    # --- tags -------------------------------------------------------------------------------------
    def _tag_write(self, fn: Callable[[TaskContext], Any]) -> None:
        def done(_: object) -> None:
            self.tags_changed.emit()
            self.reload_saved_searches()
            if self.article_id is not None:
                self.load(self.article_id, reanchor=False)

        self.runner.write(fn, done, self._on_error)

    def create_tag(self, name: str, color: str | None = None) -> None:
        self._tag_write(lambda c: _create_tag(c, name, color))

    def rename_tag(self, old: str, new: str) -> None:
        self._tag_write(lambda c: c.library.rename_tag(old, new))

    def merge_tags(self, sources: Sequence[str], target: str) -> None:
        names = list(sources)
        self._tag_write(lambda c: c.library.merge_tags(names, target))

    def delete_tag(self, name: str) -> None:
        self._tag_write(lambda c: c.library.delete_tag(name))

    def set_tag_color(self, name: str, color: str | None) -> None:
        self._tag_write(lambda c: c.library.set_tag_color(name, color))

    # --- errors -----------------------------------------------------------------------------------
    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReaderError):
            self.error.emit(str(exc))
        else:
            self.error.emit(f"Something went wrong ({type(exc).__name__}: {exc})")


__all__ = [
    "PAINT",
    "SWATCH",
    "AnnotationsController",
    "HighlightLayer",
    "PaneGeometry",
    "SelectionTarget",
    "SavedSearch",
    "paint_color",
    "swatch_icon",
]
