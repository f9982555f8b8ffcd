"""A real HTTP server on 127.0.0.1 for the feeds tests, and a client with small bounds.

``server.route(path, reply)`` registers what a path answers: a :class:`Reply` (status, headers, body,
and misbehaviour: ``delay`` before answering, ``dribble`` seconds per body byte, ``hang`` = accept and
never answer) or a function of the :class:`Seen` request returning one. Every request is recorded in
``server.seen``. Unknown paths answer 404. Hanging and dribbling handlers end when the test ends.

The ``client`` fixture has read timeout 0.5 s, deadline 3 s and fast backoff, so the folder runs in
seconds; it ignores proxy variables (nothing may leave 127.0.0.1). A test that leaves a fetch
watchdog thread running fails.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reader.core.feeds.http import FetchLimits, HttpClient


@dataclass
class Reply:
    """What the fake server sends for one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/xml"
    delay: float = 0.0            # seconds before the status line
    dribble: float | None = None  # seconds between body bytes (one byte per write)
    hang: bool = False            # read the request, then never answer
    length: bool = True           # send Content-Length (else close-delimited)
    raw: bytes | None = None      # send these bytes as the whole answer (status line included), then close


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    at: float


Route = Reply | Callable[[Seen], Reply]


class FakeServer:
    """ThreadingHTTPServer on port 0 with per-test routes (see the module doc)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # an idle keep-alive connection ends after a second: its thread is gone before the
            # tests' leaked-thread check (2 s) even when the client is closed late (a loaded machine)
            timeout = 1.0

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with outer.lock:
                    outer.seen.append(seen)
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                try:
                    outer._answer(self, seen)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
                    self.close_connection = True
                finally:
                    with outer.lock:
                        outer.in_flight -= 1

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, reply: Route) -> str:
        """Register ``reply`` for ``path`` (query included if given); returns the full URL."""
        self.routes[path] = reply
        return self.url(path)

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        route = self.routes.get(seen.path) or self.routes.get(seen.path.split("?", 1)[0])
        if route is None:
            reply = Reply(404, b"not found", content_type="text/plain")
        else:
            reply = route(seen) if callable(route) else route
        if reply.hang:
            self.stop.wait(30)
            handler.close_connection = True
            return
        if reply.delay:
            self.stop.wait(reply.delay)
        if reply.raw is not None:
            handler.close_connection = True
            self._write(handler, reply.raw, reply.dribble)
            return
        handler.send_response(reply.status)
        if reply.content_type:
            handler.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.length:
            handler.send_header("Content-Length", str(len(reply.body)))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if reply.dribble is not None:
            handler.close_connection = True
        self._write(handler, reply.body, reply.dribble)

    def _write(self, handler: BaseHTTPRequestHandler, data: bytes, dribble: float | None) -> None:
        if dribble is None:
            handler.wfile.write(data)
            handler.wfile.flush()
            return
        for index in range(len(data)):
            if self.stop.is_set():
                break
            handler.wfile.write(data[index:index + 1])
            handler.wfile.flush()
            self.stop.wait(dribble)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    fake.start()
    try:
        yield fake
    finally:
        fake.close()


SMALL_LIMITS = FetchLimits(connect_timeout=0.5, read_timeout=0.5, deadline=3.0, max_bytes=1024 * 1024,
                           max_redirects=5, max_retries=2, backoff_base=0.05, backoff_cap=0.2,
                           max_retry_after=2.0, per_host=2, host_wait=5.0)


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(SMALL_LIMITS, trust_env=False) as http_client:
        yield http_client


@pytest.fixture(autouse=True)
def _no_watchdog_left() -> Iterator[None]:
    yield
    left = [t for t in threading.enumerate() if t.name == "fetch-watchdog" and t.is_alive()]
    assert not left, f"{len(left)} fetch watchdog thread(s) still running after the test"
