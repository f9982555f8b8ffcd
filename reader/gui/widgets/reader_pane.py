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
from typing import Any

from PySide6.QtCore import QPoint, QRect, QRectF, QStringListModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextLength,
    QTextLine,
    QTextList,
    QTextListFormat,
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

from reader.core.models import Article, Block, ImageInfo
from reader.core.query import Term
from reader.core.text import paragraph_spans, to_utf16
from reader.core.textmatch import find_matches
from reader.gui.langnames import language_label
from reader.gui.widgets.message_bar import MessageBar
from reader.gui.widgets.picture_viewer import (
    PICTURE_SCHEME,
    PictureCache,
    PictureViewer,
    decode_width,
    fit_size,
)

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


# --- the article's shape ---------------------------------------------------------------------------
def layout_blocks(article: Article) -> list[Block]:
    """The article's blocks as the pane lays them out: its stored structure, when the blocks with
    text are exactly its paragraphs (the storage invariant), else one paragraph block each."""
    blocks = article.blocks
    paragraphs = article.paragraphs
    if sum(1 for b in blocks if b.end > b.start) == len(paragraphs) and blocks:
        return list(blocks)
    return [Block("paragraph", s, e) for s, e in paragraph_spans(article.body)]


def shown_text(kind: str, text: str) -> str:
    """A paragraph's text as put in the document: a preformatted block keeps its line breaks as
    line separators (one character each, like the "\n" they stand for), so it stays one block."""
    return text.replace("\n", "\u2028") if kind == "pre" else text


def marker(cursor: QTextCursor) -> QTextCursor:
    """A cursor that stays where ``cursor`` is while text is inserted there (and moves with edits
    before it): it marks a block of the document being built."""
    mark = QTextCursor(cursor)
    mark.setKeepPositionOnInsert(True)
    return mark


@dataclass(eq=False)
class Figure:
    """A picture in the pane's document: ``cursor`` sits just before it (and follows edits)."""

    cursor: QTextCursor
    sha: str
    natural_width: int
    natural_height: int
    alt: str
    width: int  # drawn at (logical pixels)
    height: int

    @property
    def name(self) -> str:
        return f"{PICTURE_SCHEME}:{self.sha}"


def _cursor_x(line: QTextLine, index: int) -> float:
    """QTextLine.cursorToX as a number (PySide returns it with the index it moved to)."""
    x: Any = line.cursorToX(index)
    return float(x[0] if isinstance(x, tuple) else x)


class _Lists:
    """The open lists while laying out list items: one QTextList per depth, continued while items
    of the same kind follow (numbers go on), started again after anything else."""

    def __init__(self) -> None:
        self._open: dict[int, tuple[bool, QTextList]] = {}

    def reset(self) -> None:
        self._open = {}

    def add(self, cursor: QTextCursor, depth: int, ordered: bool) -> None:
        depth = max(0, min(depth, 8))
        self._open = {d: v for d, v in self._open.items() if d <= depth}
        current = self._open.get(depth)
        if current is not None and current[0] == ordered:
            current[1].add(cursor.block())
            return
        fmt = QTextListFormat()
        if ordered:
            fmt.setStyle(QTextListFormat.Style.ListDecimal)
        else:
            fmt.setStyle((QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle,
                          QTextListFormat.Style.ListSquare)[depth % 3])
        fmt.setIndent(depth + 1)
        self._open[depth] = (ordered, cursor.createList(fmt))


#: heading sizes by level, relative to the reading size
HEADING_SCALE = {1: 1.32, 2: 1.2, 3: 1.1, 4: 1.0, 5: 0.95, 6: 0.9}


