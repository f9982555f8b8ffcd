"""The article list: a QTableView over :class:`ArticleTableModel` (lazy, SQL-sorted).

Signals:
    article_selected(int): the current row changed to this article id (0: none).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from reader.gui.models.article_model import (
    COL_ADDED,
    COL_DATE,
    COL_LANG,
    COL_SOURCE,
    COL_STAR,
    COL_TAGS,
    COL_TITLE,
    HEADERS,
    LEAD_ROLE,
    SORT_KEYS,
    ArticleTableModel,
)

#: Columns that step aside, in this order, when the list is too narrow for the titles.
NARROW_ORDER = (COL_SOURCE, COL_LANG, COL_DATE)
TITLE_MIN = 150
#: Columns whose first click sorts descending (newest first).
NEWEST_FIRST = frozenset({COL_DATE, COL_ADDED})


class ListDelegate(QStyledItemDelegate):
    """The list's cells, drawn as Qt draws them, but from Python: while a background thread runs
    Python (a feeds refresh extracting pages), every call from Qt's C++ into the model's ``data()``
    must win the GIL back, ~1 ms each, and a repaint asks ~1,000 of them (measured: 320 ms to repaint
    a 1,000-row table beside a busy thread). Entering Python once per cell and letting Qt's C++ ask
    the model from there keeps the GIL for the whole cell: the same repaint takes ~57 ms."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index)


