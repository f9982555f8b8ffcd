"""The translation controller: the GUI side of :class:`reader.core.translation.TranslationService`.

One :class:`TranslationController` per app owns the one service. It shows what the cache already
holds at once (a few ms, on the GUI thread's own Library), and sends what is missing to the task
runner's network lane; the service's :class:`ParagraphEvent` s travel back to the GUI thread as job
progress and are applied in small batches (one repaint per batch, never one per paragraph), so the
event loop stays responsive while a long article is translated.

Latest wins twice over: the job carries the runner key ``"translate"`` (a new article's job makes
the old one's results undeliverable, and the old job is cancelled between requests), and every
event is checked against the article shown now and the job's generation before it is applied.

Pack management (install / remove / download) and "Translate selection" also run here, off the GUI
thread; the module-level ``*_job`` functions are the worker bodies (tests drive them directly).

Signals:
    translation_changed(int): the shown article's translation state changed (article id); read
        :meth:`TranslationController.state`.
    status_changed(object): a :class:`TranslationStatus` for the translation bar.
    mode_requested(str): the pane should switch to this mode ("translation" for "always translate").
    availability_changed(bool, str): translation is (not) possible for the shown article, and why.
    service_question(): a translation waits for the person to choose a service (nobody chose one and
        no override is in force: the default would send the text to Google unasked); answer with
        :meth:`TranslationController.service_chosen` or :meth:`TranslationController.drop_waiting`.
    selection_translated(str, str): (source text, translation) for the selection popup.
    selection_failed(str, str): (source text, a one-line message).
    packs_changed(object): the installed packs (a list of :class:`Pack`).
    pack_progress(int, int, str): (bytes done, bytes total or 0, file name) of a download.
    pack_finished(str): a one-line confirmation of an install / removal / download.
    pack_failed(str): a one-line message of why an install / removal / download failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core.errors import ReaderError
from reader.core.models import UNDETERMINED, Article, ListFilter
from reader.core.settings import Settings
from reader.core.storage import Library
from reader.core.translation.config import provider_in_force, settings_with_env
from reader.core.translation.packs import Pack, download_pack, install_pack, list_packs, remove_pack
from reader.core.translation.providers import base_lang
from reader.core.translation.service import (
    TITLE,
    ArticleReport,
    ParagraphEvent,
    SelectionResult,
    TranslationService,
)
from reader.gui.langnames import language_name
from reader.gui.tasks import Job, TaskCancelled, TaskContext, TaskRunner
from reader.gui.widgets.translation_bar import TranslationStatus

log = logging.getLogger(__name__)

TRANSLATE_KEY = "translate"
SELECTION_KEY = "translate-selection"
FLUSH_MS = 0  # paragraphs already delivered when the event loop comes round are painted together
PACE_S = 0.25  # the longest a worker waits for the GUI to paint before its next request


# --- worker bodies (run on a runner thread; plain functions so tests can call them) -----------------
def translate_job(ctx: TaskContext, service: TranslationService, article: Article, target: str,
                  retranslate: bool | list[int] = False, gui_idle: threading.Event | None = None) -> ArticleReport:
    """Translate ``article`` through the service, reporting every :class:`ParagraphEvent`.

    ``gui_idle`` paces the worker: after reporting, it waits (up to PACE_S, without the GIL) until the
    GUI has painted what arrived before it starts the next request. The offline engine holds the GIL
    for a whole paragraph (~50 ms), and a GUI thread that must win the GIL back after every Qt call
    otherwise stalls for hundreds of ms while translated paragraphs are painted.
    """
    def report(event: ParagraphEvent) -> None:
        if gui_idle is not None:
            gui_idle.clear()
        ctx.report(event)

    def cancelled() -> bool:
        if gui_idle is not None:
            gui_idle.wait(PACE_S)
        return ctx.cancelled()

    return service.translate_article(article, target, on_event=report, cancel=cancelled, retranslate=retranslate)


def selection_job(ctx: TaskContext, service: TranslationService, text: str, source: str | None,
                  target: str) -> SelectionResult:
    """Translate a selection (cached like paragraphs)."""
    return service.translate_selection(text, source, target)


def install_pack_job(ctx: TaskContext, path: str | Path, root: Path | None = None) -> Pack:
    """Check and install a pack from a folder or an archive (seconds for a real model)."""
    return install_pack(Path(path), root)


def remove_pack_job(ctx: TaskContext, pair: str, root: Path | None = None) -> Pack:
    return remove_pack(pair, root)


def download_pack_job(ctx: TaskContext, pair: str, base_url: str, root: Path | None = None,
                      timeout: float = 30.0) -> Pack:
    """Download, verify and install an official pack, reporting (done, total, name) as it goes."""
    def progress(done: int, total: int | None, name: str) -> None:
        ctx.report((done, total or 0, name))

    return download_pack(pair, base_url, progress, root=root, timeout=timeout, cancel=ctx.cancelled)


def effective_settings(settings: Settings) -> Settings:
    """The preferences with the scripting overrides (READER_TRANSLATOR, READER_LIBRE_URL...) applied;
    a bad override is logged and ignored rather than stopping the window from opening."""
    try:
        return settings_with_env(settings)
    except ReaderError as exc:
        log.warning("ignoring a translation override: %s", exc)
        return settings


# --- search across translations ----------------------------------------------------------------------
def translation_matches(library: Library, flt: ListFilter, have: Collection[int], limit: int = 500) -> list[int]:
    """Articles the view's search finds only through their cached translation (not in ``have``, the
    original matches), within the view's filters, best first. Runs on a worker (one ranked query)."""
    if not flt.query:
        return []
    try:
        return library.translation_match_ids(flt, exclude=have, limit=limit)
    except ReaderError as exc:
        log.info("no translation matches: %s", exc)
        return []


