"""The library controller: the article list, one article, flags, tags on articles, edits, deletes
and imports.

Widgets emit intents; the window forwards them here; this object runs reads and writes through
the :class:`TaskRunner` (writes always on its writer lane) and reports back with signals. Small
indexed reads (one article, a page of rows) use the runner's GUI-thread Library: ~1 ms each.
Deleted articles go on the window's one :class:`~reader.gui.controllers.undo.UndoHistory`.
The search across translations (rows found only in a cached translation) is computed here and
kept in :attr:`LibraryController.translation_matches` when ``list_ready`` fires.

Signals:
    list_ready(object, object, bool): (ids in SQL order, article id to select, FIRST_ROW or None,
        partial: True for the first page of a longer list, whose full list follows).
    counts_ready(object, object, object): (view counts, tags, language counts).
    query_error(str): the search text has a malformed filter; the message says what.
    articles_changed(object): ids whose rows/article changed (repaint, re-render).
    error(str): a one-line, user-facing message.
    deleted(int): articles were deleted; Undo is possible.
    marked_read(int, int): (how many were marked read, how many were asked): Mark All as Read
        landed; Undo is possible when the first is not 0.
    mark_progress(int, int): (articles done, of how many): a long Mark All as Read goes on.
    unread_found(object): the first unread of the ids :meth:`LibraryController.find_unread` was
        given (Next Unread), or None.
    import_started(int): an import began (number of files, 0 when unknown).
    import_progress(int, int): (files done, total).
    import_finished(object, bool, bool): (outcomes, cancelled, quiet) — quiet for first-run seeding.
    settled(): start-up work (seeding, command-line imports, first list) is done.
    ready(): once, after ``settled`` when no background job is pending any more (the window is
        fully shown: screenshots, --smoke, tests).
    flags_undoable(str): a person's star / read / archive change went on the undo history; the
        text says what it did ("Archived 3 articles.").
    picture_ready(int, str, object): (article id, sha256, QImage or None): a stored picture asked for
        with :meth:`LibraryController.load_pictures`, decoded on the ``read`` lane at the width asked
        (None: it could not be read, or the article changed first).
    full_picture_ready(str, object): (sha256, QImage or None): the original, for the full-size viewer.
    external_change(): another process (``reader-cli``, a second window's hand-over, a sync tool)
        changed the library; the list, the counts and the shown article are read again. Checked
        every :data:`WATCH_MS` with SQLite's ``PRAGMA data_version`` (one pragma, no file scan).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QElapsedTimer, QIODevice, QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader

from reader.core.errors import NotFoundError, QueryError, ReaderError
from reader.core.library_ops import edit_article
from reader.core.models import Article, ArticleSummary, ImportOutcome, ListFilter
from reader.core.query import Term, parse
from reader.core.storage import Library
from reader.gui.controllers.translation import translation_matches
from reader.gui.controllers.undo import UndoHistory
from reader.gui.tasks import Job, TaskCancelled, TaskContext, TaskRunner

#: What the message bar says after a person's s / m / e ("Archived 3 articles." + Undo).
FLAG_TEXT = {
    ("archived", True): "Archived {}.", ("archived", False): "Moved {} out of the archive.",
    ("starred", True): "Starred {}.", ("starred", False): "Removed the star from {}.",
    ("read", True): "Marked {} read.", ("read", False): "Marked {} unread.",
}
#: Article fields the list can be sorted (or filtered) by: editing one re-reads the list.
SORTED_FIELDS = frozenset({"title", "published", "clear_date", "source", "lang"})
#: How often the window looks for changes another process made (``PRAGMA data_version``).
WATCH_MS = 500
log = logging.getLogger(__name__)

SEEDED_KEY = "gui.seeded"
FIRST_PAGE = 200  # ids fetched before the whole list, so the first rows paint at once
#: After the first page is handed to the window, how long its painting has the GUI thread to itself.
FIRST_PAGE_PAINT_MS = 40
MARK_STEP = 2_000  # articles marked read per writer job (one transaction) by Mark All as Read
FIRST_ROW = -1  # list_ready's "select" value for: the first row, unless the last article is restored


#: The largest picture the full-size viewer decodes (pixels a side): bigger ones are scaled down.
FULL_PICTURE_MAX = 8192


_SVG_REFUSED = re.compile(r"@import|<!ENTITY|<\?xml-stylesheet|<foreignObject", re.IGNORECASE)
_SVG_ATTR_REF = re.compile(r"""(?:href|src)\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_SVG_URL_REF = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)


