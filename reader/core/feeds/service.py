"""Subscriptions over the library: add, refresh, edit, remove, OPML, saved links, pruning.

:class:`FeedService` sits above :mod:`reader.core.storage` (the ``feeds`` table family of
:class:`~reader.core.storage.Library`) and the network/parsing layer of this package, like
:mod:`reader.core.library_ops` does for anchoring.

**Refreshing** (:meth:`FeedService.refresh`) has two halves:

* a pool of worker threads does only network and parsing: each takes one feed, fetches it with
  ETag / If-Modified-Since (a 304 ends it), parses it, and for every entry the library does not know
  yet (or that changed) builds a :class:`~reader.core.models.ParsedArticle`: the entry's own HTML, or,
  when full text is wanted (``always``; ``auto`` and :func:`~reader.core.feeds.parse.full_text_needed`),
  the linked page read by the HTML importer (trafilatura: no navigation, no footer), with its pictures
  fetched through the same :class:`~reader.core.feeds.http.HttpClient` and caps. Workers never touch
  the library: what they need to know (entry keys, known links) is read before they start. Every
  fetch is bounded (timeouts, a deadline, size caps, the client's per-host limit), and a feed's page
  and picture fetches together stop after :data:`FEED_BUDGET` seconds (the rest keep their feed text):
  a dead or hanging server holds one worker for a bounded time and never the others.
* the calling thread stores each feed's results as they arrive, serially, on its own Library (one
  transaction per entry, the feed's status and validators last): new articles through the import pipeline (language detection,
  de-duplication by content: one story in two feeds is one article), changed entries through
  :func:`reader.core.library_ops.edit_article` (highlights re-anchored, never lost), and the feed's
  status (last fetched, last success, last error, consecutive failures and the time before which it
  is not fetched again: the server's ``Retry-After`` or an exponential backoff).

``cancel`` (a :class:`threading.Event`) stops a refresh promptly: pending feeds are dropped, fetches
in flight end within ~50 ms, what was stored stays.
"""

from __future__ import annotations

import hashlib
import inspect
import stat
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.core.errors import LibraryFileError, NotFoundError, ReaderError, ValidationError
from reader.core.feeds.discovery import FeedCandidate
from reader.core.feeds.discovery import discover as discover_feeds
from reader.core.feeds.errors import HTTPStatusError, OpmlError
from reader.core.feeds.http import FetchResult, HttpClient, check_url
from reader.core.feeds.opml import MAX_OPML_BYTES, OpmlFeed, read_opml, write_opml
from reader.core.feeds.parse import (
    FEED_ACCEPT,
    FeedEntry,
    ParsedFeed,
    full_text_needed,
    html_to_text,
    parse_fetched,
)
from reader.core.feeds.parsing import ParsePool, run
from reader.core.models import (
    FULL_TEXT_MODES,
    Feed,
    FeedRefresh,
    ImportOutcome,
    LanguageGuess,
    ParsedArticle,
    ParsedImage,
)

if TYPE_CHECKING:
    from reader.core.storage import Library
    from reader.core.translation.service import TranslationService

#: Feeds fetched at once (each worker also obeys the client's per-host limit).
WORKERS = 8
#: Seconds one feed may spend on article pages and pictures; past it, entries keep their feed text.
FEED_BUDGET = 120.0
#: Most bytes of one article page / one picture.
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_BYTES = 5 * 1024 * 1024
#: Most pictures fetched for one article.
MAX_PICTURES = 20
#: Longest backoff after repeated failures.
MAX_BACKOFF = timedelta(days=1)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
PICTURE_ACCEPT = "image/avif, image/webp, image/png, image/jpeg, image/gif, image/*;q=0.8"

_UNSET: Any = ...


# --- what the workers hand to the storing thread ---------------------------------------------------
@dataclass
class _Item:
    """One entry to store: a new article, an update of ``update_of``, or (``parsed`` None) an entry
    whose link the library already holds (it is only linked to that article)."""

    key: str
    link: str | None
    fingerprint: str
    parsed: ParsedArticle | None = None
    update_of: int | None = None
    guess: LanguageGuess | None = None  # its language, found by the worker (None: found when stored)


@dataclass
class _Fetched:
    feed: Feed
    result: FetchResult | None = None
    parsed: ParsedFeed | None = None
    items: list[_Item] = field(default_factory=list)
    error: ReaderError | None = None


