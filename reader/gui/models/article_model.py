"""The article list model: a lazy QAbstractTableModel over a list of ids.

The controller gives the model the ids a filter selects, already sorted in SQL; the model has a row
for every one of them from the start (so End reaches the last of 100,000 articles in one press and
the scrollbar shows the position in the whole list) but fetches the light rows
(:class:`ArticleSummary`) only for the blocks that are painted, on demand, through a fetch function
(a ~1 ms indexed read on the GUI thread's Library). Only a bounded number of blocks is kept, so
scrolling 100,000 rows stays small. Clicking a header asks for a new SQL sort (``sort_requested``);
the model never sorts in Python.

Signals:
    sort_requested(str, bool): a sort key (date | title | added | lang | source) and descending.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from reader.core.models import ArticleSummary
from reader.gui.langnames import language_name

Fetch = Callable[[Sequence[int]], dict[int, ArticleSummary]]
Index = QModelIndex | QPersistentModelIndex

COL_STAR, COL_TITLE, COL_SOURCE, COL_DATE, COL_LANG, COL_TAGS, COL_ADDED = range(7)
HEADERS = ("★", "Title", "Source", "Date", "Lang", "Tags", "Added")
SORT_KEYS = {COL_TITLE: "title", COL_SOURCE: "source", COL_DATE: "date", COL_LANG: "lang", COL_ADDED: "added"}
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
LEAD_ROLE = Qt.ItemDataRole.UserRole + 3  # the first words of the text (two-line rows), "" when off
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ID = int(ARTICLE_ID_ROLE)
_LEAD = int(LEAD_ROLE)
_ROLES = frozenset((_DISPLAY, _FONT, _ALIGN, _TOOLTIP, _ID, int(SUMMARY_ROLE), _LEAD))
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


#: Rows searched first when looking for one article (the top of the list).
NEAR_TOP = 5_000
#: Up to this many articles are looked up one by one; more build an id → row map.
FEW_LOOKUPS = 16


class ArticleTableModel(QAbstractTableModel):
    """Rows are articles (ids in SQL order); columns are HEADERS. See the module docstring."""

    sort_requested = Signal(str, bool)

    BLOCK = 100  # rows fetched from the library at once
    MAX_BLOCKS = 60  # summaries kept in memory: 6,000 rows

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._loaded = 0
        self._partial: int | None = None
        self._blocks: OrderedDict[int, list[ArticleSummary | None]] = OrderedDict()
        #: two-line rows: how to read the first words of a block's texts (None: one-line rows)
        self._lead_fetch: Callable[[Sequence[int]], dict[int, str]] | None = None
        self._leads: OrderedDict[int, dict[int, str]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        #: ids found by the search only in their cached translation: marked "⇄" in the title
        self._translation_matches: frozenset[int] = frozenset()

    # --- content --------------------------------------------------------------------------------
    def set_translation_matches(self, ids: Iterable[int]) -> None:
        """Mark these rows as found only in their cached translation ("⇄" and a tooltip)."""
        ids = frozenset(ids)
        if ids != self._translation_matches:
            self._translation_matches = ids
            if self.rowCount():
                self.dataChanged.emit(self.index(0, COL_TITLE), self.index(self.rowCount() - 1, COL_TITLE))

    def translation_matches(self) -> frozenset[int]:
        return self._translation_matches

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these ids (in this order): a row each at once, their contents read when painted."""
        self.beginResetModel()
        self._ids = list(ids)
        self._row_of = None
        self._partial = None
        self._loaded = len(self._ids)
        self._blocks.clear()
        self._leads.clear()
        self.endResetModel()

    def extend_ids(self, ids: Sequence[int]) -> bool:
        """Append the rest of a list whose first part is shown (no reset: selection and scroll stay).

        Returns False (and changes nothing) unless the shown ids are a strict prefix of ``ids``.
        """
        n = len(self._ids)
        if n == 0 or len(ids) <= n or self._partial is None or list(ids[:n]) != self._ids:
            return False
        self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
        self._ids.extend(ids[n:])
        self._loaded = len(self._ids)
        self.endInsertRows()
        self._row_of = None
        self._partial = None
        return True

    def merge_ids(self, ids: Sequence[int]) -> bool:
        """Show ``ids`` by removing and inserting rows, not by a reset, when the rows that stay keep
        their order (new feed articles arriving, read ones leaving an Unread view): the selection
        and the rows in view stay put (see :class:`~reader.gui.widgets.article_list.ArticleList`).

        Returns False (and changes nothing) when the shown list is empty or still partial, or the
        kept rows would change order (a new sort): then the caller resets the list."""
        old = self._ids
        if not old or self._partial is not None or self._loaded != len(old):
            return False
        new = list(ids)
        new_set, old_set = set(new), set(old)
        if [i for i in old if i in new_set] != [i for i in new if i in old_set]:
            return False
        self._row_of = None
        self._blocks.clear()
        self._leads.clear()
        row = len(old) - 1  # removals from the bottom up, one event per run
        while row >= 0:
            if old[row] in new_set:
                row -= 1
                continue
            end = row
            while row >= 0 and old[row] not in new_set:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, end)
            del self._ids[row + 1:end + 1]
            self._loaded = len(self._ids)
            self.endRemoveRows()
        row = 0  # insertions from the top down, one event per run
        while row < len(new):
            if new[row] in old_set:
                row += 1
                continue
            start = row
            while row < len(new) and new[row] not in old_set:
                row += 1
            self.beginInsertRows(QModelIndex(), start, row - 1)
            self._ids[start:start] = new[start:row]
            self._loaded = len(self._ids)
            self.endInsertRows()
        self._row_of = None
        if self._loaded:
            self.dataChanged.emit(self.index(0, 0), self.index(self._loaded - 1, len(HEADERS) - 1))
        return True

    def mark_partial(self) -> None:
        """The ids just set are the first page of a longer list (see :meth:`extend_ids`)."""
        self._partial = len(self._ids)

    def ids(self) -> list[int]:
        return list(self._ids)

    def same_ids(self, ids: Sequence[int]) -> bool:
        """Whether the list shows exactly ``ids`` (no copy of a million ids to compare)."""
        return self._ids == ids if isinstance(ids, list) else self._ids == list(ids)

    def is_partial(self) -> bool:
        """Whether the ids shown are the first page of a longer list still being read."""
        return self._partial is not None

    def total(self) -> int:
        """How many articles the list has (loaded or not)."""
        return len(self._ids)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int) -> int | None:
        """The row of an article (loading pages up to it), or None when it is not in the list."""
        row = self._row_of.get(article_id) if self._row_of is not None else self._index_of(article_id)
        if row is not None and row >= self._loaded:
            self.ensure_loaded(row)
        return row

    def _index_of(self, article_id: int) -> int | None:
        """The row of one article without an id → row map (at a million rows that map alone was
        69 MB): the rows near the top first (where the article read is, almost always), then the
        whole list (a C-level scan: ~10 ms at a million)."""
        ids = self._ids
        try:
            return ids.index(article_id, 0, min(len(ids), NEAR_TOP))
        except ValueError:
            pass
        try:
            return ids.index(article_id, min(len(ids), NEAR_TOP))
        except ValueError:
            return None

    def rows_of(self, ids: Sequence[int]) -> list[int]:
        """The rows of many articles (those in the list): a few are looked up one by one, many
        through a map of the whole list, kept until the list changes."""
        if self._row_of is None and len(ids) <= FEW_LOOKUPS:
            return [r for r in (self._index_of(i) for i in ids) if r is not None]
        if self._row_of is None:
            self._row_of = {aid: i for i, aid in enumerate(self._ids)}
        found = self._row_of
        return [r for r in (found.get(i) for i in ids) if r is not None]

    def ensure_loaded(self, row: int) -> None:
        """Make rows up to ``row`` present in the model (one insert)."""
        want = min(len(self._ids), row + 1)
        if want > self._loaded:
            self.beginInsertRows(QModelIndex(), self._loaded, want - 1)
            self._loaded = want
            self.endInsertRows()

    def summary_at(self, row: int) -> ArticleSummary | None:
        if not 0 <= row < self._loaded:
            return None
        block = row // self.BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            ids = self._ids[block * self.BLOCK : (block + 1) * self.BLOCK]
            found = self._fetch(ids)
            rows = [found.get(i) for i in ids]
            self._blocks[block] = rows
            while len(self._blocks) > self.MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return rows[row - block * self.BLOCK]

    def refresh_ids(self, ids: Sequence[int]) -> None:
        """Re-read the rows of these articles (after a write) and repaint them; rows not loaded
        yet stay unloaded (a whole view marked read must not page 100,000 rows in)."""
        rows = [r for r in self.rows_of(ids) if r < self._loaded]
        if not rows:
            return
        for block in {r // self.BLOCK for r in rows}:
            self._blocks.pop(block, None)
            self._leads.pop(block, None)
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(HEADERS) - 1))

    def set_lead_fetch(self, fetch: Callable[[Sequence[int]], dict[int, str]] | None) -> None:
        """Two-line rows on (a function reading the first words of a block's texts) or off (None)."""
        self._lead_fetch = fetch
        self._leads.clear()
        if self._loaded:
            self.dataChanged.emit(self.index(0, COL_TITLE), self.index(self._loaded - 1, COL_TITLE))

    def lead_at(self, row: int) -> str:
        if self._lead_fetch is None or not 0 <= row < self._loaded:
            return ""
        block = row // self.BLOCK
        leads = self._leads.get(block)
        if leads is None:
            leads = self._leads[block] = self._lead_fetch(self._ids[block * self.BLOCK : (block + 1) * self.BLOCK])
            while len(self._leads) > self.MAX_BLOCKS:
                self._leads.popitem(last=False)
        return leads.get(self._ids[row], "")

    def refresh_all(self) -> None:
        """Forget every cached row and repaint (the library changed under the list)."""
        self._blocks.clear()
        self._leads.clear()
        if self._loaded:
            self.dataChanged.emit(self.index(0, 0), self.index(self._loaded - 1, len(HEADERS) - 1))

    # --- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Starred" if section == COL_STAR else (
                f"Sort by {HEADERS[section].lower()}" if section in SORT_KEYS else None
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Hot path (~1,000 calls per repaint): plain int roles, no enum arithmetic.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= self._loaded:
            return None
        s = self.summary_at(row)
        if s is None:
            return None
        if role == _DISPLAY:
            if col == COL_TITLE and s.id in self._translation_matches:
                return "⇄ " + s.title
            return self._display(s, col)
        if role == _FONT:
            return self._bold if col == COL_TITLE and not s.read else None
        if role == _ALIGN:
            return _CENTER if col in (COL_STAR, COL_LANG) else None
        if role == _TOOLTIP:
            if col == COL_TITLE:
                return s.title + ("\n(matched in the translation)" if s.id in self._translation_matches else "")
            if col == COL_LANG:
                return f"{language_name(s.lang)} — detected with {s.lang_confidence:.0%} confidence"
            if col == COL_TAGS and s.tags:
                return ", ".join(s.tags)
            return None
        if role == _ID:
            return s.id
        if role == _LEAD:
            return self.lead_at(row) if col == COL_TITLE else ""
        return s  # SUMMARY_ROLE

    @staticmethod
    def _display(s: ArticleSummary, col: int) -> str:
        if col == COL_STAR:
            return "★" if s.starred else ""
        if col == COL_TITLE:
            return s.title
        if col == COL_SOURCE:
            return s.source or ""
        if col == COL_DATE:
            return s.published or ""
        if col == COL_LANG:
            return s.lang
        if col == COL_TAGS:
            return ", ".join(s.tags)
        return s.added_at[:10]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
