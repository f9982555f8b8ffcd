"""Feeds: subscriptions arrive by themselves (issue 12).

This package is the network and parsing layer, with no storage dependency:

- :mod:`reader.core.feeds.http` — the one HTTP client of the app (timeouts, deadline, caps, redirects,
  bounded decompression, conditional GET, Retry-After/backoff, per-host limit, honest User-Agent);
- :mod:`reader.core.feeds.parse` — RSS/Atom (feedparser, from bytes we fetched) and JSON Feed into
  :class:`~reader.core.feeds.parse.ParsedFeed` / :class:`~reader.core.feeds.parse.FeedEntry`;
- :mod:`reader.core.feeds.discovery` — a site's page to its feeds;
- :mod:`reader.core.feeds.opml` — OPML import and export;
- :mod:`reader.core.feeds.errors` — the feed errors, under :class:`reader.core.errors.ReaderError`.

Nothing is imported here, so ``import reader.core.feeds`` stays cheap: import the submodule you need.
"""
