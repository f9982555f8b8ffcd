"""OPML import (folders as categories, nesting flattened to "A/B") and export (well-formed, escaped)."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.feeds.errors import OpmlError
from reader.core.feeds.opml import OpmlFeed, read_opml, write_opml

EXPORTED_BY_A_READER = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My subscriptions &amp; more</title></head><body>
  <outline text="Top level" type="rss" xmlUrl="http://a.example/feed" htmlUrl="http://a.example/"/>
  <outline text="News" title="News">
    <outline text="Știri" type="rss" xmlUrl="http://b.example/rss"/>
    <outline text="Europe">
      <outline text="Žinios" title="Žinios LT" type="rss" xmlUrl="http://c.example/atom.xml"/>
    </outline>
  </outline>
  <outline text="Tech &amp; &lt;Stuff&gt;">
    <outline text="Query feed" type="rss" xmlUrl="http://d.example/f?a=1&amp;b=2"/>
    <outline text="Again" type="rss" xmlUrl="http://a.example/feed"/>
  </outline>
  <outline text="No URL, no children"/>
</body></opml>""".encode()


def test_import_keeps_folders_flattened() -> None:
    doc = read_opml(EXPORTED_BY_A_READER)
    assert doc.title == "My subscriptions & more"
    assert [(f.url, f.title, f.folder) for f in doc.feeds] == [
        ("http://a.example/feed", "Top level", "Tech & <Stuff>"),
        ("http://b.example/rss", "Știri", "News"),
        ("http://c.example/atom.xml", "Žinios", "News/Europe"),
        ("http://d.example/f?a=1&b=2", "Query feed", "Tech & <Stuff>"),
    ]  # a feed listed twice is one feed, filed in the first folder that lists it
    assert doc.folders == ("Tech & <Stuff>", "News", "News/Europe")


def test_export_is_well_formed_escaped_and_round_trips() -> None:
    feeds = [
        OpmlFeed("http://a.example/feed", "Plain", "http://a.example/", None),
        OpmlFeed("http://b.example/rss?x=1&y=2", 'Quotes " & <tags> \x01 ✓ 😀', None, "News"),
        OpmlFeed("http://c.example/atom.xml", None, None, "News/Europe"),
        OpmlFeed("http://d.example/f", "D", None, "Tech & <Stuff>"),
    ]
    data = write_opml(feeds, folders=["Empty one"], now=datetime(2026, 12, 2, 19, 0, tzinfo=UTC))
    root = ET.fromstring(data)  # well-formed, or this raises
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/dateCreated") == "Wed, 02 Dec 2026 19:00:00 GMT"
    body = root.find("body")
    assert body is not None
    assert [o.get("text") for o in body] == ["Empty one", "Plain", "News", "Tech & <Stuff>"]
    news = body[2]
    assert news.get("xmlUrl") is None and news[0].get("title") == 'Quotes " & <tags>  ✓ 😀'
    assert news[1].get("text") == "Europe" and news[1][0].get("xmlUrl") == "http://c.example/atom.xml"
    assert body[1].get("htmlUrl") == "http://a.example/"
    back = read_opml(data)
    assert [(f.url, f.folder) for f in back.feeds] == [(f.url, f.folder) for f in feeds]
    assert back.feeds[2].title == "http://c.example/atom.xml"  # an untitled feed is named by its URL


def test_an_empty_list_exports_and_imports() -> None:
    assert read_opml(write_opml([])).feeds == ()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"hello, this is not xml", "not an OPML"),
    (b"<html><body><a href='x'>links</a></body></html>", "not an OPML"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', "not an OPML"),
    (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="A"><outline', "damaged"),
    (b"\x00\xff\xfe\x00garbage\x00", "not an OPML"),
])
def test_a_bad_file_gets_one_clear_line(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError) as info:
        read_opml(data)
    assert reason in str(info.value) and "\n" not in str(info.value)


def test_too_large_is_refused() -> None:
    with pytest.raises(OpmlError, match="too large"):
        read_opml(b"<opml>" + b" " * 100, max_bytes=50)


def test_entities_are_neither_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    lol = '<!ENTITY a "' + "x" * 1000 + '">' + "".join(
        f'<!ENTITY a{i} "' + f"&a{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 9))
    doc = (f'<?xml version="1.0"?><!DOCTYPE opml [{lol}<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<opml version="2.0"><body><outline text="&a8; &xxe;" type="rss" xmlUrl="http://e.example/&xxe;"/>'
           "</body></opml>").encode()
    start = time.monotonic()
    result = read_opml(doc)
    assert time.monotonic() - start < 2
    assert len(result.feeds) == 1 and "TOP-SECRET-MARKER" not in repr(result)
    assert len(result.feeds[0].title or "") < 1000
    # the same bombs in a damaged list with no feed: the error path must be as safe
    start = time.monotonic()
    with pytest.raises(OpmlError):
        read_opml(doc.replace(b"xmlUrl", b"xmlUrlX").replace(b"</body></opml>", b"<outline"))
    assert time.monotonic() - start < 2
