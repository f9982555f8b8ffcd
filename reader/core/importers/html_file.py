"""Saved web pages (``.html``, ``.htm``): main text and metadata, without site furniture.

* Bytes are decoded by :mod:`reader.core.importers.encoding`, honouring the page's own
  ``<meta charset>`` / ``http-equiv`` / XML declaration when it is right.
* The main text comes from trafilatura (comments, navigation, teasers and footers are left out); it
  works on the string we give it and never fetches anything (no URL is passed, and links, images
  and the extraction timeout's signal handler are off). When trafilatura finds no main text, a
  plain lxml pass takes the ``<p>``, heading, list and quote text of ``<body>`` with scripts,
  styles, navigation, headers, footers, asides and forms removed.
* Title (:func:`choose_title`): an ``<h1>``/``<h2>`` of the page (not the site's logo) that
  ``og:title``, the JSON-LD ``headline`` or ``<title>`` confirms (with or without the site name
  around it), else the JSON-LD headline, else ``og:title`` or ``<title>`` without the site name
  (`` | Site``, `` - Site``, ``Site: ``), else trafilatura's title, else the first sentence.
* Lead (:func:`clean_lead`): leading lines that are not the article's text are left out: the title
  repeated, bylines ("By X", "Autor: X"), photo credits with their captions, datelines and dates on
  their own line, "Updated ..." lines, share buttons, cookie notices. Date (ISO): ``article:published_time`` and similar meta tags, ``<time
  datetime>``, else trafilatura/htmldate. Language: ``<html lang>`` or ``content-language``.
  Source: ``og:site_name``. URL: ``<link rel=canonical>``, else ``og:url``.
* Cut-off (truncated) pages are parsed as far as they go; a page without any text is skipped with a
  reason.
* Bounded work: libxml2 checks each attribute of a tag against all the earlier ones, and
  trafilatura/justext/htmldate parse the page again (200,000 attributes on one ``<p>`` did not
  finish in 15 minutes). A tag keeps its first :data:`MAX_ATTRIBUTES` attributes
  (:func:`limit_attributes`, linear) before any parser sees the page. Pages with more than
  :data:`MAX_TRAFILATURA_TAGS` tags are read by the plain lxml pass alone (trafilatura took over a
  minute on 20 MB of paragraphs).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from reader.core.errors import ImportSkipped
from reader.core.importers.encoding import decode_bytes
from reader.core.importers.images import ArticleImages, srcset_candidates
from reader.core.importers.markdown_file import parse_any_date
from reader.core.importers.text import MAX_CLUTTER_LINES, fold, is_credit, is_teaser_marker, title_from_text
from reader.core.language import language_code
from reader.core.models import ParsedArticle, ParsedBlock, ParsedImage

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


def parse_html(data: bytes, *, file_name: str | None = None, encoding: str | None = None,
               folder: Path | None = None, base_url: str | None = None) -> ParsedArticle:
    """Parse a saved web page. Raises :class:`ImportSkipped` when it holds no article text.

    ``encoding`` (a person's override) beats the page's own ``<meta charset>``. Pictures are read
    from ``folder`` (the page's folder: relative paths under it only) and ``data:`` URIs; remote
    ones are kept as not available. ``base_url`` (a page fetched by the feeds): relative pictures
    become absolute URLs with ``data=None``, for the feeds to fetch."""
    decoded = decode_bytes(data, declared=sniff_charset(data[:4096]), encoding=encoding)
    text = decoded.text
    if "<" not in text:
        raise ImportSkipped("not an HTML page (no markup found)")
    tags = text.count("<")
    if tags > MAX_HTML_TAGS:  # even the plain pass takes ~8 us a tag: 6.6M empty <p> would be ~55 s
        raise ImportSkipped(f"too many HTML tags for an article ({tags:,} > {MAX_HTML_TAGS:,})")
    text = limit_attributes(text)
    text, pictures = tag_pictures(text)
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ImportSkipped(f"unreadable HTML: {exc}") from None
    meta = _page_metadata(tree)
    headings, ld_headline = _headings(tree, meta.get("site")), _json_ld_headline(tree)
    collector = ArticleImages(folder, base_url)
    resolver = _PictureResolver(tree, pictures, collector)
    if within_trafilatura_budget(text):
        blocks, extracted_title, extracted_date, extracted_lang = _trafilatura(text, resolver)
    else:  # too many elements for trafilatura's time: the plain pass below reads the page
        blocks, extracted_title, extracted_date, extracted_lang = [], None, None, None
    if not _texts(blocks):
        blocks = _fallback_blocks(tree, resolver)
    if not _texts(blocks):
        flat = flatten_deep_nesting(text)
        if flat is not None:  # nested deeper than the parsers go: read the page with the excess removed
            try:
                flat_tree = lxml_html.document_fromstring(flat.encode("utf-8"), parser=_parser())
                blocks = _fallback_blocks(flat_tree, _PictureResolver(flat_tree, pictures, collector))
            except (etree.ParserError, ValueError):
                blocks = []
    title = choose_title(meta, headings, ld_headline, extracted_title)
    paragraphs = _texts(blocks)
    if paragraphs:
        kept = clean_lead(paragraphs, title)  # before credits go: it drops their captions too
        blocks = _drop_leading_texts(blocks, len(paragraphs) - len(kept))
    blocks = _lead_pictures_without_captions(blocks)
    if len(_texts(blocks)) <= MAX_CLUTTER_LINES:  # the same budget as plain text's clutter rules
        kept_blocks: list[ParsedBlock] = []
        for b in blocks:
            if b.text and (is_credit(b.text) or is_teaser_marker(b.text)):
                stripped = _without_text(b)
                if stripped is not None:
                    kept_blocks.append(stripped)
            else:
                kept_blocks.append(b)
        blocks = kept_blocks
    paragraphs = _texts(blocks)
    if not paragraphs:
        raise ImportSkipped("no article text found in the HTML page")
    if not title:
        title = title_from_text(paragraphs[0])
    blocks, images = _renumber(blocks, collector)
    return ParsedArticle(
        title=_WS.sub(" ", title).strip(),
        paragraphs=tuple(paragraphs),
        published=meta.get("date") or parse_any_date(extracted_date),
        source=meta.get("site"),
        url=meta.get("url"),
        lang=language_code(meta.get("lang")) or language_code(extracted_lang),
        file_name=file_name,
        encoding=decoded.encoding,
        encoding_alternatives=decoded.alternatives if decoded.ambiguous else (),
        blocks=tuple(blocks),
        images=images,
    )


def _texts(blocks: list[ParsedBlock]) -> list[str]:
    return [b.text for b in blocks if b.text]


def _without_text(block: ParsedBlock) -> ParsedBlock | None:
    """The block with its text left out: an image keeps its picture (without the caption), any
    other block goes."""
    if block.kind == "image":
        return ParsedBlock(kind="image", image=block.image, alt=block.alt)
    return None


def _lead_pictures_without_captions(blocks: list[ParsedBlock]) -> list[ParsedBlock]:
    """Pictures before the article's first text keep their caption as alt text only: the text
    starts with the article, as it did before pictures were kept (a lead photo's caption is not
    its first paragraph)."""
    out = list(blocks)
    for i, block in enumerate(out):
        if block.text and block.kind != "image":
            break
        if block.kind == "image" and block.text:
            out[i] = ParsedBlock(kind="image", image=block.image, alt=block.alt or block.text)
    return out


def _drop_leading_texts(blocks: list[ParsedBlock], count: int) -> list[ParsedBlock]:
    """``blocks`` with the text of the first ``count`` blocks that have text left out."""
    if count <= 0:
        return blocks
    out: list[ParsedBlock] = []
    for block in blocks:
        if count and block.text:
            count -= 1
            stripped = _without_text(block)
            if stripped is not None:
                out.append(stripped)
            continue
        out.append(block)
    return out


def _renumber(blocks: list[ParsedBlock], collector: ArticleImages) -> tuple[list[ParsedBlock], tuple[ParsedImage, ...]]:
    """Blocks and the pictures they still use (in block order, each once), indices renumbered."""
    used: dict[int, int] = {}
    images: list[ParsedImage] = []
    out: list[ParsedBlock] = []
    for block in blocks:
        if block.kind == "image" and block.image is not None:
            new = used.get(block.image)
            if new is None:
                new = used[block.image] = len(images)
                images.append(collector.images[block.image])
            if new != block.image:
                block = ParsedBlock(kind="image", text=block.text, image=new, alt=block.alt)
        out.append(block)
    return out, tuple(images)


# --- pictures: every <img> tagged before parsing, so trafilatura keeps it and we know which it was --
#: The src a picture is given for the parsers: trafilatura keeps an <img> only when its src looks
#: like an image file (no data: URI, no .svg, no address without an extension).
PICTURE_PLACEHOLDER = "reader-picture-{}.png"
_PLACEHOLDER = re.compile(r"^reader-picture-(\d+)\.png$")
_IMG_TAG = re.compile(
    r"<img\b((?:\s*+[^\s\"'<>/=]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+|\s*+/(?!>))*+)\s*+/?>",
    re.IGNORECASE)
_IMG_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]++)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+""")
_SOURCE_ATTRIBUTES = frozenset(("src", "srcset", "data-srcset", "data-lazy-srcset"))
#: Most <img> tags read (the pictures' own caps are far lower: see reader.core.importers.images).
MAX_PICTURE_TAGS = 20_000


def tag_pictures(text: str) -> tuple[str, list[dict[str, str]]]:
    """The page with each ``<img>``'s sources replaced by a placeholder (see
    :data:`PICTURE_PLACEHOLDER`), and each picture's original attributes (names lower-cased, values
    unescaped), in order. Linear; the page is returned unchanged when it has no ``<img``."""
    if "<img" not in text and "<IMG" not in text and "<Img" not in text:
        return text, []
    pictures: list[dict[str, str]] = []

    def replace(m: re.Match[str]) -> str:
        if len(pictures) >= MAX_PICTURE_TAGS:
            return " "
        attrs: dict[str, str] = {}
        kept: list[str] = []
        for a in _IMG_ATTRIBUTE.finditer(m.group(1)):
            name = a.group(1).lower()
            raw = a.group(2) or ""
            if raw[:1] in ("'", '"'):
                raw = raw[1:-1]
            attrs.setdefault(name, html_lib.unescape(raw) if "&" in raw else raw)
            if name in _SOURCE_ATTRIBUTES or name.startswith("data-src"):
                continue
            kept.append(" " + a.group(0))
        placeholder = PICTURE_PLACEHOLDER.format(len(pictures))
        pictures.append(attrs)
        return f'<img src="{placeholder}"{"".join(kept)}>'

    return _IMG_TAG.sub(replace, text), pictures


class _PictureResolver:
    """Turns a picture the parsers kept (its placeholder) into an image block's picture and caption."""

    def __init__(self, tree: Any, pictures: list[dict[str, str]], collector: ArticleImages) -> None:
        self.tree = tree
        self.pictures = pictures
        self.collector = collector
        self._elements: dict[str, Any] | None = None

    def _element(self, placeholder: str) -> Any:
        if self._elements is None:
            self._elements = {}
            for el in self.tree.iter("img"):
                src = el.get("src")
                if src and src not in self._elements:
                    self._elements[src] = el
        return self._elements.get(placeholder)

    def block(self, src: str | None, alt: str | None = None) -> ParsedBlock | None:
        """The image block for a picture whose (placeholder) src is ``src``; None: no block."""
        m = _PLACEHOLDER.match(src or "")
        if m is None or int(m.group(1)) >= len(self.pictures):
            index = self.collector.add([src], alt or "")
            return None if index is None else ParsedBlock(kind="image", image=index, alt=alt or "")
        attrs = self.pictures[int(m.group(1))]
        el = self._element(src or "")
        caption = ""
        candidates = srcset_candidates(attrs.get("srcset") or attrs.get("data-srcset") or attrs.get("data-lazy-srcset"))
        if el is not None:
            figure = next(el.iterancestors("figure"), None)
            if figure is not None:
                cap = figure.find(".//figcaption")
                if cap is not None:
                    caption = figure_caption(cap)
            parent = el.getparent()
            if parent is not None and parent.tag == "picture":
                for source in parent.iter("source"):
                    candidates += srcset_candidates(source.get("srcset"))
        srcs = [attrs.get("src")] + [v for k, v in attrs.items() if k.startswith("data-src") and "srcset" not in k]
        alt_text = attrs.get("alt") or ""
        index = self.collector.add(srcs, alt_text, candidates, (attrs.get("width"), attrs.get("height")))
        if index is None:
            return None
        return ParsedBlock(kind="image", text=caption, image=index, alt=" ".join(alt_text.split()))


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


#: Attributes kept per tag (real pages stay far below; each extra one costs every parser more).
MAX_ATTRIBUTES = 32
# A tag with more than MAX_ATTRIBUTES space-separated pieces (over-counts quoted values with spaces,
# which only means the exact count below runs). Possessive runs that stop at "<" and ">": linear.
_MANY_ATTRIBUTES = re.compile(r"<[A-Za-z][^\s<>/]*+(?:\s++[^\s<>]++){" + str(MAX_ATTRIBUTES + 1) + "}")
_START_TAG = re.compile(r"<([A-Za-z][^\s<>/]*+)(\s[^<>]*+)(?:>|(?=<)|\Z)")
_ATTRIBUTE = re.compile(r"""\s*+([^\s"'<>/=]++)(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+""")


def limit_attributes(text: str, limit: int = MAX_ATTRIBUTES) -> str:
    """The page with every start tag cut to its first ``limit`` attributes. Linear in its size; the
    page is returned unchanged (no copy) when no tag has that many."""
    if not _MANY_ATTRIBUTES.search(text):
        return text

    def cut(m: re.Match[str]) -> str:
        rest = m.group(2)
        if len(rest) <= 2 * limit:
            return m.group(0)
        kept: list[str] = []
        for count, attr in enumerate(_ATTRIBUTE.finditer(rest)):
            if count == limit:
                return f"<{m.group(1)}{''.join(kept)}>"
            kept.append(attr.group(0))
        return m.group(0)

    return _START_TAG.sub(cut, text)


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)