def svg_is_self_contained(data: bytes) -> bool:
    """Whether an SVG refers only to itself (``#id``): no URL, no file, no data: inside it, no style
    import, no entity. The importers already leave other SVGs out; this is the reader's own check."""
    text = data.decode("utf-8", "replace")
    if _SVG_REFUSED.search(text):
        return False
    refs = [m.group(2) for m in _SVG_ATTR_REF.finditer(text)] + [m.group(2) for m in _SVG_URL_REF.finditer(text)]
    return all(ref.strip().startswith("#") for ref in refs)


def decode_picture(ctx: TaskContext, sha: str, width: int = 0) -> QImage | None:
    """A stored picture decoded from the library (never a file or the network), scaled to ``width``
    pixels wide (0: its own size, at most :data:`FULL_PICTURE_MAX` a side), on a worker thread:
    QImage (unlike QPixmap) may be made off the GUI thread. JPEGs decode straight at the smaller
    size. None when it cannot be read."""
    if ctx.cancelled():
        raise TaskCancelled("the article changed")
    data = ctx.library.get_image(sha)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    kind = bytes(reader.format().data()).lower()
    if kind == b"svgz" or (kind == b"svg" and not svg_is_self_contained(data)):
        return None  # an SVG could reach out (a URL, a file of the disk): it is not drawn at all
    size = reader.size()
    if size.isValid() and size.width() > 0 and size.height() > 0:
        scale = min(1.0, FULL_PICTURE_MAX / max(size.width(), size.height()))
        if width > 0:
            scale = min(scale, width / size.width())
        if scale < 1.0:
            reader.setScaledSize(QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale))))
    image = reader.read()
    buffer.close()
    return None if image.isNull() else image


def import_job(ctx: TaskContext, paths: Sequence[str | Path],
               encoding: str | None = None) -> tuple[list[ImportOutcome], bool]:
    """Run :func:`reader.core.importing.import_paths` on the long lane, reporting each outcome."""
    from reader.core.importing import import_paths, iter_import_files

    files = list(iter_import_files([Path(p) for p in paths]))
    total = len(files)
    outcomes: list[ImportOutcome] = []
    ctx.report((0, total, None))

    def on_outcome(outcome: ImportOutcome) -> None:
        outcomes.append(outcome)
        ctx.report((len(outcomes), total, outcome))

    result = import_paths(ctx.library, files, on_outcome=on_outcome, cancel=ctx.cancelled, encoding=encoding)
    if len(result) > len(outcomes):
        outcomes = list(result)
    return outcomes, ctx.cancelled()


