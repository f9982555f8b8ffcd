"""A list model of highlights: an article's (the annotations panel) or a library-wide page set
(the All-highlights view), loaded lazily a page at a time.

The model keeps only the rows fetched so far. With ``total`` set larger than what is loaded,
``canFetchMore`` is true and ``fetchMore`` asks the owner for the next page through the
``page_needed`` signal (the owner fetches it off the GUI thread and calls :meth:`append_rows`).

Signals:
    page_needed(int): the view scrolled near the end: load rows from this offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from reader.core.models import Highlight, HighlightRow

HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 10
ROW_ROLE = Qt.ItemDataRole.UserRole + 11
ID_ROLE = Qt.ItemDataRole.UserRole + 12

_Index = QModelIndex | QPersistentModelIndex


class HighlightListModel(QAbstractListModel):
    """See the module docstring."""

    page_needed = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HighlightRow | Highlight] = []
        self._total = 0
        self._fetching = False

    # --- feeding ----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[HighlightRow | Highlight], total: int | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._total = len(self._rows) if total is None else max(total, len(self._rows))
        self._fetching = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[HighlightRow | Highlight]) -> None:
        self._fetching = False
        if not rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self._total = max(self._total, len(self._rows))

    def total(self) -> int:
        return self._total

    def loaded(self) -> int:
        return len(self._rows)

    def highlight_at(self, row: int) -> Highlight | None:
        if not 0 <= row < len(self._rows):
            return None
        item = self._rows[row]
        return item.highlight if isinstance(item, HighlightRow) else item

    def row_at(self, row: int) -> HighlightRow | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, HighlightRow) else None

    def row_of(self, highlight_id: int) -> int | None:
        for i in range(len(self._rows)):
            h = self.highlight_at(i)
            if h is not None and h.id == highlight_id:
                return i
        return None

    # --- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        h = self.highlight_at(index.row())
        if h is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return h.translated_quote if h.view == "translation" and h.translated_quote else h.quote
        if role == Qt.ItemDataRole.ToolTipRole:
            return h.note or None
        if role == HIGHLIGHT_ROLE:
            return h
        if role == ROW_ROLE:
            return self.row_at(index.row())
        if role == ID_ROLE:
            return h.id
        return None

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetching = True
            self.page_needed.emit(len(self._rows))