#: Pages with more tags than this (counted as "<") skip trafilatura, which costs ~0.25 ms an element
#: (25,000 paragraphs: 6 s), and are read by the plain lxml pass (~0.15 s/MB).
MAX_TRAFILATURA_TAGS = 30_000
#: Pages with more tags than this are skipped with a reason (real articles have ~1,000-20,000).
MAX_HTML_TAGS = 300_000


def within_trafilatura_budget(text: str) -> bool:
    """Whether trafilatura reads this page in bounded time (see :data:`MAX_TRAFILATURA_TAGS`)."""
    return text.count("<") <= MAX_TRAFILATURA_TAGS


_CAPTION_PARTS = frozenset(("span", "small", "cite", "br", "p", "div", "em", "i"))


def figure_caption(el: Any) -> str:
    """A ``<figcaption>``'s text without the photo credit in it (``<span class=credit>Foto: X</span>``)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            value = _WS.sub(" ", child.text_content()).strip()
            spaced = child.tag in _CAPTION_PARTS
            if value and not is_credit(value) and "credit" not in (child.get("class") or "").lower():
                parts.append(f" {value} " if spaced else value)
            elif spaced:
                parts.append(" ")
        parts.append(child.tail or "")
    return _WS.sub(" ", "".join(parts)).strip()[:2000]


def _trafilatura(text: str, pictures: _PictureResolver) -> tuple[list[ParsedBlock], str | None, str | None, str | None]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text,
            url=None,
            include_comments=False,
            include_tables=True,
            include_images=True,
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
    body = getattr(doc, "body", None)
    blocks = xml_blocks(body, pictures) if body is not None else []
    return (
        blocks,
        getattr(doc, "title", None) or None,
        getattr(doc, "date", None) or None,
        getattr(doc, "language", None) or None,
    )


# --- trafilatura's XML as blocks -----------------------------------------------------------------
_HEADING_LEVEL = re.compile(r"^h([1-6])$")
_BLOCK_XML = frozenset(("p", "head", "list", "quote", "code", "table", "graphic", "div", "item", "row", "cell"))


def xml_blocks(body: Any, pictures: _PictureResolver) -> list[ParsedBlock]:
    """trafilatura's XML tree (``<head rend>``, ``<p>``, ``<list rend><item>``, ``<quote>``,
    ``<code>``, ``<table><row><cell>``, ``<graphic>``) as blocks. The texts are what trafilatura's
    plain-text output has, line for line (a ``<lb/>`` starts a new paragraph), without its list
    dashes and table pipes; a list item and a table row are one paragraph each."""
    out: list[ParsedBlock] = []
    _container(body, out, pictures, "paragraph", 0)
    return _merge_captions(out)


def _lines(text: str) -> list[str]:
    return [v for v in (_WS.sub(" ", line).strip() for line in text.split("\n")) if v]


def _inline(el: Any, graphics: list[Any], *, with_tail: bool = False) -> str:
    """An element's text with ``<lb/>`` as a line break; pictures inside go to ``graphics``."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag == "graphic":
            graphics.append(child)
        elif child.tag in ("list", "table", "quote", "p", "head", "code", "item", "row", "cell", "div"):
            parts.append("\n" + _inline(child, graphics) + "\n")
        else:
            parts.append(_inline(child, graphics))
        parts.append(child.tail or "")
    return "".join(parts)


