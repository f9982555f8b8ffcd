"""Issue 11's done-when, as a new user checks it with the CLI: a page saved with its ``_files``
folder and a Markdown file keep their shape and pictures; a highlight on a list item; export with
``assets/``; backup then restore keeps the pictures; the seeds import as before. A server on
127.0.0.1 stands in for the web: it must get no request from a local import."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from tests.helpers.pictures import png

PHOTO = png(64, 48, (10, 120, 200))
DIAGRAM = png(40, 30, (200, 120, 10))


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    _Counting.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counting.hits
    server.shutdown()
    server.server_close()


PARAS = [
    "Officials in Vilnius said on Monday that the new border crossing would open next spring, after two "
    "years of talks with the neighbouring regions and a long public consultation.",
    "The plan was welcomed by local businesses, who said the old crossing had become a bottleneck for "
    "trucks carrying goods between the two countries and for commuters alike.",
    "Critics warned that the cost of the project had doubled since it was first proposed, and that the "
    "money could have been spent on schools and hospitals in the border towns instead.",
]


def saved_page(folder: Path, base: str) -> Path:
    files = folder / "Border crossing_files"
    files.mkdir(parents=True)
    (files / "photo.png").write_bytes(PHOTO)
    page = folder / "Border crossing.html"
    page.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>New border crossing to open next spring</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>New border crossing to open next spring</h1>
<p>{PARAS[0]}</p>
<h2>What the plan says</h2>
<ul><li>Two new lanes for trucks and buses at the crossing</li><li>A footbridge for cyclists and walkers</li></ul>
<p>{PARAS[1]}</p>
<blockquote><p>This crossing will change the lives of thousands of people who cross every day.</p></blockquote>
<figure><img src="Border%20crossing_files/photo.png" alt="The old crossing at dawn">
<figcaption>The old crossing, photographed at dawn last winter.</figcaption></figure>
<p>{PARAS[2]}</p>
<img src="{base}/pixel.gif" width="1" height="1" alt="">
</article><footer>Copyright the newspaper, all rights reserved.</footer></body></html>""", encoding="utf-8")
    return page


def markdown_file(folder: Path) -> Path:
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "diagram.png").write_bytes(DIAGRAM)
    note = folder / "notes.md"
    note.write_text(f"""---
title: Notes on the crossing
tags: [border, transport]
---

# Notes on the crossing

{PARAS[0]}

## Open questions

- Who pays for the footbridge over the river
- When the old lanes will close for good

> The cost has doubled since the first plan was made public.

![A diagram of the lanes](img/diagram.png)

{PARAS[2]}
""", encoding="utf-8")
    return note


def _show(capsys: pytest.CaptureFixture[str], db: Path, article_id: int) -> dict:
    code, out, err = run(capsys, db, "show", str(article_id), "--json")
    assert code == 0, err
    return json.loads(out)


def _imported_id(out: str) -> int:
    match = re.search(r"#(\d+)", out)
    assert match, out
    return int(match.group(1))


