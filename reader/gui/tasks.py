"""The one long-lived background task runner of the GUI (STYLE.md practice 4).

What it does, exactly:

* It owns every database connection of the window. :attr:`TaskRunner.library` is the GUI thread's
  :class:`Library` (small indexed reads: one article, a block of list rows); each worker thread
  opens its own on first use and closes it when it stops (a SQLite connection belongs to one
  thread). :meth:`TaskRunner.connection` returns the calling thread's one; nothing else in the GUI
  opens a Library on the window's file.
* Four lanes of plain Python threads:

  - ``write`` (1 thread): the one serialized writer. Every database write of the window runs here:
    flags, tags, edits, deletes and undo, highlights, saved searches, and translation results
    (network threads hand their writes over with :meth:`TaskRunner.write_and_wait`);
  - ``read`` (``read_workers`` threads): heavy reads (the id list of a 100k library, search,
    counts, cached translations);
  - ``long`` (1 thread): imports (they parse and store files; see *Exception* below) and
    translation-pack installs, so a 1,000-file import never queues behind a star;
  - ``net`` (2 threads): network work (translation); they read through their own connection and
    never write: their writes go to the writer lane.

  *Exception*: an import stores each parsed file on the ``long`` thread itself
  (:func:`reader.core.importing.import_paths` parses and stores in one call, with a process pool
  for large imports); SQLite's write lock serializes those commits with the writer lane. Every
  other write, the import's "seeded" flag included, runs on the writer.
* Results come back to the GUI thread through ONE signal on this long-lived QObject (a queued
  connection); callbacks are kept here, keyed by job id, so no per-job QObject is ever dropped.
* *Latest wins*: a result of an older job with the same ``key`` is dropped (its callbacks never
  run); a queued read/network job whose key has a newer job is cancelled before it starts.
* :meth:`shutdown` stops the read, long and network lanes first, then the writer, so writes those
  lanes handed over (and a reading position saved on close) still land.

Signals:
    _delivered(object): internal; a :class:`_Delivery` from a worker thread.
    busy_changed(bool): True while any job is queued or running.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from reader.core.errors import ReaderError
from reader.core.storage import Library

log = logging.getLogger(__name__)

THREAD_PREFIX = "reader-task"
#: How much lower than the GUI thread the ``long`` lane runs (Linux ``nice`` of that thread).
LONG_LANE_NICENESS = 5
#: SQLite virtual-machine steps between two looks at a read job's cancel event (~0.1–1 ms apart).
INTERRUPT_EVERY = 20_000


#: The lanes whose jobs may write to the library.
WRITING_LANES = frozenset({"write", "long", "net"})


class TaskCancelled(ReaderError):
    """A job noticed its cancel flag and stopped early."""


def _below_the_gui() -> None:
    """Put the calling thread (the ``long`` lane: imports, feed refreshes, exports) a little below
    the GUI thread in the CPU's queue, and with it the threads it starts (a refresh's fetch threads
    inherit it on Linux). On two cores, a refresh's threads, its parse worker and the GUI thread
    otherwise take equal turns, and the window waits for its turn (measured: longest stall of a
    200-feed refresh 155 ms without this and the worker's own niceness, 83–114 ms with them).
    Linux only: elsewhere ``setpriority`` with a thread id would lower the whole process."""
    if not sys.platform.startswith("linux") or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + LONG_LANE_NICENESS))
    except OSError:
        pass


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
    """A submitted job as the runner keeps it until its result is delivered."""

    job: Job
    fn: Callable[[TaskContext], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[Any], None] | None
    generation: int
    lane: str = "read"


@dataclass
class _Call:
    """A write handed to the writer lane by another worker thread (:meth:`TaskRunner.write_and_wait`).

    (A plain Event and two fields rather than ``concurrent.futures.Future``: that import costs
    ~17 ms on the window's start-up path.)
    """

    fn: Callable[[Library], Any]
    finished: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None

    def run(self, library: Library) -> None:
        try:
            self.value = self.fn(library)
        except BaseException as exc:  # noqa: BLE001 - raised again in the waiting thread
            self.error = exc
        finally:
            self.finished.set()


@dataclass
class _Delivery:
    """What a worker sends to the GUI thread: a job's result, error or progress payload."""

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
        #: the GUI thread's connection (opened first: a library that cannot open raises before any
        #: thread starts)
        self.library = Library(self.db_path)
        self._gui_thread = threading.get_ident()
        self._connections: dict[int, Library] = {}  # worker thread ident -> its connection
        self._writer_ident: int | None = None
        self._queues: dict[str, queue.SimpleQueue[_Entry | _Call | None]] = {
            "write": queue.SimpleQueue(), "read": queue.SimpleQueue(), "long": queue.SimpleQueue(),
            "net": queue.SimpleQueue(),
        }
        self._threads: list[threading.Thread] = []
        self._closed = False
        # jobs begun and ended on the lanes that write (write, long, net): the window tells its own
        # writes from another process's by these (see write_counts)
        self._write_lock = threading.Lock()
        self._writes_begun = 0
        self._writes_ended = 0
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

    def write_and_wait(self, fn: Callable[[Library], Any], timeout: float | None = None) -> Any:
        """Run ``fn(library)`` on the writer lane and return its result (or raise its exception).

        For worker threads (network, read) that must store something: they wait, the writer writes.
        Called on the writer thread itself, ``fn`` runs at once. Never call it on the GUI thread.
        """
        if threading.get_ident() == self._writer_ident:
            return fn(self.connection())
        if threading.get_ident() == self._gui_thread:
            raise RuntimeError("write_and_wait would block the GUI thread: use write()")
        if self._closed and self._writer_ident is None:
            raise TaskCancelled("the task runner is shut down")
        call = _Call(fn)
        self._queues["write"].put(call)
        if not call.finished.wait(timeout):
            raise TimeoutError("the writer lane did not answer in time")
        if call.error is not None:
            raise call.error
        return call.value

    def connection(self) -> Library:
        """The calling thread's Library: the GUI's on the GUI thread, the worker's on a worker."""
        if threading.get_ident() == self._gui_thread:
            return self.library
        ident = threading.get_ident()
        library = self._connections.get(ident)
        if library is None:
            if not threading.current_thread().name.startswith(THREAD_PREFIX):
                raise RuntimeError("only the GUI thread and the runner's workers have a connection")
            library = self._connections[ident] = Library(self.db_path)
        return library

    def pending(self) -> int:
        """Jobs submitted whose results have not been delivered yet."""
        return len(self._entries)

    def is_stale(self, job: Job) -> bool:
        return job.key is not None and self._latest.get(job.key) != job.id

    # --- worker side ------------------------------------------------------------------------------
    def _worker_loop(self, lane: str) -> None:
        q = self._queues[lane]
        if lane == "write":
            self._writer_ident = threading.get_ident()
        if lane == "long":
            _below_the_gui()
        try:
            while True:
                entry = q.get()
                if entry is None:
                    return
                writes = lane in WRITING_LANES
                if writes:
                    with self._write_lock:
                        self._writes_begun += 1
                try:
                    self._run_entry(lane, entry)
                finally:
                    if writes:
                        with self._write_lock:
                            self._writes_ended += 1
        finally:
            if lane == "write":
                self._writer_ident = None
            library = self._connections.pop(threading.get_ident(), None)
            if library is not None:
                library.close()

    def write_counts(self) -> tuple[int, int]:
        """(begun, ended) jobs on the lanes that write. Equal and unchanged between two looks at
        :meth:`Library.data_version`: a change the library shows was made by another process."""
        with self._write_lock:
            return self._writes_begun, self._writes_ended

    def _run_entry(self, lane: str, entry: _Entry | _Call) -> None:
        if isinstance(entry, _Call):
            entry.run(self.connection())
            return
        if entry.job.cancel_event.is_set() or (
            lane in ("read", "net") and entry.job.key is not None and self._latest.get(entry.job.key) != entry.generation
        ):
            self._delivered.emit(_Delivery(entry.job.id, "error", TaskCancelled("cancelled")))
            return
        library = self.connection()
        cancel = entry.job.cancel_event
        # A read stops inside SQLite when its job is cancelled (a newer search: latest wins): the
        # whole id list of an older query (~0.5 s at 1M articles) no longer holds a core and the
        # interpreter lock while the newer query's first page is read and painted. Reads only: an
        # interrupted write would be an error, not a cancel.
        interruptible = lane == "read"
        if interruptible:
            library.conn.set_progress_handler(cancel.is_set, INTERRUPT_EVERY)
        try:
            ctx = TaskContext(library, cancel, partial(self._report, entry.job.id))
            value = entry.fn(ctx)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI, never lost
            failure = TaskCancelled("cancelled") if interruptible and cancel.is_set() else exc
            self._delivered.emit(_Delivery(entry.job.id, "error", failure))
        else:
            self._delivered.emit(_Delivery(entry.job.id, "done", value))
        finally:
            if interruptible:
                library.conn.set_progress_handler(None, 0)

    def _report(self, job_id: int, payload: Any) -> None:
        self._delivered.emit(_Delivery(job_id, "progress", payload))

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
        close must land), stop every thread (the writer last) and close every connection,
        the GUI thread's included. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for entry in list(self._entries.values()):
            if entry.lane != "write":
                entry.job.cancel()
        for lanes in (("read", "long", "net"), ("write",)):
            stopping = [t for t in self._threads if t.name.split("-")[2] in lanes]
            for t in stopping:
                self._queues[t.name.split("-")[2]].put(None)
            for t in stopping:
                t.join(timeout)
        self._entries.clear()
        self._latest.clear()
        self.library.close()