class TwoLineTitleDelegate(ListDelegate):
    """The title cell of a two-line row: the title (bold while unread), and under it the first
    words of the text, muted, both elided to the column (like NetNewsWire's timeline)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = opt.rect.adjusted(6, 3, -6, -3)
        half = rect.height() // 2
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        top = QRect(rect.left(), rect.top(), rect.width(), half)
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         opt.fontMetrics.elidedText(title, Qt.TextElideMode.ElideRight, top.width()))
        lead = str(index.data(LEAD_ROLE) or "")
        if lead:
            font = QFont(opt.font)
            font.setBold(False)
            painter.setFont(font)
            muted = opt.palette.color(group, text_role if selected else QPalette.ColorRole.PlaceholderText)
            painter.setPen(muted)
            bottom = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
            metrics = painter.fontMetrics()
            painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             metrics.elidedText(lead, Qt.TextElideMode.ElideRight, bottom.width()))
        painter.restore()


class ArticleList(QTableView):
    """The middle pane. See the module docstring for its signal."""

    article_selected = Signal(int)

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleList")
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.setSortingEnabled(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        vh = self.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 14)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(COL_STAR, QHeaderView.ResizeMode.Fixed)
        hh.setMinimumSectionSize(24)
        widths = {COL_STAR: 26, COL_SOURCE: 96, COL_DATE: 88, COL_LANG: 46, COL_TAGS: 110, COL_ADDED: 86}
        for col, width in widths.items():
            self.setColumnWidth(col, width)
        for col in (COL_TAGS, COL_ADDED):
            self.setColumnHidden(col, True)
        hh.setSortIndicator(COL_ADDED, Qt.SortOrder.DescendingOrder)
        self._sort_section = COL_ADDED
        self._one_line_delegate = ListDelegate(self)
        self.setItemDelegate(self._one_line_delegate)
        self._auto_hidden: dict[int, int] = {}  # column -> its width when it stepped aside
        hh.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._on_header_context_menu)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        # rows inserted or removed above the ones in view (new feed articles) keep those in place
        model.rowsInserted.connect(lambda _p, first, last: self._keep_in_view(first, last - first + 1))
        model.rowsAboutToBeRemoved.connect(lambda _p, first, last: self._keep_in_view(first, first - last - 1))

    def _keep_in_view(self, first: int, delta: int) -> None:
        """``delta`` rows appear (or go) at ``first``: when that is above the top row in view, scroll
        by as much so what the person looks at stays where it is; at the very top of the list the
        view stays there (the new rows show up above)."""
        bar = self.verticalScrollBar()
        if bar.value() <= 0 or not self.isVisible():
            return
        top = self.rowAt(0)
        if top < 0 or first > top:
            return
        height = self.verticalHeader().defaultSectionSize()
        if delta > 0:
            bar.setMaximum(bar.maximum() + delta * height)
        bar.setValue(max(0, bar.value() + delta * height))

    def _on_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        """A first click on Date or Added sorts newest first (as mail and feed readers do); a
        second click on the same column flips it, as on any column."""
        previous, self._sort_section = self._sort_section, section
        if section != previous and section in NEWEST_FIRST and order == Qt.SortOrder.AscendingOrder:
            self.horizontalHeader().setSortIndicator(section, Qt.SortOrder.DescendingOrder)

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction,  # noqa: N802,N803 - Qt's names
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and the last article (a table's default moves along the
        row); with Ctrl they do the same, as before."""
        rows = self._model.total()
        if rows and cursorAction in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd):
            row = 0 if cursorAction == QAbstractItemView.CursorAction.MoveHome else rows - 1
            column = self.currentIndex().column() if self.currentIndex().isValid() else COL_TITLE
            return self._model.index(row, column)
        return super().moveCursor(cursorAction, modifiers)

    # --- a narrow list keeps its titles: Source, then Lang, then Date step aside ---------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide the columns of :data:`NARROW_ORDER` (those the person shows) while the title would
        get less than :data:`TITLE_MIN` pixels, and bring them back when there is room. What the
        person chose to show or hide is kept (see :meth:`header_state`)."""
        width = self.viewport().width()
        for col in sorted(self._auto_hidden, key=NARROW_ORDER.index, reverse=True):
            if self._title_room(width) - self._auto_hidden[col] < TITLE_MIN:
                break
            self.setColumnHidden(col, False)
            self.setColumnWidth(col, self._auto_hidden.pop(col))
        for col in NARROW_ORDER:
            if self._title_room(width) >= TITLE_MIN:
                break
            if not self.isColumnHidden(col):
                self._auto_hidden[col] = self.columnWidth(col)
                self.setColumnHidden(col, True)

    def _title_room(self, width: int) -> int:
        return width - sum(self.columnWidth(c) for c in range(len(HEADERS))
                           if c != COL_TITLE and not self.isColumnHidden(c))

    def header_state(self) -> QByteArray:
        """The header as the person set it up (columns hidden only for lack of room count as shown)."""
        for col in self._auto_hidden:
            self.setColumnHidden(col, False)
        state = self.horizontalHeader().saveState()
        for col in self._auto_hidden:
            self.setColumnHidden(col, True)
        return state

    def set_two_line(self, on: bool) -> None:
        """Two-line rows (title + first words of the text) or one-line rows. The model reads the
        first words only when asked (``ArticleTableModel.set_lead_fetch``)."""
        if on == self.two_line():
            return
        self.setItemDelegateForColumn(COL_TITLE, TwoLineTitleDelegate(self) if on else self._one_line_delegate)
        line = self.fontMetrics().height()
        self.verticalHeader().setDefaultSectionSize(2 * line + 16 if on else line + 14)

    def two_line(self) -> bool:
        return isinstance(self.itemDelegateForColumn(COL_TITLE), TwoLineTitleDelegate)

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return self._model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        ids = [i for i in (self._model.id_at(r) for r in rows) if i is not None]
        current = self.current_id()
        return ids or ([current] if current is not None else [])

    def select_id(self, article_id: int | None) -> bool:
        """Make this article current (loading pages as needed). False when it is not listed."""
        row = self._model.row_of(article_id) if article_id is not None else None
        if row is None:
            return False
        self.select_row(row)
        return True

    def restore_header(self, state: QByteArray) -> tuple[str, bool] | None:
        """Restore the columns and sort indicator; returns the (sort key, descending) it shows."""
        header = self.horizontalHeader()
        if not state or not header.restoreState(state):
            return None
        self._sort_section = header.sortIndicatorSection()
        key = SORT_KEYS.get(header.sortIndicatorSection())
        return None if key is None else (key, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)

    def select_first(self, candidates: Sequence[int | None]) -> None:
        """Make the first listed of ``candidates`` current, else the first row."""
        if not any(candidate and self.select_id(candidate) for candidate in candidates):
            self.select_row(0)

    def id_after_removing(self, ids: Sequence[int]) -> int | None:
        """The article to show once ``ids`` are gone: the row after the last of them, else before."""
        model = self._model
        rows = model.rows_of(ids)
        after_row = (max(rows) + 1) if rows else self.currentIndex().row() + 1
        return model.id_at(after_row) if after_row < model.total() else model.id_at(min(rows or [0]) - 1)

    def select_row(self, row: int) -> None:
        if self._model.total() == 0:
            return
        row = max(0, min(row, self._model.total() - 1))
        self._model.ensure_loaded(row)
        index = self._model.index(row, COL_TITLE)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def step(self, step: int) -> None:
        """j / k: next / previous article."""
        index = self.currentIndex()
        self.select_row((index.row() + step) if index.isValid() else 0)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self._model.id_at(current.row()) if current.isValid() else None
        self.article_selected.emit(article_id or 0)

    def _on_header_context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col, title in enumerate(HEADERS):
            if col in (COL_TITLE,):
                continue
            action = QAction("Starred" if col == COL_STAR else title, menu)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: self.setColumnHidden(c, not on))
            menu.addAction(action)
        menu.exec(self.horizontalHeader().mapToGlobal(pos))
