"""From an address a person typed (a feed, or a site's page) to the feeds it offers.

:func:`discover` fetches the address with the app's :class:`~reader.core.feeds.http.HttpClient`. If it is
a feed, that is the answer. If it is a web page, its ``<link rel="alternate">`` elements of a feed type
(RSS, Atom, JSON Feed, RDF) are the answer, resolved against the page's final URL (and its ``<base>``).
Only when the page names none are the common paths probed (``/feed``, ``/rss``, ``/atom.xml``, ...),
next to the page first and then at the site's root, each probe fetched and parsed, stopping at the first
that is a feed. :func:`find_feed_links` is the pure HTML part, usable on a page fetched elsewhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from reader.core.feeds.errors import FetchError, NoFeedFound, NotAFeed
from reader.core.feeds.http import HttpClient, check_url
from reader.core.feeds.parse import FEED_ACCEPT, parse_fetched

FEED_LINK_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/rdf+xml": "rss",
    "application/x-rss+xml": "rss",
    "application/x-atom+xml": "atom",
}
COMMON_PATHS = ("feed", "rss", "atom.xml", "feed.xml", "rss.xml", "index.xml", "feed.json")
MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_CANDIDATES = 50


@dataclass(frozen=True)
class FeedCandidate:
    """A feed found for an address.

    ``kind`` is ``rss``, ``atom`` or ``json`` (from the link's type, or the parsed format);
    ``source`` is ``direct`` (the address itself is a feed), ``link`` (named by the page) or ``probe``
    (a common path that answered with a feed). ``title`` is the link's title or the feed's own.
    """

    url: str
    title: str | None
    kind: str
    source: str


class _LinkParser(HTMLParser):
    """Collects ``<base href>`` and feed ``<link rel="alternate">`` elements; stops at ``<body>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str, str | None]] = []  # (href, kind, title)
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"].strip()
        if tag != "link" or len(self.links) >= MAX_CANDIDATES:
            return
        rels = values.get("rel", "").lower().split()
        kind = FEED_LINK_TYPES.get(values.get("type", "").split(";")[0].strip().lower())
        href = values.get("href", "").strip()
        if "alternate" in rels and kind and href:
            self.links.append((href, kind, " ".join(values.get("title", "").split()) or None))

    handle_startendtag = handle_starttag


def find_feed_links(page: bytes | str, page_url: str) -> list[FeedCandidate]:
    """The feeds a page names in ``<link rel="alternate" type=...>``, absolute, in page order, no repeats.

    Only http(s) targets are kept. The page is read up to :data:`MAX_PAGE_BYTES` and its ``<head>``
    (links in the body are honoured too, as browsers do, until the cap).
    """
    text = page if isinstance(page, str) else page[:MAX_PAGE_BYTES].decode("utf-8", "replace")
    parser = _LinkParser()
    try:
        parser.feed(text[:MAX_PAGE_BYTES])
        parser.close()
    except Exception:  # noqa: BLE001 - hostile HTML: keep what was collected
        pass
    base = page_url
    if parser.base:
        joined = urljoin(page_url, parser.base)
        if urlsplit(joined).scheme in ("http", "https"):
            base = joined
    found: dict[str, FeedCandidate] = {}
    for href, kind, title in parser.links:
        try:
            url = check_url(urljoin(base, href))
        except (FetchError, ValueError):
            continue
        found.setdefault(url, FeedCandidate(url, title, kind, "link"))
    return list(found.values())


def probe_urls(page_url: str) -> list[str]:
    """Where to look for a feed when a page names none: next to the page, then at the site root."""
    parts = urlsplit(page_url)
    root = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
    folder = urljoin(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", "")), ".")
    bases = [folder] if folder != root else []
    bases.append(root)
    urls: list[str] = []
    for base in bases:
        for path in COMMON_PATHS:
            url = urljoin(base, path)
            if url not in urls:
                urls.append(url)
    return urls


def discover(url: str, client: HttpClient, *, probe: bool = True, max_probes: int = 14,
             cancel: threading.Event | None = None) -> list[FeedCandidate]:
    """The feeds offered at ``url`` (see the module doc); never empty.

    Raises :class:`~reader.core.feeds.errors.FetchError` if the address itself cannot be fetched and
    :class:`~reader.core.feeds.errors.NoFeedFound` if nothing was found.
    """
    page = client.fetch(url, accept=FEED_ACCEPT + ", text/html;q=0.9", max_bytes=client.limits.max_bytes,
                        cancel=cancel)
    try:
        feed = parse_fetched(page)
    except NotAFeed:
        pass
    else:
        return [FeedCandidate(page.url, feed.title, _kind(feed.version), "direct")]
    linked = find_feed_links(page.body[:MAX_PAGE_BYTES].decode(page.charset or "utf-8", "replace")
                             if _codec_ok(page.charset) else page.body[:MAX_PAGE_BYTES], page.url)
    if linked:
        return linked
    tried: list[str] = []
    if probe:
        for candidate in probe_urls(page.url)[:max_probes]:
            if candidate == page.url:
                continue
            tried.append(candidate)
            try:
                answer = client.fetch(candidate, accept=FEED_ACCEPT, cancel=cancel)
                feed = parse_fetched(answer)
            except (FetchError, NotAFeed):
                if cancel is not None and cancel.is_set():
                    raise
                continue
            return [FeedCandidate(answer.url, feed.title, _kind(feed.version), "probe")]
    paths = ", ".join(urlsplit(t).path for t in tried[:8]) or "none"
    raise NoFeedFound(f"no feed found at {page.url} (the page links none; tried {paths})")


def _kind(version: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version.startswith("json"):
        return "json"
    return "rss"


def _codec_ok(name: str | None) -> bool:
    if not name:
        return False
    try:
        "".encode(name)
    except LookupError:
        return False
    return True
