"""The import pipeline used by ``reader-cli import``, the GUI and the benchmarks.

Files are parsed and their language detected in worker processes (a ``spawn`` process pool, safe to
start from a GUI process and from a ``QThread``: no ``fork`` of a process that runs Qt), while the
articles are stored by the calling thread, one transaction per file, in input order. A failure while
preparing a file becomes a ``skipped`` outcome with a one-line reason; a storage error for one file
(a full disk, a locked library) skips that file; only a :class:`LibraryFileError` (the library
itself is unusable) stops the import. ``cancel()`` is polled between files: pending work is
cancelled and what was already stored stays.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import ImportSkipped, LibraryFileError, ReaderError
from reader.core.importers import is_supported, parse_file
from reader.core.language import detect_language, language_code, warm_up
from reader.core.models import ImportOutcome, LanguageGuess, ParsedArticle

if TYPE_CHECKING:
    from reader.core.storage import Library

#: Up to this many files are prepared in the calling process (starting workers costs ~1 s).
IN_PROCESS_MAX_FILES = 40
#: Most files sent to a worker in one task (fewer round trips; small enough to cancel quickly).
MAX_CHUNK = 16


@dataclass(frozen=True, slots=True)
class PreparedImport:
    """A file parsed and its language detected (picklable), or the reason it cannot be imported."""

    path: str
    parsed: ParsedArticle | None = None
    guess: LanguageGuess | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.parsed is not None and self.guess is not None


def iter_import_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files to import: named files as given (any extension, so they can be skipped with a
    reason), and the supported files of named folders, recursively, sorted, hidden ones left out."""
    for item in paths:
        path = Path(item).expanduser()
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                candidate = Path(root) / name
                if is_supported(candidate) and candidate.is_file():
                    yield candidate


def prepare(path: Path) -> PreparedImport:
    """Parse one file and detect its language; never raises for a bad file."""
    shown = str(path)
    try:
        parsed = parse_file(Path(path))
    except ImportSkipped as exc:
        return PreparedImport(shown, reason=str(exc))
    except ReaderError as exc:
        return PreparedImport(shown, reason=str(exc))
    except MemoryError:
        return PreparedImport(shown, reason="not enough memory to read the file")
    except RecursionError:
        return PreparedImport(shown, reason="the file is nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop an import
        return PreparedImport(shown, reason=f"could not be read as an article ({type(exc).__name__})")
    declared = language_code(parsed.lang)
    if declared:
        guess = LanguageGuess(declared, 1.0)
    else:
        try:
            guess = detect_language(parsed.body)
        except Exception:  # noqa: BLE001 - detection failing is "undetermined", not an error
            guess = LanguageGuess("und", 0.0)
    return PreparedImport(shown, parsed=parsed, guess=guess)


def _prepare_chunk(paths: list[str]) -> list[PreparedImport]:
    """Worker-process entry point (top level, so ``spawn`` can find it)."""
    return [prepare(Path(p)) for p in paths]


def _worker_init() -> None:
    warm_up()


def store(library: Library, prepared: PreparedImport) -> ImportOutcome:
    """Store a prepared file in its own transaction; storage trouble skips the file."""
    if not prepared.ok:
        return ImportOutcome(prepared.path, "skipped", reason=prepared.reason or "cannot be imported")
    assert prepared.parsed is not None and prepared.guess is not None
    try:
        return library.add_article(prepared.parsed, prepared.guess, path=prepared.path)
    except LibraryFileError:
        raise
    except ReaderError as exc:
        return ImportOutcome(prepared.path, "skipped", reason=str(exc))


def import_file(library: Library, path: str | Path) -> ImportOutcome:
    """Import one file in this process."""
    return store(library, prepare(Path(path)))


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> list[ImportOutcome]:
    """Import files and folders; outcomes come back (and are reported) in input order."""
    files = [str(p) for p in iter_import_files(paths)]
    total = len(files)
    outcomes: list[ImportOutcome] = []

    def record(outcome: ImportOutcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        if on_progress is not None:
            on_progress(len(outcomes), total)

    def cancelled() -> bool:
        return cancel is not None and bool(cancel())

    count = workers if workers is not None else (os.cpu_count() or 1)
    if on_progress is not None:
        on_progress(0, total)
    if count <= 1 or total <= IN_PROCESS_MAX_FILES:
        _run_in_process(library, files, record, cancelled)
        return outcomes
    _run_in_pool(library, files, count, record, cancelled)
    return outcomes


def _run_in_process(
    library: Library,
    files: list[str],
    record: Callable[[ImportOutcome], None],
    cancelled: Callable[[], bool],
) -> None:
    for path in files:
        if cancelled():
            return
        record(store(library, prepare(Path(path))))


def _run_in_pool(
    library: Library,
    files: list[str],
    workers: int,
    record: Callable[[ImportOutcome], None],
    cancelled: Callable[[], bool],
) -> None:
    chunk = max(1, min(MAX_CHUNK, len(files) // (workers * 4) or 1))
    chunks = [files[i : i + chunk] for i in range(0, len(files), chunk)]
    window = workers * 3
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    pending: deque[tuple[list[str], Future[list[PreparedImport]]]] = deque()
    next_chunk = 0
    try:
        while pending or next_chunk < len(chunks):
            while next_chunk < len(chunks) and len(pending) < window:
                part = chunks[next_chunk]
                pending.append((part, pool.submit(_prepare_chunk, part)))
                next_chunk += 1
            part, future = pending.popleft()
            if cancelled():
                return
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died (out of memory, killed): finish this and the rest here.
                remaining = part + [p for rest, _ in pending for p in rest]
                remaining += [p for rest in chunks[next_chunk:] for p in rest]
                pending.clear()
                next_chunk = len(chunks)
                _run_in_process(library, remaining, record, cancelled)
                return
            except Exception:  # noqa: BLE001 - e.g. a result that could not be sent back
                results = [prepare(Path(p)) for p in part]
            for prepared in results:
                if cancelled():
                    return
                record(store(library, prepared))
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
