"""Feed documents (bytes we fetched) into :class:`ParsedFeed` and :class:`FeedEntry` dataclasses.

RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through feedparser 6, always given bytes in a ``BytesIO`` (never
a URL, never a string it could take for a file name) and the HTTP ``content-type`` and
``content-location`` so it can use the charset and resolve relative links. JSON Feed 1.0/1.1, which
feedparser does not read, is parsed here with :mod:`json`, bounded in size and depth, and its HTML
sanitized with nh3 as feedparser sanitizes the XML formats' HTML.

Before feedparser sees a document, two things are settled here:

- **the encoding**: BOM, then the XML declaration and the HTTP charset. When they disagree, a body that
  is valid UTF-8 is UTF-8, else the first of (declaration, HTTP) that decodes; a mislabelled
  Content-Type is the commonest fault of real feeds. The document reaches feedparser as UTF-8;
- **the DOCTYPE**: it is rebuilt with only short, self-contained entities (``<!ENTITY nbsp "&#160;">``).
  External entities (``SYSTEM``/``PUBLIC``), parameter entities and entities that reference other
  entities are dropped, so neither a billion-laughs bomb, a quadratic blow-up (which feedparser's
  lenient fallback parser would expand: ~90 s and ~3 GB for a 150 KB document, measured) nor a
  ``file://`` entity can do anything. Expat's own amplification limit stays as a second guard.

Ill-formed ("bozo") feeds keep whatever entries feedparser recovers; ``bozo_reason`` says why. A
document that is no feed at all raises :class:`~reader.core.feeds.errors.NotAFeed` with one line.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.core.feeds.errors import NotAFeed
from reader.core.feeds.http import FetchResult, split_content_type

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
               "application/json;q=0.8, */*;q=0.5")
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 5000
_MAX_JSON_DEPTH = 64
_SAFE_ENTITY_CHARS = 32
_MAX_SAFE_ENTITIES = 256


@dataclass(frozen=True)
class Enclosure:
    """A file attached to an entry (podcast audio, a picture, a PDF): RSS enclosure, JSON attachment."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, normalised across formats.

    ``title`` and ``author`` are plain text; ``summary_html`` and ``content_html`` are sanitized HTML
    with absolute links (content is ``content:encoded`` / Atom ``content`` / JSON ``content_html``;
    a summary that only repeats the content is dropped). Dates are aware UTC datetimes; ``published``
    falls back to the updated date when a feed gives only that (RSS 1.0's ``dc:date``). ``images``
    are picture URLs from enclosures, Media RSS, iTunes and JSON Feed ``image``, in order, no repeats.
    """

    guid: str | None
    link: str | None
    title: str | None
    author: str | None
    published: datetime | None
    updated: datetime | None
    summary_html: str | None
    content_html: str | None
    enclosures: tuple[Enclosure, ...] = ()
    images: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A stable identity within its feed: the GUID, else the link, else a hash of title and text."""
        if self.guid:
            return self.guid
        if self.link:
            return self.link
        digest = hashlib.sha1(f"{self.title or ''}\n{self.summary_html or ''}\n{self.content_html or ''}"
                              .encode("utf-8", "surrogatepass")).hexdigest()
        return f"sha1:{digest}"


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its own metadata and its entries (at most :data:`MAX_ENTRIES`).

    ``version`` is feedparser's name for the format (``rss20``, ``rss10``, ``rss091u``, ``atom10``,
    ``atom03``...) or ``json10`` / ``json11``. ``site_url`` is the site's home page, ``feed_url`` the
    feed's own address as it declares it (Atom ``rel="self"``, JSON ``feed_url``). ``bozo_reason`` is
    set when the document was ill-formed but still gave what is here.
    """

    title: str | None
    site_url: str | None
    feed_url: str | None
    description: str | None
    language: str | None
    icon: str | None
    version: str
    encoding: str | None
    entries: tuple[FeedEntry, ...]
    bozo_reason: str | None = None

    @property
    def bozo(self) -> bool:
        """True when the document was ill-formed (what could be recovered is still here)."""
        return self.bozo_reason is not None


# --- public functions ---------------------------------------------------------------------------
def parse_feed(data: bytes, *, url: str | None = None, content_type: str | None = None,
               max_bytes: int = MAX_FEED_BYTES) -> ParsedFeed:
    """Parse a feed document fetched from ``url`` and served as ``content_type``.

    Raises :class:`NotAFeed` for anything that is not RSS, Atom or JSON Feed, including an empty or
    oversized document. Never raises anything else for bad input.
    """
    where = url or "the document"
    if len(data) > max_bytes:
        raise NotAFeed(f"{where} is too large to be read as a feed ({len(data):,} bytes)")
    mime, http_charset = split_content_type(content_type)
    if not data.strip():
        raise NotAFeed(f"{where} is empty, not a feed")
    try:
        if _looks_like_json(data, mime):
            return _parse_json_feed(data, url, where)
        return _parse_xml_feed(data, url, mime, http_charset, where)
    except NotAFeed:
        raise
    except Exception as exc:  # noqa: BLE001 - feedparser's internals must never reach the user as a traceback
        raise NotAFeed(f"{where} cannot be read as a feed ({type(exc).__name__})") from exc


def parse_fetched(result: FetchResult, *, max_bytes: int = MAX_FEED_BYTES) -> ParsedFeed:
    """:func:`parse_feed` on a :class:`~reader.core.feeds.http.FetchResult` (final URL, its Content-Type)."""
    return parse_feed(result.body, url=result.url, content_type=result.headers.get("content-type"),
                      max_bytes=max_bytes)


TRUNCATION_MARKERS = ("…", "...", "[…]", "[...]", "read more", "continue reading", "read the rest",
                      "more »", "(more)", "weiterlesen", "citește mai mult", "читать далее", "skaityti daugiau")


def full_text_needed(entry: FeedEntry, *, min_content_chars: int = 500, min_summary_chars: int = 1000) -> bool:
    """Whether ``full_text = auto`` should fetch the entry's page for its text.

    Yes when the entry has a link and carries no real article: no content and a summary shorter than
    ``min_summary_chars`` characters of text, content shorter than ``min_content_chars``, or a text
    (under 3,000 characters) that ends like a teaser ("…", "Read more", "Continue reading").
    """
    if not entry.link:
        return False
    body = entry.content_html if entry.content_html else entry.summary_html
    text = html_to_text(body or "")
    if not text:
        return True
    if len(text) < 3000 and _ends_like_teaser(text):
        return True
    return len(text) < (min_content_chars if entry.content_html else min_summary_chars)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (script/style dropped)."""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    parser = _TextParser()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser on hostile input: fall back to what was collected
        pass
    return " ".join("".join(parser.parts).split())


