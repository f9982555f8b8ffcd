"""All highlights: the library-wide list of highlights with search, filters, paging and jump-to.

The search box takes the query language (free words search quotes, notes and translated quotes;
``tag:``, ``lang:``, ``is:``, ``after:`` ... filter by article). Colour, tag and language pickers
add filters. Rows are fetched a page at a time (:data:`PAGE`) off the GUI thread through the
``fetch`` callable given by the window (the annotations controller's ``list_page``), so the view
opens at once on a library with tens of thousands of highlights.

Also home of :class:`HighlightDelegate`, the card painter shared with the annotations panel
(colour bar, quote, rendered note, article line).

Signals:
    article_requested(int, int): (article id, highlight id) — a row was double-clicked / Enter.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache

from PySide6.QtCore import (
    QElapsedTimer,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import QueryError, ReaderError
from reader.core.models import COLORS, Highlight, HighlightFilter, HighlightRow
from reader.core.rendering import markdown_to_html
from reader.gui.langnames import language_label
from reader.gui.models.highlight_model import HIGHLIGHT_ROLE, ROW_ROLE, HighlightListModel
from reader.gui.widgets.palette import SWATCH, paint_color

PAGE = 100
FIRST_PAGE = 40  # a screenful and more: the first page paints at once, the rest comes on scrolling
QUOTE_CHARS = 360
FetchFn = Callable[..., None]

_Index = QModelIndex | QPersistentModelIndex


@lru_cache(maxsize=2048)
def note_html(note: str) -> str:
    """A note's sanitized HTML (cached: a Markdown conversion costs ~1-3 ms, a list shows many)."""
    return markdown_to_html(note)


def card_html(h: Highlight, row: HighlightRow | None, muted: str) -> str:
    """The HTML of one highlight card: quote (both languages for a translation highlight), note, article."""
    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"

    parts: list[str] = []
    if h.view == "translation" and h.translated_quote:
        parts.append(f"<p style='margin:0'>{html.escape(clip(h.translated_quote))}</p>")
        parts.append(f"<p style='margin:2px 0 0 0; color:{muted}'>{html.escape(clip(h.quote))}</p>")
    else:
        parts.append(f"<p style='margin:0'>{html.escape(clip(h.quote))}</p>")
    if h.note:
        parts.append(f"<div style='margin-top:4px'>{note_html(h.note)}</div>")
    meta: list[str] = []
    if row is not None:
        meta.append(f"<b>{html.escape(row.article_title)}</b>")
        meta.append(html.escape(language_label(row.article_lang)))
    if h.view == "translation" and h.target_lang:
        meta.append(f"in translation ({html.escape(h.target_lang)})")
    if h.tags:
        meta.append(html.escape(", ".join(f"#{t}" for t in h.tags)))
    if h.orphaned:
        meta.append("<i>not found in the current text</i>")
    if meta:
        parts.append(f"<p style='margin:4px 0 0 0; color:{muted}; font-size:small'>{' · '.join(meta)}</p>")
    return "".join(parts)


