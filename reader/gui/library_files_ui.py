"""The library files parts of the window: File ▸ Export…, Back Up Library… and Restore…, connected
to the :class:`~reader.gui.controllers.library_files.LibraryFilesController` (which runs them on the
task runner's ``long`` lane, as ``reader-cli export``, ``backup`` and ``restore`` do the work).

:class:`LibraryFilesUi` is built by the window with exactly what it uses — the window as the parent
of its dialogs and owner of the status bar, the controller, the message bar, the article list and its
model (what is selected and listed), the library controller's current filter (the list while it is
still loading) and the QSettings for the last folder and format — and never reaches further into the
window. The window forwards its three File-menu actions to :meth:`export`, :meth:`backup` and
:meth:`restore`.

* **Export…** asks which articles (the selected ones, this list, every article) and the format (a
  folder of Markdown files, one Markdown file, JSON), then where.
* **Back Up Library…** asks for a ``.zip`` file: the whole library and the user settings.
* **Restore…** asks for a backup, reads its manifest (a damaged one is one line, before anything
  else is asked), then for a NEW library file to restore it into; *Open* in the message that
  follows starts a window on it. The window's own library is never replaced: that is what Zotero
  (restoring is replacing the data folder while Zotero is closed) and Calibre (a restored database
  is a separate library you switch to; the current one is kept) do too, and a restore over the open
  library would drop its undo history and everything added since the backup. ``reader-cli restore
  --replace`` is there for that on purpose.

While one runs, the status bar shows its progress with Cancel (one at a time); when it ends, the
message bar says what was written where ("Exported 12 articles to ~/notes.md") or, as one line,
why nothing was (the library file itself as a target, a full disk, a damaged backup).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QProcess, QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow

from reader.core.models import ListFilter
from reader.gui.controllers.library_files import FileJobResult, LibraryFilesController
from reader.gui.models.article_model import ArticleTableModel
from reader.gui.widgets.article_list import ArticleList
from reader.gui.widgets.export_dialog import ExportDialog
from reader.gui.widgets.message_bar import MessageBar
from reader.gui.widgets.task_progress import TaskProgress

if TYPE_CHECKING:  # reader.core.export is imported on the worker, when a job runs
    from reader.core.export import BackupInfo

FOLDER_KEY = "files/last_folder"
FORMAT_KEY = "files/export_format"
MESSAGE_MS = 20_000  #: how long a "written to ..." line stays (errors stay until dismissed)
VERBS = {"export": ("Exporting", "articles"), "backup": ("Backing up", "rows"), "restore": ("Restoring", "rows")}


def where(path: Path) -> str:
    """A path as the person reads it: ``~/notes/x.md`` under the home folder."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


def contents(counts: dict[str, int]) -> str:
    """"12 articles, 3 highlights and 2 tags" (what a backup holds)."""
    parts = [_n(counts.get("articles", 0), "article"), _n(counts.get("highlights", 0), "highlight"),
             _n(counts.get("tags", 0), "tag")]
    return f"{parts[0]}, {parts[1]} and {parts[2]}"


def open_library_window(path: Path) -> bool:
    """Start a window on the library at ``path`` (its own process: one window per library)."""
    frozen = bool(getattr(sys, "frozen", False))
    args = ["--db", str(path)] if frozen else ["-m", "reader", "--db", str(path)]
    started = QProcess.startDetached(sys.executable, args)
    return bool(started[0] if isinstance(started, tuple) else started)