def _emit_lines(text: str, out: list[ParsedBlock], kind: str, depth: int) -> None:
    for line in _lines(text):
        out.append(ParsedBlock(kind=kind, text=line, depth=depth if kind == "quote" else 0))


def _emit_graphics(graphics: list[Any], out: list[ParsedBlock], pictures: _PictureResolver) -> None:
    for graphic in graphics:
        block = pictures.block(graphic.get("src"), graphic.get("alt"))
        if block is not None:
            out.append(block)


def _container(parent: Any, out: list[ParsedBlock], pictures: _PictureResolver, kind: str, depth: int) -> None:
    """The blocks of an element holding blocks (the body, a quote, a div); loose text is ``kind``."""
    _emit_lines(parent.text or "", out, kind, depth)
    for child in parent:
        if isinstance(child.tag, str):
            _block(child, out, pictures, kind, depth)
        _emit_lines(child.tail or "", out, kind, depth)


def _block(el: Any, out: list[ParsedBlock], pictures: _PictureResolver, kind: str, depth: int) -> None:
    tag = el.tag
    graphics: list[Any] = []
    if tag == "head":
        m = _HEADING_LEVEL.match(el.get("rend") or "")
        level = int(m.group(1)) if m else 2
        value = _WS.sub(" ", _inline(el, graphics)).strip()
        if value:
            out.append(ParsedBlock(kind="heading", text=value, level=level))
    elif tag == "list":
        _list(el, out, pictures, 0)
    elif tag == "quote":
        _container(el, out, pictures, "quote", depth + 1 if kind == "quote" else 0)
    elif tag == "code":
        value = _pre_text("".join(el.itertext()))
        if value:
            out.append(ParsedBlock(kind="pre", text=value))
        graphics.extend(el.iter("graphic"))
    elif tag == "table":
        for row in el.iter("row"):
            cells = [_WS.sub(" ", _inline(cell, graphics)).strip() for cell in row.iter("cell")]
            value = " | ".join(c for c in cells if c)
            if value:
                out.append(ParsedBlock(kind="table_row", text=value))
    elif tag == "graphic":
        graphics.append(el)
    elif tag in ("div", "item", "row", "cell"):
        _container(el, out, pictures, kind, depth)
    elif tag == "lb":
        return
    else:  # a paragraph, or inline markup at block level
        _emit_lines(_inline(el, graphics), out, kind, depth)
    _emit_graphics(graphics, out, pictures)


