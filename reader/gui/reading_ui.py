"""The reading parts of the window: Next Unread (and Space at the end of an article), Mark All as
Read, connected to the :class:`~reader.gui.controllers.library.LibraryController`, text zoom and
focus mode.

:class:`ReadingUi` is built by the window with exactly what it uses — the reader pane, the article
list and its model, the library controller, the QSettings for the zoom, and the splitter with the
panes focus mode hides — and never reaches into the window. The window forwards its actions to the
public methods here and the Preferences font to :meth:`ReadingUi.set_reading_font`, shows
:attr:`ReadingUi.status_message` in its status bar and offers Undo for :attr:`ReadingUi.undo_offered`.

Next Unread (U) goes to the first unread article after the current one in the list's order; when
there is none below, it wraps to the top of the list (NetNewsWire moves on to the next feed with
unread articles: with one list, the top of it is where the unread ones left are) and says so.

Mark All as Read (Shift+M) marks every article the list shows (all of it, not only the rows loaded)
read on the writer lane, in steps (the status bar counts a long one), with one Undo on the window's
history. Asked while only the first page of a long list is in, it waits for the rest of that list.

Text zoom (Ctrl+= or Ctrl++, Ctrl+-, Ctrl+0) scales the reader pane's text in steps, as browsers
do, over the size chosen in Preferences: Ctrl+0 goes back to that size. The zoom is kept with the
window's state (``reader/zoom`` in window.ini, like the panel and splitters), not in settings.json:
it is a view of the preference, not a new one.

Focus mode (Ctrl+Shift+F; F11 is the desktop's full-screen key in many places) hides the sidebar and
the list so the article has the window; J/K, U and Space still move through the list. Pressed again,
the panes come back at the sizes they had. It is not kept across starts: the window closes out of it.

Signals:
    status_message(str): a short note for the status bar ("No unread articles in this list").
    undo_offered(str): an undoable action landed; the message bar offers Undo with this text.
    focus_mode_changed(bool): focus mode was turned on (True) or off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QSplitter, QWidget

from reader.gui.controllers.library import LibraryController
from reader.gui.models.article_model import ArticleTableModel
from reader.gui.widgets.article_list import ArticleList
from reader.gui.widgets.reader_pane import ReaderPane

TWO_LINE_KEY = "list/two_line"
ZOOM_KEY = "reader/zoom"
ZOOM_STEPS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)  #: percent, as browsers step


class ReadingUi(QObject):
    """The reading parts of the window (see the module docstring)."""

    status_message = Signal(str)
    undo_offered = Signal(str)
    focus_mode_changed = Signal(bool)

    def __init__(self, pane: ReaderPane, article_list: ArticleList, model: ArticleTableModel,
                 controller: LibraryController, ui_state: QSettings, splitter: QSplitter,
                 focus_hides: Sequence[QWidget], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.article_list = article_list
        self.model = model
        self.controller = controller
        self.ui_state = ui_state
        self.splitter = splitter
        self._focus_hides = list(focus_hides)
        self._sizes_before_focus: list[int] | None = None  # set while in focus mode
        self._font = QFont(pane.reading_font)  # the size chosen in Preferences (100 %)
        saved = cast(int, ui_state.value(ZOOM_KEY, 100, type=int))
        self._zoom = saved if saved in ZOOM_STEPS else 100
        self._from_row: int | None = None  # the row Next Unread was asked from (None: no question out)
        self._mark_when_loaded: list[int] | None = None  # Mark All as Read asked on a partial list
        self._marking = False  # a Mark All as Read is under way
        self.set_two_line_rows(cast(bool, ui_state.value(TWO_LINE_KEY, False, type=bool)))
        article_list.clicked.connect(self._on_list_clicked)
        controller.unread_found.connect(self._on_controller_unread_found)
        controller.marked_read.connect(self._on_controller_marked_read)
        controller.mark_progress.connect(self._on_controller_mark_progress)
        controller.list_ready.connect(self._on_controller_list_ready)

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

    # --- Mark All as Read -------------------------------------------------------------------------
    def mark_all_read(self) -> None:
        """Mark every article of the list read (Undo puts back exactly the ones it changed)."""
        ids = self.model.ids()
        if self._marking:
            self.status_message.emit("Still marking the last list read…")
            return
        if not ids:
            self.status_message.emit("No articles in this list")
            return
        if self.model.is_partial():  # the first page of a long list: wait for the rest of it
            self._mark_when_loaded = ids
            self.status_message.emit("Marking all read once the whole list is in…")
            return
        self._start_marking(ids)

    def _start_marking(self, ids: list[int]) -> None:
        self._marking = True
        self.controller.mark_all_read(ids)

    def _on_controller_list_ready(self, ids: list[int], _select: object, partial: bool) -> None:
        if self._mark_when_loaded is None or partial:
            return
        prefix, self._mark_when_loaded = self._mark_when_loaded, None
        if ids[:len(prefix)] == prefix:
            self._start_marking(ids)
        else:
            self.status_message.emit("The list changed before it was in: nothing was marked read")

    def _on_controller_mark_progress(self, done: int, total: int) -> None:
        self.status_message.emit(f"Marking read… {done:,} of {total:,}")

    def _on_controller_marked_read(self, changed: int, total: int) -> None:
        self._marking = False
        if changed:
            self.undo_offered.emit(f"Marked {changed:,} article{'s' if changed != 1 else ''} read.")
        else:
            self.status_message.emit(f"All {total:,} article{'s' if total != 1 else ''} here "
                                     f"{'were' if total != 1 else 'was'} read already")

    # --- text zoom --------------------------------------------------------------------------------
    def set_reading_font(self, font: QFont) -> None:
        """The reading font and size from Preferences: shown at the current zoom."""
        self._font = QFont(font)
        self._apply_zoom()

    def zoom(self) -> int:
        """The reader pane's text size in percent of the Preferences size."""
        return self._zoom

    def zoom_in(self) -> None:
        self._set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self._set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom), ZOOM_STEPS[0]))

    def zoom_reset(self) -> None:
        self._set_zoom(100)

    def _set_zoom(self, percent: int) -> None:
        if percent != self._zoom:
            self._zoom = percent
            self.ui_state.setValue(ZOOM_KEY, percent)
            self._apply_zoom()
        self.status_message.emit(f"Text size {percent}%" + (" (the Preferences size)" if percent == 100 else ""))

    def _apply_zoom(self) -> None:
        font = QFont(self._font)
        if self._zoom != 100 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._zoom / 100)
        self.pane.set_reading_font(font)

    # --- choosing the row the list opened by itself ------------------------------------------------
    def _on_list_clicked(self, _index: object) -> None:
        """A click on the row already shown (one the list opened by itself: not marked read) chooses
        it, so its mark-read delay starts."""
        article = self.pane.article()
        if article is not None and self.model.id_at(self.article_list.currentIndex().row()) == article.id:
            self.controller.article_opened(article, chosen=True)

    # --- two-line rows ----------------------------------------------------------------------------
    def two_line_rows(self) -> bool:
        return self.article_list.two_line()

    def toggle_two_line_rows(self) -> None:
        self.set_two_line_rows(not self.two_line_rows())

    def set_two_line_rows(self, on: bool) -> None:
        """Title + the first words of the text in each list row (remembered across starts). The
        first words are read per painted block, like the rows themselves."""
        self.article_list.set_two_line(on)
        self.model.set_lead_fetch(self.controller.leads if on else None)
        self.ui_state.setValue(TWO_LINE_KEY, on)

    # --- focus mode -------------------------------------------------------------------------------
    def in_focus_mode(self) -> bool:
        return self._sizes_before_focus is not None

    def toggle_focus_mode(self) -> None:
        self.set_focus_mode(not self.in_focus_mode())

    def set_focus_mode(self, on: bool) -> None:
        """Hide the sidebar and the list (on) or bring them back at their sizes (off)."""
        if on == self.in_focus_mode():
            return
        if on:
            self._sizes_before_focus = self.splitter.sizes()
            for widget in self._focus_hides:
                widget.hide()
            self.pane.browser.setFocus()
            self.status_message.emit("Focus mode: Ctrl+Shift+F shows the sidebar and the list again")
        else:
            sizes, self._sizes_before_focus = self._sizes_before_focus, None
            for widget in self._focus_hides:
                widget.show()
            if sizes:
                self.splitter.setSizes(sizes)
            self.article_list.setFocus()
        self.focus_mode_changed.emit(on)
