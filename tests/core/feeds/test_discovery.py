"""Feed discovery against sites served on 127.0.0.1: links in the page, then common paths."""

from __future__ import annotations

import pytest

from reader.core.feeds.discovery import discover, find_feed_links, probe_urls
from reader.core.feeds.errors import FetchTimeout, NoFeedFound
from reader.core.feeds.http import HttpClient

from .conftest import FakeServer, Reply

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Site Feed</title>
<link>http://site.example/</link><item><title>Post</title><link>http://site.example/p</link></item></channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Feed</title>
<id>x</id><entry><title>e</title><id>e</id></entry></feed>"""

PAGE = b"""<!DOCTYPE html><html><head><title>My site</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="feed.xml">
<link rel="alternate" type="application/atom+xml" title="  Comments   feed " href="/comments/atom">
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<link rel="alternate" type="application/feed+json" href="https://json.example/feed.json">
<link rel="alternate" type="text/html" hreflang="ro" href="/ro/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="ALTERNATE FEED" type="Application/RSS+XML; charset=utf-8" href="/upper">
</head><body><p>Hello</p></body></html>"""


def test_links_in_the_page_are_found_resolved_and_deduplicated() -> None:
    found = find_feed_links(PAGE, "http://site.example/blog/index.html")
    assert [(c.url, c.kind, c.title, c.source) for c in found] == [
        ("http://site.example/blog/feed.xml", "rss", "Posts", "link"),
        ("http://site.example/comments/atom", "atom", "Comments feed", "link"),
        ("https://json.example/feed.json", "json", None, "link"),
        ("http://site.example/upper", "rss", None, "link"),
    ]


def test_base_href_is_honoured() -> None:
    page = b'<html><head><base href="http://cdn.example/root/"><link rel="alternate" ' \
           b'type="application/atom+xml" href="atom.xml"></head></html>'
    assert [c.url for c in find_feed_links(page, "http://site.example/x")] == ["http://cdn.example/root/atom.xml"]


def test_a_page_without_links_names_nothing() -> None:
    assert find_feed_links(b"<html><head><title>x</title></head><body><a href='/feed'>feed</a></body></html>",
                           "http://site.example/") == []
    assert find_feed_links(b"\xff\xfe<<<<not html", "http://site.example/") == []


def test_probe_order_is_next_to_the_page_then_the_root() -> None:
    urls = probe_urls("http://site.example/blog/post.html?x=1")
    assert urls[0] == "http://site.example/blog/feed" and "http://site.example/blog/feed.json" in urls
    assert urls.index("http://site.example/feed") > urls.index("http://site.example/blog/index.xml")
    assert probe_urls("http://site.example/")[:2] == ["http://site.example/feed", "http://site.example/rss"]


def test_discover_a_site_page_that_links_its_feed(server: FakeServer, client: HttpClient) -> None:
    server.route("/site/", Reply(body=PAGE, content_type="text/html; charset=utf-8"))
    found = discover(server.url("/site/"), client)
    assert found[0].url == server.url("/site/feed.xml") and found[0].source == "link"
    assert len(server.seen) == 1  # links found: nothing probed


def test_discover_an_address_that_is_already_a_feed(server: FakeServer, client: HttpClient) -> None:
    server.route("/old", Reply(301, headers={"Location": "/feed.rss"}))
    server.route("/feed.rss", Reply(body=RSS, content_type="application/rss+xml"))
    (found,) = discover(server.url("/old"), client)
    assert (found.url, found.title, found.kind, found.source) == (server.url("/feed.rss"), "Site Feed", "rss",
                                                                  "direct")
    assert "application/rss+xml" in server.seen[0].headers["accept"]


def test_discover_probes_common_paths_when_the_page_links_none(server: FakeServer, client: HttpClient) -> None:
    page = b"<html><head><title>Bare</title></head><body>hi</body></html>"
    server.route("/", Reply(body=page, content_type="text/html"))
    server.route("/rss", Reply(body=b"<html>not a feed, a page</html>", content_type="text/html"))
    server.route("/atom.xml", Reply(body=ATOM, content_type="application/atom+xml"))
    server.route("/feed.xml", Reply(body=RSS))
    (found,) = discover(server.url("/"), client)
    assert (found.url, found.kind, found.source, found.title) == (server.url("/atom.xml"), "atom", "probe",
                                                                  "Atom Feed")
    assert [s.path for s in server.seen] == ["/", "/feed", "/rss", "/atom.xml"]  # stops at the first feed


def test_discover_finds_nothing_in_one_line(server: FakeServer, client: HttpClient) -> None:
    server.route("/shop/", Reply(body=b"<html><body>no feeds</body></html>", content_type="text/html"))
    with pytest.raises(NoFeedFound) as info:
        discover(server.url("/shop/"), client)
    assert "no feed found" in str(info.value) and "\n" not in str(info.value)
    assert len(server.seen) == 1 + 14  # the page, 7 paths next to it, 7 at the root
    with pytest.raises(NoFeedFound):
        discover(server.url("/shop/"), client, probe=False)


def test_discover_reports_a_dead_site(server: FakeServer, client: HttpClient) -> None:
    server.route("/dead/", Reply(hang=True))
    with pytest.raises(FetchTimeout):
        discover(server.url("/dead/"), client)
