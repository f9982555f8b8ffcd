"""The one HTTP client of the app: every feed, page and picture is fetched through :class:`HttpClient`.

Built on ``requests`` (one ``Session``, connection pooling), which the app already carries because
deep-translator, our translation provider library, is built on it: one HTTP stack, one set of proxy and
certificate rules, nothing new in the bundle. What ``requests`` leaves to the caller is done here:

- **timeouts** on every request (connect, read) plus a **wall-clock deadline** for the whole fetch
  (redirects, retries and body included, counted from when the fetch gets its per-host slot). A
  watchdog thread shuts the socket down when the deadline passes, so a server that dribbles a byte a
  second, in the headers or in the body, ends on time;
- **size caps** while streaming: the raw bytes are read in chunks and reading stops past the cap;
- **bounded redirects** followed by hand: at most ``max_redirects``, loops detected, http/https only;
- **bounded decompression**: gzip/deflate are decoded here with ``zlib``'s ``max_length``, so a 10 MB
  gzip bomb is refused after a few kilobytes of input and never grows past the cap in memory
  (``br`` is not offered: the brotli module is not part of the app);
- **conditional GET**: ``etag`` / ``last_modified`` in, ``not_modified`` (304) out;
- **429/502/503/504**: ``Retry-After`` (seconds or an HTTP date) is obeyed when it fits the deadline and
  the cap, otherwise exponential backoff with a cap; when the retries run out the error keeps the
  server's ``retry_after`` for the scheduler;
- a **per-host concurrency limit** shared by every thread using the client;
- an honest **User-Agent**: ``PolyglotReader/<version> (+<project URL>)``.

All failures are mapped to :mod:`reader.core.feeds.errors` (one-line messages). The client is
thread-safe: the composition root makes one and passes it to whoever fetches.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import socket
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import HTTPResponse

from reader import __version__
from reader.core.feeds.errors import (
    BadURL,
    ContentDecodingError,
    FetchCancelled,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RedirectError,
    ResponseTooLarge,
    ServerBusy,
    Unreachable,
)

PROJECT_URL = "https://github.com/polyglot-reader/polyglot-reader"
USER_AGENT = f"PolyglotReader/{__version__} (+{PROJECT_URL})"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BUSY_STATUSES = frozenset({429, 503})
_CHUNK = 64 * 1024
_MAX_DECODE_STEPS = 100_000  # zlib calls per chunk; each one consumes input or yields output


@dataclass(frozen=True)
class FetchLimits:
    """Every bound of a fetch, in seconds and bytes; one instance per client, overridable per call."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0   # longest silence between two reads
    deadline: float = 60.0       # whole fetch from its first connection slot: redirects, retries, body
    max_bytes: int = 10 * 1024 * 1024   # on the wire and once decoded
    max_redirects: int = 5
    max_retries: int = 2         # extra attempts after a 429/502/503/504
    backoff_base: float = 1.0    # first wait without Retry-After; doubles each attempt
    backoff_cap: float = 30.0
    max_retry_after: float = 60.0   # a longer Retry-After is not waited for: ServerBusy at once
    per_host: int = 2            # requests in flight to one host:port, across threads
    host_wait: float = 120.0     # longest wait for a free per-host slot (before the deadline's clock)


@dataclass(frozen=True)
class FetchResult:
    """One successful answer (2xx, or 304 when ``not_modified``).

    ``url`` is the final URL after redirects; ``redirects`` lists ``(status, target)`` per hop, and
    ``permanent_url`` is the address to store when every hop was permanent (301/308), else None.
    ``headers`` has lower-case names. ``etag`` / ``last_modified`` are the validators to send next
    time (on a 304 without them, the ones sent are kept). ``charset`` comes from Content-Type only.
    """

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    charset: str | None
    not_modified: bool
    elapsed: float
    redirects: tuple[tuple[int, str], ...] = ()

    @property
    def permanent_url(self) -> str | None:
        """The new address of a resource that moved for good (every hop 301/308), else None."""
        if self.redirects and all(status in PERMANENT_REDIRECTS for status, _ in self.redirects):
            return self.url
        return None


