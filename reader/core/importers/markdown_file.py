"""Markdown articles (``.md``, ``.markdown``) with optional YAML front matter.

Front matter is a YAML mapping between ``---`` lines at the very top of the file. Keys used:
``title``, ``date`` (YYYY-MM-DD, a YAML date or an ISO timestamp), ``source``, ``url``
(``link`` too), ``language`` or ``lang`` (``ro``, ``ro-RO``...) and ``tags`` (a list or a
comma-separated string). Unknown keys are ignored.

Malformed front matter (invalid YAML, or not a mapping) does not stop the import: the block is
removed and the article is imported from its body alone, as if it had no front matter (a typo in a
note's header should not lose the note). So is front matter that uses YAML anchors and aliases (a
few hundred bytes of aliases expand to gigabytes), is larger than :data:`MAX_FRONT_MATTER_CHARS` or
nested deeper than :data:`MAX_FRONT_MATTER_DEPTH`. A date that is not a real date (``2026-02-30``)
drops only that field. Field lengths are capped by :func:`reader.core.importers.neutralize`.

The body is rendered with Python-Markdown and reduced to plain-text paragraphs: emphasis and link
syntax are removed (the text kept), headings and list items become paragraphs, images and raw
scripts are dropped. Python-Markdown's inline pass costs ~50 µs a match and copies the paragraph
again for each one (13 minutes for 200,000 links): past a budget of inline markup
(:data:`MAX_INLINE_MARKERS`, or markers times paragraph length over :data:`MAX_INLINE_WORK`, or
lines, quote depth or indentation past :data:`MAX_MARKDOWN_LINES`, :data:`MAX_QUOTE_DEPTH`, :data:`MAX_INDENT`) the
file is reduced to text by a linear pass instead (:func:`plain_markdown_blocks`: the same blocks,
with less care for nested lists and emphasis with underscores). The title is the front matter's, else the first ``#`` heading (removed from the
body when it is the first block), else the first sentence.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import markdown
import yaml
from lxml import etree
from lxml import html as lxml_html

from reader.core.errors import ImportSkipped
from reader.core.importers.images import ArticleImages
from reader.core.importers.text import title_from_text
from reader.core.language import language_code
from reader.core.models import ParsedArticle, ParsedBlock

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_WS = re.compile(r"[^\S\n]+")


def parse_markdown(text: str, *, file_name: str | None = None, folder: Path | None = None) -> ParsedArticle:
    """Parse a decoded Markdown file. Raises :class:`ImportSkipped` when there is no text.

    Relative pictures (``![alt](pic.png)``) are read from ``folder`` (under it only)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _load_front_matter(m.group(1))
        text = text[m.end() :]
    collector = ArticleImages(folder)
    blocks = markdown_structure(text, collector)
    title = _clean_str(meta.get("title"))
    first = next((i for i, b in enumerate(blocks) if b.text), None)
    if not title and first is not None and blocks[first].kind == "heading" and blocks[first].level == 1:
        title = blocks[first].text
        blocks = blocks[:first] + blocks[first + 1 :]
    elif not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    paragraphs = [b.text for b in blocks if b.text]
    if not paragraphs and title:
        paragraphs = [title]
        blocks = [ParsedBlock(kind="heading", text=title, level=1), *blocks]
    if not paragraphs:
        raise ImportSkipped("no article text in the file")
    if not title:
        title = title_from_text(paragraphs[0])
    return ParsedArticle(
        title=title,
        paragraphs=tuple(paragraphs),
        published=parse_any_date(meta.get("date") or meta.get("published")),
        source=_clean_str(meta.get("source") or meta.get("site") or meta.get("publisher")),
        url=_clean_str(meta.get("url") or meta.get("link")),
        lang=language_code(_clean_str(meta.get("language") or meta.get("lang"))),
        tags=_tags(meta.get("tags") or meta.get("keywords")),
        file_name=file_name,
        blocks=tuple(blocks),
        images=collector.tuple(),
    )


#: Front matter larger than this is dropped (PyYAML's pure-Python composer is ~1 MB/s).
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: Front matter nested deeper than this (lists in lists...) is dropped.
MAX_FRONT_MATTER_DEPTH = 32


