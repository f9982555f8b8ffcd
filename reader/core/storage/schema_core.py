"""Deprecated location (shim until the lead removes it): see :mod:`reader.core.storage.migrations.m001_core`."""

from reader.core.storage.migrations.m001_core import FTS_TOKENIZE, m001_core  # noqa: F401
from reader.core.storage.migrations.m005_article_row_index import m005_article_row_index  # noqa: F401
