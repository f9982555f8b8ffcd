"""Issue 11: importers keep the article's shape (headings, lists, quotes, pictures) beside its text."""

from __future__ import annotations

import hashlib
import io
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from reader.core.importers import parse_bytes, parse_file
from reader.core.importers.html_file import parse_html
from reader.core.importing import import_paths
from reader.core.models import ParsedArticle
from reader.core.storage import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

#: The five seeds as main imported them before issue 11 (title, language, paragraphs, sha256 of
#: the body), computed once with main's code at 8c34d67.
SEED_BASELINE = {
    "000": ("Rusia şi Belarus consideră de o importanţă vitală aprofundarea relaţiilor de alianţă şi parteneriat…",
            "ro", 10, "3ff9f8c839a04f95a9eb4b09ce63a6b8ffe258e895f33c0f4fde7a9ae782286a"),
    "001": ("Belarus se apropie de un acord major pentru restabilirea relațiilor cu SUA…",
            "ro", 11, "0dc3ee510d46ac3af20667288f7c3974f74d5782679e6284f6bc96e64d1480e6"),
    "002": ("Rusijos prezidentas Vladimiras Putinas ketvirtadienį pareiškė…",
            "lt", 10, "ba74c52e15d59d1dbf76acc27ec9073cd50e1758120414b7ff669c4c34768dc8"),
    "003": ("Belarus and Russia vitally need to develop alliance and strategic partnership…",
            "en", 8, "8802e918306235de23d7b84e362a3c1680f5ab8b406cf1eede642b6e70f264dc"),
    "004": ("Putin a eșuat din nou să îl convingă pe Lukașenko să intre în război cu Ucraina. Anunțul făcut "
            "de liderul rus la Minsk", "ro", 14,
            "20dfbd6eed0f0ba1e6de881c25a9fdf54b1123715fbc578ec089aa403557553f"),
}

TEXT = ("The council met on Tuesday evening to discuss the new budget for the coming year, and the "
        "members argued for hours about schools, roads and the price of heating in winter.")


