"""The only place with SQL: the library file, its migrations, and one module per table family.

* :mod:`.connection` — opening a file safely, mapping SQLite errors to :mod:`reader.core.errors`;
* :mod:`.database` — one connection, migrations on open, ``write()`` transactions;
* :mod:`.tags`, :mod:`.articles`, :mod:`.search` — combined in :class:`Library` (:mod:`.library`);
* :mod:`.highlights`, :mod:`.saved_searches`, :mod:`.translations` — stores over a Library;
* :mod:`.query_sql` — a parsed query as SQL; :mod:`.dump` — whole-table reads and writes for backups;
* :mod:`.migrations` — ``m001_*.py``, ``m002_*.py`` ... in order.
"""

from reader.core.storage.library import Library

__all__ = ["Library"]
