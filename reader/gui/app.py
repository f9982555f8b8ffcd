"""Composition root of the GUI: builds the QApplication, the task runner (which owns every database
connection), the controllers (library, translation, annotations, tags, library files, the one undo
history) and the window, and runs them (STYLE.md practice 2).

:func:`build` changes nothing process-wide (tests build many windows in one process); the
interpreter settings for a long-lived GUI process (:func:`tune_process`) are applied by :func:`run`.

One window per library (:mod:`reader.gui.single_instance`): before building anything, :func:`run`
hands its files to a window already running on the same library and exits; otherwise, once its
window is shown, it listens for later launches (:func:`serve_instance`).

Also: the ``sys.excepthook`` that turns an unexpected exception into a one-line message in the
window (details go to ``<data dir>/reader-gui.log``), ``--screenshot`` and ``--smoke``.
"""

from __future__ import annotations

import gc
import logging
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from reader.core.errors import ReaderError, StorageError
from reader.core.secrets import RedactingFormatter, redact
from reader.core.settings import Settings, load_settings
from reader.gui.single_instance import Handoff, InstanceServer, hand_over, server_name
from reader.paths import config_dir, data_dir

if TYPE_CHECKING:  # imported in build(): a second launch that hands its files over never loads them
    from reader.core.storage import Library
    from reader.gui.controllers.annotations import AnnotationsController
    from reader.gui.controllers.library import LibraryController
    from reader.gui.controllers.tags import TagsController
    from reader.gui.controllers.translation import TranslationController
    from reader.gui.controllers.undo import UndoHistory
    from reader.gui.main_window import MainWindow
    from reader.gui.tasks import TaskRunner

log = logging.getLogger("reader.gui")
LOG_NAME = "reader-gui.log"


def log_path() -> Path:
    return data_dir() / LOG_NAME


