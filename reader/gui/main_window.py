"""The main window: builds the panes, the actions and the menus, and wires signals in one place.

No SQL and no business logic here: intents from widgets go to the :class:`LibraryController`, and
its signals update the widgets (STYLE.md practices 2 and 3).

Signals:
    article_shown(int): the reader pane now shows this article (painted on the next frame).
    ready(): start-up work is done, the list is loaded and the first article shown (screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

import reader
from reader.core.models import Article, ImportOutcome, Tag
from reader.core.settings import Settings, save_settings
from reader.gui.actions import ACTIONS, MENUS, shortcut_rows
from reader.gui.controller import FIRST_ROW, LibraryController
from reader.gui.models.article_model import SORT_KEYS, ArticleTableModel
from reader.gui.theme import apply_theme, style_widgets
from reader.gui.translation import TranslationController
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
IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm *.json *.epub);;All files (*)"


class MainWindow(QMainWindow):
    """The reader window. See the module docstring for its signals."""

    article_shown = Signal(int)
    ready = Signal()

    def __init__(self, controller: LibraryController, settings: Settings, ui_state: QSettings,
                 parent: QWidget | None = None, *, translation: TranslationController | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.ui_state = ui_state
        self._shown_position = 0.0
        self._ready_emitted = False
        self._settled = False
        self.last_import_summary: dialogs.ImportSummaryDialog | None = None
        self.setWindowTitle("Polyglot Reader")
        self.setObjectName("mainWindow")
        self._init_panes()
        self._init_actions()
        self._init_menus()
        self._init_status_bar()
        self._init_translation(translation)
        self._init_annotations()
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
        middle = QWidget(self)
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
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reader_pane)
        self.splitter.setStretchFactor(2, 1)
        self.sidebar.setMinimumWidth(150)
        middle.setMinimumWidth(260)
        self.reader_pane.setMinimumWidth(320)
        self.message_bar = MessageBar(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _init_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        for spec in ACTIONS:
            action = QAction(spec.text, self)
            action.setObjectName(f"action_{spec.name}")
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{spec.help} ({' or '.join(spec.keys)})" if spec.keys else spec.help)
            handler: Callable[[], None] = getattr(self, f"_on_action_{spec.name}")
            action.triggered.connect(lambda _=False, h=handler: h())
            self.addAction(action)
            self.actions_by_name[spec.name] = action
        a = self.actions_by_name
        self.article_list.addActions([a["toggle_read"], a["toggle_star"], a["archive"], a["add_tags"],
                                      a["edit_details"], a["delete"]])
        self.pane_actions: dict[str, QAction] = {}
        for name, text in (("toggle_star", "☆ Star"), ("edit_details", "Details…")):
            button_action = QAction(text, self)
            button_action.setToolTip(a[name].toolTip())
            button_action.triggered.connect(a[name].trigger)
            self.reader_pane.toolbar.addAction(button_action)
            self.pane_actions[name] = button_action

    def _init_menus(self) -> None:
        bar = self.menuBar()
        for key, title in MENUS:
            menu = bar.addMenu(title)
            for spec in ACTIONS:
                if spec.menu == key:
                    if spec.name in ("quit", "undo", "delete", "shortcuts"):
                        menu.addSeparator()
                    menu.addAction(self.actions_by_name[spec.name])

    def _init_status_bar(self) -> None:
        status = QStatusBar(self)
        status.setObjectName("statusBar")
        self.setStatusBar(status)
        self.menuBar().setObjectName("menuBar")
        self.import_progress = ImportProgress(self)
        status.addPermanentWidget(self.import_progress)

    def _init_translation(self, translation: TranslationController | None) -> None:
        """The translate toggle, bar, Retry, re-translate and selection popup (reader.gui.translation_ui)."""
        self.translation_ui = TranslationUi(self, translation) if translation is not None else None

    def _init_annotations(self) -> None:
        """Highlights panel, highlight drawing, All highlights, tags, saved searches (reader.gui.annotations_ui)."""
        from reader.gui.annotations_ui import AnnotationsUi

        self.annotations = AnnotationsUi(self)

    def _connect_signals(self) -> None:
        c = self.controller
        self.sidebar.view_selected.connect(c.set_view)
        self.search.query_changed.connect(c.set_query)
        self.model.sort_requested.connect(c.set_sort)
        self.article_list.article_selected.connect(self._on_list_article_selected)
        self.reader_pane.tag_add_requested.connect(self._on_pane_tag_add_requested)
        self.reader_pane.tag_remove_requested.connect(self._on_pane_tag_remove_requested)
        self.import_progress.cancel_requested.connect(self._on_import_cancel_requested)
        c.list_ready.connect(self._on_controller_list_ready)
        c.counts_ready.connect(self._on_controller_counts_ready)
        c.query_error.connect(self.search.set_error)
        c.articles_changed.connect(self._on_controller_articles_changed)
        c.error.connect(self.show_error)
        c.deleted.connect(self._on_controller_deleted)
        c.import_started.connect(self._on_controller_import_started)
        c.import_progress.connect(self.import_progress.update_progress)
        c.import_finished.connect(self._on_controller_import_finished)
        c.settled.connect(self._on_controller_settled)
        c.runner.busy_changed.connect(self._on_runner_busy_changed)

    # --- state ------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self.ui_state
        geometry = s.value("window/geometry", QByteArray(), type=QByteArray)
        if not geometry or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        split = s.value("window/splitter", QByteArray(), type=QByteArray)
        if not split or not self.splitter.restoreState(split):
            self.splitter.setSizes(DEFAULT_SPLIT)
        header = s.value("list/header", QByteArray(), type=QByteArray)
        hh = self.article_list.horizontalHeader()
        if header and hh.restoreState(header):
            key = SORT_KEYS.get(hh.sortIndicatorSection())
            if key is not None:
                self.controller.sort = key
                self.controller.descending = hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self._restore_article = s.value("list/last_article", 0, type=int) or None

    def save_state(self) -> None:
        s = self.ui_state
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("list/header", self.article_list.horizontalHeader().saveState())
        s.setValue("list/last_article", self.reader_pane.article_id() or 0)
        s.sync()

    def apply_settings(self, settings: Settings, *, theme: bool = True) -> None:
        """Use new settings now: reading font and size, dwell, theme."""
        self.settings = settings
        font = QFont(settings.reading_font or "DejaVu Serif")
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSize(max(6, settings.reading_font_size))
        self.controller.dwell_ms = settings.mark_read_after_ms
        if theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, settings.theme)
        style_widgets(self)
        self.reader_pane.set_reading_font(font)
        if self.translation_ui is not None:
            self.translation_ui.controller.update_settings(settings)

    def start(self, files: list[str] | None = None) -> None:
        """Load the library (and seed / import) — call once, after show()."""
        self.controller.start(files or [])

    # --- showing articles -------------------------------------------------------------------------
    def _on_list_article_selected(self, article_id: int) -> None:
        if not article_id:
            return
        if article_id == self.reader_pane.article_id():
            self.reader_pane.set_search_terms(self.controller.terms)
            return
        self.show_article_id(article_id)

    def show_article_id(self, article_id: int | None) -> None:
        self._leave_article()
        article = self.controller.load_article(article_id) if article_id else None
        self._show(article)

    def _show(self, article: Article | None, keep_scroll: bool = False) -> None:
        fraction = self.reader_pane.scroll_fraction() if keep_scroll else None
        self.reader_pane.show_article(article)
        self.reader_pane.set_search_terms(self.controller.terms)
        if article is not None:
            if fraction is not None:
                self.reader_pane.set_scroll_fraction(fraction)
            elif self.controller.terms and self.reader_pane.highlight_count():
                self.reader_pane.scroll_to_first_highlight()
            elif article.read_position > 0:
                self.reader_pane.set_scroll_fraction(article.read_position)
            self._shown_position = article.read_position
            self._update_star_button(article.starred)
        if not keep_scroll:
            self.controller.article_opened(article)
        self.article_shown.emit(article.id if article else 0)

    def _leave_article(self) -> None:
        current = self.reader_pane.article()
        if current is not None:
            self.controller.save_position(current.id, self.reader_pane.scroll_fraction(), self._shown_position)

    def _update_star_button(self, starred: bool) -> None:
        self.pane_actions["toggle_star"].setText("★ Starred" if starred else "☆ Star")

    # --- controller events ------------------------------------------------------------------------
    def _on_controller_list_ready(self, ids: list[int], select: int | None, partial: bool = False) -> None:
        current = self.reader_pane.article_id()
        # the rest of a list whose first page is shown: appended in place (selection and scroll stay)
        if partial or not self.model.extend_ids(ids):
            self.model.set_ids(ids)
            if partial:
                self.model.mark_partial()
        self.search.set_count(None if partial else len(ids))
        self.statusBar().showMessage("Loading…" if partial else f"{len(ids):,} article{'s' if len(ids) != 1 else ''}")
        if not ids:
            self.show_article_id(None)
            return
        wanted = (
            select if select and select > 0 else None,
            self._restore_article,
            self.model.id_at(0) if select == FIRST_ROW else None,
            current,
        )
        for candidate in wanted:
            if candidate and self.article_list.select_id(candidate):
                break
        else:
            self.article_list.select_row(0)
        if not partial:
            self._restore_article = None

    def _on_controller_counts_ready(self, views: dict[str, int], tags: list[Tag],
                                    langs: list[tuple[str, int]]) -> None:
        self.sidebar.set_counts(views, tags, langs)
        self.reader_pane.tag_row.set_known_tags([t.name for t in tags])

    def _on_controller_articles_changed(self, ids: list[int]) -> None:
        self.model.refresh_ids(ids)
        current = self.reader_pane.article_id()
        if current in ids:
            article = self.controller.load_article(current)
            if article is not None:
                self._show(article, keep_scroll=True)

    def _on_controller_deleted(self, count: int) -> None:
        self.message_bar.show_message(
            f"Deleted {count} article{'s' if count != 1 else ''}.", action="Undo",
            callback=self.controller.undo, timeout_ms=15_000,
        )

    def _on_controller_import_started(self, total: int) -> None:
        self.import_progress.start(total)

    def _on_controller_import_finished(self, outcomes: list[ImportOutcome], cancelled: bool, quiet: bool) -> None:
        self.import_progress.finish()
        skipped = [o for o in outcomes if o.status == "skipped"]
        if quiet and not skipped:
            return
        dialog = dialogs.ImportSummaryDialog(outcomes, cancelled, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.last_import_summary = dialog
        dialog.open()

    def _on_controller_settled(self) -> None:
        self._settled = True
        self._maybe_ready()

    def _on_runner_busy_changed(self, busy: bool) -> None:
        if not busy:
            self._maybe_ready()

    def _maybe_ready(self) -> None:
        if self._settled and not self._ready_emitted and not self.controller.runner.pending():
            self._ready_emitted = True
            QTimer.singleShot(0, self.ready.emit)

    def is_ready(self) -> bool:
        return self._ready_emitted

    def show_error(self, message: str) -> None:
        if message:
            self.message_bar.show_message(message, kind="error")

    # --- pane intents -----------------------------------------------------------------------------
    def _on_pane_tag_add_requested(self, name: str) -> None:
        article_id = self.reader_pane.article_id()
        if article_id:
            self.controller.add_tags([article_id], [name])

    def _on_pane_tag_remove_requested(self, name: str) -> None:
        article_id = self.reader_pane.article_id()
        if article_id:
            self.controller.remove_tag([article_id], name)

    def _on_import_cancel_requested(self) -> None:
        self.import_progress.cancelling()
        self.controller.cancel_import()

    # --- actions (one handler per entry of reader.gui.actions.ACTIONS) ----------------------------
    def _selected(self) -> list[int]:
        return self.article_list.selected_ids()

    def _flag_toggle(self, name: str) -> None:
        ids = self._selected()
        if not ids:
            return
        summaries = self.controller.summaries(ids)
        attr = {"read": "read", "starred": "starred", "archived": "archived"}[name]
        value = not all(getattr(s, attr) for s in summaries.values())
        self.controller.set_flag(ids, name, value)

    def _on_action_import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", str(Path.home()), IMPORT_FILTER)
        if files:
            self.controller.import_paths(files)

    def _on_action_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", str(Path.home()))
        if folder:
            self.controller.import_paths([folder])

    def _on_action_preferences(self) -> None:
        dialog = dialogs.PreferencesDialog(
            self.settings, self, translation=self.translation_ui.controller if self.translation_ui else None)
        if dialog.exec() == dialogs.PreferencesDialog.DialogCode.Accepted:
            self.set_preferences(dialog.result_settings())

    def set_preferences(self, settings: Settings) -> None:
        """Save and apply new preferences (the dialog's OK, and tests)."""
        try:
            save_settings(settings)
        except Exception as exc:  # noqa: BLE001 - StorageError or an OS error: show, keep going
            self.show_error(str(exc))
        self.apply_settings(settings)

    def _on_action_quit(self) -> None:
        self.close()

    def _on_action_undo(self) -> None:
        if self.controller.can_undo():
            self.message_bar.hide_message()
            self.controller.undo()
        elif self.annotations.controller.can_undo():  # a deleted highlight
            self.message_bar.hide_message()
            self.annotations.controller.undo_delete()
        else:
            self.statusBar().showMessage("Nothing to undo", 3000)

    def _on_action_find(self) -> None:
        self.search.focus()

    def _on_action_next(self) -> None:
        self.article_list.move(1)

    def _on_action_previous(self) -> None:
        self.article_list.move(-1)

    def _on_action_page_down(self) -> None:
        self.reader_pane.page(1)

    def _on_action_page_up(self) -> None:
        self.reader_pane.page(-1)

    def _on_action_toggle_star(self) -> None:
        self._flag_toggle("starred")

    def _on_action_toggle_read(self) -> None:
        self._flag_toggle("read")

    def _on_action_archive(self) -> None:
        self._flag_toggle("archived")

    def _on_action_add_tags(self) -> None:
        ids = self._selected()
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
            edit = dialog.changes()
            changes: dict[str, Any] = {k: v for k, v in vars(edit).items() if v not in (None, False)}
            self.controller.update_article(article.id, **changes)

    def _on_action_delete(self) -> None:
        ids = self._selected()
        if not ids:
            return
        index = self.article_list.currentIndex()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        after_row = (max(rows) + 1) if rows else index.row() + 1
        nxt = self.model.id_at(after_row) if after_row < self.model.total() else self.model.id_at(min(rows or [0]) - 1)
        self.controller.delete(ids, nxt)

    def _on_action_translate_toggle(self) -> None:
        self.reader_pane.cycle_mode()

    def _on_action_retranslate(self) -> None:
        if self.translation_ui is not None:
            self.translation_ui.retranslate_article()

    def _on_action_highlight(self) -> None:
        self.annotations.highlight_selection()

    def _on_action_highlight_yellow(self) -> None:
        self.annotations.highlight_selection("yellow")

    def _on_action_highlight_green(self) -> None:
        self.annotations.highlight_selection("green")

    def _on_action_highlight_blue(self) -> None:
        self.annotations.highlight_selection("blue")

    def _on_action_highlight_pink(self) -> None:
        self.annotations.highlight_selection("pink")

    def _on_action_highlight_purple(self) -> None:
        self.annotations.highlight_selection("purple")

    def _on_action_note(self) -> None:
        self.annotations.edit_note()

    def _on_action_manage_tags(self) -> None:
        self.annotations.open_tag_manager()

    def _on_action_save_search(self) -> None:
        self.annotations.save_search()

    def _on_action_all_highlights(self) -> None:
        self.annotations.open_all_highlights()

    def _on_action_toggle_annotations(self) -> None:
        self.annotations.toggle_panel()

    def _on_action_shortcuts(self) -> None:
        self.shortcuts_dialog = dialogs.ShortcutsDialog(shortcut_rows(), self)
        self.shortcuts_dialog.open()

    def _on_action_about(self) -> None:
        QMessageBox.about(
            self, "About Polyglot Reader",
            f"<b>Polyglot Reader {reader.__version__}</b><p>Read articles offline in any language.</p>",
        )

    # --- window events ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.controller.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._leave_article()
        self.save_state()
        super().closeEvent(event)


def window_icon() -> QIcon:
    from reader.paths import resource

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = resource(f"icons/icon-{size}.png")
        if png.exists():
            icon.addFile(str(png))
    if icon.isNull():
        icon = QIcon(str(resource("icon.svg")))
    return icon
