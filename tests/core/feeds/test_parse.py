"""Feed parsing: every format, sparse and odd feeds, charsets, hostile XML, JSON Feed, full-text heuristic.

The feeds are written here, in the shapes real sites produce (RSS 0.91 with the Netscape DTD, RDF,
RSS 2.0 with and without content:encoded, Atom 0.3/1.0, JSON Feed 1.0/1.1). A few are served by the
fake server so the HTTP charset and the final URL come from a real answer.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.feeds.errors import NotAFeed
from reader.core.feeds.http import HttpClient
from reader.core.feeds.parse import FeedEntry, full_text_needed, html_to_text, parse_feed, parse_fetched

from .conftest import FakeServer, Reply

BASE = "http://news.example/blog/feed.xml"

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old &amp; Gold</title><link>http://old.example/</link>
<description>d</description><language>en</language>
<item><title>Caf\xe9 news</title><link>http://old.example/1</link><description>First &lt;b&gt;one&lt;/b&gt;</description></item>
<item><title>Second</title><link>http://old.example/2</link></item>
</channel></rss>"""

RSS_10 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://rdf.example/"><title>RDF Site</title><link>http://rdf.example/</link>
<description>x</description><items><rdf:Seq><rdf:li resource="http://rdf.example/a"/></rdf:Seq></items></channel>
<item rdf:about="http://rdf.example/a"><title>Știri din România</title><link>http://rdf.example/a</link>
<description>Pe scurt.</description><dc:creator>Ana Pop</dc:creator><dc:date>2026-11-30T08:15:00+02:00</dc:date></item>
<item rdf:about="http://rdf.example/b"><title>Lietuvos žinios</title><link>http://rdf.example/b</link></item>
</rdf:RDF>""".encode()

RSS_20_FULL = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Full Text Daily</title><link>http://full.example/</link><description>all of it</description>
<item><title>Long read</title><link>/2026/long-read</link><guid isPermaLink="false">tag:full,1</guid>
<pubDate>Mon, 30 Nov 2026 10:00:00 +0100</pubDate><dc:creator>Jo Writer</dc:creator>
<description><![CDATA[<p>Teaser of the long read.</p>]]></description>
<content:encoded><![CDATA[<p>The whole story, <a href="/more">with a link</a> and <img src="img/pic.jpg" alt="p">.</p>
<script>alert('x')</script><p onclick="evil()">Second paragraph.</p>]]></content:encoded>
<enclosure url="http://full.example/audio.mp3" type="audio/mpeg" length="1234"/>
<media:content url="http://full.example/hero.jpg" medium="image"/>
<media:thumbnail url="http://full.example/thumb.jpg"/>
<category>World</category><category>World</category><category>Science</category></item>
</channel></rss>"""

RSS_20_SUMMARY = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Teasers</title><link>http://teaser.example/</link><description>t</description>
<item><title>Short one</title><link>http://teaser.example/a/1</link><description>Just a line about it\xe2\x80\xa6</description>
<guid>http://teaser.example/a/1</guid><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>
<item><title>Another</title><link>http://teaser.example/a/2</link><description>Two sentences. Nothing more.</description></item>
</channel></rss>"""

ATOM_10 = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ro">
<title type="html">Blog &lt;i&gt;Atom&lt;/i&gt;</title><subtitle>Sub</subtitle>
<link href="/"/><link rel="self" href="/blog/atom.xml"/><id>urn:x</id><updated>2026-12-01T00:00:00Z</updated>
<author><name>Feed Author</name></author><icon>/icon.png</icon>
<entry><title>Intrare unu</title><link href="posts/1"/><id>urn:e1</id>
<published>2026-11-29T12:00:00+02:00</published><updated>2026-11-30T12:00:00+02:00</updated>
<summary>Rezumat</summary><content type="html">&lt;p&gt;Conținut întreg.&lt;/p&gt;</content></entry>
<entry><title>Fără rezumat</title><link href="http://other.example/2"/><id>urn:e2</id>
<updated>2026-11-28T00:00:00Z</updated><author><name>Own Author</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML <b>body</b></p></div></content></entry>
</feed>""".encode()

