"""Errors of the feeds layer: fetching, feed parsing, OPML.

All of them are :class:`reader.core.errors.ReaderError`, so the CLI and the GUI's message bridge show
``str(err)`` as it is: one line, naming the URL (without credentials) and the reason. Foreign exceptions
(requests, urllib3, sockets, zlib, feedparser) are mapped to these in the module that meets them.
"""

from __future__ import annotations

from reader.core.errors import ReaderError, ValidationError


# --- fetching ----------------------------------------------------------------------------------
class FetchError(ReaderError):
    """A URL could not be fetched; ``url`` is the address that failed (the last hop of a redirect)."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class BadURL(FetchError, ValidationError):
    """The address is not an http(s) URL we can fetch (other scheme, no host, malformed)."""


class Unreachable(FetchError):
    """The server cannot be reached: unknown host, connection refused or reset, TLS failure."""


class FetchTimeout(FetchError):
    """The server did not answer in time: connect or read timeout, or the whole-request deadline."""


class FetchCancelled(FetchError):
    """The caller cancelled the fetch (its ``cancel`` event was set)."""


class ResponseTooLarge(FetchError):
    """The body (as sent, or once decompressed) is larger than the cap for this kind of fetch."""


class ContentDecodingError(FetchError):
    """The body's Content-Encoding is unknown or the compressed data is damaged."""


class RedirectError(FetchError):
    """Too many redirects, a redirect loop, or a redirect to something that is not http(s)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx/5xx) after any retries.

    ``retry_after`` is the delay in seconds the server asked for (``Retry-After``), if it gave one: a
    scheduler should not come back earlier.
    """

    def __init__(self, message: str, url: str = "", *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, url)
        self.status = status
        self.retry_after = retry_after


class ServerBusy(HTTPStatusError):
    """429 Too Many Requests or 503 Service Unavailable, still so after the retries we allow."""


# --- feeds -------------------------------------------------------------------------------------
class FeedError(ReaderError):
    """A fetched document cannot be used as a feed."""


class NotAFeed(FeedError):
    """The document is not RSS, Atom or JSON Feed (an HTML page, an image, garbage, nothing)."""


class NoFeedFound(FeedError):
    """Discovery found no feed on a site: no ``<link rel="alternate">`` and no common path answered."""


# --- OPML --------------------------------------------------------------------------------------
class OpmlError(ReaderError):
    """A file is not a usable OPML subscription list."""
