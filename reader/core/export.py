"""Taking things out of the library: Markdown (Obsidian), JSON, and the whole-library backup/restore.

**Markdown**: one ``.md`` file per article (safe, readable file names) or one file for many. Each
file has YAML front matter (title, date, source, url, lang, tags, id), the text, the article note,
and a ``## Highlights`` section: quotes as block quotes, the translated passage under its quote when
it was made in a translation, the note under each, and a ``polyglot-reader://article/ID#highlight-HID``
link back to the passage in the app.

**JSON**: full fidelity, W3C-style selectors included (:data:`EXPORT_FORMAT`).

**Backup** — a single ``.zip`` file:

* ``manifest.json``: format, version, app version, schema (applied migrations), creation time, and
  for each table its columns, row count and the sha256 of its data file;
* ``tables/<table>.jsonl``: one JSON array per row, every table of the library that holds data
  (articles, tags with colours, article_tags, highlights, highlight_tags, saved searches, settings,
  the translation cache and article_translations, and any table a later migration adds); full-text
  indexes are not stored (their triggers rebuild them on restore);
* ``settings.json``: the user settings of :mod:`reader.core.settings` (never secrets).

Why a zip of JSON rather than a copy of the SQLite file: it is read in one read transaction (a
consistent snapshot while the app keeps running), it is checked member by member (zip CRC plus the
manifest's sha256) so a damaged file is reported, not half-restored; it restores through the
*current* schema, so a backup made by an older version restores into a newer one; and it carries the
user settings that live outside the library file. Restoring writes into an empty library in one
transaction (all or nothing) and never writes to the backup file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from reader import __version__
from reader.core.errors import LibraryFileError, NewerSchemaError, StorageError, ValidationError
from reader.core.models import Article, Highlight
from reader.core.settings import Settings, load_settings, save_settings
from reader.core.storage import dump
from reader.core.storage.connection import mapped_errors
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
    """The YAML front matter of an exported article."""
    return {
        "title": article.title,
        "date": _yaml_date(article.published),
        "source": article.source,
        "url": article.url,
        "lang": article.lang,
        "tags": list(article.tags),
        "id": article.id,
    }


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


def article_to_markdown(article: Article, highlights: Sequence[Highlight]) -> str:
    """One article as an Obsidian-friendly Markdown document (front matter, text, note, highlights)."""
    fm = yaml.safe_dump(front_matter(article), allow_unicode=True, sort_keys=False, width=10_000)
    out = ["---", fm.rstrip("\n"), "---", "", f"# {escape_markdown(article.title)}", ""]
    for para in article.paragraphs:
        out += [escape_markdown(para), ""]
    if article.note:
        out += ["## Note", "", article.note.strip(), ""]
    out += _highlights_markdown(article, highlights, 2)
    return "\n".join(out).rstrip("\n") + "\n"


def _articles_markdown_section(article: Article, highlights: Sequence[Highlight]) -> str:
    meta = front_matter(article)
    lines = [f"# {escape_markdown(article.title)}", ""]
    details = [f"{k}: {escape_markdown(str(v))}" for k, v in meta.items() if k != "title" and v not in (None, [])]
    details = [d if not d.startswith("tags:") else "tags: " + ", ".join(article.tags) for d in details]
    lines += [f"- {d}" for d in details] + [f"- link: <{highlight_url(article.id)}>", ""]
    for para in article.paragraphs:
        lines += [escape_markdown(para), ""]
    if article.note:
        lines += ["## Note", "", article.note.strip(), ""]
    lines += _highlights_markdown(article, highlights, 2)
    return "\n".join(lines).rstrip("\n") + "\n"


def _write_text(path: Path, text: str) -> None:
    """Write atomically (temp file + rename) so a failure leaves no half file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _articles(library: Library, ids: Iterable[int]) -> Iterator[tuple[Article, list[Highlight]]]:
    notes = HighlightStore(library)
    for article_id in ids:
        yield library.get_article(article_id), notes.highlights_for_article(article_id)