ATOM_03 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
<title>Atom Zero Three</title><link rel="alternate" type="text/html" href="http://a03.example/"/>
<modified>2005-07-31T12:29:29Z</modified>
<entry><title>Old entry</title><link rel="alternate" type="text/html" href="http://a03.example/e1"/>
<id>tag:a03,1</id><issued>2005-07-31T12:29:29Z</issued><modified>2005-07-31T12:29:29Z</modified>
<content type="text/html" mode="escaped">&lt;p&gt;Zero three&lt;/p&gt;</content></entry>
</feed>"""

JSON_11 = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON Site", "home_page_url": "http://json.example/", "feed_url": "http://json.example/feed.json",
    "language": "lt", "authors": [{"name": "Feed Team"}], "icon": "/icon.png",
    "items": [
        {"id": "1", "url": "/posts/1", "title": "Pirmas", "content_html": "<p>Labas <script>x()</script>pasauli</p>",
         "summary": "Trumpai", "image": "/img/1.png", "date_published": "2026-11-30T10:00:00+02:00",
         "date_modified": "2026-11-30T11:00:00Z", "authors": [{"name": "Ona"}], "tags": ["a", "a", "b"],
         "attachments": [{"url": "http://json.example/a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 99}]},
        {"id": 2, "external_url": "http://elsewhere.example/x", "content_text": "Plain <text>\n\nTwo"},
        "not an item",
    ],
}


def test_rss_091_with_the_netscape_dtd() -> None:
    feed = parse_feed(RSS_091, url="http://old.example/rss", content_type="text/xml")
    assert feed.version == "rss091n" and feed.title == "Old & Gold" and feed.site_url == "http://old.example/"
    assert [e.title for e in feed.entries] == ["Café news", "Second"]  # ISO-8859-1 from the declaration
    assert feed.entries[0].summary_html == "First <b>one</b>"
    assert feed.language == "en" and not feed.bozo


def test_rss_10_rdf() -> None:
    feed = parse_feed(RSS_10, url="http://rdf.example/index.rdf", content_type="application/rdf+xml")
    assert feed.version == "rss10" and feed.title == "RDF Site"
    first, second = feed.entries
    assert first.title == "Știri din România" and first.author == "Ana Pop"
    assert first.published == datetime(2026, 11, 30, 6, 15, tzinfo=UTC)
    assert second.title == "Lietuvos žinios" and second.link == "http://rdf.example/b"


def test_rss_20_with_content_encoded() -> None:
    feed = parse_feed(RSS_20_FULL, url="http://full.example/feed", content_type="application/rss+xml")
    (entry,) = feed.entries
    assert feed.version == "rss20" and feed.title == "Full Text Daily"
    assert entry.guid == "tag:full,1" and entry.link == "http://full.example/2026/long-read"
    assert entry.title == "Long read" and entry.author == "Jo Writer"
    assert entry.published == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert entry.summary_html == "<p>Teaser of the long read.</p>"
    assert entry.content_html is not None
    assert 'href="http://full.example/more"' in entry.content_html  # relative links resolved
    assert 'src="http://full.example/img/pic.jpg"' in entry.content_html
    assert "<script" not in entry.content_html and "onclick" not in entry.content_html  # sanitized
    assert "Second paragraph." in entry.content_html
    assert [(e.url, e.type, e.length) for e in entry.enclosures] == [
        ("http://full.example/audio.mp3", "audio/mpeg", 1234)]
    assert entry.images == ("http://full.example/hero.jpg", "http://full.example/thumb.jpg")
    assert entry.tags == ("World", "Science")
    assert not full_text_needed(entry) or len(html_to_text(entry.content_html)) < 500


def test_rss_20_summary_only() -> None:
    feed = parse_feed(RSS_20_SUMMARY, url="http://teaser.example/rss", content_type="application/rss+xml")
    first, second = feed.entries
    assert first.content_html is None and first.summary_html == "Just a line about it…"
    assert first.guid == "http://teaser.example/a/1"
    assert full_text_needed(first) and full_text_needed(second)


def test_atom_10() -> None:
    feed = parse_feed(ATOM_10, url="http://atom.example/blog/atom.xml", content_type="application/atom+xml")
    assert feed.version == "atom10" and feed.title == "Blog Atom" and feed.description == "Sub"
    assert feed.site_url == "http://atom.example/" and feed.feed_url == "http://atom.example/blog/atom.xml"
    assert feed.icon == "http://atom.example/icon.png"
    one, two = feed.entries
    assert one.link == "http://atom.example/blog/posts/1" and one.guid == "urn:e1"
    assert one.published == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert one.updated == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert one.summary_html == "Rezumat" or one.summary_html == "<p>Rezumat</p>"
    assert one.content_html == "<p>Conținut întreg.</p>"
    assert one.author == "Feed Author"  # inherited from the feed, as Atom says
    assert two.author == "Own Author" and two.summary_html is None  # not a copy of the content
    assert two.content_html is not None and "<b>body</b>" in two.content_html


def test_atom_03() -> None:
    feed = parse_feed(ATOM_03, url="http://a03.example/atom", content_type="application/atom+xml")
    assert feed.version == "atom03" and feed.title == "Atom Zero Three"
    (entry,) = feed.entries
    assert entry.title == "Old entry" and entry.link == "http://a03.example/e1"
    assert entry.content_html == "<p>Zero three</p>"
    assert entry.published == datetime(2005, 7, 31, 12, 29, 29, tzinfo=UTC)


def test_json_feed_11() -> None:
    data = json.dumps(JSON_11).encode()
    feed = parse_feed(data, url="http://json.example/feed.json", content_type="application/feed+json")
    assert feed.version == "json11" and feed.title == "JSON Site" and feed.language == "lt"
    assert feed.site_url == "http://json.example/" and feed.icon == "http://json.example/icon.png"
    assert feed.bozo_reason == "an item is not an object"
    one, two = feed.entries
    assert one.guid == "1" and one.link == "http://json.example/posts/1" and one.title == "Pirmas"
    assert one.content_html == "<p>Labas pasauli</p>"  # script dropped
    assert one.summary_html == "<p>Trumpai</p>" and one.author == "Ona"
    assert one.published == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert one.updated == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert one.images == ("http://json.example/img/1.png",) and one.tags == ("a", "b")
    assert one.enclosures[0].url == "http://json.example/a.mp3" and one.enclosures[0].length == 99
    assert two.guid == "2" and two.link == "http://elsewhere.example/x" and two.title is None
    assert two.content_html == "<p>Plain &lt;text&gt;</p><p>Two</p>" and two.author == "Feed Team"


def test_json_feed_10_sniffed_without_a_content_type() -> None:
    doc = {"version": "https://jsonfeed.org/version/1", "title": "One",
           "items": [{"id": "x", "url": "http://j.example/x", "author": {"name": "Old Style"}}]}
    feed = parse_feed(json.dumps(doc).encode(), url="http://j.example/feed.json")
    assert feed.version == "json10" and feed.entries[0].author == "Old Style"


@pytest.mark.parametrize("body", [b'{"title": "no version"}', b"[1, 2]", b'{"version": "https://jsonfeed.org/ver',
                                  b"[" * 100_000 + b"]" * 100_000,
                                  b'{"version": "https://jsonfeed.org/version/1.1", "items": '
                                  + b"[" * 200 + b"]" * 200 + b"}"])
def test_json_that_is_not_a_json_feed_is_refused(body: bytes) -> None:
    with pytest.raises(NotAFeed, match="not a feed"):
        parse_feed(body, url="http://j.example/x", content_type="application/json")


# --- sparse and odd feeds -------------------------------------------------------------------------
def test_items_without_titles_links_or_guids_are_kept() -> None:
    doc = b"""<rss version="2.0"><channel><link>http://sparse.example/</link>
    <item><description>No title here, only words.</description></item>
    <item><title></title><link>relative/page.html</link></item>
    <item><title><![CDATA[CDATA <em>title</em> & more]]></title></item>
    </channel></rss>"""
    feed = parse_feed(doc, url="http://sparse.example/dir/feed", content_type="application/rss+xml")
    assert feed.title is None and len(feed.entries) == 3
    first, second, third = feed.entries
    assert first.title is None and first.link is None and first.key.startswith("sha1:")
    assert second.link == "http://sparse.example/dir/relative/page.html" and second.key == second.link
    assert third.title is not None and "CDATA" in third.title and "&" in third.title and "<em>" not in third.title
    assert not full_text_needed(first)  # no link: nothing to fetch


def test_cp1251_declared_in_the_prolog_served_as_text_xml_without_charset() -> None:
    doc = ('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Новости</title>'
           '<item><title>Привет, мир</title><description>Беларусь і Україна</description></item>'
           '</channel></rss>').encode("cp1251")
    feed = parse_feed(doc, url="http://ru.example/rss", content_type="text/xml")
    assert feed.title == "Новости" and feed.entries[0].title == "Привет, мир"
    assert feed.encoding == "cp1251"


def test_a_wrong_http_charset_does_not_garble_the_text() -> None:
    utf8 = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Žinios ăîșț</title>' \
           '<item><title>Ελληνικά</title></item></channel></rss>'
    feed = parse_feed(utf8.encode(), content_type="text/xml; charset=iso-8859-1")
    assert feed.title == "Žinios ăîșț" and feed.entries[0].title == "Ελληνικά"
    cp1251 = '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Лента</title>' \
             '<item><title>Заголовок</title></item></channel></rss>'
    feed = parse_feed(cp1251.encode("cp1251"), content_type="application/rss+xml; charset=utf-8")
    assert feed.title == "Лента" and feed.entries[0].title == "Заголовок"


def test_utf16_with_a_bom_and_no_declared_charset() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Широко</title>' \
          '<item><title>Ok</title></item></channel></rss>'
    feed = parse_feed(doc.encode("utf-16"), content_type="application/xml")
    assert feed.title == "Широко" and [e.title for e in feed.entries] == ["Ok"]


def test_an_ill_formed_feed_keeps_what_it_yields() -> None:
    doc = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & Co</title>
    <item><title>One & two</title><link>http://b.example/1</link></item>
    <item><title>Unclosed <b>bold</title><link>http://b.example/2</link></item>
    <item><title>Three</title><link>http://b.example/3</link>"""
    feed = parse_feed(doc, url="http://b.example/rss", content_type="application/rss+xml")
    assert feed.bozo and feed.bozo_reason and "\n" not in feed.bozo_reason
    assert [e.link for e in feed.entries] == ["http://b.example/1", "http://b.example/2", "http://b.example/3"]
    assert feed.entries[0].title == "One & two"


