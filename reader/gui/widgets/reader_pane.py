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
    paragraph_retry_requested(int): the marker of a failed paragraph was clicked (index; -1 = the title).
    ArticleBrowser.context_menu_about_to_show(QMenu, QPoint): the body's context menu is about to
        show (the point is in viewport coordinates; :meth:`ReaderPane.paragraph_at` maps it). The
        pane answers it by adding the sections registered with :meth:`ReaderPane.add_menu_section`.

Small APIs features use instead of reaching inside: :meth:`ReaderPane.set_translation_available`,
:meth:`ReaderPane.add_menu_section` (ordered sections of the body's context menu, so the menu does
not depend on connection order) and :meth:`ReaderPane.add_bar` (a bar under the info bar).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QStringListModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTable,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
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
from reader.core.text import to_utf16
from reader.core.textmatch import find_matches
from reader.gui.langnames import language_label
from reader.gui.widgets.message_bar import MessageBar

MODES = (("original", "Original"), ("translation", "Translation"), ("side_by_side", "Side by side"))
MEASURE_CHARS = 70  # the reading measure: ~65-75 characters per line
NO_ENGINE = "no translation engine is configured"
RETRY_SCHEME = "reader-retry"  # href of a failed paragraph's marker (a click retries): reader-retry:<index>
#: A paragraph that could not be translated ends with this small, muted marker (the reason is in
#: its tooltip and, once for all of them, in the translation bar, with Retry)
FAILED_MARK = "⚠ not translated"
#: Side by side is a stack of tables of this many rows (one looks like one table): Qt lays a table
#: out as a whole, so a paragraph arriving re-lays out 16 rows, not the whole article.
CHUNK_ROWS = 16


#: The only link schemes ever handed to the system (after the reader confirms).
EXTERNAL_SCHEMES = ("http", "https", "mailto")


def link_text(url: QUrl) -> str:
    """The full URL as shown for confirmation: percent-encoded ASCII, so nothing can hide in it."""
    return bytes(url.toEncoded().data()).decode("ascii", "replace")