def test_a_saved_page_keeps_headings_lists_quotes_and_its_picture(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, web: tuple[str, list[str]]) -> None:
    base, hits = web
    db = tmp_path / "lib.db"
    page = saved_page(tmp_path / "saved", base)
    code, out, err = run(capsys, db, "import", str(page))
    assert code == 0, err
    data = _show(capsys, db, _imported_id(out))
    kinds = [b["kind"] for b in data["blocks"]]
    assert {"heading", "list_item", "quote", "image", "paragraph"} <= set(kinds), kinds
    assert any(b["kind"] == "heading" and b["text"] == "What the plan says" for b in data["blocks"])
    assert [b["text"] for b in data["blocks"] if b["kind"] == "list_item"][:1] == [
        "Two new lanes for trucks and buses at the crossing"]
    stored = data["images"]
    assert [i["sha256"] for i in stored] == [hashlib.sha256(PHOTO).hexdigest()]  # the tracker is not stored
    assert stored[0]["width"] == 64 and stored[0]["height"] == 48 and stored[0]["mime"] == "image/png"
    for p in PARAS:
        assert p in data["body"]  # the plain text still holds the paragraphs
    assert "Copyright the newspaper" not in data["body"] and "Home" not in data["body"].split()
    assert hits == []  # nothing fetched
    # the picture, written out, is the file's bytes
    out_file = tmp_path / "photo-out.png"
    code, _, err = run(capsys, db, "image", stored[0]["sha256"], "-o", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes() == PHOTO


def test_markdown_with_front_matter_keeps_its_shape_and_a_list_item_takes_a_highlight(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    code, out, err = run(capsys, db, "import", str(markdown_file(tmp_path / "md")))
    assert code == 0, err
    article_id = _imported_id(out)
    data = _show(capsys, db, article_id)
    assert data["title"] == "Notes on the crossing" and set(data["tags"]) >= {"border", "transport"}
    blocks = data["blocks"]
    assert {"kind": "heading", "text": "Open questions", "level": 2} in blocks
    assert [b["text"] for b in blocks if b["kind"] == "list_item"] == [
        "Who pays for the footbridge over the river", "When the old lanes will close for good"]
    assert any(b["kind"] == "quote" and "cost has doubled" in b["text"] for b in blocks)
    assert [i["sha256"] for i in data["images"]] == [hashlib.sha256(DIAGRAM).hexdigest()]
    code, out, err = run(capsys, db, "highlight", str(article_id), "--quote", "footbridge over the river", "--json")
    assert code == 0, err
    highlight = json.loads(out)
    texts = [b["text"] for b in blocks if b["text"]]  # the blocks with text are the paragraphs
    assert highlight["paragraph"] == texts.index("Who pays for the footbridge over the river")
    assert highlight["quote"] == "footbridge over the river" and not highlight["orphaned"]
    code, out, err = run(capsys, db, "highlights", str(article_id), "--json")
    assert code == 0 and [h["quote"] for h in json.loads(out)] == ["footbridge over the river"]


def test_export_writes_markdown_with_assets_and_backup_restore_keeps_the_pictures(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, web: tuple[str, list[str]]) -> None:
    base, _hits = web
    db = tmp_path / "lib.db"
    assert run(capsys, db, "import", str(saved_page(tmp_path / "saved", base)))[0] == 0
    assert run(capsys, db, "import", str(markdown_file(tmp_path / "md")))[0] == 0
    out_dir = tmp_path / "export"
    code, _, err = run(capsys, db, "export", "--all", "-o", str(out_dir))
    assert code == 0, err
    texts = {p.name: p.read_text(encoding="utf-8") for p in out_dir.glob("*.md")}
    page_md = next(t for t in texts.values() if "What the plan says" in t)
    assert "## What the plan says" in page_md
    assert "- Two new lanes for trucks and buses at the crossing" in page_md
    assert "> This crossing will change" in page_md
    links = re.findall(r"!\[([^\]]*)\]\(([^)\s]+)\)", page_md)
    local = [(alt, target) for alt, target in links if not target.startswith("http")]
    assert local, page_md
    alt, target = local[0]
    assert (out_dir / target).read_bytes() == PHOTO and not Path(target).is_absolute()
    # backup, then restore into an empty library: the same pictures
    backup = tmp_path / "lib.zip"
    code, _, err = run(capsys, db, "backup", str(backup))
    assert code == 0, err
    assert zipfile.is_zipfile(backup)
    fresh = tmp_path / "fresh.db"
    code, _, err = run(capsys, fresh, "restore", str(backup))
    assert code == 0, err
    for sha, picture in ((hashlib.sha256(PHOTO).hexdigest(), PHOTO), (hashlib.sha256(DIAGRAM).hexdigest(), DIAGRAM)):
        target_file = tmp_path / f"{sha}.png"
        code, _, err = run(capsys, fresh, "image", sha, "-o", str(target_file))
        assert code == 0, err
        assert target_file.read_bytes() == picture