def entry_fingerprint(entry: FeedEntry) -> str:
    """What makes an entry "changed": its title, link, summary and content (not its dates, which
    many feeds bump without changing anything)."""
    text = "\x1f".join((entry.title or "", entry.link or "", entry.summary_html or "", entry.content_html or ""))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _iso_date(value: datetime | None) -> str | None:
    return value.astimezone(UTC).date().isoformat() if value is not None else None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_stamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def is_due(feed: Feed, now: datetime | None = None) -> bool:
    """Whether a feed should be fetched now: its interval has passed since the last fetch and the
    server's ``Retry-After`` / the backoff after failures (``retry_at``) is over."""
    now = now or _now()
    retry_at = _parse_stamp(feed.retry_at)
    if retry_at is not None and now < retry_at:
        return False
    last = _parse_stamp(feed.last_fetched)
    return last is None or now >= last + timedelta(minutes=feed.interval_minutes)


def backoff_until(feed: Feed, failures: int, retry_after: float | None, now: datetime) -> datetime:
    """When a feed that failed ``failures`` times in a row may be fetched again: its interval doubled
    per failure after the first (at most a day), and never before the server's ``Retry-After``."""
    wait = min(timedelta(minutes=feed.interval_minutes) * (2 ** max(0, failures - 1)), MAX_BACKOFF)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return now + wait


# --- the HTML importer and the import pipeline -----------------------------------------------------
def _parse_page(data: bytes, url: str | None, charset: str | None) -> ParsedArticle:
    """A fetched page (or an entry's HTML) as an article, through the HTML importer; pictures come
    back as absolute URLs to fetch (``ParsedImage.data`` None)."""
    from reader.core.importers.html_file import parse_html

    kwargs: dict[str, Any] = {"file_name": None, "encoding": charset}
    if url and "base_url" in inspect.signature(parse_html).parameters:
        kwargs["base_url"] = url
    return parse_html(data, **kwargs)


def _guess(title: str, paragraphs: tuple[str, ...], lang: str | None) -> LanguageGuess:
    """An article's language as the import pipeline finds it (run in the parse worker)."""
    from reader.core.importing import guess_language

    return guess_language(ParsedArticle(title=title, paragraphs=paragraphs, lang=lang))


def _store_parsed(library: Library, parsed: ParsedArticle, guess: LanguageGuess | None = None) -> ImportOutcome:
    """Store an article through the import pipeline (language, de-duplication, blocks, pictures)."""
    from reader.core.importing import store_parsed

    return store_parsed(library, parsed, guess=guess)


