"""Taking things out of the library: Markdown (Obsidian), JSON, and the whole-library backup/restore.

**Markdown**: one ``.md`` file per article (safe, readable file names) or one file for many. Each
file has YAML front matter (title, date, source, url, lang, tags, id), the text, the article note,
and a ``## Highlights`` section: quotes as block quotes, the translated passage under its quote when
it was made in a translation, the note under each, and a ``polyglot-reader://article/ID#highlight-HID``
link back to the passage in the app. The text keeps the article's structure (:func:`blocks_markdown`:
headings, lists, quotes, code, rules, tables) and its stored pictures are written beside the
Markdown in ``assets/<sha256>.<ext>``, once per export, linked by relative paths (Obsidian opens them).

**JSON**: full fidelity, W3C-style selectors included (:data:`EXPORT_FORMAT`); each article's
``blocks`` and ``images`` (picture references: sha256, type, size; never the bytes).

**Backup** — a single ``.zip`` file:

* ``manifest.json``: format, version, app version, schema (applied migrations), creation time, and
  for each table its columns, row count and the sha256 of its data file;
* ``tables/<table>.jsonl``: one JSON array per row, every table of the library that holds data
  (articles, tags with colours, article_tags, highlights, highlight_tags, saved searches, settings,
  the translation cache and article_translations, the articles' blocks and pictures, and any table
  a later migration adds); a BLOB value (a picture's bytes) is ``{"$base64": "..."}``; full-text
  indexes are not stored (their triggers rebuild them on restore);
* ``settings.json``: the user settings of :mod:`reader.core.settings` (never secrets).

Why a zip of JSON rather than a copy of the SQLite file: it is read in one read transaction (a
consistent snapshot while the app keeps running), it is checked member by member (zip CRC plus the
manifest's sha256) so a damaged file is reported, not half-restored; it restores through the
*current* schema, so a backup made by an older version restores into a newer one; and it carries the
user settings that live outside the library file. Restoring writes into an empty library in one
transaction (all or nothing) and never writes to the backup file.

**Progress and cancel** (the window runs these on a background thread): each of
:func:`export_markdown`, :func:`export_json`, :func:`backup` and :func:`restore` takes
``progress(done, total)`` (articles for exports, table rows for backup and restore) and ``cancel()``,
polled between articles / batches of rows. A cancelled run raises :class:`~reader.core.errors.Cancelled`
and leaves what a failure leaves: no file for one-file exports and backups (the temp file goes), no
restored row (the transaction is rolled back); a folder export keeps the files it already wrote.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import yaml

from reader import __version__
from reader.core import fileguard
from reader.core.errors import (
    Cancelled,
    DiskFullError,
    LibraryFileError,
    NewerSchemaError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from reader.core.models import Article, Block, Highlight, ImageInfo
from reader.core.settings import Settings, load_settings, save_settings
from reader.core.storage import dump
from reader.core.storage.database import utc_now
from reader.core.storage.highlights import HighlightStore
from reader.core.storage.migrations import KNOWN

if TYPE_CHECKING:
    from reader.core.storage.library import Library

EXPORT_FORMAT = "polyglot-reader-export"
BACKUP_FORMAT = "polyglot-reader-backup"
BACKUP_VERSION = 1
APP_URL = "polyglot-reader://article/{article_id}"
#: Setting names that would be secrets (the Settings dataclass has none; this guards the future).
_SECRET_RE = re.compile(r"(key|token|secret|password|passwd)", re.IGNORECASE)
#: ``progress(done, total)``: articles exported, or table rows backed up / restored, so far.
Progress = Callable[[int, int], None]
#: ``cancel()``: True once the person asked to stop.
CancelCheck = Callable[[], bool]
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


# --- links and file names ------------------------------------------------------------------------
def highlight_url(article_id: int, highlight_id: int | None = None) -> str:
    """The app link to an article, or to one highlight in it."""
    url = APP_URL.format(article_id=article_id)
    return f"{url}#highlight-{highlight_id}" if highlight_id is not None else url


def safe_filename(title: str, *, max_length: int = 80, fallback: str = "article") -> str:
    """A file name (without extension) that works on Windows, macOS, Linux and in Obsidian links."""
    name = unicodedata.normalize("NFC", title)
    name = re.sub(r"[\x00-\x1f\x7f]", " ", name)
    name = re.sub(r'[\\/:*?"<>|#^\[\]{}%]', " ", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > max_length:
        name = name[:max_length].rsplit(" ", 1)[0] if " " in name[:max_length] else name[:max_length]
        name = name.strip(" .")
    if not name or name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"{fallback} {name}".strip() if name else fallback
    return name


# --- Markdown ------------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)]))", re.MULTILINE)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def escape_markdown(text: str) -> str:
    """Plain text made safe to paste into Markdown (it renders as the same text)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
    return _MD_LINE_START.sub(_escape_line_start, text)


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in escape_markdown(text).split("\n"))