# --- the watchdog: a deadline (and cancel) that can cut a blocked socket -------------------------
class _Watch:
    """The deadline of one fetch and the socket it is using right now.

    A watcher thread calls :meth:`expire` when the deadline passes (or ``cancel`` is set); that shuts
    the current socket down, so a read blocked inside http.client returns at once. The connection
    classes below attach each socket as it is used, through a thread-local.
    """

    def __init__(self, budget: float, cancel: threading.Event | None) -> None:
        self.budget = budget
        self.deadline_at = time.monotonic() + budget
        self.started = False
        self.cancel = cancel
        self.expired = False
        self.cancelled = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)

    def start(self) -> None:
        """Start the clock (once: when the fetch gets its first connection slot)."""
        if not self.started:
            self.started = True
            self.deadline_at = time.monotonic() + self.budget
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self.started:
            self._thread.join()

    def remaining(self) -> float:
        return self.deadline_at - time.monotonic() if self.started else self.budget

    def _run(self) -> None:
        poll = 0.05 if self.cancel is not None else None
        while not self._done.is_set():
            left = self.remaining()
            if left <= 0:
                self.expire(cancelled=False)
                return
            if self.cancel is not None and self.cancel.is_set():
                self.expire(cancelled=True)
                return
            self._done.wait(left if poll is None else min(left, poll))

    def expire(self, *, cancelled: bool) -> None:
        with self._lock:
            if cancelled:
                self.cancelled = True
            else:
                self.expired = True
            sock = self._sock
        if sock is not None:
            _shutdown(sock)

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            dead = self.expired or self.cancelled
        if dead and sock is not None:
            _shutdown(sock)

    def check(self, url: str) -> None:
        """Raise if the fetch was cancelled or ran past its deadline."""
        if self.cancelled or (self.cancel is not None and self.cancel.is_set()):
            self.cancelled = True
            raise FetchCancelled(f"{_safe(url)}: cancelled", _safe(url))
        if self.expired or self.remaining() <= 0:
            self.expired = True
            raise FetchTimeout(f"{_safe(url)}: no complete answer within {self.budget:g} s", _safe(url))

    def sleep(self, seconds: float, url: str) -> None:
        """Wait (for a retry) unless cancelled; never past the deadline."""
        end = time.monotonic() + seconds
        for _ in range(int(seconds / 0.05) + 2):
            left = end - time.monotonic()
            if left <= 0:
                break
            if self.cancel is not None:
                if self.cancel.wait(min(left, 0.05)):
                    break
            else:
                time.sleep(left)
        self.check(url)


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown on purpose: it works on an SSLSocket's descriptor without touching the
    # TLS object another thread is reading through.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_local = threading.local()


def _attach_current(sock: socket.socket | None) -> None:
    watch: _Watch | None = getattr(_local, "watch", None)
    if watch is not None:
        watch.attach(sock)


class _Watched:
    """Mixin for urllib3's connections: report the socket to the fetch's watchdog."""

    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _attach_current(self.sock)

    def getresponse(self) -> HTTPResponse:
        _attach_current(self.sock)
        return super().getresponse()  # type: ignore[misc,no-any-return]


class _WatchedHTTPConnection(_Watched, HTTPConnection):  # type: ignore[misc]
    """urllib3's connection, reporting its socket to the fetch's watchdog."""


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):  # type: ignore[misc]
    """urllib3's TLS connection, reporting its socket to the fetch's watchdog."""


class _HTTPPool(HTTPConnectionPool):
    """A pool of watched plain connections."""

    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    """A pool of watched TLS connections."""

    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter with pools of watched connections (direct and through an HTTP proxy)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools are their own; the chunk checks remain
            manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


# --- decompression with a cap ----------------------------------------------------------------------
class _Inflater:
    """gzip (multi-member) or deflate (zlib-wrapped or raw) decoder whose output never passes a cap."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._obj: Any = None
        self._held = b""  # a first byte of deflate, kept until the second tells zlib from raw

    def _new(self, first: bytes) -> Any:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped (RFC 9110) but many servers send raw deflate.
        wrapped = len(first) >= 2 and (first[0] & 0x0F) == 8 and ((first[0] << 8) | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; raise :class:`_Overflow` as soon as the output would pass ``room`` bytes."""
        out: list[bytes] = []
        produced = 0
        pending = self._held + data
        self._held = b""
        for _ in range(_MAX_DECODE_STEPS):
            if not pending:
                return b"".join(out)
            if self._obj is None:
                if len(pending) < 2 and self.encoding == "deflate":
                    self._held = pending
                    return b"".join(out)
                self._obj = self._new(pending)
            elif self._obj.eof:
                if self.encoding != "gzip" or not pending.strip(b"\x00"):
                    return b"".join(out)  # trailing bytes after the stream: ignored
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
            piece = self._obj.decompress(pending, room - produced + 1)
            produced += len(piece)
            if produced > room:
                raise _Overflow
            out.append(piece)
            pending = self._obj.unused_data if self._obj.eof else self._obj.unconsumed_tail
        raise _Overflow


