"""The refresh's CPU work in a worker process (:mod:`reader.core.feeds.parsing`): the same articles as
parsing on the fetch threads, a parse that hangs is given up and its worker replaced, a worker that
dies leaves the work to this process, errors come back with their messages."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from reader.core.errors import ReaderError
from reader.core.feeds.errors import NotAFeed
from reader.core.feeds.http import HttpClient
from reader.core.feeds.parse import parse_feed
from reader.core.feeds.parsing import ParsePool
from reader.core.feeds.service import FeedService
from reader.core.models import ListFilter
from reader.core.storage import Library
from tests.core.feeds.conftest import FakeServer
from tests.helpers.feed_sites import serve_site


def _sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def _as_feed(data: bytes) -> object:
    return parse_feed(data, url="http://127.0.0.1/x", content_type="text/html")


def _pid() -> int:
    return os.getpid()


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickling calls Exception(*args): one argument
        super().__init__(f"odd failure {a}/{b}")


def _raise_odd() -> None:
    raise _Unpicklable(1, 2)


@pytest.fixture
def pool():
    p = ParsePool(workers=1, timeout=5)
    yield p
    p.close()


def _shapes(library: Library) -> list[tuple]:
    out = []
    for s in library.list_articles(ListFilter(archived=None)):
        a = library.get_article(s.id)
        out.append((a.url, a.title, a.lang, a.body, a.source, [(b.kind, b.start, b.end) for b in a.blocks],
                    [i.sha256 for i in a.images]))
    return sorted(out)


def test_refresh_through_the_worker_stores_what_the_threads_store(tmp_path: Path, server: FakeServer,
                                                                  client: HttpClient, pool: ParsePool) -> None:
    site = serve_site(server)
    got = []
    for name, parser in (("threads", None), ("worker", pool)):
        with Library(tmp_path / f"{name}.db") as lib:
            feed, result = FeedService(lib, client, parser=parser).add(site.page)
            assert result is not None and result.ok and result.new == 2
            got.append(_shapes(lib))
    assert got[0] == got[1]
    assert all(lang == "en" for _url, _t, lang, *_ in got[1])
    assert pool.run(_pid) != os.getpid()  # it really ran elsewhere


def test_errors_come_back_with_their_message(pool: ParsePool) -> None:
    with pytest.raises(NotAFeed):
        pool.run(_as_feed, b"<html><body><p>just a page</p></body></html>")
    with pytest.raises(ReaderError, match="odd failure 1/2"):
        pool.run(_raise_odd)
    assert pool.run(_sleep_then, 0, 7) == 7  # the worker is still there


def test_a_hanging_parse_is_given_up_and_the_worker_replaced() -> None:
    pool = ParsePool(workers=1, timeout=1.0)
    try:
        first = pool.run(_pid)
        t0 = time.monotonic()
        with pytest.raises(ReaderError, match="longer than 1 s"):
            pool.run(_sleep_then, 30, 1)
        assert time.monotonic() - t0 < 5
        assert pool.run(_sleep_then, 0, 2) == 2
        assert pool.run(_pid) not in (first, os.getpid())  # a fresh worker
    finally:
        pool.close()


def test_a_dead_worker_fails_only_its_input_and_is_replaced(pool: ParsePool) -> None:
    first = pool.run(_pid)
    assert first != os.getpid()
    with pytest.raises(ReaderError, match="parsing process stopped"):  # not tried again here
        pool.run(_die)
    assert pool.run(_pid) not in (first, os.getpid())  # a fresh worker
    assert pool.run(_sleep_then, 0, 3) == 3


def test_workers_that_keep_dying_leave_the_work_to_this_process() -> None:
    pool = ParsePool(workers=1, timeout=5)
    try:
        for _ in range(3):
            with pytest.raises(ReaderError):
                pool.run(_die)
        assert pool.run(_pid) == os.getpid()
    finally:
        pool.close()


def test_closing_does_not_wait_for_a_parse_still_running() -> None:
    pool = ParsePool(workers=1, timeout=60)
    assert pool.run(_pid) != os.getpid()
    import threading

    threading.Thread(target=lambda: _ignore(lambda: pool.run(_sleep_then, 30, 1)), daemon=True).start()
    time.sleep(0.5)  # the worker is in its 30 s "parse"
    t0 = time.monotonic()
    pool.close()
    assert time.monotonic() - t0 < 5
    assert pool.run(_sleep_then, 0, 4) == 4  # after close: here


def _ignore(fn) -> None:  # noqa: ANN001
    try:
        fn()
    except Exception:  # noqa: BLE001,S110 - the parse cut short by close
        pass