def _yaml_date(value: str | None) -> date | str | None:
    """An ISO date as a YAML date (unquoted, so Obsidian shows it as a Date property)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def front_matter(article: Article) -> dict[str, Any]:
    """The YAML front matter of an exported article; a key with no value (None, ``""``, no tags) is
    left out, never written as ``date: null`` or ``tags: []``."""
    data = {
        "title": article.title,
        "date": _yaml_date(article.published),
        "source": article.source,
        "url": article.url,
        "lang": article.lang,
        "tags": list(article.tags),
        "id": article.id,
    }
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}


def _highlights_markdown(article: Article, highlights: Sequence[Highlight], level: int) -> list[str]:
    if not highlights:
        return []
    out = [f"{'#' * level} Highlights", ""]
    for h in highlights:
        out.append(_blockquote(h.quote))
        if h.translated_quote:
            out += [">", _blockquote(f"{h.target_lang or 'translation'}: {h.translated_quote}")]
        out.append("")
        if h.note:
            out += [h.note.strip(), ""]
        meta = [f"[Open in Polyglot Reader]({highlight_url(article.id, h.id)})", h.color]
        if h.tags:
            meta.append("tags: " + ", ".join(h.tags))
        if h.orphaned:
            meta.append("not found in the current text")
        out += [" · ".join(meta), ""]
    return out


#: File name extension of a stored picture, by its MIME type.
IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
                    "image/svg+xml": "svg"}
ASSETS_FOLDER = "assets"


_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def image_file_name(info: ImageInfo) -> str:
    """``<sha256>.<ext>``: the name a stored picture gets beside an export (and ``image -o``).
    A stored sha256 that is not 64 hex digits (a library or backup made by hand) never becomes a
    path (``../``): :class:`ValidationError`."""
    if not _SHA256_RE.fullmatch(info.sha256):
        raise ValidationError(f"the picture {info.sha256[:80]!r} has no valid sha256; it was not written")
    return f"{info.sha256}.{IMAGE_EXTENSIONS.get(info.mime, 'img')}"


class AssetWriter:
    """Writes an export's pictures into ``folder/assets/``, each once per export however many
    articles share it, and gives the relative link to it (``assets/<sha256>.<ext>``).

    A picture already there with the same bytes (an earlier export) is left as it is; any other
    target is checked like the Markdown files (:func:`reader.core.fileguard.check_target`) and
    written atomically."""

    def __init__(self, library: Library, folder: Path) -> None:
        self._library = library
        self.folder = folder / ASSETS_FOLDER
        self._done: dict[str, str | None] = {}
        self._prepared = False
        self._made_folder = False
        #: the picture files this export wrote or found up to date, in order
        self.files: list[Path] = []
        self._created: list[Path] = []  # the ones that were not there before

    def remove_created(self) -> None:
        """Take back the picture files this export added (a one-file export that failed)."""
        for path in self._created:
            with contextlib.suppress(OSError):
                path.unlink()
        if self._made_folder:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only when it is empty

    def link(self, info: ImageInfo) -> str | None:
        """The relative link to the picture (written on first use); None if the library lost it."""
        if info.sha256 in self._done:
            return self._done[info.sha256]
        try:
            name = image_file_name(info)
            data = self._library.get_image(info.sha256)
        except (NotFoundError, ValidationError):
            self._done[info.sha256] = None
            return None
        if not self._prepared:
            self._made_folder = not os.path.lexists(self.folder)
            _prepare_folder(self.folder)
            self._prepared = True
        path = self.folder / name
        fileguard.check_target(path, library=self._library.path)
        if not _same_bytes(path, data):
            if not os.path.lexists(path):
                self._created.append(path)
            try:
                with fileguard.atomic_writer(path, prefix=".export-") as fh:
                    fh.write(data)
            except OSError as exc:
                raise _write_error(path, exc) from exc
        self.files.append(path)
        link = f"{ASSETS_FOLDER}/{name}"
        self._done[info.sha256] = link
        return link


def _same_bytes(path: Path, data: bytes) -> bool:
    """True when ``path`` is a regular file holding exactly ``data`` (a picture exported before)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def list_numbers(blocks: Sequence[Block]) -> list[int]:
    """The number each block carries in a numbered list (1, 2, ... along a run of ordered items at
    one depth; a deeper item does not break its parent's run); 0 for every other block."""
    counters: dict[int, int] = {}
    out: list[int] = []
    for b in blocks:
        if b.kind != "list_item":
            counters.clear()
            out.append(0)
            continue
        for d in [d for d in counters if d > b.depth]:
            del counters[d]
        if b.ordered:
            counters[b.depth] = counters.get(b.depth, 0) + 1
            out.append(counters[b.depth])
        else:
            counters.pop(b.depth, None)
            out.append(0)
    return out