class _Overflow(Exception):
    """Decoded output passed the cap (internal: becomes ResponseTooLarge)."""


def _decoders(content_encoding: str, url: str) -> list[_Inflater]:
    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
    chain: list[_Inflater] = []
    for name in reversed(names):  # applied last is listed last: undo from the end
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            chain.append(_Inflater("gzip"))
        elif name == "deflate":
            chain.append(_Inflater("deflate"))
        else:
            raise ContentDecodingError(f"{_safe(url)}: the server sent an unsupported encoding ({name})",
                                       _safe(url))
    if len(chain) > 3:
        raise ContentDecodingError(f"{_safe(url)}: too many layers of compression", _safe(url))
    return chain


# --- small helpers -------------------------------------------------------------------------------
def _safe(url: str) -> str:
    """The URL without user:password, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:200]
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def check_url(url: str) -> str:
    """Return ``url`` without its fragment if it is an absolute http(s) URL with a host, else raise BadURL."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise BadURL(f"{_safe(url)}: not a valid address", _safe(url)) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise BadURL(f"{_safe(url)}: only http and https addresses can be fetched", _safe(url))
    if not host:
        raise BadURL(f"{_safe(url)}: the address has no host", _safe(url))
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def split_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``"text/xml; charset=UTF-8"`` -> ``("text/xml", "utf-8")``; missing parts are None."""
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return (mime.strip().lower() or None), charset


def _cause_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    for _ in range(20):
        if current is None or id(current) in seen:
            return
        seen.add(id(current))
        yield current
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        reason = getattr(current, "reason", None)
        current = current.__cause__ or current.__context__ or (
            reason if isinstance(reason, BaseException) else (nested[0] if nested else None))


@dataclass
class _Retry(Exception):
    """A retryable answer (internal)."""

    error: HTTPStatusError
    retry_after: float | None = None


@dataclass
class _HostSlots:
    """Per-host semaphores shared by all threads of one client."""

    per_host: int
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _slots: dict[str, threading.BoundedSemaphore] = field(default_factory=dict)

    @contextlib.contextmanager
    def hold(self, url: str, watch: _Watch, wait: float) -> Iterator[None]:
        key = _host_key(url)
        with self._lock:
            slot = self._slots.setdefault(key, threading.BoundedSemaphore(self.per_host))
        end = time.monotonic() + wait
        for _ in range(int(wait / 0.05) + 2):  # short waits, so cancel and the deadline are seen
            left = min(end - time.monotonic(), watch.remaining())
            if left > 0 and slot.acquire(timeout=min(left, 0.05)):
                break
            watch.check(url)
            if left <= 0:
                raise FetchTimeout(f"{_safe(url)}: waited {wait:g} s for a free connection to {key}", _safe(url))
        else:
            raise FetchTimeout(f"{_safe(url)}: waited {wait:g} s for a free connection to {key}", _safe(url))
        watch.start()
        try:
            yield
        finally:
            slot.release()


# --- the client -----------------------------------------------------------------------------------
class _Session(requests.Session):
    """A Session that never looks at redirects itself.

    Even with ``allow_redirects=False``, ``requests`` prepares the next hop of a 3xx answer and, doing
    so, reads its whole body (``resp.content``): unbounded, and decompressed. Redirects are followed
    by :class:`HttpClient` instead, without reading 3xx bodies.
    """

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None


class HttpClient:
    """The app's HTTP client: one ``requests.Session`` behind every bound listed in the module doc.

    Thread-safe; share one instance. ``fetch`` is the only request method (GET): feeds, pages,
    pictures. Use it as a context manager or call :meth:`close` when the app ends.
    """

    def __init__(self, limits: FetchLimits | None = None, *, user_agent: str = USER_AGENT,
                 trust_env: bool = True) -> None:
        self.limits = limits or FetchLimits()
        self.user_agent = user_agent
        self._slots = _HostSlots(self.limits.per_host)
        self._session = _Session()
        self._session.trust_env = trust_env  # system proxy settings; never used to fetch by itself
        adapter = _WatchedAdapter(pool_connections=16, pool_maxsize=max(2, self.limits.per_host),
                                  max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str | None = None, max_bytes: int | None = None, deadline: float | None = None,
              cancel: threading.Event | None = None) -> FetchResult:
        """GET ``url`` within every bound; return the answer or raise a :class:`FetchError`.

        ``etag`` / ``last_modified`` are the validators of the last fetch (sent as If-None-Match /
        If-Modified-Since); a 304 comes back as ``not_modified=True`` with an empty body.
        ``max_bytes`` and ``deadline`` override the client's limits for this call. Setting ``cancel``
        stops the fetch within ~50 ms, even in the middle of a read.
        """
        start = time.monotonic()
        target = check_url(url)
        limits = self.limits
        cap = limits.max_bytes if max_bytes is None else max_bytes
        watch = _Watch(limits.deadline if deadline is None else deadline, cancel)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        previous = getattr(_local, "watch", None)
        _local.watch = watch
        try:
            for attempt in range(limits.max_retries + 1):
                try:
                    result = self._follow(target, headers, watch, cap, start)
                except _Retry as retry:
                    if attempt == limits.max_retries:
                        raise retry.error from None
                    wait = retry.retry_after
                    if wait is None:
                        wait = min(limits.backoff_cap, limits.backoff_base * (2 ** attempt))
                    elif wait > limits.max_retry_after:
                        raise retry.error from None
                    if wait >= watch.remaining():
                        raise retry.error from None
                    watch.sleep(wait, target)
                    continue
                if result.not_modified:
                    result = _keep_validators(result, etag, last_modified)
                return result
            raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
        finally:
            _local.watch = previous
            watch.stop()

    # -- one attempt: follow redirects by hand ---------------------------------------------------
    def _follow(self, url: str, headers: dict[str, str], watch: _Watch, cap: int, start: float) -> FetchResult:
        limits = self.limits
        current = url
        visited = {current}
        hops: list[tuple[int, str]] = []
        for hop in range(limits.max_redirects + 1):
            watch.check(current)
            with self._slots.hold(current, watch, limits.host_wait):
                resp = self._send(current, headers, watch)
                try:
                    status = resp.status_code
                    location = resp.headers.get("Location")
                    if status in REDIRECT_STATUSES and location:
                        target = self._redirect_target(current, location, visited, hop)
                        hops.append((status, target))
                        visited.add(target)
                        current = target
                        continue
                    if status == 304:
                        return self._result(current, resp, b"", hops, start, not_modified=True)
                    if not 200 <= status < 300:
                        raise self._status_error(current, resp)
                    body = self._read_body(current, resp, watch, cap)
                    return self._result(current, resp, body, hops, start, not_modified=False)
                finally:
                    resp.close()
        raise AssertionError("unreachable")  # pragma: no cover - the last hop returns or raises

    def _redirect_target(self, current: str, location: str, visited: set[str], hop: int) -> str:
        try:  # like requests: header bytes arrive as latin-1, mean UTF-8
            location = location.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
        raw = urljoin(current, location.strip())
        try:
            target = check_url(raw)
        except BadURL as exc:
            raise RedirectError(f"{_safe(current)}: redirected to an address that is not http(s) "
                                f"({_safe(raw)[:100]})", _safe(current)) from exc
        if target in visited:
            raise RedirectError(f"{_safe(current)}: redirect loop (back to {_safe(target)})", _safe(current))
        if hop >= self.limits.max_redirects:
            raise RedirectError(f"{_safe(current)}: more than {self.limits.max_redirects} redirects",
                                _safe(current))
        return target

    def _send(self, url: str, headers: dict[str, str], watch: _Watch) -> requests.Response:
        limits = self.limits
        left = max(0.01, watch.remaining())
        try:
            return self._session.get(url, headers=headers, stream=True, allow_redirects=False,
                                     timeout=(min(limits.connect_timeout, left), limits.read_timeout))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a FetchError
            raise self._map(exc, url, watch) from exc

    def _read_body(self, url: str, resp: requests.Response, watch: _Watch, cap: int) -> bytes:
        length = resp.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > cap:
            raise ResponseTooLarge(f"{_safe(url)}: the answer is {int(length):,} bytes, more than the "
                                   f"{cap:,}-byte limit", _safe(url))
        chain = _decoders(resp.headers.get("Content-Encoding", ""), url)
        raw = resp.raw
        out: list[bytes] = []
        wire = 0
        size = 0
        try:
            for _ in range(cap + 2):  # every turn reads >= 1 byte or ends
                watch.check(url)
                chunk = raw.read(_CHUNK, decode_content=False)
                if not chunk:
                    break
                wire += len(chunk)
                if wire > cap:
                    raise ResponseTooLarge(f"{_safe(url)}: the answer is larger than the {cap:,}-byte limit",
                                           _safe(url))
                data = self._decode(chain, chunk, cap - size, url)
                size += len(data)
                out.append(data)
        except FetchError:
            raise
        except Exception as exc:  # noqa: BLE001 - socket, urllib3, http.client: all become FetchErrors
            raise self._map(exc, url, watch, reading=True) from exc
        watch.check(url)  # a shut-down socket can look like a clean end of a close-delimited body
        return b"".join(out)

    @staticmethod
    def _decode(chain: list[_Inflater], data: bytes, room: int, url: str) -> bytes:
        try:
            for decoder in chain:
                data = decoder.feed(data, room)
        except _Overflow:
            raise ResponseTooLarge(f"{_safe(url)}: the answer decompresses to more than the "
                                   f"{room:,}-byte limit (compression bomb?)", _safe(url)) from None
        except zlib.error as exc:
            raise ContentDecodingError(f"{_safe(url)}: the compressed answer is damaged ({exc})",
                                       _safe(url)) from None
        return data

    def _result(self, url: str, resp: requests.Response, body: bytes, hops: list[tuple[int, str]],
                start: float, *, not_modified: bool) -> FetchResult:
        headers = {k.lower(): v for k, v in resp.headers.items()}
        mime, charset = split_content_type(headers.get("content-type"))
        return FetchResult(url=url, status=resp.status_code, headers=headers, body=body,
                           etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                           content_type=mime, charset=charset, not_modified=not_modified,
                           elapsed=time.monotonic() - start, redirects=tuple(hops))

    def _status_error(self, url: str, resp: requests.Response) -> Exception:
        status = resp.status_code
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        reason = (resp.reason or http.client.responses.get(status, "")).strip()[:80]
        text = f"{_safe(url)}: the server answered {status}" + (f" {reason}" if reason else "")
        if status in BUSY_STATUSES:
            wait = f" (asks to wait {retry_after:.0f} s)" if retry_after is not None else ""
            error: HTTPStatusError = ServerBusy(text + wait, _safe(url), status=status, retry_after=retry_after)
        else:
            error = HTTPStatusError(text, _safe(url), status=status, retry_after=retry_after)
        if status in RETRY_STATUSES:
            return _Retry(error, retry_after)
        return error

    def _map(self, exc: BaseException, url: str, watch: _Watch, *, reading: bool = False) -> FetchError:
        safe = _safe(url)
        if watch.cancelled or (watch.cancel is not None and watch.cancel.is_set()):
            return FetchCancelled(f"{safe}: cancelled", safe)
        if watch.expired or watch.remaining() <= 0:
            return FetchTimeout(f"{safe}: no complete answer within {watch.budget:g} s", safe)
        limits = self.limits
        chain = list(_cause_chain(exc))
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema
                      | requests.exceptions.InvalidSchema):
            return BadURL(f"{safe}: not a valid address", safe)
        if any(isinstance(e, socket.gaierror | urllib3.exceptions.NameResolutionError) for e in chain):
            host = urlsplit(url).hostname or "?"
            return Unreachable(f"{safe}: cannot find the host {host} (offline, or no such site)", safe)
        if any(isinstance(e, ConnectionRefusedError) for e in chain):
            return Unreachable(f"{safe}: connection refused", safe)
        if any(isinstance(e, requests.exceptions.SSLError | urllib3.exceptions.SSLError) for e in chain):
            return Unreachable(f"{safe}: secure connection failed (TLS)", safe)
        # urllib3's NewConnectionError is a ConnectTimeoutError too: refused/unresolved are handled above
        if isinstance(exc, requests.exceptions.ConnectTimeout) or any(
                isinstance(e, urllib3.exceptions.ConnectTimeoutError)
                and not isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain):
            return FetchTimeout(f"{safe}: could not connect within {limits.connect_timeout:g} s", safe)
        if isinstance(exc, requests.exceptions.Timeout) or any(
                isinstance(e, urllib3.exceptions.ReadTimeoutError | TimeoutError) for e in chain):
            return FetchTimeout(f"{safe}: the server stopped answering (nothing for {limits.read_timeout:g} s)",
                                safe)
        if reading:
            return FetchError(f"{safe}: the connection broke while reading the answer", safe)
        if any(isinstance(e, http.client.RemoteDisconnected) for e in chain):
            return Unreachable(f"{safe}: the server closed the connection without answering", safe)
        if any(isinstance(e, http.client.HTTPException) for e in chain):
            return FetchError(f"{safe}: the server sent a malformed answer", safe)
        if isinstance(exc, requests.exceptions.ConnectionError | OSError):
            return Unreachable(f"{safe}: the connection failed ({type(exc).__name__})", safe)
        return FetchError(f"{safe}: fetch failed ({type(exc).__name__})", safe)


def _keep_validators(result: FetchResult, etag: str | None, last_modified: str | None) -> FetchResult:
    if result.etag or result.last_modified:
        return result
    return replace(result, etag=etag, last_modified=last_modified)