def _list(el: Any, out: list[ParsedBlock], pictures: _PictureResolver, depth: int) -> None:
    ordered = (el.get("rend") or "").lower() == "ol"
    for item in el:
        if not isinstance(item.tag, str):
            continue
        if item.tag != "item":
            _block(item, out, pictures, "paragraph", 0)
            continue
        graphics: list[Any] = []
        parts: list[str] = [item.text or ""]
        nested: list[Any] = []
        for child in item:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            if child.tag == "list":
                nested.append(child)
            elif child.tag == "lb":
                parts.append(" ")
            elif child.tag == "graphic":
                graphics.append(child)
            else:
                parts.append(" " + _inline(child, graphics) + " ")
            parts.append(child.tail or "")
        value = _WS.sub(" ", "".join(parts)).strip()
        if value:
            out.append(ParsedBlock(kind="list_item", text=value, ordered=ordered, depth=min(depth, 8)))
        _emit_graphics(graphics, out, pictures)
        for sub in nested:
            _list(sub, out, pictures, depth + 1)


def _pre_text(raw: str) -> str:
    """Preformatted text: lines kept (trailing spaces and blank lines dropped, so no paragraph break)."""
    lines = [line.rstrip() for line in raw.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line.strip()).strip("\n")


def _merge_captions(blocks: list[ParsedBlock]) -> list[ParsedBlock]:
    """A caption the extractor also kept as a paragraph next to its picture is said once, by the picture."""
    out: list[ParsedBlock] = []
    for block in blocks:
        if block.kind == "image" and block.text:
            if out and out[-1].kind == "paragraph" and fold(out[-1].text) == fold(block.text):
                out.pop()
        elif out and out[-1].kind == "image" and out[-1].text and block.kind == "paragraph" \
                and fold(out[-1].text) == fold(block.text):
            continue
        out.append(block)
    return out


