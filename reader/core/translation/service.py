"""The translation service: articles translated paragraph by paragraph, through a kept cache.

This is the Qt-free API the GUI's network pool and the CLI call. The unit is the paragraph (the title
is one more unit). For each unit the cache is read first, keyed by (sha256 of the NFC source text,
source language, target language, engine + model); what is missing is sent to the provider, packed
into as few requests as it allows; each good result is stored as it arrives (an empty or failed one
never is) and reported through ``on_event`` so a view can show paragraphs as they come and cancel
between requests. Afterwards the assembled translation is upserted into ``article_translations`` so
full-text search covers it.

Threading: a service may be shared by threads; providers keep their per-thread state (HTTP sessions,
offline translators) themselves. Connections: by default it opens one :class:`Library` per thread on
the same file (a Library passed in is used only on the thread that created the service) and writes
through it. An application that owns its connections passes ``connect`` (the calling thread's
Library, for the cache reads) and ``write`` (runs ``fn(library)`` where the application writes and
returns its result): then the service opens no connection and never writes on the calling thread —
the GUI's network threads hand every cache write to its writer lane this way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from reader.core.errors import ReaderError, TranslationError, ValidationError
from reader.core.models import UNDETERMINED, Article
from reader.core.settings import PROVIDERS, Settings
from reader.core.storage import Library
from reader.core.storage.translations import TranslationStore, source_hash
from reader.core.text import plural
from reader.core.translation.config import settings_with_env as settings_with_env  # still importable here
from reader.core.translation.offline import OfflineProvider
from reader.core.translation.providers import Provider, base_lang, make_online_provider

TITLE = -1  #: the ``index`` of the title in events
AUTO_SOURCE = "auto"
Cancel = Callable[[], bool] | threading.Event | None


# --- language detection for und/mixed articles -----------------------------------------------------
def detect_language(text: str) -> str:
    """ISO code of ``text``'s language (``und`` when it cannot be told). Thread-safe.

    The one detector, :func:`reader.core.language.detect_language` (its thresholds and sampling),
    imported here on first use: langdetect costs ~200 ms of the window's start-up otherwise.
    """
    from reader.core.language import detect_language as detect

    return base_lang(detect(text).lang)


def _put(digest: str, source: str, target: str, engine: str, text: str, store: TranslationStore) -> None:
    store.put(digest, source, target, engine, text)


def _needs_detection(lang: str) -> bool:
    return base_lang(lang or UNDETERMINED) in (UNDETERMINED, "mixed", "mul", "zxx", "")


# --- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ParagraphEvent:
    """Progress of one unit: ``index`` is the paragraph number, or :data:`TITLE` for the title.

    Exactly one of ``text`` (the translation, or the original when ``skipped``) and ``error`` is set.
    """

    article_id: int | None
    index: int
    source: str
    text: str | None
    error: str | None = None
    from_cache: bool = False
    skipped: bool = False  # already in the target language: not sent, shown as it is
    engine: str = ""
    done: int = 0  # units finished so far (title included) ...
    total: int = 0  # ... out of this many


@dataclass
class ArticleReport:
    """The outcome of translating one article (counts cover the paragraphs and the title)."""

    article_id: int
    source_lang: str
    target_lang: str
    engine: str
    title: str | None
    paragraphs: list[str | None]
    originals: list[str]
    original_title: str
    errors: dict[int, str] = field(default_factory=dict)
    from_cache: int = 0
    translated: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        return not self.cancelled and self.failed == 0 and all(p is not None for p in self.paragraphs)

    @property
    def total(self) -> int:
        return len(self.paragraphs) + 1

    def summary(self) -> str:
        """``12 paragraphs: 7 from cache, 4 translated, 1 failed`` (the title counts as one)."""
        parts = [f"{self.from_cache} from cache", f"{self.translated} translated", f"{self.failed} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} already in {self.target_lang}")
        if self.cancelled:
            parts.append("cancelled")
        return f"{plural(self.total, 'paragraph')} (title included): " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.article_id, "source_lang": self.source_lang, "target_lang": self.target_lang,
            "engine": self.engine, "title": self.title, "original_title": self.original_title,
            "paragraphs": self.paragraphs,
            "errors": {("title" if k == TITLE else str(k)): v for k, v in sorted(self.errors.items())},
            "from_cache": self.from_cache, "translated": self.translated, "failed": self.failed,
            "skipped": self.skipped, "complete": self.complete, "cancelled": self.cancelled,
        }


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    """What the cache already holds for an article (the toggle's instant view); ``None`` = not cached."""

    article_id: int
    target_lang: str
    title: str | None
    paragraphs: list[str | None]
    cached: int  # paragraphs with a cached (or not needed) translation
    engines: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.paragraphs)

    @property
    def complete(self) -> bool:
        return self.cached == self.total

    def status(self) -> str:
        """``7 of 12 paragraphs cached``."""
        return f"{self.cached} of {plural(self.total, 'paragraph')} cached"