def test_javascript_links_are_dropped() -> None:
    doc = b"""<rss version="2.0"><channel><title>x</title><link>javascript:alert(1)</link>
    <item><title>t</title><link>javascript:alert(2)</link></item></channel></rss>"""
    feed = parse_feed(doc, url="http://js.example/rss")
    assert feed.site_url is None and feed.entries[0].link is None


# --- not a feed -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
     "text/html; charset=utf-8", "web page"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "image/png", "image/png"),
    (b"just some words, nothing else", "text/plain", "no RSS, Atom or JSON Feed"),
    (b"   \n  ", "application/xml", "empty"),
    (b"<?xml version='1.0'?><note><to>T</to></note>", "application/xml", "no RSS"),
])
def test_a_document_that_is_not_a_feed_gets_one_line(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(NotAFeed) as info:
        parse_feed(body, url="http://site.example/page", content_type=content_type)
    message = str(info.value)
    assert "http://site.example/page" in message and reason in message and "\n" not in message


def test_an_oversized_document_is_refused() -> None:
    with pytest.raises(NotAFeed, match="too large"):
        parse_feed(b"<rss>" + b" " * 2000, max_bytes=1000)


# --- hostile XML ----------------------------------------------------------------------------------
def _billion_laughs(one_line: bool) -> bytes:
    sep = "" if one_line else "\n"
    decls = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "' + f"&lol{'' if i == 1 else i - 1};" * 10 + '">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [' + sep + sep.join(decls) + sep + ']>\n'
            '<rss version="2.0"><channel><title>&lol9;</title>'
            '<item><title>Laugh &lol9;</title><description>&lol9;&lol9;</description></item>'
            '</channel></rss>').encode()


