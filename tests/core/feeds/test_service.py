"""FeedService against real HTTP servers on 127.0.0.1 and a real library file: the issue's done-whens
that are not the window (site discovery and full text, 304, OPML with a dead server, saved links,
hostile feeds, backoff, updated entries re-anchoring highlights, de-duplication, pruning)."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.core.feeds.errors import NoFeedFound, OpmlError
from reader.core.feeds.http import FetchLimits, HttpClient
from reader.core.feeds.opml import read_opml
from reader.core.feeds.service import FeedService
from reader.core.library_ops import Annotations
from reader.core.models import FeedRefresh, LanguageGuess, ListFilter, ParsedArticle
from reader.core.storage import Library
from tests.core.feeds.conftest import FakeServer, Reply
from tests.helpers.feed_sites import (
    FOOTER_TEXT,
    PARAGRAPHS,
    DeadServer,
    Item,
    article_page,
    atom,
    rss,
    serve_site,
)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "library.db")
    yield lib
    lib.close()


@pytest.fixture
def service(library: Library, client: HttpClient) -> FeedService:
    return FeedService(library, client)


def _articles(library: Library) -> list:
    return [library.get_article(s.id) for s in library.list_articles(ListFilter(archived=None))]


# --- the first done-when ---------------------------------------------------------------------
def test_site_page_subscribes_and_summary_entries_come_with_their_pages_full_text(
        service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    feed, result = service.add(site.page)
    assert feed.url == site.feed and feed.title == "Example Daily" and feed.site_url == site.page
    assert result == FeedRefresh(feed.id, "Example Daily", ok=True, new=2)
    articles = sorted(_articles(library), key=lambda a: a.url)
    assert [a.url for a in articles] == site.links  # url = entry link
    for n, article in enumerate(articles, 1):
        assert article.title == f"Story {n}: the bridge"
        assert article.source == "Example Daily" and article.feed_id == feed.id
        assert article.published == "2026-12-01"
        for paragraph in PARAGRAPHS:  # the page's text, not the feed's "in short…" teaser
            assert paragraph in article.body
        assert "in short" not in article.body
        assert FOOTER_TEXT not in article.body and "Subscribe" not in article.body  # no footer, no nav
        assert article.lang == "en"
    for path in site.page_paths:
        assert len(server.requests_to(path)) == 1
    assert library.get_feed(feed.id).unread == 2


def test_second_refresh_is_conditional_gets_304_fetches_no_page_adds_nothing(
        service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    feed, _ = service.add(site.page)
    before = len(server.seen)
    results = service.refresh()
    assert results == [FeedRefresh(feed.id, "Example Daily", ok=True, not_modified=True)]
    again = server.seen[before:]
    assert [s.path for s in again] == [site.feed_path]  # the feed only: no article page, no picture
    assert again[0].headers["if-none-match"] == site.etag
    assert again[0].headers["if-modified-since"] == site.last_modified
    assert library.article_count() == 2
    assert library.get_feed(feed.id).last_ok is not None


def test_entries_with_full_content_are_not_fetched_again_in_auto_mode(
        service: FeedService, library: Library, server: FakeServer) -> None:
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    url = server.route("/full.atom", Reply(body=atom("Full Feed", [
        Item("urn:a", "Complete story", server.url("/never-fetched.html"), summary="x", content=content)]),
        content_type="application/atom+xml"))
    feed, result = service.add(url)
    assert result is not None and result.new == 1
    assert server.requests_to("/never-fetched.html") == []
    (article,) = _articles(library)
    assert PARAGRAPHS[2] in article.body and article.url == server.url("/never-fetched.html")


def test_full_text_never_keeps_the_summary_and_always_fetches(
        service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    feed, result = service.add(site.feed, full_text="never")
    assert result is not None and result.new == 2
    assert all(server.requests_to(p) == [] for p in site.page_paths)
    assert all("in short" in a.body for a in _articles(library))


# --- updates, de-duplication --------------------------------------------------------------------------
def test_an_updated_entry_updates_its_article_and_reanchors_the_highlight(
        service: FeedService, library: Library, server: FakeServer) -> None:
    def feed_body(paragraphs: list[str]) -> bytes:
        return rss("Updates", [Item("urn:u", "Bridge vote", server.url("/u.html"), summary="s",
                                    content="".join(f"<p>{p}</p>" for p in paragraphs))])

    url = server.route("/u.xml", Reply(body=feed_body(PARAGRAPHS), content_type="application/rss+xml"))
    feed, _ = service.add(url, full_text="never")
    (article,) = _articles(library)
    quote = "could no longer carry buses safely"
    highlight, _ = Annotations(library).add_highlight_by_quote(article.id, quote, note="key point")
    correction = "Correction: an earlier version of this story gave the wrong year for the bridge's opening."
    server.route("/u.xml", Reply(body=feed_body([correction, *PARAGRAPHS]), content_type="application/rss+xml"))
    (result,) = service.refresh()
    assert (result.new, result.updated) == (0, 1)
    updated = library.get_article(article.id)
    assert updated.body.startswith(correction)
    (moved,) = Annotations(library).highlights_for_article(article.id)
    assert moved.id == highlight.id and not moved.orphaned and moved.note == "key point"
    assert updated.body[moved.start:moved.end] == quote and moved.start > highlight.start
    (again,) = service.refresh()  # unchanged now: nothing updated
    assert (again.new, again.updated) == (0, 0)


def test_one_story_in_two_feeds_is_one_article(service: FeedService, library: Library, server: FakeServer) -> None:
    page = server.route("/shared.html", Reply(body=article_page("Shared", PARAGRAPHS), content_type="text/html"))
    copy = server.route("/mirror.html", Reply(body=article_page("Shared", PARAGRAPHS), content_type="text/html"))
    a = server.route("/a.xml", Reply(body=rss("A", [Item("a-1", "Shared", page, summary="short…")])))
    b = server.route("/b.xml", Reply(body=rss("B", [Item("b-9", "Shared", page, summary="other short…")])))
    c = server.route("/c.xml", Reply(body=rss("C", [Item("c-1", "Shared", copy, summary="third…")])))
    service.add(a)
    service.add(b)  # same link: linked to the article, the page is not fetched again
    service.add(c)  # another link, same text: de-duplicated by content
    assert library.article_count() == 1
    assert len(server.requests_to("/shared.html")) == 1
    state = library.entry_state([1, 2, 3])
    (article_id,) = {v[1] for s in state.values() for v in s.values()}
    assert library.get_article(article_id).feed_id == 1


def test_a_deleted_article_does_not_come_back(service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    service.add(site.feed, full_text="never")
    first = library.list_articles()[0]
    library.delete_articles([first.id])
    site.etag = '"v2"'  # the server no longer answers 304: every entry is read again
    (result,) = service.refresh()
    assert result.new == 0 and library.article_count() == 1


# --- failures, backoff, hostile input -------------------------------------------------------------------
def test_429_with_retry_after_is_recorded_and_respected(
        service: FeedService, library: Library, server: FakeServer) -> None:
    url = server.route("/busy.xml", Reply(429, b"slow down", headers={"Retry-After": "7200"}, content_type="text/plain"))
    feed = library.add_feed(url)
    (result,) = service.refresh()
    assert not result.ok and "429" in (result.error or "") and "\n" not in (result.error or "")
    stored = library.get_feed(feed.id)
    assert stored.failures == 1 and stored.last_error == result.error and stored.last_ok is None
    retry_at = datetime.strptime(stored.retry_at or "", "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert retry_at >= datetime.now(UTC) + timedelta(seconds=7200 - 30)
    before = len(server.seen)
    assert service.refresh(due_only=True) == []  # not due: nothing fetched
    assert len(server.seen) == before


def test_5xx_failures_back_off_more_each_time_and_success_resets(
        service: FeedService, library: Library, server: FakeServer) -> None:
    url = server.route("/down.xml", Reply(500, b"oops", content_type="text/plain"))
    feed = library.add_feed(url)
    waits = []
    for _ in range(3):
        service.refresh()
        stored = library.get_feed(feed.id)
        at = datetime.strptime(stored.retry_at or "", "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        waits.append((at - datetime.now(UTC)).total_seconds())
    assert library.get_feed(feed.id).failures == 3
    assert 3400 < waits[0] < 3700 and 7000 < waits[1] < 7300 and 14200 < waits[2] < 14500
    server.route("/down.xml", Reply(body=rss("Back", [Item("1", "t", server.url("/x"), summary="hello")])))
    (result,) = service.refresh()
    stored = library.get_feed(feed.id)
    assert result.ok and stored.failures == 0 and stored.last_error is None and stored.retry_at is None


def test_a_document_that_is_not_a_feed_is_refused_in_one_line(
        service: FeedService, library: Library, server: FakeServer) -> None:
    page = server.route("/plain/", Reply(body=b"<html><body><p>No feeds here</p></body></html>", content_type="text/html"))
    with pytest.raises(NoFeedFound) as caught:
        service.add(page)
    assert "\n" not in str(caught.value) and "no feed found" in str(caught.value)
    assert library.list_feeds() == []
    url = server.route("/was-a-feed.xml", Reply(body=b"<html><body>moved</body></html>", content_type="text/html"))
    library.add_feed(url)
    (result,) = service.refresh()
    assert not result.ok and "\n" not in (result.error or "") and "feed" in (result.error or "")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY x SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Bomb &g;</title><item><title>&g;&x;</title><description>&g;</description>
<link>http://127.0.0.1:1/x</link></item></channel></rss>"""


