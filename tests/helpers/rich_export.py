"""Real PNG bytes (zlib + struct, no Pillow) and a library of articles with structure and pictures,
built through ``Library.add_article`` as an importer would: for the export, backup and CLI tests."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
from reader.core.storage import Library


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30), *, noise: int | None = None) -> bytes:
    """A valid RGB PNG: one colour, or (``noise`` = a seed) random pixels that do not compress (the
    size of a photo of that many pixels)."""
    if noise is None:
        row = b"\x00" + bytes(rgb) * width
        raw = row * height
    else:
        rnd = random.Random(noise)
        raw = b"".join(b"\x00" + rnd.randbytes(width * 3) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b"")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def picture(data: bytes, src: str, alt: str, width: int, height: int) -> ParsedImage:
    return ParsedImage(src=src, data=data, mime="image/png", width=width, height=height, alt=alt)


def rich_parsed(title: str, red: bytes, blue: bytes, *, extra: str = "") -> ParsedArticle:
    """An article with every kind of block: heading, paragraph, nested and numbered list items, a
    quote, preformatted text, a rule, a table, a stored picture with a caption, one shared with
    another article, a remote picture (not available) and a missing local one."""
    blocks = (
        ParsedBlock("heading", "Intro", level=2),
        ParsedBlock("paragraph", f"First paragraph with *stars* and a [bracket]{extra}."),
        ParsedBlock("list_item", "first item"),
        ParsedBlock("list_item", "nested item", depth=1),
        ParsedBlock("list_item", "second item"),
        ParsedBlock("heading", "Steps", level=3),
        ParsedBlock("list_item", "step one", ordered=True),
        ParsedBlock("list_item", "step two", ordered=True),
        ParsedBlock("quote", "A quoted line"),
        ParsedBlock("pre", "def f():\n    return 1"),
        ParsedBlock("rule"),
        ParsedBlock("table_row", "Name | Value"),
        ParsedBlock("table_row", "alpha | 1"),
        ParsedBlock("image", "Figure 1: a red square", image=0, alt="A red square"),
        ParsedBlock("image", image=1, alt="Blue"),
        ParsedBlock("image", image=2, alt="Tracker"),
        ParsedBlock("image", image=3, alt="Gone"),
        ParsedBlock("paragraph", "Last paragraph."),
    )
    images = (
        picture(red, "page_files/red.png", "A red square", 4, 3),
        picture(blue, "page_files/blue.png", "Blue", 2, 2),
        ParsedImage(src="https://example.org/pixel.png", alt="Tracker", reason="remote"),
        ParsedImage(src="page_files/missing.png", alt="Gone", reason="missing"),
    )
    paragraphs = tuple(b.text for b in blocks if b.text)
    return ParsedArticle(title=title, paragraphs=paragraphs, blocks=blocks, images=images,
                         source="Example", url="https://example.org/a", published="2026-03-01")


@dataclass
class RichLibrary:
    path: Path
    rich: int  # the article with every kind of block
    other: int  # shares the blue picture
    plain: int  # paragraphs only
    red: bytes
    blue: bytes


def build(path: Path) -> RichLibrary:
    red, blue = png(4, 3), png(2, 2, (20, 40, 220))
    with Library(path) as lib:
        a = lib.add_article(rich_parsed("Rich article", red, blue), LanguageGuess("en", 0.99))
        b = lib.add_article(
            ParsedArticle(title="Other article", paragraphs=("Before.", "After."),
                          blocks=(ParsedBlock("paragraph", "Before."), ParsedBlock("image", image=0, alt="Blue again"),
                                  ParsedBlock("paragraph", "After.")),
                          images=(picture(blue, "blue.png", "Blue again", 2, 2),)),
            LanguageGuess("en", 0.99),
        )
        c = lib.add_article(ParsedArticle(title="Plain article", paragraphs=("One.", "Two # not a heading.")),
                            LanguageGuess("en", 0.99))
    assert a.article_id and b.article_id and c.article_id
    return RichLibrary(path, a.article_id, b.article_id, c.article_id, red, blue)
