"""The reader pane: a toolbar (translate modes and article actions), an info bar, the tag row and
the article body set for reading in a QTextBrowser.

The body is built as one QTextDocument with one block per paragraph (or, side by side, one table
row per paragraph pair), so later features can apply char formats / ExtraSelections to paragraph
ranges: :meth:`ReaderPane.paragraph_position` maps a paragraph index to its document position.
Qt positions count UTF-16 units (see :mod:`reader.core.textmatch`).

Signals:
    translate_mode_changed(str): "original" | "translation" | "side_by_side".
    tag_add_requested(str): a tag typed into the tag row.
    tag_remove_requested(str): the × of a tag chip.
    link_activated(str): a link in the byline was clicked.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import Article
from reader.core.query import Term
from reader.gui.langnames import language_label
from reader.core.textmatch import find_matches, utf16_offset
from reader.gui.widgets.message_bar import MessageBar

MODES = (("original", "Original"), ("translation", "Translation"), ("side_by_side", "Side by side"))
MEASURE_CHARS = 70  # the reading measure: ~65-75 characters per line
NO_ENGINE = "no translation engine is configured"


class ArticleBrowser(QTextBrowser):
    """A QTextBrowser that keeps the text to a comfortable measure, centred in the pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleBody")
        self.setOpenExternalLinks(True)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.measure_factor = 1.0  # 2.0 side by side

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_measure()

    def apply_measure(self) -> None:
        doc = self.document()
        char_w = self.fontMetrics().averageCharWidth()
        font = doc.defaultFont()
        if font.pointSizeF() > 0:
            char_w = max(char_w, int(font.pointSizeF() * 0.55 * self.logicalDpiX() / 72))
        measure = int(MEASURE_CHARS * char_w * self.measure_factor)
        side = max(28, (self.viewport().width() - measure) // 2)
        root = doc.rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)