def picture(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def texts(parsed: ParsedArticle) -> list[str]:
    return [b.text for b in parsed.blocks if b.text]


def kinds(parsed: ParsedArticle) -> list[str]:
    return [b.kind for b in parsed.blocks]


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        body = picture("GIF", (1, 1))
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def saved_page(folder: Path, remote: str) -> tuple[Path, bytes, bytes, bytes]:
    """A page saved "complete" by a browser: page.html and page_files/ with its pictures."""
    files = folder / "Council budget_files"
    files.mkdir(parents=True)
    photo, small, big = picture("JPEG", (320, 200), "navy"), picture("PNG", (160, 100)), picture("PNG", (1280, 800))
    (files / "photo.jpg").write_bytes(photo)
    (files / "chart-small.png").write_bytes(small)
    (files / "chart-big.png").write_bytes(big)
    page = folder / "Council budget.html"
    page.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council argues over the budget | City News</title><meta property="og:site_name" content="City News">
<meta property="article:published_time" content="2026-03-04T10:00:00Z"></head><body>
<header><a href="/"><h1>City News</h1></a><nav><a href="/">Home</a> <a href="/local">Local</a></nav></header>
<article><h1>Council argues over the budget</h1>
<p>{TEXT}</p>
<figure><img src="Council%20budget_files/photo.jpg" alt="The council chamber" width="320" height="200">
<figcaption>Members of the council in the chamber on Tuesday.</figcaption></figure>
<h2>What the money is for</h2>
<p>The mayor listed the main items of spending and asked the members to agree before the end of the month.</p>
<ul><li>New roofs for three schools in the north of the city</li>
<li>Repairs to the old bridge over the river<ul><li>Including the footpath on the east side</li></ul></li></ul>
<ol><li>First, the schools</li><li>Then, the bridge</li></ol>
<blockquote><p>We cannot wait another winter for these repairs, the mayor told the council.</p></blockquote>
<p>The vote is expected next week, after a second reading of the plan and a public hearing.</p>
<img srcset="Council%20budget_files/chart-small.png 400w, Council%20budget_files/chart-big.png 1280w"
     src="Council budget_files/chart-small.png" alt="Spending by area">
<p>Opposition members said the plan did not go far enough and asked for more money for buses.
<img src="{remote}/pixel.gif" width="1" height="1" alt=""></p>
<img src="{remote}/photos/crowd.jpg" alt="The crowd outside">
<p>Residents who came to the meeting said they hoped the council would agree on the plan soon.</p>
</article><footer>Copyright City News</footer></body></html>""", encoding="utf-8")
    return page, photo, small, big


def test_a_saved_page_keeps_headings_lists_quotes_and_its_pictures(tmp_path: Path,
                                                                   server: tuple[str, list[str]]) -> None:
    base, hits = server
    page, photo, _small, big = saved_page(tmp_path, base)
    parsed = parse_file(page)
    assert parsed.title == "Council argues over the budget"
    assert parsed.published == "2026-03-04" and parsed.lang == "en" and parsed.source == "City News"
    assert texts(parsed) == list(parsed.paragraphs)  # the storage invariant
    got = {b.kind for b in parsed.blocks}
    assert {"heading", "list_item", "quote", "image", "paragraph"} <= got
    heading = next(b for b in parsed.blocks if b.kind == "heading")
    assert (heading.text, heading.level) == ("What the money is for", 2)
    items = [(b.text, b.ordered, b.depth) for b in parsed.blocks if b.kind == "list_item"]
    assert items == [
        ("New roofs for three schools in the north of the city", False, 0),
        ("Repairs to the old bridge over the river", False, 0),
        ("Including the footpath on the east side", False, 1),
        ("First, the schools", True, 0),
        ("Then, the bridge", True, 0),
    ]
    quote = next(b for b in parsed.blocks if b.kind == "quote")
    assert quote.text.startswith("We cannot wait another winter")
    # the plain text still holds the paragraphs, in order
    assert parsed.paragraphs[0] == TEXT
    assert "The vote is expected next week, after a second reading of the plan and a public hearing." in parsed.paragraphs
    # pictures: the photo with its caption, the largest local srcset candidate; bytes as on disk
    pictures = [b for b in parsed.blocks if b.kind == "image"]
    first = parsed.images[pictures[0].image]  # type: ignore[index]
    assert first.data is not None and sha(first.data) == sha(photo)
    assert (first.mime, first.width, first.height) == ("image/jpeg", 320, 200)
    assert pictures[0].text == "Members of the council in the chamber on Tuesday."
    assert pictures[0].alt == "The council chamber"
    chart = parsed.images[pictures[1].image]  # type: ignore[index]
    assert chart.data is not None and sha(chart.data) == sha(big) and chart.width == 1280
    # remote pictures: the tracker pixel gets no block and no image; the photo is "not available"
    assert not any("pixel.gif" in image.src for image in parsed.images)
    crowd = next(image for image in parsed.images if image.src.endswith("/photos/crowd.jpg"))
    assert crowd.data is None and crowd.alt == "The crowd outside" and "not available" in (crowd.reason or "")
    assert hits == []  # a local import never fetches anything


def test_the_same_page_through_the_import_pipeline_fetches_nothing(tmp_path: Path,
                                                                  server: tuple[str, list[str]]) -> None:
    base, hits = server
    page, _photo, _small, _big = saved_page(tmp_path / "in", base)
    with Library(tmp_path / "lib.db") as library:
        [outcome] = import_paths(library, [page], workers=1)
        assert outcome.status == "imported"
        article = library.get_article(outcome.article_id or 0)
        assert article.title == "Council argues over the budget"
        assert TEXT in article.body
    assert hits == []


def test_data_uris_base64_and_percent_encoded(tmp_path: Path) -> None:
    import base64

    png = picture("PNG", (30, 20))
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10"/></svg>'
    html = (f"<html><body><article><p>{TEXT}</p>"
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="inline png">'
            f"<p>{TEXT} Again.</p>"
            f'<img src="data:image/svg+xml,{urllib.parse.quote(svg)}" alt="inline svg">'
            f"<p>{TEXT} Third.</p></article></body></html>")
    parsed = parse_bytes(html.encode(), "inline.html", folder=tmp_path)
    by_alt = {image.alt: image for image in parsed.images}
    assert by_alt["inline png"].data == png and by_alt["inline png"].mime == "image/png"
    assert by_alt["inline png"].src == "data:"
    assert by_alt["inline svg"].mime == "image/svg+xml" and (by_alt["inline svg"].width, by_alt["inline svg"].height) == (40, 10)


def test_a_fetched_page_gets_absolute_picture_urls_to_fetch() -> None:
    html = (f"<html><body><article><p>{TEXT}</p><img src='/media/a.jpg' alt='A'>"
            f"<p>{TEXT} Again.</p><img src='b.png'><img src='https://cdn.example/c.webp'></article></body></html>")
    parsed = parse_html(html.encode(), base_url="https://news.example/2026/story.html")
    assert [(i.src, i.data) for i in parsed.images] == [
        ("https://news.example/media/a.jpg", None),
        ("https://news.example/2026/b.png", None),
        ("https://cdn.example/c.webp", None),
    ]
    assert parsed.images[0].alt == "A"


def test_relative_pictures_without_a_folder_are_not_available() -> None:
    html = f"<html><body><article><p>{TEXT}</p><img src='pic.png' alt='x'></article></body></html>"
    parsed = parse_bytes(html.encode(), "page.html")
    assert [(i.src, i.data) for i in parsed.images] == [("pic.png", None)]
    assert "no folder" in (parsed.images[0].reason or "")


def test_markdown_with_front_matter_headings_lists_quotes_code_and_a_picture(tmp_path: Path) -> None:
    png = picture("PNG", (50, 50), "red")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "map.png").write_bytes(png)
    note = tmp_path / "note.md"
    note.write_text("""---
title: Field notes
lang: en
date: 2026-02-01
tags: [travel]
---

# Field notes

We walked along the river for most of the morning.

## Things we saw

- Herons on the bank
- A boat
    - painted blue

1. first stop
2. second stop

> The river is higher than last year.
>
> > said the ferryman

![The map of the walk](assets/map.png)

```
line one

line two
```

---

| Place | Time |
|---|---|
| Bridge | 9:00 |
""", encoding="utf-8")
    parsed = parse_file(note)
    assert (parsed.title, parsed.lang, parsed.published, parsed.tags) == ("Field notes", "en", "2026-02-01", ("travel",))
    assert texts(parsed) == list(parsed.paragraphs)
    blocks = [(b.kind, b.text, b.level, b.ordered, b.depth) for b in parsed.blocks if b.kind != "image"]
    assert blocks == [
        ("heading", "Field notes", 1, False, 0),
        ("paragraph", "We walked along the river for most of the morning.", 0, False, 0),
        ("heading", "Things we saw", 2, False, 0),
        ("list_item", "Herons on the bank", 0, False, 0),
        ("list_item", "A boat", 0, False, 0),
        ("list_item", "painted blue", 0, False, 1),
        ("list_item", "first stop", 0, True, 0),
        ("list_item", "second stop", 0, True, 0),
        ("quote", "The river is higher than last year.", 0, False, 0),
        ("quote", "said the ferryman", 0, False, 1),
        ("pre", "line one\nline two", 0, False, 0),
        ("rule", "", 0, False, 0),
        ("table_row", "Place | Time", 0, False, 0),
        ("table_row", "Bridge | 9:00", 0, False, 0),
    ]
    [image_block] = [b for b in parsed.blocks if b.kind == "image"]
    assert image_block.alt == "The map of the walk"
    image = parsed.images[image_block.image]  # type: ignore[index]
    assert image.data is not None and sha(image.data) == sha(png) and (image.width, image.height) == (50, 50)


def test_markdown_title_heading_still_leaves_the_body() -> None:
    parsed = parse_bytes(b"# The title\n\nFirst paragraph here.\n\n- item\n", "t.md")
    assert parsed.title == "The title"
    assert parsed.paragraphs == ("First paragraph here.", "item")
    assert kinds(parsed) == ["paragraph", "list_item"]


def test_text_files_stay_paragraphs() -> None:
    parsed = parse_bytes(("Headline of the note\n\n" + TEXT + "\n\n" + TEXT).encode(), "note.txt")
    assert parsed.blocks == () and parsed.images == ()


def test_pre_blocks_have_no_paragraph_break_inside() -> None:
    html = f"<html><body><article><p>{TEXT}</p><pre><code>a = 1\n\n\nb = 2\n</code></pre><p>{TEXT}</p></article></body></html>"
    parsed = parse_bytes(html.encode(), "code.html")
    assert "a = 1\nb = 2" in parsed.paragraphs
    assert all("\n\n" not in p for p in parsed.paragraphs)


def test_the_five_seeds_import_exactly_as_before(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    with Library(tmp_path / "lib.db") as library:
        outcomes = import_paths(library, seeds, workers=1)
        for path, outcome in zip(seeds, outcomes, strict=True):
            article = library.get_article(outcome.article_id or 0)
            title, lang, count, body_sha = SEED_BASELINE[path.name[:3]]
            assert (article.title, article.lang, len(article.paragraphs)) == (title, lang, count), path.name
            assert sha(article.body.encode()) == body_sha, path.name
