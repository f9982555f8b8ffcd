"""Issue 11 storage: blocks beside the plain text, pictures content-addressed in the library file."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from reader.core import importing
from reader.core.errors import NotFoundError
from reader.core.library_ops import edit_article
from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
from reader.core.storage import Library
from tests.helpers.pictures import png

EN = LanguageGuess("en", 0.99)
RED = png(6, 4, (200, 30, 30))
BLUE = png(8, 5, (20, 30, 200))


def rich(title: str = "A shaped article", picture: bytes = RED, extra: str = "") -> ParsedArticle:
    paragraphs = ("Heading one", "First paragraph of the story." + extra, "An item", "Another item",
                  "A quoted line.", "The caption of the picture")
    blocks = (
        ParsedBlock("heading", "Heading one", level=2),
        ParsedBlock("paragraph", paragraphs[1]),
        ParsedBlock("list_item", "An item"),
        ParsedBlock("list_item", "Another item", ordered=True, depth=1),
        ParsedBlock("rule"),
        ParsedBlock("quote", "A quoted line."),
        ParsedBlock("image", "The caption of the picture", image=0, alt="a red box"),
        ParsedBlock("image", "", image=1, alt="tracker"),
    )
    images = (ParsedImage("page_files/red.png", picture, "image/png", 6, 4, alt="a red box"),
              ParsedImage("https://tracker.example/p.gif", None, alt="tracker", reason="remote"))
    return ParsedArticle(title=title, paragraphs=paragraphs, blocks=blocks, images=images)


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib.db")


def test_blocks_map_to_the_plain_text_and_pictures_are_in_the_file(lib: Library) -> None:
    out = lib.add_article(rich(), EN)
    art = lib.get_article(out.article_id or 0)
    assert art.paragraphs == list(rich().paragraphs)  # the plain text holds the paragraphs
    kinds = [b.kind for b in art.blocks]
    assert kinds == ["heading", "paragraph", "list_item", "list_item", "rule", "quote", "image", "image"]
    texts = [art.body[b.start:b.end] for b in art.blocks]
    assert texts[0] == "Heading one" and texts[4] == "" and texts[6] == "The caption of the picture"
    assert art.blocks[0].level == 2 and art.blocks[3].ordered and art.blocks[3].depth == 1
    sha = hashlib.sha256(RED).hexdigest()
    assert art.blocks[6].image == sha and art.blocks[6].alt == "a red box"
    assert art.blocks[7].image is None and art.blocks[7].src == "https://tracker.example/p.gif"
    assert [(i.sha256, i.mime, i.width, i.height, i.bytes) for i in art.images] == [(sha, "image/png", 6, 4, len(RED))]
    assert lib.get_image(sha) == RED and lib.image_info(sha).alt == "a red box"
    data = art.to_json()
    assert data["blocks"][0] == {"kind": "heading", "text": "Heading one", "level": 2}
    assert data["blocks"][6]["image"] == sha and data["images"][0]["sha256"] == sha
    with pytest.raises(NotFoundError):
        lib.get_image("0" * 64)


def test_a_plain_article_is_paragraph_blocks_without_a_row(lib: Library) -> None:
    out = lib.add_article(ParsedArticle(title="Plain", paragraphs=("One.", "Two.")), EN)
    art = lib.get_article(out.article_id or 0)
    assert [(b.kind, art.body[b.start:b.end]) for b in art.blocks] == [("paragraph", "One."), ("paragraph", "Two.")]
    assert lib.conn.execute("SELECT count(*) FROM article_blocks").fetchone()[0] == 0
    assert art.to_json()["images"] == []


def test_blocks_that_do_not_match_the_text_fall_back_to_paragraphs(lib: Library) -> None:
    parsed = ParsedArticle(title="Odd", paragraphs=("One.", "Two."), blocks=(ParsedBlock("heading", "One.", level=1),))
    art = lib.get_article(lib.add_article(parsed, EN).article_id or 0)
    assert [b.kind for b in art.blocks] == ["paragraph", "paragraph"] and art.body == "One.\n\nTwo."


def test_pictures_are_stored_once_and_leave_with_their_last_article_and_undo_brings_them(lib: Library) -> None:
    a = lib.add_article(rich("First"), EN).article_id or 0
    b = lib.add_article(rich("Second", extra=" More."), EN).article_id or 0
    c = lib.add_article(rich("Third", picture=BLUE, extra=" Other."), EN).article_id or 0
    assert lib.image_count() == (2, len(RED) + len(BLUE))
    snap_a = lib.delete_articles([a])
    assert lib.image_count()[0] == 2  # the second article still shows the red one
    snap_bc = lib.delete_articles([b, c])
    assert lib.image_count() == (0, 0)
    lib.restore_articles(snap_bc)
    lib.restore_articles(snap_a)
    assert lib.image_count() == (2, len(RED) + len(BLUE))
    for article_id, picture in ((a, RED), (b, RED), (c, BLUE)):
        art = lib.get_article(article_id)
        assert art.blocks[6].image == hashlib.sha256(picture).hexdigest()
        assert lib.get_image(art.blocks[6].image or "") == picture
    assert lib.integrity_ok()
    assert not lib.conn.execute("PRAGMA foreign_key_check").fetchall()


def test_editing_the_text_keeps_the_shape_of_unchanged_paragraphs(lib: Library) -> None:
    article_id = lib.add_article(rich(), EN).article_id or 0
    old = lib.get_article(article_id)
    paras = old.paragraphs
    new_body = "\n\n".join([paras[0], "A rewritten first paragraph.", *paras[2:], "A new last line."])
    art = edit_article(lib, article_id, body=new_body)
    shape = [(b.kind, art.body[b.start:b.end]) for b in art.blocks]
    assert shape == [("heading", "Heading one"), ("paragraph", "A rewritten first paragraph."),
                     ("list_item", "An item"), ("list_item", "Another item"), ("rule", ""),
                     ("quote", "A quoted line."), ("image", "The caption of the picture"), ("image", ""),
                     ("paragraph", "A new last line.")]
    assert art.blocks[6].image == old.blocks[6].image and art.images == old.images


def test_store_parsed_detects_the_language_and_keeps_the_shape(lib: Library) -> None:
    parsed = rich()
    parsed = ParsedArticle(title=parsed.title, paragraphs=parsed.paragraphs, blocks=parsed.blocks,
                           images=parsed.images, lang="ro", url="http://127.0.0.1/x")
    out = importing.store_parsed(lib, parsed)
    art = lib.get_article(out.article_id or 0)
    assert art.lang == "ro" and art.blocks[0].kind == "heading" and len(art.images) == 1


def test_an_older_library_is_upgraded_and_every_article_reads_as_paragraph_blocks(tmp_path: Path) -> None:
    from sqlite_utils import Database as SUDatabase
    from sqlite_utils.migrations import Migrations

    from reader.core.storage import migrations as schema
    from reader.core.storage.database import APPLICATION_ID

    path = tmp_path / "old.db"
    db = SUDatabase(path)
    old = Migrations(schema.MIGRATION_SET)
    before = [fn for fn in schema._ALL if fn.__name__ != "m006_rich_articles"]
    for fn in before:
        old()(fn)
    old.apply(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {len(before)}")
    now = "2026-01-01T00:00:00Z"
    db.execute("INSERT INTO articles (title, body, lang, lang_confidence, content_hash, added_at, updated_at)"
               " VALUES ('Old', 'First.\n\nSecond one.', 'en', 0.9, 'h', ?, ?)", [now, now])
    db.conn.commit()
    db.conn.close()
    with Library(path) as lib:
        art = lib.get_article(1)
        assert art.body == "First.\n\nSecond one."
        assert [(b.kind, art.body[b.start:b.end]) for b in art.blocks] == [("paragraph", "First."),
                                                                          ("paragraph", "Second one.")]
        assert "m006_rich_articles" in schema.applied_names(lib.conn)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM images").fetchone()[0] == 0
