"""The annotation parts of the window: the Highlights & Notes dock, the highlights drawn in the reader
pane, the All-highlights window and the tag manager, connected to their controllers.

:class:`AnnotationsUi` is built by the window with exactly what it uses — the reader pane, the
:class:`~reader.gui.controllers.annotations.AnnotationsController`, the
:class:`~reader.gui.controllers.tags.TagsController` and the QSettings for the dock's visibility — and
never reaches into the window. The window adds :attr:`AnnotationsUi.dock`, connects its own parts
(sidebar, search box, message bar, status bar) to the public slots and signals here, and forwards
its highlight / note / All-highlights / tags / save-search actions to the public methods.

Signals:
    status_message(str): a short hint for the status bar ("Select some text…").
    article_requested(int): the All-highlights window asks to show this article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QPoint, QSettings, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QColorDialog,
    QDockWidget,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
)

from reader.core.models import COLORS, Highlight, Tag
from reader.gui.controllers.annotations import AnnotationsController
from reader.gui.controllers.tags import TagsController
from reader.gui.widgets.annotations_panel import AnnotationsPanel
from reader.gui.widgets.highlight_layer import HighlightLayer
from reader.gui.widgets.highlights_view import HighlightsView
from reader.gui.widgets.reader_pane import ReaderPane
from reader.gui.widgets.tag_manager import TagManager

PANEL_KEY = "annotations/panel_visible"
#: The panel's width when it opens, and the reader pane's width it never crushes below (~60
#: characters a line at the default size): the list and the sidebar give way first.
PANEL_WIDTH = 300
READABLE_WIDTH = 560
#: The narrowest the list and the sidebar are made to make room (their own minimums are lower still).
LIST_FLOOR, SIDEBAR_FLOOR = 240, 150
MENU_ORDER = -10  #: the highlight items go above the body menu's Copy / Select All


class AnnotationsUi(QObject):
    """The annotation parts of the window (see the module docstring)."""

    status_message = Signal(str)
    article_requested = Signal(int)

    def __init__(self, host: QMainWindow, pane: ReaderPane, controller: AnnotationsController,
                 tags: TagsController, ui_state: QSettings, splitter: QSplitter | None = None) -> None:
        super().__init__(host)
        self.host = host
        self.splitter = splitter  # sidebar | list | reader: they make room when the panel opens
        self.pane = pane
        self.controller = controller
        self.tags = tags
        self.ui_state = ui_state
        self.layer = HighlightLayer(pane, self)
        self.panel = AnnotationsPanel()
        self.dock = QDockWidget("Highlights && Notes", host)
        self.dock.setObjectName("annotationsDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setMinimumWidth(240)
        # hidden until asked for (Ctrl+Shift+N, N, a new highlight); the choice is remembered
        self.dock.setVisible(bool(ui_state.value(PANEL_KEY, False, type=bool)))
        self.highlights_view: HighlightsView | None = None
        self.tag_manager: TagManager | None = None
        self._jump_to: int | None = None
        self._tags: list[Tag] = []
        self._langs: list[tuple[str, int]] = []
        pane.add_menu_section("annotations", self._menu_items, order=MENU_ORDER)
        self._connect_signals()

    def _connect_signals(self) -> None:
        c, p = self.controller, self.panel
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        p.highlight_activated.connect(self.jump_to)
        p.color_change_requested.connect(c.set_color)
        p.note_save_requested.connect(c.set_highlight_note)
        p.delete_requested.connect(c.delete_highlight)
        p.tags_save_requested.connect(c.set_highlight_tags)
        p.article_note_save_requested.connect(self._on_panel_article_note_save_requested)
        c.highlights_ready.connect(self._on_controller_highlights_ready)
        c.highlight_created.connect(self._on_controller_highlight_created)
        c.highlights_changed.connect(self._on_controller_highlights_changed)
        self.tags.tags_changed.connect(c.reload_saved_searches)
        self.tags.tags_changed.connect(c.reload)

    # --- the shown article (the window's article_shown) ------------------------------------------
    def show_article(self, article_id: int) -> None:
        if article_id != self.layer.article_id:
            self.layer.set_highlights(article_id or None, [])
            self.panel.set_article(article_id or None, [], None)
        self.controller.load(article_id or None)

    def _on_controller_highlights_ready(self, article_id: int, highlights: list[Highlight], note: str | None) -> None:
        if article_id and article_id != self.pane.article_id():
            return
        self.layer.set_highlights(article_id or None, highlights)
        self.panel.set_article(article_id or None, highlights, note)
        if self._jump_to is not None and any(h.id == self._jump_to for h in highlights):
            hid, self._jump_to = self._jump_to, None
            self.panel.select_highlight(hid)
            self.layer.scroll_to(hid)

    def _on_controller_highlight_created(self, h: Highlight) -> None:
        # The panel opens when asked (Ctrl+Shift+N, N, a card's note), not on every highlight.
        self._jump_to = None
        if not self.dock.isVisible():
            self.status_message.emit("Highlighted. Ctrl+Shift+N shows the highlights and notes.")
        self.pane.clear_selection()
        self._after_reload(lambda: self.panel.select_highlight(h.id))  # the reload that follows

    def _on_controller_highlights_changed(self) -> None:
        if self.highlights_view is not None and self.highlights_view.isVisible():
            self.highlights_view.reload()

    def _on_panel_article_note_save_requested(self, text: str) -> None:
        article_id = self.pane.article_id()
        if article_id:
            self.controller.set_article_note(article_id, text)

    # --- commands (the window's actions) ----------------------------------------------------------
    def highlight_selection(self, color: str = COLORS[0]) -> bool:
        """Highlight the reader pane's selection in ``color``. False when nothing is selected."""
        article_id = self.pane.article_id()
        target = self.layer.selection_target()
        if not article_id or target is None:
            self.status_message.emit("Select some text in the article to highlight it")
            return False
        if target.view == "translation":
            self.controller.add_translation_highlight(article_id, target.paragraph, target.translated_quote, color)
        else:
            self.controller.add_highlight(article_id, target.start, target.end, color)
        return True

    def edit_note(self) -> None:
        """``n``: highlight the selection first if there is one, then put the cursor in its note."""
        if self.pane.has_selection() and self.highlight_selection():
            def once(_h: Highlight) -> None:
                self.controller.highlight_created.disconnect(once)
                self._after_reload(lambda: self._focus_note(_h.id))

            self.controller.highlight_created.connect(once)
            return
        self._focus_note(self.panel.selected_id())

    def _after_reload(self, fn: Callable[[], None]) -> None:
        def once(*_args: object) -> None:
            self.controller.highlights_ready.disconnect(once)
            fn()

        self.controller.highlights_ready.connect(once)

    def _focus_note(self, highlight_id: int | None) -> None:
        self.dock.show()
        if highlight_id is None:
            self.panel.edit_article_note()
        else:
            self.panel.edit_note(highlight_id)

    def jump_to(self, highlight_id: int) -> None:
        """Scroll the reader to a highlight of the shown article."""
        if not self.layer.scroll_to(highlight_id):
            self.status_message.emit("This highlight is not shown in this view")

    def toggle_panel(self) -> None:
        self.dock.setVisible(not self.dock.isVisible())

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible:
            QTimer.singleShot(0, self._make_room)  # once the window has laid the dock out
        if not self.host.isVisible():
            return  # closing the window hides the dock too: keep the user's choice
        self.ui_state.setValue(PANEL_KEY, not self.dock.isHidden())

    def _make_room(self) -> None:
        """Keep the reader readable beside the panel: the list, then the sidebar, give up width
        (down to their floors) until the reader pane has :data:`READABLE_WIDTH`."""
        if self.splitter is None or self.splitter.count() < 3:
            return
        sizes = self.splitter.sizes()
        need = READABLE_WIDTH - sizes[2]
        for index, floor in ((1, LIST_FLOOR), (0, SIDEBAR_FLOOR)):
            give = max(0, min(need, sizes[index] - floor))
            sizes[index] -= give
            sizes[2] += give
            need -= give
        if need < READABLE_WIDTH - self.splitter.sizes()[2]:
            self.splitter.setSizes(sizes)

    def open_all_highlights(self, tag: str | None = None) -> HighlightsView:
        """Show the All-highlights window (built once) and load its first page (``tag``: only the
        highlights carrying it — a sidebar tag that is on highlights only)."""
        view = self.highlights_view
        if view is None:
            view = self.highlights_view = HighlightsView(self.controller.list_page, self.host)
            view.article_requested.connect(self._on_view_article_requested)
        view.set_choices([t.name for t in self._tags], [code for code, _n in self._langs])
        if tag is not None:
            view.set_tag(tag)
        view.show()
        view.activateWindow()
        view.reload()
        return view

    def _on_view_article_requested(self, article_id: int, highlight_id: int) -> None:
        if self.pane.article_id() == article_id and self.layer.article_id == article_id:
            self.panel.select_highlight(highlight_id)
            self.jump_to(highlight_id)
        else:
            self._jump_to = highlight_id  # done when its highlights are loaded
            self.article_requested.emit(article_id)
        self.host.activateWindow()

    # --- saved searches ---------------------------------------------------------------------------
    def save_search(self, query: str, name: str | None = None) -> None:
        """Save ``query`` as a smart view (asks for a name unless given)."""
        query = query.strip()
        if not query:
            self.status_message.emit("Type a search first, then save it")
            return
        if name is None:
            name, ok = QInputDialog.getText(self.host, "Save search", f"Name for “{query}”:", text=query)
            if not ok:
                return
        if name.strip():
            self.controller.add_saved_search(name.strip(), query)

    def set_counts(self, _views: object, tags: Sequence[Tag], langs: Sequence[tuple[str, int]]) -> None:
        """The library's counts were read again (the library controller's counts_ready)."""
        self._tags = list(tags)
        self._langs = list(langs)
        if self.tag_manager is not None:
            self.tag_manager.set_tags(self._tags)
        # saved-search counts follow every library change that refreshes the sidebar counts
        self.controller.reload_saved_searches()

    # --- tags -------------------------------------------------------------------------------------
    def open_tag_manager(self) -> TagManager:
        dialog = self.tag_manager
        if dialog is None:
            dialog = self.tag_manager = TagManager(self.host)
            t = self.tags
            dialog.create_requested.connect(t.create_tag)
            dialog.rename_requested.connect(t.rename_tag)
            dialog.merge_requested.connect(t.merge_tags)
            dialog.delete_requested.connect(t.delete_tag)
            dialog.color_requested.connect(t.set_tag_color)
        dialog.set_tags(self._tags)
        dialog.show()
        return dialog

    def on_sidebar_context_action(self, kind: str, value: str, action: str) -> None:
        """The sidebar's context menu on a tag or a saved search (rename, merge, delete, colour...)."""
        if kind == "tag":
            self._tag_action(value, action)
        elif kind == "saved":
            if action == "rename":
                new, ok = QInputDialog.getText(self.host, "Rename saved search", "New name:", text=value)
                if ok and new.strip() and new.strip() != value:
                    self.controller.rename_saved_search(value, new.strip())
            elif action == "remove":
                self.controller.remove_saved_search(value)

    def _tag_action(self, value: str, action: str) -> None:
        t, w = self.tags, self.host
        if action == "rename":
            new, ok = QInputDialog.getText(w, "Rename tag", f"New name for “{value}”:", text=value)
            if ok and new.strip() and new.strip() != value:
                t.rename_tag(value, new.strip())
        elif action == "merge":
            choices = [tag.name for tag in self._tags if tag.name != value]
            target, ok = QInputDialog.getItem(w, "Merge tag", f"Merge “{value}” into:", choices, 0, True)
            if ok and target.strip():
                t.merge_tags([value], target.strip())
        elif action == "delete":
            answer = QMessageBox.question(w, "Delete tag", f"Delete the tag “{value}”? The articles stay.")
            if answer == QMessageBox.StandardButton.Yes:
                t.delete_tag(value)
        elif action == "color":
            color = QColorDialog.getColor(parent=w, title=f"Colour of “{value}”")
            if color.isValid():
                t.set_tag_color(value, color.name())
        elif action == "manage":
            self.open_tag_manager()

    # --- the body's context menu (a section of the pane's menu) -----------------------------------
    def _menu_items(self, menu: QMenu, _pos: QPoint) -> list[QAction | QMenu]:
        if not self.pane.has_selection():
            return []
        sub = QMenu("Highlight", menu)
        for i, color in enumerate(COLORS, start=1):
            act = QAction(f"{color.capitalize()}\t{i}", sub)
            act.triggered.connect(lambda _=False, c=color: self.highlight_selection(c))
            sub.addAction(act)
        main = QAction("Highlight\tH", menu)
        main.triggered.connect(lambda _=False: self.highlight_selection())
        note = QAction("Highlight with Note…\tN", menu)
        note.triggered.connect(lambda _=False: self.edit_note())
        return [main, sub, note]

