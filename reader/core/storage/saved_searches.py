"""Saved searches (``saved_searches``): queries kept under a name and shown as smart views.

:class:`SavedSearchStore` wraps a :class:`~reader.core.storage.library.Library`; the article count
of a saved search is the library's count for its query (invalid queries report their error).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader.core.errors import NotFoundError, QueryError, ValidationError
from reader.core.models import ListFilter, SavedSearch
from reader.core.query import parse
from reader.core.storage.connection import mapped_errors

if TYPE_CHECKING:
    from reader.core.storage.library import Library


class SavedSearchStore:
    """Saved searches of one library."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with mapped_errors(self.library.path):
            cur = self.library.conn.execute(sql, list(params))
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    # --- saved searches ---------------------------------------------------------------------------
    def _saved_rows(self) -> list[sqlite3.Row]:
        return self._rows("SELECT id, name, query, position FROM saved_searches ORDER BY position, name COLLATE NOCASE")

    def count_query(self, query: str) -> int:
        """How many articles (archived included) a query selects."""
        return self.library.count_articles(ListFilter(query=query, archived=None))

    def saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Saved searches in sidebar order, with their article counts (None + error if now invalid)."""
        out: list[SavedSearch] = []
        for r in self._saved_rows():
            count: int | None = None
            error: str | None = None
            if counts:
                try:
                    count = self.count_query(r["query"])
                except QueryError as exc:
                    error = str(exc)
            out.append(SavedSearch(r["id"], r["name"], r["query"], r["position"], count, error))
        return out

    def get_saved_search(self, name: str) -> SavedSearch:
        rows = self._rows("SELECT id, name, query, position FROM saved_searches WHERE name = ?", (name.strip(),))
        if not rows:
            raise NotFoundError(f"no saved search {name!r}")
        r = rows[0]
        return SavedSearch(r["id"], r["name"], r["query"], r["position"])

    @staticmethod
    def _check(name: str, query: str) -> tuple[str, str]:
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if not name:
            raise ValidationError("a saved search needs a name")
        query = unicodedata.normalize("NFC", query).strip()
        if parse(query).is_empty():
            raise ValidationError("a saved search needs a query (words or filters such as tag:x)")
        return name, query

    def add_saved_search(self, name: str, query: str) -> SavedSearch:
        """Save a query under a name (appended to the end). Raises QueryError for a malformed query."""
        name, query = self._check(name, query)
        with self.library.write() as conn:
            if self._rows("SELECT 1 FROM saved_searches WHERE name = ?", (name,)):
                raise ValidationError(f"a saved search named {name!r} already exists")
            pos = self._rows("SELECT coalesce(max(position), -1) + 1 FROM saved_searches")[0][0]
            conn.execute("INSERT INTO saved_searches (name, query, position) VALUES (?, ?, ?)", (name, query, pos))
        return self.get_saved_search(name)

    def update_saved_search(self, name: str, *, new_name: str | None = None, query: str | None = None) -> SavedSearch:
        current = self.get_saved_search(name)
        new_name, new_query = self._check(new_name if new_name is not None else current.name,
                                          query if query is not None else current.query)
        with self.library.write() as conn:
            clash = self._rows("SELECT id FROM saved_searches WHERE name = ?", (new_name,))
            if clash and clash[0][0] != current.id:
                raise ValidationError(f"a saved search named {new_name!r} already exists")
            conn.execute("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?", (new_name, new_query, current.id))
        return self.get_saved_search(new_name)

    def remove_saved_search(self, name: str) -> SavedSearch:
        """Remove a saved search; returns it (add it again to undo)."""
        current = self.get_saved_search(name)
        with self.library.write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE id = ?", (current.id,))
        return current

    def reorder_saved_searches(self, names: Sequence[str]) -> None:
        """Put saved searches in this order (names not given keep their relative order after them)."""
        with self.library.write() as conn:
            rows = self._saved_rows()
            by_name = {r["name"].casefold(): r["id"] for r in rows}
            ordered: list[int] = []
            for n in names:
                sid = by_name.get(n.strip().casefold())
                if sid is None:
                    raise NotFoundError(f"no saved search {n!r}")
                if sid not in ordered:
                    ordered.append(sid)
            ordered += [r["id"] for r in rows if r["id"] not in ordered]
            conn.executemany("UPDATE saved_searches SET position = ? WHERE id = ?", list(enumerate(ordered)))
