"""reader-cli feeds commands: ``feeds add|list|refresh|edit|remove``, ``opml import|export``, ``save``.

A thin layer over :class:`reader.core.feeds.service.FeedService`: every fetch goes through the app's
HTTP client with its bounds; every failure is one line. ``feeds refresh`` prints one line per feed
(:meth:`~reader.core.models.FeedRefresh.line`) and exits 1 when any feed failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reader.core.models import FULL_TEXT_MODES
from reader.core.text import plural


def _clean(text: str) -> str:
    from reader.cli.library import _clean_terminal

    return _clean_terminal(text)


def _print(ctx: Any, text: str) -> None:
    ctx.out.write(_clean(text) + "\n")
    ctx.out.flush()


def _service(ctx: Any, *, translate: bool = False) -> Any:  # -> FeedService
    from reader.core.feeds.service import FeedService

    library = ctx.library()
    translator = None
    if translate and any(f.translate_to for f in library.list_feeds()):
        from reader.cli.translate import _service as translation_service

        translator = translation_service(ctx)
    return FeedService(library, translator=translator)


def _feed_line(feed: Any) -> str:
    folder = f"{feed.folder}/ " if feed.folder else ""
    status = f"  ! {feed.last_error}" if feed.last_error else ""
    unread = f"  ({feed.unread} unread)" if feed.unread else ""
    return f"#{feed.id:<4} {folder}{feed.title}  <{feed.url}>{unread}{status}"


# --- feeds ---------------------------------------------------------------------------------------
def cmd_feeds_add(args: argparse.Namespace, ctx: Any) -> int:
    with _service(ctx, translate=True) as service:
        feed, result = service.add(args.url, folder=args.folder, title=args.title, full_text=args.full_text)
    _print(ctx, f"subscribed #{feed.id} {feed.title} <{feed.url}>")
    if result is not None:
        _print(ctx, result.line())
        return 0 if result.ok else 1
    return 0


def cmd_feeds_list(args: argparse.Namespace, ctx: Any) -> int:
    feeds = ctx.library().list_feeds()
    if args.json:
        json.dump([f.to_json() for f in feeds], ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
        return 0
    for feed in feeds:
        _print(ctx, _feed_line(feed))
    return 0


def cmd_feeds_refresh(args: argparse.Namespace, ctx: Any) -> int:
    failed = 0

    def report(result: Any) -> None:
        nonlocal failed
        failed += not result.ok
        _print(ctx, result.line())

    with _service(ctx, translate=True) as service:
        service.refresh(args.ids or None, due_only=args.due, progress=report)
    return 1 if failed else 0


def cmd_feeds_edit(args: argparse.Namespace, ctx: Any) -> int:
    changes: dict[str, Any] = {}
    if args.title is not None:
        changes["title"] = args.title or None
    if args.folder is not None:
        changes["folder"] = args.folder or None
    if args.full_text is not None:
        changes["full_text"] = args.full_text
    if args.translate_to is not None:
        changes["translate_to"] = args.translate_to or None
    if args.keep_days is not None:
        changes["keep_days"] = args.keep_days or None
    if args.interval is not None:
        changes["interval_minutes"] = args.interval
    with _service(ctx) as service:
        feed = service.edit(args.id, **changes)
    _print(ctx, _feed_line(feed))
    return 0


def cmd_feeds_remove(args: argparse.Namespace, ctx: Any) -> int:
    library = ctx.library()
    feed = library.get_feed(args.id)
    with _service(ctx) as service:
        deleted, kept = service.remove(args.id, delete_articles=args.delete_articles)
    if args.delete_articles:
        extra = f"; {kept} starred or annotated kept" if kept else ""
        _print(ctx, f"unsubscribed #{feed.id} {feed.title}: {plural(deleted, 'article')} deleted{extra}")
    else:
        _print(ctx, f"unsubscribed #{feed.id} {feed.title}: its {plural(kept, 'article')} kept")
    return 0


# --- OPML and saved links -------------------------------------------------------------------------
def cmd_opml_import(args: argparse.Namespace, ctx: Any) -> int:
    with _service(ctx) as service:
        feeds = service.import_opml(args.path, progress=lambda r: _print(ctx, r.line()))
    failed = sum(1 for f in feeds if f.last_error)
    _print(ctx, f"{plural(len(feeds), 'feed')} added" + (f", {failed} failed to fetch" if failed else ""))
    return 1 if failed else 0


def cmd_opml_export(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core import fileguard
    from reader.core.errors import StorageError

    with _service(ctx) as service:
        text = service.export_opml()
    if not args.output:
        ctx.out.write(text)
        return 0
    path = Path(args.output).expanduser()
    fileguard.check_target(path, library=ctx.library().path, what="OPML export")
    try:
        with fileguard.atomic_writer(path, prefix=".opml-") as fh:
            fh.write(text.encode("utf-8"))
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from None
    _print(ctx, f"wrote {plural(len(ctx.library().list_feeds()), 'feed')} to {path}")
    return 0


def cmd_save(args: argparse.Namespace, ctx: Any) -> int:
    failed = 0
    with _service(ctx) as service:
        for url in args.urls:
            outcome = service.save_link(url)
            failed += outcome.status == "skipped"
            _print(ctx, f"{outcome.path}: {outcome.line()}")
    return 1 if failed else 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _usage(parser: argparse.ArgumentParser) -> Any:
    """A command for a bare ``feeds`` / ``opml``: its help on stderr, exit 2 (a usage error)."""
    def show(args: argparse.Namespace, ctx: Any) -> int:
        parser.print_help(ctx.err)
        return 2

    return show


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    feeds = sub.add_parser("feeds", help="feed subscriptions (RSS, Atom, JSON Feed)",
                           description="Subscribe to feeds; their entries become articles (with the full "
                           "text of their pages when the feed carries only a summary).")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    feeds.set_defaults(func=_usage(feeds))

    p = fsub.add_parser("add", help="subscribe to a feed or a site (its feed is discovered) and fetch it",
                        description="URL is a feed or a web page that links one (<link rel=\"alternate\">, "
                        "else common paths like /feed). Prints 'subscribed #ID TITLE <URL>' and the first "
                        "fetch's line; exit 1 if that fetch failed (the subscription stays).")
    p.add_argument("url", metavar="URL")
    p.add_argument("--folder", metavar="F", help="put it in this folder (nested with /)")
    p.add_argument("--title", metavar="T", help="your name for it (default: the feed's own title)")
    p.add_argument("--full-text", choices=FULL_TEXT_MODES, default="auto",
                   help="fetch each entry's page: auto = when the feed carries only a summary (default)")
    p.set_defaults(func=cmd_feeds_add)

    p = fsub.add_parser("list", help="list subscriptions with unread counts and status")
    p.add_argument("--json", action="store_true", help="JSON: id, title, url, site_url, folder, unread, "
                   "last_fetched, last_ok, last_error, ... (see README)")
    p.set_defaults(func=cmd_feeds_list)

    p = fsub.add_parser("refresh", help="fetch feeds now (all, or the given ids)",
                        description="One line per feed: '#ID TITLE: N new, M updated', ': not modified' or "
                        "': failed: REASON'. Exit 1 if any feed failed.")
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--due", action="store_true",
                   help="only feeds whose interval has passed (and whose server's Retry-After/backoff is over)")
    p.set_defaults(func=cmd_feeds_refresh)

    p = fsub.add_parser("edit", help="rename, move or change a subscription's options")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--title", metavar="T", help="new name ('' = the feed's own title)")
    p.add_argument("--folder", metavar="F", help="move to this folder ('' = no folder)")
    p.add_argument("--full-text", choices=FULL_TEXT_MODES, default=None)
    p.add_argument("--translate-to", metavar="LANG", help="translate new items into LANG ahead of time ('' = off)")
    p.add_argument("--keep-days", type=_positive, metavar="N",
                   help="remove articles older than N days (never starred or annotated ones; 0 = keep all)")
    p.add_argument("--interval", type=int, metavar="MINUTES", help="update interval in minutes (5..10080)")
    p.set_defaults(func=cmd_feeds_edit)

    p = fsub.add_parser("remove", help="unsubscribe (its articles stay unless --delete-articles)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--delete-articles", action="store_true",
                   help="delete its articles too (starred and annotated ones are kept)")
    p.set_defaults(func=cmd_feeds_remove)

    opml = sub.add_parser("opml", help="import or export subscriptions as OPML")
    osub = opml.add_subparsers(dest="opml_command", metavar="ACTION")
    opml.set_defaults(func=_usage(opml))
    p = osub.add_parser("import", help="subscribe to the feeds of an OPML file (folders kept) and fetch them")
    p.add_argument("path", metavar="FILE")
    p.set_defaults(func=cmd_opml_import)
    p = osub.add_parser("export", help="write the subscriptions as OPML (to standard output or -o FILE)")
    p.add_argument("-o", "--output", metavar="FILE", default=None)
    p.set_defaults(func=cmd_opml_export)

    p = sub.add_parser("save", help="save web pages as articles (fetched once, pictures kept)",
                       description="One line per URL: 'imported #ID [lang] title', 'duplicate of #ID' or "
                       "'skipped: reason'. Exit 1 if any was skipped.")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.set_defaults(func=cmd_save)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use reader-cli")