_FALLBACK_KINDS = {"li": "list_item", "blockquote": "quote"}


def _fallback_blocks(tree: Any, pictures: _PictureResolver) -> list[ParsedBlock]:
    body = tree.find("body")
    if body is None:
        return []
    for el in list(body.iter(*_FALLBACK_DROP)):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    out: list[ParsedBlock] = []
    for el in body.iter(*_FALLBACK_BLOCKS, "img"):
        if el.tag == "img":
            block = pictures.block(el.get("src"), el.get("alt"))
            if block is not None:
                out.append(block)
            continue
        if any(anc.tag in _FALLBACK_BLOCKS for anc in el.iterancestors()):
            continue
        value = _WS.sub(" ", el.text_content()).strip()
        if not value:
            continue
        m = _HEADING_LEVEL.match(el.tag)
        if m:
            out.append(ParsedBlock(kind="heading", text=value, level=int(m.group(1))))
        elif el.tag == "li":
            lists = sum(1 for anc in el.iterancestors("ul", "ol"))
            parent = el.getparent()
            out.append(ParsedBlock(kind="list_item", text=value, depth=min(max(lists - 1, 0), 8),
                                   ordered=parent is not None and parent.tag == "ol"))
        else:
            out.append(ParsedBlock(kind=_FALLBACK_KINDS.get(el.tag, "paragraph"), text=value))
    if not _texts(out):
        out += [ParsedBlock(kind="paragraph", text=v) for v in _lines(body.text_content())]
    return _merge_captions(out)


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


