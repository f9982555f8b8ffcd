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
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import ImportSkipped, LibraryFileError, ReaderError
from reader.core.importers import is_supported, parse_file, printable_path
from reader.core.language import detect_language, language_code, warm_up
from reader.core.models import ImportOutcome, LanguageGuess, ParsedArticle

if TYPE_CHECKING:
    from reader.core.storage import Library

#: Up to this many files are prepared in the calling process (starting workers costs ~1 s).
IN_PROCESS_MAX_FILES = 40
#: Most files sent to a worker in one task (fewer round trips; small enough to cancel quickly).
MAX_CHUNK = 16
#: With ``--encoding``: how many of the guess's alternatives are tried to find an earlier import.
MAX_EARLIER_READINGS = 5


@dataclass(frozen=True, slots=True)
class PreparedImport:
    """A file parsed and its language detected (picklable), or the reason it cannot be imported."""

    path: str
    parsed: ParsedArticle | None = None
    guess: LanguageGuess | None = None
    reason: str | None = None
    #: a close call on the encoding, for the person (see :func:`encoding_warning`)
    warning: str | None = None
    #: with an ``encoding`` override: content hashes of the file's other readings (the guessed one
    #: first), to find the article an earlier import of this file made and give it the new text
    earlier_hashes: tuple[str, ...] = ()
    #: with a close call: a passage in each candidate reading (see :func:`encoding_samples`)
    samples: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.parsed is not None and self.guess is not None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # too long a name, an unreadable parent: tried (and reported) as a file
        return False


def iter_import_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files to import: named files as given (any extension, so they can be skipped with a
    reason), and the supported files of named folders, recursively, sorted, hidden ones left out.

    Nothing here raises for one bad entry: a folder that cannot be read is yielded itself (so it is
    reported with its reason), whatever its name holds (bytes that are not UTF-8, newlines)."""
    for item in paths:
        path = _expand(item)
        if not _is_dir(path):
            yield path
            continue
        unreadable: list[Path] = []

        def on_error(exc: OSError) -> None:
            unreadable.append(Path(exc.filename) if exc.filename else path)  # noqa: B023

        for root, dirs, files in os.walk(path, onerror=on_error):
            yield from unreadable
            unreadable.clear()
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                candidate = Path(root) / name
                if not is_supported(candidate):
                    continue
                try:
                    regular = candidate.is_file()
                except (OSError, ValueError):
                    regular = True  # let parse_file say what is wrong with it
                if regular:
                    yield candidate
        yield from unreadable


def _expand(item: str | Path) -> Path:
    try:
        return Path(item).expanduser()
    except RuntimeError:  # "~nosuchuser"
        return Path(item)


def encoding_warning(parsed: ParsedArticle) -> str | None:
    """The warning for a close call on the encoding, or None when the guess was clear."""
    if not parsed.encoding or not parsed.encoding_alternatives:
        return None
    shown = parsed.encoding_alternatives[:3]
    others = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return (f"encoding guessed as {parsed.encoding}; could also be {others} "
            f"— re-import with --encoding {parsed.encoding_alternatives[0]}")


#: How much of a file :func:`encoding_samples` reads, and how long a passage it shows.
SAMPLE_BYTES = 64 * 1024
SAMPLE_CHARS = 90


def encoding_samples(path: Path, encodings: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """A passage of the file in each of ``encodings``, taken where the readings first differ, so a
    person can see which one reads right. Empty when the file cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(SAMPLE_BYTES)
    except OSError:
        return ()
    readings: list[tuple[str, str]] = []
    for name in dict.fromkeys(encodings):
        try:
            readings.append((name, data.decode(name, errors="replace")))
        except LookupError:
            continue
    if len(readings) < 2:
        return ()
    first = readings[0][1]
    differs = min((_first_difference(first, text) for _, text in readings[1:]), default=0)
    start = first.rfind("\n", 0, differs) + 1
    if differs - start > SAMPLE_CHARS // 2:
        start = differs - SAMPLE_CHARS // 3
    out = []
    for name, text in readings:
        passage = " ".join(text[start:].split("\n", 1)[0].split())[:SAMPLE_CHARS]
        out.append((name, passage))
    return tuple(out)


def _first_difference(a: str, b: str) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def _earlier_hashes(path: Path, parsed: ParsedArticle) -> tuple[str, ...]:
    """Content hashes of the file read without the override and with the guess's alternatives."""
    from reader.core.storage.articles import content_hash

    own = content_hash(parsed.title, parsed.body)
    out: list[str] = []
    try:
        guessed = parse_file(path)
    except Exception:  # noqa: BLE001 - no other reading of the file: nothing to replace
        return ()
    readings = [guessed]
    for alternative in guessed.encoding_alternatives[:MAX_EARLIER_READINGS]:
        if alternative != parsed.encoding:
            try:
                readings.append(parse_file(path, encoding=alternative))
            except Exception:  # noqa: BLE001,S112 - that reading does not decode: skip it
                continue
    for reading in readings:
        digest = content_hash(reading.title, reading.body)
        if digest != own and digest not in out:
            out.append(digest)
    return tuple(out)