def test_an_entity_expansion_bomb_is_answered_quickly_without_a_traceback(
        service: FeedService, library: Library, server: FakeServer) -> None:
    url = server.route("/bomb.xml", Reply(body=BOMB))
    feed = library.add_feed(url, full_text="never")
    start = time.monotonic()
    (result,) = service.refresh()
    assert time.monotonic() - start < 15
    assert "\n" not in (result.error or "")
    for article in _articles(library):
        assert "root:" not in article.body and len(article.body) < 100_000
    assert library.get_feed(feed.id).last_fetched is not None


def test_a_dead_server_never_holds_up_the_others(library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    limits = FetchLimits(connect_timeout=1, read_timeout=3, deadline=4, max_retries=0, host_wait=5)
    with DeadServer() as dead, HttpClient(limits, trust_env=False) as slow_client:
        hanging = library.add_feed(dead.url("/feed.xml"), title="Dead")
        good = library.add_feed(site.feed, full_text="never")
        seen: dict[int, float] = {}
        start = time.monotonic()
        results = FeedService(library, slow_client).refresh(
            progress=lambda r: seen.setdefault(r.feed_id, time.monotonic() - start))
    assert seen[good.id] < 2.0 <= 3.0 <= seen[hanging.id] < 10
    by_id = {r.feed_id: r for r in results}
    assert by_id[good.id].new == 2 and not by_id[hanging.id].ok
    assert "3 s" in (library.get_feed(hanging.id).last_error or "")


def test_cancel_stops_a_refresh_promptly(library: Library) -> None:
    limits = FetchLimits(connect_timeout=5, read_timeout=20, deadline=30, max_retries=0)
    with DeadServer() as dead, HttpClient(limits, trust_env=False) as slow_client:
        for n in range(3):
            library.add_feed(dead.url(f"/f{n}.xml"))
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        start = time.monotonic()
        results = FeedService(library, slow_client).refresh(cancel=cancel)
        assert time.monotonic() - start < 3
    assert results == []
    assert all(f.last_fetched is None for f in library.list_feeds())  # nothing half-stored


# --- OPML ------------------------------------------------------------------------------------------------
def test_opml_import_with_two_folders_and_a_dead_server_then_export(
        service: FeedService, library: Library, server: FakeServer, tmp_path: Path) -> None:
    site = serve_site(server)
    with DeadServer() as dead:
        opml = tmp_path / "subs.opml"
        opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
            <outline text="News"><outline type="rss" text="Daily" xmlUrl="{site.feed}"/></outline>
            <outline text="Tech/Hardware"><outline type="rss" text="Gone" xmlUrl="{dead.url('/rss')}"/></outline>
            </body></opml>""", encoding="utf-8")
        start = time.monotonic()
        feeds = service.import_opml(opml)
        assert time.monotonic() - start < 30
    by_title = {f.title: f for f in feeds}
    assert by_title["Daily"].folder == "News" and by_title["Gone"].folder == "Tech/Hardware"
    assert by_title["Daily"].unread == 2 and by_title["Daily"].last_error is None
    assert by_title["Gone"].last_error and by_title["Gone"].failures == 1
    assert service.import_opml(opml) == []  # already subscribed: nothing added twice
    exported = read_opml(service.export_opml().encode())
    assert {(f.url, f.folder) for f in exported.feeds} == {(site.feed, "News"), (dead.url("/rss"), "Tech/Hardware")}


def test_a_bad_opml_file_is_one_line(service: FeedService, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<html><body>not opml</body></html>")
    fifo = tmp_path / "fifo.opml"
    os.mkfifo(fifo)
    for path in (bad, tmp_path / "missing.opml", fifo, tmp_path):
        with pytest.raises(OpmlError) as caught:
            service.import_opml(path)
        assert "\n" not in str(caught.value)


# --- saved links ------------------------------------------------------------------------------------------
def test_save_link_stores_the_page_then_reports_a_duplicate_without_fetching(
        service: FeedService, library: Library, server: FakeServer) -> None:
    url = server.route("/saved.html", Reply(body=article_page("Saved story", PARAGRAPHS), content_type="text/html"))
    outcome = service.save_link(url)
    assert outcome.status == "imported" and outcome.article_id is not None
    article = library.get_article(outcome.article_id)
    assert article.url == url and article.feed_id is None and PARAGRAPHS[0] in article.body
    assert FOOTER_TEXT not in article.body
    again = service.save_link(url)
    assert again.status == "duplicate" and again.article_id == outcome.article_id
    assert len(server.requests_to("/saved.html")) == 1
    missing = service.save_link(server.url("/nothing.html"))
    assert missing.status == "skipped" and "404" in (missing.reason or "") and "\n" not in missing.line()


# --- options: prune, mark read, remove, edit, feed: ------------------------------------------------------
def test_prune_keeps_starred_and_annotated_articles(service: FeedService, library: Library, server: FakeServer) -> None:
    items = [Item(f"p{n}", f"Story {n}", server.url(f"/p{n}"), summary=f"{PARAGRAPHS[n]} number {n}") for n in range(3)]
    url = server.route("/p.xml", Reply(body=rss("P", items)))
    feed, _ = service.add(url, full_text="never")
    ids = sorted(a.id for a in library.list_articles())
    library.set_flags(ids[0], starred=True)
    Annotations(library).add_highlight(ids[1], 0, 5)
    with library.write() as conn:
        conn.execute("UPDATE articles SET added_at = '2020-01-01T00:00:00Z'")
    service.edit(feed.id, keep_days=30)
    assert service.prune() == 1
    assert sorted(a.id for a in library.list_articles()) == ids[:2]
    server.route("/p.xml", Reply(body=rss("P", items)))
    (result,) = service.refresh()
    assert result.new == 0  # the pruned entry is not brought back


def test_mark_all_read_edit_remove(service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    feed, _ = service.add(site.feed, full_text="never", folder="News")
    ids = service.mark_all_read(feed.id)
    assert len(ids) == 2 and library.get_feed(feed.id).unread == 0 and service.mark_all_read(feed.id) == []
    edited = service.edit(feed.id, title="My paper", folder="Local/City", interval_minutes=30, translate_to="RO")
    assert (edited.title, edited.folder, edited.interval_minutes, edited.translate_to) == (
        "My paper", "Local/City", 30, "ro")
    site.etag = '"v2"'
    service.refresh()
    assert library.get_feed(feed.id).title == "My paper"  # a person's name survives refreshes
    assert library.feed_folders() == ["Local/City"]
    with pytest.raises(Exception, match="interval"):
        service.edit(feed.id, interval_minutes=1)
    assert [a.id for a in library.list_articles(ListFilter(query=f"feed:{feed.id}"))] == sorted(ids, reverse=True)
    assert len(library.list_articles(ListFilter(query="feed:paper"))) == 2
    assert len(library.list_articles(ListFilter(feed_id=feed.id))) == 2
    assert library.list_articles(ListFilter(query="-feed:paper")) == []
    library.set_flags(ids[0], starred=True)
    assert service.remove(feed.id, delete_articles=True) == (1, 1)
    assert library.list_feeds() == [] and library.get_article(ids[0]).feed_id is None


def test_translate_ahead_translates_new_items_and_a_failure_never_fails_the_refresh(
        library: Library, client: HttpClient, server: FakeServer) -> None:
    from reader.core.settings import Settings
    from reader.core.translation.providers import GoogleProvider, RetryPolicy
    from reader.core.translation.service import TranslationService
    from tests.helpers import fakes

    google = fakes.FakeServer("google")
    try:
        provider = GoogleProvider(base_url=google.endpoint, timeout=5.0, retry=RetryPolicy(retries=0, sleep=lambda s: None))
        translator = TranslationService(library, Settings(provider="google"), providers={"google": provider})
        items = [Item("ro-1", "Casa verde", server.url("/ro1"), content="<p>Pisica este frumoasă și casa este verde.</p>"
                      * 3)]
        url = server.route("/ro.xml", Reply(body=rss("Știri", items)))
        feed = library.add_feed(url, full_text="never")
        service = FeedService(library, client, translator=translator)
        service.edit(feed.id, translate_to="en")
        (result,) = service.refresh()
        assert result.new == 1
        (article,) = library.list_articles()
        cached = translator.cached_translation(article.id, "en")
        assert cached is not None and cached.title == "house green" and "cat is beautiful" in cached.paragraphs[0]
        google.stop()  # the translator is gone: new items still come in
        server.route("/ro.xml", Reply(body=rss("Știri", [*items, Item("ro-2", "Marea", server.url("/ro2"),
                                                                       content="<p>Marea este verde.</p>" * 4)])))
        (result,) = service.refresh()
        assert result.ok and result.new == 1
    finally:
        google.stop()


RSS10 = b"""<?xml version="1.0" encoding="iso-8859-2"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://127.0.0.1/"><title>Forum</title><link>http://127.0.0.1/</link><description>d</description></channel>
<item rdf:about="http://127.0.0.1:1/t/1"><title>Pierwszy w\xb1tek</title><link>http://127.0.0.1:1/t/1</link>
<description>Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1 &#8212; a long enough first post about the forum rules.</description><dc:date>2026-11-30T08:00:00Z</dc:date></item>
</rdf:RDF>"""
JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "items": [
 {"id": "j1", "url": "http://127.0.0.1:1/j1", "title": "From JSON", "content_html": "<p>JSON body text.</p>",
  "date_published": "2026-11-29T10:00:00Z"},
 {"id": "j2", "content_text": "A titleless note without a link."}]}"""
SPARSE = (b"<rss version='2.0'><channel><title>Sparse</title><item><description>Only a description &amp; "
          b"nothing else</description></item><item><title>Only a title</title></item><item></item>"
          b"<item><title>Bad date</title><pubDate>not a date</pubDate><link>javascript:alert(1)</link></item>"
          b"</channel></rss>")


def test_every_format_and_sparse_entries_give_all_items_with_titles(
        service: FeedService, library: Library, server: FakeServer) -> None:
    urls = [server.route("/rss10.rdf", Reply(body=RSS10, content_type="application/rdf+xml")),
            server.route("/feed.json", Reply(body=JSON_FEED, content_type="application/feed+json")),
            server.route("/sparse.xml", Reply(body=SPARSE, content_type="text/xml; charset=utf-8"))]
    for url in urls:
        library.add_feed(url, full_text="never")
    results = service.refresh()
    assert all(r.ok for r in results), results
    titles = {a.title: a for a in _articles(library)}
    assert "Pierwszy wątek" in titles and "Zażółć gęślą jaźń" in titles["Pierwszy wątek"].body
    assert titles["Pierwszy wątek"].published == "2026-11-30" and titles["Pierwszy wątek"].source == "Forum"
    assert "From JSON" in titles and titles["From JSON"].body == "JSON body text."
    assert {"Only a title", "Bad date"} <= set(titles)
    assert any("Only a description & nothing else" in a.body for a in titles.values())
    assert any("A titleless note without a link." in a.body for a in titles.values())
    assert titles["Bad date"].url is None and titles["Bad date"].published is None
    assert library.article_count() == 6  # the empty <item> is no article


def test_a_feed_that_moved_for_good_is_stored_under_its_new_address(
        service: FeedService, library: Library, server: FakeServer) -> None:
    new = server.route("/new.xml", Reply(body=rss("Moved", [Item("m1", "Moved story", server.url("/m1"),
                                                                 summary="A story that moved house.")])))
    old = server.route("/old.xml", Reply(301, headers={"Location": "/new.xml"}, content_type=None))
    temporary = server.route("/tmp.xml", Reply(302, headers={"Location": "/new.xml"}, content_type=None))
    moved, kept = library.add_feed(old, full_text="never"), library.add_feed(temporary, full_text="never")
    service.refresh([moved.id])
    assert library.get_feed(moved.id).url == new
    service.refresh([kept.id])
    assert library.get_feed(kept.id).url == temporary and library.article_count() == 1


def test_due_only_fetches_a_feed_again_once_its_interval_has_passed(
        service: FeedService, library: Library, server: FakeServer) -> None:
    site = serve_site(server)
    feed, _ = service.add(site.feed, full_text="never")
    assert service.refresh(due_only=True) == []  # just fetched: not due for an hour
    an_hour_ago = (datetime.now(UTC) - timedelta(minutes=61)).strftime("%Y-%m-%dT%H:%M:%SZ")
    library.update_feed(feed.id, last_fetched=an_hour_ago)
    assert [r.not_modified for r in service.refresh(due_only=True)] == [True]
    service.edit(feed.id, interval_minutes=120)
    library.update_feed(feed.id, last_fetched=an_hour_ago)
    assert service.refresh(due_only=True) == []


def test_hanging_article_pages_cost_their_feed_a_bounded_time_and_keep_the_feed_text(
        library: Library, server: FakeServer) -> None:
    items = [Item(f"h{n}", f"Hanging {n}", server.url(f"/hang-{n}.html"), summary=f"Teaser {n}…") for n in range(6)]
    for n in range(6):
        server.route(f"/hang-{n}.html", Reply(hang=True))
    url = server.route("/hang.xml", Reply(body=rss("Hangs", items)))
    limits = FetchLimits(connect_timeout=1, read_timeout=0.5, deadline=1, max_retries=0, host_wait=5)
    with HttpClient(limits, trust_env=False) as quick:
        library.add_feed(url)
        start = time.monotonic()
        (result,) = FeedService(library, quick, feed_budget=1.2).refresh()
        elapsed = time.monotonic() - start
    assert result.ok and result.new == 6 and elapsed < 5
    fetched = sum(len(server.requests_to(f"/hang-{n}.html")) for n in range(6))
    assert 1 <= fetched < 6  # the budget ran out: the rest were not even tried
    assert {a.body for a in _articles(library)} == {f"Teaser {n}…" for n in range(6)}


def test_a_refresh_storing_while_another_connection_writes_never_locks_it_out(
        service: FeedService, library: Library, server: FakeServer, tmp_path: Path) -> None:
    for f in range(4):
        items = [Item(f"c{f}-{n}", f"Feed {f} story {n}", server.url(f"/c{f}/{n}"),
                      content="".join(f"<p>{p} ({f}, {n})</p>" for p in PARAGRAPHS)) for n in range(15)]
        library.add_feed(server.route(f"/c{f}.xml", Reply(body=rss(f"C{f}", items))), full_text="never")
    seed = library.add_article(ParsedArticle(title="Mine", paragraphs=("my own text",)), LanguageGuess("en", 1.0))
    stop, waits, errors = threading.Event(), [], []

    def gui_writer() -> None:  # like the window's writer lane: its own connection, small writes
        other = Library(tmp_path / "library.db")
        try:
            flag = False
            while not stop.is_set():
                flag = not flag
                start = time.monotonic()
                try:
                    other.set_flags(seed.article_id or 0, starred=flag)
                except Exception as exc:  # noqa: BLE001 - recorded, asserted below
                    errors.append(exc)
                waits.append(time.monotonic() - start)
                time.sleep(0.005)
        finally:
            other.close()

    writer = threading.Thread(target=gui_writer)
    writer.start()
    try:
        results = service.refresh()
    finally:
        stop.set()
        writer.join(10)
    assert errors == [] and sum(r.new for r in results) == 60 and len(waits) > 10
    assert max(waits) < 2.0, max(waits)  # one entry's transaction at most, not a whole refresh
