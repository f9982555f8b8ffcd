"""Where a refresh's CPU work runs: parsing feeds, extracting pages (trafilatura) and detecting
languages.

In the window these run in a worker **process**, not in the refresh's threads. Python threads share
one interpreter lock: while a fetch thread ran trafilatura, every call the GUI thread's Qt made into
Python (each cell a list repaint draws asks the model) waited ~1 ms for the lock, and one repaint of
the list took 300+ ms instead of 30 (measured: the longest GUI stall of a 200-feed refresh was
1,041 ms). With the parsing in another process the refresh's threads only wait on sockets, SQLite
and that process, and the GUI thread has the interpreter to itself.

:class:`ParsePool` is a ``spawn`` :class:`~concurrent.futures.ProcessPoolExecutor` (safe from a
process that runs Qt; the frozen app's entry points call ``multiprocessing.freeze_support()``),
started on first use and kept until :meth:`ParsePool.close`. What goes wrong with the pool never
fails a refresh: a worker that dies (killed, out of memory) fails only what it was reading, with a
one-line error, and is replaced (after :data:`MAX_BREAKS` deaths, as when processes cannot start,
the work runs in this process); a page that keeps the worker busy past :data:`PARSE_TIMEOUT` gets a
one-line error and the worker is replaced. Exceptions come back as they were raised when they survive pickling, else as a
:class:`~reader.core.errors.ReaderError` with the same message. Without a pool (the CLI, tests of
the service) :func:`run` calls the function here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from reader.core.errors import ReaderError

T = TypeVar("T")

#: Seconds one parse may take in the worker before it is given up (and the worker replaced).
PARSE_TIMEOUT = 60.0
#: Workers that may die before the work runs in this process instead.
MAX_BREAKS = 3
#: How much lower than the window the worker runs (Unix ``nice``).
WORKER_NICENESS = 5
#: Seconds a worker may take to start (imports included) before parsing stays in this process.
START_TIMEOUT = 60.0


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    """Worker-process side: ``(True, result)`` or ``(False, exception)``, the exception as raised
    when it pickles, else a ReaderError with its message (an unpicklable one would break the pool)."""
    try:
        return True, fn(*args)
    except BaseException as exc:  # noqa: BLE001 - handed back to the caller, raised there
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001
            return False, ReaderError(str(exc) or type(exc).__name__)
        return False, exc


def _ready() -> bool:
    return True


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now, its workers killed (one may be stuck in a parse)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    """Worker initializer: below the window in the CPU's queue (parsing is background work: on
    two cores a busy worker otherwise takes turns with the GUI thread), then import the parsers
    once, before the first page arrives."""
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)
        except OSError:
            pass
    from reader.core.feeds import parse  # noqa: F401
    from reader.core.importers import html_file  # noqa: F401
    from reader.core.language import warm_up

    warm_up()


class ParsePool:
    """See the module docstring. Thread-safe: every fetch thread of a refresh calls :meth:`run`."""

    def __init__(self, workers: int | None = None, *, timeout: float = PARSE_TIMEOUT) -> None:
        self.workers = workers or max(1, min(2, (os.cpu_count() or 2) - 1))
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._in_process = False  # the pool could not be used: run here from now on
        self._closed = False
        self._breaks = 0

    def _executor(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._in_process or self._closed:
                return None
            if self._pool is None:
                pool = None
                try:
                    pool = ProcessPoolExecutor(max_workers=self.workers,
                                               mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_warm_up)
                    # started and warmed up before the first parse's clock runs
                    pool.submit(_ready).result(timeout=START_TIMEOUT)
                except Exception:  # noqa: BLE001 - no worker process here: parse in this one
                    if pool is not None:
                        _stop(pool)
                    self._in_process = True
                    return None
                self._pool = pool
            return self._pool

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the worker process (``fn`` a module-level function; arguments and result
        picklable), or here when the pool cannot be used."""
        pool = self._executor()
        if pool is None:
            return fn(*args)
        try:
            future: Future[tuple[bool, Any]] = pool.submit(_call, fn, args)
        except (BrokenProcessPool, RuntimeError):  # died before, or shut down meanwhile
            self._replace(pool, broken=True)
            return self.run(fn, *args)
        try:
            ok, value = future.result(timeout=self.timeout)
        except FutureTimeout:
            self._replace(pool)
            raise ReaderError(f"reading this took longer than {self.timeout:.0f} s and was given up") from None
        except BrokenProcessPool:
            # The worker died (killed, out of memory: perhaps over this very input, so it is not
            # tried again here); the next call gets a fresh worker.
            self._replace(pool, broken=True)
            raise ReaderError("this could not be read: the parsing process stopped") from None
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def _replace(self, pool: ProcessPoolExecutor, *, broken: bool = False) -> None:
        """A parse hung, or the worker died: stop that worker; the next call starts a fresh one.
        After :data:`MAX_BREAKS` deaths (a worker that cannot start) the work runs here."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
                if broken:
                    self._breaks += 1
                    self._in_process = self._breaks >= MAX_BREAKS
        _stop(pool)

    def close(self) -> None:
        """Stop the worker process (the window closing): an idle worker ends at once, one still
        parsing is stopped after 2 s rather than waited for."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 2.0
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()


def run(pool: ParsePool | None, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` through ``pool``, or here without one."""
    return pool.run(fn, *args) if pool is not None else fn(*args)


__all__ = ["PARSE_TIMEOUT", "ParsePool", "run"]
