"""OPML subscription lists: import with listparser, export as well-formed OPML 2.0.

Folders are categories: an outline nested in "News" and then "Europe" belongs to folder
``"News/Europe"`` (nested folders flattened with ``/``), and :func:`write_opml` turns ``"A/B"`` back
into nested outlines, so a round trip keeps them. A feed listed twice is one feed, in its first place,
filed in the first folder that lists it (listparser merges the two). listparser
reads the file leniently (lxml's recovering parser, no entity expansion, nothing fetched); a file that
is not OPML, or is damaged and yields no feed, raises :class:`~reader.core.feeds.errors.OpmlError`
with one line. Outlines' ``htmlUrl`` is not kept by listparser: a feed's site comes from its first
fetch.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from reader.core.feeds.errors import OpmlError
from reader.core.feeds.parse import defuse_prolog

MAX_OPML_BYTES = 10 * 1024 * 1024
FOLDER_SEPARATOR = "/"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription in a list: its feed URL, title, site and folder (``"A/B"`` for nested)."""

    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None


@dataclass(frozen=True)
class OpmlDocument:
    """A parsed subscription list: its title and feeds, in file order."""

    title: str | None
    feeds: tuple[OpmlFeed, ...] = field(default_factory=tuple)

    @property
    def folders(self) -> tuple[str, ...]:
        """The folders used, in order of first appearance."""
        return tuple(dict.fromkeys(f.folder for f in self.feeds if f.folder))


def read_opml(data: bytes, *, max_bytes: int = MAX_OPML_BYTES) -> OpmlDocument:
    """Parse an OPML file's bytes. Raises :class:`OpmlError` (one line) for anything unusable."""
    import listparser

    if len(data) > max_bytes:
        raise OpmlError(f"the OPML file is too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if not data.strip():
        raise OpmlError("the OPML file is empty")
    try:
        result = listparser.parse(bytes(data))
    except Exception as exc:  # noqa: BLE001 - a parser failure is a bad file, never a traceback
        raise OpmlError(f"the file cannot be read as OPML ({type(exc).__name__})") from exc
    version = str(result.get("version") or "")
    if not version.startswith("opml"):
        raise OpmlError("the file is not an OPML subscription list")
    feeds: dict[str, OpmlFeed] = {}
    for item in result.get("feeds") or []:
        url = _clean(item.get("url"))
        if not url or url in feeds:
            continue
        feeds[url] = OpmlFeed(url=url, title=_clean(item.get("title")), folder=_folder(item.get("categories")))
    if not feeds:
        problem = _well_formedness_problem(data)
        if problem:
            raise OpmlError(f"the OPML file is damaged ({problem})")
    meta = result.get("meta") or {}
    return OpmlDocument(title=_clean(meta.get("title")), feeds=tuple(feeds.values()))


def write_opml(feeds: Iterable[OpmlFeed], *, title: str = "Polyglot Reader subscriptions",
               folders: Iterable[str] = (), now: datetime | None = None) -> bytes:
    """OPML 2.0 bytes (UTF-8, with declaration) for ``feeds``; ``folders`` adds empty folders too.

    Feeds keep their order within a folder; folders appear in order of first use. Text is escaped and
    characters XML cannot hold (control characters) are dropped.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    nodes: dict[tuple[str, ...], ET.Element] = {}

    def folder_node(path: tuple[str, ...]) -> ET.Element:
        if not path:
            return body
        if path not in nodes:
            parent = folder_node(path[:-1])
            name = _xml_text(path[-1])
            nodes[path] = ET.SubElement(parent, "outline", text=name, title=name)
        return nodes[path]

    for folder in folders:
        folder_node(_split_folder(folder))
    for feed in feeds:
        parent = folder_node(_split_folder(feed.folder))
        name = _xml_text(feed.title or feed.url)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": _xml_text(feed.url)}
        if feed.site_url:
            attrs["htmlUrl"] = _xml_text(feed.site_url)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _folder(categories: object) -> str | None:
    """The first category path (listparser puts the nesting there), empty levels dropped."""
    if not isinstance(categories, list):
        return None
    for path in categories:
        if isinstance(path, list):
            parts = [" ".join(str(p).split()) for p in path if str(p).strip()]
            if parts:
                return FOLDER_SEPARATOR.join(parts)
    return None


def _split_folder(folder: str | None) -> tuple[str, ...]:
    if not folder:
        return ()
    return tuple(p.strip() for p in folder.split(FOLDER_SEPARATOR) if p.strip())


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _well_formedness_problem(data: bytes) -> str | None:
    """Expat's complaint about the file, or None if well-formed (its DOCTYPE defused first, nothing loaded)."""
    parser = ET.XMLParser()
    try:
        parser.feed(defuse_prolog(data)[0])
        parser.close()
    except ET.ParseError as exc:
        return str(exc)
    return None
