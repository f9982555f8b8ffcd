"""The main window: builds the panes, the actions and the menus, and wires signals in one place.

It decides nothing: widget intents go to the controllers built in :mod:`reader.gui.app`, whose
signals update the widgets (STYLE.md 2, 3); the ``*_ui`` feature parts are built here with what they use.

Signals:
    article_shown(int): the reader pane now shows this article (painted on the next frame).
    ready(): start-up work is done, the list is loaded and the first article shown (screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QStatusBar, QVBoxLayout, QWidget

import reader
from reader.core.models import COLORS, Article, ImportOutcome
from reader.core.settings import Settings, save_settings
from reader.gui.actions import ACTIONS, MENUS, SEPARATED, shortcut_rows
from reader.gui.annotations_ui import PANEL_WIDTH, AnnotationsUi
from reader.gui.controllers.bundle import Controllers
from reader.gui.controllers.library import FIRST_ROW
from reader.gui.feeds_ui import FeedsUi
from reader.gui.library_files_ui import LibraryFilesUi
from reader.gui.models.article_model import ArticleTableModel
from reader.gui.reading_ui import ReadingUi
from reader.gui.theme import apply_theme, style_widgets
from reader.gui.translation_ui import TranslationUi
from reader.gui.widgets import dialogs
from reader.gui.widgets.article_list import ArticleList
from reader.gui.widgets.import_progress import ImportProgress
from reader.gui.widgets.message_bar import MessageBar
from reader.gui.widgets.reader_pane import ReaderPane
from reader.gui.widgets.search_box import SearchBox
from reader.gui.widgets.sidebar import Sidebar

DEFAULT_SIZE = (1280, 800)
DEFAULT_SPLIT = [220, 480, 580]
UNDO_TIMEOUT_MS = 15_000


class MainWindow(QMainWindow):
    """The reader window. See the module docstring for its signals."""

    article_shown = Signal(int)
    ready = Signal()

    def __init__(self, controllers: Controllers, settings: Settings, ui_state: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controllers = controllers
        self.controller = controllers.library
        self.settings = settings
        self.ui_state = ui_state
        self._shown_position = 0.0
        self.last_import_summary: dialogs.ImportSummaryDialog | None = None
        self._automatic = False  # True while the list itself makes a row current (see _on_controller_list_ready)
        self.shortcuts_dialog: dialogs.ShortcutsDialog | None = None
        self.setWindowTitle("Polyglot Reader")
        self.setObjectName("mainWindow")
        self._init_panes()
        self._init_features()
        self._init_actions()
        self._init_menus()
        self._init_status_bar()
        self._connect_signals()
        self._restore_state()
        self.apply_settings(settings, theme=False)
        self.setAcceptDrops(True)

    # --- building ---------------------------------------------------------------------------------
    def _init_panes(self) -> None:
        self.model = ArticleTableModel(self.controller.summaries, self)
        self.sidebar = Sidebar(self)
        self.search = SearchBox(self)
        self.article_list = ArticleList(self.model, self)
        self.list_pane = middle = QWidget(self)
        middle.setObjectName("listPane")
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.setSpacing(0)
        mid_layout.addWidget(self.search)
        mid_layout.addWidget(self.article_list, 1)
        self.reader_pane = ReaderPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        for widget, minimum in ((self.sidebar, 150), (middle, 260), (self.reader_pane, 320)):
            self.splitter.addWidget(widget)
            widget.setMinimumWidth(minimum)
        self.splitter.setStretchFactor(2, 1)
        self.message_bar = MessageBar(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _init_features(self) -> None:
        """The translation, annotation, reading and library files parts, each given what it uses."""
        c = self.controllers
        self.translation_ui = TranslationUi(self.reader_pane, c.translation, self)
        self.translation_ui.settings_chosen.connect(self.set_preferences)  # the first-translation answer
        self.annotations = AnnotationsUi(self, self.reader_pane, c.annotations, c.tags, self.ui_state, self.splitter)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.annotations.dock)
        self.resizeDocks([self.annotations.dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        self.reading = ReadingUi(self.reader_pane, self.article_list, self.model, c.library, self.ui_state,
                                 self.splitter, [self.sidebar, self.list_pane], self)
        self.files = LibraryFilesUi(self, c.files, self.message_bar, self.article_list, self.model,
                                    c.library.list_filter, self.ui_state)
        self.feeds = FeedsUi(self, c.feeds, c.library, self.sidebar, self.message_bar, self.settings, self.ui_state, self._offer_undo)

    def _action_handlers(self) -> dict[str, Callable[[], object]]:
        """One handler per entry of :data:`reader.gui.actions.ACTIONS`."""
        c, pane, ann, reading = self.controller, self.reader_pane, self.annotations, self.reading
        handlers: dict[str, Callable[[], object]] = {
            "import_files": lambda: self._import(dialogs.ask_import_files(self)),
            "import_folder": lambda: self._import(dialogs.ask_import_folder(self)),
            "export": self.files.export, "backup": self.files.backup, "restore": self.files.restore,
            "preferences": self._on_action_preferences, "quit": self.close, "undo": self._on_action_undo,
            "find": self.search.focus, "next": lambda: self.article_list.step(1),
            "previous": lambda: self.article_list.step(-1), "next_unread": reading.next_unread,
            "page_down": reading.page_or_next_unread, "mark_all_read": reading.mark_all_read,
            "zoom_in": reading.zoom_in, "zoom_out": reading.zoom_out, "zoom_reset": reading.zoom_reset,
            "focus_mode": reading.toggle_focus_mode, "two_line_rows": reading.toggle_two_line_rows,
            "page_up": lambda: pane.page(-1),
            "toggle_star": lambda: c.toggle_flag(self.article_list.selected_ids(), "starred"),
            "toggle_read": lambda: c.toggle_flag(self.article_list.selected_ids(), "read"),
            "archive": lambda: c.toggle_flag(self.article_list.selected_ids(), "archived"),
            "add_tags": self._on_action_add_tags, "edit_details": self._on_action_edit_details,
            "delete": self._on_action_delete, "translate_toggle": pane.cycle_mode,
            "retranslate": self.translation_ui.retranslate_article, "highlight": ann.highlight_selection,
            "note": ann.edit_note, "manage_tags": ann.open_tag_manager,
            "save_search": lambda: ann.save_search(self.search.text()),
            "all_highlights": ann.open_all_highlights, "toggle_annotations": ann.toggle_panel,
            "shortcuts": self._on_action_shortcuts, "about": lambda: dialogs.show_about(self, reader.__version__),
        }
        handlers.update({f"highlight_{color}": partial(ann.highlight_selection, color) for color in COLORS})
        return handlers | self.feeds.handlers()

    def _init_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        handlers = self._action_handlers()
        for spec in ACTIONS:
            action = QAction(spec.text, self)
            action.setObjectName(f"action_{spec.name}")
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(spec.checkable)
            action.setToolTip(f"{spec.help} ({' or '.join(spec.keys)})" if spec.keys else spec.help)
            action.triggered.connect(lambda _=False, h=handlers[spec.name]: h())
            self.addAction(action)
            self.actions_by_name[spec.name] = action
        a = self.actions_by_name
        self.article_list.addActions([a["toggle_read"], a["mark_all_read"], a["toggle_star"], a["archive"],
                                      a["add_tags"], a["edit_details"], a["delete"]])
        self.pane_actions: dict[str, QAction] = {}
        for name, text in (("toggle_star", "☆ Star"), ("edit_details", "Details…")):
            button_action = QAction(text, self)
            button_action.setToolTip(a[name].toolTip())
            button_action.triggered.connect(a[name].trigger)
            self.reader_pane.add_toolbar_action(button_action)
            self.pane_actions[name] = button_action

    def _init_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        for key, title in MENUS:
            menu = bar.addMenu(title)
            for spec in ACTIONS:
                if spec.menu == key:
                    if spec.name in SEPARATED:
                        menu.addSeparator()
                    menu.addAction(self.actions_by_name[spec.name])

    def _init_status_bar(self) -> None:
        self.setStatusBar(QStatusBar(self))
        self.statusBar().setObjectName("statusBar")
        self.import_progress = ImportProgress(self)
        self.statusBar().addPermanentWidget(self.import_progress)

    def _connect_signals(self) -> None:
        c, ctl, ann, pane = self.controller, self.controllers, self.annotations, self.reader_pane
        self.sidebar.view_selected.connect(c.set_view)
        self.sidebar.context_action_requested.connect(ann.on_sidebar_context_action)
        self.search.query_changed.connect(c.set_query)
        self.search.save_requested.connect(ann.save_search)
        self.model.sort_requested.connect(c.set_sort)
        self.article_list.article_selected.connect(self._on_list_article_selected)
        pane.tag_add_requested.connect(lambda name: c.add_tags(self._shown_ids(), [name]))
        pane.tag_remove_requested.connect(lambda name: c.remove_tag(self._shown_ids(), name))
        for signal, slot in ((pane.pictures_wanted, c.load_pictures), (pane.full_picture_wanted, c.load_full_picture),
                             (c.picture_ready, pane.set_picture), (c.full_picture_ready, pane.set_full_picture)):
            signal.connect(slot)  # a shown article's pictures, decoded off the GUI thread
        self.import_progress.cancel_requested.connect(c.cancel_import)
        self.article_shown.connect(self.translation_ui.show_article)
        self.article_shown.connect(ann.show_article)
        c.list_ready.connect(self._on_controller_list_ready)
        c.counts_ready.connect(self.sidebar.set_counts)
        c.counts_ready.connect(lambda _v, tags, _l: pane.set_known_tags([t.name for t in tags]))
        c.counts_ready.connect(ann.set_counts)
        c.query_error.connect(self.search.set_error)
        c.articles_changed.connect(self._on_controller_articles_changed)
        c.deleted.connect(lambda n: self._offer_undo(f"Deleted {n} article{'s' if n != 1 else ''}."))
        c.flags_undoable.connect(self._offer_undo)
        c.import_started.connect(self.import_progress.start)
        c.import_progress.connect(self.import_progress.update_progress)
        c.import_finished.connect(self._on_controller_import_finished)
        c.ready.connect(self.ready)
        ctl.annotations.highlight_deleted.connect(self._on_annotations_highlight_deleted)
        ctl.annotations.highlights_changed.connect(c.reload_counts)  # has:highlights, saved searches
        ctl.annotations.saved_searches_ready.connect(self.sidebar.set_saved_searches)
        ctl.tags.tags_changed.connect(c.reload_counts)
        ctl.tags.tags_changed.connect(self._refresh_shown)  # the chips and the list's Tags column
        c.external_change.connect(self._refresh_shown)
        c.external_change.connect(ctl.annotations.reload)
        c.external_change.connect(ctl.annotations.reload_saved_searches)
        for part in (ann, self.reading):
            part.status_message.connect(lambda text: self.statusBar().showMessage(text, 3000))
        self.reading.undo_offered.connect(self._offer_undo)
        self.reading.focus_mode_changed.connect(self.actions_by_name["focus_mode"].setChecked)
        self.actions_by_name["two_line_rows"].setChecked(self.reading.two_line_rows())
        ann.article_requested.connect(self._on_annotations_article_requested)
        self.sidebar.highlights_requested.connect(lambda tag: ann.open_all_highlights(tag))
        for error in (c.error, ctl.annotations.error, ctl.tags.error):
            error.connect(self.show_error)

    # --- state ------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self.ui_state
        geometry = cast(QByteArray, s.value("window/geometry", QByteArray(), type=QByteArray))
        if not geometry or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        split = cast(QByteArray, s.value("window/splitter", QByteArray(), type=QByteArray))
        if not split or not self.splitter.restoreState(split):
            self.splitter.setSizes(DEFAULT_SPLIT)
        sort = self.article_list.restore_header(cast(QByteArray, s.value("list/header", QByteArray(), type=QByteArray)))
        if sort is not None:
            self.controller.sort, self.controller.descending = sort
        self._restore_article: int | None = cast(int, s.value("list/last_article", 0, type=int)) or None

    def save_state(self) -> None:
        s = self.ui_state
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("list/header", self.article_list.header_state())
        s.setValue("list/last_article", self.reader_pane.article_id() or 0)
        s.sync()

    def apply_settings(self, settings: Settings, *, theme: bool = True) -> None:
        """Use new settings now: reading font and size, dwell, theme, translation."""
        self.settings = settings
        font = QFont(settings.reading_font or "DejaVu Serif")
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSize(max(6, settings.reading_font_size))
        self.controller.dwell_ms = settings.mark_read_after_ms
        app = QApplication.instance()
        if theme and isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        style_widgets(self)
        self.reading.set_reading_font(font)  # at the zoom of Ctrl+= / Ctrl+-
        self.controllers.translation.update_settings(settings)
        self.feeds.apply_settings(settings)

    def start(self, files: list[str] | None = None) -> None:
        """Load the library (and seed / import) — call once, after show()."""
        self.controller.start(files or [])

    def open_files(self, paths: list[str]) -> None:
        """Files handed over by a second launch on this library: imported as if dropped, and the
        window comes to the front (raised and activated, un-minimized)."""
        self._import(paths)
        if self.isMinimized():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    # --- showing articles -------------------------------------------------------------------------
    def _on_list_article_selected(self, article_id: int) -> None:
        if article_id and article_id == self.reader_pane.article_id():
            self.reader_pane.set_search_terms(self.controller.terms)
        elif article_id:
            self.show_article_id(article_id)

    def show_article_id(self, article_id: int | None) -> None:
        self._leave_article()
        self._show(self.controller.load_article(article_id) if article_id else None)

    def _show(self, article: Article | None, keep_scroll: bool = False) -> None:
        self.reader_pane.present(article, self.controller.terms, keep_scroll=keep_scroll)
        self.pane_actions["toggle_star"].setText("★ Starred" if article is not None and article.starred else "☆ Star")
        if article is not None:
            self._shown_position = article.read_position
        if not keep_scroll:
            self.controller.article_opened(article, chosen=not self._automatic)
        self.article_shown.emit(article.id if article else 0)

    def _leave_article(self) -> None:
        current = self.reader_pane.article()
        if current is not None:
            self.controller.save_position(current.id, self.reader_pane.scroll_fraction(), self._shown_position)

    def _shown_ids(self) -> list[int]:
        article_id = self.reader_pane.article_id()
        return [article_id] if article_id else []

    # --- controller events ------------------------------------------------------------------------
    def _on_controller_list_ready(self, ids: list[int], select: int | None, partial: bool = False) -> None:
        current, c = self.reader_pane.article_id(), self.controller
        if self.search.is_pending():  # typed on: the newer query's list comes within the debounce
            return
        # the rest of a list whose first page is shown: appended in place (selection and scroll stay)
        if not partial and self.model.same_ids(ids) and self.model.total():
            self.model.refresh_all()  # the same list (a refresh): rows re-read, scroll and selection stay
        elif partial or not (self.model.extend_ids(ids) or c.in_place and self.model.merge_ids(ids)):
            self.model.set_ids(ids)
            if partial:
                self.model.mark_partial()
        if not partial:  # search across translations: rows found only in their translation are marked
            self.model.set_translation_matches(self.controller.translation_matches)
        self.search.set_count(None if partial else len(ids))
        self.statusBar().showMessage("Loading…" if partial else f"{len(ids):,} article{'s' if len(ids) != 1 else ''}")
        if not ids:
            self.show_article_id(None)
            return
        self._automatic = True  # the list chose this row, not the person: it is shown, not marked read
        self.article_list.select_first((select if select and select > 0 else None, self._restore_article,
                                        self.model.id_at(0) if select == FIRST_ROW else None, current))
        self._automatic = False
        if not partial and self.controller.is_settled():
            self._restore_article = None  # kept through start-up: its last list must not pick row 0

    def _on_controller_articles_changed(self, ids: list[int]) -> None:
        self.model.refresh_ids(ids)
        current = self.reader_pane.article_id()
        if current in ids:
            article = self.controller.load_article(current)
            if article is not None:
                self._show(article, keep_scroll=True)

    def _refresh_shown(self) -> None:
        """Re-read the list's rows and the article on screen (its tags, flags, text) in place."""
        self.model.refresh_all()
        current = self.reader_pane.article_id()
        if current:
            self._on_controller_articles_changed([current])

    def _offer_undo(self, text: str) -> None:
        self.message_bar.show_message(text, action="Undo", callback=self._on_action_undo,
                                      timeout_ms=UNDO_TIMEOUT_MS)

    def _on_annotations_highlight_deleted(self, _highlight_id: int, quote: str) -> None:
        short = " ".join(quote.split())
        self._offer_undo(f"Deleted the highlight “{short if len(short) <= 40 else short[:39] + '…'}”.")

    def _on_annotations_article_requested(self, article_id: int) -> None:
        if not self.article_list.select_id(article_id):  # not in the current list: show it anyway
            self.show_article_id(article_id)

    def _on_controller_import_finished(self, outcomes: list[ImportOutcome], cancelled: bool, quiet: bool) -> None:
        self.import_progress.finish()
        if quiet and not any(o.status == "skipped" for o in outcomes):
            return
        dialog = dialogs.ImportSummaryDialog(outcomes, cancelled, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.reimport_requested.connect(lambda path, enc: self.controller.import_paths([path], encoding=enc))
        self.last_import_summary = dialog
        dialog.open()

    def show_error(self, message: str) -> None:
        if message:
            self.message_bar.show_message(message, kind="error")

    # --- actions that open a dialog (the rest are one-liners in _action_handlers) -----------------
    def _import(self, paths: list[str]) -> None:
        if paths:
            self.controller.import_paths(paths)

    def _on_action_preferences(self) -> None:
        dialog = dialogs.PreferencesDialog(self.settings, self, translation=self.controllers.translation)
        if dialog.exec() == dialogs.PreferencesDialog.DialogCode.Accepted:
            self.set_preferences(dialog.result_settings())

    def set_preferences(self, settings: Settings) -> None:
        """Save and apply new preferences (the dialog's OK, and tests)."""
        try:
            save_settings(settings)
        except Exception as exc:  # noqa: BLE001 - StorageError or an OS error: show, keep going
            self.show_error(str(exc))
        self.apply_settings(settings)

    def _on_action_undo(self) -> None:
        self.message_bar.hide_message()
        if not self.controllers.undo.undo():
            self.statusBar().showMessage("Nothing to undo", 3000)

    def _on_action_add_tags(self) -> None:
        ids = self.article_list.selected_ids()
        if not ids:
            return
        dialog = dialogs.TagsDialog(len(ids), self.controller.known_tags, self)
        if dialog.exec() == dialogs.TagsDialog.DialogCode.Accepted:
            self.controller.add_tags(ids, dialog.names())

    def _on_action_edit_details(self) -> None:
        article = self.reader_pane.article()
        if article is None:
            return
        dialog = dialogs.MetadataDialog(article, self)
        if dialog.exec() == dialogs.MetadataDialog.DialogCode.Accepted:
            self.controller.update_article(article.id, **dialog.changes().as_changes())
        elif dialog.reimport_choice is not None:
            self.controller.import_paths([dialog.reimport_choice[0]], encoding=dialog.reimport_choice[1])

    def _on_action_delete(self) -> None:
        ids = self.article_list.selected_ids()
        if ids:
            self.controller.delete(ids, self.article_list.id_after_removing(ids))

    def _on_action_shortcuts(self) -> None:
        self.shortcuts_dialog = dialogs.ShortcutsDialog(shortcut_rows(), self)
        self.shortcuts_dialog.open()

    # --- window events ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self._import(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reading.set_focus_mode(False)  # the panes' sizes are saved, not their absence
        self._leave_article()
        self.save_state()
        super().closeEvent(event)

