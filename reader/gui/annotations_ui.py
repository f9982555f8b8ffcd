"""Wires highlights, notes, saved searches and tags into the reader window.

The window creates one :class:`AnnotationsUi` in ``_init_annotations()``: it adds the annotations
panel as a dock beside the reader, draws highlights into the reader pane (:class:`HighlightLayer`),
owns the All-highlights window and the tag manager, and connects them all to the
:class:`~reader.gui.annotations.AnnotationsController`. The window's action handlers for
highlight / note / All highlights / tags / save search call the public methods here, so
``main_window`` stays thin (STYLE.md practice 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QColorDialog, QDockWidget, QInputDialog, QLineEdit, QMenu, QMessageBox

from reader.core.annotations import COLORS, Highlight
from reader.core.models import Tag
from reader.core.storage.annotations import SavedSearch
from reader.gui.annotations import AnnotationsController, HighlightLayer
from reader.gui.widgets.annotations_panel import AnnotationsPanel
from reader.gui.widgets.highlights_view import HighlightsView
from reader.gui.widgets.tag_manager import TagManager

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


PANEL_KEY = "annotations/panel_visible"


def _glyph_icon(glyph: str, color: QColor, size: int = 16) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = painter.font()
    font.setPixelSize(size - 2)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pix)


class AnnotationsUi(QObject):
    """The annotation parts of the window (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pane = window.reader_pane
        self.controller = AnnotationsController(window.controller.runner, self)
        self.layer = HighlightLayer(self.pane, self)
        self.panel = AnnotationsPanel()
        self.dock = QDockWidget("Highlights && Notes", window)
        self.dock.setObjectName("annotationsDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.setMinimumWidth(280)
        window.resizeDocks([self.dock], [320], Qt.Orientation.Horizontal)
        # hidden until asked for (Ctrl+Shift+N, N, a new highlight); the choice is remembered
        self.dock.setVisible(bool(window.ui_state.value(PANEL_KEY, False, type=bool)))
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.highlights_view: HighlightsView | None = None
        self.tag_manager: TagManager | None = None
        self._jump_to: int | None = None
        self._tags: list[Tag] = []
        self._init_save_search_button()
        self._connect_signals()

    def _init_save_search_button(self) -> None:
        """A ☆ inside the search field: "Save search…" (shown while there is a search)."""
        field = self.window.search.field
        self.save_search_action = QAction(_glyph_icon("☆", field.palette().color(QPalette.ColorRole.Text)),
                                          "Save Search…", field)
        self.save_search_action.setObjectName("saveSearchAction")
        self.save_search_action.setToolTip("Save this search as a smart view in the sidebar (Ctrl+Shift+S)")
        self.save_search_action.triggered.connect(lambda _=False: self.save_search())
        field.addAction(self.save_search_action, QLineEdit.ActionPosition.TrailingPosition)
        self.save_search_action.setVisible(False)
        field.textChanged.connect(lambda text: self.save_search_action.setVisible(bool(text.strip())))

    def _connect_signals(self) -> None:
        c, p = self.controller, self.panel
        self.window.article_shown.connect(self._on_window_article_shown)
        self.pane.browser.context_menu_about_to_show.connect(self._on_browser_context_menu_about_to_show)
        p.highlight_activated.connect(self.jump_to)
        p.color_change_requested.connect(c.set_color)
        p.note_save_requested.connect(c.set_highlight_note)
        p.delete_requested.connect(c.delete_highlight)
        p.tags_save_requested.connect(c.set_highlight_tags)
        p.article_note_save_requested.connect(self._on_panel_article_note_save_requested)
        c.highlights_ready.connect(self._on_controller_highlights_ready)
        c.highlight_created.connect(self._on_controller_highlight_created)
        c.highlight_deleted.connect(self._on_controller_highlight_deleted)
        c.highlights_changed.connect(self._on_controller_highlights_changed)
        c.saved_searches_ready.connect(self._on_controller_saved_searches_ready)
        c.tags_changed.connect(self.window.controller.reload_counts)
        c.error.connect(self.window.show_error)
        self.window.controller.counts_ready.connect(self._on_library_counts_ready)
        sidebar = self.window.sidebar
        if hasattr(sidebar, "context_action_requested"):
            sidebar.context_action_requested.connect(self._on_sidebar_context_action_requested)

    # --- the shown article ------------------------------------------------------------------------
    def _on_window_article_shown(self, article_id: int) -> None:
        translation = getattr(self.window, "translation_ui", None)
        target = getattr(getattr(translation, "controller", None), "target", None)
        if callable(target):
            self.controller.target_lang = str(target())
        else:
            self.controller.target_lang = getattr(self.window.settings, "target_lang", "en")
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
        self._jump_to = None
        self.dock.show()
        cursor = self.pane.browser.textCursor()
        cursor.clearSelection()
        self.pane.browser.setTextCursor(cursor)
        self._after_reload(lambda: self.panel.select_highlight(h.id))  # the reload that follows

    def _on_controller_highlight_deleted(self, _highlight_id: int, quote: str) -> None:
        short = " ".join(quote.split())
        short = short if len(short) <= 40 else short[:39] + "…"
        self.window.message_bar.show_message(f"Deleted the highlight “{short}”.", action="Undo",
                                             callback=self.controller.undo_delete, timeout_ms=15_000)

    def _on_controller_highlights_changed(self) -> None:
        if self.highlights_view is not None and self.highlights_view.isVisible():
            self.highlights_view.reload()
        self.window.controller.reload_counts()  # has:highlights counts, saved searches

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
            self.window.statusBar().showMessage("Select some text in the article to highlight it", 3000)
            return False
        if target.view == "translation":
            self.controller.add_translation_highlight(article_id, target.paragraph, target.translated_quote, color)
        else:
            self.controller.add_highlight(article_id, target.start, target.end, color)
        return True

    def edit_note(self) -> None:
        """``n``: highlight the selection first if there is one, then put the cursor in its note."""
        if self.pane.browser.textCursor().hasSelection() and self.highlight_selection():
            def once(_h: Highlight) -> None:
                self.controller.highlight_created.disconnect(once)
                self._after_reload(lambda: self._focus_note(_h.id))

            self.controller.highlight_created.connect(once)
            return
        self._focus_note(self.panel.selected_id())

    def _after_reload(self, fn: Any) -> None:
        def once(*_args: object) -> None:
            self.controller.highlights_ready.disconnect(once)
            fn()

        self.controller.highlights_ready.connect(once)

    def _focus_note(self, highlight_id: int | None) -> None:
        self.dock.show()
        if highlight_id is None:
            self.panel.article_note.show_preview(False)
            self.panel.article_note.editor.setFocus()
        else:
            self.panel.edit_note(highlight_id)

    def jump_to(self, highlight_id: int) -> None:
        """Scroll the reader to a highlight of the shown article."""
        if not self.layer.scroll_to(highlight_id):
            self.window.statusBar().showMessage("This highlight is not shown in this view", 3000)

    def toggle_panel(self) -> None:
        self.dock.setVisible(not self.dock.isVisible())

    def _on_dock_visibility_changed(self, _visible: bool) -> None:
        if not self.window.isVisible():
            return  # closing the window hides the dock too: keep the user's choice
        self.window.ui_state.setValue(PANEL_KEY, not self.dock.isHidden())

    def open_all_highlights(self) -> HighlightsView:
        """Show the All-highlights window (built once) and load its first page."""
        view = self.highlights_view
        if view is None:
            view = self.highlights_view = HighlightsView(self.controller.list_page, self.window)
            view.article_requested.connect(self._on_view_article_requested)
        tags = [t.name for t in self._tags]
        langs = [code for code, _n in getattr(self, "_langs", [])]
        view.set_choices(tags, langs)
        view.show()
        view.activateWindow()
        view.reload()
        return view

    def _on_view_article_requested(self, article_id: int, highlight_id: int) -> None:
        w = self.window
        if w.reader_pane.article_id() == article_id and self.layer.article_id == article_id:
            self.panel.select_highlight(highlight_id)
            self.jump_to(highlight_id)
        else:
            self._jump_to = highlight_id  # done when its highlights are loaded
            if not w.article_list.select_id(article_id):  # not in the current list: show it anyway
                w.show_article_id(article_id)
        w.activateWindow()

    # --- saved searches ---------------------------------------------------------------------------
    def save_search(self, name: str | None = None, query: str | None = None) -> None:
        """Save the search box's query as a smart view (asks for a name unless given)."""
        query = (query if query is not None else self.window.search.text()).strip()
        if not query:
            self.window.statusBar().showMessage("Type a search first, then save it", 3000)
            return
        if name is None:
            name, ok = QInputDialog.getText(self.window, "Save search", f"Name for “{query}”:", text=query)
            if not ok:
                return
        if name.strip():
            self.controller.add_saved_search(name.strip(), query)

    def _on_controller_saved_searches_ready(self, items: list[SavedSearch]) -> None:
        setter = getattr(self.window.sidebar, "set_saved_searches", None)
        if setter is not None:
            setter(items)

    def _on_library_counts_ready(self, _views: object, tags: list[Tag], langs: list[tuple[str, int]]) -> None:
        self._tags = list(tags)
        self._langs = list(langs)
        if self.tag_manager is not None:
            self.tag_manager.set_tags(tags)
        # saved-search counts follow every library change that refreshes the sidebar counts
        self.controller.reload_saved_searches()

    # --- tags -------------------------------------------------------------------------------------
    def open_tag_manager(self) -> TagManager:
        dialog = self.tag_manager
        if dialog is None:
            dialog = self.tag_manager = TagManager(self.window)
            c = self.controller
            dialog.create_requested.connect(c.create_tag)
            dialog.rename_requested.connect(c.rename_tag)
            dialog.merge_requested.connect(c.merge_tags)
            dialog.delete_requested.connect(c.delete_tag)
            dialog.color_requested.connect(c.set_tag_color)
        dialog.set_tags(self._tags)
        dialog.show()
        return dialog

    def _on_sidebar_context_action_requested(self, kind: str, value: str, action: str) -> None:
        c, w = self.controller, self.window
        if kind == "tag":
            if action == "rename":
                new, ok = QInputDialog.getText(w, "Rename tag", f"New name for “{value}”:", text=value)
                if ok and new.strip() and new.strip() != value:
                    c.rename_tag(value, new.strip())
            elif action == "merge":
                choices = [t.name for t in self._tags if t.name != value]
                target, ok = QInputDialog.getItem(w, "Merge tag", f"Merge “{value}” into:", choices, 0, True)
                if ok and target.strip():
                    c.merge_tags([value], target.strip())
            elif action == "delete":
                answer = QMessageBox.question(w, "Delete tag", f"Delete the tag “{value}”? The articles stay.")
                if answer == QMessageBox.StandardButton.Yes:
                    c.delete_tag(value)
            elif action == "color":
                color = QColorDialog.getColor(parent=w, title=f"Colour of “{value}”")
                if color.isValid():
                    c.set_tag_color(value, color.name())
            elif action == "manage":
                self.open_tag_manager()
        elif kind == "saved":
            if action == "rename":
                new, ok = QInputDialog.getText(w, "Rename saved search", "New name:", text=value)
                if ok and new.strip() and new.strip() != value:
                    c.rename_saved_search(value, new.strip())
            elif action == "remove":
                c.remove_saved_search(value)

    # --- the body's context menu ------------------------------------------------------------------
    def _on_browser_context_menu_about_to_show(self, menu: QMenu, _pos: QPoint) -> None:
        if not self.pane.browser.textCursor().hasSelection():
            return
        first = menu.actions()[0] if menu.actions() else None
        sub = QMenu("Highlight", menu)
        for i, color in enumerate(COLORS, start=1):
            act = QAction(f"{color.capitalize()}\t{i}", sub)
            act.triggered.connect(lambda _=False, c=color: self.highlight_selection(c))
            sub.addAction(act)
        main = QAction("Highlight\tH", menu)
        main.triggered.connect(lambda _=False: self.highlight_selection())
        note = QAction("Highlight with Note…\tN", menu)
        note.triggered.connect(lambda _=False: self.edit_note())
        if first is None:
            menu.addAction(main)
            menu.addMenu(sub)
            menu.addAction(note)
            return
        menu.insertAction(first, main)
        menu.insertMenu(first, sub)
        menu.insertAction(first, note)
        menu.insertSeparator(first)
