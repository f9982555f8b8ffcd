"""Tags: their names, colours and links to articles and highlights (``tags``, ``article_tags``,
``highlight_tags``).

The module functions work on a connection inside a caller's transaction (articles and highlights
use them to tag what they write); :class:`TagTable` is the part of the library's API that manages
tags themselves.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reader.core.errors import NotFoundError, ValidationError
from reader.core.models import Tag
from reader.core.query import rename_tag_in_query
from reader.core.storage.connection import in_chunks
from reader.core.storage.database import Database


def normalize_tag(name: str) -> str:
    """A tag name as stored: NFC, trimmed, inner whitespace folded, no empty path segments."""
    name = unicodedata.normalize("NFC", name)
    parts = [" ".join(p.split()) for p in name.split("/")]
    return "/".join(p for p in parts if p)


def _rename_in_saved_searches(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Saved searches naming ``tag:old`` (or a child of it) name ``new`` (same transaction)."""
    for search_id, query in conn.execute("SELECT id, query FROM saved_searches").fetchall():
        renamed = rename_tag_in_query(query, old, new)
        if renamed != query:
            conn.execute("UPDATE saved_searches SET query = ? WHERE id = ?", (renamed, search_id))


def ensure_tag(conn: sqlite3.Connection, name: str) -> int:
    """The id of the tag ``name``, created if needed (inside the caller's write transaction)."""
    clean = normalize_tag(name)
    if not clean:
        raise ValidationError("a tag name cannot be empty")
    conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (clean,))
    return int(conn.execute("SELECT id FROM tags WHERE name = ?", (clean,)).fetchone()[0])


def tag_articles(conn: sqlite3.Connection, ids: Sequence[int], names: Iterable[str]) -> None:
    """Link articles to tags (created as needed), inside the caller's write transaction."""
    for name in names:
        tag_id = ensure_tag(conn, name)
        conn.executemany(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)",
            [(i, tag_id) for i in ids],
        )


def set_highlight_tags(conn: sqlite3.Connection, highlight_id: int, names: Iterable[str]) -> None:
    """Replace a highlight's tags, inside the caller's write transaction."""
    conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (highlight_id,))
    for name in names:
        tag_id = ensure_tag(conn, name)
        conn.execute(
            "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", (highlight_id, tag_id)
        )


def tags_by_owner(read: Callable[[str, Sequence[Any]], list[sqlite3.Row]], link_table: str, owner: str,
                  ids: Sequence[int]) -> dict[int, list[str]]:
    """``{owner id: [tag names by name]}`` for articles (``article_tags``) or highlights."""
    out: dict[int, list[str]] = {}
    for chunk, marks in in_chunks(ids):
        for row in read(
            f"SELECT l.{owner}, t.name FROM {link_table} l JOIN tags t ON t.id = l.tag_id "
            f"WHERE l.{owner} IN ({marks}) ORDER BY t.name COLLATE NOCASE",
            chunk,
        ):
            out.setdefault(row[0], []).append(row[1])
    return out


class TagTable(Database):
    """Tag management: tag/untag articles, list, rename, merge, delete, colour."""

    def _require(self, article_id: int) -> None:
        if not self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise NotFoundError(f"no article #{article_id}")

    def _tags_of(self, ids: Sequence[int]) -> dict[int, list[str]]:
        return tags_by_owner(self._read, "article_tags", "article_id", ids)

    def add_tags(self, ids: int | Sequence[int], names: Iterable[str]) -> None:
        """Tag one or many articles (tags are created as needed)."""
        id_list = [ids] if isinstance(ids, int) else list(ids)
        names = list(names)
        with self.write() as conn:
            for i in id_list:
                self._require(i)
            tag_articles(conn, id_list, names)

    def remove_tags(self, ids: int | Sequence[int], names: Iterable[str]) -> None:
        """Untag; a tag left on no article and no highlight stays (it may have a colour)."""
        id_list = [ids] if isinstance(ids, int) else list(ids)
        with self.write() as conn:
            for i in id_list:
                self._require(i)
            for name in names:
                marks = ",".join("?" * len(id_list))
                conn.execute(
                    f"DELETE FROM article_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?) "
                    f"AND article_id IN ({marks})",
                    [normalize_tag(name), *id_list],
                )

    def list_tags(self) -> list[Tag]:
        """All tags with the number of (non-archived) articles tagged with each, by name."""
        rows = self._read(
            "SELECT t.id, t.name, t.color, count(a.id),"
            " (SELECT count(*) FROM highlight_tags ht WHERE ht.tag_id = t.id) FROM tags t "
            "LEFT JOIN article_tags at ON at.tag_id = t.id "
            "LEFT JOIN articles a INDEXED BY idx_articles_row ON a.id = at.article_id AND a.archived = 0 "
            "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        )
        return [Tag(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag and its children (``region`` -> ``place`` renames ``region/belarus`` too).

        Renaming onto an existing tag merges into it.
        """
        old_n, new_n = normalize_tag(old), normalize_tag(new)
        if not new_n:
            raise ValidationError("a tag name cannot be empty")
        with self.write() as conn:
            rows = conn.execute(
                "SELECT id, name FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
                (old_n, old_n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"),
            ).fetchall()
            if not rows:
                raise NotFoundError(f"no tag {old!r}")
            for tag_id, name in rows:
                target = new_n + name[len(old_n) :]
                existing = conn.execute("SELECT id FROM tags WHERE name = ?", (target,)).fetchone()
                if existing and existing[0] != tag_id:
                    self._merge_into(conn, tag_id, existing[0])
                else:
                    conn.execute("UPDATE tags SET name = ? WHERE id = ?", (target, tag_id))
            _rename_in_saved_searches(conn, old_n, new_n)

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        """Move every article and highlight of ``sources`` to ``target`` and delete the sources."""
        with self.write() as conn:
            target_id = ensure_tag(conn, target)
            for name in sources:
                row = conn.execute("SELECT id FROM tags WHERE name = ?", (normalize_tag(name),)).fetchone()
                if row is None:
                    raise NotFoundError(f"no tag {name!r}")
                if row[0] != target_id:
                    self._merge_into(conn, row[0], target_id)
                    _rename_in_saved_searches(conn, normalize_tag(name), normalize_tag(target))

    @staticmethod
    def _merge_into(conn: sqlite3.Connection, source_id: int, target_id: int) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
            (target_id, source_id),
        )
        conn.execute(
            "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?",
            (target_id, source_id),
        )
        conn.execute("DELETE FROM tags WHERE id = ?", (source_id,))

    def delete_tag(self, name: str) -> None:
        """Delete a tag (and its links); the articles stay."""
        with self.write() as conn:
            cur = conn.execute("DELETE FROM tags WHERE name = ?", (normalize_tag(name),))
            if cur.rowcount == 0:
                raise NotFoundError(f"no tag {name!r}")

    def set_tag_color(self, name: str, color: str | None) -> None:
        with self.write() as conn:
            tag_id = ensure_tag(conn, name)
            conn.execute("UPDATE tags SET color = ? WHERE id = ?", (color, tag_id))