def table_cells(text: str) -> list[str]:
    """The cells of a ``table_row`` block's text: the importers join them with `` | `` (a tab is
    read as a separator too)."""
    cells = text.split("\t") if "\t" in text else text.split(" | ")
    return [" ".join(c.split()) for c in cells]


_ALT_ESCAPE = re.compile(r"([\\\[\]])")


def _alt(text: str) -> str:
    return _ALT_ESCAPE.sub(r"\\\1", " ".join(text.split()))


def _link_target(url: str) -> str:
    """A URL as a Markdown link destination: as it is, or ``<...>`` (what would end it
    percent-encoded) when it holds spaces, parentheses or angle brackets."""
    if not re.search(r"[\s()<>\\]", url):
        return url
    return "<" + "".join(c if c not in "<>\\" and not c.isspace() else f"%{ord(c):02X}" for c in url) + ">"


def _is_web_url(src: str | None) -> bool:
    return bool(src) and src.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _image_markdown(block: Block, caption: str, info: ImageInfo | None, assets: AssetWriter | None) -> list[str]:
    alt = block.alt or caption
    link = assets.link(info) if info is not None and assets is not None else None
    if link is not None:
        lines = [f"![{_alt(alt)}]({link})"]
    elif _is_web_url(block.src):
        lines = [f"![{_alt(alt)}]({_link_target(block.src or '')})"]
    elif block.alt.strip():
        lines = [f"*{escape_markdown(' '.join(block.alt.split()))}*"]
    else:
        lines = []
    if caption:
        lines.append(f"*{escape_markdown(' '.join(caption.split()))}*")
    return lines


def body_blocks(article: Article) -> list[Block]:
    """The article's blocks without a first heading that only repeats its title (a Markdown note's
    ``# Title``): an export or ``show`` prints the title already."""
    blocks = list(article.blocks)
    if blocks and blocks[0].kind == "heading":
        text = article.body[blocks[0].start : blocks[0].end]
        if " ".join(text.split()).casefold() == " ".join(article.title.split()).casefold():
            return blocks[1:]
    return blocks


def blocks_markdown(article: Article, assets: AssetWriter | None = None) -> list[str]:
    """The article's text as Markdown lines, block by block, each group followed by ``""``:
    ``#``-``######`` headings by level, ``- `` / ``1. `` list items indented under their parent,
    ``> `` quotes, fenced code for preformatted text, ``---`` rules, table rows as ``| a | b |``
    (the first row of a table as its header), and pictures: ``![alt](assets/<sha256>.png)`` when
    ``assets`` writes them, ``![alt](https://...)`` for one not stored that has a web address, else
    its alt text in italics; a caption follows in italics. Text is escaped
    (:func:`escape_markdown`), so it renders as the same words. An article of paragraphs only
    gives exactly its paragraphs; a first heading that repeats the title is left out
    (:func:`body_blocks`)."""
    body = article.body
    blocks = body_blocks(article)
    images = {i.sha256: i for i in article.images}
    numbers = list_numbers(blocks)
    out: list[str] = []
    content_col: dict[int, int] = {}  # list depth -> the column its items' text starts at
    prev = ""
    i = 0
    while i < len(blocks):
        b = blocks[i]
        text = body[b.start : b.end]
        kind = b.kind
        joined = kind == prev and kind in ("list_item", "quote")  # no blank line inside a list or a quote
        if joined and out and out[-1] == "":
            out.pop()
        if kind == "heading":
            out.append("#" * min(max(b.level, 1), 6) + " " + escape_markdown(" ".join(text.split())))
        elif kind == "list_item":
            if prev != "list_item":
                content_col.clear()
            depth = min(b.depth, max(content_col, default=-1) + 1)
            for d in [d for d in content_col if d > depth]:
                del content_col[d]
            # four spaces a level (CommonMark, Obsidian and Python-Markdown all nest that), more
            # only when the parent's marker is wider (an item numbered 100 or more)
            indent = max(4 * depth, content_col.get(depth - 1, 0)) if depth else 0
            marker = f"{numbers[i]}. " if b.ordered else "- "
            content_col[depth] = indent + len(marker)
            lines = escape_markdown(text).split("\n")
            out.append(" " * indent + marker + lines[0])
            out += [" " * content_col[depth] + line for line in lines[1:]]
        elif kind == "quote":
            prefix = "> " * (b.depth + 1)
            if joined:
                out.append(prefix.rstrip())
            out += [(prefix + line).rstrip() for line in escape_markdown(text).split("\n")]
        elif kind == "pre":
            fence = _fence(text)
            out += [fence, *text.split("\n"), fence]
        elif kind == "rule":
            out.append("---")
        elif kind == "table_row":
            run = [i]
            while i + 1 < len(blocks) and blocks[i + 1].kind == "table_row":
                i += 1
                run.append(i)
            rows = [table_cells(body[blocks[j].start : blocks[j].end]) for j in run]
            width = max(len(r) for r in rows)
            for n, row in enumerate(rows):
                cells = [escape_markdown(c).replace("|", "\\|") for c in row] + [""] * (width - len(row))
                out.append("| " + " | ".join(cells) + " |")
                if n == 0:
                    out.append("|" + " --- |" * width)
        elif kind == "image":
            lines = _image_markdown(b, text, images.get(b.image) if b.image else None, assets)
            if not lines:
                i += 1
                continue
            out += lines
        else:  # a paragraph (or a kind this version does not know: its text as a paragraph)
            out.append(escape_markdown(text))
        out.append("")
        prev = kind
        i += 1
    return out