@pytest.mark.parametrize("one_line", [False, True])
def test_billion_laughs_is_answered_quickly_and_harmlessly(one_line: bool) -> None:
    start = time.monotonic()
    feed = parse_feed(_billion_laughs(one_line), url="http://bomb.example/rss", content_type="application/rss+xml")
    assert time.monotonic() - start < 15
    assert time.monotonic() - start < 2  # in practice: milliseconds
    assert len(feed.entries) == 1
    assert len(repr(feed)) < 10_000  # nothing was expanded


def test_a_quadratic_blowup_is_not_expanded() -> None:
    # one 50 KB entity used 20,000 times: feedparser's lenient parser alone takes ~90 s and ~3 GB on this
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "' + "A" * 50_000 + '">\n]>\n'
           '<rss version="2.0"><channel><title>q</title><item><title>x</title><description>'
           + "&big;" * 20_000 + "</description></item></channel></rss>").encode()
    start = time.monotonic()
    feed = parse_feed(doc, url="http://bomb.example/rss")
    assert time.monotonic() - start < 5
    assert len(feed.entries) == 1 and len(feed.entries[0].summary_html or "") < 200_000


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{path}">\n]>',
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>',
    '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//x//y" "file://{path}">]>',
    '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{path}"> %p;]>',
    '<!DOCTYPE rss SYSTEM "file://{path}">',
])
def test_external_entities_are_never_read(tmp_path: Path, declaration: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    doc = ('<?xml version="1.0"?>\n' + declaration.format(path=secret) +
           '\n<rss version="2.0"><channel><title>t &xxe;</title><item><title>a &xxe;</title>'
           '<description>&xxe;</description><link>http://x.example/&xxe;</link></item></channel></rss>').encode()
    feed = parse_feed(doc, url="http://x.example/rss")
    assert "TOP-SECRET-MARKER" not in repr(feed)
    assert len(feed.entries) == 1


def test_a_body_that_looks_like_a_file_name_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_bytes(b"<rss version='2.0'><channel><title>LOCAL FILE</title></channel></rss>")
    with pytest.raises(NotAFeed):
        parse_feed(str(secret).encode(), url="http://x.example/rss")


# --- through HTTP -----------------------------------------------------------------------------------
def test_parse_fetched_uses_the_final_url_and_the_served_charset(server: FakeServer, client: HttpClient) -> None:
    doc = ('<rss version="2.0"><channel><title>Ελληνικά</title><item><title>Ένα</title>'
           '<link>item/1</link></item></channel></rss>').encode("iso-8859-7")
    server.route("/old-feed", Reply(301, headers={"Location": "/news/feed"}))
    server.route("/news/feed", Reply(body=doc, content_type="application/rss+xml; charset=iso-8859-7"))
    result = client.fetch(server.url("/old-feed"))
    feed = parse_fetched(result)
    assert feed.title == "Ελληνικά" and feed.entries[0].title == "Ένα"
    assert feed.entries[0].link == server.url("/news/item/1")


# --- full text heuristic ------------------------------------------------------------------------------
def _entry(summary: str | None = None, content: str | None = None, link: str | None = "http://x/1") -> FeedEntry:
    return FeedEntry(guid=None, link=link, title="t", author=None, published=None, updated=None,
                     summary_html=summary, content_html=content)


def test_full_text_needed() -> None:
    long_text = "<p>" + "A sentence of a real article. " * 60 + "</p>"
    assert full_text_needed(_entry())  # nothing at all
    assert full_text_needed(_entry(summary="<p>Short teaser.</p>"))
    assert full_text_needed(_entry(summary=long_text[:-4] + " Continue reading →</p>"))
    assert full_text_needed(_entry(summary="<p>Start of the story […]</p>"))
    assert full_text_needed(_entry(content="<p>Only a little content.</p>"))
    assert not full_text_needed(_entry(summary=long_text))  # the whole article in the description
    assert not full_text_needed(_entry(content=long_text))
    assert not full_text_needed(_entry(summary="<p>tiny</p>", link=None))
    assert full_text_needed(_entry(summary=long_text), ) is False
    assert full_text_needed(_entry(summary=long_text), min_summary_chars=10_000)


def test_html_to_text() -> None:
    assert html_to_text("<p>One&nbsp;&amp; two</p><p>three</p><script>x()</script>") == "One & two three"
    assert html_to_text("plain   text") == "plain text"
