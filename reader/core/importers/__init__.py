"""The importer registry: one module per input format, chosen by file extension and content.

:func:`parse_file` reads a file and returns a :class:`~reader.core.models.ParsedArticle`, or raises
:class:`~reader.core.errors.ImportSkipped` with a one-line reason for files that cannot be
imported: missing or unreadable, empty, larger than :data:`MAX_FILE_BYTES`, binary, undecodable,
of an unsupported type, or without any article text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from reader.core.errors import ImportSkipped
from reader.core.importers.encoding import decode_bytes, sniff_binary
from reader.core.models import ParsedArticle

#: Files larger than this (20 MB) are skipped.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: Extensions imported when walking a folder, and the format each means.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def is_supported(path: Path) -> bool:
    """Whether a folder walk picks up this file (by its extension)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def parse_file(path: Path) -> ParsedArticle:
    """Parse one file with the importer its extension (or HTML content) calls for."""
    path = Path(path)
    try:
        if not path.exists():
            raise ImportSkipped("file not found")
        if not path.is_file():
            raise ImportSkipped("not a regular file")
        size = path.stat().st_size
    except OSError as exc:
        raise ImportSkipped(f"cannot read the file: {exc.strerror or exc}") from None
    if size == 0:
        raise ImportSkipped("empty file")
    if size > MAX_FILE_BYTES:
        raise ImportSkipped(
            f"file too large ({size / 1_000_000:.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportSkipped(f"cannot read the file: {exc.strerror or exc}") from None
    return parse_bytes(data, path.name)


def parse_bytes(data: bytes, file_name: str) -> ParsedArticle:
    """Parse a file's content; ``file_name`` (its extension) picks the importer."""
    kind = SUPPORTED_SUFFIXES.get(Path(file_name).suffix.lower())
    if kind is None:
        reason = sniff_binary(data)
        if reason is not None:
            raise ImportSkipped(reason)
        raise ImportSkipped(
            f"unsupported file type {Path(file_name).suffix or '(no extension)'} "
            f"(supported: {', '.join(sorted(set(SUPPORTED_SUFFIXES)))})"
        )
    if kind == "text" and _HTML_START.match(data[:2048]):
        kind = "html"
    return neutralize(_IMPORTERS[kind](data, file_name))


#: C0 and C1 control characters and DEL, removed (tab and newline are kept in paragraphs; in a
#: one-line field they fold to a space).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a title they
#: can make a line read differently from what it is ("\u202egnp.exe" shows as "exe.png").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACE_RUNS = re.compile(r"\s+")


def clean_line(value: str) -> str:
    """A one-line field (title, source, tag) without controls or bidi controls, spaces folded."""
    return _SPACE_RUNS.sub(" ", _BIDI_CONTROLS.sub("", _CONTROLS.sub("", value))).strip()


def neutralize(parsed: ParsedArticle) -> ParsedArticle:
    """Whatever the importer, stored text carries no control characters, and one-line fields no
    bidirectional controls either; letters are kept. A title left empty falls back to the text."""
    paragraphs = tuple(p for p in (_CONTROLS.sub("", p).strip() for p in parsed.paragraphs) if p)
    if not paragraphs:
        raise ImportSkipped("no article text found (only control characters)")
    title = clean_line(parsed.title)
    if not title:
        from reader.core.importers.text import title_from_text

        title = clean_line(title_from_text(paragraphs[0])) or "Untitled"
    source = clean_line(parsed.source) if parsed.source else None
    tags = tuple(t for t in (clean_line(t) for t in parsed.tags) if t)
    if (title, paragraphs, source, tags) == (parsed.title, parsed.paragraphs, parsed.source, parsed.tags):
        return parsed
    return dataclasses.replace(parsed, title=title, paragraphs=paragraphs, source=source or None, tags=tags)


def _parse_text(data: bytes, file_name: str) -> ParsedArticle:
    from reader.core.importers.text import parse_text

    return parse_text(decode_bytes(data).text, file_name=file_name)


def _parse_markdown(data: bytes, file_name: str) -> ParsedArticle:
    from reader.core.importers.markdown_file import parse_markdown

    return parse_markdown(decode_bytes(data).text, file_name=file_name)


def _parse_html(data: bytes, file_name: str) -> ParsedArticle:
    from reader.core.importers.html_file import parse_html

    return parse_html(data, file_name=file_name)


_IMPORTERS: dict[str, Callable[[bytes, str], ParsedArticle]] = {
    "text": _parse_text,
    "markdown": _parse_markdown,
    "html": _parse_html,
}

__all__ = ["MAX_FILE_BYTES", "clean_line", "neutralize", "SUPPORTED_SUFFIXES", "ImportSkipped", "is_supported", "parse_bytes", "parse_file"]
