"""Markdown notes render to sanitized HTML: no script, style, frames, handlers, dangerous URLs or images."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.rendering import markdown_to_html, sanitize_html


def test_markdown_basics() -> None:
    html = markdown_to_html("# Title\n\n**bold** *it* `code`\n\n> quoted\n\n- a\n- b\n\n1. one\n\n[site](https://example.org)")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<code>code</code>" in html
    assert "<blockquote>" in html and "<ul>" in html and "<ol>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in html


def test_empty_note() -> None:
    assert markdown_to_html("") == markdown_to_html(None) == markdown_to_html("  \n ") == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        "<iframe src='https://evil.example'></iframe>",
        "<p onclick='alert(1)' style='color:red'>x</p>",
        "[x](javascript:alert(1))",
        "<a href='JaVaScRiPt:alert(1)'>x</a>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<img src='https://tracker.example/p.png' onerror='alert(1)'>",
        "![pixel](https://tracker.example/p.png)",
        "<object data='x.swf'></object><embed src='x'>",
        "<form action='https://evil.example'><input name=a></form>",
        "<svg><script>alert(1)</script></svg>",
        "<a href='file:///etc/passwd'>f</a>",
        "<link rel=stylesheet href='https://evil.example/x.css'>",
    ],
)
def test_hostile_markup_is_removed(hostile: str) -> None:
    html = markdown_to_html(f"before\n\n{hostile}\n\nafter")
    lowered = html.lower()
    for bad in ("<script", "<style", "<iframe", "onclick", "onerror", "style=", "javascript:", "data:",
                "<img", "src=", "<object", "<embed", "<form", "<input", "<svg", "file:", "<link", "alert("):
        assert bad not in lowered, (bad, html)
    assert "before" in html and "after" in html


def test_markdown_image_becomes_alt_text() -> None:
    html = markdown_to_html("see ![a map of Minsk](https://example.org/map.png) here")
    assert "[a map of Minsk]" in html and "<img" not in html and "example.org" not in html


def test_app_links_are_kept() -> None:
    html = markdown_to_html("[back](polyglot-reader://article/3#highlight-7)")
    assert 'href="polyglot-reader://article/3#highlight-7"' in html


def test_sanitize_html_same_policy() -> None:
    out = sanitize_html('<p class="x" style="a">hi <b>b</b><img src="https://x/y.png" alt="z"></p><script>1</script>')
    assert out == "<p>hi <b>b</b></p>"


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_renders_safely(text: str) -> None:
    html = markdown_to_html(text)
    assert not re.search(r"<\s*(script|style|iframe|img|object|embed)", html, re.IGNORECASE)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE)
