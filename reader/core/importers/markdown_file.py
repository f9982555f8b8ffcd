"""Markdown articles (``.md``, ``.markdown``) with optional YAML front matter.

Front matter is a YAML mapping between ``---`` lines at the very top of the file. Keys used:
``title``, ``date`` (YYYY-MM-DD, a YAML date or an ISO timestamp), ``source``, ``url``
(``link`` too), ``language`` or ``lang`` (``ro``, ``ro-RO``...) and ``tags`` (a list or a
comma-separated string). Unknown keys are ignored.

Malformed front matter (invalid YAML, or not a mapping) does not stop the import: the block is
removed and the article is imported from its body alone, as if it had no front matter (a typo in a
note's header should not lose the note).

The body is rendered with Python-Markdown and reduced to plain-text paragraphs: emphasis and link
syntax are removed (the text kept), headings and list items become paragraphs, images and raw
scripts are dropped. The title is the front matter's, else the first ``#`` heading (removed from the
body when it is the first block), else the first sentence.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import markdown
import yaml
from lxml import etree
from lxml import html as lxml_html

from reader.core.errors import ImportSkipped
from reader.core.importers.text import title_from_text
from reader.core.language import language_code
from reader.core.models import ParsedArticle

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td", "th", "dt", "dd")
_WS = re.compile(r"[^\S\n]+")


def parse_markdown(text: str, *, file_name: str | None = None) -> ParsedArticle:
    """Parse a decoded Markdown file. Raises :class:`ImportSkipped` when there is no text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _load_front_matter(m.group(1))
        text = text[m.end() :]
    blocks = markdown_blocks(text)
    title = _clean_str(meta.get("title"))
    if not title and blocks and blocks[0][0] == "h1":
        title = blocks[0][1]
        blocks = blocks[1:]
    elif not title:
        heading = next((b for tag, b in blocks if tag == "h1"), None)
        title = heading
    paragraphs = [b for _, b in blocks]
    if not paragraphs and title:
        paragraphs = [title]
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
    )


def _load_front_matter(block: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return {}
    return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, plain text) of each block-level element of the rendered Markdown, in order."""
    # Control characters go first: lxml refuses them when an element's text is set (an image
    # followed by "\x07" raised ValueError), and they are not kept in stored text anyway.
    text = _CONTROL_CHARS.sub("", text)
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
    for bad in root.xpath(".//script|.//style|.//img|.//noscript"):
        _drop_keep_tail(bad)
    out: list[tuple[str, str]] = []
    for el in root.iter(*_BLOCK_TAGS):
        if any(anc.tag in _BLOCK_TAGS and anc.tag not in ("blockquote",) for anc in el.iterancestors()):
            if el.tag != "p" or el.getparent() is None or el.getparent().tag not in ("blockquote", "li"):
                continue
        if el.tag in ("blockquote", "li") and el.find("p") is not None:
            continue  # their <p> children are taken one by one
        raw = el.text_content()
        if el.tag == "pre":
            value = "\n".join(line.rstrip() for line in raw.strip("\n").splitlines() if line.strip())
        else:
            value = _WS.sub(" ", raw.replace("\n", " ")).strip()
        if value:
            out.append((el.tag, value))
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


def parse_any_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a YAML/HTML date value, or None when there is none."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if not m:
        return None
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
