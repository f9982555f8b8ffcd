"""Online translation providers behind one small interface, over deep-translator.

deep-translator has no timeouts, raises raw ``requests`` exceptions and has per-provider limits and
language codes (docs/notes/providers.md). Here every provider call:

* goes through a fresh deep-translator instance (they are not thread-safe) whose module-level
  ``requests`` is replaced, for that instance only, by :class:`HttpClient`: a per-thread
  ``requests.Session`` with (connect, read) timeouts and bounded retry with backoff on 429/5xx;
* has every exception mapped to :mod:`reader.core.errors` (with keys redacted from the message);
* sends as few requests as the provider allows: paragraphs are split under the limit
  (:mod:`reader.core.translation.segment`) and packed several per request, joined by a separator the
  provider preserves; if an answer comes back with a different number of parts, that request's
  paragraphs are sent again one by one.
"""

from __future__ import annotations

import email.utils
import functools
import re
import sys
import threading
import time
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.core.errors import (
    ProviderRejected,
    ProviderUnavailable,
    RateLimited,
    ReaderError,
    TranslationError,
    ValidationError,
)
from reader.core.secrets import redact, remember
from reader.core.translation.segment import pack, split_text

if TYPE_CHECKING:  # requests (and deep-translator) load on first use: ~120 ms off the app's start-up
    import requests

CancelCheck = Callable[[], bool]
#: What a translation call yields per input text: (index, translated text or the error).
Outcome = tuple[int, "str | TranslationError"]
#: How packed paragraphs are told apart in an answer: a blank line (whitespace inside it tolerated).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def base_lang(code: str) -> str:
    """``pt-BR`` -> ``pt``; lower-case ISO 639 code of a language tag."""
    return code.replace("_", "-").split("-")[0].strip().lower()


# --- HTTP with timeouts and bounded retry ----------------------------------------------------------
@dataclass
class RetryPolicy:
    """Bounded retry with exponential backoff on HTTP 429 and 5xx (``Retry-After`` honoured, capped)."""

    retries: int = 2
    backoff: float = 0.5  # seconds; doubled per attempt
    max_delay: float = 8.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, response: requests.Response) -> float:
        wait = self.backoff * (2**attempt)
        header = response.headers.get("Retry-After")
        if header:
            try:
                wait = float(header)
            except ValueError:
                try:
                    parsed = email.utils.parsedate_to_datetime(header)
                    wait = (parsed - datetime.now(UTC)).total_seconds()
                except (TypeError, ValueError):  # an unreadable header: keep the backoff
                    pass
        return max(0.0, min(wait, self.max_delay))


class HttpClient:
    """Stands in for the ``requests`` module inside one deep-translator instance.

    Adds (connect, read) timeouts to every request, retries 429/5xx with backoff, counts requests and
    remembers the last status code and body (for error messages). Network exceptions are left to
    propagate: :func:`map_exception` turns them into the app's errors.
    """

    @property
    def exceptions(self) -> Any:
        """``requests.exceptions``, as deep-translator expects on its ``requests`` stand-in."""
        import requests

        return requests.exceptions

    def __init__(self, session: requests.Session, timeout: tuple[float, float], retry: RetryPolicy,
                 on_request: Callable[[], None] | None = None) -> None:
        self.session = session
        self.timeout = timeout
        self.retry = retry
        self.on_request = on_request
        self.last_status: int | None = None
        self.last_body: str = ""

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, data=data, json=json, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self.timeout
        attempt = 0
        while True:
            if self.on_request:
                self.on_request()
            response = self.session.request(method, url, **kwargs)
            self.last_status = response.status_code
            retryable = response.status_code == 429 or 500 <= response.status_code <= 599
            if retryable and attempt < self.retry.retries:
                self.retry.sleep(self.retry.delay(attempt, response))
                attempt += 1
                response.close()
                continue
            if response.status_code >= 400:
                self.last_body = response.text[:300]
            return response