def export_markdown(library: Library, ids: Sequence[int], dest: Path) -> list[Path]:
    """Export articles to Markdown: ``dest`` ending in ``.md`` is one file, otherwise a folder with
    one file per article (existing files of the same name are replaced). Returns the files written."""
    dest = Path(dest).expanduser()
    if dest.suffix.lower() == ".md":
        sections = [_articles_markdown_section(a, hs) for a, hs in _articles(library, ids)]
        header = yaml.safe_dump({"exported": utc_now(), "articles": len(sections)}, sort_keys=False)
        _write_text(dest, "---\n" + header + "---\n\n" + "\n".join(sections))
        return [dest]
    if dest.exists() and not dest.is_dir():
        raise ValidationError(f"{dest} is a file: give a folder, or a path ending in .md for one file")
    written: list[Path] = []
    used: set[str] = set()
    for article, highlights in _articles(library, ids):
        name = safe_filename(article.title)
        if name.casefold() in used:
            name = f"{name} ({article.id})"
        used.add(name.casefold())
        path = dest / f"{name}.md"
        _write_text(path, article_to_markdown(article, highlights))
        written.append(path)
    return written


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


def export_json(library: Library, ids: Sequence[int], dest: Path) -> Path:
    """Export articles with notes and highlights (selectors included) to one JSON file."""
    payload = {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": utc_now(),
        "app_version": __version__,
        "articles": [article_to_json(a, hs) for a, hs in _articles(library, ids)],
    }
    dest = Path(dest).expanduser()
    _write_text(dest, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
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
    has_settings: bool = False


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    return value


def _user_settings(settings: Settings | None) -> dict[str, Any]:
    data = (settings or load_settings()).to_dict()
    return {k: v for k, v in data.items() if not _SECRET_RE.search(k)}


def backup(library: Library, dest: Path, *, settings: Settings | None = None) -> BackupInfo:
    """Write a whole-library backup to ``dest`` (a ``.zip``), atomically. See the module docstring."""
    dest = Path(dest).expanduser()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".backup-", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    manifest: dict[str, Any] = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "app_version": __version__,
        "created_at": utc_now(),
        "tables": {},
    }
    try:
        with mapped_errors(library.path), zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            with dump.snapshot(library) as snap:  # one read transaction: a consistent snapshot (WAL)
                manifest["schema"] = snap.schema
                for spec in snap.tables:
                    digest = hashlib.sha256()
                    count = 0
                    with zf.open(f"tables/{spec.name}.jsonl", "w") as member:
                        for batch in snap.batches(spec):
                            chunk = "".join(
                                json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n" for row in batch
                            ).encode("utf-8")
                            digest.update(chunk)
                            member.write(chunk)
                            count += len(batch)
                    manifest["tables"][spec.name] = {
                        "columns": spec.columns, "rows": count, "sha256": digest.hexdigest(),
                    }
            settings_bytes = json.dumps(_user_settings(settings), ensure_ascii=False, indent=2).encode("utf-8")
            manifest["settings_sha256"] = hashlib.sha256(settings_bytes).hexdigest()
            zf.writestr("settings.json", settings_bytes)
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupInfo(dest, manifest["created_at"], __version__, tuple(manifest["schema"]),
                      {k: v["rows"] for k, v in manifest["tables"].items()}, True)


def _damaged(path: Path, why: str) -> LibraryFileError:
    return LibraryFileError(f"the backup {path} is damaged or not a Polyglot Reader backup ({why}); nothing was restored")