def article_to_markdown(article: Article, highlights: Sequence[Highlight],
                        assets: AssetWriter | None = None) -> str:
    """One article as an Obsidian-friendly Markdown document (front matter, text, note, highlights).
    Pictures are linked as ``assets/<sha256>.<ext>`` when ``assets`` writes them (see
    :func:`blocks_markdown`)."""
    fm = yaml.safe_dump(front_matter(article), allow_unicode=True, sort_keys=False, width=10_000)
    out = ["---", fm.rstrip("\n"), "---", "", f"# {escape_markdown(article.title)}", ""]
    out += blocks_markdown(article, assets)
    if article.note:
        out += ["## Note", "", article.note.strip(), ""]
    out += _highlights_markdown(article, highlights, 2)
    return "\n".join(out).rstrip("\n") + "\n"


def _articles_markdown_section(article: Article, highlights: Sequence[Highlight],
                               assets: AssetWriter | None = None) -> str:
    meta = front_matter(article)
    lines = [f"# {escape_markdown(article.title)}", ""]
    details = [f"{k}: {escape_markdown(str(v))}" for k, v in meta.items() if k != "title"]
    details = [d if not d.startswith("tags:") else "tags: " + ", ".join(article.tags) for d in details]
    lines += [f"- {d}" for d in details] + [f"- link: <{highlight_url(article.id)}>", ""]
    lines += blocks_markdown(article, assets)
    if article.note:
        lines += ["## Note", "", article.note.strip(), ""]
    lines += _highlights_markdown(article, highlights, 2)
    return "\n".join(lines).rstrip("\n") + "\n"


def _write_error(path: Path, exc: OSError) -> StorageError:
    """A write failure at an export or backup destination, naming the destination (not the library)."""
    if exc.errno == errno.ENOSPC:
        return DiskFullError(f"the disk is full at {path}; nothing was written — free some space and try again")
    return StorageError(f"cannot write {path}: {exc.strerror or exc}")


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(folder, exc) from exc
    fileguard.sweep_stale_temps(folder)


def _write_text(path: Path, text: str | Iterable[str], library: Library | None = None, *, sweep: bool = True) -> None:
    """Write atomically (temp file + rename) so a failure leaves no half file (nor its temp file).
    ``text`` may come in pieces (written as they come: a big export is never one string in memory,
    and no single call holds the interpreter for long); an error while they are made, a cancel
    included, leaves no file either.

    The target is checked first (:func:`reader.core.fileguard.check_target`): never the library,
    an SQLite file, a device, FIFO, socket, folder or symbolic link."""
    fileguard.check_target(path, library=library.path if library is not None else None)
    if sweep:
        _prepare_folder(path.parent)
    try:
        with fileguard.atomic_writer(path, prefix=".export-") as fh:
            for piece in (text,) if isinstance(text, str) else text:
                fh.write(piece.encode("utf-8"))
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _articles(library: Library, ids: Iterable[int],
              cancel: CancelCheck | None = None) -> Iterator[tuple[Article, list[Highlight]]]:
    notes = HighlightStore(library)
    for article_id in ids:
        _stop_if(cancel, "export")
        yield library.get_article(article_id), notes.highlights_for_article(article_id)


def _stop_if(cancel: CancelCheck | None, what: str) -> None:
    if cancel is not None and cancel():
        raise Cancelled(f"the {what} was cancelled")


