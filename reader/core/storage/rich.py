"""Articles' shape and pictures: ``article_blocks``, ``article_images`` and ``images`` (migration 006).

An article's plain text (``articles.body``: paragraphs joined by a blank line) is what search,
language detection, highlights and translations work on. Its *blocks* say what each paragraph is
(heading, list item, quote, pre, table row, an image's caption) and where rules and pictures sit:
the blocks with text are exactly the body's paragraphs, one each and in order; a rule or a picture
without caption has an empty span at the end of the text before it. An article without a row in
``article_blocks`` is one paragraph block per paragraph (:func:`paragraph_blocks`), which is what
every article was before migration 006 and what a ``.txt`` import still is.

Pictures are stored once per library (content-addressed by the sha256 of their bytes) and linked to
the articles that use them; the last article to go takes its pictures with it (and an undo of the
delete brings them back). Checking a picture's bytes (type, size, bombs) is the importers' job
(:mod:`reader.core.importers.images`); storage takes the type and size it is given.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from reader.core.errors import NotFoundError
from reader.core.models import BLOCK_KINDS, Block, ImageInfo, ParsedArticle
from reader.core.storage.connection import in_chunks
from reader.core.storage.database import Database, utc_now
from reader.core.text import paragraph_spans

#: Kinds that carry no text of their own (an image's text, when it has one, is its caption).
EMPTY_KINDS = ("rule", "image")


def paragraph_blocks(body: str) -> tuple[Block, ...]:
    """One paragraph block per paragraph of ``body``: an article stored without structure."""
    return tuple(Block("paragraph", start, end) for start, end in paragraph_spans(body))


def _encode(blocks: Sequence[Block]) -> str:
    out: list[dict[str, Any]] = []
    for b in blocks:
        item: dict[str, Any] = {"k": b.kind, "s": b.start, "e": b.end}
        if b.level:
            item["l"] = b.level
        if b.ordered:
            item["o"] = 1
        if b.depth:
            item["d"] = b.depth
        if b.image is not None:
            item["i"] = b.image
        if b.src is not None:
            item["src"] = b.src
        if b.alt:
            item["a"] = b.alt
        out.append(item)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _decode(text: str) -> tuple[Block, ...]:
    return tuple(
        Block(kind=d["k"], start=int(d["s"]), end=int(d["e"]), level=int(d.get("l", 0)),
              ordered=bool(d.get("o", 0)), depth=int(d.get("d", 0)), image=d.get("i"),
              src=d.get("src"), alt=str(d.get("a", "")))
        for d in json.loads(text)
    )


def is_plain(blocks: Sequence[Block]) -> bool:
    """Whether these blocks say no more than the paragraphs do (no row is stored for them)."""
    return all(b.kind == "paragraph" and not b.depth for b in blocks)


def usable(image: Any) -> bool:
    """A parsed picture storage keeps: bytes, a type and a size in pixels."""
    return bool(image is not None and image.data and image.mime and image.width and image.height)


def plan_blocks(parsed: ParsedArticle, body: str) -> tuple[list[Block], dict[str, Any]]:
    """The stored blocks of a parsed article, and the pictures to store (sha256 -> ParsedImage).

    The importer's text blocks must be the body's paragraphs in order; when they are not (an
    importer bug, a paragraph the clean-up dropped), the article is stored as paragraphs — its
    text is never lost for its shape."""
    spans = paragraph_spans(body)
    if not parsed.blocks:
        return list(paragraph_blocks(body)), {}
    text_blocks = [b for b in parsed.blocks if b.text.strip()]
    if len(text_blocks) != len(spans):
        return list(paragraph_blocks(body)), {}
    blocks: list[Block] = []
    pictures: dict[str, Any] = {}
    index = 0
    at = 0  # where a block without text sits: the end of the text before it
    for pb in parsed.blocks:
        kind = pb.kind if pb.kind in BLOCK_KINDS else "paragraph"
        has_text = bool(pb.text.strip())
        if not has_text and kind not in EMPTY_KINDS:
            continue  # an empty heading or list item: nothing to show
        start, end = spans[index] if has_text else (at, at)
        if has_text:
            index += 1
            at = end
        sha: str | None = None
        src: str | None = None
        alt = pb.alt
        if kind == "image":
            image = parsed.images[pb.image] if pb.image is not None and 0 <= pb.image < len(parsed.images) else None
            if image is not None:
                src = image.src or None
                alt = alt or image.alt
                if usable(image) and image.data is not None:
                    sha = hashlib.sha256(image.data).hexdigest()
                    pictures.setdefault(sha, image)
        blocks.append(Block(kind, start, end, level=max(0, min(6, pb.level)) if kind == "heading" else 0,
                            ordered=pb.ordered if kind == "list_item" else False,
                            depth=max(0, pb.depth), image=sha, src=src, alt=alt))
    return blocks, pictures


def store_structure(conn: sqlite3.Connection, article_id: int, parsed: ParsedArticle, body: str) -> None:
    """Store a new article's blocks and pictures (inside the caller's transaction)."""
    blocks, pictures = plan_blocks(parsed, body)
    if is_plain(blocks) and not pictures:
        return
    conn.execute("INSERT INTO article_blocks (article_id, blocks) VALUES (?, ?)", (article_id, _encode(blocks)))
    now = utc_now()
    for sha, image in pictures.items():
        conn.execute(
            "INSERT OR IGNORE INTO images (sha256, mime, width, height, bytes, data, added_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (sha, image.mime, int(image.width), int(image.height), len(image.data), image.data, now),
        )
    _link_pictures(conn, article_id, blocks)


def _link_pictures(conn: sqlite3.Connection, article_id: int, blocks: Sequence[Block]) -> None:
    seen: set[str] = set()
    for b in blocks:
        if b.image is not None and b.image not in seen:
            seen.add(b.image)
            conn.execute("INSERT OR IGNORE INTO article_images (article_id, sha256, position, alt) VALUES (?,?,?,?)",
                         (article_id, b.image, len(seen), b.alt))


def remap_blocks(old_body: str, old_blocks: Sequence[Block], new_body: str) -> list[Block]:
    """Blocks for a new text of an article: paragraphs that did not change keep their block (a
    heading stays a heading), changed and new ones are paragraphs; a rule or a picture without
    caption stays after the paragraph it followed, or after the nearest kept one before it."""
    old_text_blocks = [b for b in old_blocks if b.end > b.start]
    old_paras = [old_body[b.start:b.end] for b in old_text_blocks]
    spans = paragraph_spans(new_body)
    new_paras = [new_body[s:e] for s, e in spans]
    kept: dict[int, int] = {}  # old text block index -> new paragraph index
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                kept[i1 + k] = j1 + k
    # empty blocks, by the new paragraph they follow (-1: before the first)
    after: dict[int, list[Block]] = {}
    place = -1
    current = -1
    for b in old_blocks:
        if b.end > b.start:
            current += 1
            place = kept.get(current, place)
        else:
            after.setdefault(place, []).append(b)
    by_new = {new: old for old, new in kept.items()}

    def empty_at(blocks: list[Block], offset: int) -> list[Block]:
        return [Block(t.kind, offset, offset, t.level, t.ordered, t.depth, t.image, t.src, t.alt) for t in blocks]

    out = empty_at(after.get(-1, []), 0)
    for j, (s, e) in enumerate(spans):
        old = by_new.get(j)
        if old is not None:
            b = old_text_blocks[old]
            out.append(Block(b.kind, s, e, b.level, b.ordered, b.depth, b.image, b.src, b.alt))
        else:
            out.append(Block("paragraph", s, e))
        out.extend(empty_at(after.get(j, []), e))
    return out


def remove_unused_images(conn: sqlite3.Connection, shas: Iterable[str] | None = None) -> int:
    """Delete pictures no article uses (of ``shas``, or all); returns how many went."""
    if shas is None:
        return conn.execute("DELETE FROM images WHERE NOT EXISTS "
                            "(SELECT 1 FROM article_images ai WHERE ai.sha256 = images.sha256)").rowcount
    removed = 0
    for chunk, marks in in_chunks(sorted(set(shas))):
        removed += conn.execute(
            f"DELETE FROM images WHERE sha256 IN ({marks}) AND NOT EXISTS "
            "(SELECT 1 FROM article_images ai WHERE ai.sha256 = images.sha256)", chunk).rowcount
    return removed


class RichTable(Database):
    """Reads of blocks and pictures, and the parts of edits, deletes and undo that concern them."""

    def get_blocks(self, article_id: int, body: str) -> tuple[Block, ...]:
        """An article's blocks (``body`` is its stored text)."""
        rows = self._read("SELECT blocks FROM article_blocks WHERE article_id = ?", (article_id,))
        if not rows:
            return paragraph_blocks(body)
        try:
            blocks = _decode(rows[0][0])
        except (ValueError, KeyError, TypeError):
            return paragraph_blocks(body)  # a damaged row: the text is still all there
        if any(b.end > len(body) or b.start > b.end for b in blocks):
            return paragraph_blocks(body)
        return blocks

    def article_images(self, article_id: int) -> tuple[ImageInfo, ...]:
        """The pictures an article uses, in order of first use."""
        rows = self._read(
            "SELECT i.sha256, i.mime, i.width, i.height, i.bytes, ai.alt FROM article_images ai "
            "JOIN images i ON i.sha256 = ai.sha256 WHERE ai.article_id = ? ORDER BY ai.position",
            (article_id,))
        return tuple(ImageInfo(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows)

    def image_info(self, sha256: str) -> ImageInfo:
        rows = self._read("SELECT sha256, mime, width, height, bytes FROM images WHERE sha256 = ?",
                          (sha256.lower(),))
        if not rows:
            raise NotFoundError(f"no picture {sha256}")
        r = rows[0]
        alt = self._read("SELECT alt FROM article_images WHERE sha256 = ? AND alt <> '' LIMIT 1", (r[0],))
        return ImageInfo(r[0], r[1], r[2], r[3], r[4], alt[0][0] if alt else "")

    def get_image(self, sha256: str) -> bytes:
        """A stored picture's bytes (raises :class:`NotFoundError`)."""
        rows = self._read("SELECT data FROM images WHERE sha256 = ?", (sha256.lower(),))
        if not rows:
            raise NotFoundError(f"no picture {sha256}")
        return bytes(rows[0][0])

    def image_count(self) -> tuple[int, int]:
        """How many pictures the library holds, and their bytes."""
        row = self._read("SELECT count(*), coalesce(sum(bytes), 0) FROM images")[0]
        return int(row[0]), int(row[1])

    # --- parts of edits, deletes and undo ---------------------------------------------------------
    def _remap_structure(self, conn: sqlite3.Connection, article_id: int, old_body: str, new_body: str) -> None:
        """A new text: keep the blocks of the paragraphs that did not change (see :func:`remap_blocks`)."""
        row = conn.execute("SELECT blocks FROM article_blocks WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return
        try:
            old_blocks = _decode(row[0])
        except (ValueError, KeyError, TypeError):
            conn.execute("DELETE FROM article_blocks WHERE article_id = ?", (article_id,))
            return
        blocks = remap_blocks(old_body, old_blocks, new_body)
        if is_plain(blocks) and not any(b.image for b in blocks):
            conn.execute("DELETE FROM article_blocks WHERE article_id = ?", (article_id,))
        else:
            conn.execute("UPDATE article_blocks SET blocks = ? WHERE article_id = ?", (_encode(blocks), article_id))

    def _structure_snapshot(self, article_id: int) -> dict[str, Any]:
        """What an undo of the article's delete needs: its blocks, its picture links, and the
        pictures no other article uses (they go with it)."""
        blocks = [dict(r) for r in self._read("SELECT * FROM article_blocks WHERE article_id = ?", (article_id,))]
        links = [dict(r) for r in self._read("SELECT * FROM article_images WHERE article_id = ?", (article_id,))]
        own = [dict(r) for r in self._read(
            "SELECT i.* FROM images i JOIN article_images ai ON ai.sha256 = i.sha256 WHERE ai.article_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM article_images o WHERE o.sha256 = i.sha256 AND o.article_id <> ?)",
            (article_id, article_id))]
        for image in own:
            image.pop("id", None)
        return {"article_blocks": blocks, "article_images": links, "images": own}

    @staticmethod
    def _restore_pictures(conn: sqlite3.Connection, snapshots: Sequence[dict[str, Any]]) -> None:
        """Undo part 1: the pictures of every snapshot, before any article links to them."""
        for snap in snapshots:
            for image in snap.get("images", []):
                cols = ", ".join(image)
                conn.execute(f"INSERT OR IGNORE INTO images ({cols}) VALUES ({', '.join('?' * len(image))})",
                             list(image.values()))


__all__ = ["RichTable", "paragraph_blocks", "plan_blocks", "remap_blocks", "remove_unused_images",
           "store_structure"]
