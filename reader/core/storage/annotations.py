"""Deprecated location (shim until the lead removes it).

``Annotations`` and ``on_article_text_changed`` moved to :mod:`reader.core.library_ops` (they sit
above storage: they use the anchoring in :mod:`reader.core.annotations`); the SQL is in
:mod:`reader.core.storage.highlights` and :mod:`reader.core.storage.saved_searches`; the dataclasses
are in :mod:`reader.core.models`.
"""

from reader.core.library_ops import Annotations, on_article_text_changed
from reader.core.models import HighlightFilter, HighlightRow, ReanchorReport, SavedSearch

__all__ = [
    "Annotations",
    "HighlightFilter",
    "HighlightRow",
    "ReanchorReport",
    "SavedSearch",
    "on_article_text_changed",
]