class FeedService:
    """Feeds over one library. See the module doc for how a refresh runs.

    ``library`` is the calling thread's :class:`~reader.core.storage.Library` (every write happens on
    it, on the calling thread). ``client`` is the app's HTTP client; without one, the service makes
    its own and closes it in :meth:`close`. ``parser``, when given, is where feeds and pages are
    parsed and languages detected (the window's worker process, :mod:`reader.core.feeds.parsing`);
    without one, on the fetch threads. ``translator``, when given, translates the new articles
    of feeds that have ``translate_to`` right after they are stored (a failure never fails a refresh).
    """

    def __init__(self, library: Library, client: HttpClient | None = None, *,
                 translator: TranslationService | None = None, workers: int = WORKERS,
                 feed_budget: float = FEED_BUDGET, parser: ParsePool | None = None) -> None:
        self.library = library
        self.parser = parser
        self._own_client = client is None
        self.client = client or HttpClient()
        self.translator = translator
        self.workers = max(1, workers)
        self.feed_budget = feed_budget

    def close(self) -> None:
        """Close the HTTP client if the service made it."""
        if self._own_client:
            self.client.close()

    def __enter__(self) -> FeedService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- subscribing ------------------------------------------------------------------------------
    def discover(self, url: str, *, cancel: threading.Event | None = None) -> list[FeedCandidate]:
        """The feeds at an address, for a preview: a feed URL gives itself, a page the feeds it links
        (or, naming none, those at common paths). Raises a one-line :class:`ReaderError` otherwise
        (unreachable, not a page, :class:`~reader.core.feeds.errors.NoFeedFound`)."""
        return discover_feeds(_typed_url(url), self.client, cancel=cancel)

    def add(self, url: str, *, folder: str | None = None, title: str | None = None, full_text: str = "auto",
            fetch: bool = True, cancel: threading.Event | None = None) -> tuple[Feed, FeedRefresh | None]:
        """Subscribe to a feed, or to the first feed a page offers (discovery), and fetch it at once
        (``fetch``). Returns the feed (as stored after the fetch) and what the fetch did (None without
        ``fetch``). Raises :class:`ValidationError` for a bad mode or a feed already subscribed."""
        if full_text not in FULL_TEXT_MODES:
            raise ValidationError(f"full text must be one of {', '.join(FULL_TEXT_MODES)}, not {full_text!r}")
        candidates = self.discover(url, cancel=cancel)
        chosen = candidates[0]
        site = None if chosen.source == "direct" else _typed_url(url)
        named = bool(title and title.strip())
        feed = self.library.add_feed(chosen.url, title=title if named else (chosen.title or chosen.url),
                                     site_url=site, folder=folder, full_text=full_text, title_set=named)
        if not fetch:
            return feed, None
        results = self.refresh([feed.id], cancel=cancel)
        return self.library.get_feed(feed.id), (results[0] if results else None)

    def edit(self, feed_id: int, *, title: str | None | EllipsisType = _UNSET,
             folder: str | None | EllipsisType = _UNSET, full_text: str | EllipsisType = _UNSET,
             translate_to: str | None | EllipsisType = _UNSET, keep_days: int | None | EllipsisType = _UNSET,
             interval_minutes: int | EllipsisType = _UNSET) -> Feed:
        """Change a subscription's options; an argument left out is unchanged. ``title=None`` (or
        empty) goes back to the feed's own title at the next refresh; ``folder=None`` takes it out
        of its folder; ``translate_to=None`` stops translating ahead; ``keep_days=None`` keeps
        articles for ever. Raises :class:`ValidationError` for a bad value."""
        from reader.core.storage.feeds import clean_folder

        current = self.library.get_feed(feed_id)
        changes: dict[str, Any] = {}
        if title is not _UNSET:
            text = " ".join(str(title or "").split())
            changes.update(title=text or current.title, title_set=int(bool(text)))
        if folder is not _UNSET:
            changes["folder"] = clean_folder(folder if isinstance(folder, str) else None)
        if full_text is not _UNSET:
            if full_text not in FULL_TEXT_MODES:
                raise ValidationError(f"full text must be one of {', '.join(FULL_TEXT_MODES)}, not {full_text!r}")
            changes["full_text"] = full_text
        if translate_to is not _UNSET:
            code = str(translate_to or "").strip().lower()
            if code and (len(code) > 12 or not all(p.isalpha() for p in code.split("-"))):
                raise ValidationError(f"{translate_to!r} is not a language code (e.g. en, ro, lt)")
            changes["translate_to"] = code or None
        if keep_days is not _UNSET:
            if keep_days is not None and (not isinstance(keep_days, int) or keep_days < 1):
                raise ValidationError("keep days must be a whole number of days, 1 or more (or none: keep all)")
            changes["keep_days"] = keep_days
        if interval_minutes is not _UNSET:
            if not isinstance(interval_minutes, int) or not 5 <= interval_minutes <= 7 * 24 * 60:
                raise ValidationError("the update interval must be between 5 minutes and a week")
            changes["interval_minutes"] = interval_minutes
        return self.library.update_feed(feed_id, **changes)

    def remove(self, feed_id: int, *, delete_articles: bool = False) -> tuple[int, int]:
        """Unsubscribe. Its articles stay in the library unless ``delete_articles``; even then the
        starred ones and those with highlights or a note stay. Returns ``(deleted, kept)``."""
        return self.library.delete_feed(feed_id, delete_articles=delete_articles)

    def mark_all_read(self, feed_id: int) -> list[int]:
        """Mark a feed's unread articles read; returns their ids (for undo: mark them unread)."""
        return self.library.mark_feed_read(feed_id)

    def prune(self, feed_ids: Iterable[int] | None = None) -> int:
        """Delete articles older than their feed's "keep N days" (never starred or annotated ones:
        highlights or a note). Returns how many were deleted."""
        wanted = None if feed_ids is None else set(feed_ids)
        now = _now()
        deleted = 0
        for feed in self.library.list_feeds():
            if feed.keep_days is None or (wanted is not None and feed.id not in wanted):
                continue
            deleted += len(self.library.prune_feed(feed.id, _stamp(now - timedelta(days=feed.keep_days))))
        return deleted

    # --- refreshing -------------------------------------------------------------------------------
    def refresh(self, ids: Iterable[int] | None = None, *, due_only: bool = False,
                cancel: threading.Event | None = None,
                progress: Callable[[FeedRefresh], None] | None = None) -> list[FeedRefresh]:
        """Fetch feeds (all, or ``ids``; with ``due_only`` only those :func:`is_due`) concurrently and
        store what is new, serially on this thread's library (see the module doc). ``progress`` is
        called on this thread after each feed is stored. Returns one result per feed, in the order
        they finished; a cancelled refresh returns those stored before ``cancel`` was set.
        Raises :class:`NotFoundError` for an id that is no feed."""
        if ids is None:
            feeds = self.library.list_feeds()
        else:
            feeds = [self.library.get_feed(i) for i in dict.fromkeys(ids)]
        if due_only:
            now = _now()
            feeds = [f for f in feeds if is_due(f, now)]
        if not feeds:
            return []
        state = self.library.entry_state(f.id for f in feeds)
        links = self.library.known_links()
        results: list[FeedRefresh] = []
        halt = threading.Event()  # the workers' stop: set on cancel, and when storing fails

        def cancelled() -> bool:
            if cancel is not None and cancel.is_set():
                halt.set()
            return halt.is_set()

        pool = ThreadPoolExecutor(max_workers=min(self.workers, len(feeds)), thread_name_prefix="feed-fetch")
        try:
            pending: set[Future[_Fetched]] = {
                pool.submit(self._fetch_feed, f, state.get(f.id, {}), links, halt) for f in feeds
            }
            while pending and not cancelled():
                done, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                for future in done:
                    if cancelled():
                        break
                    outcome = self._store(future.result(), cancelled)
                    results.append(outcome)
                    if progress is not None:
                        progress(outcome)
        finally:
            halt.set()  # workers still fetching stop within ~50 ms (a cancel, or an error storing)
            pool.shutdown(wait=True, cancel_futures=True)
        self.prune([r.feed_id for r in results if r.ok])
        return results

    def _fetch_feed(self, feed: Feed, known: dict[str, tuple[str, int | None]], links: set[str],
                    cancel: threading.Event | None) -> _Fetched:
        """Worker: fetch and parse one feed and the pages of its new entries. No library access."""
        out = _Fetched(feed)
        try:
            result = self.client.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified,
                                       accept=FEED_ACCEPT, cancel=cancel)
            out.result = result
            if result.not_modified:
                return out
            parsed = run(self.parser, parse_fetched, result)
            out.parsed = parsed
        except ReaderError as exc:
            out.error = exc
            return out
        except Exception as exc:  # noqa: BLE001 - a hostile feed never stops a refresh or shows a traceback
            out.error = ReaderError(f"{feed.url}: cannot be read ({type(exc).__name__})")
            return out
        source = feed.title if feed.title_set else (" ".join((parsed.title or "").split()) or feed.title)
        budget_end = time.monotonic() + self.feed_budget
        seen: set[str] = set()
        for entry in reversed(parsed.entries):  # oldest first: ids grow with time
            if cancel is not None and cancel.is_set():
                break
            key = entry.key
            if key in seen or not (entry.title or entry.link or entry.summary_html or entry.content_html):
                continue  # a repeat, or an empty <item>: nothing to read
            seen.add(key)
            fingerprint = entry_fingerprint(entry)
            before = known.get(key)
            if before is not None:
                if before[0] == fingerprint or before[1] is None:
                    continue  # unchanged, or its article was deleted: never brought back
                update_of: int | None = before[1]
            else:
                update_of = None
                if entry.link and entry.link in links:
                    out.items.append(_Item(key, entry.link, fingerprint))
                    continue
            try:
                article = self._entry_article(entry, feed, source, budget_end, cancel)
                guess = None if update_of is not None else self._guess_of(article)
            except Exception:  # noqa: BLE001,S112 - one odd entry never fails its feed
                continue
            out.items.append(_Item(key, entry.link, fingerprint, article, update_of, guess))
        return out

    def _guess_of(self, parsed: ParsedArticle) -> LanguageGuess | None:
        """The article's language, worked out by the parse worker (None without one: the storing
        thread detects it, as a file import does)."""
        if self.parser is None:
            return None
        try:
            return run(self.parser, _guess, parsed.title, parsed.paragraphs, parsed.lang)
        except ReaderError:
            return None

    def _entry_article(self, entry: FeedEntry, feed: Feed, source: str, budget_end: float,
                       cancel: threading.Event | None) -> ParsedArticle:
        """An entry as an article: its linked page when full text is wanted, else its own HTML."""
        parsed: ParsedArticle | None = None
        want_page = bool(entry.link) and (
            feed.full_text == "always" or (feed.full_text == "auto" and full_text_needed(entry)))
        if want_page and entry.link and time.monotonic() < budget_end:
            parsed = self.fetch_page(entry.link, cancel=cancel, budget_end=budget_end)
        if parsed is None:
            parsed = self._entry_html(entry, budget_end, cancel)
        title = " ".join((entry.title or "").split()) or parsed.title or (entry.link or "untitled")
        return replace(parsed, title=title, published=_iso_date(entry.published) or parsed.published,
                       source=source, url=entry.link or parsed.url, tags=(), file_name=None)

    def _entry_html(self, entry: FeedEntry, budget_end: float, cancel: threading.Event | None) -> ParsedArticle:
        """The entry's own content (or summary) read by the HTML importer."""
        fragment = entry.content_html or entry.summary_html or ""
        title = " ".join((entry.title or "").split()) or "untitled"
        if html_to_text(fragment):
            page = f"<html><head><title></title></head><body><article>{fragment}</article></body></html>"
            try:
                parsed = run(self.parser, _parse_page, page.encode("utf-8"), entry.link, "utf-8")
            except Exception:  # noqa: BLE001 - ImportSkipped or worse: the entry's plain text below
                parsed = None
            if parsed is not None:
                return self._with_pictures(parsed, budget_end, cancel)
        text = html_to_text(fragment) or entry.link or title
        return ParsedArticle(title=title, paragraphs=(text,))

    def fetch_page(self, url: str, *, cancel: threading.Event | None = None,
                   budget_end: float | None = None) -> ParsedArticle | None:
        """A web page's article (text, structure, pictures fetched), or None when the page cannot be
        fetched or holds no article (the caller keeps what it had)."""
        try:
            page = self.client.fetch(url, accept=PAGE_ACCEPT, max_bytes=MAX_PAGE_BYTES, cancel=cancel)
            parsed = run(self.parser, _parse_page, page.body, page.url, page.charset)
        except ReaderError:
            return None
        except Exception:  # noqa: BLE001 - a hostile page never fails a refresh
            return None
        parsed = replace(parsed, url=page.url)
        return self._with_pictures(parsed, budget_end, cancel)

    def _with_pictures(self, parsed: ParsedArticle, budget_end: float | None,
                       cancel: threading.Event | None) -> ParsedArticle:
        """Fetch the article's remote pictures (at most :data:`MAX_PICTURES`, each capped) and check
        them with the importer's picture check; a picture that fails keeps its reason."""
        if not parsed.images:
            return parsed
        try:
            from reader.core.importers.images import check_image  # type: ignore[import-not-found,unused-ignore]
        except ImportError:  # the picture check is not there: nothing can be stored offline
            return parsed
        images: list[ParsedImage] = []
        fetched = 0
        for image in parsed.images:
            if image.data is not None or not image.src.lower().startswith(("http://", "https://")):
                images.append(image)
                continue
            if fetched >= MAX_PICTURES or (budget_end is not None and time.monotonic() >= budget_end) \
                    or (cancel is not None and cancel.is_set()):
                images.append(replace(image, reason="not fetched (too many pictures or no time left)"))
                continue
            fetched += 1
            try:
                answer = self.client.fetch(image.src, accept=PICTURE_ACCEPT, max_bytes=MAX_PICTURE_BYTES,
                                           cancel=cancel)
                images.append(check_image(answer.body, image.src, image.alt))
            except ReaderError as exc:
                images.append(replace(image, reason=str(exc)))
            except Exception as exc:  # noqa: BLE001 - a broken picture is a reason, not a failure
                images.append(replace(image, reason=f"unreadable picture ({type(exc).__name__})"))
        return replace(parsed, images=tuple(images))

    # --- storing (calling thread) -----------------------------------------------------------------
    def _store(self, fetched: _Fetched, stop: Callable[[], bool] | None = None) -> FeedRefresh:
        """Store one feed's entries (a transaction each), then its status; returns what it did."""
        feed, lib = fetched.feed, self.library
        now = _now()
        stamp = _stamp(now)
        if fetched.error is not None:
            failures = feed.failures + 1
            retry_after = fetched.error.retry_after if isinstance(fetched.error, HTTPStatusError) else None
            message = " ".join(str(fetched.error).split())[:500]
            lib.update_feed(feed.id, last_fetched=stamp, last_error=message, failures=failures,
                            retry_at=_stamp(backoff_until(feed, failures, retry_after, now)))
            return FeedRefresh(feed.id, feed.title, ok=False, error=message)
        result = fetched.result
        assert result is not None
        status: dict[str, Any] = {"last_fetched": stamp, "last_ok": stamp, "last_error": None, "failures": 0,
                                  "retry_at": None, "etag": result.etag, "last_modified": result.last_modified}
        if result.not_modified:
            lib.update_feed(feed.id, **status)
            return FeedRefresh(feed.id, feed.title, ok=True, not_modified=True)
        parsed = fetched.parsed
        assert parsed is not None
        new: list[int] = []
        updated = 0
        failed = 0
        for item in fetched.items:  # one transaction per entry: the GUI's writer waits for one at most
            try:
                with lib.write():
                    updated += self._store_item(feed.id, item, new)
            except LibraryFileError:
                raise
            except ReaderError:
                failed += 1
        title = feed.title
        if not feed.title_set and parsed.title:
            title = " ".join(parsed.title.split())[:300] or feed.title
            status["title"] = title
        if parsed.site_url and not feed.site_url:
            status["site_url"] = parsed.site_url
        moved = result.permanent_url
        if moved and moved != feed.url and lib.feed_by_url(moved) is None:
            status["url"] = moved
        if failed:  # keep the old validators: the next fetch reads the feed again and retries them
            status.update(etag=feed.etag, last_modified=feed.last_modified)
        lib.update_feed(feed.id, **status)  # last: an interrupted refresh never skips entries
        self._translate_ahead(feed, new, stop)
        return FeedRefresh(feed.id, title, ok=True, new=len(new), updated=updated)

    def _store_item(self, feed_id: int, item: _Item, new: list[int]) -> int:
        """Store one entry (inside its own transaction); 1 if it updated an article."""
        lib = self.library
        if item.parsed is None:  # the link is already an article: one story, one article
            article_id = lib.article_for_link(item.link) if item.link else None
            lib.remember_entry(feed_id, item.key, link=item.link, fingerprint=item.fingerprint,
                               article_id=article_id)
            return 0
        if item.update_of is not None:
            from reader.core.library_ops import edit_article

            try:
                current = lib.get_article(item.update_of)
            except NotFoundError:
                current = None
            if current is not None:
                body = item.parsed.body
                changed = body != current.body or item.parsed.title != current.title
                if changed:
                    with lib.write():  # the new text, its highlights re-anchored, its new shape: one transaction
                        edit_article(lib, current.id, title=item.parsed.title,
                                     body=body if body != current.body else None)
                        lib.set_structure(current.id, item.parsed)
                lib.remember_entry(feed_id, item.key, link=item.link, fingerprint=item.fingerprint,
                                   article_id=current.id)
                return int(changed)
        outcome = _store_parsed(lib, item.parsed, item.guess)
        if outcome.status == "skipped" or outcome.article_id is None:
            return 0
        if outcome.status == "imported":
            lib.set_article_feed(outcome.article_id, feed_id)
            new.append(outcome.article_id)
        lib.remember_entry(feed_id, item.key, link=item.link, fingerprint=item.fingerprint,
                           article_id=outcome.article_id)
        return 0

    def _translate_ahead(self, feed: Feed, article_ids: list[int], stop: Callable[[], bool] | None) -> None:
        """Translate a feed's new articles into its ``translate_to`` language (when a translator was
        given); a failure is left for the reader pane to retry, never an error of the refresh."""
        if not feed.translate_to or self.translator is None or not article_ids:
            return
        for article_id in article_ids:
            if stop is not None and stop():
                return
            try:
                self.translator.translate_article(article_id, feed.translate_to, cancel=stop)
            except Exception:  # noqa: BLE001,S112 - translating ahead is best effort
                continue

    # --- saved links ------------------------------------------------------------------------------
    def save_link(self, url: str, *, cancel: threading.Event | None = None) -> ImportOutcome:
        """Fetch a web page once, extract its article (pictures fetched and stored) and store it.
        A URL already in the library is ``duplicate`` without fetching; a page that cannot be fetched
        or holds no article is ``skipped`` with a one-line reason."""
        try:
            target = _typed_url(url)
        except ValidationError as exc:
            return ImportOutcome(url, "skipped", reason=str(exc))
        known = self.library.article_id_by_url(target)
        if known is not None:
            return ImportOutcome(target, "duplicate", article_id=known, title=self.library.get_article(known).title)
        try:
            page = self.client.fetch(target, accept=PAGE_ACCEPT, max_bytes=MAX_PAGE_BYTES, cancel=cancel)
            parsed = run(self.parser, _parse_page, page.body, page.url, page.charset)
        except ReaderError as exc:
            return ImportOutcome(target, "skipped", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - a hostile page is a reason, never a traceback
            return ImportOutcome(target, "skipped", reason=f"cannot be read as an article ({type(exc).__name__})")
        if page.url != target:
            known = self.library.article_id_by_url(page.url)
            if known is not None:
                return ImportOutcome(target, "duplicate", article_id=known,
                                     title=self.library.get_article(known).title)
        parsed = self._with_pictures(replace(parsed, url=page.url), None, cancel)
        if not parsed.source:
            parsed = replace(parsed, source=urlsplit(page.url).hostname)
        outcome = _store_parsed(self.library, parsed, self._guess_of(parsed))
        return replace(outcome, path=target)

    # --- OPML -------------------------------------------------------------------------------------
    def import_opml(self, path: str | Path, *, cancel: threading.Event | None = None,
                    progress: Callable[[FeedRefresh], None] | None = None) -> list[Feed]:
        """Subscribe to the feeds of an OPML file (folders kept; feeds already subscribed are left as
        they are) and refresh the new ones concurrently. Returns the new feeds with their status.
        A file that cannot be read or is not OPML raises :class:`OpmlError` (one line)."""
        shown = str(path)
        try:
            file = Path(path).expanduser()
            if not stat.S_ISREG(file.stat().st_mode):  # a FIFO or a device would block or never end
                raise OpmlError(f"{shown} is not a regular file")
            with file.open("rb") as fh:
                data = fh.read(MAX_OPML_BYTES + 1)
        except OSError as exc:
            raise OpmlError(f"cannot read {shown}: {exc.strerror or type(exc).__name__}") from None
        document = read_opml(data)
        added: list[int] = []
        for item in document.feeds:
            try:
                url = check_url(item.url)
            except ReaderError:
                continue
            if self.library.feed_by_url(url) is not None:
                continue
            named = bool(item.title and item.title.strip())
            feed = self.library.add_feed(url, title=item.title if named else url, site_url=item.site_url,
                                         folder=item.folder, title_set=named)
            added.append(feed.id)
        if added:
            self.refresh(added, cancel=cancel, progress=progress)
        return [self.library.get_feed(i) for i in added]

    def export_opml(self) -> str:
        """Every subscription as OPML 2.0 text (folders as nested outlines)."""
        feeds = self.library.list_feeds()
        data = write_opml([OpmlFeed(f.url, f.title, f.site_url, f.folder) for f in feeds],
                          folders=self.library.feed_folders())
        return data.decode("utf-8")


def _typed_url(url: str) -> str:
    """An address as a person typed it: ``example.com/feed`` means ``https://example.com/feed``."""
    text = (url or "").strip()
    if text and "://" not in text:
        text = "https://" + text
    return check_url(text)


__all__ = ["FEED_BUDGET", "FeedCandidate", "FeedService", "backoff_until", "entry_fingerprint", "is_due"]