@dataclass(frozen=True, slots=True)
class SelectionResult:
    """A translated selection."""

    text: str
    source_lang: str
    target_lang: str
    engine: str
    from_cache: bool


# --- the service -----------------------------------------------------------------------------------
class TranslationService:
    """Translate articles and selections through the paragraph cache. See the module docstring."""

    def __init__(
        self,
        library: Library | str | Path,
        settings: Settings | None = None,
        *,
        providers: dict[str, Provider] | None = None,
        packs_root: Path | None = None,
        key_lookup: Callable[[str], str | None] | None = None,
        connect: Callable[[], Library] | None = None,
        write: Callable[[Callable[[Library], Any]], Any] | None = None,
    ) -> None:
        self._owner: tuple[int, Library] | None = None
        self._connect = connect
        self._write = write
        if isinstance(library, Library):
            self.db_path = library.path
            self._owner = (threading.get_ident(), library)
        else:
            self.db_path = Path(library).expanduser()
        self.settings = settings or Settings()
        self._providers: dict[str, Provider] = dict(providers or {})
        self._injected = frozenset(self._providers)
        self._providers_lock = threading.Lock()
        self.packs_root = packs_root
        self._key_lookup = key_lookup
        self._local = threading.local()
        self._opened: list[Library] = []

    # --- plumbing --------------------------------------------------------------------------------
    def library(self) -> Library:
        """This thread's Library on the service's file (``connect``'s when one was given)."""
        if self._connect is not None:
            return self._connect()
        if self._owner is not None and self._owner[0] == threading.get_ident():
            return self._owner[1]
        lib = getattr(self._local, "library", None)
        if lib is None:
            lib = Library(self.db_path)
            self._local.library = lib
            with self._providers_lock:
                self._opened.append(lib)
        return lib

    def store(self) -> TranslationStore:
        """The cache, read through this thread's Library (writes go through :meth:`_store_write`)."""
        return TranslationStore(self.library())

    def _store_write(self, fn: Callable[[TranslationStore], Any]) -> Any:
        """Run a cache write: through ``write`` when the application gave one, else on this thread."""
        if self._write is not None:
            return self._write(lambda library: fn(TranslationStore(library)))
        return fn(self.store())

    def close(self) -> None:
        """Close the libraries this service opened (call from the thread that owns the service)."""
        with self._providers_lock:
            for lib in self._opened:
                lib.close()
            self._opened.clear()
        self._local = threading.local()

    def update_settings(self, settings: Settings) -> None:
        """New preferences (or a new key): providers are rebuilt on next use; injected ones are kept."""
        with self._providers_lock:
            self.settings = settings
            self._providers = {k: v for k, v in self._providers.items() if k in self._injected}

    def _key(self, provider: str) -> str | None:
        if self._key_lookup is not None:
            return self._key_lookup(provider)
        from reader.core.secrets import get_key

        return get_key(provider)

    def provider(self, name: str) -> Provider:
        """A provider by name (``google``, ``mymemory``, ``libre``, ``deepl``, ``offline``); cached."""
        with self._providers_lock:
            if name in self._providers:
                return self._providers[name]
        s = self.settings
        if name == "offline":
            made: Provider = OfflineProvider(self.packs_root)
        else:
            made = make_online_provider(
                name, timeout=s.request_timeout, libre_url=s.libre_url or None,
                libre_key=self._key("libre") if name == "libre" else None,
                deepl_key=self._key("deepl") if name == "deepl" else None,
                mymemory_email=s.mymemory_email or None,
            )
        with self._providers_lock:
            return self._providers.setdefault(name, made)

    def resolve(self, source: str, target: str, choice: str | None = None) -> Provider:
        """The provider to use for a pair: ``auto`` = offline when a pack covers it, else the online one."""
        choice = (choice or self.settings.provider or "auto").lower()
        if choice not in PROVIDERS:
            raise ValidationError(f"unknown provider {choice!r}; choose one of: {', '.join(PROVIDERS)}")
        if choice == "auto":
            offline = self.provider("offline")
            if isinstance(offline, OfflineProvider) and offline.supports(source, target):
                return offline
            choice = self.settings.online_provider or "google"
        return self.provider(choice)

    def auto_translate(self, article_lang: str) -> bool:
        """Whether opening an article in this language should start translating it (Preferences'
        "always translate <language>"; never for the target language or a "never" language)."""
        lang = base_lang(article_lang or UNDETERMINED)
        s = self.settings
        return lang in s.always_translate and lang not in s.never_translate and lang != base_lang(s.target_lang)

    @staticmethod
    def _cancelled(cancel: Cancel) -> Callable[[], bool]:
        if cancel is None:
            return lambda: False
        if isinstance(cancel, threading.Event):
            return cancel.is_set
        return cancel

    # --- articles --------------------------------------------------------------------------------
    def _article(self, article: int | Article) -> Article:
        return article if isinstance(article, Article) else self.library().get_article(int(article))

    def _unit_languages(self, article: Article, target: str) -> tuple[str, list[str], str]:
        """(article language, per-paragraph languages, title language).

        The article's language is trusted unless it is undetermined or mixed; then each paragraph is
        detected, and the (too short to detect) title takes the most common language that is not the
        target (ties: the earliest), so a mixed article's title is still translated.
        """
        paragraphs = article.paragraphs
        if not _needs_detection(article.lang):
            lang = base_lang(article.lang)
            return lang, [lang] * len(paragraphs), lang
        langs = [detect_language(p) for p in paragraphs]
        known = [lang for lang in langs if lang != UNDETERMINED]
        foreign = [lang for lang in known if lang != target] or known
        majority = max(foreign, key=lambda x: (foreign.count(x), -foreign.index(x))) if foreign else UNDETERMINED
        langs = [lang if lang != UNDETERMINED else majority for lang in langs]
        langs = [lang if lang != UNDETERMINED else AUTO_SOURCE for lang in langs]
        title_lang = majority if majority != UNDETERMINED else AUTO_SOURCE
        return (article.lang or UNDETERMINED), langs, title_lang

    def translate_article(
        self,
        article: int | Article,
        target: str | None = None,
        *,
        provider: str | None = None,
        on_event: Callable[[ParagraphEvent], Any] | None = None,
        cancel: Cancel = None,
        retranslate: bool | Iterable[int] = False,
    ) -> ArticleReport:
        """Translate an article's title and paragraphs; see the module docstring.

        ``retranslate``: True bypasses the cache for every unit, or give paragraph indices (and/or
        :data:`TITLE`). ``cancel`` (an Event or a callable) is checked between requests; what was
        translated before it is kept. Returns a report; never raises for a failed paragraph (the
        failure is in the report and the event), only for a missing article or a broken library.
        """
        art = self._article(article)
        target = base_lang(target or self.settings.target_lang or "en")
        is_cancelled = self._cancelled(cancel)
        force: set[int] = (set(range(-1, len(art.paragraphs))) if retranslate is True
                           else set(retranslate or ()))
        article_lang, langs, title_lang = self._unit_languages(art, target)
        units: list[tuple[int, str, str]] = [(TITLE, art.title.strip(), title_lang)]
        units += [(i, text, langs[i]) for i, text in enumerate(art.paragraphs)]
        total = len(units)
        report = ArticleReport(
            article_id=art.id, source_lang=article_lang, target_lang=target, engine="", title=None,
            paragraphs=[None] * len(art.paragraphs), originals=list(art.paragraphs),
            original_title=art.title,
        )
        results: dict[int, str] = {}
        engines: list[str] = []
        store = self.store()

        def emit(event: ParagraphEvent) -> None:
            if on_event is not None:
                on_event(replace(event, done=len(results) + len(report.errors), total=total))

        def finish(index: int, text: str | None, error: str | None, **flags: Any) -> None:
            if text is not None:
                results[index] = text
            else:
                report.errors[index] = error or "not translated"
            emit(ParagraphEvent(art.id, index, source_of[index], text, error, **flags))

        source_of = {index: text for index, text, _ in units}
        # 1. units already in the target language, and cache hits
        pending: dict[tuple[str, str], list[tuple[int, str]]] = {}
        providers: dict[str, Provider] = {}
        for index, text, lang in units:
            if not text:
                report.skipped += 1
                finish(index, "", None, skipped=True)
                continue
            if lang == target or lang in self.settings.never_translate:
                report.skipped += 1
                finish(index, text, None, skipped=True)
                continue
            key = lang
            if key not in providers:
                try:
                    providers[key] = self.resolve(lang, target, provider)
                except ReaderError as exc:
                    report.failed += 1
                    finish(index, None, str(exc))
                    continue
            prov = providers[key]
            engine = prov.engine_for(lang, target)
            pending.setdefault((lang, engine), []).append((index, text))
        for (lang, engine), items in pending.items():
            wanted = [(i, t) for i, t in items if i not in force]
            hits = store.get_many([source_hash(t) for _, t in wanted], lang, target, engine)
            still: list[tuple[int, str]] = []
            for index, text in items:
                cached = None if index in force else hits.get(source_hash(text))
                if cached:
                    report.from_cache += 1
                    engines.append(engine)
                    finish(index, cached, None, from_cache=True, engine=engine)
                else:
                    still.append((index, text))
            items[:] = still
        # 2. what is left goes to the providers, group by group (source language, engine)
        for (lang, engine), items in pending.items():
            if not items:
                continue
            if is_cancelled():
                report.cancelled = True
                break
            prov = providers[lang]
            texts = [t for _, t in items]
            for position, outcome in prov.iter_translate(texts, lang, target, is_cancelled):
                index, text = items[position]
                if isinstance(outcome, TranslationError):
                    report.failed += 1
                    finish(index, None, str(outcome), engine=engine)
                    continue
                if not outcome.strip():
                    report.failed += 1
                    finish(index, None, f"{prov.label}: returned an empty translation", engine=engine)
                    continue
                self._store_write(partial(_put, source_hash(text), lang, target, engine, outcome))
                report.translated += 1
                engines.append(engine)
                finish(index, outcome, None, engine=engine)
            if is_cancelled():
                report.cancelled = True
                break
        # 3. the assembled translation, for search
        report.title = results.get(TITLE)
        report.paragraphs = [results.get(i) for i in range(len(art.paragraphs))]
        report.engine = max(set(engines), key=engines.count) if engines else ""
        if report.from_cache or report.translated:
            self._store_write(lambda st: st.upsert_article(
                art.id, target, report.engine, report.title or "",
                [p or "" for p in report.paragraphs], report.complete,
            ))
        return report

    def retranslate(self, article: int | Article, paragraph: int | None = None, target: str | None = None,
                    **kwargs: Any) -> ArticleReport:
        """Translate again, bypassing the cache: one paragraph (or :data:`TITLE`), or all of them."""
        return self.translate_article(article, target,
                                      retranslate=True if paragraph is None else [paragraph], **kwargs)

    def cached_translation(self, article: int | Article, target: str | None = None,
                           engine: str | None = None) -> CachedTranslation:
        """The cached part of an article's translation, without any network or detection: fast.

        Any engine's cached paragraphs count (``engine`` is preferred when several have one).
        """
        art = self._article(article)
        target = base_lang(target or self.settings.target_lang or "en")
        paragraphs = art.paragraphs
        same = not _needs_detection(art.lang) and base_lang(art.lang) == target
        if same:
            return CachedTranslation(art.id, target, art.title, list(paragraphs), len(paragraphs), ())
        hashes = [source_hash(p) for p in paragraphs]
        title_hash = source_hash(art.title)
        found = self.store().get_any([*hashes, title_hash], target, engine)
        texts: list[str | None] = [found[h][0] if h in found else None for h in hashes]
        engines = tuple(sorted({e for _, e in found.values()}))
        title = found[title_hash][0] if title_hash in found else None
        return CachedTranslation(art.id, target, title, texts, sum(t is not None for t in texts), engines)

    # --- selections ------------------------------------------------------------------------------
    def translate_selection(self, text: str, source: str | None = None, target: str | None = None,
                            *, provider: str | None = None) -> SelectionResult:
        """Translate a selected piece of text (cached like paragraphs). Raises TranslationError."""
        text = text.strip()
        if not text:
            raise ValidationError("nothing selected to translate")
        target = base_lang(target or self.settings.target_lang or "en")
        source = base_lang(source) if source and not _needs_detection(source) else detect_language(text)
        if source == UNDETERMINED:
            source = AUTO_SOURCE
        if source == target:
            return SelectionResult(text, source, target, "", False)
        prov = self.resolve(source, target, provider)
        engine = prov.engine_for(source, target)
        digest = source_hash(text)
        store = self.store()
        cached = store.get(digest, source, target, engine)
        if cached:
            return SelectionResult(cached, source, target, engine, True)
        result = prov.translate(text, source, target)
        if not result.strip():
            raise TranslationError(f"{prov.label}: returned an empty translation")
        self._store_write(lambda st: st.put(digest, source, target, engine, result))
        return SelectionResult(result, source, target, engine, False)
