"""Deprecated location (shim until the lead removes it): the repository was split by table family.

See :mod:`reader.core.storage.library` (``Library``), :mod:`.database`, :mod:`.articles`,
:mod:`.tags`, :mod:`.search` and :mod:`.query_sql`.
"""

from reader.core.storage.articles import content_hash, undetermined
from reader.core.storage.database import utc_now
from reader.core.storage.library import Library
from reader.core.storage.query_sql import SORT_COLUMNS
from reader.core.storage.search import RANK_WINDOW, SNIPPET_END, SNIPPET_START
from reader.core.storage.tags import normalize_tag

__all__ = [
    "RANK_WINDOW", "SNIPPET_END", "SNIPPET_START", "SORT_COLUMNS", "Library", "content_hash", "normalize_tag",
    "undetermined", "utc_now",
]
