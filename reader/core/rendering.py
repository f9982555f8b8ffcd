"""Markdown notes to sanitized HTML for the reader pane and the annotations panel.

Notes are written by the user but may be pasted from anywhere, so their HTML is untrusted. The
policy (one place, :data:`ALLOWED_TAGS` / :data:`ALLOWED_ATTRIBUTES` / :data:`URL_SCHEMES`):

* a conservative set of text tags (paragraphs, emphasis, lists, quotes, code, tables, headings, links);
* no ``script``/``style`` (content dropped too), no ``iframe``/``object``/``form``, no ``style`` or
  ``on*`` attributes, no classes;
* links only to ``http``, ``https``, ``mailto`` and the app's own ``polyglot-reader:`` URLs —
  ``javascript:``, ``data:``, ``file:`` and relative URLs are removed; links get
  ``rel="noopener noreferrer nofollow"``;
* no images at all: Markdown images become their alt text, raw ``<img>`` tags are removed, so
  rendering a note can never make a network request.

Uses the ``markdown`` package, then ``nh3`` (Ammonia). No Qt here.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
    "code", "pre", "kbd", "blockquote", "q", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "polyglot-reader"})
_CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]


class _ImagesToAltText(Treeprocessor):
    """Replace every ``<img>`` of the Markdown tree by its alt text (no image is ever loaded)."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                alt = child.get("alt") or ""
                span = etree.Element("span")
                span.text = f"[{alt}]" if alt else ""
                span.tail = child.tail
                parent.remove(child)
                parent.insert(i, span)


class _NoImagesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - markdown's API name
        md.treeprocessors.register(_ImagesToAltText(md), "no_images", 0)


def sanitize_html(html: str) -> str:
    """HTML reduced to the safe subset described in the module docstring."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def markdown_to_html(md: str | None) -> str:
    """A Markdown note as sanitized HTML ('' for an empty note). Never raises for any text."""
    if not md or not md.strip():
        return ""
    converter = markdown.Markdown(extensions=[*_EXTENSIONS, _NoImagesExtension()], output_format="html")
    return sanitize_html(converter.convert(md))