class LibraryController(QObject):
    """See the module docstring."""

    list_ready = Signal(object, object, bool)
    counts_ready = Signal(object, object, object)
    query_error = Signal(str)
    articles_changed = Signal(object)
    error = Signal(str)
    deleted = Signal(int)
    marked_read = Signal(int, int)
    mark_progress = Signal(int, int)
    unread_found = Signal(object)
    import_started = Signal(int)
    import_progress = Signal(int, int)
    import_finished = Signal(object, bool, bool)
    settled = Signal()
    ready = Signal()
    external_change = Signal()
    flags_undoable = Signal(str)
    picture_ready = Signal(int, str, object)
    full_picture_ready = Signal(str, object)

    def __init__(self, runner: TaskRunner, undo: UndoHistory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library: Library = runner.library
        self.runner = runner
        self.undo_history = undo
        runner.error_handler = self._on_job_error
        self.view: tuple[str, str] = ("view", "all")
        self.query_text = ""
        self.sort = "added"
        self.descending = True
        self.terms: list[Term] = []
        self.current_id: int | None = None
        self.known_tags: list[str] = []
        self._import_job: Any = None
        self._import_queue: list[tuple[list[str], bool, bool, bool, bool, str | None]] = []
        self._startup_pending = 0
        self._settled = False
        self._ready_emitted = False
        runner.busy_changed.connect(self._on_runner_busy_changed)
        self.settled.connect(self._maybe_ready)
        self._import_reload = QElapsedTimer()
        self.dwell_timer = QTimer(self)
        self.dwell_timer.setSingleShot(True)
        self.dwell_timer.timeout.connect(self._on_dwell_timer_timeout)
        self.dwell_ms = 1500
        self.first_import_id: int | None = None
        #: ids in the list that the search found only through their cached translation (shown marked)
        self.translation_matches: set[int] = set()
        self.in_place = False  # the list asked for last re-reads the view shown (see reload_list)
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_MS)
        self.watch_timer.timeout.connect(self._check_external_change)
        self._seen_version: int | None = None
        self._seen_writes: tuple[int, int] = (0, 0)
        self._picture_jobs: tuple[int, list[Job]] = (0, [])  # the article whose pictures are decoding

    # --- start-up ---------------------------------------------------------------------------------
    def start(self, files: Sequence[str | Path] = ()) -> None:
        """First list and counts at once; seed an empty new library; import command-line files."""
        self.reload_list()
        # the sidebar counts scan the whole table (~1 s at 100k): ask once the first rows are up
        self.list_ready.connect(self._on_first_list_ready)
        try:
            empty = self._library_is_empty() and not self.library.get_setting(SEEDED_KEY, False)
        except ReaderError as exc:
            self.error.emit(str(exc))
            empty = False
        if empty:
            from reader.paths import seeds_dir

            seeds = sorted(str(p) for p in seeds_dir().glob("*") if p.is_file())
            if seeds:
                self._startup_pending += 1
                self.import_paths(seeds, quiet=True, startup=True, seed=True)
        if files:
            self._startup_pending += 1
            self.import_paths([str(f) for f in files], quiet=True, startup=True, select_first=True)
        if not self._startup_pending:
            self._startup_pending = 1
            self.runner.read(lambda c: None, lambda _: self._startup_step_done())

    def _library_is_empty(self) -> bool:
        # two index-backed LIMIT 1 reads (~0.1 ms); a count(*) or an unfiltered sort scans 100k rows
        return not self.library.list_ids(ListFilter(), limit=1) and not self.library.list_ids(
            ListFilter(archived=True), limit=1)

    def _on_first_list_ready(self) -> None:
        self.list_ready.disconnect(self._on_first_list_ready)
        self.reload_counts()

    def _startup_step_done(self) -> None:
        self._startup_pending -= 1
        if self._startup_pending <= 0 and not self._settled:
            # the first given FILE's article, else the first of the list (FIRST_ROW)
            self.reload_list(select=self.first_import_id or FIRST_ROW, then_settle=True)

    def is_settled(self) -> bool:
        return self._settled

    def _on_runner_busy_changed(self, busy: bool) -> None:
        if not busy:
            self._maybe_ready()

    def _maybe_ready(self) -> None:
        if self._settled and not self._ready_emitted and not self.runner.pending():
            self._ready_emitted = True
            QTimer.singleShot(0, self.ready.emit)
            self._start_watching()

    def _start_watching(self) -> None:
        """Look for other processes' changes from now on (after start-up: the first rows first)."""
        try:
            self._seen_version = self.library.data_version()
        except ReaderError:
            self._seen_version = None
        self._seen_writes = self.runner.write_counts()
        self.watch_timer.start()

    def _check_external_change(self) -> None:
        """Another process changed the library when its data_version moved while no write of ours
        began or ended (our own writes refresh what they change themselves)."""
        before = self.runner.write_counts()
        try:
            version = self.library.data_version()
        except ReaderError:
            return
        after = self.runner.write_counts()
        if before != after or after[0] != after[1]:
            return  # one of our writes is running: look again next time
        seen, self._seen_version = self._seen_version, version
        ours, self._seen_writes = after != self._seen_writes, after
        if seen is None or version == seen or ours or self.importing():
            return
        self.external_change.emit()
        self.reload_counts()
        self.reload_list(keep_current=True, whole=True, in_place=True)

    # --- listing ----------------------------------------------------------------------------------
    def list_filter(self) -> ListFilter:
        kind, value = self.view
        base: dict[str, Any] = {"query": self.query_text or None, "sort": self.sort, "descending": self.descending}
        if kind == "view":
            if value == "unread":
                base["unread"] = True
            elif value == "starred":
                base.update(starred=True, archived=None)
            elif value == "archive":
                base["archived"] = True
        elif kind == "tag":
            base["tag"] = value
        elif kind == "lang":
            base["lang"] = value
        elif kind == "feed":  # a feed of the sidebar's Feeds section (value: its id)
            base["feed_id"] = int(value)
        elif kind == "saved":  # a saved search (value: its query), narrowed by the search box
            base["query"] = f"{value} {self.query_text}".strip()
            base["archived"] = None  # as its sidebar count (Annotations.count_query)
        return ListFilter(**base)

    def set_view(self, kind: str, value: str) -> None:
        self.view = (kind, value)
        self.reload_list()

    def set_query(self, text: str) -> None:
        self.query_text = text.strip()
        self.reload_list(keep_current=True)

    def set_sort(self, key: str, descending: bool) -> None:
        self.sort, self.descending = key, descending
        self.reload_list(keep_current=True)

    def reload_list(self, select: int | None = None, *, keep_current: bool = False, then_settle: bool = False,
                    whole: bool = False, in_place: bool = False) -> None:
        """Ask for the ids of the current view/search/sort (off the GUI thread, latest wins).
        ``whole``: no first screenful ahead of the rest (a refresh of a list already shown).
        ``in_place``: the same view re-read (new feed articles, another process's change): the
        window inserts and removes rows rather than resetting the list (:attr:`in_place`)."""
        self.in_place = in_place  # read by the window when this list (the latest: latest wins) arrives
        try:
            query = parse(self.query_text) if self.query_text else None
        except QueryError as exc:
            # A malformed filter selects nothing: the list empties (an empty job under the list's
            # key drops any older search still running) and the in-text highlights go.
            self.query_error.emit(str(exc))
            self.terms = []
            self.translation_matches = set()
            self.runner.long_read(lambda _c: [], lambda ids: self.list_ready.emit(ids, None, False),
                                  self._on_job_error, key="list")
            return
        self.query_error.emit("")
        self.terms = list(query.positive_terms) if query else []
        flt = self.list_filter()
        if select is None and keep_current:
            select = self.current_id

        shown = threading.Event()  # the first page is on screen: the whole list may be read now

        def first_page(ids: list[int]) -> None:
            self.list_ready.emit(ids, select, True)
            QTimer.singleShot(FIRST_PAGE_PAINT_MS, shown.set)

        def done(ids: list[int]) -> None:
            self.translation_matches = set()
            self.list_ready.emit(ids, select, False)
            if flt.query:
                self._append_translation_matches(flt, ids, select)
            if then_settle and not self._settled:
                self._settled = True
                self.settled.emit()

        def job(ctx: TaskContext) -> list[int]:
            # The first screenful first (LIMIT uses the sort index: a few ms even at 100k), then
            # the whole id list; the window extends the list in place when the prefix matches.
            if whole:
                return ctx.library.list_ids(flt)
            first = ctx.library.list_ids(flt, limit=FIRST_PAGE)
            if len(first) < FIRST_PAGE or ctx.cancelled():  # cancelled: a newer search superseded it
                return first
            ctx.report(first)
            # Reading the whole list (a million ids) is Python work on this thread: started at once,
            # every call the GUI thread's Qt makes into Python while it paints the first page waits
            # for the interpreter lock (measured at 1M articles: first results painted 125–170 ms
            # after the last key instead of ~40). It starts once they are painted, or after 250 ms.
            # (A newer search cancels this one: stop waiting at once, the read thread is needed.)
            deadline = time.monotonic() + 0.25
            while not shown.wait(0.005) and not ctx.cancelled() and time.monotonic() < deadline:
                pass
            if ctx.cancelled():  # typed on meanwhile: this list is not wanted any more
                return first
            return ctx.library.list_ids(flt)

        self.runner.long_read(job, done, self._on_job_error_or_query, first_page, key="list")

    def _append_translation_matches(self, flt: ListFilter, ids: list[int], select: int | None) -> None:
        """Search across translations: articles found only through their cached translation are
        appended to the list once the original matches are shown (a second query, ~0.2 s at 100k,
        so it never delays the list); same key as the list, so a newer search drops it."""
        def done(extra: list[int]) -> None:
            if extra:
                self.translation_matches = set(extra)
                self.list_ready.emit(ids + extra, select, False)

        self.runner.read(lambda c: translation_matches(c.library, flt, set(ids)), done, self._on_job_error,
                         key="list")

    def reload_counts(self) -> None:
        def done(result: tuple[dict[str, int], list[Any], list[tuple[str, int]]]) -> None:
            self.known_tags = [t.name for t in result[1]]
            self.counts_ready.emit(*result)

        self.runner.read(
            lambda c: (c.library.view_counts(), c.library.list_tags(), c.library.language_counts()),
            done, key="counts",
        )

    # --- one article ------------------------------------------------------------------------------
    def load_article(self, article_id: int) -> Article | None:
        """The article, read on the GUI thread (one indexed row: ~1 ms). None when it is gone."""
        try:
            return self.library.get_article(article_id)
        except NotFoundError:
            return None
        except ReaderError as exc:
            self.error.emit(str(exc))
            return None

    def load_pictures(self, article_id: int, wanted: Sequence[tuple[str, int]]) -> None:
        """Decode these stored pictures ((sha256, width in pixels)) of an article on the ``read`` lane,
        one job each, in the order given (the document's); each lands in ``picture_ready``. The
        pictures of an article no longer shown are dropped before they are decoded."""
        shown, jobs = self._picture_jobs
        if shown != article_id:
            for job in jobs:
                job.cancel()
            jobs = []
        jobs = [j for j in jobs if not j.done]
        for sha, width in wanted:
            jobs.append(self.runner.read(partial(decode_picture, sha=sha, width=width),
                                         partial(self._on_picture, article_id, sha),
                                         partial(self._on_picture_failed, article_id, sha)))
        self._picture_jobs = (article_id, jobs)

    def _on_picture(self, article_id: int, sha: str, image: QImage | None) -> None:
        self.picture_ready.emit(article_id, sha, image)

    def _on_picture_failed(self, article_id: int, sha: str, exc: BaseException) -> None:
        if not isinstance(exc, TaskCancelled):
            log.warning("picture %s could not be read: %s", sha, exc)
        self.picture_ready.emit(article_id, sha, None)

    def load_full_picture(self, sha: str) -> None:
        """The original of a stored picture, for the full-size viewer (``full_picture_ready``)."""
        self.runner.read(lambda ctx: decode_picture(ctx, sha), lambda image: self.full_picture_ready.emit(sha, image),
                         lambda _exc: self.full_picture_ready.emit(sha, None), key="full-picture")

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Light rows for the list model (GUI thread, a block of ~100 ids by primary key)."""
        try:
            return self.library.get_summaries(ids)
        except ReaderError as exc:
            self.error.emit(str(exc))
            return {}

    def leads(self, ids: Sequence[int]) -> dict[int, str]:
        """First words of the articles' texts for two-line rows (GUI thread, a block by primary key)."""
        try:
            return self.library.get_leads(ids)
        except ReaderError as exc:
            self.error.emit(str(exc))
            return {}

    def article_opened(self, article: Article | None, *, chosen: bool = True) -> None:
        """Start the mark-read dwell for the article now shown — only when the person ``chosen`` it
        (a click, a key); an article the list opened by itself (first row of a view, a search, an
        import, the one restored at start) is shown and stays unread."""
        self.dwell_timer.stop()
        self.current_id = article.id if article else None
        if article is not None and chosen and not article.read:
            self.dwell_timer.start(max(0, self.dwell_ms))

    def _on_dwell_timer_timeout(self) -> None:
        if self.current_id is not None:
            self.set_flag([self.current_id], "read", True)

    def save_position(self, article_id: int, fraction: float, previous: float) -> None:
        if abs(fraction - previous) >= 0.005:
            self.runner.write(lambda c: c.library.set_read_position(article_id, fraction), None, self._on_job_error)

    def find_unread(self, ids: Sequence[int]) -> None:
        """Which of ``ids`` (in this order) is the first unread one: read off the GUI thread (a list
        may hold 100,000 ids), answered with ``unread_found``; a newer question drops an older one."""
        ids = list(ids)
        self.runner.read(lambda c: c.library.first_unread(ids), self.unread_found.emit,
                         self._on_job_error, key="unread")

    # --- writes -----------------------------------------------------------------------------------
    def toggle_flag(self, ids: Sequence[int], name: str) -> None:
        """``s`` / ``m`` / ``e``: set ``name`` (read, starred, archived) on all of ``ids`` unless all
        have it already, then clear it."""
        ids = list(ids)
        if ids:
            rows = self.summaries(ids).values()
            on = {"read": lambda s: s.read, "starred": lambda s: s.starred, "archived": lambda s: s.archived}[name]
            self.set_flag(ids, name, not all(on(s) for s in rows), undoable=True)

    def set_flag(self, ids: Sequence[int], name: str, value: bool, *, undoable: bool = False) -> None:
        """Set a flag on ``ids``. ``undoable`` (a person's s / m / e): each article's previous value
        is kept and the change goes on the undo history, said in the message bar
        (``flags_undoable``); the dwell's automatic "read" is not undoable."""
        ids = list(ids)
        if not ids:
            return
        if name == "read" and not value and self.current_id in ids:
            self.dwell_timer.stop()

        def job(c: TaskContext) -> list[int]:
            before = c.library.get_summaries(ids) if undoable else {}
            c.library.set_flags(ids, **{name: value})
            return [i for i, row in before.items() if getattr(row, name) != value]

        def done(changed: list[int]) -> None:
            self.articles_changed.emit(ids)
            self.reload_counts()
            if name == "archived":
                self.reload_list(keep_current=not value)
            if undoable and changed:
                n = len(changed)
                text = FLAG_TEXT[(name, value)].format(f"{n} article{'s' if n != 1 else ''}")
                self.undo_history.push(text, lambda: self._unset_flag(changed, name, not value))
                self.flags_undoable.emit(text)

        self.runner.write(job, done, self._on_job_error)

    def _unset_flag(self, ids: list[int], name: str, value: bool) -> None:
        """The undo of :meth:`set_flag`: the articles that changed get their old value back."""
        def done(_: object) -> None:
            self.articles_changed.emit(ids)
            self.reload_counts()
            if name == "archived":
                self.reload_list(select=ids[0])

        self.runner.write(lambda c: c.library.set_flags(ids, **{name: value}), done, self._on_job_error)

    def mark_all_read(self, ids: Sequence[int]) -> None:
        """Mark All as Read: every article of ``ids`` (a whole view) read on the writer lane, in
        steps (see :meth:`_mark_in_steps`); the ones that changed go on the undo history."""
        ids = list(ids)

        def finished(changed: list[int]) -> None:
            if changed:
                self.undo_history.push(f"mark {len(changed)} articles read", lambda: self._mark_unread(changed))
            self.marked_read.emit(len(changed), len(ids))

        self._mark_in_steps(ids, True, finished)

    def _mark_unread(self, ids: list[int]) -> None:
        """The undo of :meth:`mark_all_read`: exactly the articles it changed are unread again."""
        self._mark_in_steps(ids, False, lambda _changed: None)

    def _mark_in_steps(self, ids: list[int], read: bool, finished: Callable[[list[int]], None]) -> None:
        """Set ``read`` on ``ids``, MARK_STEP articles per writer job (one transaction each), each
        step queued when the last has landed: rows repaint as it goes, and a star or a tag
        pressed meanwhile waits for one step (~0.25 s at 100k), not for the whole view. Each
        article's row is rewritten with its indexes (~130 µs each here), so 100,000 take seconds."""
        changed: list[int] = []

        def step(start: int) -> None:
            part = ids[start:start + MARK_STEP]

            def done(got: list[int]) -> None:
                changed.extend(got)
                if got:
                    self.articles_changed.emit(got)
                end = start + len(part)
                if end < len(ids):
                    self.mark_progress.emit(end, len(ids))
                    step(end)
                else:
                    self.reload_counts()
                    finished(changed)

            def failed(exc: BaseException) -> None:
                self._on_job_error(exc)
                self.reload_counts()
                finished(changed)  # what did change can still be undone

            self.runner.write(lambda c: c.library.mark_read(part, read), done, failed)

        step(0)

    def add_tags(self, ids: Sequence[int], names: Sequence[str]) -> None:
        ids, names = list(ids), [n for n in names if n.strip()]
        if not ids or not names:
            return
        self.runner.write(lambda c: c.library.add_tags(ids, names), lambda _: self._changed(ids), self._on_job_error)

    def remove_tag(self, ids: Sequence[int], name: str) -> None:
        ids = list(ids)
        self.runner.write(lambda c: c.library.remove_tags(ids, [name]), lambda _: self._changed(ids),
                          self._on_job_error)

    def update_article(self, article_id: int, **changes: Any) -> None:
        if not changes:
            return
        # one core function, one transaction: a new text re-anchors the highlights in it
        def done(_: object) -> None:
            self._changed([article_id])
            if SORTED_FIELDS & changes.keys():  # the row may belong elsewhere in the sorted list now
                self.reload_list(keep_current=True)

        self.runner.write(lambda c: edit_article(c.library, article_id, **changes), done, self._on_job_error)

    def _changed(self, ids: list[int]) -> None:
        self.articles_changed.emit(ids)
        self.reload_counts()

    def delete(self, ids: Sequence[int], select_after: int | None) -> None:
        ids = list(ids)
        if not ids:
            return

        def done(snapshots: list[dict[str, Any]]) -> None:
            self.undo_history.push(f"delete {len(snapshots)} articles", lambda: self._restore(snapshots))
            self.deleted.emit(len(snapshots))
            self.reload_counts()
            self.reload_list(select=select_after)

        self.runner.write(lambda c: c.library.delete_articles(ids), done, self._on_job_error)

    def _restore(self, snapshots: list[dict[str, Any]]) -> None:
        """Put deleted articles back (the undo of :meth:`delete`)."""
        first = snapshots[0]["article"]["id"] if snapshots else None

        def done(_: object) -> None:
            self.reload_counts()
            self.reload_list(select=first)

        self.runner.write(lambda c: c.library.restore_articles(snapshots), done, self._on_job_error)

    # --- import -----------------------------------------------------------------------------------
    def import_paths(self, paths: Sequence[str | Path], *, quiet: bool = False, startup: bool = False,
                     select_first: bool = False, seed: bool = False, encoding: str | None = None) -> None:
        """Import in the background (one import at a time; later ones wait their turn).
        ``encoding``: a person's override (a re-import: the earlier article gets the new text)."""
        item = ([str(p) for p in paths], quiet, startup, select_first, seed, encoding)
        if self._import_job is not None:
            self._import_queue.append(item)
            return
        self._run_import(*item)

    def importing(self) -> bool:
        return self._import_job is not None

    def cancel_import(self) -> None:
        if self._import_job is not None:
            self._import_job.cancel()
        self._import_queue.clear()

    def _run_import(self, paths: list[str], quiet: bool, startup: bool, select_first: bool, seed: bool,
                    encoding: str | None = None) -> None:
        self.import_started.emit(0)
        self._import_reload.start()

        def job(ctx: TaskContext) -> tuple[list[ImportOutcome], bool]:
            outcomes, cancelled = import_job(ctx, paths, encoding)
            if seed and not cancelled:  # a write: handed to the writer lane
                self.runner.write_and_wait(lambda library: library.set_setting(SEEDED_KEY, True))
            return outcomes, cancelled

        shown = QElapsedTimer()
        shown.start()

        def progress(payload: tuple[int, int, ImportOutcome | None]) -> None:
            done, total, outcome = payload
            if done in (0, total) or shown.elapsed() >= 100:  # repaint the bar <= 10 times a second
                shown.restart()
                self.import_progress.emit(done, total)
            if (select_first and self.first_import_id is None and outcome is not None
                    and outcome.article_id is not None and outcome.status in ("imported", "duplicate")):
                self.first_import_id = outcome.article_id
            # The sidebar counts follow a long import; the list is reloaded once at the end, so it
            # never jumps under the reader's scroll position while files come in.
            if outcome is not None and self._import_reload.elapsed() > 5000:
                self._import_reload.restart()
                self.reload_counts()

        def finished(result: tuple[list[ImportOutcome], bool]) -> None:
            outcomes, cancelled = result
            if select_first and self.first_import_id is None:
                first = next((o.article_id for o in outcomes if o.article_id is not None), None)
                self.first_import_id = first
            self._import_done(outcomes, cancelled, quiet, startup)

        def failed(exc: BaseException) -> None:
            self._on_job_error(exc)
            self._import_done([], True, True, startup)

        self._import_job = self.runner.long(job, finished, failed, progress)

    def _import_done(self, outcomes: list[ImportOutcome], cancelled: bool, quiet: bool, startup: bool) -> None:
        self._import_job = None
        self.import_finished.emit(outcomes, cancelled, quiet)
        self.reload_counts()
        if startup:
            self._startup_step_done()
        else:
            imported = next((o.article_id for o in outcomes if o.status == "imported"), None)
            self.reload_list(select=imported, keep_current=imported is None)
            updated = [o.article_id for o in outcomes if o.status == "updated" and o.article_id is not None]
            if updated:  # re-imported with another encoding: the article on screen shows the new text
                self.articles_changed.emit(updated)
        if self._import_queue:
            self._run_import(*self._import_queue.pop(0))

    # --- errors -----------------------------------------------------------------------------------
    def _on_job_error_or_query(self, exc: BaseException) -> None:
        if isinstance(exc, QueryError):
            self.query_error.emit(str(exc))
        else:
            self._on_job_error(exc)

    def _on_job_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReaderError):
            self.error.emit(str(exc))
        elif isinstance(exc, ImportError):
            log.error("import unavailable: %s", exc)
            self.error.emit("Importing is not available in this build (the importers are missing)")
        else:
            log.error("unexpected error in a background job", exc_info=(type(exc), exc, exc.__traceback__))
            self.error.emit(f"Something went wrong ({type(exc).__name__}: {exc}); details are in the log")