def ensure_qapplication(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    app.setApplicationName("Polyglot Reader")
    app.setOrganizationName("PolyglotReader")
    app.setDesktopFileName("polyglot-reader")
    return app


def ui_state() -> QSettings:
    """Window geometry, splitter sizes, column widths, last article (an .ini in the config dir)."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


@dataclass
class ReaderApp:
    """Everything one window needs; :meth:`close` stops the threads and closes the connections."""

    runner: TaskRunner
    controller: LibraryController
    translation: TranslationController
    annotations: AnnotationsController
    tags: TagsController
    undo: UndoHistory
    window: MainWindow

    @property
    def library(self) -> Library:
        """The GUI thread's connection (owned by the runner)."""
        return self.runner.library

    def close(self) -> None:
        self.controller.dwell_timer.stop()
        self.controller.cancel_import()
        self.window.controllers.files.cancel()  # an export, backup or restore stops (nothing half-written)
        self.window.controllers.feeds.cancel()  # a refresh stops promptly; what was stored stays
        self.window.feeds.timer.stop()
        self.translation.cancel()
        self.runner.shutdown()  # closes every connection, the GUI thread's included
        self.translation.close()
        self.window.controllers.feeds.close()  # the window's HTTP client


def build(db_path: str | Path, *, settings: Settings | None = None, theme: str | None = None,
          window_state: QSettings | None = None) -> ReaderApp:
    """Build (not show) a window on the library at ``db_path``. Raises ReaderError if it cannot open.
    ``window_state``: where the window keeps its layout (default: the person's ``window.ini``).

    Changes nothing process-wide: see :func:`tune_process`."""
    from reader.gui.controllers.annotations import AnnotationsController
    from reader.gui.controllers.bundle import Controllers
    from reader.gui.controllers.feeds import FeedsController
    from reader.gui.controllers.library import LibraryController
    from reader.gui.controllers.library_files import LibraryFilesController
    from reader.gui.controllers.tags import TagsController
    from reader.gui.controllers.translation import TranslationController
    from reader.gui.controllers.undo import UndoHistory
    from reader.gui.main_window import MainWindow
    from reader.gui.tasks import TaskRunner
    from reader.gui.theme import apply_theme, window_icon

    app = ensure_qapplication()
    settings = settings or load_settings()
    apply_theme(app, theme or settings.theme)
    runner = TaskRunner(db_path)
    undo = UndoHistory(runner)
    controller = LibraryController(runner, undo)
    translation = TranslationController(runner, settings, parent=controller)
    annotations = AnnotationsController(runner, undo, target_lang=translation.target, parent=controller)
    tags = TagsController(runner, parent=controller)
    files = LibraryFilesController(runner, parent=controller)
    feeds = FeedsController(runner, undo, parent=controller)
    controllers = Controllers(controller, translation, annotations, tags, undo, files, feeds)
    window = MainWindow(controllers, settings, window_state if window_state is not None else ui_state())
    window.setWindowIcon(window_icon())
    return ReaderApp(runner, controller, translation, annotations, tags, undo, window)


def serve_instance(window: MainWindow, db_path: str | Path) -> InstanceServer:
    """Listen for later launches on the library at ``db_path``: the files they hand over are
    imported by ``window`` as if dropped, and it comes to the front. Call after ``window.show()``."""
    server = InstanceServer(server_name(db_path), window)
    server.files_received.connect(window.open_files)
    server.start()
    return server


def _hand_over(db_path: Path, files: Sequence[str]) -> int | None:
    """A second launch on a library that already has a window: give it ``files``; the exit status,
    or None when no window runs there (then this launch opens one)."""
    outcome = hand_over(db_path, files)
    if outcome is Handoff.NOT_RUNNING:
        return None
    if outcome is Handoff.DELIVERED:
        if files:
            print(f"reader: handed {len(files)} file{'s' if len(files) != 1 else ''} to the window already "
                  f"open on {db_path}")
        else:
            print(f"reader: a window is already open on {db_path}; brought it to the front")
        return 0
    sys.stderr.write(f"reader: a window is open on {db_path} but did not answer; try again, or close it\n")
    return 1


def tune_process() -> None:
    """Interpreter settings for the real, long-lived GUI process (``run``), never for ``build``.

    * Background threads (imports, big reads) run Python too: hand the GIL back to the GUI thread
      every 1 ms instead of 5 ms. Measured: longest event-loop stall while importing 1,000 files
      fell from ~150 ms to ~60 ms.
    * Everything built so far lives as long as the window: keep it out of the cyclic GC's full
      passes, which otherwise cost ~30 ms (a visible hitch) every so often while scrolling.
    """
    sys.setswitchinterval(0.001)
    gc.freeze()


def install_excepthook(get_window: Callable[[], MainWindow | None]) -> None:
    """Unexpected exceptions: a short message in the window, the traceback in the log file."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        try:
            with log_path().open("a", encoding="utf-8") as fh:
                fh.write(redact("".join(traceback.format_exception(exc_type, exc, tb))) + "\n")
        except OSError:
            pass
        window = get_window()
        message = redact(str(exc) if isinstance(exc, ReaderError) else (
            f"Something went wrong ({exc_type.__name__}: {exc}). The app keeps working; details are in "
            f"{log_path()}"
        ))
        if window is not None:
            window.show_error(message)
        else:
            sys.stderr.write(message + "\n")

    sys.excepthook = hook


def _configure_logging() -> None:
    try:
        handler: logging.Handler = logging.FileHandler(log_path(), encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))  # no keys
    root = logging.getLogger("reader")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


class LibraryProblem:
    """The way out when the library cannot be opened: a message box before the main window.

    Choices: *Open another library…* (pick or create a file), *Restore a backup…* (into a NEW file
    next to the bad one; the bad file is only read, never written) or *Quit*. :meth:`resolve` returns
    the library path to try next, or None to quit. The file pickers are attributes so a test can
    drive the dialog without a native file dialog.
    """

    def __init__(self, path: Path, error: ReaderError) -> None:
        self.path = Path(path)
        self.error = error
        self.pick_library: Callable[[], str] = self._pick_library
        self.pick_backup: Callable[[], str] = self._pick_backup

    def message_box(self) -> tuple[QMessageBox, dict[str, QPushButton]]:
        box = QMessageBox(QMessageBox.Icon.Warning, "Polyglot Reader", "The library cannot be opened.")
        box.setInformativeText(f"{self.error}\n\nThe file was not changed.")
        buttons: dict[str, QPushButton] = {
            "open": box.addButton("Open another library…", QMessageBox.ButtonRole.AcceptRole),
            "restore": box.addButton("Restore a backup…", QMessageBox.ButtonRole.ActionRole),
            "quit": box.addButton("Quit", QMessageBox.ButtonRole.RejectRole),
        }
        box.setObjectName("library_problem")
        box.setDefaultButton(buttons["open"])
        box.setEscapeButton(buttons["quit"])
        return box, buttons

    def resolve(self) -> Path | None:
        """Ask until the user picks a usable way out (a path to open) or quits (None)."""
        while True:
            box, buttons = self.message_box()
            box.exec()
            clicked = box.clickedButton()
            if clicked is buttons["open"]:
                chosen = self.pick_library()
                if chosen:
                    return Path(chosen)
            elif clicked is buttons["restore"]:
                chosen = self.pick_backup()
                if chosen:
                    try:
                        return self.restore_into_new_file(Path(chosen))
                    except ReaderError as exc:
                        self.error = exc
            else:
                return None

    def restore_into_new_file(self, backup: Path) -> Path:
        """Restore ``backup`` into a new library next to the bad file; returns the new file's path."""
        from reader.core.export import restore
        from reader.core.storage import Library

        stem = self.path.stem or "library"
        target = self.path.with_name(f"{stem}-restored.db")
        n = 2
        while target.exists():
            target = self.path.with_name(f"{stem}-restored-{n}.db")
            n += 1
        try:
            with Library(target) as library:
                restore(library, backup, restore_settings=False)
        except BaseException:
            for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return target

    def _pick_library(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            None, "Open another library", str(self.path.parent), "Libraries (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return path

    def _pick_backup(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            None, "Restore a backup", str(self.path.parent), "Backups (*.zip *.readerbackup);;All files (*)"
        )
        return path


def run(db: str | None, files: Sequence[str], *, screenshot: str | None = None, theme: str | None = None,
        smoke: bool = False) -> int:
    """The ``reader`` command. Returns the exit status."""
    from reader.paths import default_db_path

    app = ensure_qapplication()
    _configure_logging()
    temp_dir: str | None = None
    if smoke:
        temp_dir = tempfile.mkdtemp(prefix="reader-smoke-")
        db = str(Path(temp_dir) / "smoke.db")
    db_path = Path(db).expanduser() if db else default_db_path()
    single = not (screenshot or smoke)  # one window per library (a screenshot or smoke run is its own)
    if single and (handed := _hand_over(db_path, files)) is not None:
        return handed
    # A screenshot or smoke run shows the default layout and leaves the person's window state alone
    # (it resizes the window to 1280x800: that must not become their saved geometry).
    state_dir = None if single else tempfile.mkdtemp(prefix="reader-state-")
    window_state = None if state_dir is None else QSettings(str(Path(state_dir) / "window.ini"),
                                                             QSettings.Format.IniFormat)
    while True:
        try:
            parts = build(db_path, theme=theme, window_state=window_state)
            break
        except ReaderError as exc:
            sys.stderr.write(f"reader: {exc}\n")
            if screenshot or smoke or not isinstance(exc, StorageError):
                return 2
            next_path = LibraryProblem(db_path, exc).resolve()
            if next_path is None:
                return 2
            db_path = next_path
    tune_process()
    window = parts.window
    install_excepthook(lambda: window)
    status = {"code": 0}
    if screenshot or smoke:
        window._restore_article = None  # show the first article of the list (or the first FILE's)
        window.resize(1280, 800)
        deadline = QTimer(app)
        deadline.setSingleShot(True)

        def on_timeout() -> None:
            sys.stderr.write("reader: the window did not settle within 120 s\n")
            status["code"] = 1
            app.quit()

        deadline.timeout.connect(on_timeout)
        deadline.start(120_000)

        def on_ready() -> None:
            pane = window.reader_pane
            if pane.pictures_pending():  # the shown article's pictures are still being decoded
                pane.pictures_settled.connect(on_ready, Qt.ConnectionType.SingleShotConnection)
                return
            deadline.stop()
            app.processEvents()
            if smoke:
                text = window.reader_pane.plain_text()
                if not window.reader_pane.article_id() or not text.strip():
                    sys.stderr.write("reader --smoke: no article was rendered\n")
                    status["code"] = 1
                else:
                    print(f"smoke ok: {window.model.total()} articles, showing #{window.reader_pane.article_id()}")
            if screenshot:
                out = Path(screenshot).expanduser()
                out.parent.mkdir(parents=True, exist_ok=True)
                if not window.grab().save(str(out)):
                    sys.stderr.write(f"reader: could not write {out}\n")
                    status["code"] = 1
            app.quit()

        window.ready.connect(on_ready)
    window.show()
    window.start(list(files))
    server = serve_instance(window, db_path) if single else None
    app.exec()
    if server is not None:
        server.close()
    if not (screenshot or smoke):
        window.save_state()
    parts.close()
    for folder in (temp_dir, state_dir):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return status["code"]
