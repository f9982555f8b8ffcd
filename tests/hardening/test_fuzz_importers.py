"""Importer fuzzing (issue 7): random bytes as .txt, .md and .html either import or are skipped
with a one-line reason (:class:`ImportSkipped`), never another exception.

Three kinds of input: raw random bytes; random text in assorted encodings (what real files look
like, so more of it gets past the binary sniffing into the parsers); and random markup built from
Markdown/HTML fragments. Each test runs ~200 examples with no per-example deadline.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core.errors import ImportSkipped
from reader.core.importers import parse_bytes
from reader.core.models import ParsedArticle

EXTENSIONS = (".txt", ".md", ".html")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}

TOTALS = {"imported": 0, "skipped": 0}


def check(data: bytes, ext: str) -> ParsedArticle | None:
    """Parse; only ImportSkipped may escape, and what imports is clean."""
    try:
        article = parse_bytes(data, f"fuzz{ext}")
    except ImportSkipped as exc:
        reason = str(exc)
        assert reason and "\n" not in reason and len(reason) < 300, reason
        TOTALS["skipped"] += 1
        return None
    TOTALS["imported"] += 1
    assert isinstance(article, ParsedArticle)
    assert article.title and article.title == article.title.strip()
    assert not (set(article.title) & (CONTROLS | BIDI | {"\n", "\t"})), repr(article.title)
    assert article.paragraphs and all(p.strip() for p in article.paragraphs)
    assert not (set(article.body) & CONTROLS - {"\n", "\t"})
    if article.published is not None:
        assert len(article.published) == 10 and article.published[4] == "-"
    return article


@pytest.mark.parametrize("ext", EXTENSIONS)
@FUZZ
@given(data=st.binary(min_size=0, max_size=4096))
@example(data=b"")
@example(data=b"\x00")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe")
@example(data=b"<html>")  # found by this test: lxml's fragment parser asserted on it (.md)
@example(data=b"![i](http://127.0.0.1/x.png)\x07")  # found by fuzzing: lxml ValueError on the control char (.md)
@example(data=b"---\n---\n")
@example(data=b"date 2024-02-30")
@example(data=b"\xfe\xff\x00<\x00h\x00t\x00m\x00l\x00>")
def test_random_bytes(ext: str, data: bytes) -> None:
    check(data, ext)


_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "cp1250", "cp1251", "cp1257", "iso-8859-2", "koi8-r", "utf-8-sig")


@pytest.mark.parametrize("ext", EXTENSIONS)
@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(_ENCODINGS))
def test_random_text_in_assorted_encodings(ext: str, text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    article = check(data, ext)
    if article is not None and encoding.startswith("utf-8") and ext == ".txt":
        # plain UTF-8 text keeps its letters: every letter of the title came from the file
        letters = {c for c in article.title if unicodedata.category(c).startswith("L")}
        assert letters <= set(unicodedata.normalize("NFC", text)) | set(text) | set("Untitled")


_MD = ["# ", "## ", "\n", "\n\n", "---\n", "title: ", "date: 2024-01-02\n", "tags: [a, b]\n", "> ", "- ", "1. ",
       "```", "    ", "*", "_", "[x](javascript:alert(1))", "![i](http://127.0.0.1/x.png)", "<div>", "</div>",
       "<script>alert(1)</script>", "&amp;", "&#0;", "&#x202e;", "\u202e", "\x07", "ș", "ą", "Ж", "word ", "Sentence. ",
       "|a|b|\n|-|-|\n", "<!--", "-->", "\\", "\t", "\r\n"]
_HTML = ["<html>", "</html>", "<head>", "<title>", "</title>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>",
         "<article>", "<h1>", "</h1>", "<meta charset=\"", "koi8-r", "utf-16", "\">", "<meta property=\"og:title\" "
         "content=\"", "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<br/>",
         "&nbsp;", "&#1234567;", "&#x202e;", "<table><tr><td>", "<time datetime=\"2024-13-45\">", "<a href='x'>",
         "<img src=//127.0.0.1/x>", "<svg><foreignObject>", "<?xml version='1.0' encoding='latin-1'?>",
         "<!DOCTYPE html>", "\u202e", "\x00", "\x1b[2J", "ă", "ė", "Я", "Text ", "More words here. ", "<", ">", "\"", "'"]


@pytest.mark.parametrize("ext, pieces", [(".md", _MD), (".html", _HTML), (".txt", _MD + _HTML)])
@FUZZ
@given(data=st.data())
def test_random_markup(ext: str, pieces: list[str], data: st.DataObject) -> None:
    parts = data.draw(st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=30)), max_size=120))
    encoding = data.draw(st.sampled_from(("utf-8", "utf-16", "cp1251")))
    check("".join(parts).encode(encoding, errors="replace"), ext)


def test_fuzzing_reached_both_outcomes() -> None:
    """The fuzz inputs were not all skipped: some got through to the parsers and were imported.

    Runs after the fuzz tests in this file (pytest keeps file order); alone, it fuzzes a little itself.
    """
    if TOTALS["imported"] == 0:
        for i in range(50):
            check(f"Title {i}\n\nSome text here, number {i}.".encode(), ".txt")
    assert TOTALS["imported"] > 0