def _counted(items: Iterable[Any], total: int, progress: Progress | None) -> Iterator[Any]:
    """``items``, calling ``progress(n, total)`` after each one."""
    for n, item in enumerate(items, 1):
        yield item
        if progress is not None:
            progress(n, total)


def export_markdown(library: Library, ids: Sequence[int], dest: Path, *, progress: Progress | None = None,
                    cancel: CancelCheck | None = None, pictures: list[Path] | None = None) -> list[Path]:
    """Export articles to Markdown: ``dest`` ending in ``.md`` is one file, otherwise a folder with
    one file per article (existing files of the same name are replaced; two articles never get the
    same name, compared case-insensitively, see :func:`unique_name`). Returns the files written.
    The articles' stored pictures go beside them in ``assets/`` (``<sha256>.<ext>``, once each),
    linked by relative paths; ``pictures``, when given, gets their paths.
    ``progress`` / ``cancel``: see the module docstring (a cancelled folder export keeps the files
    written so far; a cancelled one-file export writes nothing)."""
    dest = Path(dest).expanduser()
    if dest.suffix.lower() == ".md":
        fileguard.check_target(dest, library=library.path)
        assets = AssetWriter(library, dest.parent)

        def pieces() -> Iterator[str]:
            yield "---\n" + yaml.safe_dump({"exported": utc_now(), "articles": len(ids)}, sort_keys=False) + "---\n\n"
            for n, (a, hs) in enumerate(_counted(_articles(library, ids, cancel), len(ids), progress)):
                yield ("\n" if n else "") + _articles_markdown_section(a, hs, assets)
            _stop_if(cancel, "export")

        try:
            _write_text(dest, pieces(), library)
        except BaseException:
            assets.remove_created()
            raise
        if pictures is not None:
            pictures += assets.files
        return [dest]
    if not dest.is_dir():  # a folder (or a link to one) is written into, never replaced
        fileguard.check_target(dest, library=library.path)
        if dest.exists() or dest.is_symlink():
            raise ValidationError(f"{dest} is a file: give a folder, or a path ending in .md for one file")
    _prepare_folder(dest)
    written: list[Path] = []
    used: set[str] = set()
    assets = AssetWriter(library, dest)
    try:
        for article, highlights in _articles(library, ids, cancel):
            name = unique_name(safe_filename(article.title), used, article.id)
            path = dest / f"{name}.md"
            _write_text(path, article_to_markdown(article, highlights, assets), library, sweep=False)
            written.append(path)
            if progress is not None:
                progress(len(written), len(ids))
    finally:
        if pictures is not None:
            pictures += assets.files
    return written


def unique_name(name: str, used: set[str], article_id: int) -> str:
    """``name``, or ``name (ID)``, ``name (ID-2)``... : the first not in ``used`` (case-insensitively,
    as file systems on macOS and Windows compare names). Adds the chosen name to ``used``."""
    candidate, n = name, 1
    while unicodedata.normalize("NFC", candidate).casefold() in used:
        candidate = f"{name} ({article_id})" if n == 1 else f"{name} ({article_id}-{n})"
        n += 1
    used.add(unicodedata.normalize("NFC", candidate).casefold())
    return candidate


# --- JSON ----------------------------------------------------------------------------------------
def article_to_json(article: Article, highlights: Sequence[Highlight]) -> dict[str, Any]:
    data = article.to_json()
    data.update(
        note=article.note,
        file_name=article.file_name,
        lang_overridden=article.lang_overridden,
        read_position=article.read_position,
        link=highlight_url(article.id),
        highlights=[{**h.to_json(), "link": highlight_url(article.id, h.id)} for h in highlights],
    )
    return data


def export_json(library: Library, ids: Sequence[int], dest: Path, *, progress: Progress | None = None,
                cancel: CancelCheck | None = None) -> Path:
    """Export articles with notes and highlights (selectors included) to one JSON file
    (``progress`` / ``cancel``: see the module docstring; cancelled, nothing is written)."""
    dest = Path(dest).expanduser()
    fileguard.check_target(dest, library=library.path)
    header = {"format": EXPORT_FORMAT, "version": 1, "exported_at": utc_now(), "app_version": __version__}

    def pieces() -> Iterator[str]:
        """``json.dumps(payload, indent=2)``, one article at a time (the same text)."""
        yield "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in header.items())
        yield '  "articles": ['
        n = 0
        for n, (a, hs) in enumerate(_counted(_articles(library, ids, cancel), len(ids), progress), 1):
            text = json.dumps(article_to_json(a, hs), ensure_ascii=False, indent=2)
            yield ("\n" if n == 1 else ",\n") + "    " + text.replace("\n", "\n    ")
        _stop_if(cancel, "export")
        yield ("\n  ]" if n else "]") + "\n}\n"

    _write_text(dest, pieces(), library)
    return dest