class TagRow(QWidget):
    """The article's tags as chips, plus a field to add one (completing existing tags).

    Signals:
        tag_add_requested(str), tag_remove_requested(str)
    """

    tag_add_requested = Signal(str)
    tag_remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagRow")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 4, 12, 4)
        self._layout.setSpacing(6)
        self._chips: list[QToolButton] = []
        self.editor = QLineEdit(self)
        self.editor.setObjectName("tagEditor")
        self.editor.setPlaceholderText("Add tag…")
        self.editor.setClearButtonEnabled(True)
        self.editor.setMaximumWidth(220)
        self._completion = QStringListModel(self)
        completer = QCompleter(self._completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.editor.setCompleter(completer)
        self.editor.returnPressed.connect(self._on_editor_return_pressed)
        self._layout.addStretch(1)
        self._layout.addWidget(self.editor)

    def set_known_tags(self, names: Sequence[str]) -> None:
        self._completion.setStringList(list(names))

    def set_tags(self, tags: Sequence[str]) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for i, name in enumerate(tags):
            chip = QToolButton(self)
            chip.setObjectName("tagChip")
            chip.setText(f"{name}  ×")
            chip.setToolTip(f"Remove the tag “{name}”")
            chip.setAutoRaise(True)
            chip.clicked.connect(lambda _=False, n=name: self.tag_remove_requested.emit(n))
            self._layout.insertWidget(i, chip)
            self._chips.append(chip)

    def tags(self) -> list[str]:
        return [c.text().rsplit("  ×", 1)[0] for c in self._chips]

    def _on_editor_return_pressed(self) -> None:
        names = [n.strip() for n in self.editor.text().split(",") if n.strip()]
        self.editor.clear()
        for name in names:
            self.tag_add_requested.emit(name)


class ReaderPane(QWidget):
    """The right pane. See the module docstring for its signals."""

    translate_mode_changed = Signal(str)
    tag_add_requested = Signal(str)
    tag_remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self._article: Article | None = None
        self._translated: list[str | None] | None = None
        self._mode = "original"
        self._terms: list[Term] = []
        self._para_pos: list[int] = []
        self._para_text: list[str] = []
        self._title_pos = 0
        self.reading_font = QFont("DejaVu Serif")
        self.reading_font.setPointSize(13)
        self.translation_unavailable_reason = NO_ENGINE
        self._init_toolbar()
        self._init_body()

    # --- building -------------------------------------------------------------------------------
    def _init_toolbar(self) -> None:
        self.toolbar = QToolBar("Article", self)
        self.toolbar.setObjectName("readerToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        self._mode_group = QActionGroup(self)
        self._mode_group.setExclusive(True)
        self.mode_actions: dict[str, QAction] = {}
        for key, label in MODES:
            action = QAction(label, self)
            action.setCheckable(True)
            action.setData(key)
            action.setToolTip(f"Show {label.lower()} (t cycles)")
            self._mode_group.addAction(action)
            self.toolbar.addAction(action)
            self.mode_actions[key] = action
        self.mode_actions["original"].setChecked(True)
        self._mode_group.triggered.connect(self._on_mode_action_triggered)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)

    def _init_body(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        self.info_bar = MessageBar(self)
        layout.addWidget(self.info_bar)
        self.tag_row = TagRow(self)
        self.tag_row.tag_add_requested.connect(self.tag_add_requested)
        self.tag_row.tag_remove_requested.connect(self.tag_remove_requested)
        layout.addWidget(self.tag_row)
        self.browser = ArticleBrowser(self)
        layout.addWidget(self.browser, 1)
        self.placeholder = QLabel("No article selected", self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder, 1)
        self.show_article(None)

    # --- public API -----------------------------------------------------------------------------
    def article(self) -> Article | None:
        return self._article

    def article_id(self) -> int | None:
        return self._article.id if self._article else None

    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Switch Original / Translation / Side by side (emits ``translate_mode_changed``)."""
        if mode == self._mode or mode not in self.mode_actions:
            return
        self._mode = mode
        self.mode_actions[mode].setChecked(True)
        self._render(keep_scroll=True)
        self.translate_mode_changed.emit(mode)

    def cycle_mode(self) -> None:
        keys = [k for k, _ in MODES]
        self.set_mode(keys[(keys.index(self._mode) + 1) % len(keys)])

    def set_reading_font(self, font: QFont) -> None:
        self.reading_font = QFont(font)
        self._render(keep_scroll=True)

    def show_article(
        self, article: Article | None, translated_paragraphs: list[str | None] | None = None,
        mode: str | None = None,
    ) -> None:
        """Render an article: its original paragraphs, translated ones, or both side by side."""
        self._article = article
        self._translated = list(translated_paragraphs) if translated_paragraphs is not None else None
        if mode is not None and mode in self.mode_actions:
            self._mode = mode
            self.mode_actions[mode].setChecked(True)
        has = article is not None
        self.browser.setVisible(has)
        self.tag_row.setVisible(has)
        self.placeholder.setVisible(not has)
        self.toolbar.setEnabled(has)
        if article is not None:
            self.tag_row.set_tags(article.tags)
        self._render(keep_scroll=False)

    def update_paragraph(self, index: int, text: str | None) -> None:
        """A translated paragraph arrived: show it (the scroll position is kept)."""
        if self._article is None:
            return
        n = len(self._article.paragraphs)
        if not 0 <= index < n:
            return
        if self._translated is None:
            self._translated = [None] * n
        self._translated[index] = text
        if self._mode != "original":
            self._render(keep_scroll=True)

    def set_search_terms(self, terms: Sequence[Term]) -> None:
        """Highlight these search terms in the shown article (empty: none)."""
        self._terms = [t for t in terms if not t.negated]
        self._apply_highlights()

    def highlight_count(self) -> int:
        return len(self.browser.extraSelections())

    def paragraph_position(self, index: int) -> int:
        """Document position (UTF-16 units) where paragraph ``index`` starts."""
        return self._para_pos[index]

    def paragraph_count(self) -> int:
        return len(self._para_pos)

    def scroll_fraction(self) -> float:
        bar = self.browser.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        self.browser.document().documentLayout().documentSize()  # lay out now
        bar = self.browser.verticalScrollBar()
        bar.setValue(round(max(0.0, min(1.0, fraction)) * bar.maximum()))

    def page(self, direction: int) -> None:
        """Page the body down (1) or up (-1), as Space / Shift+Space do."""
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + direction * max(1, bar.pageStep() - 40))

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    # --- rendering ------------------------------------------------------------------------------
    def _on_mode_action_triggered(self, action: QAction) -> None:
        self.set_mode(str(action.data()))

    def _translation_ready(self) -> bool:
        return self._translated is not None and any(t for t in self._translated)

    def _render(self, keep_scroll: bool) -> None:
        fraction = self.scroll_fraction() if keep_scroll else 0.0
        article = self._article
        if article is None:
            self.browser.clear()
            self._para_pos, self._para_text = [], []
            self.info_bar.hide_message()
            return
        mode = self._mode
        if mode != "original" and not self._translation_ready():
            self.info_bar.show_message(f"Translation is not available: {self.translation_unavailable_reason}",
                                       kind="info")
            mode = "original"
        else:
            self.info_bar.hide_message()
        doc = QTextDocument(self.browser)
        doc.setDefaultFont(self.reading_font)
        doc.setDocumentMargin(0)
        root = doc.rootFrame().frameFormat()
        root.setTopMargin(28)
        root.setBottomMargin(48)
        doc.rootFrame().setFrameFormat(root)
        cursor = QTextCursor(doc)
        pal = self.palette()
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        text_color = pal.color(QPalette.ColorRole.Text)
        size = self.reading_font.pointSizeF() if self.reading_font.pointSizeF() > 0 else 13.0
        # title
        title_fmt = QTextCharFormat()
        title_fmt.setFontPointSize(size * 1.45)
        title_fmt.setFontWeight(QFont.Weight.Bold)
        title_fmt.setForeground(text_color)
        block = QTextBlockFormat()
        block.setBottomMargin(size * 0.5)
        block.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(block)
        self._title_pos = cursor.position()
        cursor.insertText(article.title, title_fmt)
        # byline
        by_fmt = QTextCharFormat()
        by_fmt.setFontPointSize(size * 0.8)
        by_fmt.setForeground(muted)
        by_fmt.setFontFamilies([QFont().family()])
        block = QTextBlockFormat()
        block.setBottomMargin(size * 1.6)
        cursor.insertBlock(block)
        parts = [p for p in (article.source, article.published) if p]
        lang = language_label(article.lang)
        lang += " (set by you)" if article.lang_overridden else f", {article.lang_confidence:.0%} confidence"
        parts.append(lang)
        cursor.insertText("  ·  ".join(parts), by_fmt)
        if article.url:
            link_fmt = QTextCharFormat(by_fmt)
            link_fmt.setAnchor(True)
            link_fmt.setAnchorHref(article.url)
            link_fmt.setForeground(pal.color(QPalette.ColorRole.Link))
            cursor.insertText("  ·  ", by_fmt)
            cursor.insertText(QUrl(article.url).host() or "link", link_fmt)
        # body
        body_fmt = QTextCharFormat()
        body_fmt.setForeground(text_color)
        para_block = QTextBlockFormat()
        para_block.setLineHeight(150, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        para_block.setBottomMargin(size * 0.9)
        originals = article.paragraphs
        self._para_pos, self._para_text = [], []
        if mode == "side_by_side":
            self.browser.measure_factor = 2.0
            table_fmt = QTextTableFormat()
            table_fmt.setBorder(0)
            table_fmt.setCellPadding(0)
            table_fmt.setCellSpacing(0)
            table_fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            table_fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 50)] * 2)
            cursor.insertBlock(QTextBlockFormat())
            table = cursor.insertTable(len(originals), 2, table_fmt)
            translated = self._translated or []
            for i, text in enumerate(originals):
                for col, cell_text in ((0, text), (1, translated[i] if i < len(translated) else None)):
                    cell = table.cellAt(i, col)
                    cell_cursor = cell.firstCursorPosition()
                    fmt = QTextBlockFormat(para_block)
                    if col == 0:
                        fmt.setRightMargin(size * 1.2)
                    else:
                        fmt.setLeftMargin(size * 1.2)
                    cell_cursor.setBlockFormat(fmt)
                    if col == 0:
                        self._para_pos.append(cell_cursor.position())
                        self._para_text.append(text)
                        cell_cursor.insertText(text, body_fmt)
                    else:
                        shown = cell_text or "…"
                        f = QTextCharFormat(body_fmt)
                        if not cell_text:
                            f.setForeground(muted)
                        cell_cursor.insertText(shown, f)
        else:
            self.browser.measure_factor = 1.0
            texts: list[str] = list(originals)
            if mode == "translation" and self._translated is not None:
                texts = [t or o for t, o in zip(self._translated, originals, strict=False)] + originals[len(self._translated):]
            for text in texts:
                cursor.insertBlock(para_block)
                self._para_pos.append(cursor.position())
                self._para_text.append(text)
                cursor.insertText(text, body_fmt)
        self.browser.setDocument(doc)
        self.browser.apply_measure()
        self._apply_highlights()
        if keep_scroll:
            QTimer.singleShot(0, lambda f=fraction: self.set_scroll_fraction(f))
        else:
            self.browser.verticalScrollBar().setValue(0)

    def _apply_highlights(self) -> None:
        if self._article is None or not self._terms:
            self.browser.setExtraSelections([])
            return
        doc = self.browser.document()
        fmt = QTextCharFormat()
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        fmt.setBackground(QColor("#7a5d00") if dark else QColor("#ffe58a"))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selections: list[QTextEdit.ExtraSelection] = []
        chunks = [(self._title_pos, self._article.title), *zip(self._para_pos, self._para_text, strict=True)]
        for base, text in chunks:
            for start, end in find_matches(text, self._terms):
                sel = QTextEdit.ExtraSelection()
                c = QTextCursor(doc)
                c.setPosition(base + utf16_offset(text, start))
                c.setPosition(base + utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = c
                sel.format = fmt
                selections.append(sel)
        self.browser.setExtraSelections(selections)

    def first_highlight_text(self) -> str | None:
        sels = self.browser.extraSelections()
        return sels[0].cursor.selectedText() if sels else None

    def scroll_to_first_highlight(self) -> None:
        sels = self.browser.extraSelections()
        if sels:
            c = QTextCursor(sels[0].cursor)
            c.clearSelection()
            self.browser.setTextCursor(c)
            self.browser.ensureCursorVisible()
