"""The only place with SQL: the library file, its migrations and the repository over it."""

from reader.core.storage.repository import Library

__all__ = ["Library"]