class LibraryFilesUi(QObject):
    """The File menu's export, backup and restore (see the module docstring)."""

    def __init__(self, host: QMainWindow, controller: LibraryFilesController, message_bar: MessageBar,
                 article_list: ArticleList, model: ArticleTableModel, list_filter: Callable[[], ListFilter],
                 ui_state: QSettings) -> None:
        super().__init__(host)
        self.host = host
        self.controller = controller
        self.message_bar = message_bar
        self.article_list = article_list
        self.model = model
        self.list_filter = list_filter
        self.ui_state = ui_state
        self.progress = TaskProgress(host)  # goes into the status bar when a job starts
        self.export_dialog: ExportDialog | None = None
        self.progress.cancel_requested.connect(controller.cancel)
        controller.started.connect(self._on_controller_started)
        controller.progress.connect(lambda _kind, done, total: self.progress.update_progress(done, total))
        controller.finished.connect(self._on_controller_finished)
        controller.cancelled.connect(self._on_controller_cancelled)
        controller.failed.connect(self._on_controller_failed)
        controller.backup_read.connect(self._on_controller_backup_read)

    # --- commands (the window's File menu) ---------------------------------------------------------
    def export(self) -> None:
        """Ask what to export and how (a small dialog), then where; export in the background."""
        if self._busy():
            return
        listed = None if self.model.is_partial() else self.model.total()
        self.export_dialog = dialog = ExportDialog(
            len(self.article_list.selected_ids()), listed, parent=self.host,
            fmt=cast(str, self.ui_state.value(FORMAT_KEY, "md_folder", type=str)))
        dialog.accepted.connect(lambda: self._export_chosen(dialog.scope(), dialog.fmt()))
        dialog.open()

    def _export_chosen(self, scope: str, fmt: str) -> None:
        articles: list[int] | ListFilter
        if scope == "selected":
            articles = self.article_list.selected_ids()
        elif scope == "list":
            articles = self.list_filter() if self.model.is_partial() else self.model.ids()
        else:
            articles = ListFilter(archived=None, sort="added", descending=False)  # oldest first, as reader-cli
        start = self._start_folder()
        if fmt == "md_folder":
            dest = QFileDialog.getExistingDirectory(self.host, "Export to a folder (one Markdown file per article)",
                                                    str(start))
        else:
            kind, pattern = ("Markdown", "*.md") if fmt == "md_file" else ("JSON", "*.json")
            dest, _ = QFileDialog.getSaveFileName(self.host, f"Export to one {kind} file",
                                                  str(start / f"Polyglot Reader export{pattern[1:]}"),
                                                  f"{kind} ({pattern});;All files (*)")
        if not dest or self._busy():
            return
        self.ui_state.setValue(FORMAT_KEY, fmt)
        self._remember_folder(Path(dest) if fmt == "md_folder" else Path(dest).parent)
        self.controller.export(articles, fmt, Path(dest))

    def backup(self) -> None:
        """Ask for a .zip file and back the whole library up to it."""
        if self._busy():
            return
        suggested = self._start_folder() / f"Polyglot Reader backup {date.today().isoformat()}.zip"
        dest, _ = QFileDialog.getSaveFileName(self.host, "Back up the library", str(suggested),
                                              "Backups (*.zip);;All files (*)")
        if dest and not self._busy():
            self._remember_folder(Path(dest).parent)
            self.controller.backup(Path(dest))

    def restore(self) -> None:
        """Ask for a backup; once it reads as one, for the new library file to restore it into."""
        if self._busy():
            return
        src, _ = QFileDialog.getOpenFileName(self.host, "Restore a backup (into a new library)",
                                             str(self._start_folder()), "Backups (*.zip);;All files (*)")
        if src:
            self._remember_folder(Path(src).parent)
            self.controller.read_backup(Path(src))

    def _on_controller_backup_read(self, src: Path, info: BackupInfo) -> None:
        made = f"of {info.created_at[:10]} " if info.created_at else ""
        dest, _ = QFileDialog.getSaveFileName(
            self.host, f"Restore the backup {made}({_n(info.counts.get('articles', 0), 'article')}) into a new library",
            str(self._new_library_name()), "Libraries (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)  # an existing file is refused with a reason
        if dest and not self._busy():
            self.controller.restore(src, Path(dest))

    # --- results -------------------------------------------------------------------------------------
    def _on_controller_started(self, kind: str, _total: int) -> None:
        bar = self.host.statusBar()
        if self.progress.parentWidget() is not bar:  # the status bar is built after the window's parts
            bar.addPermanentWidget(self.progress)
        self.progress.start(*VERBS[kind])

    def _on_controller_finished(self, kind: str, r: FileJobResult) -> None:
        self.progress.finish()
        if kind == "export":
            text = f"Exported {_n(r.articles, 'article')} to {where(r.path)}"
            if r.fmt == "md_folder":
                text += f" ({_n(r.files, 'Markdown file')})"
        elif kind == "backup":
            text = f"Backed up {contents(r.counts)} to {where(r.path)}"
        else:
            text = f"Restored {contents(r.counts)} into a new library, {where(r.path)} (this one is unchanged)"
            self.message_bar.show_message(text + ".", action="Open", timeout_ms=MESSAGE_MS,
                                          callback=lambda: self._open_restored(r.path))
            return
        self.message_bar.show_message(text + ".", timeout_ms=MESSAGE_MS)

    def _on_controller_cancelled(self, kind: str, r: FileJobResult) -> None:
        self.progress.finish()
        if kind == "export" and r.files:
            text = (f"Export cancelled: {r.files:,} of {_n(r.articles, 'Markdown file')} had been written to "
                    f"{where(r.path)} (they stay there)")
        elif kind == "restore":
            text = "Restore cancelled: no library was made"
        else:
            text = f"{kind.capitalize()} cancelled: nothing was written"
        self.message_bar.show_message(text + ".", timeout_ms=MESSAGE_MS)

    def _on_controller_failed(self, _kind: str, message: str) -> None:
        self.progress.finish()
        self.message_bar.show_message(message, kind="error")

    def _open_restored(self, path: Path) -> None:
        if not open_library_window(path):
            self.message_bar.show_message(f"Could not start a window on {where(path)}: run  reader --db {path}",
                                          kind="error")

    # --- helpers -------------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.controller.busy():
            self.host.statusBar().showMessage("An export, backup or restore is running: wait for it, or Cancel it",
                                              5000)
            return True
        return False

    def _start_folder(self) -> Path:
        folder = Path(cast(str, self.ui_state.value(FOLDER_KEY, "", type=str)) or Path.home())
        return folder if folder.is_dir() else Path.home()

    def _remember_folder(self, folder: Path) -> None:
        self.ui_state.setValue(FOLDER_KEY, str(folder))

    def _new_library_name(self) -> Path:
        """``library-restored.db`` beside the window's library (``-2``, ``-3``... if taken)."""
        library = self.controller.library_path()
        stem = library.stem or "library"
        candidate, n = library.with_name(f"{stem}-restored.db"), 2
        while candidate.exists():
            candidate, n = library.with_name(f"{stem}-restored-{n}.db"), n + 1
        return candidate
