"""The library files controller: Export…, Back Up Library… and Restore… of the File menu, run on
the task runner's ``long`` lane (never on the GUI thread), one at a time, with progress and cancel.

The work is :mod:`reader.core.export`'s, as ``reader-cli export``, ``backup`` and ``restore`` do it,
with the same safety checks (:mod:`reader.core.fileguard`: never the library file, its companions,
another SQLite file, a folder, device or link). What differs from the CLI:

* a restore always makes a NEW library file (the window's library is never written; see
  :mod:`reader.gui.library_files_ui` for why), checked to be a new name before anything is made,
  and removed again when the restore fails or is cancelled; the user's settings file is left alone;
* the list to export can be a filter (the window's list while it is still loading, or every article):
  its ids are read on the worker.

Signals:
    started(str, int): (kind: "export" | "backup" | "restore", total or 0 when not known yet).
    progress(str, int, int): (kind, done, total): articles exported, or table rows backed up / restored.
    finished(str, object): (kind, a :class:`FileJobResult`).
    cancelled(str, object): (kind, a :class:`FileJobResult` of what was done before the cancel).
    failed(str, str): (kind, a one-line, user-facing message; nothing, or only what it says, was written).
    backup_read(object, object): (the backup's path, its :class:`~reader.core.export.BackupInfo`):
        :meth:`LibraryFilesController.read_backup` found a readable backup.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, Signal

from reader.core.errors import Cancelled, ReaderError, ValidationError
from reader.core.models import ListFilter
from reader.gui.tasks import Job, TaskCancelled, TaskContext, TaskRunner

#: Export formats: a folder of Markdown files, one Markdown file, one JSON file.
FORMATS = ("md_folder", "md_file", "json")
#: The suffix a chosen file name gets when it has none (folders get none).
SUFFIXES = {"md_file": ".md", "json": ".json", "backup": ".zip", "restore": ".db"}
#: Progress reports at most this often (a 100k-article export would otherwise queue 100k signals).
REPORT_EVERY_S = 0.05


@dataclass
class FileJobResult:
    """What an export, backup or restore did (or had done when it was cancelled)."""

    kind: str
    path: Path
    articles: int = 0  # articles exported / in the backup / restored
    files: int = 0  # files written (a folder export writes one per article)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table (backup, restore)
    fmt: str = ""  # the export format (FORMATS)


def with_suffix(path: Path, kind: str) -> Path:
    """``path``, with the kind's suffix added when the name has none (``notes`` -> ``notes.md``)."""
    suffix = SUFFIXES.get(kind, "")
    return path if not suffix or path.suffix else path.with_name(path.name + suffix)


class _Reporter:
    """``progress(done, total)`` for the core, sent to the GUI thread at most every REPORT_EVERY_S
    (the last one always), remembering how far it got (for the message after a cancel)."""

    def __init__(self, ctx: TaskContext) -> None:
        self.ctx = ctx
        self.done = 0
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        self.done = done
        now = time.monotonic()
        if done >= total or now - self._last >= REPORT_EVERY_S:
            self._last = now
            self.ctx.report((done, total))