class FrontMatterRefused(yaml.YAMLError):
    """Front matter we will not expand: aliases, or nesting too deep."""


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader with aliases refused and nesting bounded; timestamps stay strings.

    Refusing aliases (rather than bounding their expansion) is what front matter needs: nobody writes
    anchors in a note's header, and a refused block only costs the metadata, never the body.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise FrontMatterRefused("YAML aliases are not accepted in front matter")
        self._depth += 1
        try:
            if self._depth > MAX_FRONT_MATTER_DEPTH:
                raise FrontMatterRefused("front matter nested too deeply")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# A date is parsed by parse_any_date (which drops an invalid one); YAML's own constructor raises
# ValueError on "2026-02-30" and would lose the whole block.
_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(cast(yaml.ScalarNode, node))
)


def _load_front_matter(block: str) -> dict[str, Any]:
    """The front matter's mapping, keys lower-cased; {} when it is malformed or refused."""
    if len(block) > MAX_FRONT_MATTER_CHARS:
        return {}
    try:
        data = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError):
        return {}
    return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: Inline markup Python-Markdown is given at most (markers: ``[ * _ ` < & !``; 20,000 take ~2 s).
MAX_INLINE_MARKERS = 20_000
#: ... and at most this much of markers x characters in one paragraph (its quadratic part).
MAX_INLINE_WORK = 30_000_000  # `> ](_b_ [![i](x) ` x 1,000 (8.5e7) took 2.8 s, x 4,000 (1.4e9) 31 s
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKERS = "[*_`<&!"


#: ... at most this many lines, blockquotes nested at most MAX_QUOTE_DEPTH deep and list items
#: indented at most MAX_INDENT columns (its block pass re-reads nested blocks once per level).
MAX_MARKDOWN_LINES = 20_000  # 29,000 short paragraphs (173 KB) took 2.7 s: Python-Markdown grows faster than linear in blocks
MAX_QUOTE_DEPTH = 16
MAX_INDENT = 64
_DEEP_QUOTE = re.compile(r"^(?:[ \t]{0,3}>){" + str(MAX_QUOTE_DEPTH + 1) + "}", re.MULTILINE)
_DEEP_INDENT = re.compile(r"^[ \t]{" + str(MAX_INDENT + 1) + "}", re.MULTILINE)


def within_markdown_budget(text: str) -> bool:
    """Whether Python-Markdown renders ``text`` in bounded time (see :data:`MAX_INLINE_MARKERS`)."""
    if sum(text.count(c) for c in _MARKERS) > MAX_INLINE_MARKERS or text.count("\n") > MAX_MARKDOWN_LINES:
        return False
    if _DEEP_QUOTE.search(text) or _DEEP_INDENT.search(text):
        return False
    for block in _PARAGRAPH_BREAK.split(text):
        if len(block) * sum(block.count(c) for c in _MARKERS) > MAX_INLINE_WORK:
            return False
    return True


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, plain text) of each block with text of the rendered Markdown, in order."""
    return [(b.kind, b.text) for b in markdown_structure(text, ArticleImages()) if b.text]


_PLAIN_KINDS = {"li": "list_item", "pre": "pre", "p": "paragraph"}


def markdown_structure(text: str, images: ArticleImages) -> list[ParsedBlock]:
    """The rendered Markdown as blocks: ``#`` headings, list items (ordered, nesting depth),
    ``>`` quotes (depth), fenced and indented code as ``pre``, pictures (read by ``images``),
    ``---`` rules, table rows; past Python-Markdown's budget, the linear pass's blocks."""
    # Control characters go first: lxml refuses them when an element's text is set (an image
    # followed by "\x07" raised ValueError), and they are not kept in stored text anyway.
    text = _CONTROL_CHARS.sub("", text)
    if not within_markdown_budget(text):
        out: list[ParsedBlock] = []
        for tag, value in plain_markdown_blocks(text):
            if tag[:1] == "h" and tag[1:].isdigit():
                out.append(ParsedBlock(kind="heading", text=value, level=int(tag[1:])))
            else:
                out.append(ParsedBlock(kind=_PLAIN_KINDS.get(tag, "paragraph"), text=value))
        return out
    rendered = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    if not rendered.strip():
        return []
    # Parsed as a whole document, not with fragment_fromstring: raw HTML in the Markdown such as a
    # lone "<html>" or "<body>" makes lxml's fragment helper fail an internal assertion.
    try:
        doc = lxml_html.document_fromstring(f"<html><body><div>{rendered}</div></body></html>")
    except (etree.ParserError, ValueError):
        return []
    root = doc.find("body")
    if root is None:
        return []
    for bad in root.xpath(".//script|.//style|.//noscript"):
        _drop_keep_tail(bad)
    out = []
    _md_container(root, out, images, "paragraph", 0)
    return out


def _flat(raw: str) -> str:
    return _WS.sub(" ", raw.replace("\n", " ")).strip()


def _md_text(el: Any, pictures: list[Any], skip: tuple[str, ...] = ()) -> str:
    """An element's text (its pictures go to ``pictures``; children tagged ``skip`` are left out)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in skip:
            parts.append(child.tail or "")
            continue
        if isinstance(child.tag, str):
            if child.tag == "img":
                pictures.append(child)
            else:
                pictures.extend(child.iter("img"))
                parts.append(child.text_content() if child.tag != "br" else " ")
        parts.append(child.tail or "")
    return "".join(parts)


def _md_pictures(pictures: list[Any], out: list[ParsedBlock], images: ArticleImages) -> None:
    for img in pictures:
        alt = img.get("alt") or ""
        index = images.add([img.get("src")], alt, declared=(img.get("width"), img.get("height")))
        if index is not None:
            out.append(ParsedBlock(kind="image", image=index, alt=" ".join(alt.split())))


def _md_loose(text: str | None, out: list[ParsedBlock], kind: str, depth: int) -> None:
    value = _flat(text or "")
    if value:
        out.append(ParsedBlock(kind=kind, text=value, depth=depth if kind == "quote" else 0))


def _md_container(parent: Any, out: list[ParsedBlock], images: ArticleImages, kind: str, depth: int) -> None:
    _md_loose(parent.text, out, kind, depth)
    for el in parent:
        if isinstance(el.tag, str):
            _md_block(el, out, images, kind, depth)
        _md_loose(el.tail, out, kind, depth)


def _md_block(el: Any, out: list[ParsedBlock], images: ArticleImages, kind: str, depth: int) -> None:
    tag = el.tag
    pictures: list[Any] = []
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        value = _flat(_md_text(el, pictures))
        if value:
            out.append(ParsedBlock(kind="heading", text=value, level=int(tag[1])))
    elif tag in ("ul", "ol"):
        _md_list(el, out, images, 0)
    elif tag == "blockquote":
        _md_container(el, out, images, "quote", depth + 1 if kind == "quote" else 0)
    elif tag == "pre":
        value = "\n".join(line.rstrip() for line in el.text_content().strip("\n").splitlines() if line.strip())
        if value:
            out.append(ParsedBlock(kind="pre", text=value))
    elif tag == "hr":
        out.append(ParsedBlock(kind="rule"))
    elif tag == "img":
        pictures.append(el)
    elif tag == "table":
        for row in el.iter("tr"):
            cells = [_flat(_md_text(cell, pictures)) for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
            value = " | ".join(c for c in cells if c)
            if value:
                out.append(ParsedBlock(kind="table_row", text=value))
    elif tag in ("div", "dl", "section", "article", "details", "figure", "li", "tbody"):
        _md_container(el, out, images, kind, depth)
    else:  # p, dt, dd, raw inline HTML
        _md_loose(_md_text(el, pictures), out, kind, depth)
    _md_pictures(pictures, out, images)


def _md_list(el: Any, out: list[ParsedBlock], images: ArticleImages, depth: int) -> None:
    ordered = el.tag == "ol"
    for item in el:
        if not isinstance(item.tag, str):
            continue
        if item.tag != "li":
            _md_block(item, out, images, "paragraph", 0)
            continue
        pictures: list[Any] = []
        value = _flat(_md_text(item, pictures, skip=("ul", "ol")))
        if value:
            out.append(ParsedBlock(kind="list_item", text=value, ordered=ordered, depth=min(depth, 8)))
        _md_pictures(pictures, out, images)
        for sub in item:
            if isinstance(sub.tag, str) and sub.tag in ("ul", "ol"):
                _md_list(sub, out, images, depth + 1)


# --- the linear reduction, for files past Python-Markdown's budget --------------------------------
# Every pattern is linear: runs exclude their own opening character and are possessive.
_FENCE = re.compile(r"^(?:```|~~~)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^(?:[-*_][ \t]*){3,}$")
_REF_DEF = re.compile(r"^ {0,3}\[[^\[\]\n]++\]:")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"^(?:>[ \t]?)++")
_P_IMAGE = re.compile(r"!\[[^\[\]\n]*+\](?:\([^()\n]*+\)|\[[^\[\]\n]*+\])")
_P_LINK = re.compile(r"\[([^\[\]\n]*+)\](?:\([^()\n]*+\)|\[[^\[\]\n]*+\])")
_P_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*+)>")
_P_RAW_DROP = re.compile(r"<(script|style)\b[^<>]*+>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_P_TAG = re.compile(r"</?[A-Za-z][^<>]*+>|<!--.*?-->", re.DOTALL)
_P_EMPHASIS = re.compile(r"\*++|`++|~~|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_P_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


def _plain_inline(text: str) -> str:
    if "[" in text:
        text = _P_LINK.sub(r"\1", _P_IMAGE.sub("", text))
    if "<" in text:
        text = _P_TAG.sub("", _P_AUTOLINK.sub(r"\1", text))
    text = _P_EMPHASIS.sub("", text)
    if "\\" in text:
        text = _P_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return _WS.sub(" ", text).strip()


def plain_markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, plain text) blocks like :func:`markdown_blocks`, by a linear pass over the lines."""
    text = _P_RAW_DROP.sub("", text) if "<" in text else text
    out: list[tuple[str, str]] = []
    para: list[str] = []
    tag = "p"
    fence: list[str] | None = None

    def flush() -> None:
        if para:
            value = _plain_inline(" ".join(para))
            if value:
                out.append((tag, value))
            para.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if fence is not None:
            if _FENCE.match(stripped):
                value = "\n".join(ln.rstrip() for ln in fence if ln.strip())
                if value:
                    out.append(("pre", value))
                fence = None
            else:
                fence.append(line)
            continue
        if _FENCE.match(stripped):
            flush()
            fence = []
            continue
        if not stripped:
            flush()
            tag = "p"
            continue
        quoted = _QUOTE.match(stripped)
        if quoted:
            stripped = stripped[quoted.end():].strip()
            if not stripped:
                flush()
                continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            value = _plain_inline(heading.group(2))
            if value:
                out.append((f"h{len(heading.group(1))}", value))
            tag = "p"
            continue
        if para and _SETEXT.match(stripped):
            level = "h1" if stripped.startswith("=") else "h2"
            value = _plain_inline(" ".join(para))
            para.clear()
            if value:
                out.append((level, value))
            continue
        if _RULE.match(stripped) or _REF_DEF.match(stripped):
            flush()
            continue
        item = _LIST_ITEM.match(stripped)
        if item:
            flush()
            tag = "li"
            stripped = stripped[item.end():]
        para.append(stripped)
    flush()
    if fence:
        value = "\n".join(ln.rstrip() for ln in fence if ln.strip())
        if value:
            out.append(("pre", value))
    return out


def _drop_keep_tail(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


_DATE_VALUE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_any_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a YAML/HTML date value, or None when there is none."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    m = _DATE_VALUE.match(str(value)[:64])
    if not m:
        return None
    if m.group(4) is not None and not (
        int(m.group(4)) <= 23 and int(m.group(5)) <= 59 and int(m.group(6) or 0) <= 60
    ):
        return None  # "2026-01-01T25:61:00" is not a moment: the whole value is dropped
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    out: list[str] = []
    for item in items:
        name = " ".join(str(item).split()).strip("#")
        if name and name not in out:
            out.append(name)
    return tuple(out)
