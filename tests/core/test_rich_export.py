"""Issue 11's export side: Markdown that keeps the structure and writes the pictures beside it, JSON
with blocks and picture references, and a backup that carries the pictures (bounded memory)."""

from __future__ import annotations

import json
import os
import sqlite3
import tracemalloc
import zipfile
from pathlib import Path

import markdown
import pytest

from reader.core import export
from reader.core.errors import Cancelled, ValidationError
from reader.core.models import ImageInfo, LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
from reader.core.storage import Library
from tests.helpers import rich_export
from tests.helpers.rich_export import RichLibrary, png, sha


@pytest.fixture
def rich(tmp_path: Path) -> RichLibrary:
    return rich_export.build(tmp_path / "rich.db")


def expected_body(red: str, blue: str) -> str:
    return f"""## Intro

First paragraph with \\*stars\\* and a \\[bracket\\].

- first item
    - nested item
- second item

### Steps

1. step one
2. step two

> A quoted line

```
def f():
    return 1
```

---

| Name | Value |
| --- | --- |
| alpha | 1 |

![A red square](assets/{red}.png)
*Figure 1: a red square*

![Blue](assets/{blue}.png)

![Tracker](https://example.org/pixel.png)

*Gone*

Last paragraph.
"""


def md_body(text: str) -> str:
    """The text of an exported file between its ``# title`` and its end (no note, no highlights)."""
    return text.split("\n# ", 1)[1].split("\n\n", 1)[1]


def test_folder_export_keeps_the_structure_and_writes_each_picture_once(rich: RichLibrary, tmp_path: Path) -> None:
    out = tmp_path / "vault"
    pictures: list[Path] = []
    with Library(rich.path) as lib:
        files = export.export_markdown(lib, [rich.rich, rich.other, rich.plain], out, pictures=pictures)
    by_name = {f.stem: f.read_text(encoding="utf-8") for f in files}
    assert md_body(by_name["Rich article"]) == expected_body(sha(rich.red), sha(rich.blue))
    assert f"Before.\n\n![Blue again](assets/{sha(rich.blue)}.png)\n\nAfter.\n" in by_name["Other article"]
    assert md_body(by_name["Plain article"]) == "One.\n\nTwo # not a heading.\n"  # as before the issue
    # the shared picture is written once; the files hold the library's bytes
    assets = sorted((out / "assets").iterdir())
    assert [p.name for p in assets] == sorted([f"{sha(rich.red)}.png", f"{sha(rich.blue)}.png"])
    assert (out / "assets" / f"{sha(rich.red)}.png").read_bytes() == rich.red
    assert (out / "assets" / f"{sha(rich.blue)}.png").read_bytes() == rich.blue
    assert sorted(pictures) == assets
    # every relative link resolves from the Markdown file's folder
    for text in by_name.values():
        for link in [line.split("](", 1)[1][:-1] for line in text.splitlines() if line.startswith("![")]:
            assert link.startswith("https://") or (out / link).is_file(), link


def test_the_markdown_renders_as_the_articles_structure(rich: RichLibrary, tmp_path: Path) -> None:
    with Library(rich.path) as lib:
        (path,) = export.export_markdown(lib, [rich.rich], tmp_path / "out")
    html = markdown.markdown(md_body(path.read_text(encoding="utf-8")), extensions=["tables", "fenced_code"])
    assert "<h2>Intro</h2>" in html and "<h3>Steps</h3>" in html
    assert "<li>first item<ul>\n<li>nested item</li>" in html  # nested under its parent
    assert "<ol>\n<li>step one</li>\n<li>step two</li>\n</ol>" in html
    assert "<blockquote>\n<p>A quoted line</p>\n</blockquote>" in html
    assert "<pre><code>def f():\n    return 1\n</code></pre>" in html
    assert "<hr />" in html and "<th>Name</th>" in html and "<td>alpha</td>" in html
    assert f'<img alt="A red square" src="assets/{sha(rich.red)}.png" />' in html
    assert "First paragraph with *stars* and a [bracket]." in html


def test_one_file_export_puts_the_pictures_beside_it(rich: RichLibrary, tmp_path: Path) -> None:
    dest = tmp_path / "notes" / "all.md"
    with Library(rich.path) as lib:
        export.export_markdown(lib, [rich.rich, rich.other], dest)
    text = dest.read_text(encoding="utf-8")
    assert text.count(f"](assets/{sha(rich.blue)}.png)") == 2
    assert (tmp_path / "notes" / "assets" / f"{sha(rich.red)}.png").read_bytes() == rich.red
    assert "- nested item" in text and "## Intro" in text