# --- title choice and lead cleanup (issue 14) ------------------------------------------------------
#: Longest JSON-LD block read for a headline (bounds json.loads on hostile pages).
MAX_JSON_LD_CHARS = 200_000
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·»:-]\s+|:\s+")


def _json_ld_headline(tree: Any) -> str | None:
    """The ``headline`` (or ``name``) of the page's JSON-LD article, if it names one."""
    import json

    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = el.text or ""
        if not raw.strip() or len(raw) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        stack, seen = [data], 0
        while stack and seen < 1000:
            item = stack.pop(0)
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                headline = item.get("headline")
                if isinstance(headline, str) and headline.strip() and any(
                        isinstance(k, str) and ("Article" in k or k in ("Report", "BlogPosting", "WebPage"))
                        for k in kinds):
                    return _WS.sub(" ", headline).strip()
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return None


def _headings(tree: Any, site: str | None) -> list[str]:
    """Texts of the page's ``<h1>`` and ``<h2>`` in order (the site's logo heading left out)."""
    body = tree.find("body")
    if body is None:
        return []
    out: list[str] = []
    for el in body.iter("h1", "h2"):
        if len(out) >= 20:
            break
        value = _WS.sub(" ", el.text_content()).strip()
        if not value or len(value) > 300 or (site and fold(value) == fold(site)):
            continue
        if any(anc.tag == "a" or (anc.tag == "header" and anc.getparent() is body) for anc in el.iterancestors()):
            continue  # a heading inside a link or the page header: the logo or a teaser
        out.append(value)
    return out


def choose_title(meta: dict[str, str], headings: list[str], ld_headline: str | None,
                 extracted: str | None) -> str | None:
    """The article's title: a heading the page's metadata confirms (``og:title``, JSON-LD
    ``headline`` or ``<title>``, site name around it or not), else the JSON-LD headline, else
    ``og:title`` / ``<title>`` without the site name, else trafilatura's title."""
    site = meta.get("site")
    page_title = meta.get("title")
    og = meta.get("og_title")
    confirmers = [fold(t) for t in (ld_headline, og, page_title) if t]
    for heading in headings:
        folded = fold(heading)
        if len(folded) < 8:
            continue
        for confirmer in confirmers:
            if folded == confirmer or _is_segment(folded, confirmer):
                return heading
    if ld_headline:
        return ld_headline
    if og:
        return _strip_site(og, site) or og
    if page_title:
        stripped = _strip_site(page_title, site)
        if stripped and stripped != page_title:
            return stripped
        segment = _site_free_segment(page_title, site)
        if segment:
            return segment
    return extracted or page_title