# --- backup and restore --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup holds (from its manifest)."""

    path: Path
    created_at: str
    app_version: str
    schema: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    has_settings: bool = False  # the backup holds the user settings
    settings_restored: bool = False  # :func:`restore` wrote them to the user's settings file


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    return value


_INT64 = (-(2**63), 2**63 - 1)


def _decode(value: Any) -> Any:
    """A JSON value of a backup row as an SQLite value; ValueError for anything a backup never holds."""
    if value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):  # bool included (stored as 0/1)
        if not _INT64[0] <= value <= _INT64[1]:
            raise ValueError("a number too large for the library")
        return value
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$base64"), str):
        return base64.b64decode(value["$base64"], validate=True)
    raise ValueError(f"a value of an unexpected kind ({type(value).__name__})")


def _user_settings(settings: Settings | None) -> dict[str, Any]:
    data = (settings or load_settings()).to_dict()
    return {k: v for k, v in data.items() if not _SECRET_RE.search(k)}


@contextlib.contextmanager
def _writing(dest: Path) -> Iterator[None]:
    """Map a failed write at ``dest`` to an error naming ``dest`` (a full disk there is not the
    library's)."""
    try:
        yield
    except OSError as exc:
        raise _write_error(dest, exc) from exc


def backup(library: Library, dest: Path, *, settings: Settings | None = None, progress: Progress | None = None,
           cancel: CancelCheck | None = None) -> BackupInfo:
    """Write a whole-library backup to ``dest`` (a ``.zip``), atomically. See the module docstring.

    ``dest`` is checked first (:func:`reader.core.fileguard.check_target`): never the library, any
    SQLite file, a folder, device, FIFO, socket or symbolic link. A failure leaves no temp file, and
    so does a cancel (``progress`` counts table rows)."""
    dest = Path(dest).expanduser()
    fileguard.check_target(dest, library=library.path, what="backup")
    _prepare_folder(dest.parent)
    manifest: dict[str, Any] = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "app_version": __version__,
        "created_at": utc_now(),
        "tables": {},
    }
    with _writing(dest), fileguard.atomic_writer(dest, prefix=".backup-") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            with dump.snapshot(library) as snap:  # one read transaction: a consistent snapshot (WAL)
                manifest["schema"] = snap.schema
                total = sum(snap.count(spec) for spec in snap.tables) if progress is not None else 0
                done = 0
                for spec in snap.tables:
                    digest = hashlib.sha256()
                    count = 0
                    with _writing(dest), zf.open(f"tables/{spec.name}.jsonl", "w") as member:
                        for batch in snap.batches(spec):
                            _stop_if(cancel, "backup")
                            chunk = "".join(
                                json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n" for row in batch
                            ).encode("utf-8")
                            digest.update(chunk)
                            member.write(chunk)
                            count += len(batch)
                            done += len(batch)
                            if progress is not None:
                                progress(done, max(total, done))
                    manifest["tables"][spec.name] = {
                        "columns": spec.columns, "rows": count, "sha256": digest.hexdigest(),
                    }
            settings_bytes = json.dumps(_user_settings(settings), ensure_ascii=False, indent=2).encode("utf-8")
            manifest["settings_sha256"] = hashlib.sha256(settings_bytes).hexdigest()
            zf.writestr("settings.json", settings_bytes)
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            _stop_if(cancel, "backup")
    return BackupInfo(dest, manifest["created_at"], __version__, tuple(manifest["schema"]),
                      {k: v["rows"] for k, v in manifest["tables"].items()}, True)


def _damaged(path: Path, why: str) -> LibraryFileError:
    return LibraryFileError(f"the backup {path} is damaged or not a Polyglot Reader backup ({why}); nothing was restored")


#: Most bytes read from ``manifest.json`` / ``settings.json`` (checked before decompressing).
MANIFEST_MAX_BYTES = 16 * 1024 * 1024
SETTINGS_MAX_BYTES = 4 * 1024 * 1024
#: Longest line (one row) of a table member. An article is at most what the importers take (a 20 MB
#: file), which makes a row of about that size; a longer line is a decompression bomb.
ROW_MAX_BYTES = 40 * 1024 * 1024
_READ_CHUNK = 1024 * 1024
#: Errors the zip module raises for a damaged, encrypted or unsupported member.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
               NotImplementedError, KeyError, RecursionError, zlib.error)


def _read_member(zf: zipfile.ZipFile, path: Path, name: str, cap: int) -> bytes:
    """A small member, read only when its declared size is under ``cap`` and cut at ``cap``."""
    info = zf.getinfo(name)  # KeyError: the caller says what is missing
    if info.file_size > cap:
        raise _damaged(path, f"{name} is {info.file_size // 2**20} MB, more than a backup holds")
    with zf.open(info, "r") as member:
        data = member.read(cap + 1)
    if len(data) > cap:
        raise _damaged(path, f"{name} is larger than a backup holds")
    return data


