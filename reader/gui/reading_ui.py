"""The reading parts of the window: Next Unread (and Space at the end of an article), connected to
the :class:`~reader.gui.controllers.library.LibraryController`.

:class:`ReadingUi` is built by the window with exactly what it uses — the reader pane, the article
list and its model, and the library controller — and never reaches into the window. The window
forwards its Next Unread and Space actions to the public methods here and shows
:attr:`ReadingUi.status_message` in its status bar.

Next Unread (U) goes to the first unread article after the current one in the list's order; when
there is none below, it wraps to the top of the list (NetNewsWire moves on to the next feed with
unread articles: with one list, the top of it is where the unread ones left are) and says so.

Signals:
    status_message(str): a short note for the status bar ("No unread articles in this list").
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.gui.controllers.library import LibraryController
from reader.gui.models.article_model import ArticleTableModel
from reader.gui.widgets.article_list import ArticleList
from reader.gui.widgets.reader_pane import ReaderPane


class ReadingUi(QObject):
    """The reading parts of the window (see the module docstring)."""

    status_message = Signal(str)

    def __init__(self, pane: ReaderPane, article_list: ArticleList, model: ArticleTableModel,
                 controller: LibraryController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.article_list = article_list
        self.model = model
        self.controller = controller
        self._from_row: int | None = None  # the row Next Unread was asked from (None: no question out)
        controller.unread_found.connect(self._on_controller_unread_found)

    # --- Next Unread ------------------------------------------------------------------------------
    def next_unread(self) -> None:
        """Select and open the first unread article after the current one (wrapping to the top)."""
        ids = self.model.ids()
        current = self.article_list.current_id()
        row = self.model.row_of(current) if current is not None else None
        if row is None:  # nothing current: from the top
            row, order = -1, ids
        else:
            order = ids[row + 1:] + ids[:row]
        if not order:
            self.status_message.emit("No other articles in this list")
            return
        self._from_row = row
        self.controller.find_unread(order)

    def page_or_next_unread(self) -> None:
        """Space: page the article down; at its end (or with none shown), go to the next unread."""
        if self.pane.article() is None or self.pane.at_end():
            self.next_unread()
        else:
            self.pane.page(1)

    def _on_controller_unread_found(self, article_id: int | None) -> None:
        from_row, self._from_row = self._from_row, None
        if from_row is None:
            return
        if article_id is None:
            self.status_message.emit("No unread articles in this list" if from_row < 0
                                     else "No other unread articles in this list")
            return
        row = self.model.row_of(article_id)
        if row is None:  # the list changed meanwhile
            return
        self.article_list.select_row(row)
        if row < from_row:
            self.status_message.emit("No unread articles below: back at the top of the list")