def test_export_again_keeps_an_identical_picture_and_replaces_a_changed_one(rich: RichLibrary, tmp_path: Path) -> None:
    out = tmp_path / "vault"
    with Library(rich.path) as lib:
        export.export_markdown(lib, [rich.rich], out)
        red, blue = out / "assets" / f"{sha(rich.red)}.png", out / "assets" / f"{sha(rich.blue)}.png"
        os.utime(red, (1_000_000, 1_000_000))
        blue.write_bytes(b"tampered")
        export.export_markdown(lib, [rich.rich], out)
        assert red.stat().st_mtime == 1_000_000 and blue.read_bytes() == rich.blue
        blue.unlink()
        blue.symlink_to(tmp_path / "elsewhere.png")
        with pytest.raises(ValidationError, match="symbolic link"):
            export.export_markdown(lib, [rich.rich], out)
    assert not (tmp_path / "elsewhere.png").exists()


def test_a_cancelled_one_file_export_leaves_no_pictures(rich: RichLibrary, tmp_path: Path) -> None:
    dest = tmp_path / "all.md"
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2  # after the first article (its pictures written)

    with Library(rich.path) as lib, pytest.raises(Cancelled):
        export.export_markdown(lib, [rich.rich, rich.other, rich.plain], dest, cancel=cancel)
    assert not dest.exists() and not (tmp_path / "assets").exists()


def test_a_picture_the_export_cannot_link_falls_back_to_its_address_or_alt(tmp_path: Path) -> None:
    with Library(tmp_path / "l.db") as lib:
        blocks = (ParsedBlock("paragraph", "Text."), ParsedBlock("image", image=0, alt="Has (parens)"),
                  ParsedBlock("image", image=1, alt=""), ParsedBlock("image", "Only a caption", image=2, alt=""))
        parsed = ParsedArticle(title="Remote", paragraphs=("Text.", "Only a caption"), blocks=blocks, images=(
            ParsedImage(src="http://example.org/a b(1).png", alt="Has (parens)"),
            ParsedImage(src="data:image/png;base64,xx", alt=""),
            ParsedImage(src="file:///etc/x.png", alt=""),
        ))
        a = lib.add_article(parsed, LanguageGuess("en", 0.9)).article_id
        assert a is not None
        lines = export.blocks_markdown(lib.get_article(a))
    assert lines == ["Text.", "", "![Has (parens)](<http://example.org/a%20b(1).png>)", "",
                     "*Only a caption*", ""]


# --- JSON ----------------------------------------------------------------------------------------
def test_json_export_carries_blocks_and_picture_references_not_bytes(rich: RichLibrary, tmp_path: Path) -> None:
    with Library(rich.path) as lib:
        path = export.export_json(lib, [rich.rich, rich.plain], tmp_path / "x.json")
        article = lib.get_article(rich.rich)
    data = json.loads(path.read_text(encoding="utf-8"))
    a, plain = data["articles"]
    assert [b["kind"] for b in a["blocks"]][:5] == ["heading", "paragraph", "list_item", "list_item", "list_item"]
    assert a["blocks"][0] == {"kind": "heading", "text": "Intro", "level": 2}
    assert a["blocks"][3] == {"kind": "list_item", "text": "nested item", "ordered": False, "depth": 1}
    red = next(b for b in a["blocks"] if b["kind"] == "image" and b.get("alt") == "A red square")
    assert red["image"] == sha(rich.red) and red["text"] == "Figure 1: a red square"
    tracker = next(b for b in a["blocks"] if b.get("alt") == "Tracker")
    assert tracker["image"] is None and tracker["src"] == "https://example.org/pixel.png"
    assert a["images"] == [i.to_json() for i in article.images]
    assert {i["sha256"] for i in a["images"]} == {sha(rich.red), sha(rich.blue)}
    assert a["images"][0] == {"sha256": sha(rich.red), "mime": "image/png", "width": 4, "height": 3,
                              "bytes": len(rich.red), "alt": "A red square"}
    assert [b["kind"] for b in plain["blocks"]] == ["paragraph", "paragraph"] and plain["images"] == []
    assert "base64" not in path.read_text(encoding="utf-8")


