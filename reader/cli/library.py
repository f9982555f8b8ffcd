"""reader-cli library commands: import, list, show, image, search, set, tag/untag, read/star/archive, delete."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from reader.core.errors import ValidationError
from reader.core.models import ListFilter
from reader.core.storage.query_sql import SORT_COLUMNS


def _print_json(ctx: Any, data: object) -> None:
    json.dump(data, ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")


def _summary_line(s: Any) -> str:
    flags = ("*" if s.starred else " ") + (" " if s.read else "•") + ("A" if s.archived else " ")
    date = s.published or "----------"
    tags = f"  [{', '.join(s.tags)}]" if s.tags else ""
    source = f"  — {s.source}" if s.source else ""
    return f"#{s.id:<6} {flags} {date}  {s.lang:<3}  {s.title}{source}{tags}"


def _clean_terminal(text: str) -> str:
    """Neutralise control and bidi-override characters before printing user data to a terminal."""
    return "".join(
        ch if ch in "\n\t" or not (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E
                                   or 0x2066 <= ord(ch) <= 0x2069) else "\ufffd"
        for ch in text
    )


# --- commands ----------------------------------------------------------------------------------
def text_codec(name: str) -> str | None:
    """The Python codec a ``--encoding`` name means (cp1250, iso-8859-2, utf-16...), or None."""
    import codecs

    from reader.core.importers.encoding import normalize_charset

    codec = normalize_charset(name, whatwg=False) if name.strip() else None
    if codec is None or not getattr(codecs.lookup(codec), "_is_text_encoding", True):
        return None  # unknown, or a bytes-to-bytes codec (base64, rot13...)
    return codec


def cmd_import(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.importing import import_paths

    encoding = None
    if args.encoding is not None:
        encoding = text_codec(args.encoding)
        if encoding is None:
            ctx.err.write(_clean_terminal(f"reader-cli import: unknown encoding {args.encoding!r} "
                                          "(e.g. utf-8, cp1250, iso-8859-2, cp1257, cp1251, koi8-r)") + "\n")
            return 2
    library = ctx.library()
    failed = 0

    def report(outcome: Any) -> None:
        nonlocal failed
        if outcome.status == "skipped":
            failed += 1
        ctx.out.write(_clean_terminal(f"{outcome.path}: {outcome.line()}") + "\n")
        if outcome.warning:
            ctx.out.write(_clean_terminal(f"{outcome.path}: warning: {outcome.warning}") + "\n")
        ctx.out.flush()

    import_paths(library, args.paths, on_outcome=report, workers=args.workers, encoding=encoding)
    return 1 if failed else 0


def _filter_from(args: argparse.Namespace) -> ListFilter:
    return ListFilter(
        tag=args.tag,
        lang=args.lang,
        unread=args.unread,
        starred=args.starred,
        archived=True if args.archived else (None if args.all else False),
        query=args.query,
        sort=args.sort,
        # Natural order: newest first for dates, A-Z for text columns; --reverse flips it.
        descending=(args.sort in ("date", "added")) != args.reverse,
    )


def cmd_list(args: argparse.Namespace, ctx: Any) -> int:
    rows = ctx.library().list_articles(_filter_from(args), limit=args.limit)
    if args.json:
        _print_json(ctx, [r.to_json() for r in rows])
    else:
        for r in rows:
            ctx.out.write(_clean_terminal(_summary_line(r)) + "\n")
    return 0


def cmd_show(args: argparse.Namespace, ctx: Any) -> int:
    library = ctx.library()
    article = library.get_article(args.id)
    if args.translated:
        from reader.cli.translate import render_translated

        ctx.out.write(render_translated(ctx, args.id, args.to) + "\n")
        return 0
    if args.json:
        _print_json(ctx, article.to_json())
        return 0
    conf = f" {article.lang_confidence:.2f}" if not article.lang_overridden else " (set by you)"
    lines = [
        f"# {article.title}",
        f"id: {article.id}   lang: {article.lang}{conf}   date: {article.published or '-'}",
    ]
    if article.source or article.url:
        lines.append(f"source: {article.source or '-'}   url: {article.url or '-'}")
    if article.tags:
        lines.append("tags: " + ", ".join(article.tags))
    lines.append("")
    lines.append(article_text(article))
    ctx.out.write(_clean_terminal("\n".join(lines)) + "\n")
    return 0


def article_text(article: Any) -> str:
    """The body as ``show`` prints it: block by block, readable as plain text — ``## Heading``,
    ``- item`` / ``1. item`` (indented by depth), ``> quote``, preformatted text indented by four
    spaces, ``---``, ``| a | b |`` table rows, ``[picture: alt]`` (with its caption under it); no
    Markdown escaping. An article of paragraphs only prints its body unchanged."""
    from reader.core.export import body_blocks, list_numbers, table_cells

    body = article.body
    blocks = body_blocks(article)
    if not blocks:
        return body
    numbers = list_numbers(blocks)
    out: list[str] = []
    prev = ""
    for i, b in enumerate(blocks):
        text = body[b.start : b.end]
        tight = b.kind == prev and b.kind in ("list_item", "table_row")
        if out and not tight:
            out.append("")
        if b.kind == "heading":
            out.append("#" * min(max(b.level, 1), 6) + " " + text)
        elif b.kind == "list_item":
            marker = f"{numbers[i]}. " if b.ordered else "- "
            pad = "  " * b.depth
            out.append(pad + marker + text.replace("\n", "\n" + pad + " " * len(marker)))
        elif b.kind == "quote":
            prefix = "> " * (b.depth + 1)
            out += [(prefix + line).rstrip() for line in text.split("\n")]
        elif b.kind == "pre":
            out += [("    " + line).rstrip() for line in text.split("\n")]
        elif b.kind == "rule":
            out.append("---")
        elif b.kind == "table_row":
            out.append("| " + " | ".join(table_cells(text)) + " |")
        elif b.kind == "image":
            alt = " ".join(b.alt.split())
            what = "picture" if b.image else "picture, not stored"
            out.append(f"[{what}: {alt}]" if alt else f"[{what}]")
            if text:
                out.append(text)
        else:
            out.append(text)
        prev = b.kind
    return "\n".join(out)


def cmd_image(args: argparse.Namespace, ctx: Any) -> int:
    """One stored picture: its details (``--json``, or one line) or its bytes (``-o FILE``, ``-o -``)."""
    from reader.core import fileguard
    from reader.core.errors import StorageError

    if args.json and args.output == "-":
        raise ValidationError("--json and -o - both write to standard output: give one of them")
    library = ctx.library()
    sha = args.sha.strip().lower()
    info = library.image_info(sha)  # NotFoundError: one line, exit 1
    if args.json:
        _print_json(ctx, info.to_json())
        if not args.output:
            return 0
    if not args.output:
        ctx.out.write(_clean_terminal(_image_line(info)) + "\n")
        return 0
    data = library.get_image(info.sha256)
    if args.output == "-":
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            raise ValidationError("standard output takes no bytes here; give -o FILE")
        if sys.stdout.isatty() and not args.force:
            raise ValidationError("standard output is a terminal; the picture was not written "
                                  "(redirect it to a file, give -o FILE, or --force)")
        sys.stdout.flush()
        stream.write(data)
        stream.flush()
        return 0
    path = Path(args.output).expanduser()
    if path.is_dir() and not path.is_symlink():  # a folder: the picture goes in it as <sha256>.<ext>
        from reader.core.export import image_file_name

        path = path / image_file_name(info)
    fileguard.check_target(path, library=library.path, what="picture")
    if os.path.lexists(path) and not args.force:
        raise ValidationError(f"{path} exists; the picture was not written (--force replaces it)")
    try:
        with fileguard.atomic_writer(path, prefix=".export-") as fh:
            fh.write(data)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if not args.json:
        ctx.out.write(_clean_terminal(f"wrote {_image_line(info)} to {path}") + "\n")
    return 0


def _image_line(info: Any) -> str:
    return f"{info.sha256}  {info.mime}  {info.width}x{info.height}  {info.bytes:,} bytes"


def cmd_search(args: argparse.Namespace, ctx: Any) -> int:
    query = " ".join(args.query) if isinstance(args.query, list) else args.query
    hits = ctx.library().search(query, limit=args.limit, include_archived=True)
    if args.json:
        _print_json(ctx, [h.to_json() for h in hits])
        return 0
    if not hits:
        ctx.err.write("no matches\n")
        return 0
    for h in hits:
        where = "" if h.matched_in == "original" else "  (matched in translation)"
        ctx.out.write(_clean_terminal(_summary_line(h.article) + where) + "\n")
        if h.snippet:
            snippet = " ".join(h.snippet.split())
            ctx.out.write(_clean_terminal(f"         {snippet}") + "\n")
    return 0


def cmd_set(args: argparse.Namespace, ctx: Any) -> int:
    if all(v is None for v in (args.title, args.date, args.source, args.url, args.lang)):
        raise ValidationError("nothing to set: give --title, --date, --source, --url or --lang")
    article = ctx.library().update_article(
        args.id, title=args.title, published=args.date, source=args.source, url=args.url, lang=args.lang
    )
    ctx.out.write(_clean_terminal(_summary_line(article.summary())) + "\n")
    return 0


def cmd_tag(args: argparse.Namespace, ctx: Any) -> int:
    ctx.library().add_tags(args.id, args.tags)
    ctx.out.write(f"#{args.id}: tags {', '.join(ctx.library().get_article(args.id).tags)}\n")
    return 0


def cmd_untag(args: argparse.Namespace, ctx: Any) -> int:
    ctx.library().remove_tags(args.id, args.tags)
    tags = ctx.library().get_article(args.id).tags
    ctx.out.write(f"#{args.id}: tags {', '.join(tags) if tags else '(none)'}\n")
    return 0


def _flag_command(flag: str, value: bool, verb: str):  # noqa: ANN202 - returns a command function
    def run(args: argparse.Namespace, ctx: Any) -> int:
        ctx.library().set_flags(args.id, **{flag: value})
        ctx.out.write(f"#{args.id}: {verb}\n")
        return 0

    return run


def cmd_delete(args: argparse.Namespace, ctx: Any) -> int:
    ctx.library().delete_articles([args.id])
    ctx.out.write(f"#{args.id}: deleted\n")
    return 0


# --- registration ------------------------------------------------------------------------------
def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tag", help="only articles with this tag (or a child tag: region matches region/belarus)")
    p.add_argument("--lang", help="only articles in this language (ro, lt, en, und ...)")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--archived", action="store_true", help="only archived articles (default: archived are hidden)")
    p.add_argument("--all", action="store_true", help="archived and not archived")
    p.add_argument("--query", "-q", help="filter with the search syntax, e.g. 'is:unread tag:region -putin'")
    p.add_argument("--sort", choices=sorted(SORT_COLUMNS), default="added", help="sort order (default: added)")
    p.add_argument("--reverse", action="store_true",
                   help="reverse the order (default: newest first for date/added, A-Z for title/lang/source)")
    p.add_argument("--limit", type=int, default=None, help="at most N rows")
    p.add_argument("--json", action="store_true", help="JSON output (see README, 'JSON output')")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import files and folders (recursive)",
                       description="Import .txt, .md and .html files (folders recursively). Prints one line a "
                       "file: 'imported #ID [lang] title', 'duplicate of #ID', 'updated #ID [lang] title' "
                       "(re-imported with --encoding) or 'skipped: reason'; when the file's encoding was a "
                       "close call, a second line 'PATH: warning: encoding guessed as X; could also be Y "
                       "— re-import with --encoding Y'. Exit 0 when no file failed, 1 otherwise (every "
                       "file is tried), 2 for an unknown --encoding.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None, help="worker processes for parsing (default: all cores)")
    p.add_argument("--encoding", metavar="NAME", default=None,
                   help="decode the files with this encoding (cp1250, iso-8859-2, cp1257, cp1251, utf-8...) "
                   "instead of guessing; it beats an HTML page's <meta charset>. A file imported before "
                   "gets the new text (same article, highlights re-anchored)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list articles", description="List articles, newest first.")
    _add_filter_args(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one article")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true", help="JSON with the body, its blocks and its pictures")
    p.add_argument("--translated", action="store_true", help="show the translation (translates if not cached)")
    p.add_argument("--to", metavar="LANG", default=None, help="target language for --translated")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "image", help="write out one stored picture, or show its details",
        description="A picture stored in the library, by its sha256 (show ID --json lists them under "
        "\"images\"; the blocks name them in \"image\"). -o FILE writes its bytes (an existing file "
        "is kept unless --force; -o FOLDER writes FOLDER/SHA256.png, .jpg...); -o - writes them to "
        "standard output; --json prints {sha256, mime, "
        "width, height, bytes, alt}; with neither, one line: sha256, type, size. An unknown sha256 is "
        "one line on stderr and exit 1.")
    p.add_argument("sha", metavar="SHA256", help="the picture's sha256 (64 hex digits)")
    p.add_argument("--output", "-o", metavar="FILE", default=None,
                   help="write the picture's bytes to FILE (a folder: FOLDER/SHA256.EXT; '-': standard output)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--json", action="store_true", help="the picture's details as JSON")
    p.set_defaults(func=cmd_image)

    p = sub.add_parser(
        "search", help="full-text search (ranked, with snippets)",
        description="Words must all match; \"quoted phrases\"; prefix*; -excluded; diacritics are folded "
        "(lukasenko = lukașenko = lukaşenko). Filters: tag: lang: source: is: has: after: before:. "
        "Cached translations are searched too.",
    )
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="search words (several arguments are one query: search -putin belarus)")
    p.add_argument("--limit", type=int, default=50, help="at most N hits (default 50)")
    p.add_argument("--json", action="store_true", help="JSON output with snippet, rank and matched_in")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("set", help="edit an article's metadata")
    p.add_argument("id", type=int)
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY-MM-DD ('' clears it)")
    p.add_argument("--source")
    p.add_argument("--url")
    p.add_argument("--lang", help="override the detected language (kept across re-detection)")
    p.set_defaults(func=cmd_set)

    for name, func, help_text in (("tag", cmd_tag, "add tags"), ("untag", cmd_untag, "remove tags")):
        p = sub.add_parser(name, help=help_text + " (nested with /, e.g. region/belarus)")
        p.add_argument("id", type=int)
        p.add_argument("tags", nargs="+", metavar="TAG")
        p.set_defaults(func=func)

    for name, flag, value, verb, help_text in (
        ("read", "read", True, "marked read", "mark an article read"),
        ("unread", "read", False, "marked unread", "mark an article unread"),
        ("star", "starred", True, "starred", "star an article"),
        ("unstar", "starred", False, "unstarred", "remove an article's star"),
        ("archive", "archived", True, "archived", "archive an article (hidden from the default views)"),
        ("unarchive", "archived", False, "unarchived", "bring an article back from the archive"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("id", type=int)
        p.set_defaults(func=_flag_command(flag, value, verb))

    p = sub.add_parser("delete", help="delete an article (with its highlights and translations)")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_delete)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use reader-cli")
