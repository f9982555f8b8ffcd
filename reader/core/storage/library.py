"""The library: one object over one library file, with every table family's reads and writes.

:class:`Library` is the database (:mod:`.database`: opening, migrations, ``write()``) plus tags
(:mod:`.tags`), articles (:mod:`.articles`), lists and search (:mod:`.search`), feeds (:mod:`.feeds`)
and the ``settings`` table below. Highlights, saved searches and translations have their own stores over a Library
(:mod:`.highlights`, :mod:`.saved_searches`, :mod:`.translations`). It returns dataclasses.
"""

from __future__ import annotations

import json
from typing import Any

from reader.core.storage.feeds import FeedTable
from reader.core.storage.search import SearchTable


class Library(FeedTable, SearchTable):
    """A Polyglot Reader library file (one connection: one per thread).

    Opening creates the file if needed, refuses files that are not ours or are newer, and upgrades
    older ones after a backup copy (``<name>.backup-v<N>``).
    """

    def __enter__(self) -> Library:
        return self

    # --- settings (never secrets) ---------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def all_settings(self) -> dict[str, Any]:
        return {r[0]: json.loads(r[1]) for r in self._read("SELECT key, value FROM settings")}