def _remove_library_files(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            leftover.unlink()
        except OSError:
            pass


class LibraryFilesController(QObject):
    """See the module docstring."""

    started = Signal(str, int)
    progress = Signal(str, int, int)
    finished = Signal(str, object)
    cancelled = Signal(str, object)
    failed = Signal(str, str)
    backup_read = Signal(object, object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._job: Job | None = None

    def busy(self) -> bool:
        """An export, backup or restore is running (a second one waits for the person to ask again)."""
        return self._job is not None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def library_path(self) -> Path:
        """The window's library file (a restore's new library is suggested beside it)."""
        return self.runner.db_path

    # --- the three commands -------------------------------------------------------------------------
    def export(self, articles: Sequence[int] | ListFilter, fmt: str, dest: Path) -> None:
        """Export ``articles`` (ids, or the articles a filter selects) as ``fmt`` (:data:`FORMATS`)."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        dest = with_suffix(Path(dest).expanduser(), fmt)
        flt = articles if isinstance(articles, ListFilter) else None
        ids = None if flt is not None else list(dict.fromkeys(cast(Sequence[int], articles)))
        result = FileJobResult("export", dest, fmt=fmt)

        def job(ctx: TaskContext) -> FileJobResult:
            from reader.core import export

            chosen = ids if flt is None else ctx.library.list_ids(flt)
            if not chosen:
                raise ValidationError("nothing to export: no article matches")
            result.articles = len(chosen)
            ctx.report((0, len(chosen)))
            report = _Reporter(ctx)
            try:
                if fmt == "json":
                    export.export_json(ctx.library, chosen, dest, progress=report, cancel=ctx.cancelled)
                    result.files = 1
                else:
                    result.files = len(export.export_markdown(ctx.library, chosen, dest, progress=report,
                                                              cancel=ctx.cancelled))
            except Cancelled:
                result.files = report.done if fmt == "md_folder" else 0
                raise
            return result

        self._run("export", job, result)

    def backup(self, dest: Path) -> None:
        """Back up the whole library (and the user settings) to ``dest`` (a .zip)."""
        dest = with_suffix(Path(dest).expanduser(), "backup")
        result = FileJobResult("backup", dest)

        def job(ctx: TaskContext) -> FileJobResult:
            from reader.core import export

            info = export.backup(ctx.library, dest, progress=_Reporter(ctx), cancel=ctx.cancelled)
            result.counts = dict(info.counts)
            result.articles = info.counts.get("articles", 0)
            result.files = 1
            return result

        self._run("backup", job, result)

    def read_backup(self, src: Path) -> None:
        """Read a backup's manifest (off the GUI thread): ``backup_read`` or ``failed``."""
        src = Path(src).expanduser()

        def job(_ctx: TaskContext) -> Any:
            from reader.core import export

            return export.read_backup_info(src)

        self.runner.read(job, lambda info: self.backup_read.emit(src, info), lambda e: self._failed("restore", e))

    def restore(self, src: Path, target: Path) -> None:
        """Restore the backup ``src`` into a new library file ``target`` (this window's library and
        the user's settings stay as they are). ``target`` must not exist; it is removed again when
        the restore fails or is cancelled."""
        src = Path(src).expanduser()
        target = with_suffix(Path(target).expanduser(), "restore")
        result = FileJobResult("restore", target)

        def job(ctx: TaskContext) -> FileJobResult:
            from reader.core import export, fileguard
            from reader.core.storage import Library

            fileguard.check_target(target, library=ctx.library.path, what="restore")
            if os.path.lexists(target):
                raise ValidationError(f"{target} already exists; a restore makes a new library — choose a new "
                                      "file name (nothing was changed)")
            try:
                with Library(target) as library:
                    info = export.restore(library, src, restore_settings=False, progress=_Reporter(ctx),
                                          cancel=ctx.cancelled)
            except BaseException:
                _remove_library_files(target)  # the name was new: whatever is there now is ours
                raise
            result.counts = dict(info.counts)
            result.articles = info.counts.get("articles", 0)
            return result

        self._run("restore", job, result)

    # --- running ------------------------------------------------------------------------------------
    def _run(self, kind: str, job: Any, result: FileJobResult) -> None:
        if self._job is not None:
            raise RuntimeError("an export, backup or restore is already running")

        def done(value: FileJobResult) -> None:
            self._job = None
            self.finished.emit(kind, value)

        def failed(exc: BaseException) -> None:
            self._job = None
            if isinstance(exc, Cancelled | TaskCancelled):
                self.cancelled.emit(kind, result)
            else:
                self._failed(kind, exc)

        def progress(payload: tuple[int, int]) -> None:
            self.progress.emit(kind, *payload)

        self.started.emit(kind, 0)
        self._job = self.runner.long(job, done, failed, progress)

    def _failed(self, kind: str, exc: BaseException) -> None:
        if isinstance(exc, ReaderError):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"the {kind} failed: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
        else:
            message = f"the {kind} failed ({type(exc).__name__}: {exc})"
        message = " ".join(message.split())  # one line, whatever the error said
        self.failed.emit(kind, message[:1].upper() + message[1:])


__all__ = ["FORMATS", "FileJobResult", "LibraryFilesController", "with_suffix"]