def bind_http(translator: Any, http: HttpClient) -> Any:
    """Make ``translator.translate`` (this instance only) use ``http`` instead of module ``requests``.

    deep-translator calls ``requests.get/post`` through its module globals. The method is rebuilt
    with a copy of those globals where ``requests`` is ``http``, and bound to this one instance: no
    global patching, so other threads and other instances are unaffected.
    """
    func = type(translator).translate
    module = sys.modules[func.__module__]
    namespace = dict(vars(module))
    namespace["requests"] = http
    patched = types.FunctionType(func.__code__, namespace, func.__name__, func.__defaults__,
                                 func.__closure__)
    patched.__kwdefaults__ = func.__kwdefaults__
    translator.translate = types.MethodType(patched, translator)
    return translator


def map_exception(exc: BaseException, label: str, http: HttpClient | None, timeout: tuple[float, float],
                  secrets: Sequence[str | None] = ()) -> TranslationError:
    """The app's error for anything a provider call raised; the message names the provider."""
    from deep_translator import exceptions as dt

    status = http.last_status if http else None

    def msg(text: str) -> str:
        return redact(f"{label}: {text}", secrets)

    if isinstance(exc, TranslationError):
        return type(exc)(redact(str(exc), secrets))
    if isinstance(exc, ReaderError):  # e.g. a language code the provider cannot take
        return ProviderRejected(redact(f"{label}: {exc}", secrets))
    import requests

    if isinstance(exc, requests.exceptions.InvalidJSONError):  # a RequestException, but a bad answer
        return ProviderRejected(msg("the answer could not be read (not a translation)"))
    if isinstance(exc, requests.exceptions.Timeout):
        return ProviderUnavailable(msg(f"no answer within {timeout[1]:g} s (timed out); try again later"))
    if isinstance(exc, requests.exceptions.ConnectionError | ConnectionError):
        return ProviderUnavailable(msg("cannot connect (offline, or the server is down)"))
    if isinstance(exc, requests.exceptions.RequestException):
        return ProviderUnavailable(msg(f"network error ({type(exc).__name__})"))
    if isinstance(exc, dt.TooManyRequests) or status == 429:
        return RateLimited(msg("too many requests (HTTP 429); wait a while and try again"))
    if isinstance(exc, dt.AuthorizationException | dt.ApiKeyException) or status in (401, 403):
        return ProviderRejected(msg("the API key was refused; check it with `reader-cli keys set`"))
    if status is not None and status >= 500:
        return ProviderUnavailable(msg(f"the server failed (HTTP {status}); try again later"))
    if status is not None and status >= 400:
        detail = _error_detail(http.last_body if http else "")
        return ProviderRejected(msg(f"request refused (HTTP {status}){': ' + detail if detail else ''}"))
    if isinstance(exc, dt.LanguageNotSupportedException | dt.InvalidSourceOrTargetLanguage):
        return ProviderRejected(msg("this language pair is not supported"))
    if isinstance(exc, dt.NotValidLength):
        return TranslationError(msg("text too long for one request"))
    if isinstance(exc, dt.TranslationNotFound | ValueError | KeyError | TypeError | AttributeError
                   | StopIteration | IndexError):
        return ProviderRejected(msg("the answer could not be read (not a translation)"))
    return TranslationError(msg(f"unexpected failure ({type(exc).__name__})"))


def _error_detail(body: str) -> str:
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("error", "message", "responseDetails"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:160]
    return ""


# --- the interface -------------------------------------------------------------------------------
class Provider(ABC):
    """One translation engine. ``engine`` is the cache key part (``name`` plus model, if any)."""

    name: str = ""
    label: str = ""
    max_chars: int = 1000
    separator: str = "\n\n"

    @property
    def engine(self) -> str:
        return self.name

    def engine_for(self, source: str, target: str) -> str:
        """The cache's engine key for a pair (offline engines add the model)."""
        return self.engine

    @abstractmethod
    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one text (any length: split under :attr:`max_chars` as needed)."""

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate several texts with as few requests as possible; raises the first error."""
        results: list[str] = [""] * len(texts)
        for index, result in self.iter_translate(texts, source, target):
            if isinstance(result, TranslationError):
                raise result
            results[index] = result
        return results

    def iter_translate(self, texts: Sequence[str], source: str, target: str,
                       cancel: CancelCheck | None = None) -> Iterator[Outcome]:
        """Yield ``(index, translation or error)`` per text as soon as it is done.

        ``cancel`` is checked between requests; when it returns True the iteration stops.
        """
        for index, text in enumerate(texts):
            if cancel and cancel():
                return
            try:
                yield index, self.translate(text, source, target)
            except TranslationError as exc:
                yield index, exc