class BlockStyles:
    """The block and character formats of each kind of block, for one reading size and palette."""

    def __init__(self, size: float, pal: QPalette, para_block: QTextBlockFormat, body_fmt: QTextCharFormat) -> None:
        self.size = size
        self.para_block = para_block
        self.body_fmt = body_fmt
        text = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        base = pal.color(QPalette.ColorRole.Base)
        self.muted = muted
        self.quote_color = QColor(
            (text.red() + muted.red()) // 2, (text.green() + muted.green()) // 2, (text.blue() + muted.blue()) // 2)
        dark = base.lightness() < 128
        self.shade = QColor(base).lighter(125) if dark else QColor(base).darker(104)
        self.ui_family = QFont().family()
        self.missing_fmt = QTextCharFormat()
        self.missing_fmt.setForeground(muted)
        self.missing_fmt.setFontItalic(True)
        self.missing_fmt.setFontPointSize(size * 0.85)
        self.missing_fmt.setFontFamilies([self.ui_family])

    def formats(self, kind: str, b: Block) -> tuple[QTextBlockFormat, QTextCharFormat]:
        size = self.size
        bf = QTextBlockFormat(self.para_block)
        cf = QTextCharFormat(self.body_fmt)
        if kind == "heading":
            level = b.level if 1 <= b.level <= 6 else 2
            bf.setHeadingLevel(level)
            bf.setTopMargin(size * (1.0 if level <= 2 else 0.7))
            bf.setBottomMargin(size * 0.5)
            bf.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            cf.setFontWeight(QFont.Weight.Bold)
            cf.setFontPointSize(size * HEADING_SCALE[level])
        elif kind == "list_item":
            bf.setBottomMargin(size * 0.35)
        elif kind == "quote":
            bf.setLeftMargin(size * 1.6 * (b.depth + 1))
            cf.setForeground(self.quote_color)
        elif kind == "pre":
            bf.setNonBreakableLines(True)
            bf.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            bf.setBackground(self.shade)
            bf.setLeftMargin(size * 0.4)
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            cf.setFontFamilies([mono.family(), "DejaVu Sans Mono", "monospace"])
            cf.setFontFixedPitch(True)
            cf.setFontPointSize(size * 0.82)
        elif kind == "table_row":
            bf.setBackground(self.shade)
            bf.setBottomMargin(size * 0.15)
            bf.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            cf.setFontFamilies([self.ui_family])
            cf.setFontPointSize(size * 0.88)
        elif kind == "caption":
            bf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            bf.setBottomMargin(size * 1.2)
            bf.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            cf.setFontPointSize(size * 0.85)
            cf.setForeground(self.muted)
            cf.setFontFamilies([self.ui_family])
        return bf, cf

    def rule_block(self) -> QTextBlockFormat:
        bf = QTextBlockFormat()
        bf.setTopMargin(self.size * 0.6)
        bf.setBottomMargin(self.size * 1.2)
        bf.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
                       QTextLength(QTextLength.Type.PercentageLength, 100))
        return bf

    def figure_block(self, *, has_caption: bool, available: bool) -> QTextBlockFormat:
        bf = QTextBlockFormat()
        bf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        bf.setTopMargin(self.size * 0.5)
        bf.setBottomMargin(self.size * (0.45 if has_caption else 1.1))
        if not available:
            bf.setBackground(self.shade)
            bf.setLineHeight(200, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return bf


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
        self._placeholder: QPixmap | None = None

    def picture_placeholder(self) -> QPixmap:
        """What a stored picture shows until it is decoded: a soft box, stretched to its size."""
        if self._placeholder is None:
            self._placeholder = QPixmap(1, 1)
            base = self.palette().color(QPalette.ColorRole.Base)
            self._placeholder.fill(base.lighter(130) if base.lightness() < 128 else base.darker(108))
        return self._placeholder

    def loadResource(self, type: int, name: QUrl | str) -> object:  # noqa: A002, N802 - Qt's API
        qurl = QUrl(name)
        if qurl.scheme() == PICTURE_SCHEME:  # a stored picture not decoded yet: an empty box
            return self.picture_placeholder()
        url = link_text(qurl)
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
    picture_clicked = Signal(object)
    column_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleBody")
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.measure_factor = 1.0  # 2.0 side by side
        self.figures: list[Figure] = []  # the pictures of the shown document (set by the pane)
        self.quotes: list[QTextCursor] = []  # a cursor in each quote block (its bar is painted here)
        self._press: QPoint | None = None
        self._column_seen = 0  # the column width column_changed last told

    def figure_rect(self, fig: Figure) -> QRect:
        """Where a picture is drawn, in viewport coordinates."""
        doc = self.document()
        block = doc.findBlock(fig.cursor.position())
        rect = doc.documentLayout().blockBoundingRect(block)
        line = block.layout().lineForTextPosition(fig.cursor.position() - block.position())
        x = rect.left() + (_cursor_x(line, fig.cursor.position() - block.position()) if line.isValid() else 0)
        y = rect.top() + (line.y() if line.isValid() else 0)
        if line.isValid():
            y += line.height() - fig.height - line.descent()  # the picture sits on the baseline
        return QRect(round(x) - self.horizontalScrollBar().value(), round(y) - self.verticalScrollBar().value(),
                     fig.width, fig.height)

    def figure_at(self, pos: QPoint) -> Figure | None:
        for fig in self.figures:
            if self.figure_rect(fig).adjusted(-2, -2, 2, 2).contains(pos):
                return fig
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if (press is None or event.button() != Qt.MouseButton.LeftButton
                or (pos - press).manhattanLength() > 4 or self.textCursor().hasSelection()):
            return
        fig = self.figure_at(pos)
        if fig is not None:
            self.picture_clicked.emit(fig)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton and self.figures:
            over = self.figure_at(event.position().toPoint()) is not None
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.quotes:
            return
        doc = self.document()
        layout = doc.documentLayout()
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        height = self.viewport().height()
        painter = QPainter(self.viewport())
        color = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for quote in self.quotes:
            block = quote.block()
            rect = layout.blockBoundingRect(block)
            top, bottom = rect.top() - dy + 2, rect.bottom() - dy - 2
            if bottom < 0 or top > height:
                continue
            x = rect.left() + block.blockFormat().leftMargin() - 14 - dx
            painter.fillRect(QRectF(x, top, 3, max(1.0, bottom - top)), color)
        painter.end()

    def measure_width(self, factor: float | None = None, doc: QTextDocument | None = None) -> int:
        """The reading measure in pixels (``factor``: 2.0 side by side; default: the current one)."""
        doc = doc or self.document()
        char_w = self.fontMetrics().averageCharWidth()
        font = doc.defaultFont()
        if font.pointSizeF() > 0:
            char_w = max(char_w, int(font.pointSizeF() * 0.55 * self.logicalDpiX() / 72))
        return int(MEASURE_CHARS * char_w * (self.measure_factor if factor is None else factor))

    def column_width(self, doc: QTextDocument | None = None) -> int:
        """The width of the text column now (the viewport less the margins that centre it)."""
        doc = doc or self.document()
        fmt = doc.rootFrame().frameFormat()
        return max(16, int(self.viewport().width() - fmt.leftMargin() - fmt.rightMargin()))

    def figure_width(self) -> int:
        """The widest a picture is drawn: the text column with the vertical scrollbar shown (a long
        article shows it once laid out; its appearing must not re-fit every picture) and no wider
        than the single-column measure (side by side, a picture spans both columns at that width)."""
        bar = self.verticalScrollBar()
        width = self.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
        side = max(28, (width - self.measure_width()) // 2)
        return max(16, min(width - 2 * side, self.measure_width(1.0)))

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
        shown = doc is None or doc is self.document()
        doc = doc or self.document()
        measure = self.measure_width(doc=doc)
        side = max(28, (self.viewport().width() - measure) // 2)
        root = doc.rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)
        if shown and self.figure_width() != self._column_seen:
            self._column_seen = self.figure_width()
            self.column_changed.emit()


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
    pictures_wanted = Signal(int, object)
    full_picture_wanted = Signal(str)
    pictures_settled = Signal()

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
        self._para_fmt: list[QTextCharFormat] = []  # each paragraph's character format (its kind)
        self._right_fmt: list[QTextCharFormat] = []  # side by side: the translated cell's
        self._figures: list[Figure] = []
        self._spacers: list[QTextCursor] = []  # a cursor in each block that is no paragraph
        self._quotes: list[QTextCursor] = []
        self._styles_now: BlockStyles | None = None
        self._infos: dict[str, ImageInfo] = {}
        self._column = 600
        #: decoded pictures of the articles read lately (bounded); the ones asked for and not back yet
        self.picture_cache = PictureCache()
        self._pending: dict[str, int] = {}
        self._pending_article: int | None = None
        self.picture_viewer: PictureViewer | None = None
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
        self.browser.picture_clicked.connect(self._on_browser_picture_clicked)
        self.browser.column_changed.connect(self._refit_figures)
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
            fmts = self._right_fmt if self._mode == "side_by_side" else self._para_fmt
            kind = "pre" if cursor.blockFormat().nonBreakableLines() else ""
            cursor.insertText(shown_text(kind, text), fmts[i] if i < len(fmts) else self._body_fmt)
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
        elif cursor.block().blockNumber() in {c.block().blockNumber() for c in self._spacers}:
            return None  # a picture, a rule: no paragraph
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

    def translation_cell(self, index: int) -> int | None:
        """Side by side: where paragraph ``index``'s translated cell starts (None in other views).
        The rows are in several tables (a picture or a rule spans both columns between them)."""
        if self._rendered_mode != "side_by_side" or not 0 <= index < len(self._right_cells):
            return None
        table, row = self._right_cells[index]
        return table.cellAt(row, 1).firstCursorPosition().position()

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
            self._para_pos, self._para_text, self._para_fmt, self._right_fmt = [], [], [], []
            self._figures, self._spacers, self._quotes = [], [], []
            self.browser.figures, self.browser.quotes = [], []
            self._pending, self._pending_article = {}, None
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
        self._para_pos, self._para_text, self._para_fmt, self._right_fmt = [], [], [], []
        self._body_fmt = body_fmt
        self._right_cells = []
        self._figures, self._spacers, self._quotes = [], [], []
        self._rendered_mode = mode
        self._styles_now = BlockStyles(size, pal, para_block, body_fmt)
        self._infos = {info.sha256: info for info in article.images}
        items = layout_blocks(article)
        self.browser.measure_factor = 2.0 if mode == "side_by_side" else 1.0
        self.browser.apply_measure(doc)  # the column the figures are fitted to
        self._column = self.browser.figure_width()
        if mode == "side_by_side":
            self._render_side_by_side(doc, items, originals)
        else:
            texts: list[str] = list(originals)
            if mode == "translation" and self._translated is not None:
                texts = [t or o for t, o in zip(self._translated, originals, strict=False)] + originals[len(self._translated):]
            failed = self._errors if mode == "translation" else {}
            lists = _Lists()
            i = 0
            for b in items:
                if b.kind in ("rule", "image"):
                    lists.reset()
                    self._insert_spanning(cursor, b)
                    if b.kind == "rule" or b.end <= b.start:
                        continue
                kind = "caption" if b.kind == "image" else b.kind
                if i >= len(texts):
                    break
                text = texts[i]
                bf, cf = self._styles.formats(kind, b)
                cursor.insertBlock(bf, cf)
                if kind == "list_item":
                    lists.add(cursor, b.depth, b.ordered)
                else:
                    lists.reset()
                self._para_pos.append(cursor.position())
                self._para_text.append(text)
                self._para_fmt.append(cf)
                if kind == "quote":
                    self._mark_quote(cursor)
                cursor.insertText(shown_text(kind, text), cf)
                if i in failed and not (self._translated and i < len(self._translated) and self._translated[i]):
                    cursor.insertText("  ", body_fmt)
                    self._insert_failed_mark(cursor, i, size)
                i += 1
        self._add_cached_pictures(doc)
        self.browser.apply_measure(doc)  # before it is shown: the document is laid out once
        self.browser.setDocument(doc)
        self.browser.apply_measure()
        self.browser.figures = self._figures
        self.browser.quotes = self._quotes
        self._apply_highlights()
        self._request_pictures()
        if keep_scroll:
            QTimer.singleShot(0, lambda f=fraction: self.set_scroll_fraction(f))
        else:
            self.browser.verticalScrollBar().setValue(0)

    def _render_side_by_side(self, doc: QTextDocument, items: Sequence[Block], originals: Sequence[str]) -> None:
        """Original | translation, one table row per paragraph (headings beside headings, list
        items beside list items, captions beside their translation), in tables of at most
        :data:`CHUNK_ROWS` rows; a picture or a rule spans both columns, once."""
        styles = self._styles
        size = styles.size
        table_fmt = QTextTableFormat()
        table_fmt.setBorder(0)
        table_fmt.setCellPadding(0)
        table_fmt.setCellSpacing(0)
        table_fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        table_fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 50)] * 2)
        translated = self._translated or []
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        # runs of rows between the spanning things (pictures, rules)
        segments: list[Block | list[tuple[int, Block, str]]] = []
        rows: list[tuple[int, Block, str]] = []
        i = 0
        for b in items:
            if b.kind in ("rule", "image"):
                if rows:
                    segments.append(rows)
                    rows = []
                segments.append(b)
                if b.kind == "rule" or b.end <= b.start:
                    continue
            if i >= len(originals):
                break
            rows.append((i, b, "caption" if b.kind == "image" else b.kind))
            i += 1
        if rows:
            segments.append(rows)
        lists = (_Lists(), _Lists())
        for segment in segments:
            cursor = QTextCursor(doc)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            if isinstance(segment, Block):
                lists[0].reset()
                lists[1].reset()
                self._insert_spanning(cursor, segment)
                continue
            for first in range(0, len(segment), CHUNK_ROWS):
                chunk = segment[first:first + CHUNK_ROWS]
                cursor = QTextCursor(doc)
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertBlock(QTextBlockFormat())
                table = cursor.insertTable(len(chunk), 2, table_fmt)
                for row, (index, b, kind) in enumerate(chunk):
                    self._right_cells.append((table, row))
                    bf, cf = styles.formats(kind, b)
                    cell_text = translated[index] if index < len(translated) else None
                    for col in (0, 1):
                        cell = table.cellAt(row, col)
                        cell_fmt = cell.format().toTableCellFormat()
                        cell_fmt.setBottomPadding(bf.bottomMargin())  # block margins are not kept inside cells
                        cell.setFormat(cell_fmt)
                        cell_cursor = cell.firstCursorPosition()
                        fmt = QTextBlockFormat(bf)
                        if col == 0:
                            fmt.setRightMargin(fmt.rightMargin() + size * 1.2)
                        else:
                            fmt.setLeftMargin(fmt.leftMargin() + size * 1.2)
                        cell_cursor.setBlockFormat(fmt)
                        if kind == "list_item":
                            lists[col].add(cell_cursor, b.depth, b.ordered)
                        else:
                            lists[col].reset()
                        if kind == "quote":
                            self._mark_quote(cell_cursor)
                        if col == 0:
                            text = originals[index]
                            self._para_pos.append(cell_cursor.position())
                            self._para_text.append(text)
                            self._para_fmt.append(cf)
                            cell_cursor.insertText(shown_text(kind, text), cf)
                        elif not cell_text and index in self._errors:
                            self._right_fmt.append(cf)
                            self._insert_failed_mark(cell_cursor, index, size)
                        else:
                            self._right_fmt.append(cf)
                            f = QTextCharFormat(cf)
                            if not cell_text:
                                f.setForeground(muted)
                            cell_cursor.insertText(shown_text(kind, cell_text or "…"), f)

    def _insert_spanning(self, cursor: QTextCursor, b: Block) -> None:
        """A rule (a horizontal line) or a figure's picture (its caption, if any, follows as a
        paragraph): blocks that are no paragraph, so they are kept out of the paragraph table."""
        styles = self._styles
        if b.kind == "rule":
            cursor.insertBlock(styles.rule_block(), QTextCharFormat())
            self._spacers.append(marker(cursor))
            return
        info = self._infos.get(b.image) if b.image else None
        bf = styles.figure_block(has_caption=b.end > b.start, available=info is not None)
        if info is None:  # not stored: the alt text says what it was
            cursor.insertBlock(bf, styles.missing_fmt)
            self._spacers.append(marker(cursor))
            text = "Picture not available offline" + (f": {b.alt}" if b.alt.strip() else "")
            cursor.insertText(" ".join(text.split()), styles.missing_fmt)
            return
        cursor.insertBlock(bf, QTextCharFormat())
        w, h = fit_size(info.width, info.height, self._column)
        fmt = QTextImageFormat()
        fmt.setName(f"{PICTURE_SCHEME}:{info.sha256}")
        fmt.setWidth(w)
        fmt.setHeight(h)
        alt = b.alt or info.alt
        fmt.setToolTip(f"{alt} (click for full size)" if alt else "Click for full size")
        anchor = marker(cursor)  # stays before the picture (and moves with edits above it)
        cursor.insertImage(fmt)
        self._spacers.append(anchor)
        self._figures.append(Figure(anchor, info.sha256, info.width, info.height, alt, w, h))

    @property
    def _styles(self) -> BlockStyles:
        assert self._styles_now is not None, "styles are made by _render"
        return self._styles_now

    def _mark_quote(self, cursor: QTextCursor) -> None:
        """Remember a quote's block (its bar is painted by the browser)."""
        self._quotes.append(marker(cursor))

    # --- pictures ---------------------------------------------------------------------------------
    def _decode_width(self, fig: Figure) -> int:
        ratio = self.devicePixelRatioF() if self.devicePixelRatioF() > 0 else 1.0
        shown = fit_size(fig.natural_width, fig.natural_height, self.browser.measure_width(1.0))[0]
        return decode_width(shown, fig.natural_width, ratio)

    def _add_cached_pictures(self, doc: QTextDocument) -> None:
        for fig in self._figures:
            pm = self.picture_cache.get(fig.sha, self._decode_width(fig))
            if pm is not None:
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(fig.name), pm)

    def _request_pictures(self) -> None:
        """Ask for the pictures not decoded yet (``pictures_wanted``); they fill in as they come."""
        article = self._article
        if article is None:
            return
        if article.id != self._pending_article:
            self._pending_article, self._pending = article.id, {}
        wanted: list[tuple[str, int]] = []
        for fig in self._figures:
            width = self._decode_width(fig)
            if self.picture_cache.get(fig.sha, width) is not None:
                continue
            if self._pending.get(fig.sha, 0) >= width:
                continue
            self._pending[fig.sha] = width
            wanted.append((fig.sha, width))
        if wanted:
            self.pictures_wanted.emit(article.id, wanted)

    def set_picture(self, article_id: int, sha: str, image: QImage | None) -> None:
        """A decoded picture arrived (None: it could not be read; its box stays empty)."""
        if image is not None and not image.isNull():
            pm = QPixmap.fromImage(image)
            old = self.picture_cache.get(sha)
            if old is None or old.width() < pm.width():
                self.picture_cache.put(sha, pm)
        if article_id != self._pending_article or sha not in self._pending:
            return
        del self._pending[sha]
        best = self.picture_cache.get(sha)
        if best is not None and any(f.sha == sha for f in self._figures):
            doc = self.browser.document()
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"{PICTURE_SCHEME}:{sha}"), best)
            self.browser.viewport().update()
        if not self._pending:
            self.pictures_settled.emit()

    def pictures_pending(self) -> int:
        """How many of the shown article's pictures are still being decoded."""
        return len(self._pending) if self._article is not None and self._article.id == self._pending_article else 0

    def figures(self) -> list[Figure]:
        """The pictures of the shown document (position, sha256, size drawn at)."""
        return list(self._figures)

    def figure_rect(self, fig: Figure) -> QRect:
        """Where a picture is drawn, in viewport coordinates."""
        return self.browser.figure_rect(fig)

    def shown_picture(self, sha: str) -> QPixmap | None:
        """The decoded picture the document draws for ``sha`` (None: not decoded yet)."""
        return self.picture_cache.get(sha)

    def _refit_figures(self) -> None:
        """The column changed width: draw each picture at its new size (never wider than it)."""
        if not self._figures or self._styles_now is None:
            return
        doc = self.browser.document()
        self._column = self.browser.figure_width()
        edit: QTextCursor | None = None
        for fig in self._figures:
            w, h = fit_size(fig.natural_width, fig.natural_height, self._column)
            if (w, h) == (fig.width, fig.height):
                continue
            if edit is None:
                edit = QTextCursor(doc)
                edit.beginEditBlock()
            c = QTextCursor(doc)
            pos = fig.cursor.position()
            c.setPosition(pos)
            c.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = c.charFormat().toImageFormat()
            if not fmt.isValid() or fmt.name() != fig.name:
                continue
            fmt.setWidth(w)
            fmt.setHeight(h)
            c.setCharFormat(fmt)
            fig.width, fig.height = w, h
        if edit is not None:
            edit.endEditBlock()

    def _on_browser_picture_clicked(self, fig: Figure) -> None:
        """A click on a picture: its original in a window of its own (Esc closes it)."""
        if self.picture_viewer is not None:
            self.picture_viewer.close()
            self.picture_viewer.deleteLater()
        viewer = PictureViewer(fig.sha, fig.alt, self.picture_cache.get(fig.sha), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.picture_viewer = viewer
        viewer.show()
        self.full_picture_wanted.emit(fig.sha)

    def set_full_picture(self, sha: str, image: QImage | None) -> None:
        """The original of the picture the viewer shows arrived."""
        if self.picture_viewer is not None and self.picture_viewer.sha == sha:
            self.picture_viewer.set_image(image)

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
