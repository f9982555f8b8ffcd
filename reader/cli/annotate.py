"""reader-cli commands for annotations: highlight, highlights, unhighlight, note, export, backup,
restore, tags (list/rename/merge/delete/color) and saved (saved searches). A thin layer over
:mod:`reader.core.library_ops` and :mod:`reader.core.export`; no Qt.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.core.errors import ValidationError
from reader.core.models import COLORS, Highlight, ListFilter, Tag
from reader.core.text import plural


def _annotations(ctx: Any) -> Any:
    from reader.core.library_ops import Annotations

    return Annotations(ctx.library())


def _clean(text: str) -> str:
    """Neutralise control and bidi-override characters before printing user data to a terminal."""
    return "".join(
        ch if ch in "\n\t" or not (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E
                                   or 0x2066 <= ord(ch) <= 0x2069) else "\ufffd"
        for ch in text
    )


def _print_json(ctx: Any, data: object) -> None:
    json.dump(data, ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _highlight_line(h: Highlight, title: str | None = None) -> str:
    orphan = "  (orphan: not in the current text)" if h.orphaned else ""
    where = f"#{h.article_id}" + (f" {_one_line(title, 40)}" if title else "")
    tags = f"  [{', '.join(h.tags)}]" if h.tags else ""
    line = f"h{h.id:<6} {h.color:<7} {where}: “{_one_line(h.quote, 80)}”{tags}{orphan}"
    if h.translated_quote:
        line += f"\n{'':15}{h.target_lang}: “{_one_line(h.translated_quote, 80)}”"
    if h.note:
        line += f"\n{'':15}note: {_one_line(h.note, 80)}"
    return _clean(line)


# --- highlights ----------------------------------------------------------------------------------
def cmd_highlight(args: argparse.Namespace, ctx: Any) -> int:
    notes = _annotations(ctx)
    h, matches = notes.add_highlight_by_quote(
        args.id, args.quote, color=args.color, note=_read_text(args.note), tags=args.tag or ()
    )
    if matches > 1:
        ctx.err.write(
            f"note: the quote occurs {matches} times in article #{args.id}; the first one was highlighted "
            "(give a longer quote to pick another)\n"
        )
    if args.json:
        _print_json(ctx, h.to_json())
    else:
        ctx.out.write(_highlight_line(h) + "\n")
    return 0


def cmd_unhighlight(args: argparse.Namespace, ctx: Any) -> int:
    notes = _annotations(ctx)
    for hid in args.ids:
        notes.delete_highlight(hid)
        ctx.out.write(f"deleted highlight h{hid}\n")
    return 0


def cmd_highlights(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.models import HighlightFilter

    notes = _annotations(ctx)
    if args.id is not None:
        ctx.library().get_article(args.id)  # a clear "no article #N"
    flt = HighlightFilter(
        query=args.query, tag=args.tag, color=args.color, lang=args.lang, article_id=args.id,
        orphaned=True if args.orphans else None,
    )
    rows = notes.list_highlights(flt, limit=args.limit)
    if args.json:
        _print_json(ctx, [r.to_json() for r in rows])
        return 0
    for r in rows:
        ctx.out.write(_highlight_line(r.highlight, None if args.id is not None else r.article_title) + "\n")
    if not rows:
        ctx.err.write("no highlights\n")
    return 0


def _read_text(value: str | None) -> str | None:
    """The argument, or standard input for ``-``; input that is not UTF-8 is refused."""
    if value == "-":
        text = sys.stdin.read()
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError(f"the text on standard input is not valid UTF-8 (at character {exc.start + 1})") from None
        return text
    return value


def cmd_note(args: argparse.Namespace, ctx: Any) -> int:
    notes = _annotations(ctx)
    if args.markdown is None:
        note = notes.get_note(args.id)
        if note:
            ctx.out.write(_clean(note.rstrip("\n")) + "\n")
        else:
            ctx.err.write(f"article #{args.id} has no note\n")
        return 0
    text = _read_text(args.markdown) or ""
    notes.set_note(args.id, text)
    ctx.out.write(f"note {'saved' if text.strip() else 'removed'} for article #{args.id}\n")
    return 0


# --- export / backup / restore -------------------------------------------------------------------
def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core import export

    library = ctx.library()
    if sum(bool(x) for x in (args.ids, args.query, args.all)) != 1:
        raise ValidationError("say what to export: article ids, --query Q, or --all")
    if args.ids:
        ids = list(dict.fromkeys(args.ids))
        for i in ids:
            library.get_article(i)
    else:
        ids = sorted(library.list_ids(ListFilter(query=args.query or None, archived=None)))
    if not ids:
        ctx.err.write("nothing to export: no article matches\n")
        return 1
    out = Path(args.output)
    if args.format == "json":
        export.export_json(library, ids, out)
        ctx.out.write(f"exported {plural(len(ids), 'article')} to {out}\n")
    else:
        pictures: list[Path] = []
        files = export.export_markdown(library, ids, out, pictures=pictures)
        where = out if len(files) == 1 and out.suffix.lower() == ".md" else f"{plural(len(files), 'file')} in {out}"
        assets = f" ({plural(len(pictures), 'picture')} in {pictures[0].parent})" if pictures else ""
        ctx.out.write(f"exported {plural(len(ids), 'article')} to {where}{assets}\n")
    return 0


def _counts(counts: dict[str, int]) -> str:
    """``5 articles, 1 highlight, 2 tags`` from a backup's row counts (``, 3 pictures`` when it has any)."""
    return ", ".join(plural(counts.get(table, 0), noun) for table, noun in
                     (("articles", "article"), ("highlights", "highlight"), ("tags", "tag"))) + _pictures(counts)


