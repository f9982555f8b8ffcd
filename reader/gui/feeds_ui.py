"""The feeds part of the window: the sidebar's Feeds section, Add Feed…, Save Link… (and pasted or
dropped web addresses), OPML Import…/Export…, and the background refresh, connected to the
:class:`~reader.gui.controllers.feeds.FeedsController` (which runs every network call and write on
the task runner, never on the GUI thread).

:class:`FeedsUi` is built by the window with exactly what it uses: the window (parent of the dialogs,
owner of the status bar; its drops are watched through an event filter), the two controllers, the
sidebar, the message bar, the settings and the window's ``offer_undo``. The window merges
:meth:`FeedsUi.handlers` into its action handlers and calls :meth:`apply_settings`.

* **Feeds in the sidebar**: re-read (off the GUI thread) whenever the library's counts are, so the
  unread counts follow reading; a feed whose last fetch failed shows ⚠ with the reason as tooltip.
  Choosing a feed lists its articles; its context menu has Refresh, Mark All as Read (undoable),
  Edit… and Unsubscribe… (keep or delete its articles).
* **Background refresh**: the due feeds when the window opens (``refresh_feeds_on_start``) and every
  ``refresh_feeds_minutes``; progress and Cancel in the status bar. New articles are put into the
  list in place (rows inserted: the selection and the rows in view stay), every couple of seconds
  while a refresh goes on and at its end.
* **Save Link…** (Ctrl+L), **Ctrl+V** outside text fields, or a dropped http(s) address: the page is
  fetched once and kept; the status bar says "Saved …" or "Already in the library: …".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QEvent, QMimeData, QObject, QSettings, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow

from reader.core.models import Feed, FeedRefresh, ImportOutcome
from reader.core.settings import Settings
from reader.gui.controllers.feeds import FeedsController
from reader.gui.controllers.library import LibraryController
from reader.gui.widgets.feed_dialogs import (
    AddFeedDialog,
    EditFeedDialog,
    FeedChoice,
    SaveLinkDialog,
    unsubscribe_box,
)
from reader.gui.widgets.message_bar import MessageBar
from reader.gui.widgets.sidebar import Sidebar
from reader.gui.widgets.task_progress import TaskProgress

FOLDER_KEY = "feeds/opml_folder"
STATUS_MS = 6000


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


def web_addresses(mime: QMimeData | None) -> list[str]:
    """The http(s) addresses a drop or the clipboard carries (links, or text that is one or more)."""
    if mime is None:
        return []
    found = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")] if mime.hasUrls() else []
    if not found and mime.hasText():
        found = [w for w in mime.text().split() if w.lower().startswith(("http://", "https://"))]
    return list(dict.fromkeys(found))


class FeedsUi(QObject):
    """See the module docstring."""

    def __init__(self, host: QMainWindow, controller: FeedsController, library: LibraryController,
                 sidebar: Sidebar, message_bar: MessageBar, settings: Settings, ui_state: QSettings,
                 offer_undo: Callable[[str], None]) -> None:
        super().__init__(host)
        self.host = host
        self.controller = controller
        self.library = library
        self.sidebar = sidebar
        self.message_bar = message_bar
        self.ui_state = ui_state
        self.offer_undo = offer_undo
        self.settings = settings
        self.progress = TaskProgress(host)
        self.progress.setObjectName("feedProgress")
        self.progress.cancel_requested.connect(controller.cancel_refresh)
        self.dialog: Any = None  # the feeds dialog open now (tests drive it)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.refresh(due_only=True))
        self._opening = True  # the first feed list after start-up may start the refresh on start
        self._show_feed: int | None = None  # a feed just added: its articles are shown
        self._new = 0
        self._failures = 0
        self._said: tuple[str, float] = ("", 0.0)  # the last status line and until when it stands
        c = controller
        c.feeds_ready.connect(self._on_controller_feeds_ready)
        c.discovered.connect(self._on_controller_discovered)
        c.discover_failed.connect(self._on_controller_discover_failed)
        c.added.connect(self._on_controller_added)
        c.refresh_started.connect(self._on_controller_refresh_started)
        c.refresh_progress.connect(self._on_controller_refresh_progress)
        c.refresh_finished.connect(self._on_controller_refresh_finished)
        c.articles_arrived.connect(self._on_controller_articles_arrived)
        c.link_saved.connect(self._on_controller_link_saved)
        c.opml_imported.connect(self._on_controller_opml_imported)
        c.opml_exported.connect(lambda path, n: self._say(f"Exported {_n(n, 'feed')} to {path}", 20_000))
        c.feeds_changed.connect(self._on_controller_feeds_changed)
        c.marked_read.connect(self._on_controller_marked_read)
        c.removed.connect(self._on_controller_removed)
        c.failed.connect(self._on_controller_failed)
        library.counts_ready.connect(lambda *_: c.reload())  # the feeds' unread counts follow the others
        library.external_change.connect(c.reload)
        library.ready.connect(self._on_library_ready)
        library.list_ready.connect(self._on_library_list_ready)
        sidebar.feed_action_requested.connect(self._on_sidebar_feed_action)
        sidebar.folder_refresh_requested.connect(lambda folder: self.refresh(sidebar.folder_feeds(folder)))
        sidebar.add_feed_requested.connect(self.add_feed)
        host.installEventFilter(self)

    def handlers(self) -> dict[str, Callable[[], object]]:
        """The window's action handlers for the feeds commands (see :data:`reader.gui.actions.ACTIONS`)."""
        return {"add_feed": self.add_feed, "refresh_feeds": lambda: self.refresh(), "save_link": self.save_link,
                "paste_link": self.paste_link, "import_opml": self.import_opml, "export_opml": self.export_opml}

    def apply_settings(self, settings: Settings) -> None:
        """The refresh interval of the preferences, from now on."""
        self.settings = settings
        if self.library.is_settled():
            self._start_timer()

    # --- commands -------------------------------------------------------------------------------------
    def add_feed(self, url: str = "") -> None:
        dialog = AddFeedDialog(self.controller.folders(), self.host, url=url)
        dialog.lookup_requested.connect(self.controller.discover)
        dialog.subscribe_requested.connect(self._on_dialog_subscribe)
        self.dialog = dialog
        dialog.open()
        dialog.url.setFocus()

    def refresh(self, ids: Sequence[int] | None = None, *, due_only: bool = False) -> None:
        if not self.controller.refresh(ids, due_only=due_only) and not due_only:
            self._say("Feeds are being refreshed already (Cancel it in the status bar)")

    def save_link(self) -> None:
        clip = web_addresses(QApplication.clipboard().mimeData())
        dialog = SaveLinkDialog(clip[0] if clip else "", self.host)
        dialog.accepted.connect(lambda: self._save([dialog.address()]))
        self.dialog = dialog
        dialog.open()

    def paste_link(self) -> None:
        """Ctrl+V outside text fields: the clipboard's web address(es) are saved as articles."""
        found = web_addresses(QApplication.clipboard().mimeData())
        if not found:
            self._say("The clipboard holds no web address to save (Ctrl+V saves a copied link)")
            return
        self._save(found)

    def import_opml(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.host, "Import OPML", self._folder(),
                                              "OPML files (*.opml *.xml);;All files (*)")
        if path:
            self.ui_state.setValue(FOLDER_KEY, str(Path(path).parent))
            self._say(f"Importing {Path(path).name}…", 0)
            self.progress_start("Importing feeds")
            self.controller.import_opml(Path(path))

    def export_opml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.host, "Export OPML", str(Path(self._folder()) / "feeds.opml"),
                                              "OPML files (*.opml);;All files (*)")
        if path:
            if not Path(path).suffix:
                path += ".opml"
            self.ui_state.setValue(FOLDER_KEY, str(Path(path).parent))
            self.controller.export_opml(Path(path))

    def progress_start(self, verb: str) -> None:
        bar = self.host.statusBar()
        if self.progress.parentWidget() is not bar:  # the status bar is built after the window's parts
            bar.addPermanentWidget(self.progress)
        self.progress.start(verb, "feeds")

    # --- the sidebar ----------------------------------------------------------------------------------
    def _on_sidebar_feed_action(self, feed_id: int, action: str) -> None:
        feed = self.controller.feed(feed_id)
        if feed is None:
            return
        if action == "refresh":
            self.refresh([feed_id])
        elif action == "mark_read":
            self.controller.mark_all_read(feed_id)
        elif action == "edit":
            dialog = EditFeedDialog(feed, self.controller.folders(), self.host)
            dialog.accepted.connect(lambda: self._on_edit_accepted(feed_id, dialog.changes()))
            self.dialog = dialog
            dialog.open()
        elif action == "unsubscribe":
            box, buttons = unsubscribe_box(feed, self.host)

            def answered(button: object) -> None:
                if button is buttons["keep"] or button is buttons["delete"]:
                    self.controller.remove(feed_id, delete_articles=button is buttons["delete"])

            box.buttonClicked.connect(answered)
            self.dialog = box
            box.open()

    def _on_edit_accepted(self, feed_id: int, changes: dict[str, Any]) -> None:
        if changes:
            self.controller.edit(feed_id, **changes)

    # --- results ---------------------------------------------------------------------------------------
    def _on_controller_feeds_ready(self, feeds: list[Feed]) -> None:
        self.sidebar.set_feeds(feeds)
        if self._show_feed is not None and self.sidebar.feed_index(self._show_feed).isValid():
            self.sidebar.select("feed", str(self._show_feed))
            self._show_feed = None
        kind, value = self.library.view
        if kind == "feed" and not any(str(f.id) == value for f in feeds):  # it was unsubscribed
            self.sidebar.select("view", "all")
            if self.library.view[0] == "feed":
                self.library.set_view("view", "all")
        if self._opening and self.library.is_settled():
            self._opening = False
            if feeds and self.settings.refresh_feeds_on_start:
                self.refresh(due_only=True)

    def _on_library_ready(self) -> None:
        self._start_timer()
        self.controller.reload()

    def _start_timer(self) -> None:
        minutes = self.settings.refresh_feeds_minutes
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _on_controller_discovered(self, url: str, candidates: list[Any]) -> None:
        if isinstance(self.dialog, AddFeedDialog):
            self.dialog.set_candidates(url, candidates)

    def _on_controller_discover_failed(self, url: str, message: str) -> None:
        if isinstance(self.dialog, AddFeedDialog):
            self.dialog.set_error(url, message)

    def _on_dialog_subscribe(self, choice: FeedChoice) -> None:
        self.controller.add(choice.url, folder=choice.folder, title=choice.title, full_text=choice.full_text,
                            site_url=choice.site_url)

    def _on_controller_added(self, feed: Feed, result: FeedRefresh | None) -> None:
        if isinstance(self.dialog, AddFeedDialog):
            self.dialog.accept()
            self.dialog = None
        text = f"Subscribed to {feed.title}"
        if result is not None:
            text += f": {result.error}" if not result.ok else f", {_n(result.new, 'new article')}"
        self._say(text, 10_000)
        self._show_feed = feed.id  # chosen in the sidebar once the feed list has it

    def _on_controller_refresh_started(self, _total: int) -> None:
        self._new = 0
        self._failures = 0

    def _on_controller_refresh_progress(self, done: int, total: int, results: list[FeedRefresh]) -> None:
        if total <= 0:
            return
        if not self.progress.isVisible() and done < total:
            self.progress_start("Refreshing feeds")
        for result in results:
            self._new += result.new
            self._failures += 0 if result.ok else 1
        self.progress.update_progress(done, total)

    def _on_controller_refresh_finished(self, results: list[FeedRefresh], cancelled: bool) -> None:
        self.progress.finish()
        if not results and not cancelled:
            return
        text = f"Feeds refreshed: {_n(self._new, 'new article')}"
        if cancelled:
            text = f"Refresh cancelled after {_n(len(results), 'feed')}: {_n(self._new, 'new article')}"
        if self._failures:
            text += f" ({_n(self._failures, 'feed')} failed: see ⚠ in the sidebar)"
        self._say(text, 10_000)

    def _on_controller_articles_arrived(self) -> None:
        self.library.reload_counts()
        self.library.reload_list(keep_current=True, whole=True, in_place=True)

    def _on_controller_link_saved(self, outcome: ImportOutcome) -> None:
        title = outcome.title or outcome.path
        if outcome.status == "imported":
            self._say(f"Saved “{title}”", 10_000)
        elif outcome.status == "duplicate":
            self._say(f"Already in the library: “{title}”", 10_000)
        else:
            self.message_bar.show_message(f"Could not save {outcome.path}: {outcome.reason}", kind="error")

    def _on_controller_opml_imported(self, feeds: list[Feed]) -> None:
        self.progress.finish()
        failed = [f for f in feeds if f.last_error]
        text = f"Imported {_n(len(feeds), 'new feed')} from OPML"
        if failed:
            text += f" ({len(failed)} could not be fetched: see ⚠ in the sidebar)"
        self.message_bar.show_message(text + ".", timeout_ms=20_000)

    def _on_controller_feeds_changed(self) -> None:
        self.library.reload_counts()
        self.library.reload_list(keep_current=True, whole=True, in_place=True)

    def _on_controller_marked_read(self, n: int, title: str) -> None:
        if n:
            self.offer_undo(f"Marked {_n(n, 'article')} of {title} read.")
        else:
            self._say(f"No unread articles in {title}")

    def _on_controller_removed(self, title: str, deleted: int, kept: int) -> None:
        text = f"Unsubscribed from {title}"
        text += f": {_n(deleted, 'article')} deleted" if deleted else ""
        text += f"{',' if deleted else ':'} {_n(kept, 'article')} kept" if kept else ""
        self.message_bar.show_message(text + ".", timeout_ms=15_000)

    def _on_controller_failed(self, what: str, message: str) -> None:
        if what == "add" and isinstance(self.dialog, AddFeedDialog):
            self.dialog.set_error("", message)
            return
        if what == "opml":
            self.progress.finish()
        self.message_bar.show_message(message, kind="error")

    # --- drops ----------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A dragged web address (not a file) is accepted and, dropped, saved as an article."""
        if event.type() == QEvent.Type.DragEnter:
            drag = cast(QDragEnterEvent, event)
            mime = drag.mimeData()
            if web_addresses(mime) and not any(u.isLocalFile() for u in mime.urls()):
                drag.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            drop = cast(QDropEvent, event)
            mime = drop.mimeData()
            found = web_addresses(mime)
            if found and not any(u.isLocalFile() for u in mime.urls()):
                drop.acceptProposedAction()
                self._save(found)
                return True
        return super().eventFilter(watched, event)

    # --- helpers --------------------------------------------------------------------------------------
    def _save(self, urls: list[str]) -> None:
        for url in urls:
            if url.strip():
                self._say(f"Saving {url}…", 0)
                self.controller.save_link(url.strip())

    def _say(self, text: str, ms: int = STATUS_MS) -> None:
        """A status-bar line; it outlives the list's "N articles" that a re-read list shows."""
        self.host.statusBar().showMessage(text, ms)
        self._said = (text, time.monotonic() + (ms / 1000 if ms else 3600.0))

    def _on_library_list_ready(self, *_args: object) -> None:
        QTimer.singleShot(0, self._say_again)  # after the window's own "N articles"

    def _say_again(self) -> None:
        text, until = self._said
        if text and time.monotonic() < until:
            self.host.statusBar().showMessage(text, max(1, int((until - time.monotonic()) * 1000)))

    def _folder(self) -> str:
        folder = Path(cast(str, self.ui_state.value(FOLDER_KEY, "", type=str)) or Path.home())
        return str(folder if folder.is_dir() else Path.home())


__all__ = ["FeedsUi", "web_addresses"]
