"""The HTTP client against a real server on 127.0.0.1: bounds, redirects, compression, retries, limits.

Each test would fail without the feature it names: a client without the watchdog waits for the
dribbler for minutes, one without a decoded-size cap inflates the bomb to gigabytes, and so on.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from datetime import UTC, datetime

import pytest

import reader
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
from reader.core.feeds.http import USER_AGENT, FetchLimits, HttpClient, parse_retry_after, split_content_type

from .conftest import SMALL_LIMITS, FakeServer, Reply, Seen


# --- plain answers -------------------------------------------------------------------------------
def test_get_returns_body_headers_and_sends_an_honest_user_agent(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/feed", Reply(body=b"<rss/>", content_type="application/rss+xml; charset=ISO-8859-1",
                                      headers={"ETag": '"v1"', "X-Thing": "yes"}))
    result = client.fetch(url)
    assert result.status == 200 and result.body == b"<rss/>" and not result.not_modified
    assert result.url == url and result.redirects == () and result.permanent_url is None
    assert result.content_type == "application/rss+xml" and result.charset == "iso-8859-1"
    assert result.etag == '"v1"' and result.headers["x-thing"] == "yes"
    assert 0 < result.elapsed < 2
    sent = server.seen[0].headers
    assert sent["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith(f"PolyglotReader/{reader.__version__} (+https://")
    assert sent["accept-encoding"] == "gzip, deflate"


def test_only_http_and_https_addresses_are_fetched(server: FakeServer, client: HttpClient) -> None:
    for bad in ("ftp://127.0.0.1/x", "file:///etc/passwd", "http://", "javascript:alert(1)", "not a url",
                f"http://127.0.0.1:{server.port}:99/"):
        with pytest.raises(BadURL):
            client.fetch(bad)
    assert server.seen == []


def test_a_closed_port_is_unreachable(client: HttpClient) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(Unreachable, match="refused"):
        client.fetch(f"http://127.0.0.1:{port}/feed")


def test_error_status_is_not_retried(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/gone", Reply(404, b"no"))
    with pytest.raises(HTTPStatusError) as info:
        client.fetch(url)
    assert info.value.status == 404 and "404" in str(info.value) and "\n" not in str(info.value)
    assert len(server.requests_to("/gone")) == 1


# --- timeouts and the deadline --------------------------------------------------------------------
def test_a_server_that_accepts_and_never_answers_times_out(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/hang", Reply(hang=True))
    start = time.monotonic()
    with pytest.raises(FetchTimeout):
        client.fetch(url)
    assert time.monotonic() - start < 1.5  # read timeout 0.5 s


def test_a_body_dribbled_a_byte_at_a_time_is_cut_at_the_deadline(server: FakeServer, client: HttpClient) -> None:
    # 0.2 s between bytes never trips the 0.5 s read timeout; only the deadline can end this (~20 s otherwise)
    url = server.route("/drip", Reply(body=b"x" * 100, dribble=0.2))
    start = time.monotonic()
    with pytest.raises(FetchTimeout, match="within 1 s"):
        client.fetch(url, deadline=1.0)
    assert time.monotonic() - start < 1.6


def test_headers_dribbled_a_byte_at_a_time_are_cut_at_the_deadline(server: FakeServer,
                                                                   client: HttpClient) -> None:
    raw = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"y" * 20) for i in range(50)) + b"\r\nok"
    url = server.route("/drip-headers", Reply(raw=raw, dribble=0.1))
    start = time.monotonic()
    with pytest.raises(FetchTimeout):
        client.fetch(url, deadline=1.0)
    assert time.monotonic() - start < 1.6


def test_a_slow_server_within_the_limits_is_fine(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/slow", Reply(body=b"abc" * 10, delay=0.3, dribble=0.01))
    assert client.fetch(url).body == b"abc" * 10


def test_cancel_stops_a_blocked_read_promptly(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/hang", Reply(hang=True))
    cancel = threading.Event()
    threading.Timer(0.15, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(FetchCancelled):
        client.fetch(url, cancel=cancel, deadline=3.0)
    assert time.monotonic() - start < 0.45  # well before the 0.5 s read timeout


def test_a_hanging_server_does_not_hold_up_other_fetches(server: FakeServer, client: HttpClient) -> None:
    hang = server.route("/hang", Reply(hang=True))
    quick = server.route("/quick", Reply(body=b"ok"))
    errors: list[Exception] = []

    def stuck() -> None:
        try:
            client.fetch(hang)
        except FetchError as exc:
            errors.append(exc)

    worker = threading.Thread(target=stuck)
    worker.start()
    time.sleep(0.05)
    start = time.monotonic()
    assert client.fetch(quick).body == b"ok"
    assert time.monotonic() - start < 0.3
    worker.join(3)
    assert len(errors) == 1 and isinstance(errors[0], FetchTimeout)


def test_a_body_cut_short_is_an_error_not_a_short_success(server: FakeServer, client: HttpClient) -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\r\n<rss>short"
    url = server.route("/short", Reply(raw=raw))
    with pytest.raises(FetchError, match="broke"):
        client.fetch(url)


# --- size caps and compression --------------------------------------------------------------------
def test_a_declared_length_over_the_cap_is_refused_before_reading(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/big", Reply(body=b"x" * (SMALL_LIMITS.max_bytes + 1)))
    with pytest.raises(ResponseTooLarge):
        client.fetch(url)
    assert client.fetch(url, max_bytes=SMALL_LIMITS.max_bytes + 1).body.startswith(b"xxx")


def test_an_undeclared_length_over_the_cap_is_stopped_while_streaming(server: FakeServer,
                                                                      client: HttpClient) -> None:
    url = server.route("/big", Reply(body=b"x" * (3 * SMALL_LIMITS.max_bytes), length=False))
    with pytest.raises(ResponseTooLarge):
        client.fetch(url)


def test_gzip_and_both_kinds_of_deflate_are_decoded(server: FakeServer, client: HttpClient) -> None:
    text = "<rss>Привет, ăîșț</rss>".encode() * 200
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    cases = {
        "/gz": (gzip.compress(text), "gzip"),
        "/two-members": (gzip.compress(text[:1000]) + gzip.compress(text[1000:]), "gzip"),
        "/zlib": (zlib.compress(text), "deflate"),
        "/raw": (raw_deflate.compress(text) + raw_deflate.flush(), "deflate"),
        "/x-gzip": (gzip.compress(text), "x-gzip"),
    }
    for path, (body, encoding) in cases.items():
        server.route(path, Reply(body=body, headers={"Content-Encoding": encoding}))
        assert client.fetch(server.url(path)).body == text, path


def test_damaged_or_unknown_compression_is_one_clear_error(server: FakeServer, client: HttpClient) -> None:
    damaged = bytearray(gzip.compress(b"<rss>" * 1000))
    damaged[20:40] = b"\xff" * 20
    server.route("/damaged", Reply(body=bytes(damaged), headers={"Content-Encoding": "gzip"}))
    server.route("/br", Reply(body=b"\x0b\x02\x80hi\x03", headers={"Content-Encoding": "br"}))
    with pytest.raises(ContentDecodingError, match="damaged"):
        client.fetch(server.url("/damaged"))
    with pytest.raises(ContentDecodingError, match="br"):
        client.fetch(server.url("/br"))


def _gzip_bomb(target_size: int) -> tuple[bytes, int]:
    """A single gzip member of ~target_size bytes inflating to ~1000x that (1 MiB of zeros per block)."""
    block = bytes(1024 * 1024)
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    segment = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    assert segment == comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)  # a full flush resets the state
    count = (target_size - len(first)) // len(segment)
    return first + segment * count, (count + 1) * len(block)


def test_a_gzip_bomb_is_refused_fast_and_small(server: FakeServer) -> None:
    bomb, inflated = _gzip_bomb(10 * 1000 * 1000)
    cap = 10 * 1024 * 1024
    assert len(bomb) < cap and inflated > 9 * 1024 ** 3  # 10 MB on the wire, > 9 GiB once inflated
    url = server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    with HttpClient(FetchLimits(read_timeout=2, deadline=10, max_bytes=cap), trust_env=False) as big_client:
        tracemalloc.start()
        start = time.monotonic()
        try:
            with pytest.raises(ResponseTooLarge, match="bomb"):
                big_client.fetch(url)
            elapsed = time.monotonic() - start
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 50 * 1024 * 1024, peak


# --- redirects ------------------------------------------------------------------------------------
def test_redirects_are_followed_and_reported(server: FakeServer, client: HttpClient) -> None:
    server.route("/old", Reply(301, headers={"Location": "/older"}))
    server.route("/older", Reply(308, headers={"Location": f"http://127.0.0.1:{server.port}/new"}))
    server.route("/new", Reply(body=b"<rss/>"))
    server.route("/temp", Reply(302, headers={"Location": "new"}))
    moved = client.fetch(server.url("/old"))
    assert moved.body == b"<rss/>" and moved.url == server.url("/new")
    assert moved.redirects == ((301, server.url("/older")), (308, server.url("/new")))
    assert moved.permanent_url == server.url("/new")
    temp = client.fetch(server.url("/temp"))
    assert temp.url == server.url("/new") and temp.permanent_url is None


def test_at_most_five_redirects(server: FakeServer, client: HttpClient) -> None:
    for i in range(7):
        server.route(f"/r{i}", Reply(302, headers={"Location": f"/r{i + 1}"}))
    server.route("/r7", Reply(body=b"end"))
    server.route("/five", Reply(302, headers={"Location": "/r3"}))  # r3..r7: 4 more hops, 5 in all
    assert client.fetch(server.url("/five")).body == b"end"
    server.seen.clear()
    with pytest.raises(RedirectError, match="more than 5"):
        client.fetch(server.url("/r0"))
    assert [s.path for s in server.seen] == ["/r0", "/r1", "/r2", "/r3", "/r4", "/r5"]


def test_the_body_of_a_redirect_is_never_read(server: FakeServer, client: HttpClient) -> None:
    # requests itself would read (and inflate) a 3xx body before handing the answer over
    bomb, _ = _gzip_bomb(2 * 1000 * 1000)
    server.route("/moved-bomb", Reply(302, body=bomb, headers={"Location": "/dest", "Content-Encoding": "gzip"}))
    server.route("/moved-drip", Reply(302, body=b"x" * 100, dribble=0.2, headers={"Location": "/dest"}))
    server.route("/dest", Reply(body=b"here"))
    tracemalloc.start()
    start = time.monotonic()
    try:
        assert client.fetch(server.url("/moved-bomb")).body == b"here"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert client.fetch(server.url("/moved-drip")).body == b"here"
    assert time.monotonic() - start < 1.0
    assert peak < 20 * 1024 * 1024, peak


def test_redirect_loops_and_foreign_schemes_are_refused(server: FakeServer, client: HttpClient) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    server.route("/file", Reply(302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(RedirectError, match="loop"):
        client.fetch(server.url("/a"))
    assert len(server.requests_to("/a")) == 1
    with pytest.raises(RedirectError, match="not http"):
        client.fetch(server.url("/file"))


# --- conditional GET ------------------------------------------------------------------------------
def test_conditional_get_sends_validators_and_reports_304(server: FakeServer, client: HttpClient) -> None:
    etag, modified = '"abc123"', "Wed, 21 Oct 2026 07:28:00 GMT"

    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == etag or seen.headers.get("if-modified-since") == modified:
            return Reply(304, content_type=None)  # no validators repeated: the client keeps its own
        return Reply(body=b"<rss/>", headers={"ETag": etag, "Last-Modified": modified})

    url = server.route("/feed", feed)
    first = client.fetch(url)
    assert first.etag == etag and first.last_modified == modified and not first.not_modified
    again = client.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == etag and again.last_modified == modified
    sent = server.seen[-1].headers
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == modified
    assert "if-none-match" not in server.seen[0].headers


# --- 429 / 503, Retry-After, backoff --------------------------------------------------------------
def test_retry_after_seconds_is_obeyed(server: FakeServer, client: HttpClient) -> None:
    calls: list[float] = []

    def limited(seen: Seen) -> Reply:
        calls.append(seen.at)
        if len(calls) == 1:
            return Reply(429, headers={"Retry-After": "1"})
        return Reply(body=b"ok")

    url = server.route("/limited", limited)
    assert client.fetch(url).body == b"ok"
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.95


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/busy", Reply(503, headers={"Retry-After": "3600"}))
    start = time.monotonic()
    with pytest.raises(ServerBusy) as info:
        client.fetch(url)
    assert time.monotonic() - start < 0.5
    assert info.value.status == 503 and info.value.retry_after == 3600
    assert len(server.requests_to("/busy")) == 1


def test_backoff_grows_and_gives_up_after_the_retries(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/flaky", Reply(503))
    with pytest.raises(ServerBusy):
        client.fetch(url)
    times = [s.at for s in server.requests_to("/flaky")]
    assert len(times) == SMALL_LIMITS.max_retries + 1
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[1] > gaps[0]  # 0.05 s, then 0.1 s


def test_retry_after_parsing() -> None:
    now = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 02 Dec 2026 12:00:30 GMT", now) == 30
    assert parse_retry_after("Wed, 02 Dec 2026 11:00:00 GMT", now) == 0  # in the past: at once
    assert parse_retry_after("soon") is None and parse_retry_after("") is None and parse_retry_after("-5") is None


def test_content_type_splitting() -> None:
    assert split_content_type('text/xml; Charset="Windows-1251"') == ("text/xml", "windows-1251")
    assert split_content_type("application/atom+xml") == ("application/atom+xml", None)
    assert split_content_type(None) == (None, None)


# --- per-host limit -------------------------------------------------------------------------------
def test_at_most_two_requests_in_flight_per_host(server: FakeServer, client: HttpClient) -> None:
    url = server.route("/slow", Reply(body=b"ok", delay=0.25))
    results: list[bytes] = []
    # deadline 0.6 s: the last pair waits 0.5 s for a slot, which must not count against its deadline
    workers = [threading.Thread(target=lambda: results.append(client.fetch(url, deadline=0.6).body))
               for _ in range(6)]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(5)
    assert results == [b"ok"] * 6
    assert server.max_in_flight == 2
    assert time.monotonic() - start >= 0.7  # three rounds of two
