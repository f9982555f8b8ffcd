"""Saved web pages (``.html``, ``.htm``): main text and metadata, without site furniture.

* Bytes are decoded by :mod:`reader.core.importers.encoding`, honouring the page's own
  ``<meta charset>`` / ``http-equiv`` / XML declaration when it is right.
* The main text comes from trafilatura (comments, navigation, teasers and footers are left out); it
  works on the string we give it and never fetches anything (no URL is passed, and links, images
  and the extraction timeout's signal handler are off). When trafilatura finds no main text, a
  plain lxml pass takes the ``<p>``, heading, list and quote text of ``<body>`` with scripts,
  styles, navigation, headers, footers, asides and forms removed.
* Title: ``og:title``, else trafilatura's title, else ``<title>`` (a trailing `` | Site`` removed),
  else the first sentence. Date (ISO): ``article:published_time`` and similar meta tags, ``<time
  datetime>``, else trafilatura/htmldate. Language: ``<html lang>`` or ``content-language``.
  Source: ``og:site_name``. URL: ``<link rel=canonical>``, else ``og:url``.
* Cut-off (truncated) pages are parsed as far as they go; a page without any text is skipped with a
  reason.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from reader.core.errors import ImportSkipped
from reader.core.importers.encoding import decode_bytes
from reader.core.importers.markdown_file import parse_any_date
from reader.core.importers.text import fold, is_credit, is_teaser_marker, title_from_text
from reader.core.language import language_code
from reader.core.models import ParsedArticle

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_FALLBACK_DROP = (
    "script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg",
    "button", "select", "template",
)
_FALLBACK_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "publish-date", "pubdate", "sailthru.date", "parsely-pub-date",
)
_WS = re.compile(r"\s+")
_config: Any = None
# trafilatura logs every page it finds nothing in as a warning; that is an outcome we report.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def sniff_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>``, XML declaration)."""
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _trafilatura_config() -> Any:
    global _config
    if _config is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no SIGALRM: we run in worker threads too
        _config = config
    return _config


def parse_html(data: bytes, *, file_name: str | None = None) -> ParsedArticle:
    """Parse a saved web page. Raises :class:`ImportSkipped` when it holds no article text."""
    text = decode_bytes(data, declared=sniff_charset(data[:4096])).text
    if "<" not in text:
        raise ImportSkipped("not an HTML page (no markup found)")
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ImportSkipped(f"unreadable HTML: {exc}") from None
    meta = _page_metadata(tree)
    paragraphs, extracted_title, extracted_date, extracted_lang = _trafilatura(text)
    if not paragraphs:
        paragraphs = _fallback_paragraphs(tree)
    if not paragraphs:
        flat = flatten_deep_nesting(text)
        if flat is not None:  # nested deeper than the parsers go: read the page with the excess removed
            try:
                paragraphs = _fallback_paragraphs(lxml_html.document_fromstring(flat.encode("utf-8"), parser=_parser()))
            except (etree.ParserError, ValueError):
                paragraphs = []
    paragraphs = [p for p in paragraphs if not is_credit(p) and not is_teaser_marker(p)]
    if not paragraphs:
        raise ImportSkipped("no article text found in the HTML page")
    title = meta.get("og_title") or extracted_title or _strip_site(meta.get("title"), meta.get("site"))
    if title and fold(paragraphs[0]) == fold(title) and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    if not title:
        title = title_from_text(paragraphs[0])
    return ParsedArticle(
        title=_WS.sub(" ", title).strip(),
        paragraphs=tuple(paragraphs),
        published=meta.get("date") or parse_any_date(extracted_date),
        source=meta.get("site"),
        url=meta.get("url"),
        lang=language_code(meta.get("lang")) or language_code(extracted_lang),
        file_name=file_name,
    )