# --- encoding -------------------------------------------------------------------------------------
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})["']""")
_DECL = re.compile(r"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])[A-Za-z0-9._:\-]{1,40}\2""")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _sniff_wide(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, from the pattern of NULs around the first '<'."""
    head = data[:4]
    if head == b"\x00\x00\x00<":
        return "utf-32-be"
    if head == b"<\x00\x00\x00":
        return "utf-32-le"
    if head[:2] == b"\x00<":
        return "utf-16-be"
    if head[:2] == b"<\x00":
        return "utf-16-le"
    return None


def _decodes(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_document(data: bytes, http_charset: str | None) -> tuple[str, str]:
    """Decode a feed document: returns ``(text, encoding used)``. See the module doc for the policy."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, "replace"), codec
    wide = _sniff_wide(data)
    if wide:
        return data.decode(wide, "replace"), wide
    match = _XML_DECL_ENCODING.match(data)
    declared = _codec(match.group(1).decode("ascii")) if match else None
    served = _codec(http_charset)
    candidates = [c for c in (declared, served) if c]
    if "utf-8" in candidates or not candidates:
        text = _decodes(data, "utf-8")
        if text is not None:
            return text, "utf-8"
    for codec in candidates:
        text = _decodes(data, codec)
        if text is not None:
            return text, codec
    if not candidates:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1024 * 1024]).best()
        if best is not None and _codec(best.encoding):
            return data.decode(best.encoding, "replace"), best.encoding
    codec = candidates[0] if candidates else "windows-1252"
    return data.decode(codec, "replace"), codec


# --- XML: DOCTYPE defusing ----------------------------------------------------------------------
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_ANY_ENTITY = re.compile(rb"<!ENTITY[^>]*>")
_SAFE_ENTITY = re.compile(rb'<!ENTITY\s+(\w{1,40})\s+"(&#\w{1,10};|[^&"%<]{0,' + str(_SAFE_ENTITY_CHARS).encode() + rb'})"\s*>')
_DOCTYPE_END = re.compile(rb"\]\s*>")