class OnlineProvider(Provider):
    """A deep-translator backed provider: timeouts, retry, error mapping, packing."""

    #: our language code -> the provider's, where they differ
    codes: dict[str, str] = {}

    def __init__(self, *, timeout: float | tuple[float, float] = 15.0, retry: RetryPolicy | None = None,
                 base_url: str | None = None) -> None:
        self.timeout: tuple[float, float] = (
            (min(float(timeout), 10.0), float(timeout)) if not isinstance(timeout, tuple) else timeout
        )
        self.retry = retry or RetryPolicy()
        self.base_url = base_url
        self._local = threading.local()
        self._count_lock = threading.Lock()
        self.requests_made = 0

    # provider specifics ------------------------------------------------------------------------
    def code(self, lang: str, *, role: str) -> str:
        """The provider's code for our language code (``role`` is ``source`` or ``target``)."""
        lang = base_lang(lang)
        return self.codes.get(lang, lang)

    @abstractmethod
    def _make(self, source: str, target: str) -> Any:
        """A new deep-translator instance for one call."""

    def _secrets(self) -> Sequence[str | None]:
        return ()

    def _check_result(self, text: str) -> str:
        if not text or not text.strip():
            raise ProviderRejected(f"{self.label}: returned an empty translation")
        return text

    # plumbing ----------------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = requests.Session()
            session.headers["User-Agent"] = "PolyglotReader"
            self._local.session = session
        return session

    def _count(self) -> None:
        with self._count_lock:
            self.requests_made += 1

    def request(self, text: str, source: str, target: str) -> str:
        """One provider request for ``text`` (at most :attr:`max_chars`), errors mapped."""
        if len(text) > self.max_chars:
            raise TranslationError(f"{self.label}: text too long for one request")
        http = HttpClient(self._session(), self.timeout, self.retry, self._count)
        try:
            translator = bind_http(self._make(source, target), http)
            result = translator.translate(text)
            if not isinstance(result, str):
                raise ProviderRejected(f"{self.label}: the answer could not be read (not a translation)")
            return self._check_result(result)
        except Exception as exc:
            raise map_exception(exc, self.label, http, self.timeout, self._secrets()) from None

    def translate(self, text: str, source: str, target: str) -> str:
        pieces = split_text(text, self.max_chars)
        if not pieces:
            return ""
        return self.translate_many([text], source, target)[0]

    def iter_translate(self, texts: Sequence[str], source: str, target: str,
                       cancel: CancelCheck | None = None) -> Iterator[Outcome]:
        # 1. pieces: each text split under the limit; remember which text each piece belongs to
        pieces: list[str] = []
        owner: list[int] = []
        remaining: dict[int, int] = {}
        for index, text in enumerate(texts):
            parts = split_text(text, self.max_chars)
            if not parts:
                yield index, ""
                continue
            pieces.extend(parts)
            owner.extend([index] * len(parts))
            remaining[index] = len(parts)
        done: dict[int, str] = {}
        failed: set[int] = set()
        # 2. requests: pieces packed under the limit; results reported per finished text
        for group in pack(pieces, self.max_chars, self.separator):
            if cancel and cancel():
                return
            results = self._request_group([pieces[i] for i in group], source, target, cancel)
            for piece_index, result in zip(group, results, strict=False):
                index = owner[piece_index]
                if index in failed:
                    continue
                if isinstance(result, TranslationError):
                    failed.add(index)
                    yield index, result
                    continue
                done[piece_index] = result
                remaining[index] -= 1
                if remaining[index] == 0:
                    parts_of = [done[i] for i in range(len(pieces)) if owner[i] == index]
                    yield index, " ".join(p.strip() for p in parts_of)
            if len(results) < len(group):  # cancelled inside the group
                return

    def _request_group(self, group: list[str], source: str, target: str,
                       cancel: CancelCheck | None) -> list[str | TranslationError]:
        if len(group) == 1:
            try:
                return [self.request(group[0], source, target)]
            except TranslationError as exc:
                return [exc]
        try:
            joined = self.request(self.separator.join(group), source, target)
        except TranslationError as exc:
            return [exc] * len(group)
        parts = [p.strip() for p in _PARAGRAPH_BREAK.split(joined) if p.strip()]
        if len(parts) == len(group):
            return list(parts)
        # The provider merged or split our separators: send this group's pieces one by one.
        out: list[str | TranslationError] = []
        for piece in group:
            if cancel and cancel():
                break
            try:
                out.append(self.request(piece, source, target))
            except TranslationError as exc:
                out.append(exc)
        return out


