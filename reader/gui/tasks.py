"""The one long-lived background task runner of the GUI (STYLE.md practice 4).

Three lanes of plain Python threads, each thread with its own :class:`Library` (a SQLite connection
belongs to one thread):

* ``write``: one serialized writer for every small database write (flags, tags, edits, delete/undo);
* ``read``: a small pool for heavy reads (the id list of a 100k library, search, counts);
* ``long``: one thread for long jobs (imports), so a 1,000-file import never queues behind a star;
* ``net``: two threads for network work (translation), so a slow provider never holds up a list
  reload or an import.

Results come back to the GUI thread through ONE signal on this long-lived QObject (a queued
connection); callbacks are kept here, keyed by job id, so no per-job QObject is ever dropped.
Jobs submitted with a ``key`` follow *latest wins*: a result of an older job with the same key is
dropped (its callbacks never run).

Signals:
    _delivered(object): internal; a :class:`_Delivery` from a worker thread.
    busy_changed(bool): True while any job is queued or running.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from reader.core.errors import ReaderError
from reader.core.storage import Library

log = logging.getLogger(__name__)

THREAD_PREFIX = "reader-task"


class TaskCancelled(ReaderError):
    """A job noticed its cancel flag and stopped early."""


@dataclass
class TaskContext:
    """What a job function receives: the worker's Library, a cancel flag and a progress reporter."""

    library: Library
    cancel_event: threading.Event
    _report: Callable[[Any], None]

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def report(self, payload: Any) -> None:
        """Send a progress payload to the job's ``on_progress`` callback (on the GUI thread)."""
        self._report(payload)


@dataclass
class Job:
    """A handle on a submitted job: cancel it, or ask whether it is finished."""

    id: int
    key: str | None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done: bool = False

    def cancel(self) -> None:
        self.cancel_event.set()


@dataclass
class _Entry:
    job: Job
    fn: Callable[[TaskContext], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[Any], None] | None
    generation: int
    lane: str = "read"


@dataclass
class _Delivery:
    job_id: int
    kind: str  # "done" | "error" | "progress"
    value: Any