class HighlightDelegate(QStyledItemDelegate):
    """Paints a highlight as a card: a colour bar, the quote, the rendered note and an article line.

    Laid-out QTextDocuments are cached per (highlight, edit time, width), so scrolling a long list
    renders each card's Markdown once.
    """

    BAR = 4
    PAD = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: OrderedDict[tuple[int, str, bool], QTextDocument] = OrderedDict()

    def _doc(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument | None:
        h: Highlight | None = index.data(HIGHLIGHT_ROLE)
        if h is None:
            return None
        width = max(80, option.rect.width() - self.BAR - 3 * self.PAD)  # type: ignore[attr-defined]
        key = (h.id, h.updated_at + h.color + str(h.orphaned) + (h.note or ""), index.data(ROW_ROLE) is None)
        doc = self._docs.get(key)
        if doc is not None and doc.textWidth() != width:
            doc.setTextWidth(width)  # a re-layout; the HTML (and the note's Markdown) is kept
        if doc is None:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(option.font)  # type: ignore[attr-defined]
            muted = option.palette.color(QPalette.ColorRole.PlaceholderText).name()  # type: ignore[attr-defined]
            doc.setHtml(card_html(h, index.data(ROW_ROLE), muted))
            doc.setTextWidth(width)
            self._docs[key] = doc
            if len(self._docs) > 400:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        doc = self._doc(option, index)
        if doc is None:
            return super().sizeHint(option, index)
        return QSize(int(doc.textWidth()) + self.BAR + 3 * self.PAD, int(doc.size().height()) + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        h: Highlight | None = index.data(HIGHLIGHT_ROLE)
        doc = self._doc(option, index)
        if h is None or doc is None:
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        pal: QPalette = option.palette  # type: ignore[attr-defined]
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        if selected:
            owner = self.parent()
            bg = QColor(paint_color(h.color, owner if isinstance(owner, QWidget) else None))
            painter.fillRect(rect, bg)
        painter.fillRect(QRect(rect.left() + self.PAD, rect.top() + self.PAD, self.BAR,
                               rect.height() - 2 * self.PAD), QColor(SWATCH.get(h.color, SWATCH["yellow"])))
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.left() + self.PAD, rect.bottom(), rect.right() - self.PAD, rect.bottom())
        painter.translate(rect.left() + self.BAR + 2 * self.PAD, rect.top() + self.PAD)
        doc.drawContents(painter)
        painter.restore()


class HighlightListView(QListView):
    """A list of highlight cards (variable heights, smooth scrolling).

    Signals:
        activated_row(int): a card was double-clicked or Enter was pressed on it (its row).
        delete_row(int): Delete or Backspace was pressed on a card (its row). The key belongs to
            the card while the list has focus: the window's Delete (which deletes articles) does
            not see it.
    """

    activated_row = Signal(int)
    delete_row = Signal(int)
    DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in self.DELETE_KEYS and self.currentIndex().isValid()):
            event.accept()  # handled in keyPressEvent, not by a window shortcut
            return True
        return super().event(event)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(HighlightDelegate(self))
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)  # paint the first cards before sizing the rest
        self.setBatchSize(20)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.doubleClicked.connect(lambda idx: self.activated_row.emit(idx.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        if event.key() in self.DELETE_KEYS and self.currentIndex().isValid():
            self.delete_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class HighlightsView(QWidget):
    """The All-highlights window. See the module docstring for its signal."""

    article_requested = Signal(int, int)

    def __init__(self, fetch: FetchFn, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("highlightsView")
        self.setWindowTitle("All Highlights — Polyglot Reader")
        self.resize(760, 720)
        self._fetch = fetch
        self._filter = HighlightFilter()
        self._timer = QElapsedTimer()
        #: milliseconds from the last reload to the first page shown (measured for the benchmark)
        self.last_open_ms: float | None = None
        self.model = HighlightListModel(self)
        self.model.page_needed.connect(self._on_model_page_needed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.reload)
        self._init_ui()

    def _init_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("highlightsSearch")
        self.search.setPlaceholderText("Search quotes and notes… (tag:, lang:, after: work too)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.reload)
        bar.addWidget(self.search, 1)
        self.color_box = QComboBox(self)
        self.color_box.addItem("Any colour", None)
        for c in COLORS:
            self.color_box.addItem(c.capitalize(), c)
            self.color_box.setItemData(self.color_box.count() - 1, QColor(SWATCH[c]),
                                       Qt.ItemDataRole.DecorationRole)
        self.tag_box = QComboBox(self)
        self.tag_box.addItem("Any tag", None)
        self.lang_box = QComboBox(self)
        self.lang_box.addItem("Any language", None)
        for box in (self.color_box, self.tag_box, self.lang_box):
            box.currentIndexChanged.connect(lambda _i: self.reload())
            bar.addWidget(box)
        layout.addLayout(bar)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("highlightsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.list = HighlightListView(self)
        self.list.setObjectName("highlightsList")
        self.list.setModel(self.model)
        self.list.activated_row.connect(self._on_list_activated_row)
        layout.addWidget(self.list, 1)
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("highlightsCount")
        layout.addWidget(self.count_label)

    # --- filters ----------------------------------------------------------------------------------
    def set_choices(self, tags: Sequence[str], langs: Sequence[str]) -> None:
        """The tag and language pickers' entries (keeps the current choice when still offered)."""
        for box, values, label in ((self.tag_box, tags, None), (self.lang_box, langs, language_label)):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem("Any tag" if box is self.tag_box else "Any language", None)
            for v in values:
                box.addItem(label(v) if label else v, v)
            i = box.findData(current)
            box.setCurrentIndex(max(0, i))
            box.blockSignals(False)

    def set_tag(self, tag: str) -> None:
        """Show only the highlights with this tag (the tag picker shows it)."""
        index = self.tag_box.findData(tag)
        if index < 0:
            self.tag_box.addItem(tag, tag)
            index = self.tag_box.count() - 1
        self.tag_box.blockSignals(True)
        self.tag_box.setCurrentIndex(index)
        self.tag_box.blockSignals(False)

    def current_filter(self) -> HighlightFilter:
        return HighlightFilter(
            query=self.search.text().strip() or None,
            color=self.color_box.currentData(),
            tag=self.tag_box.currentData(),
            lang=self.lang_box.currentData(),
        )

    # --- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Fetch the first page and the total for the current search and filters."""
        self._debounce.stop()
        self._filter = self.current_filter()
        self._timer.start()
        self._fetch(self._filter, 0, FIRST_PAGE, self._on_first_page, self._on_fetch_failed, with_count=True,
                    key="highlights.view")

    def _on_model_page_needed(self, offset: int) -> None:
        flt = self._filter
        self._fetch(flt, offset, PAGE, lambda result, f=flt: self._on_more(f, result), self._on_fetch_failed,
                    with_count=False, key="highlights.more")

    def _on_first_page(self, result: tuple[int, list[HighlightRow]]) -> None:
        total, rows = result
        self.error_label.hide()
        self.model.set_rows(rows, total)
        self.count_label.setText(f"{total:,} highlight{'s' if total != 1 else ''}")
        if rows and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.last_open_ms = self._timer.nsecsElapsed() / 1e6

    def _on_more(self, flt: HighlightFilter, result: tuple[int, list[HighlightRow]]) -> None:
        if flt != self._filter:
            return
        self.model.append_rows(result[1])

    def _on_fetch_failed(self, exc: BaseException) -> None:
        self.model.append_rows([])
        if isinstance(exc, (QueryError, ReaderError)):
            self.error_label.setText(str(exc))
            self.error_label.show()

    def _on_list_activated_row(self, row: int) -> None:
        h = self.model.highlight_at(row)
        if h is not None:
            self.article_requested.emit(h.article_id, h.id)

    def rows_text(self) -> list[str]:
        """The quotes of the loaded rows (tests)."""
        return [str(self.model.data(self.model.index(r, 0))) for r in range(self.model.rowCount())]