def _open_backup(path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    if not path.is_file():
        raise LibraryFileError(f"no backup file at {path}")
    try:
        zf = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path, "not a readable zip file") from exc
    try:
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
    except KeyError as exc:
        zf.close()
        raise _damaged(path, "no manifest") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        zf.close()
        raise _damaged(path, "unreadable manifest") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        zf.close()
        raise _damaged(path, "unknown format")
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("schema"), list):
        zf.close()
        raise _damaged(path, "incomplete manifest")
    if int(manifest.get("version", 0)) > BACKUP_VERSION:
        zf.close()
        raise NewerSchemaError(f"the backup {path} was made by a newer Polyglot Reader; update the app to restore it")
    unknown = [n for n in manifest["schema"] if n not in KNOWN]
    if unknown:
        zf.close()
        raise NewerSchemaError(
            f"the backup {path} was made by a newer Polyglot Reader (schema {len(manifest['schema'])}, this "
            f"version knows {len(KNOWN)}); update the app to restore it"
        )
    return zf, manifest


def read_backup_info(path: Path) -> BackupInfo:
    """The manifest of a backup file (raises :class:`LibraryFileError` if it is damaged)."""
    path = Path(path).expanduser()
    zf, manifest = _open_backup(path)
    with zf:
        return BackupInfo(
            path, str(manifest.get("created_at")), str(manifest.get("app_version")), tuple(manifest["schema"]),
            {k: int(v.get("rows", 0)) for k, v in manifest["tables"].items()}, "settings.json" in zf.namelist(),
        )


def library_is_empty(library: Library) -> bool:
    """True when the library holds no articles, tags, highlights, saved searches or translations."""
    return dump.is_empty(library, ignore=("settings",))


def _rows_of(zf: zipfile.ZipFile, path: Path, table: str, meta: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of one table member, checking its sha256 and row count as it is read."""
    digest = hashlib.sha256()
    count = 0
    try:
        with zf.open(f"tables/{table}.jsonl", "r") as member:
            for raw in member:
                digest.update(raw)
                row = json.loads(raw.decode("utf-8"))
                if not isinstance(row, list) or len(row) != len(meta["columns"]):
                    raise _damaged(path, f"a row of {table} does not match its columns")
                count += 1
                yield [_decode(v) for v in row]
    except KeyError as exc:
        raise _damaged(path, f"table {table} is missing") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(path, f"table {table} is unreadable") from exc
    if digest.hexdigest() != meta.get("sha256") or count != meta.get("rows"):
        raise _damaged(path, f"table {table} does not match its checksum")


def restore(
    library: Library,
    src: Path,
    *,
    replace: bool = False,
    restore_settings: bool = True,
    settings_path: Path | None = None,
) -> BackupInfo:
    """Restore a backup into ``library``, in one transaction (all or nothing).

    The library must be empty unless ``replace`` is given (then its contents are replaced). The
    backup file is only read. With ``restore_settings`` the user settings are restored too.
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
                raise _damaged(src, f"unknown table {name}")
            missing = [c for c in meta.get("columns", []) if c not in specs[name].columns]
            if missing:
                raise _damaged(src, f"unknown columns in {name}: {', '.join(missing)}")
        settings_data: dict[str, Any] | None = None
        if restore_settings and "settings.json" in zf.namelist():
            try:
                raw = zf.read("settings.json")
                if manifest.get("settings_sha256") not in (None, hashlib.sha256(raw).hexdigest()):
                    raise _damaged(src, "settings do not match their checksum")
                settings_data = json.loads(raw.decode("utf-8"))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise _damaged(src, "settings are unreadable") from exc
        # library settings: the backup's replace them; everything else only with ``replace``
        clear = list(specs) if replace else ["settings"]
        load_tables = [(name, tables[name]["columns"]) for name in specs if name in tables]  # parents first
        dump.load_tables(library, load_tables, lambda name: _rows_of(zf, src, name, tables[name]), clear=clear)
        if settings_data is not None and isinstance(settings_data, dict):
            save_settings(Settings.from_dict(settings_data), settings_path)
        return BackupInfo(
            src, str(manifest.get("created_at")), str(manifest.get("app_version")), tuple(manifest["schema"]),
            {k: int(v.get("rows", 0)) for k, v in tables.items()}, settings_data is not None,
        )
