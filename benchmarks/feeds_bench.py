"""Feeds benchmark (issue 12): refreshing many feeds from local servers through the real FeedService.

    python benchmarks/feeds_bench.py                      # 200 feeds x 50 entries (the issue's numbers)
    python benchmarks/feeds_bench.py --feeds 40 --entries 20

A separate process serves the feeds with ``http.server.ThreadingHTTPServer`` on ``--ports`` ports of
127.0.0.1 (each port is one "host" for the client's per-host limit of 2, like feeds on many sites).
Half the feeds carry only a one-line summary, so every entry's page is fetched and read by the HTML
importer (trafilatura); the other half carry the full text in ``content:encoded``. Entries are
~2.5 KB synthetic articles in five languages (``benchmarks/synthetic.py``); each page also links a
picture (a small PNG), fetched when the HTML importer reports pictures. Feeds send an ETag and
answer 304 to a matching If-None-Match.

Steps, on a fresh library: (1) the first refresh of every feed: wall time, articles stored,
articles/s, pages fetched; (2) a refresh where every feed answers 304 (target <= 5 s); (3) five
more refreshes with the validators cleared, so every feed is downloaded and parsed again (nothing
new is stored): the process's resident memory after each (it should stay flat). Prints a Markdown
table for the README. The GUI stall during a refresh is measured by ``benchmarks/gui_bench.py``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _rss_mb() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the server process ----------------------------------------------------------------------------
def _serve(ports: list[int], feeds: int, entries: int, ready: Any, stop: Any) -> None:
    from html import escape
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from synthetic import Generator

    from tests.helpers.feed_sites import png

    gen = Generator(seed=12)
    picture = png(16, 12)
    cache: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def count(key: str) -> None:
        with lock:
            counts[key] = counts.get(key, 0) + 1

    def article(feed: int, n: int) -> dict[str, object]:
        return gen.article(feed * 1000 + n, size=2500)

    def feed_doc(port: int, feed: int) -> bytes:
        key = f"feed-{feed}"
        if key not in cache:
            items = []
            for n in range(entries):
                art = article(feed, n)
                link = f"http://127.0.0.1:{port}/a/{feed}/{n}.html"
                if feed % 2 == 0:  # summary only: the page has the text
                    body = f"<description>{escape(str(art['paragraphs'][0])[:120])}…</description>"  # type: ignore[index]
                else:
                    html = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])  # type: ignore[attr-defined]
                    body = f"<description>short</description><content:encoded>{escape(html)}</content:encoded>"
                items.append(f"<item><guid>urn:{feed}:{n}</guid><title>{escape(str(art['title']))}</title>"
                             f"<link>{link}</link><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>{body}</item>")
            cache[key] = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
                          'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                          f"<title>Feed {feed}</title><link>http://127.0.0.1:{port}/</link>"
                          + "".join(items) + "</channel></rss>").encode()
        return cache[key]

    def page(feed: int, n: int) -> bytes:
        art = article(feed, n)
        paras = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])  # type: ignore[attr-defined]
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(str(art['title']))}</title>"
                "</head><body><nav><a href='/'>Home</a> <a href='/x'>Sections</a></nav><article>"
                f"<h1>{escape(str(art['title']))}</h1><img src='/pic/{feed}/{n}.png' alt='pic'>{paras}"
                "</article><footer>Copyright, privacy, cookies</footer></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            port = self.server.server_address[1]
            parts = self.path.strip("/").split("/")
            status, ctype, body, headers = 404, "text/plain", b"no", {}
            try:
                if parts[0] == "stats":
                    with lock:
                        status, body = 200, json.dumps(counts).encode()
                elif parts[0] == "feed":
                    feed = int(parts[1].split(".")[0])
                    etag = f'"f{feed}"'
                    count("feed")
                    if self.headers.get("If-None-Match") == etag:
                        status, body, headers = 304, b"", {"ETag": etag}
                        count("304")
                    else:
                        status, ctype, body, headers = 200, "application/rss+xml", feed_doc(port, feed), {"ETag": etag}
                elif parts[0] == "a":
                    count("page")
                    status, ctype, body = 200, "text/html; charset=utf-8", page(int(parts[1]), int(parts[2].split(".")[0]))
                elif parts[0] == "pic":
                    count("picture")
                    status, ctype, body = 200, "image/png", picture
            except (ValueError, IndexError):
                pass
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", ctype)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    servers = [Server(("127.0.0.1", port), Handler) for port in ports]
    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    ready.set()
    stop.wait()
    for srv in servers:
        srv.shutdown()


def _free_ports(count: int) -> list[int]:
    import socket

    socks, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--ports", type=int, default=25, help="servers ('hosts') the feeds are spread over")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from reader.core.feeds.http import HttpClient
    from reader.core.feeds.service import FeedService
    from reader.core.language import warm_up
    from reader.core.storage import Library

    ports = _free_ports(args.ports)
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    proc = multiprocessing.Process(target=_serve, args=(ports, args.feeds, args.entries, ready, stop),
                                   daemon=True)
    proc.start()
    ready.wait(60)
    folder = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    rows: list[tuple[str, str]] = []
    try:
        warm_up()
        library = Library(folder / "library.db")
        for i in range(args.feeds):
            port = ports[i % len(ports)]
            library.add_feed(f"http://127.0.0.1:{port}/feed/{i}.xml", title=f"Feed {i}")
        with HttpClient(trust_env=False) as client:
            service = FeedService(library, client)
            cpu0, start = time.process_time(), time.perf_counter()
            results = service.refresh()
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu0
            stored = library.article_count()
            failed = [r for r in results if not r.ok]
            rows.append(("first refresh: wall time", f"{wall:.1f} s ({cpu / wall * 100:.0f}% CPU of one core)"))
            rows.append(("articles stored", f"{stored:,} ({args.feeds} feeds x {args.entries} entries; "
                                            f"{len(failed)} feeds failed)"))
            rows.append(("articles/s", f"{stored / wall:.0f}"))
            counts = json.loads(client.fetch(f"http://127.0.0.1:{ports[0]}/stats").body)
            rows.append(("pages / pictures fetched", f"{counts.get('page', 0):,} / {counts.get('picture', 0):,}"))

            start = time.perf_counter()
            results = service.refresh()
            wall304 = time.perf_counter() - start
            not_modified = sum(r.not_modified for r in results)
            rows.append(("refresh, all answer 304", f"{wall304:.2f} s ({not_modified}/{len(results)} not modified)"))

            rss = [_rss_mb()]
            times = []
            for _ in range(args.repeats):
                with library.write() as conn:
                    conn.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
                start = time.perf_counter()
                service.refresh()
                times.append(time.perf_counter() - start)
                rss.append(_rss_mb())
            rows.append((f"{args.repeats} full re-downloads (nothing new)",
                         f"{min(times):.1f}-{max(times):.1f} s each"))
            rows.append(("resident memory before / after each",
                         " / ".join(f"{m:.0f}" for m in rss) + " MB"))
            rows.append(("articles after the repeats", f"{library.article_count():,}"))
        library.close()
    finally:
        stop.set()
        proc.join(10)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nFeeds benchmark: {args.feeds} feeds x {args.entries} entries, {args.ports} local servers, "
          f"{os.cpu_count()} cores\n")
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