def _pictures(counts: dict[str, int]) -> str:
    return f", {plural(counts['images'], 'picture')}" if counts.get("images") else ""


def cmd_backup(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core import export

    info = export.backup(ctx.library(), Path(args.path))
    counts = info.counts
    ctx.out.write(
        f"backup written to {info.path}: {_counts({**counts, 'images': 0})}, "
        f"{plural(counts.get('translations', 0), 'cached translation')}{_pictures(counts)}\n"
    )
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core import export

    info = export.restore(ctx.library(), Path(args.path), replace=args.replace, restore_settings=args.settings)
    counts = info.counts
    if info.settings_restored:
        settings = "; your settings replaced by the backup's"
    elif info.has_settings:
        settings = "; your settings kept (--settings restores the backup's)"
    else:
        settings = ""
    ctx.out.write(
        f"restored {_counts(counts)} from {info.path} (made {info.created_at}){settings}\n"
    )
    return 0


# --- tags ----------------------------------------------------------------------------------------
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _tag_tree(tags: Sequence[Tag]) -> list[tuple[int, str, Tag | None]]:
    """``(depth, label, tag)`` in tree order: every child right under its parent, and a parent that
    is not a tag itself (``region`` of ``region/belarus``) as a row with ``tag`` None, so a child is
    never shown under the wrong parent. Sorted by path segment, so ``region-x`` does not come
    between ``region`` and ``region/belarus``. Segments compare as the library does (``COLLATE
    NOCASE``: ASCII case only), so ``Region/belarus`` is a child of ``region``."""
    nodes: dict[tuple[str, ...], tuple[str, Tag | None]] = {}
    for tag in tags:
        parts = tag.name.split("/")
        key = tuple(p.translate(_ASCII_LOWER) for p in parts)
        for i in range(1, len(parts)):
            nodes.setdefault(key[:i], (parts[i - 1], None))
        nodes[key] = (parts[-1], tag)
    return [(len(key) - 1, label, tag) for key, (label, tag) in sorted(nodes.items(), key=lambda kv: kv[0])]


def cmd_tags(args: argparse.Namespace, ctx: Any) -> int:
    library = ctx.library()
    action = args.tags_action or "list"
    if action == "list":
        tags = library.list_tags()
        as_json = getattr(args, "json", False)
        if as_json:
            _print_json(ctx, [{"name": t.name, "color": t.color, "count": t.count} for t in tags])
        for depth, label, t in _tag_tree(tags) if not as_json else ():
            if t is None:  # only a parent of other tags (region of region/belarus): no count of its own
                ctx.out.write(_clean(f"{'  ' * depth}{label}") + "\n")
                continue
            color = f"  {t.color}" if t.color else ""
            ctx.out.write(_clean(f"{'  ' * depth}{label}  ({t.count}){color}") + "\n")
    elif action == "rename":
        library.rename_tag(args.old, args.new)
        ctx.out.write(_clean(f"renamed tag {args.old} -> {args.new}") + "\n")
    elif action == "merge":
        library.merge_tags(args.sources, args.target)
        ctx.out.write(_clean(f"merged {', '.join(args.sources)} into {args.target}") + "\n")
    elif action == "delete":
        for name in args.names:
            library.delete_tag(name)
            ctx.out.write(_clean(f"deleted tag {name}") + "\n")
    elif action == "color":
        new_color = None if args.color in ("", "none") else args.color
        library.set_tag_color(args.name, new_color)
        ctx.out.write(_clean(f"tag {args.name}: colour {new_color or 'none'}") + "\n")
    return 0


# --- saved searches ------------------------------------------------------------------------------
def cmd_saved(args: argparse.Namespace, ctx: Any) -> int:
    notes = _annotations(ctx)
    action = args.saved_action or "list"
    if action == "list":
        saved = notes.saved_searches(counts=True)
        if getattr(args, "json", False):
            _print_json(ctx, [s.to_json() for s in saved])
            return 0
        for s in saved:
            count = f"{s.count}" if s.count is not None else f"error: {s.error}"
            ctx.out.write(_clean(f"{s.name}  ({count})  {s.query}") + "\n")
        if not saved:
            ctx.err.write("no saved searches\n")
    elif action == "add":
        s = notes.add_saved_search(args.name, args.query)
        ctx.out.write(_clean(f"saved {s.name!r}: {s.query} ({plural(notes.count_query(s.query), 'article')})") + "\n")
    elif action == "remove":
        s = notes.remove_saved_search(args.name)
        ctx.out.write(_clean(f"removed saved search {s.name!r}") + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the annotation commands to ``reader-cli``."""
    p = sub.add_parser(
        "highlight", help="highlight a passage of an article",
        description="Highlight the first place QUOTE occurs in the article (exact, else ignoring diacritics "
        "and spacing); says so when it occurs more than once.",
    )
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--quote", required=True, help="the passage to highlight")
    p.add_argument("--note", help="a Markdown note ('-' reads it from standard input)")
    p.add_argument("--color", default=COLORS[0], help=f"one of: {', '.join(COLORS)} (default {COLORS[0]})")
    p.add_argument("--tag", action="append", help="tag the highlight (repeatable)")
    p.add_argument("--json", action="store_true", help="print the highlight as JSON")
    p.set_defaults(func=cmd_highlight)

    p = sub.add_parser("unhighlight", help="delete highlights by id (h12 is 12)")
    p.add_argument("ids", nargs="+", type=lambda s: int(s.lstrip("hH")), metavar="HID")
    p.set_defaults(func=cmd_unhighlight)

    p = sub.add_parser(
        "highlights", help="list highlights (one article or the whole library)",
        description="Newest first; with free words in --query, by relevance. --query searches quotes, notes "
        "and translated quotes and takes the search-box filters (tag: matches the highlight's or its "
        "article's tags; lang: source: is: has: after: before: apply to the article).",
    )
    p.add_argument("id", type=int, nargs="?", metavar="ID", help="only this article's highlights")
    p.add_argument("--query", "-q", help="search text and filters")
    p.add_argument("--tag")
    p.add_argument("--color", choices=COLORS)
    p.add_argument("--lang")
    p.add_argument("--orphans", action="store_true", help="only highlights not found in the current text")
    p.add_argument("--limit", type=int, default=None, help="at most N")
    p.add_argument("--json", action="store_true", help="JSON with selectors")
    p.set_defaults(func=cmd_highlights)

    p = sub.add_parser("note", help="show or set an article's Markdown note")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("markdown", nargs="?", metavar="MD", help="the note ('-' reads standard input, '' removes it)")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser(
        "export", help="export articles with highlights and notes to Markdown or JSON",
        description="Markdown: -o FOLDER writes one file per article; -o FILE.md writes one file; "
        "headings, lists, quotes and tables are kept and the articles' pictures are written beside "
        "them in assets/ (linked by relative paths). JSON: one file, full fidelity (selectors, "
        "blocks and picture references included; the pictures' bytes are in backups).",
    )
    p.add_argument("ids", type=int, nargs="*", metavar="ID")
    p.add_argument("--query", "-q", help="export the articles this query selects (archived included)")
    p.add_argument("--all", action="store_true", help="export every article")
    p.add_argument("--format", "-f", choices=("md", "json"), default="md")
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("backup", help="back up the whole library (and settings) to one .zip file")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty library",
                       description="Restore a backup into an empty library (all or nothing). Your user "
                       "settings (settings.json) are kept unless --settings is given.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--replace", action="store_true", help="replace the contents of a library that is not empty")
    p.add_argument("--settings", action="store_true",
                   help="also replace your user settings with the backup's (default: yours are kept)")
    # the old opt-out, now the default: still accepted so scripts keep working
    p.add_argument("--no-settings", dest="settings", action="store_false", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_restore, settings=False)

    p = sub.add_parser("tags", help="list, rename, merge, delete and colour tags")
    tsub = p.add_subparsers(dest="tags_action", metavar="ACTION")
    t = tsub.add_parser("list", help="tags with article counts (nested by /)")
    t.add_argument("--json", action="store_true", help="JSON output")
    t = tsub.add_parser("rename", help="rename a tag and its children")
    t.add_argument("old")
    t.add_argument("new")
    t = tsub.add_parser("merge", help="merge tags into one")
    t.add_argument("sources", nargs="+", metavar="SOURCE")
    t.add_argument("--into", dest="target", required=True, metavar="TARGET")
    t = tsub.add_parser("delete", help="delete tags (the articles stay)")
    t.add_argument("names", nargs="+", metavar="TAG")
    t = tsub.add_parser("color", help="set a tag's colour ('none' removes it)")
    t.add_argument("name")
    t.add_argument("color")
    p.set_defaults(func=cmd_tags)

    p = sub.add_parser("saved", help="saved searches (smart views): list, add, remove")
    ssub = p.add_subparsers(dest="saved_action", metavar="ACTION")
    s = ssub.add_parser("list", help="saved searches with their counts")
    s.add_argument("--json", action="store_true", help="JSON output")
    s = ssub.add_parser("add", help="save a query")
    s.add_argument("name")
    s.add_argument("query")
    s = ssub.add_parser("remove", help="remove a saved search")
    s.add_argument("name")
    p.set_defaults(func=cmd_saved)