#: Elements nested deeper than this are unwrapped (their text kept) before parsing again: libxml2
#: stops building the tree at 256 levels, so text deeper than that would be lost.
MAX_NESTING = 200
#: How many open elements a closing tag may implicitly close (bounds the work on hostile markup).
_CLOSE_SEARCH = 64
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"))
_BREAKS = frozenset(("p", "div", "br", "li", "tr", "td", "section", "article", "blockquote", "pre",
                     "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "main", "header", "footer"))


def flatten_deep_nesting(text: str, limit: int = MAX_NESTING) -> str | None:
    """The page with tags nested deeper than ``limit`` removed (a line break for block tags), or
    None when nothing is nested that deep. Linear in the size of the page."""
    if text.count("<") <= limit:
        return None
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    kept_depth = 0
    pos = 0
    changed = False
    for m in _TAG.finditer(text):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        out.append(text[pos:m.start()])
        pos = m.end()
        if name in _VOID or self_closing:
            out.append(m.group(0))
            continue
        if not closing:
            keep = kept_depth < limit
            stack.append((name, keep))
            if keep:
                kept_depth += 1
                out.append(m.group(0))
            else:
                changed = True
                out.append("\n" if name in _BREAKS else " ")
            continue
        # a closing tag: pop to its opening tag (HTML closes what is left open in between)
        for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _CLOSE_SEARCH), -1):
            if stack[i][0] == name:
                for _, was_kept in stack[i + 1 :]:
                    kept_depth -= was_kept
                del stack[i + 1 :]
                _, keep = stack.pop()
                if keep:
                    kept_depth -= 1
                    out.append(m.group(0))
                else:
                    out.append("\n" if name in _BREAKS else " ")
                break
        else:
            out.append(" ")  # a stray closing tag
    out.append(text[pos:])
    return "".join(out) if changed else None


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)


def _trafilatura(text: str) -> tuple[list[str], str | None, str | None, str | None]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text,
            url=None,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_trafilatura_config(),
        )
    except Exception:  # noqa: BLE001 - a library failure on one page means "use the fallback"
        return [], None, None, None
    if doc is None:
        return [], None, None, None
    body = getattr(doc, "text", None) or ""
    paragraphs = [_WS.sub(" ", line).strip() for line in body.split("\n")]
    return (
        [p for p in paragraphs if p],
        getattr(doc, "title", None) or None,
        getattr(doc, "date", None) or None,
        getattr(doc, "language", None) or None,
    )


def _fallback_paragraphs(tree: Any) -> list[str]:
    body = tree.find("body")
    if body is None:
        return []
    for el in list(body.iter(*_FALLBACK_DROP)):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    out: list[str] = []
    for el in body.iter(*_FALLBACK_BLOCKS):
        if any(anc.tag in _FALLBACK_BLOCKS for anc in el.iterancestors()):
            continue
        value = _WS.sub(" ", el.text_content()).strip()
        if value:
            out.append(value)
    if not out:
        out = [_WS.sub(" ", line).strip() for line in body.text_content().split("\n")]
        out = [p for p in out if p]
    return out


def _page_metadata(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
        value = (el.get("content") or "").strip()
        if not value:
            continue
        if key == "og:title":
            meta.setdefault("og_title", value)
        elif key == "og:site_name":
            meta.setdefault("site", value)
        elif key == "og:url":
            meta.setdefault("og_url", value)
        elif key in ("content-language", "og:locale", "language", "dc.language") and not lang:
            lang = value
        elif key in _DATE_META and "date" not in meta:
            parsed = parse_any_date(value)
            if parsed:
                meta["date"] = parsed
    if "date" not in meta:
        for el in tree.iter("time"):
            parsed = parse_any_date(el.get("datetime"))
            if parsed:
                meta["date"] = parsed
                break
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            meta["url"] = el.get("href").strip()
            break
    if "url" not in meta and "og_url" in meta:
        meta["url"] = meta["og_url"]
    title_el = tree.find(".//title")
    if title_el is not None and title_el.text_content().strip():
        meta["title"] = _WS.sub(" ", title_el.text_content()).strip()
    if lang:
        meta["lang"] = lang
    return meta


def _strip_site(title: str | None, site: str | None) -> str | None:
    """``"Headline | Site"`` -> ``"Headline"`` (also `` - `` and `` — `` separators)."""
    if not title:
        return None
    for pipe, sep in ((True, r"\s+\|\s+"), (False, r"\s+[–—-]\s+")):
        matches = list(re.finditer(sep, title))
        if not matches:
            continue
        head, last = title[: matches[-1].start()].strip(), title[matches[-1].end() :].strip()
        if head and ((site and fold(last) == fold(site)) or (pipe and len(last) <= 40)):
            return head
    return title
