"""One exception tree for the whole app. Foreign exceptions are mapped to these at the boundary.

Every error carries a message that is fit to show a user as it is (one line, no traceback).
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error the app raises on purpose; ``str(err)`` is a user-facing sentence."""


# --- library / storage -------------------------------------------------------------------------
class StorageError(ReaderError):
    """The library file could not be read or written."""


class LibraryLockedError(StorageError):
    """Another process held the library too long; the operation can be retried."""


class DiskFullError(StorageError):
    """The disk (or the database's size limit) is full; nothing was written."""


class LibraryFileError(StorageError):
    """The file is not a usable library (damaged, not SQLite, not ours, or from a newer version)."""


class LibraryFolderError(StorageError):
    """The folder a library file should be in does not exist (nothing is created)."""


class NewerSchemaError(LibraryFileError):
    """The library was written by a newer version of the app; it is left untouched."""


class Cancelled(ReaderError):
    """The person stopped a long operation (an export, backup or restore); the message says what
    was left: nothing, or the files already written."""


class NotFoundError(ReaderError):
    """An article, tag or other object asked for by id or name does not exist."""


# --- input -------------------------------------------------------------------------------------
class ImportSkipped(ReaderError):
    """A file cannot be imported; the message is the one-line reason."""


class QueryError(ReaderError):
    """A search query cannot be understood; the message says what is wrong."""


class ValidationError(ReaderError):
    """A value given by a user (date, language code, URL...) is not acceptable."""


# --- translation -------------------------------------------------------------------------------
class TranslationError(ReaderError):
    """A translation could not be made."""


class ProviderUnavailable(TranslationError):
    """The provider cannot be reached (offline, refused, DNS, timeout)."""


class ProviderRejected(TranslationError):
    """The provider answered with an error (bad key, quota, unsupported language, garbage)."""


class RateLimited(ProviderRejected):
    """The provider asked us to slow down (HTTP 429) and retries ran out."""


class PackError(TranslationError):
    """An offline language pack is missing, malformed, or failed verification."""