def prepare(path: Path, encoding: str | None = None) -> PreparedImport:
    """Parse one file (``encoding``: a person's override) and detect its language; never raises
    for a bad file. An unknown ``encoding`` is a skip reason (check it first with
    :func:`reader.core.importers.encoding.normalize_charset`)."""
    shown = printable_path(path)
    try:
        parsed = parse_file(Path(path), encoding=encoding)
    except ValueError as exc:  # an unknown encoding name
        return PreparedImport(shown, reason=str(exc))
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
    guess = guess_language(parsed)
    earlier = _earlier_hashes(Path(path), parsed) if encoding is not None else ()
    warning = encoding_warning(parsed)
    samples: tuple[tuple[str, str], ...] = ()
    if warning and parsed.encoding:
        samples = encoding_samples(Path(path), [parsed.encoding, *parsed.encoding_alternatives[:3]])
    return PreparedImport(shown, parsed=parsed, guess=guess, warning=warning,
                          earlier_hashes=earlier, samples=samples)


def guess_language(parsed: ParsedArticle) -> LanguageGuess:
    """The language a file declares (front matter, ``<html lang>``), else the detected one."""
    declared = language_code(parsed.lang)
    if declared:
        return LanguageGuess(declared, 1.0)
    try:
        return detect_language(parsed.body)
    except Exception:  # noqa: BLE001 - detection failing is "undetermined", not an error
        return LanguageGuess("und", 0.0)


def store_parsed(library: Library, parsed: ParsedArticle, *, path: str | None = None,
                 guess: LanguageGuess | None = None) -> ImportOutcome:
    """Store an article that did not come from a file (a feed entry, a saved link): its language
    (``guess`` when it was found already, else :func:`guess_language`), de-duplication, its blocks
    and pictures — the same pipeline as a file's."""
    return library.add_article(parsed, guess or guess_language(parsed), path=path or parsed.url)


def _prepare_chunk(paths: list[str], encoding: str | None = None) -> list[PreparedImport]:
    """Worker-process entry point (top level, so ``spawn`` can find it)."""
    return [prepare(Path(p), encoding) for p in paths]


def _worker_init() -> None:
    warm_up()


def store(library: Library, prepared: PreparedImport) -> ImportOutcome:
    """Store a prepared file in its own transaction; storage trouble skips the file."""
    if not prepared.ok:
        return ImportOutcome(prepared.path, "skipped", reason=prepared.reason or "cannot be imported")
    assert prepared.parsed is not None and prepared.guess is not None
    try:
        outcome = _replace_earlier(library, prepared)
        if outcome is None:
            outcome = library.add_article(prepared.parsed, prepared.guess, path=prepared.path)
    except LibraryFileError:
        raise
    except ReaderError as exc:
        return ImportOutcome(prepared.path, "skipped", reason=str(exc))
    if not prepared.warning:
        return outcome
    parsed = prepared.parsed
    return replace(outcome, warning=prepared.warning, encoding=parsed.encoding,
                   alternatives=parsed.encoding_alternatives, samples=prepared.samples)


def _replace_earlier(library: Library, prepared: PreparedImport) -> ImportOutcome | None:
    """Re-import with ``--encoding``: the article an earlier import of the same file made (found by
    the text another reading gives) gets the new title and text, its highlights re-anchored and
    its language re-detected (unless a person set it). None when there is no such article, or
    when the new text is already in the library (then it is a plain duplicate)."""
    if not prepared.earlier_hashes:
        return None
    from reader.core.library_ops import edit_article
    from reader.core.storage.articles import content_hash

    parsed, guess = prepared.parsed, prepared.guess
    assert parsed is not None and guess is not None
    with library.write():  # one transaction: find, new text and title, re-anchor, language
        if library.find_by_hash(content_hash(parsed.title, parsed.body)) is not None:
            return None
        for digest in prepared.earlier_hashes:
            article_id = library.find_by_hash(digest)
            if article_id is None:
                continue
            if content_hash(parsed.title, library.get_body(article_id)) == content_hash(parsed.title, parsed.body):
                return ImportOutcome(prepared.path, "duplicate", article_id=article_id, title=parsed.title)
            # The article keeps its de-duplication key (that of the earlier reading): importing the
            # file again without --encoding says "duplicate" instead of bringing the wrong text back.
            edit_article(library, article_id, title=parsed.title, body=parsed.body)
            library.set_detected_language(article_id, guess)
            article = library.get_article(article_id)
            return ImportOutcome(prepared.path, "updated", article_id=article_id, title=article.title,
                                 lang=article.lang)
    return None


def import_file(library: Library, path: str | Path, *, encoding: str | None = None) -> ImportOutcome:
    """Import one file in this process (``encoding``: a person's override)."""
    return store(library, prepare(Path(path), encoding))


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
    encoding: str | None = None,
) -> list[ImportOutcome]:
    """Import files and folders; outcomes come back (and are reported) in input order.

    ``encoding`` (a person's override, ``--encoding``) decodes every file with that codec; a file
    imported before gets the new text (see :func:`store`)."""
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
        _run_in_process(library, files, record, cancelled, encoding)
        return outcomes
    _run_in_pool(library, files, count, record, cancelled, encoding)
    return outcomes


def _run_in_process(
    library: Library,
    files: list[str],
    record: Callable[[ImportOutcome], None],
    cancelled: Callable[[], bool],
    encoding: str | None = None,
) -> None:
    for path in files:
        if cancelled():
            return
        record(store(library, prepare(Path(path), encoding)))


def _run_in_pool(
    library: Library,
    files: list[str],
    workers: int,
    record: Callable[[ImportOutcome], None],
    cancelled: Callable[[], bool],
    encoding: str | None = None,
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
                pending.append((part, pool.submit(partial(_prepare_chunk, encoding=encoding), part)))
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
                _run_in_process(library, remaining, record, cancelled, encoding)
                return
            except Exception:  # noqa: BLE001 - e.g. a result that could not be sent back
                results = [prepare(Path(p), encoding) for p in part]
            for prepared in results:
                if cancelled():
                    return
                record(store(library, prepared))
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