def defuse_prolog(data: bytes) -> tuple[bytes, bool]:
    """Rebuild the DOCTYPE of a UTF-8 XML document with only harmless entities.

    Returns ``(document, netscape)``; ``netscape`` tells that the DOCTYPE named the Netscape RSS 0.91 DTD
    (feedparser's ``rss091n``), a fact lost with the DOCTYPE itself.
    """
    match = _FIRST_ELEMENT.search(data)
    end = match.start() if match else len(data)
    head, body = data[:end], data[end:]
    if b"<!DOCTYPE" not in head and b"<!ENTITY" not in head:
        return data, False
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        return _ANY_ENTITY.sub(b"", head) + body, False
    rest = head[start:]
    gt = rest.find(b">")
    bracket = rest.find(b"[")
    if bracket != -1 and (gt == -1 or bracket < gt):
        closing = _DOCTYPE_END.search(rest, bracket)
        doctype_end = closing.end() if closing else len(rest)
    else:
        doctype_end = gt + 1 if gt != -1 else len(rest)
    doctype = rest[:doctype_end]
    netscape = b"netscape" in doctype.lower()
    safe = _SAFE_ENTITY.findall(doctype)[:_MAX_SAFE_ENTITIES]
    rebuilt = b""
    if safe:
        rebuilt = b"<!DOCTYPE rss [\n" + b"".join(b'<!ENTITY %s "%s">\n' % pair for pair in safe) + b"]>\n"
    cleaned = _ANY_ENTITY.sub(b"", head[:start]) + rebuilt + _ANY_ENTITY.sub(b"", rest[doctype_end:])
    return cleaned + body, netscape


