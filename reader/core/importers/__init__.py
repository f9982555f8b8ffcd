"""The importer registry: one module per input format, chosen by file extension and content.

:func:`parse_file` reads a file and returns a :class:`~reader.core.models.ParsedArticle`, or raises
:class:`~reader.core.errors.ImportSkipped` with a one-line reason for files that cannot be
imported: missing or unreadable, empty, larger than :data:`MAX_FILE_BYTES`, binary, undecodable,
of an unsupported type, or without any article text.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from pathlib import Path

from reader.core.errors import ImportSkipped
from reader.core.importers.encoding import DecodedText, decode_bytes, sniff_binary
from reader.core.models import ParsedArticle, ParsedBlock

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


def parse_file(path: Path, *, encoding: str | None = None) -> ParsedArticle:
    """Parse one file with the importer its extension (or HTML content) calls for.

    ``encoding`` is a codec the person chose (``--encoding``): used as it is, before any guess or
    the page's ``<meta charset>``; an unknown name raises :class:`ValueError`."""
    path = Path(path)
    try:
        if not path.exists():
            raise ImportSkipped("file not found")
        if path.is_dir():
            try:
                with os.scandir(path):
                    pass
            except OSError as exc:
                raise ImportSkipped(f"cannot read the folder: {exc.strerror or exc}") from None
            raise ImportSkipped("not a regular file")
        if not path.is_file():
            raise ImportSkipped("not a regular file")
        size = path.stat().st_size
    except OSError as exc:
        raise ImportSkipped(f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte in the name
        raise ImportSkipped("not a valid file name") from None
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
    return parse_bytes(data, printable_path(path.name), encoding=encoding, folder=path.parent)


def printable_path(path: str | Path) -> str:
    """A path as one printable line: bytes that are not UTF-8 (kept by the OS as surrogate
    escapes) become ``\\xff``, newlines ``\\n`` and other control characters ``\\x1b``."""
    text = os.fspath(path)
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def parse_bytes(data: bytes, file_name: str, *, encoding: str | None = None,
                folder: Path | None = None) -> ParsedArticle:
    """Parse a file's content; ``file_name`` (its extension) picks the importer; ``encoding``
    overrides the guessed (or declared) one; ``folder`` is where the file's relative pictures are
    read from (None: nowhere, they are kept as not available)."""
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
    return neutralize(_IMPORTERS[kind](data, file_name, encoding, folder))


#: C0 and C1 control characters and DEL, removed (tab and newline are kept in paragraphs; in a
#: one-line field they fold to a space).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a title they
#: can make a line read differently from what it is ("\u202egnp.exe" shows as "exe.png").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACE_RUNS = re.compile(r"\s+")

#: Longest title, source and tag kept (longer ones are cut at a word boundary with an ellipsis),
#: most tags kept, longest URL kept (a longer one is dropped: a cut URL is a wrong URL).
MAX_TITLE_CHARS = 500
MAX_SOURCE_CHARS = 200
MAX_TAG_CHARS = 100
MAX_TAGS = 50
MAX_URL_CHARS = 4096


def clean_line(value: str) -> str:
    """A one-line field (title, source, tag) without controls or bidi controls, spaces folded."""
    return _SPACE_RUNS.sub(" ", _BIDI_CONTROLS.sub("", _CONTROLS.sub("", value))).strip()


def neutralize(parsed: ParsedArticle) -> ParsedArticle:
    """Whatever the importer, stored text carries no control characters, and one-line fields no
    bidirectional controls either; letters are kept. A title left empty falls back to the text.
    Title, source and tags are capped (:data:`MAX_TITLE_CHARS`...), whatever the file says."""
    from reader.core.importers.text import shorten, title_from_text

    paragraphs = tuple(p for p in (_CONTROLS.sub("", p).strip() for p in parsed.paragraphs) if p)
    blocks = _neutral_blocks(parsed.blocks) if paragraphs != parsed.paragraphs else parsed.blocks
    if not paragraphs:
        raise ImportSkipped("no article text found (only control characters)")
    title = shorten(clean_line(parsed.title), MAX_TITLE_CHARS)
    if not title:
        title = shorten(clean_line(title_from_text(paragraphs[0])), MAX_TITLE_CHARS) or "Untitled"
    source = shorten(clean_line(parsed.source), MAX_SOURCE_CHARS) if parsed.source else None
    tags: list[str] = []
    for raw in parsed.tags:
        tag = shorten(clean_line(raw), MAX_TAG_CHARS)
        if tag and tag not in tags:
            tags.append(tag)
            if len(tags) == MAX_TAGS:
                break
    url = parsed.url if parsed.url and len(parsed.url) <= MAX_URL_CHARS else None
    if (title, paragraphs, source, tuple(tags), url) == (
        parsed.title, parsed.paragraphs, parsed.source, parsed.tags, parsed.url
    ):
        return parsed
    return dataclasses.replace(parsed, title=title, paragraphs=paragraphs, source=source or None,
                               tags=tuple(tags), url=url, blocks=blocks)


def _neutral_blocks(blocks: tuple[ParsedBlock, ...]) -> tuple[ParsedBlock, ...]:
    """The blocks with their texts cleaned like the paragraphs (a block left without text goes,
    an image stays without its caption)."""
    out: list[ParsedBlock] = []
    for block in blocks:
        if not block.text:
            out.append(block)
            continue
        text = _CONTROLS.sub("", block.text).strip()
        if text:
            out.append(block if text == block.text else dataclasses.replace(block, text=text))
        elif block.kind == "image":
            out.append(dataclasses.replace(block, text=""))
    return tuple(out)


#: Most lines of text (blank runs counted once) a .txt or .md file may have: every line is a
#: paragraph to clean, detect and store (~7 µs each before storage); no article comes near.
MAX_LINES = 500_000
_BLANK_RUNS = re.compile(r"\n(?:[ \t\r]*\n)++")


def _within_line_budget(text: str) -> str:
    if text.count("\n") > MAX_LINES and _BLANK_RUNS.sub("\n", text).count("\n") > MAX_LINES:
        raise ImportSkipped(f"too many lines for an article (more than {MAX_LINES:,})")
    return text


def _with_encoding(parsed: ParsedArticle, decoded: DecodedText) -> ParsedArticle:
    """``parsed`` with the encoding used, and the close alternatives when the choice was close."""
    return dataclasses.replace(parsed, encoding=decoded.encoding,
                               encoding_alternatives=decoded.alternatives if decoded.ambiguous else ())


def _parse_text(data: bytes, file_name: str, encoding: str | None = None,
                folder: Path | None = None) -> ParsedArticle:
    from reader.core.importers.text import parse_text

    decoded = decode_bytes(data, encoding=encoding)
    return _with_encoding(parse_text(_within_line_budget(decoded.text), file_name=file_name), decoded)


def _parse_markdown(data: bytes, file_name: str, encoding: str | None = None,
                    folder: Path | None = None) -> ParsedArticle:
    from reader.core.importers.markdown_file import parse_markdown

    decoded = decode_bytes(data, encoding=encoding)
    return _with_encoding(parse_markdown(_within_line_budget(decoded.text), file_name=file_name, folder=folder),
                          decoded)


def _parse_html(data: bytes, file_name: str, encoding: str | None = None,
                folder: Path | None = None) -> ParsedArticle:
    from reader.core.importers.html_file import parse_html

    return parse_html(data, file_name=file_name, encoding=encoding, folder=folder)


_IMPORTERS: dict[str, Callable[[bytes, str, str | None, Path | None], ParsedArticle]] = {
    "text": _parse_text,
    "markdown": _parse_markdown,
    "html": _parse_html,
}

__all__ = ["MAX_FILE_BYTES", "MAX_SOURCE_CHARS", "MAX_TAGS", "MAX_TAG_CHARS", "MAX_TITLE_CHARS", "MAX_URL_CHARS", "clean_line", "neutralize", "SUPPORTED_SUFFIXES", "ImportSkipped", "is_supported", "parse_bytes", "parse_file", "printable_path"]