class TaskRunner(QObject):
    """Runs jobs off the GUI thread and delivers their results on it. See the module docstring."""

    _delivered = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, db_path: str | Path, *, read_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._ids = itertools.count(1)
        self._entries: dict[int, _Entry] = {}
        self._latest: dict[str, int] = {}
        self._latest_job: dict[str, Job] = {}
        self._queues: dict[str, queue.SimpleQueue[_Entry | None]] = {
            "write": queue.SimpleQueue(), "read": queue.SimpleQueue(), "long": queue.SimpleQueue(),
            "net": queue.SimpleQueue(),
        }
        self._threads: list[threading.Thread] = []
        self._closed = False
        #: called with a failure of a job that has no ``on_error`` (the app shows it in the window)
        self.error_handler: Callable[[BaseException], None] | None = None
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
        for lane, count in (("write", 1), ("read", max(1, read_workers)), ("long", 1), ("net", 2)):
            for n in range(count):
                t = threading.Thread(
                    target=self._worker_loop, args=(lane,), name=f"{THREAD_PREFIX}-{lane}-{n}", daemon=True
                )
                t.start()
                self._threads.append(t)

    # --- submitting -------------------------------------------------------------------------------
    def write(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, *, key: str | None = None) -> Job:
        """A database write, serialized with every other write."""
        return self._submit("write", fn, on_done, on_error, None, key)

    def read(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, *, key: str | None = None) -> Job:
        """A read on the small pool; with ``key``, only the latest job's result is delivered."""
        return self._submit("read", fn, on_done, on_error, None, key)

    def long_read(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None,
                  on_progress: Callable[[Any], None] | None = None, *, key: str | None = None) -> Job:
        """A read on the pool that reports partial results (``ctx.report``) before its result."""
        return self._submit("read", fn, on_done, on_error, on_progress, key)

    def long(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             on_progress: Callable[[Any], None] | None = None, *, key: str | None = None) -> Job:
        """A long job (import) on its own thread, with progress and cancel."""
        return self._submit("long", fn, on_done, on_error, on_progress, key)

    def network(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None,
                on_progress: Callable[[Any], None] | None = None, *, key: str | None = None) -> Job:
        """Network work (translation) on its own small pool, with progress, cancel and latest wins."""
        return self._submit("net", fn, on_done, on_error, on_progress, key)

    def _submit(self, lane: str, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None,
                on_error: Callable[[BaseException], None] | None, on_progress: Callable[[Any], None] | None,
                key: str | None) -> Job:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        job = Job(next(self._ids), key)
        generation = job.id
        if key is not None:
            self._latest[key] = generation
            older = self._latest_job.get(key)
            if older is not None and lane in ("read", "net"):
                older.cancel()  # a running job can notice and stop early (latest wins)
            self._latest_job[key] = job
        entry = _Entry(job, fn, on_done, on_error, on_progress, generation, lane)
        was_idle = not self._entries
        self._entries[job.id] = entry
        self._queues[lane].put(entry)
        if was_idle:
            self.busy_changed.emit(True)
        return job

    def pending(self) -> int:
        """Jobs submitted whose results have not been delivered yet."""
        return len(self._entries)

    def is_stale(self, job: Job) -> bool:
        return job.key is not None and self._latest.get(job.key) != job.id

    # --- worker side ------------------------------------------------------------------------------
    def _worker_loop(self, lane: str) -> None:
        library: Library | None = None
        q = self._queues[lane]
        try:
            while True:
                entry = q.get()
                if entry is None:
                    return
                if entry.job.cancel_event.is_set() or (
                    lane in ("read", "net") and entry.job.key is not None and self._latest.get(entry.job.key) != entry.generation
                ):
                    self._delivered.emit(_Delivery(entry.job.id, "error", TaskCancelled("cancelled")))
                    continue
                try:
                    if library is None:
                        library = Library(self.db_path)
                    job_id = entry.job.id
                    ctx = TaskContext(
                        library, entry.job.cancel_event,
                        lambda payload, job_id=job_id: self._delivered.emit(_Delivery(job_id, "progress", payload)),
                    )
                    value = entry.fn(ctx)
                except BaseException as exc:  # noqa: BLE001 - delivered to the GUI, never lost
                    self._delivered.emit(_Delivery(entry.job.id, "error", exc))
                else:
                    self._delivered.emit(_Delivery(entry.job.id, "done", value))
        finally:
            if library is not None:
                library.close()

    # --- GUI side ---------------------------------------------------------------------------------
    def _on_delivered(self, delivery: _Delivery) -> None:
        entry = self._entries.get(delivery.job_id)
        if entry is None:
            return
        key = entry.job.key
        stale = key is not None and self._latest.get(key) != entry.generation
        if delivery.kind == "progress":
            if entry.on_progress is not None and not stale:
                entry.on_progress(delivery.value)
            return
        del self._entries[delivery.job_id]
        entry.job.done = True
        if key is not None and not stale:
            del self._latest[key]
        try:
            if stale:
                return
            if delivery.kind == "done":
                if entry.on_done is not None:
                    entry.on_done(delivery.value)
            elif entry.on_error is not None:
                entry.on_error(delivery.value)
            elif not isinstance(delivery.value, TaskCancelled):
                exc = delivery.value
                log.error("background job failed", exc_info=(type(exc), exc, exc.__traceback__))
                if self.error_handler is not None:
                    self.error_handler(exc)
        finally:
            if not self._entries:
                self.busy_changed.emit(False)

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job has been delivered (tests, screenshots, shutdown)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        while self._entries and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            threading.Event().wait(0.002)
        return not self._entries

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel queued reads and imports, finish queued writes (a reading position saved on
        close must land), stop every thread and close their libraries. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for entry in list(self._entries.values()):
            if entry.lane != "write":
                entry.job.cancel()
        for lane, q in self._queues.items():
            for t in self._threads:
                if t.name.startswith(f"{THREAD_PREFIX}-{lane}-"):
                    q.put(None)
        for t in self._threads:
            t.join(timeout)
        self._entries.clear()
        self._latest.clear()