# --- XML feeds through feedparser ------------------------------------------------------------------
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _parse_xml_feed(data: bytes, url: str | None, mime: str | None, http_charset: str | None,
                    where: str) -> ParsedFeed:
    import feedparser

    text, encoding = decode_document(data, http_charset)
    text = _DECL.sub(r"\1\2utf-8\2", text, count=1)
    utf8, netscape = defuse_prolog(text.encode("utf-8", "surrogatepass"))
    served_as = mime or "application/xml"
    if served_as in ("text/html", "text/plain", "application/octet-stream") and _looks_like_xml(utf8):
        served_as = "application/xml"  # a feed served as a web page: let the strict parser try it
    headers = {"content-type": f"{served_as}; charset=utf-8"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(io.BytesIO(utf8), response_headers=headers)
    version = str(parsed.get("version") or "")
    raw_entries = list(parsed.get("entries") or [])
    if not version and not raw_entries:
        raise NotAFeed(_not_a_feed_message(where, utf8, mime))
    if netscape and version == "rss091u":
        version = "rss091n"
    feed = parsed.get("feed") or {}
    base = url or ""
    feed_author = _person(feed.get("author_detail"), feed.get("author"))
    entries = tuple(_entry(e, base, feed_author) for e in raw_entries[:MAX_ENTRIES])
    links = feed.get("links") or []
    feed_url = next((_http_url(link.get("href"), base) for link in links
                     if isinstance(link, Mapping) and link.get("rel") == "self"), None)
    image = feed.get("image") or {}
    icon = _http_url(image.get("href") if isinstance(image, Mapping) else None, base) or _http_url(
        feed.get("icon"), base)
    bozo = None
    if parsed.get("bozo"):
        bozo = _one_line(str(parsed.get("bozo_exception") or "ill-formed document"))
    return ParsedFeed(
        title=_plain(feed.get("title"), feed.get("title_detail")),
        site_url=_http_url(feed.get("link"), base),
        feed_url=feed_url,
        description=_plain(feed.get("subtitle"), feed.get("subtitle_detail")),
        language=_clean_str(feed.get("language")),
        icon=icon,
        version=version or "unknown",
        encoding=encoding,
        entries=entries,
        bozo_reason=bozo,
    )


def _entry(e: Mapping[str, Any], base: str, feed_author: str | None) -> FeedEntry:
    link = _http_url(e.get("link"), base)
    if link is None:
        for item in e.get("links") or []:
            if isinstance(item, Mapping) and item.get("rel") in (None, "alternate"):
                link = _http_url(item.get("href"), base)
                if link:
                    break
    content_html = _pick_content(e.get("content"))
    summary_html = _as_html(e.get("summary"), e.get("summary_detail"))
    if summary_html and content_html and summary_html.strip() == content_html.strip():
        summary_html = None  # feedparser copies Atom content into a missing summary
    enclosures: list[Enclosure] = []
    images: list[str] = []
    for enc in e.get("enclosures") or []:
        if not isinstance(enc, Mapping):
            continue
        href = _http_url(enc.get("href") or enc.get("url"), base)
        if not href:
            continue
        kind = _clean_str(enc.get("type"))
        enclosures.append(Enclosure(href, kind, _int(enc.get("length"))))
        if kind and kind.startswith("image/"):
            images.append(href)
    for media in e.get("media_content") or []:
        if isinstance(media, Mapping) and (media.get("medium") == "image"
                                           or str(media.get("type") or "").startswith("image/")):
            images.append(_http_url(media.get("url"), base) or "")
    for thumb in e.get("media_thumbnail") or []:
        if isinstance(thumb, Mapping):
            images.append(_http_url(thumb.get("url"), base) or "")
    image = e.get("image")
    if isinstance(image, Mapping):
        images.append(_http_url(image.get("href"), base) or "")
    tags = tuple(dict.fromkeys(
        t for t in (_clean_str(tag.get("term")) for tag in e.get("tags") or [] if isinstance(tag, Mapping)) if t))
    return FeedEntry(
        guid=_clean_str(e.get("id")),
        link=link,
        title=_plain(e.get("title"), e.get("title_detail")),
        author=_person(e.get("author_detail"), e.get("author")) or feed_author,
        published=(_struct_dt(e.get("published_parsed")) or _struct_dt(e.get("created_parsed"))
                   or _struct_dt(_own(e, "updated_parsed"))),  # RSS 1.0's dc:date is all some feeds have
        updated=_struct_dt(_own(e, "updated_parsed")),
        summary_html=summary_html,
        content_html=content_html,
        enclosures=tuple(enclosures),
        images=tuple(dict.fromkeys(i for i in images if i)),
        tags=tags,
    )


def _own(mapping: Mapping[str, Any], key: str) -> Any:
    """``mapping[key]`` without FeedParserDict's deprecated updated -> published fallback."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else mapping.get(key)


def _pick_content(contents: Any) -> str | None:
    if not isinstance(contents, list):
        return None
    best: str | None = None
    for item in contents:
        if not isinstance(item, Mapping):
            continue
        value = item.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        kind = str(item.get("type") or "")
        as_html = value if any(t in kind for t in _HTML_TYPES) else _text_to_html(value)
        if any(t in kind for t in _HTML_TYPES):
            return as_html
        best = best or as_html
    return best


def _as_html(value: Any, detail: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    kind = str(detail.get("type") or "") if isinstance(detail, Mapping) else "text/html"
    return value if any(t in kind for t in _HTML_TYPES) else _text_to_html(value)


def _plain(value: Any, detail: Any = None) -> str | None:
    if not isinstance(value, str):
        return None
    kind = str(detail.get("type") or "") if isinstance(detail, Mapping) else ""
    text = html_to_text(value) if any(t in kind for t in _HTML_TYPES) else " ".join(value.split())
    return text or None


def _person(detail: Any, fallback: Any) -> str | None:
    if isinstance(detail, Mapping):
        name = _clean_str(detail.get("name"))
        if name:
            return name
    return _clean_str(fallback)


def _struct_dt(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


# --- JSON Feed ----------------------------------------------------------------------------------------
def _looks_like_json(data: bytes, mime: str | None) -> bool:
    if mime in ("application/feed+json", "application/json", "text/json"):
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _parse_json_feed(data: bytes, url: str | None, where: str) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotAFeed(f"{where} is not a feed (not valid JSON)") from exc
    if not isinstance(doc, dict) or not str(doc.get("version") or "").startswith("https://jsonfeed.org/version/"):
        raise NotAFeed(f"{where} is not a feed (JSON, but not a JSON Feed)")
    if _depth(doc) > _MAX_JSON_DEPTH:
        raise NotAFeed(f"{where} is not a feed (JSON nested too deeply)")
    version = "json11" if str(doc["version"]).rstrip("/").endswith("1.1") else "json10"
    base = url or _clean_str(doc.get("feed_url")) or ""
    feed_author = _json_author(doc)
    items = doc.get("items")
    bozo = None if isinstance(items, list) else "JSON Feed without an items list"
    entries: list[FeedEntry] = []
    for item in (items if isinstance(items, list) else [])[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            bozo = bozo or "an item is not an object"
            continue
        entries.append(_json_entry(item, base, feed_author))
    return ParsedFeed(
        title=_clean_str(doc.get("title")),
        site_url=_http_url(doc.get("home_page_url"), base),
        feed_url=_http_url(doc.get("feed_url"), base),
        description=_clean_str(doc.get("description")),
        language=_clean_str(doc.get("language")),
        icon=_http_url(doc.get("icon"), base) or _http_url(doc.get("favicon"), base),
        version=version,
        encoding="utf-8",
        entries=tuple(entries),
        bozo_reason=bozo,
    )


def _json_entry(item: dict[str, Any], base: str, feed_author: str | None) -> FeedEntry:
    import nh3

    guid = item.get("id")
    content_html = item.get("content_html")
    content = nh3.clean(content_html) if isinstance(content_html, str) and content_html.strip() else None
    if content is None and isinstance(item.get("content_text"), str) and item["content_text"].strip():
        content = _text_to_html(item["content_text"])
    summary = item.get("summary")
    images = [_http_url(item.get(key), base) for key in ("image", "banner_image")]
    enclosures: list[Enclosure] = []
    for att in item.get("attachments") or []:
        if isinstance(att, dict):
            href = _http_url(att.get("url"), base)
            if href:
                kind = _clean_str(att.get("mime_type"))
                enclosures.append(Enclosure(href, kind, _int(att.get("size_in_bytes"))))
                if kind and kind.startswith("image/"):
                    images.append(href)
    tags = item.get("tags")
    return FeedEntry(
        guid=str(guid) if isinstance(guid, str | int | float) and not isinstance(guid, bool) and str(guid) else None,
        link=_http_url(item.get("url"), base) or _http_url(item.get("external_url"), base),
        title=_clean_str(item.get("title")),
        author=_json_author(item) or feed_author,
        published=_iso_dt(item.get("date_published")),
        updated=_iso_dt(item.get("date_modified")),
        summary_html=_text_to_html(summary) if isinstance(summary, str) and summary.strip() else None,
        content_html=content,
        enclosures=tuple(enclosures),
        images=tuple(dict.fromkeys(i for i in images if i)),
        tags=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))
        if isinstance(tags, list) else (),
    )


def _json_author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    candidates = authors if isinstance(authors, list) else []
    if isinstance(obj.get("author"), dict):
        candidates = [*candidates, obj["author"]]
    found = (_clean_str(a.get("name")) for a in candidates if isinstance(a, dict))
    names = [n for n in found if n]
    return ", ".join(dict.fromkeys(names)) or None


def _iso_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (when.replace(tzinfo=UTC) if when.tzinfo is None else when).astimezone(UTC)


def _depth(obj: Any) -> int:
    """Nesting depth of a JSON value, iteratively (no recursion on hostile input)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(obj, 1)]
    for _ in range(10_000_000):
        if not stack:
            break
        value, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > _MAX_JSON_DEPTH:
            return deepest
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest


# --- small helpers -----------------------------------------------------------------------------------
class _TextParser(HTMLParser):
    """Collects visible text; block-level tags become spaces."""

    _SKIP = frozenset({"script", "style", "template", "noscript"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
                        "blockquote", "pre", "section", "article", "figcaption", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def _ends_like_teaser(text: str) -> bool:
    tail = text[-40:].lower().rstrip(" »→>)]")
    return any(tail.endswith(m.rstrip(" »→>)]")) or m in tail[-25:] for m in TRUNCATION_MARKERS)


def _http_url(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        absolute = urljoin(base, value.strip()) if base else value.strip()
        parts = urlsplit(absolute)
    except ValueError:
        return None
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200] or "ill-formed document"


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf"))


def _not_a_feed_message(where: str, data: bytes, mime: str | None) -> str:
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or mime in ("text/html", "application/xhtml+xml"):
        return f"{where} is not a feed (it is a web page)"
    if mime and mime.startswith(("image/", "audio/", "video/")):
        return f"{where} is not a feed (it is {mime})"
    return f"{where} is not a feed (no RSS, Atom or JSON Feed found)"