def _lines(member: IO[bytes], path: Path, table: str) -> Iterator[bytes]:
    """The lines of a member, none longer than :data:`ROW_MAX_BYTES` (memory stays bounded)."""
    buf = bytearray()
    while chunk := member.read(_READ_CHUNK):
        buf += chunk
        start = 0
        while (end := buf.find(b"\n", start)) >= 0:
            yield bytes(buf[start : end + 1])
            start = end + 1
        del buf[:start]
        if len(buf) > ROW_MAX_BYTES:
            raise _damaged(path, f"a row of {table} is longer than {ROW_MAX_BYTES // 2**20} MB")
    if buf:
        yield bytes(buf)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _INT64[1]


def _check_manifest(path: Path, manifest: Any) -> dict[str, Any]:
    """The manifest, when every field has the shape :func:`backup` writes; else a one-line error."""
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise _damaged(path, "unknown format")
    version = manifest.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise _damaged(path, "its version is not a number")
    if version > BACKUP_VERSION:
        raise NewerSchemaError(f"the backup {path} was made by a newer Polyglot Reader; update the app to restore it")
    schema = manifest.get("schema")
    if not isinstance(schema, list) or not all(isinstance(n, str) for n in schema):
        raise _damaged(path, "incomplete manifest: no list of migrations")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise _damaged(path, "incomplete manifest: its tables are not listed by name")
    for name, meta in tables.items():
        if not isinstance(meta, dict):
            raise _damaged(path, f"the manifest entry of table {name} is not a record")
        columns = meta.get("columns")
        if (not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns)
                or len(set(columns)) != len(columns)):
            raise _damaged(path, f"the columns of table {name} are missing or not a list of names")
        if not _is_count(meta.get("rows")):
            raise _damaged(path, f"the row count of table {name} is not a number")
        if not isinstance(meta.get("sha256"), str):
            raise _damaged(path, f"the checksum of table {name} is missing")
    if not isinstance(manifest.get("settings_sha256"), str | None):
        raise _damaged(path, "the settings checksum is not text")
    return manifest


