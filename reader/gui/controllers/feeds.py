"""The feeds controller: subscriptions for the window, over :class:`reader.core.feeds.service.FeedService`.

Where each call runs (never on the GUI thread):

* the feed list with unread counts: the ``read`` lane (latest wins, like the sidebar's other counts);
* discovery for the Add Feed preview: the ``net`` lane (network only, no library; it does not wait
  behind a refresh);
* add, refresh (all / some / due ones), save link, OPML import: the ``long`` lane, one at a time in
  the order asked, each with the job's ``cancel`` event handed to the service (a refresh stops
  promptly; what was stored stays); OPML export reads on the ``read`` lane and writes the file there;
* edit, unsubscribe, mark all read (and its undo): the writer lane.

The window has ONE :class:`~reader.core.feeds.http.HttpClient` (thread-safe: its per-host limit then
holds across lanes) and ONE :class:`~reader.core.feeds.parsing.ParsePool` (feeds and pages are parsed
and languages detected in a worker process, so the fetch threads never hold the interpreter lock the
GUI thread needs); each lane thread gets its own ``FeedService`` over that thread's Library, made on
first use. :meth:`close` (after the runner has stopped) closes the client and stops the worker.

Signals:
    feeds_ready(object): the subscriptions (``list[Feed]``, with unread counts and status).
    discovered(str, object): (the address asked, ``list[FeedCandidate]``) for the Add Feed preview.
    discover_failed(str, str): (the address asked, a one-line reason).
    added(object, object): (the new :class:`Feed`, its first :class:`FeedRefresh` or None).
    refresh_started(int): a refresh began (feeds to fetch; 0 while not known).
    refresh_progress(int, int, object): (feeds done, of how many, the :class:`FeedRefresh` results since
        the last report: a list, sent at most every PROGRESS_EVERY_S and at the end).
    refresh_finished(object, bool): (the results, cancelled).
    articles_arrived(): new or updated articles were stored (at most every ARRIVED_EVERY_S while
        a refresh runs, and at its end): the list is re-read in place.
    link_saved(object): the :class:`ImportOutcome` of a saved link (imported, duplicate, skipped).
    opml_imported(object): the new feeds of an OPML import (``list[Feed]``).
    opml_exported(str, int): (the file written, how many feeds).
    feeds_changed(): a subscription was edited, removed or its articles marked (re-read counts).
    marked_read(int, str): (articles marked read, the feed's title); undo is on the history.
    removed(str, int, int): (the feed's title, articles deleted, articles kept).
    failed(str, str): (what: "add" | "refresh" | "save" | "opml" | "edit" | "remove", one-line message).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from reader.core.errors import ReaderError
from reader.core.models import Feed, FeedRefresh, ImportOutcome
from reader.gui.controllers.undo import UndoHistory
from reader.gui.tasks import Job, TaskCancelled, TaskContext, TaskRunner

if TYPE_CHECKING:  # imported on first use: the feeds stack (requests, feedparser) stays off start-up
    from reader.core.feeds.http import HttpClient
    from reader.core.feeds.parsing import ParsePool
    from reader.core.feeds.service import FeedService

#: How often, at most, a running refresh tells the window that articles arrived.
ARRIVED_EVERY_S = 2.0
#: How often, at most, a refresh reports progress: 200 feeds answering 304 within half a second
#: were 200 deliveries in a row (each progress bar step repaints at once): a 200 ms stall.
PROGRESS_EVERY_S = 0.1


def one_line(exc: BaseException, what: str) -> str:
    """A failure as one user-facing line."""
    if isinstance(exc, ReaderError):
        text = str(exc)
    elif isinstance(exc, OSError):
        text = f"the {what} failed: {exc.strerror or exc}"
    else:
        text = f"the {what} failed ({type(exc).__name__}: {exc})"
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


class FeedsController(QObject):
    """See the module docstring."""

    feeds_ready = Signal(object)
    discovered = Signal(str, object)
    discover_failed = Signal(str, str)
    added = Signal(object, object)
    refresh_started = Signal(int)
    refresh_progress = Signal(int, int, object)
    refresh_finished = Signal(object, bool)
    articles_arrived = Signal()
    link_saved = Signal(object)
    opml_imported = Signal(object)
    opml_exported = Signal(str, int)
    feeds_changed = Signal()
    marked_read = Signal(int, str)
    removed = Signal(str, int, int)
    failed = Signal(str, str)

    def __init__(self, runner: TaskRunner, undo: UndoHistory, parent: QObject | None = None, *,
                 client_factory: Callable[[], HttpClient] | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.undo_history = undo
        self._client_factory = client_factory
        self._client: HttpClient | None = None
        self._client_lock = threading.Lock()
        self._parser: ParsePool | None = None
        self._services: dict[int, FeedService] = {}  # lane thread ident -> its service
        self._refresh_job: Job | None = None
        self._long_jobs: list[Job] = []  # add / save / OPML import queued or running on the long lane
        self._discover_job: Job | None = None
        self._opml_jobs: list[Job] = []
        self.feeds: list[Feed] = []

    # --- the service of the calling lane thread -----------------------------------------------------
    def client(self) -> HttpClient:
        """The window's one HTTP client (made on first use, on whichever lane needs it first)."""
        with self._client_lock:
            if self._client is None:
                if self._client_factory is not None:
                    self._client = self._client_factory()
                else:
                    from reader.core.feeds.http import HttpClient

                    self._client = HttpClient()
            return self._client

    def parser(self) -> ParsePool:
        """The window's parse worker (started on first use: a refresh, a saved link)."""
        with self._client_lock:
            if self._parser is None:
                from reader.core.feeds.parsing import ParsePool

                self._parser = ParsePool()
            return self._parser

    def service(self, ctx: TaskContext) -> FeedService:
        """This lane thread's FeedService (over its own Library, sharing the window's client)."""
        ident = threading.get_ident()
        found = self._services.get(ident)
        if found is None or found.library is not ctx.library:
            from reader.core.feeds.service import FeedService

            found = self._services[ident] = FeedService(ctx.library, self.client(), parser=self.parser())
        return found

    def close(self) -> None:
        """Close the HTTP client (call after the task runner has stopped)."""
        self._services.clear()
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            parser, self._parser = self._parser, None
        if parser is not None:
            parser.close()

    def cancel(self) -> None:
        """Stop a running refresh and drop the feed jobs still queued (what was stored stays)."""
        for job in [self._refresh_job, self._discover_job, *self._long_jobs]:
            if job is not None:
                job.cancel()

    def refreshing(self) -> bool:
        return self._refresh_job is not None

    def cancel_refresh(self) -> None:
        """The status bar's Cancel: the refresh, and an OPML import's refresh, stop."""
        for job in [self._refresh_job, *self._opml_jobs]:
            if job is not None:
                job.cancel()

    # --- reading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the subscriptions with their unread counts (read lane, latest wins): ``feeds_ready``."""
        def done(feeds: list[Feed]) -> None:
            self.feeds = feeds
            self.feeds_ready.emit(feeds)

        self.runner.read(lambda c: c.library.list_feeds(), done, self._quiet_error, key="feeds")

    def folders(self) -> list[str]:
        """The folders in use (from the last :meth:`reload`)."""
        return sorted({f.folder for f in self.feeds if f.folder}, key=str.casefold)

    def feed(self, feed_id: int) -> Feed | None:
        return next((f for f in self.feeds if f.id == feed_id), None)

    def discover(self, url: str) -> None:
        """The feeds an address offers, for the Add Feed preview (net lane): ``discovered`` or
        ``discover_failed``; a newer look-up drops an older one."""
        def job(ctx: TaskContext) -> Any:
            return self.service(ctx).discover(url, cancel=ctx.cancel_event)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TaskCancelled):
                self.discover_failed.emit(url, one_line(exc, "look-up"))

        self._discover_job = self.runner.network(job, lambda found: self.discovered.emit(url, found), failed,
                                                 key="feeds-discover")

    # --- the long lane --------------------------------------------------------------------------------
    def _long(self, what: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None],
              on_progress: Callable[[Any], None] | None = None) -> Job:
        holder: dict[str, Job] = {}

        def finish(value: Any) -> None:
            self._forget(holder["job"])
            done(value)

        def fail(exc: BaseException) -> None:
            self._forget(holder["job"])
            if not isinstance(exc, TaskCancelled):
                self.failed.emit(what, one_line(exc, what))
            self.articles_arrived.emit()  # whatever landed before the failure is shown

        job = holder["job"] = self.runner.long(fn, finish, fail, on_progress)
        self._long_jobs.append(job)
        return job

    def _forget(self, job: Job) -> None:
        for jobs in (self._long_jobs, self._opml_jobs):
            if job in jobs:
                jobs.remove(job)

    def add(self, url: str, *, folder: str | None = None, title: str | None = None, full_text: str = "auto",
            site_url: str | None = None) -> None:
        """Subscribe to ``url`` (a feed, or a page: its first feed) and fetch it at once (long lane);
        ``site_url``: the page the feed was chosen from in the preview."""
        def job(ctx: TaskContext) -> tuple[Feed, FeedRefresh | None]:
            service = self.service(ctx)
            feed, result = service.add(url, folder=folder or None, title=title or None, full_text=full_text,
                                       cancel=ctx.cancel_event)
            if site_url and not feed.site_url:
                feed = ctx.library.update_feed(feed.id, site_url=site_url)
            return feed, result

        def done(value: tuple[Feed, FeedRefresh | None]) -> None:
            self.added.emit(*value)
            self.articles_arrived.emit()
            self.reload()

        self._long("add", job, done)

    def refresh(self, ids: Sequence[int] | None = None, *, due_only: bool = False) -> bool:
        """Fetch feeds (all, ``ids``, or only the due ones) on the long lane with progress and Cancel.
        False (nothing started) while another refresh runs."""
        if self._refresh_job is not None:
            return False
        wanted = None if ids is None else list(ids)
        state = {"last": 0.0, "new": 0}

        def job(ctx: TaskContext) -> tuple[list[FeedRefresh], bool]:
            from reader.core.feeds.service import is_due

            service = self.service(ctx)
            feeds = ctx.library.list_feeds() if wanted is None else [ctx.library.get_feed(i) for i in wanted]
            if due_only:
                feeds = [f for f in feeds if is_due(f)]
            total = len(feeds)
            ctx.report((0, total, []))
            done, last, unsent = [0], [time.monotonic()], []

            def progress(result: FeedRefresh) -> None:
                done[0] += 1
                unsent.append(result)
                now = time.monotonic()
                if done[0] == total or now - last[0] >= PROGRESS_EVERY_S:
                    last[0] = now
                    ctx.report((done[0], total, unsent[:]))
                    unsent.clear()

            results = service.refresh([f.id for f in feeds], cancel=ctx.cancel_event, progress=progress) \
                if feeds else []
            if unsent:  # cancelled between two reports
                ctx.report((done[0], total, unsent[:]))
            return results, ctx.cancelled()

        def progress(payload: tuple[int, int, list[FeedRefresh]]) -> None:
            done, total, results = payload
            self.refresh_progress.emit(done, total, results)
            if any(r.new or r.updated for r in results):
                state["new"] += 1
                now = time.monotonic()
                if now - state["last"] >= ARRIVED_EVERY_S:
                    state["last"] = now
                    state["new"] = 0
                    self.articles_arrived.emit()
                    self.reload()

        def finished(value: tuple[list[FeedRefresh], bool]) -> None:
            self._refresh_job = None
            self.refresh_finished.emit(*value)
            self.articles_arrived.emit()
            self.reload()

        def failed(exc: BaseException) -> None:
            self._refresh_job = None
            cancelled = isinstance(exc, TaskCancelled)
            if not cancelled:
                self.failed.emit("refresh", one_line(exc, "refresh"))
            self.refresh_finished.emit([], cancelled)
            self.articles_arrived.emit()
            self.reload()

        self.refresh_started.emit(0)
        self._refresh_job = self.runner.long(job, finished, failed, progress)
        return True

    def save_link(self, url: str) -> None:
        """Fetch a web page once and store it as an article (long lane): ``link_saved``."""
        def done(outcome: ImportOutcome) -> None:
            self.link_saved.emit(outcome)
            if outcome.status == "imported":
                self.articles_arrived.emit()

        self._long("save", lambda ctx: self.service(ctx).save_link(url, cancel=ctx.cancel_event), done)

    def import_opml(self, path: Path) -> None:
        """Subscribe to an OPML file's feeds (folders kept) and fetch the new ones (long lane)."""
        def done(feeds: list[Feed]) -> None:
            self.opml_imported.emit(feeds)
            self.articles_arrived.emit()
            self.reload()

        self._opml_jobs.append(self._long("opml", lambda ctx: self.service(ctx).import_opml(
            path, cancel=ctx.cancel_event), done))

    def export_opml(self, path: Path) -> None:
        """Write every subscription to ``path`` as OPML (read lane): ``opml_exported``."""
        def job(ctx: TaskContext) -> tuple[str, int]:
            text = self.service(ctx).export_opml()
            Path(path).write_text(text, encoding="utf-8")
            return str(path), len(ctx.library.list_feeds())

        self.runner.read(job, lambda v: self.opml_exported.emit(*v), lambda e: self.failed.emit("opml", one_line(e, "export")))

    # --- the writer lane -----------------------------------------------------------------------------
    def edit(self, feed_id: int, **changes: Any) -> None:
        """Change a subscription's options (see ``FeedService.edit``): ``feeds_changed``."""
        def done(_feed: Feed) -> None:
            self.feeds_changed.emit()
            self.reload()

        self.runner.write(lambda c: self.service(c).edit(feed_id, **changes), done,
                          lambda e: self.failed.emit("edit", one_line(e, "edit")))

    def remove(self, feed_id: int, *, delete_articles: bool) -> None:
        """Unsubscribe; its articles stay unless ``delete_articles`` (starred / annotated ones always
        stay): ``removed``."""
        title = (self.feed(feed_id) or Feed(feed_id, f"#{feed_id}", "")).title

        def done(counts: tuple[int, int]) -> None:
            self.removed.emit(title, *counts)
            self.feeds_changed.emit()
            self.reload()

        self.runner.write(lambda c: self.service(c).remove(feed_id, delete_articles=delete_articles), done,
                          lambda e: self.failed.emit("remove", one_line(e, "unsubscribe")))

    def mark_all_read(self, feed_id: int) -> None:
        """Mark a feed's unread articles read; the change goes on the undo history: ``marked_read``."""
        title = (self.feed(feed_id) or Feed(feed_id, f"#{feed_id}", "")).title

        def done(ids: list[int]) -> None:
            if ids:
                self.undo_history.push(f"mark {len(ids)} articles of {title} read", lambda: self._unmark(ids))
            self.marked_read.emit(len(ids), title)
            self.feeds_changed.emit()
            self.reload()

        self.runner.write(lambda c: self.service(c).mark_all_read(feed_id), done,
                          lambda e: self.failed.emit("edit", one_line(e, "mark all read")))

    def _unmark(self, ids: list[int]) -> None:
        """The undo of :meth:`mark_all_read`: exactly those articles are unread again."""
        def done(_: object) -> None:
            self.feeds_changed.emit()
            self.reload()

        self.runner.write(lambda c: c.library.mark_read(ids, False), done,
                          lambda e: self.failed.emit("edit", one_line(e, "undo")))

    def _quiet_error(self, exc: BaseException) -> None:
        if not isinstance(exc, TaskCancelled):
            self.failed.emit("refresh", one_line(exc, "feed list"))


__all__ = ["ARRIVED_EVERY_S", "PROGRESS_EVERY_S", "FeedsController", "one_line"]