# --- state -------------------------------------------------------------------------------------------
@dataclass
class ArticleTranslation:
    """What the window knows of the shown article's translation (GUI thread only)."""

    article: Article
    target: str
    paragraphs: list[str | None]
    title: str | None = None
    errors: dict[int, str] = field(default_factory=dict)
    cached: int = 0  # paragraphs that were in the cache when the article was opened
    running: bool = False
    done: int = 0
    total: int = 0
    report: ArticleReport | None = None

    @property
    def ready(self) -> int:
        return sum(p is not None for p in self.paragraphs)

    @property
    def complete(self) -> bool:
        return self.ready == len(self.paragraphs) and not self.errors


def failure_summary(errors: dict[int, str]) -> str:
    """One line for a set of paragraph errors: the most common message, e.g. ``provider unreachable``."""
    if not errors:
        return ""
    messages = list(errors.values())
    top = max(set(messages), key=lambda m: (messages.count(m), -messages.index(m)))
    others = len(messages) - messages.count(top)
    return top if not others else f"{top} (and {others} other error{'s' if others > 1 else ''})"


class TranslationController(QObject):
    """See the module docstring."""

    translation_changed = Signal(int)
    status_changed = Signal(object)
    mode_requested = Signal(str)
    availability_changed = Signal(bool, str)
    service_question = Signal()
    selection_translated = Signal(str, str)
    selection_failed = Signal(str, str)
    packs_changed = Signal(object)
    pack_progress = Signal(int, int, str)
    pack_finished = Signal(str)
    pack_failed = Signal(str)

    def __init__(self, runner: TaskRunner, settings: Settings, *,
                 packs_root: Path | None = None, service: TranslationService | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.packs_root = packs_root
        self.settings = settings
        # the runner owns the connections: the service reads through the calling thread's and
        # hands every cache write to the writer lane (network threads never write)
        self.service = service or TranslationService(
            runner.db_path, effective_settings(settings), packs_root=packs_root,
            connect=runner.connection, write=runner.write_and_wait)
        self._state: ArticleTranslation | None = None
        self._job: Job | None = None
        self._generation = 0
        self._pending: list[ParagraphEvent] = []
        self._gui_idle = threading.Event()  # set: the GUI has painted everything reported so far
        self._gui_idle.set()
        self._pack_job: Job | None = None
        self._waiting: Callable[[], None] | None = None  # what waits for the service question's answer
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._on_flush_timeout)

    # --- settings --------------------------------------------------------------------------------
    def update_settings(self, settings: Settings) -> None:
        """New preferences: providers are rebuilt; the shown article is re-checked."""
        self.settings = settings
        self.service.update_settings(effective_settings(settings))
        if self._state is not None:
            article = self._state.article
            self._state = None
            self.open_article(article, wanted=False)

    # --- the first-translation question -----------------------------------------------------------
    def needs_service_choice(self) -> bool:
        """Whether translating now would use a service nobody chose (the environment is read now)."""
        return not provider_in_force(self.settings).chosen

    def stored_key(self, provider: str) -> bool:
        """Whether a key for ``provider`` is at hand (its override, the keyring or the user-only file)."""
        try:
            from reader.core.secrets import get_key

            return bool(get_key(provider))
        except ReaderError:
            return False

    def _ask(self, then: Callable[[], None]) -> bool:
        """True (and ``then`` is kept, the question asked) when a service must be chosen first."""
        if not self.needs_service_choice():
            return False
        self._waiting = then
        self.service_question.emit()
        return True

    def service_chosen(self, settings: Settings) -> None:
        """The question's answer (``settings`` carry it; the window saves them): do what waited."""
        if settings is not self.settings:
            self.update_settings(settings)
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not self.needs_service_choice():
            waiting()

    def drop_waiting(self) -> None:
        """The question was cancelled: what waited is not translated."""
        self._waiting = None
        self.emit_status()

    def target(self) -> str:
        return base_lang(self.service.settings.target_lang or "en")

    def unavailable_reason(self, article: Article) -> str:
        """Why the shown article cannot be translated ("" when it can)."""
        lang = base_lang(article.lang or UNDETERMINED)
        s = self.service.settings
        name = language_name(lang)
        if lang in s.never_translate:
            return f"{name} is set to “never translate” (Preferences > Translation)"
        if lang == self.target():
            return f"the article is already in {name}, the language you translate into"
        return ""

    # --- the shown article -----------------------------------------------------------------------
    def state(self) -> ArticleTranslation | None:
        return self._state

    def article_id(self) -> int | None:
        return self._state.article.id if self._state else None

    def busy(self) -> bool:
        """Whether a translation job is running for the shown article."""
        return self._job is not None

    def open_article(self, article: Article | None, *, wanted: bool) -> bool:
        """A new article is shown. Loads its cached translation (fast) and, when ``wanted`` (a
        translated mode is on) or its language is "always translate", starts fetching the rest.
        Returns True when the window should switch to Translation for "always translate"."""
        self.cancel()
        self._pending.clear()
        self._generation += 1
        if article is None:
            self._state = None
            self.status_changed.emit(TranslationStatus(0, "hidden"))
            return False
        reason = self.unavailable_reason(article)
        self.availability_changed.emit(not reason, reason)
        auto = not reason and self.service.auto_translate(article.lang)
        self._load_cached(article)
        self.translation_changed.emit(article.id)
        self.emit_status()
        if reason:
            return False
        if wanted or auto:
            self.ensure_translated()
        if auto and not wanted:
            self.mode_requested.emit("translation")
        return auto

    def _load_cached(self, article: Article) -> None:
        target = self.target()
        try:
            cached = self.service.cached_translation(article, target)
        except ReaderError as exc:
            log.warning("cached translation unavailable: %s", exc)
            self._state = ArticleTranslation(article, target, [None] * len(article.paragraphs))
            return
        self._state = ArticleTranslation(article, target, list(cached.paragraphs), cached.title,
                                         cached=cached.cached, total=len(article.paragraphs) + 1)

    def refresh(self, article: Article) -> None:
        """The shown article changed (edited text or language): reload what is cached for it."""
        if self._state is not None and self._state.article.id == article.id:
            self.open_article(article, wanted=self._state.running)

    def ensure_translated(self) -> None:
        """Fetch whatever the shown article still lacks (no-op when complete or running)."""
        st = self._state
        if st is None or st.running or self.unavailable_reason(st.article):
            return
        if st.complete and st.title is not None:
            return
        self._start()

    def retry(self) -> None:
        """Try the failed paragraphs again (cached ones come from the cache)."""
        st = self._state
        if st is None or st.running:
            return
        st.errors.clear()
        self._start()

    def retranslate(self, index: int | None = None) -> None:
        """Translate one paragraph (or :data:`TITLE`), or the whole article (None), bypassing the cache."""
        st = self._state
        if st is None or self.unavailable_reason(st.article):
            return
        if st.running:
            self.cancel()
        if index is None:
            st.errors.clear()
            self._start(retranslate=True)
        elif index == TITLE or 0 <= index < len(st.paragraphs):
            st.errors.pop(index, None)
            self._start(retranslate=[index])

    def cancel(self) -> None:
        """Stop the running translation between requests; what arrived is kept."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self._flush_now()
        if self._state is not None and self._state.running:
            self._state.running = False
            self.emit_status(cancelled=True)

    def _start(self, retranslate: bool | list[int] = False) -> None:
        st = self._state
        assert st is not None
        article_id = st.article.id

        def resume() -> None:
            now = self._state
            if now is not None and now.article.id == article_id and not now.running \
                    and not self.unavailable_reason(now.article):
                self._start(retranslate)

        if self._ask(resume):
            return
        self._generation += 1
        generation = self._generation
        st.running = True
        st.done = 0
        st.total = len(st.paragraphs) + 1
        article, target, service, idle = st.article, st.target, self.service, self._gui_idle

        def on_progress(event: ParagraphEvent) -> None:
            if generation != self._generation:
                self._gui_idle.set()
                return
            self._pending.append(event)
            if not self._flush.isActive():
                self._flush.start()

        def on_done(report: ArticleReport) -> None:
            if generation == self._generation:
                self._flush_now()
                self._finished(report)

        def on_error(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._flush_now()
            if self._state is not None:
                self._state.running = False
            self._job = None
            if isinstance(exc, TaskCancelled):
                self.emit_status(cancelled=True)
                return
            message = str(exc) if isinstance(exc, ReaderError) else f"translation failed ({type(exc).__name__})"
            if not isinstance(exc, ReaderError):
                log.error("translation job failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.status_changed.emit(self._status("failed", message))

        self._job = self._submit(lambda ctx: translate_job(ctx, service, article, target, retranslate, idle),
                                 on_done, on_error, on_progress, TRANSLATE_KEY)
        self.emit_status()

    def _submit(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None], on_progress: Callable[[Any], None] | None,
                key: str | None) -> Job:
        """Network work goes to the runner's network lane, never the GUI thread."""
        return self.runner.network(fn, on_done, on_error, on_progress, key=key)

    def _on_flush_timeout(self) -> None:
        self._flush_now()

    def _flush_now(self) -> None:
        try:
            self._apply_pending()
        finally:
            self._gui_idle.set()

    def _apply_pending(self) -> None:
        self._flush.stop()
        events, self._pending = self._pending, []
        st = self._state
        if not events or st is None:
            return
        changed = False
        for event in events:
            if event.article_id != st.article.id:
                continue  # never another article's results
            st.done, st.total = max(st.done, event.done), event.total or st.total
            if event.error is not None:
                st.errors[event.index] = event.error
                changed = True
                continue
            if event.skipped and event.index != TITLE and event.text == "":
                continue
            if event.index == TITLE:
                st.title = event.text
            elif 0 <= event.index < len(st.paragraphs):
                st.paragraphs[event.index] = event.text
            st.errors.pop(event.index, None)
            changed = True
        if changed:
            self.translation_changed.emit(st.article.id)
        if st.running:
            self.emit_status()

    def _finished(self, report: ArticleReport) -> None:
        st = self._state
        self._job = None
        if st is None or report.article_id != st.article.id:
            return
        st.running = False
        st.report = report
        for index, text in enumerate(report.paragraphs):
            if text is not None:
                st.paragraphs[index] = text
        if report.title is not None:
            st.title = report.title
        st.errors = dict(report.errors)
        self.translation_changed.emit(st.article.id)
        self.emit_status(cancelled=report.cancelled)

    def _status(self, state: str, message: str = "") -> TranslationStatus:
        st = self._state
        if st is None:
            return TranslationStatus(0, "hidden")
        return TranslationStatus(st.article.id, state, st.done, st.total, st.ready, len(st.paragraphs),
                                 len(st.errors), message)

    def emit_status(self, *, cancelled: bool = False) -> None:
        """Announce the shown article's translation status (status_changed)."""
        st = self._state
        if st is None:
            self.status_changed.emit(TranslationStatus(0, "hidden"))
        elif st.running:
            self.status_changed.emit(self._status("translating"))
        elif cancelled:
            self.status_changed.emit(self._status("cancelled"))
        elif st.errors:
            self.status_changed.emit(self._status("failed", failure_summary(st.errors)))
        elif st.report is not None and st.report.translated:
            r = st.report
            cached = f", {r.from_cache} from the cache" if r.from_cache else ""
            self.status_changed.emit(self._status("done", f"Translation ready: {r.translated} translated{cached}"))
        else:
            self.status_changed.emit(self._status("hidden"))

    # --- selections ------------------------------------------------------------------------------
    def translate_selection(self, text: str, source: str | None = None) -> None:
        """Translate a selected piece of text (cached); answers with selection_translated/_failed.
        ``source``: its language when known (the article's, in the original view); else detected."""
        text = text.strip()
        if not text or self._ask(lambda: self.translate_selection(text, source)):
            return
        target, service = self.target(), self.service

        def done(result: SelectionResult) -> None:
            self.selection_translated.emit(text, result.text)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, TaskCancelled):
                return
            message = str(exc) if isinstance(exc, ReaderError) else f"translation failed ({type(exc).__name__})"
            self.selection_failed.emit(text, message)

        self._submit(lambda ctx: selection_job(ctx, service, text, source, target), done, failed, None,
                     SELECTION_KEY)

    # --- packs -----------------------------------------------------------------------------------
    def packs(self) -> list[Pack]:
        """Installed packs (reads small manifest files: a few ms)."""
        try:
            return list_packs(self.packs_root)
        except (ReaderError, OSError) as exc:
            self.pack_failed.emit(str(exc))
            return []

    def pack_busy(self) -> bool:
        return self._pack_job is not None

    def install_pack(self, path: str | Path) -> None:
        root = self.packs_root
        self._run_pack(lambda ctx: install_pack_job(ctx, path, root),
                       lambda p: f"Installed the {language_name(p.source)} → {language_name(p.target)} pack ({p.pair})")

    def remove_pack(self, pair: str) -> None:
        root = self.packs_root
        self._run_pack(lambda ctx: remove_pack_job(ctx, pair, root), lambda p: f"Removed the {p.pair} pack")

    def download_pack(self, pair: str, base_url: str) -> None:
        root, timeout = self.packs_root, self.service.settings.request_timeout * 2

        def progress(payload: tuple[int, int, str]) -> None:
            self.pack_progress.emit(*payload)

        self._run_pack(lambda ctx: download_pack_job(ctx, pair, base_url, root, timeout),
                       lambda p: f"Downloaded and installed the {p.pair} pack", progress)

    def cancel_pack(self) -> None:
        if self._pack_job is not None:
            self._pack_job.cancel()

    def _run_pack(self, fn: Callable[[TaskContext], Pack], confirm: Callable[[Pack], str],
                  progress: Callable[[Any], None] | None = None) -> None:
        if self._pack_job is not None:
            self.pack_failed.emit("another pack operation is still running")
            return

        def done(pack: Pack) -> None:
            self._pack_job = None
            self.service.update_settings(self.service.settings)  # the offline provider re-reads packs
            self.packs_changed.emit(self.packs())
            self.pack_finished.emit(confirm(pack))

        def failed(exc: BaseException) -> None:
            self._pack_job = None
            if isinstance(exc, TaskCancelled):
                self.pack_failed.emit("cancelled")
            elif isinstance(exc, ReaderError):
                self.pack_failed.emit(str(exc))
            else:
                log.error("pack job failed", exc_info=(type(exc), exc, exc.__traceback__))
                self.pack_failed.emit(f"the pack could not be installed ({type(exc).__name__}: {exc})")

        self._pack_job = self.runner.long(fn, done, failed, progress)

    # --- shutdown --------------------------------------------------------------------------------
    def close(self) -> None:
        """Cancel what runs; close what the service opened itself (nothing when it uses the runner's)."""
        self._flush.stop()
        if self._job is not None:
            self._job.cancel()
        self.cancel_pack()
        self.service.close()