def _open_backup(path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    try:
        st = os.stat(path)
    except OSError:
        raise LibraryFileError(f"no backup file at {path}") from None
    if not stat.S_ISREG(st.st_mode):
        raise LibraryFileError(f"{path} is not a backup file (it is a folder, device or pipe); nothing was restored")
    try:
        zf = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _damaged(path, "not a readable zip file") from exc
    try:
        try:
            raw = _read_member(zf, path, "manifest.json", MANIFEST_MAX_BYTES)
        except KeyError as exc:
            raise _damaged(path, "no manifest") from exc
        except _ZIP_ERRORS as exc:
            raise _damaged(path, "unreadable manifest") from exc
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise _damaged(path, "the manifest is not valid JSON") from exc
        manifest = _check_manifest(path, manifest)
        unknown = [n for n in manifest["schema"] if n not in KNOWN]
        if unknown:
            raise NewerSchemaError(
                f"the backup {path} was made by a newer Polyglot Reader (schema {len(manifest['schema'])}, this "
                f"version knows {len(KNOWN)}); update the app to restore it"
            )
        if manifest["schema"] != KNOWN[: len(manifest["schema"])]:
            raise _damaged(path, "its list of migrations is out of order")
    except BaseException:
        zf.close()
        raise
    return zf, manifest


def _short(value: Any) -> str:
    return str(value)[:100] if isinstance(value, str | int | float) else "?"


def read_backup_info(path: Path) -> BackupInfo:
    """The manifest of a backup file (raises :class:`LibraryFileError` if it is damaged)."""
    path = Path(path).expanduser()
    zf, manifest = _open_backup(path)
    with zf:
        return BackupInfo(
            path, _short(manifest.get("created_at")), _short(manifest.get("app_version")), tuple(manifest["schema"]),
            {k: v["rows"] for k, v in manifest["tables"].items()}, "settings.json" in zf.namelist(),
        )


def library_is_empty(library: Library) -> bool:
    """True when the library holds no articles, tags, highlights, saved searches or translations."""
    return dump.is_empty(library, ignore=("settings",))


def _rows_of(zf: zipfile.ZipFile, path: Path, table: str, meta: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of one table member, checking its sha256 and row count as it is read."""
    digest = hashlib.sha256()
    count = 0
    width = len(meta["columns"])
    try:
        with zf.open(f"tables/{table}.jsonl", "r") as member:
            for raw in _lines(member, path, table):
                digest.update(raw)
                count += 1
                if count > meta["rows"]:
                    raise _damaged(path, f"table {table} holds more rows than its manifest says")
                try:
                    row = json.loads(raw.decode("utf-8"))
                    if not isinstance(row, list) or len(row) != width:
                        raise _damaged(path, f"a row of {table} does not match its columns")
                    values = [_decode(v) for v in row]
                except (ValueError, RecursionError) as exc:
                    raise _damaged(path, f"a row of {table} is not valid: {_short(str(exc))}") from exc
                yield values
    except KeyError as exc:
        raise _damaged(path, f"table {table} is missing") from exc
    except LibraryFileError:
        raise
    except _ZIP_ERRORS as exc:
        raise _damaged(path, f"table {table} is unreadable ({_zip_reason(exc)})") from exc
    if digest.hexdigest() != meta.get("sha256") or count != meta.get("rows"):
        raise _damaged(path, f"table {table} does not match its checksum")


def _zip_reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if "encrypted" in text or "password" in text:
        return "it is encrypted"
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return "unsupported compression"
    return "damaged data"


def restore(
    library: Library,
    src: Path,
    *,
    replace: bool = False,
    restore_settings: bool = True,
    settings_path: Path | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> BackupInfo:
    """Restore a backup into ``library``, in one transaction (all or nothing).

    The library must be empty unless ``replace`` is given (then its contents are replaced). The
    backup file is only read. With ``restore_settings`` the user settings are restored too.
    ``progress`` counts table rows; a cancel rolls everything back (nothing restored, settings
    untouched).
    """
    src = Path(src).expanduser()
    zf, manifest = _open_backup(src)
    with zf:
        if not replace and not library_is_empty(library):
            raise ValidationError(
                f"the library {library.path} is not empty; restore into a new library, or replace its "
                "contents on purpose (reader-cli restore --replace)"
            )
        specs = {s.name: s for s in dump.table_specs(library)}
        tables: dict[str, Any] = manifest["tables"]
        for name, meta in tables.items():
            if name not in specs:
                raise _damaged(src, f"unknown table {_short(name)}")
            missing = [c for c in meta["columns"] if c not in specs[name].columns]
            if missing:
                raise _damaged(src, f"unknown columns in {name}: {', '.join(missing)[:200]}")
        # Every table a library of the backup's schema has must be there (even empty): a manifest
        # listing fewer would restore as an empty library, and --replace would empty this one.
        absent = sorted(dump.tables_for_schema(manifest["schema"]) - set(tables))
        if absent or not manifest["schema"]:
            raise _damaged(src, "it does not hold the library's tables: " + (", ".join(absent) or "no schema"))
        settings_data: dict[str, Any] | None = None
        if restore_settings and "settings.json" in zf.namelist():
            try:
                raw = _read_member(zf, src, "settings.json", SETTINGS_MAX_BYTES)
                if manifest.get("settings_sha256") not in (None, hashlib.sha256(raw).hexdigest()):
                    raise _damaged(src, "settings do not match their checksum")
                settings_data = json.loads(raw.decode("utf-8"))
            except LibraryFileError:
                raise
            except _ZIP_ERRORS as exc:
                raise _damaged(src, "settings are unreadable") from exc
        # library settings: the backup's replace them; everything else only with ``replace``
        clear = list(specs) if replace else ["settings"]
        load_tables = [(name, tables[name]["columns"]) for name in specs if name in tables]  # parents first
        total = sum(meta["rows"] for meta in tables.values())
        done = 0

        def rows_of(name: str) -> Iterator[list[Any]]:
            nonlocal done
            for row in _rows_of(zf, src, name, tables[name]):
                yield row
                done += 1
                if done % dump.BATCH == 0 or done == total:
                    _stop_if(cancel, "restore")
                    if progress is not None:
                        progress(done, total)

        try:
            _stop_if(cancel, "restore")
            dump.load_tables(library, load_tables, rows_of, clear=clear)
        except StorageError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError | sqlite3.InterfaceError | OverflowError):
                raise _damaged(src, "its rows do not fit together (constraint failed)") from exc
            raise
        if settings_data is not None and isinstance(settings_data, dict):
            try:
                save_settings(Settings.from_dict(settings_data), settings_path)
            except (TypeError, ValueError, AttributeError) as exc:
                raise _damaged(src, "its settings are not valid") from exc
        return BackupInfo(
            src, _short(manifest.get("created_at")), _short(manifest.get("app_version")), tuple(manifest["schema"]),
            {k: v["rows"] for k, v in tables.items()}, "settings.json" in zf.namelist(),
            settings_restored=settings_data is not None,
        )