def _is_segment(part: str, whole: str) -> bool:
    """``part`` is ``whole`` with a site name before or after it (``Site: part``, ``part | Site``)."""
    if part not in whole or len(part) * 3 < len(whole):
        return False
    start = whole.index(part)
    before, after = whole[:start], whole[start + len(part):]
    return ((not before or bool(re.search(r"[|–—•·»:-]\s*$", before)))
            and (not after or bool(re.match(r"^\s*[|–—•·»:-]", after))))


def _site_free_segment(title: str, site: str | None) -> str | None:
    """``"Site: Headline"`` / ``"Site | Headline"`` -> ``"Headline"`` when the site name is known."""
    if not site:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    rest = [p for p in parts if fold(p) != fold(site)]
    if len(parts) > 1 and len(rest) < len(parts) and rest:
        return max(rest, key=len)
    return None


_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|de|de către|autor|autorul|autorius|autorė|tekstas|text|автор|аўтар|"
    r"текст|author)\b\s*:?\s*\S",
    re.IGNORECASE,
)
_META_LINE = re.compile(
    r"^(?:updated|published|last updated|actualizat|publicat|atnaujinta|paskelbta|обновлено|опубликовано|"
    r"абноўлена|апублікавана|reading time|timp de citire|skaitymo laikas|время чтения)\b",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(("share", "facebook", "twitter", "x", "whatsapp", "telegram", "copy link", "email",
                          "distribuie", "dalintis", "поделиться", "падзяліцца", "print", "linkedin"))
_COOKIE = re.compile(r"\bcookie|\bcookies\b|файлы cookie|slapuk", re.IGNORECASE)
_SENTENCE_FINAL = (".", "!", "?", "…", ".\"", ".”", ".»", "!”", "?”")


def _is_lead_clutter(paragraph: str) -> bool:
    """A line that comes before an article's text: byline, credit, dateline, date, share buttons."""
    text = paragraph.strip()
    if not text:
        return True
    if is_credit(text) or is_teaser_marker(text):
        return True
    words = text.split()
    final = text.endswith(_SENTENCE_FINAL)
    # "By Anna K.", "2026 m. balandžio 6 d.": an initial or abbreviation, not a sentence's end
    abbreviated = bool(re.fullmatch(r"[^\W\d_]{1,2}\.", words[-1]))
    named = fold(words[0]) not in ("by", "de") or (len(words) > 1 and words[1][:1].isupper())
    if len(text) <= 100 and _BYLINE.match(text) and named and (not final or abbreviated):
        return True
    if len(text) <= 80 and _META_LINE.match(text):
        return True
    if len(text) <= 120 and _COOKIE.search(text) and len(words) <= 30:
        return True
    if all(fold(w.strip(",;|·")) in _SHARE_WORDS for w in words if w.strip(",;|·")):
        return True
    # A dateline or date on its own line: short, with a digit, not a sentence.
    return len(text) <= 60 and len(words) <= 8 and any(ch.isdigit() for ch in text) and (
        not final or abbreviated)


def clean_lead(paragraphs: list[str], title: str | None) -> list[str]:
    """Leading paragraphs that are not the article's text left out: the title repeated, bylines,
    photo credits with their captions, datelines and dates on their own line, share buttons.
    At most :data:`MAX_LEAD_DROPS` lines go, and never the last one."""
    out = list(paragraphs)
    folded_title = fold(title) if title else None
    dropped = 0
    after_credit = False
    while len(out) > 1 and dropped < MAX_LEAD_DROPS:
        first = out[0]
        caption_like = len(first) <= 150 and not first.rstrip().endswith(_SENTENCE_FINAL)
        credit = is_credit(first)
        if folded_title and fold(first) == folded_title:
            out.pop(0)
        elif credit or _is_lead_clutter(first):
            out.pop(0)
        elif caption_like and ((len(out) > 2 and is_credit(out[1])) or after_credit):
            out.pop(0)  # a caption next to its credit (above or below it), as in plain text
        else:
            break
        after_credit = credit
        dropped += 1
    return out


#: Most leading lines :func:`clean_lead` drops.
MAX_LEAD_DROPS = 8