# --- the providers -------------------------------------------------------------------------------
class GoogleProvider(OnlineProvider):
    """Google Translate's public web endpoint (no key). 4,999 characters per request."""

    name = "google"
    label = "Google Translate"
    max_chars = 4999
    codes = {"he": "iw", "zh": "zh-CN", "jv": "jw", "fil": "tl", "nb": "no"}

    def _make(self, source: str, target: str) -> Any:
        from deep_translator import GoogleTranslator

        translator = GoogleTranslator(source="auto", target="en")
        translator.source = self.code(source, role="source")
        translator.target = self.code(target, role="target")
        if self.base_url:
            translator._base_url = self.base_url
        return translator


class MyMemoryProvider(OnlineProvider):
    """MyMemory (optional e-mail raises the free quota). 499 characters, locale codes, no ``auto``.

    Quota and other errors come back *as the translated text*: they are detected and raised.
    """

    name = "mymemory"
    label = "MyMemory"
    max_chars = 499
    ERROR_MARKERS = (
        "MYMEMORY WARNING", "YOU USED ALL AVAILABLE FREE TRANSLATIONS", "QUERY LENGTH LIMIT EXCEEDED",
        "INVALID LANGUAGE PAIR", "PLEASE SELECT TWO DISTINCT LANGUAGES", "INVALID EMAIL",
        "IS AN INVALID TARGET LANGUAGE", "IS AN INVALID SOURCE LANGUAGE", "NO QUERY SPECIFIED",
    )

    def __init__(self, *, email: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.email = email or None

    @staticmethod
    @functools.cache
    def _locale_table() -> dict[str, str]:
        from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

        preferred = {"en": "en-GB", "pt": "pt-PT", "fr": "fr-FR", "de": "de-DE", "es": "es-ES",
                     "zh": "zh-CN", "it": "it-IT", "nl": "nl-NL", "sv": "sv-SE"}
        table: dict[str, str] = {}
        for value in MY_MEMORY_LANGUAGES_TO_CODES.values():
            table.setdefault(base_lang(value), value)
        table.update({k: v for k, v in preferred.items() if v in MY_MEMORY_LANGUAGES_TO_CODES.values()})
        return table

    def code(self, lang: str, *, role: str) -> str:
        lang = base_lang(lang)
        if lang in ("auto", "und", ""):
            raise ValidationError("needs a known source language (it does not accept 'auto')")
        table = self._locale_table()
        return table.get(lang, lang)

    def _make(self, source: str, target: str) -> Any:
        from deep_translator import MyMemoryTranslator

        translator = MyMemoryTranslator(source="en-GB", target="fr-FR", email=self.email)
        translator.source = self.code(source, role="source")
        translator.target = self.code(target, role="target")
        if self.base_url:
            translator._base_url = self.base_url
        return translator

    def _secrets(self) -> Sequence[str | None]:
        return (self.email,)

    def _check_result(self, text: str) -> str:
        upper = text.upper()
        if any(marker in upper for marker in self.ERROR_MARKERS):
            if "FREE TRANSLATIONS" in upper or "QUOTA" in upper:
                raise RateLimited("MyMemory: today's free quota is used up; try tomorrow, add an e-mail "
                                  "in Preferences, or choose another provider")
            raise ProviderRejected(redact(f"MyMemory: {' '.join(text.split())[:160]}", (self.email,)))
        return super()._check_result(text)



class LibreProvider(OnlineProvider):
    """A LibreTranslate server (self-hosted or public): URL and optional key. 5,000 characters/request.

    deep-translator's hard-coded language list rejects ro/lt/uk/be, so the instance is built with a
    listed pair and the real codes are set afterwards; the server decides what it supports.
    """

    name = "libre"
    label = "LibreTranslate"
    max_chars = 5000

    def __init__(self, *, url: str, api_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(f"not a LibreTranslate server address: {url!r} (use http(s)://host[:port]/)")
        self.url = url if url.endswith("/") else url + "/"
        self.api_key = api_key or None
        remember(self.api_key)

    def _make(self, source: str, target: str) -> Any:
        from deep_translator import LibreTranslator

        # deep-translator insists on *some* key even for servers that need none.
        translator = LibreTranslator(source="auto", target="en", api_key=self.api_key or "none",
                                     custom_url=self.url)
        if not self.api_key:
            translator.api_key = None  # no api_key parameter is sent at all
        translator.source = self.code(source, role="source")
        translator.target = self.code(target, role="target")
        return translator

    def _secrets(self) -> Sequence[str | None]:
        return (self.api_key,)


class DeeplProvider(OnlineProvider):
    """DeepL API (key required; free keys end in ``:fx``). Requests kept under 5,000 characters because
    deep-translator sends text in the URL; DeepL itself allows 128 KiB."""

    name = "deepl"
    label = "DeepL"
    max_chars = 5000
    target_codes = {"en": "EN-GB", "pt": "PT-PT", "zh": "ZH-HANS"}

    def __init__(self, *, api_key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not api_key:
            raise ValidationError("DeepL needs an API key: run `reader-cli keys set deepl`")
        self.api_key = api_key
        remember(api_key)

    def code(self, lang: str, *, role: str) -> str:
        lang = base_lang(lang)
        if role == "target" and lang in self.target_codes:
            return self.target_codes[lang]
        return lang.upper()

    def _make(self, source: str, target: str) -> Any:
        from deep_translator import DeeplTranslator

        translator = DeeplTranslator(source="de", target="en", api_key=self.api_key,
                                     use_free_api=self.api_key.endswith(":fx"))
        translator.source = self.code(source, role="source")
        translator.target = self.code(target, role="target")
        if self.base_url:
            translator._base_url = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return translator

    def _secrets(self) -> Sequence[str | None]:
        return (self.api_key,)


ONLINE = ("google", "mymemory", "libre", "deepl")


def make_online_provider(name: str, *, timeout: float = 15.0, libre_url: str | None = None,
                         libre_key: str | None = None, deepl_key: str | None = None,
                         mymemory_email: str | None = None, base_url: str | None = None,
                         retry: RetryPolicy | None = None) -> OnlineProvider:
    """Build an online provider by name from explicit settings (keys are never read from env here)."""
    common: dict[str, Any] = {"timeout": timeout, "retry": retry}
    if name == "google":
        return GoogleProvider(base_url=base_url, **common)
    if name == "mymemory":
        return MyMemoryProvider(email=mymemory_email, base_url=base_url, **common)
    if name == "libre":
        if not libre_url:
            raise ValidationError("LibreTranslate needs a server URL (Preferences, or READER_LIBRE_URL)")
        return LibreProvider(url=libre_url, api_key=libre_key, **common)
    if name == "deepl":
        return DeeplProvider(api_key=deepl_key or "", base_url=base_url, **common)
    raise ValidationError(f"unknown provider {name!r}; choose one of: {', '.join(ONLINE)}, offline, auto")