# --- backup / restore ----------------------------------------------------------------------------
def test_backup_then_restore_into_an_empty_library_keeps_the_pictures(rich: RichLibrary, tmp_path: Path) -> None:
    zip_path = tmp_path / "b.zip"
    with Library(rich.path) as lib:
        export.backup(lib, zip_path)
        before = lib.get_article(rich.rich)
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
    assert {"tables/images.jsonl", "tables/article_blocks.jsonl", "tables/article_images.jsonl"} <= names
    restored = tmp_path / "restored.db"
    with Library(restored) as lib:
        export.restore(lib, zip_path)
        after = lib.get_article(rich.rich)
        assert after.blocks == before.blocks and after.images == before.images
        for data in (rich.red, rich.blue):
            got = lib.get_image(sha(data))
            assert got == data and sha(got) == lib.image_info(sha(data)).sha256
        assert [i.sha256 for i in lib.get_article(rich.other).images] == [sha(rich.blue)]
    assert _blob_rows(restored) == _blob_rows(rich.path)


def _blob_rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM images ORDER BY 1").fetchall()
    finally:
        conn.close()


def test_backup_and_restore_of_big_pictures_stay_in_bounded_memory(tmp_path: Path) -> None:
    """40 photo-sized pictures (~600 KB each, 24 MB in all): neither the backup nor the restore
    holds them all in memory at once (before: a batch of 1,000 rows, ~100 MB with their JSON)."""
    path = tmp_path / "big.db"
    pictures = [png(346, 578, noise=n) for n in range(40)]
    with Library(path) as lib:
        for n in range(0, 40, 4):
            chunk = pictures[n : n + 4]
            blocks = tuple(ParsedBlock("image", f"Photo {n + k}", image=k, alt=f"photo {n + k}") for k in range(4))
            parsed = ParsedArticle(title=f"Photos {n}", paragraphs=tuple(b.text for b in blocks), blocks=blocks,
                                   images=tuple(rich_export.picture(d, f"p{n + k}.png", "", 346, 578)
                                                for k, d in enumerate(chunk)))
            lib.add_article(parsed, LanguageGuess("en", 0.9))
    total = sum(len(p) for p in pictures)
    assert total > 20 * 2**20
    zip_path = tmp_path / "big.zip"
    with Library(path) as lib:
        tracemalloc.start()
        try:
            export.backup(lib, zip_path)
            _, backup_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    with Library(tmp_path / "restored.db") as lib:
        tracemalloc.start()
        try:
            export.restore(lib, zip_path)
            _, restore_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert all(lib.get_image(sha(p)) == p for p in pictures)
    assert backup_peak < total / 2, f"backup peak {backup_peak / 2**20:.1f} MB for {total / 2**20:.1f} MB of pictures"
    assert restore_peak < total / 2, f"restore peak {restore_peak / 2**20:.1f} MB for {total / 2**20:.1f} MB"


def test_a_stored_sha256_that_is_not_one_never_becomes_a_path(rich: RichLibrary, tmp_path: Path) -> None:
    bad = ImageInfo(sha256="../../evil", mime="image/png", width=1, height=1, bytes=1)
    with pytest.raises(ValidationError):
        export.image_file_name(bad)
    with Library(rich.path) as lib:
        writer = export.AssetWriter(lib, tmp_path / "out")
        assert writer.link(bad) is None and writer.files == []
        good = lib.image_info(sha(rich.red))
        assert writer.link(good) == f"assets/{sha(rich.red)}.png"
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == [f"{sha(rich.red)}.png"]
    assert not (tmp_path / "evil.png").exists()


def test_a_first_heading_that_repeats_the_title_is_not_written_twice(tmp_path: Path) -> None:
    blocks = (ParsedBlock("heading", "Notes  on the crossing", level=1), ParsedBlock("paragraph", "Text."),
              ParsedBlock("heading", "Notes on the crossing", level=2))
    with Library(tmp_path / "l.db") as lib:
        a = lib.add_article(ParsedArticle(title="Notes on the Crossing", paragraphs=tuple(b.text for b in blocks),
                                          blocks=blocks), LanguageGuess("en", 0.9)).article_id
        assert a is not None
        (path,) = export.export_markdown(lib, [a], tmp_path / "out")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("---\n\n# Notes on the Crossing\n\nText.\n\n## Notes on the crossing\n")