def confirm_open_link(parent: QWidget | None, url: QUrl) -> bool:
    """Ask before a link leaves the app; True when it was handed to the system browser.

    Only ``http``, ``https`` and ``mailto`` are offered (with the full URL shown, Cancel the default);
    anything else (``javascript:``, ``data:``, ``file:``, ...) is refused with a message.
    """
    shown = link_text(url)
    if len(shown) > 2000:
        shown = shown[:2000] + "…"
    if url.scheme().lower() not in EXTERNAL_SCHEMES or not url.isValid():
        box = QMessageBox(QMessageBox.Icon.Warning, "Link not opened",
                          "This link was not opened: only web (http, https) and e-mail (mailto) links "
                          f"can be opened from an article or a note.\n\n{shown}",
                          QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        box.deleteLater()
        return False
    box = QMessageBox(QMessageBox.Icon.Question, "Open link?",
                      f"Open this link in your web browser?\n\n{shown}",
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    copy = box.addButton("Copy link", QMessageBox.ButtonRole.ActionRole)
    answer = box.exec()
    copied = box.clickedButton() is copy
    box.deleteLater()
    if copied:
        QGuiApplication.clipboard().setText(link_text(url))
        return False
    if answer != QMessageBox.StandardButton.Open:
        return False
    QDesktopServices.openUrl(url)
    return True


class OfflineTextBrowser(QTextBrowser):
    """A QTextBrowser that never loads anything: no remote or local images, stylesheets or pages.

    Whatever a document references (``<img src>``, ``<link rel=stylesheet>``, a clicked link) is
    refused in :meth:`loadResource`; the refused URLs are kept in ``refused_resources`` (the newest
    200 distinct ones). Links are never followed inside the browser (``setOpenLinks(False)``): its owner handles
    ``anchorClicked``, through :func:`confirm_open_link` for anything that leaves the app.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.refused_resources: list[str] = []

    def loadResource(self, type: int, name: QUrl | str) -> object:  # noqa: A002, N802 - Qt's API
        url = link_text(QUrl(name))
        if url not in self.refused_resources:  # Qt asks again on every layout: keep each URL once
            self.refused_resources = [*self.refused_resources[-199:], url]
        return None


class ArticleBrowser(OfflineTextBrowser):
    """A QTextBrowser that keeps the text to a comfortable measure, centred in the pane.

    Nothing is ever loaded (see :class:`OfflineTextBrowser`). Links open in the system browser after
    a confirmation, except the app's own (``reader-retry:``), which the pane handles.
    Signals: context_menu_about_to_show(QMenu, QPoint) lets features add menu items.
    """

    context_menu_about_to_show = Signal(QMenu, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleBody")
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.measure_factor = 1.0  # 2.0 side by side

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_measure()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        self.context_menu_about_to_show.emit(menu, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def apply_measure(self, doc: QTextDocument | None = None) -> None:
        """Centre the text at the reading measure (``doc``: a document about to be shown)."""
        doc = doc or self.document()
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
        # A completion accepted with Down+Enter is written into the field after this signal (by
        # the completer's own Enter handling): clear it again once that has happened.
        QTimer.singleShot(0, self.editor.clear)
        for name in names:
            self.tag_add_requested.emit(name)


#: builds one context-menu section: (menu, point in viewport coordinates) -> its items (none: skipped)
MenuBuilder = Callable[[QMenu, QPoint], "Sequence[QAction | QMenu]"]


@dataclass(frozen=True)
class MenuSection:
    """One section of the body's context menu: ``order`` < 0 goes above the standard items (Copy,
    Select All), >= 0 below them; sections are separated by separators, lowest order first."""

    name: str
    order: int
    build: MenuBuilder


#: The detector's confidence (langdetect's own probability) is shown only below this: a sure
#: answer (0.99+ on most articles) needs no number, a close call (0.57-0.71 on mixed text) does.
SHOW_CONFIDENCE_BELOW = 0.95


class ReaderPane(QWidget):
    """The right pane. See the module docstring for its signals."""

    translate_mode_changed = Signal(str)
    tag_add_requested = Signal(str)
    tag_remove_requested = Signal(str)
    paragraph_retry_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self._article: Article | None = None
        self._translated: list[str | None] | None = None
        self._translated_title: str | None = None
        self._errors: dict[int, str] = {}
        self._right_cells: list[tuple[QTextTable, int]] = []  # side by side: paragraph -> (table, row)
        self._rendered_mode = "original"
        self._body_fmt = QTextCharFormat()
        self._mode = "original"
        self._terms: list[Term] = []
        self._para_pos: list[int] = []
        self._para_text: list[str] = []
        self._title_pos = 0
        self.reading_font = QFont("DejaVu Serif")
        self.reading_font.setPointSize(13)
        self._unavailable_reason = NO_ENGINE
        self._menu_sections: list[MenuSection] = []
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
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.context_menu_about_to_show.connect(self._on_browser_context_menu_about_to_show)
        layout.addWidget(self.browser, 1)
        self.placeholder = QLabel("No article selected", self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder, 1)
        self.show_article(None)

    # --- public API -----------------------------------------------------------------------------
    def set_translation_available(self, available: bool, reason: str = "") -> None:
        """Whether the shown article can be translated, and why not: enables the translated modes
        (their tooltips say why not) and is what the info bar says when a translated mode is asked
        for without a translation."""
        self._unavailable_reason = "" if available else (reason or NO_ENGINE)
        for key in ("translation", "side_by_side"):
            action = self.mode_actions[key]
            action.setEnabled(available)
            label = dict(MODES)[key]
            action.setToolTip(f"Show {label.lower()} (t cycles)" if available else f"Not translated: {reason}")

    def translation_unavailable_reason(self) -> str:
        """Why the shown article cannot be translated ("" when it can)."""
        return self._unavailable_reason

    def add_menu_section(self, name: str, build: MenuBuilder, *, order: int) -> None:
        """Add (or replace, by ``name``) a section of the body's context menu; see :class:`MenuSection`."""
        self._menu_sections = [m for m in self._menu_sections if m.name != name]
        self._menu_sections.append(MenuSection(name, order, build))
        self._menu_sections.sort(key=lambda m: m.order)

    def add_bar(self, bar: QWidget) -> None:
        """Put a feature's bar (e.g. the translation bar) under the info bar, above the tag row."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.tag_row), bar)

    def _on_browser_context_menu_about_to_show(self, menu: QMenu, pos: QPoint) -> None:
        standard = menu.actions()
        first = standard[0] if standard else None
        for section in self._menu_sections:
            items = list(section.build(menu, pos))
            if not items:
                continue
            actions = [item.menuAction() if isinstance(item, QMenu) else item for item in items]
            if section.order < 0 and first is not None:  # above the standard items
                menu.insertActions(first, actions)
                menu.insertSeparator(first)
                continue
            if menu.actions():
                menu.addSeparator()
            menu.addActions(actions)

    def article(self) -> Article | None:
        return self._article

    def add_toolbar_action(self, action: QAction) -> None:
        """An article action on the pane's toolbar (after the translate modes)."""
        self.toolbar.addAction(action)

    def set_known_tags(self, names: Sequence[str]) -> None:
        """The library's tags, offered while typing in the tag row."""
        self.tag_row.set_known_tags(names)

    def has_selection(self) -> bool:
        """Whether some of the article's text is selected."""
        return self.browser.textCursor().hasSelection()

    def clear_selection(self) -> None:
        cursor = self.browser.textCursor()
        cursor.clearSelection()
        self.browser.setTextCursor(cursor)

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
        self._translated_title, self._errors = None, {}
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

    def present(self, article: Article | None, terms: Sequence[Term], *, keep_scroll: bool = False) -> None:
        """Show an article for reading: search matches marked; scrolled to where reading resumes
        (kept when ``keep_scroll``, else the first match of a search, else the saved position)."""
        fraction = self.scroll_fraction() if keep_scroll else None
        self.show_article(article)
        self.set_search_terms(terms)
        if article is None:
            return
        if fraction is not None:
            self.set_scroll_fraction(fraction)
        elif terms and self.highlight_count():
            self.scroll_to_first_highlight()
        elif article.read_position > 0:
            self.set_scroll_fraction(article.read_position)

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

    def set_translation(self, paragraphs: Sequence[str | None] | None, title: str | None = None,
                        errors: dict[int, str] | None = None) -> None:
        """The shown article's translation as known now (None = not translated), its title and the
        paragraphs that failed (index -> one-line reason; -1 = the title); the scroll is kept."""
        if self._article is None:
            return
        old, old_title, old_errors = self._translated, self._translated_title, self._errors
        self._translated = list(paragraphs) if paragraphs is not None else None
        self._translated_title = title
        self._errors = dict(errors or {})
        if self._mode == "original":
            return
        if not self._patch(old, old_title, old_errors):
            self._render(keep_scroll=True)

    def _patch(self, old: list[str | None] | None, old_title: str | None, old_errors: dict[int, str]) -> bool:
        """Show newly arrived paragraphs in place (no new document, no full layout); False when the
        change needs a full render (title, errors, or a different view)."""
        n = len(self._para_pos)
        old = old if old is not None else [None] * n  # "nothing translated yet" either way
        new = self._translated if self._translated is not None else [None] * n
        if (len(old) != n or len(new) != n
                or old_title != self._translated_title or old_errors != self._errors or self._rendered_mode != self._mode
                or (self._mode == "side_by_side" and len(self._right_cells) != n)):
            return False
        changed = [i for i in range(n) if new[i] != old[i]]
        if not changed:
            return True
        if any(not new[i] for i in changed) or len(changed) > n // 2 + 1:
            return False
        doc = self.browser.document()
        batch = QTextCursor(doc)
        batch.beginEditBlock()  # one layout pass for all of them
        for i in changed:
            text = str(new[i])
            cursor = QTextCursor(doc)
            if self._mode == "side_by_side":
                table, row = self._right_cells[i]
                cell = table.cellAt(row, 1)
                start, end = cell.firstCursorPosition().position(), cell.lastCursorPosition().position()
            else:
                start = self._para_pos[i]
                cursor.setPosition(start)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                end = cursor.position()
                self._para_text[i] = text
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(text, self._body_fmt)
            delta = to_utf16(text, len(text)) - (end - start)
            if delta:
                self._para_pos = [pos + delta if pos > start else pos for pos in self._para_pos]
        batch.endEditBlock()
        self._apply_highlights()
        return True

    def translated_title(self) -> str | None:
        return self._translated_title

    def paragraph_at(self, pos: QPoint) -> int | None:
        """The paragraph under a viewport point (either column side by side); None outside them."""
        cursor = self.browser.cursorForPosition(pos)
        position = cursor.position()
        table = cursor.currentTable()
        if table is not None:  # the right column: the paragraph whose original starts the row
            position = table.cellAt(table.cellAt(cursor).row(), 0).firstCursorPosition().position()
        i = bisect_right(self._para_pos, position) - 1
        return i if 0 <= i < len(self._para_pos) else None

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == RETRY_SCHEME:
            try:
                self.paragraph_retry_requested.emit(int(url.path()))
            except ValueError:
                pass
        else:
            confirm_open_link(self, url)

    def _insert_failed_mark(self, cursor: QTextCursor, index: int, size: float) -> None:
        """:data:`FAILED_MARK`, small and muted: the reason goes in its tooltip, not in the text (the
        translation bar says it once for the whole article, with Retry); clicking it retries."""
        mark = QTextCharFormat()
        mark.setFontPointSize(size * 0.75)
        mark.setFontFamilies([QFont().family()])
        mark.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        mark.setAnchor(True)
        mark.setAnchorHref(f"{RETRY_SCHEME}:{index}")
        mark.setToolTip(f"Not translated: {self._errors[index]}. Click to try again.")
        cursor.insertText(FAILED_MARK, mark)

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

    def paragraph_text(self, index: int) -> str:
        """The text shown for paragraph ``index`` (its translation in Translation mode)."""
        return self._para_text[index]

    def translated_paragraphs(self) -> list[str | None]:
        """The translated paragraphs the pane holds (None: not translated); [] when none."""
        return list(self._translated or [])

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

    def at_end(self) -> bool:
        """Whether the body is scrolled to its end (or fits the pane): Space then goes on to the
        next unread article. The document is laid out first, so a long article that has just been
        shown is not taken for a short one."""
        self.browser.document().documentLayout().documentSize()
        bar = self.browser.verticalScrollBar()
        return bar.value() >= bar.maximum()

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    # --- rendering ------------------------------------------------------------------------------
    def _on_mode_action_triggered(self, action: QAction) -> None:
        self.set_mode(str(action.data()))

    def _translation_ready(self) -> bool:
        return self._translated is not None and any(t for t in self._translated)

    def _translation_is_the_original(self) -> bool:
        """Every translated paragraph is its original again (an echo from the provider)."""
        if self._article is None or not self._translation_ready():
            return False
        assert self._translated is not None
        pairs = [(o, t) for o, t in zip(self._article.paragraphs, self._translated, strict=False) if t]
        return bool(pairs) and all(" ".join(o.split()) == " ".join(t.split()) for o, t in pairs)

    def _render(self, keep_scroll: bool) -> None:
        fraction = self.scroll_fraction() if keep_scroll else 0.0
        article = self._article
        if article is None:
            self.browser.clear()
            self._para_pos, self._para_text = [], []
            self.info_bar.hide_message()
            return
        mode = self._mode
        # Nothing to show beside or instead of the original: the article cannot be translated now
        # (already in the target language, "never translate"), or its translation only repeats it.
        # Say why, once, and show the original alone (never the same text twice).
        echo = self._translation_is_the_original()
        why = self._unavailable_reason if not self._translation_ready() or echo else ""
        if not why and echo:
            why = "the translation is the same text as the original (is the article already in that language?)"
        if mode != "original" and why:
            self.info_bar.show_message(f"Translation is not available: {why}", kind="info")
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
        shown_title = article.title
        if mode == "translation" and self._translated_title:
            shown_title = self._translated_title
        cursor.insertText(shown_title, title_fmt)
        if mode == "side_by_side" and self._translated_title and self._translated_title != article.title:
            sub_fmt = QTextCharFormat(title_fmt)
            sub_fmt.setFontPointSize(size * 1.15)
            sub_fmt.setFontWeight(QFont.Weight.Normal)
            sub_fmt.setForeground(muted)
            cursor.insertBlock(block)
            cursor.insertText(self._translated_title, sub_fmt)
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
        if article.lang_overridden:
            lang += " (set by you)"
        elif article.lang != "und" and article.lang_confidence < SHOW_CONFIDENCE_BELOW:
            lang += f", {article.lang_confidence:.0%} confidence"  # only when it is low enough to matter
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
        self._body_fmt = body_fmt
        self._right_cells = []
        self._rendered_mode = mode
        if mode == "side_by_side":
            self.browser.measure_factor = 2.0
            table_fmt = QTextTableFormat()
            table_fmt.setBorder(0)
            table_fmt.setCellPadding(0)
            table_fmt.setCellSpacing(0)
            table_fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            table_fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 50)] * 2)
            translated = self._translated or []
            table: QTextTable | None = None
            for i, text in enumerate(originals):
                row = i % CHUNK_ROWS
                if row == 0:
                    cursor = QTextCursor(doc)
                    cursor.movePosition(QTextCursor.MoveOperation.End)
                    cursor.insertBlock(QTextBlockFormat())
                    table = cursor.insertTable(min(CHUNK_ROWS, len(originals) - i), 2, table_fmt)
                assert table is not None
                self._right_cells.append((table, row))
                for col, cell_text in ((0, text), (1, translated[i] if i < len(translated) else None)):
                    cell = table.cellAt(row, col)
                    cell_fmt = cell.format().toTableCellFormat()
                    cell_fmt.setBottomPadding(size * 0.9)  # block margins are not kept inside cells
                    cell.setFormat(cell_fmt)
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
                    elif not cell_text and i in self._errors:
                        self._insert_failed_mark(cell_cursor, i, size)
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
            failed = self._errors if mode == "translation" else {}
            for i, text in enumerate(texts):
                cursor.insertBlock(para_block)
                self._para_pos.append(cursor.position())
                self._para_text.append(text)
                cursor.insertText(text, body_fmt)
                if i in failed and not (self._translated and i < len(self._translated) and self._translated[i]):
                    cursor.insertText("  ", body_fmt)
                    self._insert_failed_mark(cursor, i, size)
        self.browser.apply_measure(doc)  # before it is shown: the document is laid out once
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
                c.setPosition(base + to_utf16(text, start))
                c.setPosition(base + to_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
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
