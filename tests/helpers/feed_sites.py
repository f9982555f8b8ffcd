"""Small web sites for the feeds tests, served by ``tests.core.feeds.conftest.FakeServer``.

* :func:`png` — a real PNG picture of a given size (zlib + struct, no imaging library);
* :func:`rss` / :func:`atom` — feed documents from ``(guid, title, link, summary, content)`` items;
* :func:`article_page` — a news page: navigation, the article (heading, paragraphs, a picture), footer;
* :func:`serve_site` — a site page that links its RSS feed, the feed (summary-only entries, ETag and
  Last-Modified, 304 on a matching conditional request), the article pages and their pictures;
* :class:`DeadServer` — a port that accepts connections and never answers.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from tests.helpers.pictures import png

NAV_WORDS = "Home Politics Sport Subscribe Login"
FOOTER_TEXT = "Copyright 2026 Example Daily. All rights reserved. Privacy policy. Cookie settings."

PARAGRAPHS = [
    "The city council voted on Tuesday to rebuild the old river bridge, ending a debate that had lasted "
    "for more than a decade and divided the neighbourhoods on both banks.",
    "Engineers told the council that the structure, opened in 1911, could no longer carry buses safely, and "
    "that repairs would cost almost as much as a new span with room for bicycles.",
    "Residents who spoke at the meeting were split: shop owners feared two years of closures, while parents "
    "said the narrow pavements had long been dangerous for children walking to school.",
    "The work is expected to begin next spring, with a temporary footbridge kept open throughout, and the "
    "council promised monthly public reports on the cost and the timetable of the project.",
]


@dataclass
class Item:
    guid: str
    title: str
    link: str
    summary: str = ""
    content: str | None = None
    date: str = "Tue, 01 Dec 2026 10:00:00 GMT"


def rss(title: str, items: Sequence[Item], *, site: str = "http://example.invalid/") -> bytes:
    """An RSS 2.0 document (``content:encoded`` when an item has content)."""
    parts = [f"<item><guid>{escape(i.guid)}</guid><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
             f"<pubDate>{i.date}</pubDate><description>{escape(i.summary)}</description>"
             + (f"<content:encoded>{escape(i.content)}</content:encoded>" if i.content is not None else "")
             + "</item>" for i in items]
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{escape(title)}</title><link>{escape(site)}</link><description>news</description>"
            + "".join(parts) + "</channel></rss>").encode("utf-8")


def atom(title: str, items: Sequence[Item]) -> bytes:
    """An Atom 1.0 document."""
    parts = [f'<entry><id>{escape(i.guid)}</id><title>{escape(i.title)}</title><link href="{escape(i.link)}"/>'
             f"<updated>2026-12-01T10:00:00Z</updated><summary>{escape(i.summary)}</summary>"
             + (f'<content type="html">{escape(i.content)}</content>' if i.content is not None else "")
             + "</entry>" for i in items]
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:x</id><updated>2026-12-01T10:00:00Z</updated>"
            + "".join(parts) + "</feed>").encode("utf-8")


def article_page(heading: str, paragraphs: Sequence[str], picture: str | None = None) -> bytes:
    """A news page with navigation and a footer around the article."""
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV_WORDS.split())
    figure = f'<figure><img src="{picture}" alt="the bridge"><figcaption>The old bridge</figcaption></figure>' \
        if picture else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(heading)} | Example "
            f"Daily</title></head><body><header><nav><ul>{nav}</ul></nav></header><main><article>"
            f"<h1>{escape(heading)}</h1>{figure}{body}</article></main><footer><p>{FOOTER_TEXT}</p>"
            "</footer></body></html>").encode()


@dataclass
class Site:
    """What :func:`serve_site` registered: URLs and the paths of the article pages and pictures."""

    page: str
    feed: str
    feed_path: str
    links: list[str]
    page_paths: list[str]
    picture_paths: list[str]
    etag: str = '"v1"'
    last_modified: str = "Tue, 01 Dec 2026 10:00:00 GMT"
    state: dict[str, Any] = field(default_factory=dict)


def serve_site(server: Any, prefix: str = "/site", *, count: int = 2, title: str = "Example Daily") -> Site:
    """A site at ``prefix/`` whose page links an RSS feed of ``count`` summary-only entries."""
    from tests.core.feeds.conftest import Reply

    feed_path = f"{prefix}/feed.xml"
    links, pages, pictures, items = [], [], [], []
    for n in range(1, count + 1):
        page_path, pic_path = f"{prefix}/story-{n}.html", f"{prefix}/pic-{n}.png"
        link = server.url(page_path)
        server.route(page_path, Reply(body=article_page(f"Story {n}: the bridge", [f"Story {n}."] + PARAGRAPHS,
                                                        picture=f"pic-{n}.png"), content_type="text/html; charset=utf-8"))
        server.route(pic_path, Reply(body=png(4 + n, 3), content_type="image/png"))
        links.append(link)
        pages.append(page_path)
        pictures.append(pic_path)
        items.append(Item(f"urn:story:{n}", f"Story {n}: the bridge", link, summary=f"Story {n} in short… Read more"))
    site = Site(page=server.url(f"{prefix}/"), feed=server.url(feed_path), feed_path=feed_path, links=links,
                page_paths=pages, picture_paths=pictures)
    body = rss(title, items, site=site.page)

    def feed_reply(seen: Any) -> Reply:
        if seen.headers.get("if-none-match") == site.etag:
            return Reply(status=304, body=b"", headers={"ETag": site.etag})
        return Reply(body=body, content_type="application/rss+xml",
                     headers={"ETag": site.etag, "Last-Modified": site.last_modified})

    server.route(feed_path, feed_reply)
    server.route(f"{prefix}/", Reply(
        body=(f'<!doctype html><html><head><title>{title}</title><link rel="alternate" '
              f'type="application/rss+xml" title="{title} RSS" href="feed.xml"></head>'
              "<body><h1>Welcome</h1></body></html>").encode(), content_type="text/html"))
    return site


class DeadServer:
    """A listening socket that never accepts: connections complete (the kernel's backlog), nothing
    is ever answered. Use as a context manager; ``url(path)``."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> DeadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
