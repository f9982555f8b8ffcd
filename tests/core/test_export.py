"""Markdown / JSON export and the whole-library backup/restore round trip, on real SQLite files."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml

from reader.core import export
from reader.core.errors import LibraryFileError, NewerSchemaError, ValidationError
from reader.core.library_ops import Annotations
from reader.core.models import HighlightFilter, LanguageGuess, ListFilter, ParsedArticle
from reader.core.rendering import markdown_to_html
from reader.core.settings import Settings, load_settings, save_settings
from reader.core.storage import Library
from reader.core.storage.translations import TranslationStore, source_hash
from reader.core.text import split_paragraphs


def seed(lib: Library, seeds_dir: Path, prefix: str, lang: str, tags: tuple[str, ...] = ()) -> int:
    path = next(seeds_dir.glob(f"{prefix}*.txt"))
    paras = split_paragraphs(path.read_text(encoding="utf-8"))
    title = paras[0].split(". ")[0][:100]
    out = lib.add_article(
        ParsedArticle(title=title, paragraphs=tuple(paras), published="2026-02-26", source="Agerpres",
                      url="https://example.org/a?x=1", tags=tags, file_name=path.name),
        LanguageGuess(lang, 0.97),
    )
    assert out.article_id is not None
    return out.article_id


def table_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of a library file (FTS shadow tables and bookkeeping excluded), rows in rowid order."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for name in names:
            if name.startswith(("sqlite_", "_sqlite_migrations")):
                continue
            if "_fts" in name:
                continue
            try:
                rows = conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID
                rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2').fetchall()
            out[name] = rows
        return out
    finally:
        conn.close()


@pytest.fixture
def full_library(tmp_path: Path, seeds_dir: Path) -> Path:
    """A library with articles, nested coloured tags, highlights (one orphaned, one from a translation),
    highlight tags, notes, cached translations, an article translation, saved searches and settings."""
    path = tmp_path / "original.db"
    with Library(path) as lib:
        a = seed(lib, seeds_dir, "000", "ro", ("region/belarus", "politics"))
        b = seed(lib, seeds_dir, "002", "lt", ("region/belarus",))
        c = seed(lib, seeds_dir, "003", "en")
        lib.set_tag_color("region", "#aa0000")
        lib.set_tag_color("politics", "#00aa00")
        lib.set_flags([a], read=True, starred=True)
        lib.set_flags([c], archived=True)
        notes = Annotations(lib)
        h1, _ = notes.add_highlight_by_quote(a, "sistemele de rachete balistice Oreşnik", note="**Oreşnik** — see ISW",
                                             tags=["weapons"])
        notes.add_highlight_by_quote(b, "Lukašenka", color="pink")
        p1 = split_paragraphs(lib.get_article(a).body)[1]
        notes.add_translation_highlight(a, 1, "In the current international circumstances", "en",
                                        note="translated passage")
        h4, _ = notes.add_highlight_by_quote(c, "Union State Supreme State Council", color="blue")
        lib.set_body(c, lib.get_article(c).body.replace("Union State Supreme State Council", "X"))
        notes.reanchor(c)  # h4 is orphaned, kept
        notes.set_note(a, "# My note\n\nŞi ţara — *important*")
        notes.add_saved_search("Belarus unread", "tag:region/belarus is:unread")
        notes.add_saved_search("Romanian", "lang:ro")
        store = TranslationStore(lib)
        store.put(source_hash(p1), "ro", "en", "google", "In the current international circumstances, ...")
        store.put(source_hash("Titlu"), "ro", "en", "offline:roen-tiny", "Title")
        store.upsert_article(a, "en", "google", "Russia and Belarus", ["Para one", "", "Para three"], False)
        lib.set_setting("last_view", {"kind": "tag", "name": "region/belarus"})
        assert notes.get_highlight(h4.id).orphaned and notes.get_highlight(h1.id).tags == ("weapons",)
    return path


# --- Markdown ------------------------------------------------------------------------------------
def test_markdown_export_of_a_seed_article_is_clean(full_library: Path, tmp_path: Path) -> None:
    with Library(full_library) as lib:
        files = export.export_markdown(lib, [1], tmp_path / "vault")
        article = lib.get_article(1)
    assert len(files) == 1 and files[0].parent == tmp_path / "vault" and files[0].suffix == ".md"
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("---\n")
    _, fm_text, rest = text.split("---\n", 2)
    fm = yaml.safe_load(fm_text)
    assert fm == {"title": article.title, "date": datetime.date(2026, 2, 26), "source": "Agerpres",
                  "url": "https://example.org/a?x=1", "lang": "ro", "tags": ["politics", "region/belarus"], "id": 1}
    assert "## Highlights" in rest and "## Note" in rest
    assert "> sistemele de rachete balistice Oreşnik" in rest
    assert "**Oreşnik** — see ISW" in rest
    assert "polyglot-reader://article/1#highlight-1" in rest
    assert "> en: In the current international circumstances" in rest  # the translated passage
    html = markdown_to_html(rest)  # renders; every paragraph of the article is there
    for para in article.paragraphs[:3]:
        assert para.split()[0].strip('"„“') in html
    assert "<blockquote>" in html and 'href="polyglot-reader://article/1#highlight-1"' in html


def test_markdown_export_many_files_and_one_file(full_library: Path, tmp_path: Path) -> None:
    with Library(full_library) as lib:
        ids = sorted(lib.list_ids(ListFilter(archived=None)))
        files = export.export_markdown(lib, ids, tmp_path / "out")
        single = export.export_markdown(lib, ids, tmp_path / "all.md")
    assert len({f.name for f in files}) == 3
    for f in files:
        assert not set(f.stem) & set('\\/:*?"<>|#^[]')
        yaml.safe_load(f.read_text(encoding="utf-8").split("---\n")[1])
    text = single[0].read_text(encoding="utf-8")
    assert text.count("\n## Highlights\n") == 3 and "not found in the current text" in text
    assert yaml.safe_load(text.split("---\n")[1])["articles"] == 3


def test_safe_filename() -> None:
    assert export.safe_filename('Putin: "război"? / Minsk #1 [x]') == "Putin război Minsk 1 x"
    assert export.safe_filename("CON") == "article CON"
    assert export.safe_filename("...") == "article"
    assert len(export.safe_filename("a" * 300)) <= 80


def test_escape_markdown_keeps_text() -> None:
    text = "# not a heading\n- not a list *or* _emphasis_ <b>raw</b> [link](x)\n1. no"
    html = markdown_to_html(export.escape_markdown(text))
    for piece in ("# not a heading", "- not a list *or* _emphasis_", "&lt;b&gt;raw&lt;/b&gt;", "[link](x)", "1. no"):
        assert piece in html


# --- JSON ----------------------------------------------------------------------------------------
def test_json_export_has_selectors(full_library: Path, tmp_path: Path) -> None:
    with Library(full_library) as lib:
        out = export.export_json(lib, [1, 3], tmp_path / "x.json")
        body = lib.get_article(1).body
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == export.EXPORT_FORMAT and [a["id"] for a in data["articles"]] == [1, 3]
    a = data["articles"][0]
    assert a["note"].startswith("# My note") and a["body"] == body
    h = next(x for x in a["highlights"] if x["view"] == "original")
    pos, quote = h["selector"]
    assert pos["type"] == "TextPositionSelector" and body[pos["start"] : pos["end"]] == quote["exact"]
    assert quote["type"] == "TextQuoteSelector" and quote["prefix"] and quote["suffix"]
    assert h["link"] == f"polyglot-reader://article/1#highlight-{h['id']}"
    t = next(x for x in a["highlights"] if x["view"] == "translation")
    assert t["translated_quote"] == "In the current international circumstances" and t["target_lang"] == "en"
    assert data["articles"][1]["highlights"][0]["orphaned"] is True


# --- backup / restore ----------------------------------------------------------------------------
def test_backup_restore_round_trip_is_exact(full_library: Path, tmp_path: Path) -> None:
    save_settings(Settings(theme="dark", target_lang="ro", always_translate=["lt"], reading_font_size=15))
    zip_path = tmp_path / "backup.zip"
    with Library(full_library) as lib:
        info = export.backup(lib, zip_path)
    assert info.counts["articles"] == 3 and info.counts["highlights"] == 4 and info.counts["translations"] == 2
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    save_settings(Settings())  # a fresh machine
    restored = tmp_path / "restored.db"
    with Library(restored) as lib:
        export.restore(lib, zip_path)
        # the full-text indexes were rebuilt by the triggers
        assert [h.article.id for h in lib.search("Lukașenko lang:ro")] == [1]
        assert Annotations(lib).count_highlights(HighlightFilter(query="Oresnik")) == 1
        assert [s.count for s in Annotations(lib).saved_searches()] == [1, 1]
        assert lib.list_tags()[0].color in ("#00aa00", "#aa0000")
    assert table_contents(restored) == table_contents(full_library)
    assert set(table_contents(full_library)) >= {
        "articles", "tags", "article_tags", "highlights", "highlight_tags", "saved_searches", "settings",
        "translations", "article_translations"}
    assert load_settings() == Settings(theme="dark", target_lang="ro", always_translate=["lt"], reading_font_size=15)
    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() == digest  # the backup was only read


def test_restore_refuses_a_non_empty_library_unless_told(full_library: Path, tmp_path: Path, seeds_dir: Path) -> None:
    zip_path = tmp_path / "b.zip"
    with Library(full_library) as lib:
        export.backup(lib, zip_path)
    other = tmp_path / "other.db"
    with Library(other) as lib:
        seed(lib, seeds_dir, "004", "ro")
        with pytest.raises(ValidationError, match="not empty"):
            export.restore(lib, zip_path)
        assert lib.article_count() == 1
        export.restore(lib, zip_path, replace=True)
    assert table_contents(other) == table_contents(full_library)


def test_damaged_backups_are_reported_and_nothing_is_restored(full_library: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with Library(full_library) as lib:
        export.backup(lib, good)
    raw = good.read_bytes()
    cases: dict[str, bytes] = {"truncated": raw[: len(raw) // 2], "garbage": b"not a zip at all" * 10, "empty": b""}
    # a table whose content does not match its checksum (a valid zip otherwise)
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    tampered = dict(members)
    tampered["tables/highlights.jsonl"] = members["tables/highlights.jsonl"].replace(b"Ore", b"Ora", 1)
    no_manifest = {k: v for k, v in members.items() if k != "manifest.json"}
    newer = dict(members)
    manifest = json.loads(members["manifest.json"])
    manifest["schema"].append("m999_from_the_future")
    newer["manifest.json"] = json.dumps(manifest).encode()
    for name, content in (("tampered", tampered), ("no_manifest", no_manifest), ("newer", newer)):
        p = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(p, "w") as zf:
            for n, data in content.items():
                zf.writestr(n, data)
        cases[name] = p.read_bytes()
    for name, data in cases.items():
        p = tmp_path / f"case-{name}.zip"
        p.write_bytes(data)
        target = tmp_path / f"target-{name}.db"
        with Library(target) as lib:
            expected = NewerSchemaError if name == "newer" else LibraryFileError
            with pytest.raises(expected) as err:
                export.restore(lib, p)
            assert "\n" not in str(err.value) and str(p) in str(err.value)
            assert export.library_is_empty(lib), name  # all or nothing
        assert p.read_bytes() == data
    with Library(tmp_path / "t.db") as lib, pytest.raises(LibraryFileError, match="no backup"):
        export.restore(lib, tmp_path / "missing.zip")


def test_backup_info(full_library: Path, tmp_path: Path) -> None:
    with Library(full_library) as lib:
        export.backup(lib, tmp_path / "b.zip")
    info = export.read_backup_info(tmp_path / "b.zip")
    assert info.counts["saved_searches"] == 2 and info.has_settings and "m003_annotations" in info.schema


# --- progress and cancel (the window's File menu runs these in the background) --------------------
def test_exports_and_backup_report_progress_to_the_total(full_library: Path, tmp_path: Path) -> None:
    seen: dict[str, list[tuple[int, int]]] = {}

    def recorder(name: str):  # noqa: ANN202
        return lambda done, total: seen.setdefault(name, []).append((done, total))

    with Library(full_library) as lib:
        ids = sorted(lib.list_ids(ListFilter(archived=None)))
        export.export_markdown(lib, ids, tmp_path / "vault", progress=recorder("folder"))
        export.export_markdown(lib, ids, tmp_path / "one.md", progress=recorder("md"))
        export.export_json(lib, ids, tmp_path / "x.json", progress=recorder("json"))
        info = export.backup(lib, tmp_path / "b.zip", progress=recorder("backup"))
    for name in ("folder", "md", "json"):
        assert seen[name] == [(1, 3), (2, 3), (3, 3)], name
    rows = sum(info.counts.values())
    assert seen["backup"][-1] == (rows, rows) and all(t == rows for _d, t in seen["backup"])
    assert [d for d, _t in seen["backup"]] == sorted(d for d, _t in seen["backup"])
    with Library(tmp_path / "restored.db") as lib:
        export.restore(lib, tmp_path / "b.zip", restore_settings=False, progress=recorder("restore"))
    assert seen["restore"][-1] == (rows, rows)


def test_a_cancelled_export_or_backup_writes_nothing_and_a_folder_keeps_what_it_wrote(
        full_library: Path, tmp_path: Path) -> None:
    from reader.core.errors import Cancelled

    calls = {"n": 0}

    def after_one() -> bool:  # the person presses Cancel while the second article is read
        calls["n"] += 1
        return calls["n"] > 1

    with Library(full_library) as lib:
        ids = sorted(lib.list_ids(ListFilter(archived=None)))
        for dest in (tmp_path / "one.md", tmp_path / "x.json"):
            calls["n"] = 0
            with pytest.raises(Cancelled, match="export was cancelled"):
                (export.export_json if dest.suffix == ".json" else export.export_markdown)(
                    lib, ids, dest, cancel=after_one)
            assert not dest.exists()
        calls["n"] = 0
        with pytest.raises(Cancelled):
            export.export_markdown(lib, ids, tmp_path / "vault", cancel=after_one)
        assert len(list((tmp_path / "vault").glob("*.md"))) == 1  # the first article's file stays
        with pytest.raises(Cancelled, match="backup was cancelled"):
            export.backup(lib, tmp_path / "b.zip", cancel=lambda: True)
    assert not (tmp_path / "b.zip").exists()
    assert not list(tmp_path.glob(".backup-*")) and not list(tmp_path.glob(".export-*"))


def test_a_cancelled_restore_restores_nothing(full_library: Path, tmp_path: Path) -> None:
    from reader.core.errors import Cancelled

    with Library(full_library) as lib:
        export.backup(lib, tmp_path / "b.zip")
    save_settings(Settings(theme="dark"))
    asked: list[int] = []

    def once_rows_are_in() -> bool:  # False before the transaction, True inside it (after the rows)
        asked.append(1)
        return len(asked) > 1

    with Library(tmp_path / "new.db") as lib:
        with pytest.raises(Cancelled, match="restore was cancelled"):
            export.restore(lib, tmp_path / "b.zip", cancel=once_rows_are_in)
        assert len(asked) == 2 and export.library_is_empty(lib)  # rolled back
    assert load_settings().theme == "dark"  # settings are written only after the rows landed


def test_one_file_exports_are_written_article_by_article_with_the_same_text(full_library: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON and one-file Markdown are streamed (no 80 MB string, no long interpreter stall at 20k
    articles), and read back as the whole-payload ``json.dumps(indent=2)`` / joined sections did."""
    from reader.core import fileguard
    from reader.core.storage.highlights import HighlightStore

    writes: list[int] = []
    real = fileguard.atomic_writer

    @contextlib.contextmanager
    def counting(dest: Path, *, prefix: str):  # noqa: ANN202
        with real(dest, prefix=prefix) as fh:
            original = fh.write
            fh.write = lambda b: writes.append(len(b)) or original(b)  # type: ignore[method-assign]
            yield fh

    monkeypatch.setattr(fileguard, "atomic_writer", counting)
    with Library(full_library) as lib:
        ids = sorted(lib.list_ids(ListFilter(archived=None)))
        export.export_json(lib, ids, tmp_path / "x.json")
        assert len(writes) >= len(ids) + 1
        text = (tmp_path / "x.json").read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        assert [a["id"] for a in json.loads(text)["articles"]] == ids
        export.export_json(lib, [], tmp_path / "none.json")
        assert json.loads((tmp_path / "none.json").read_text(encoding="utf-8"))["articles"] == []
        writes.clear()
        export.export_markdown(lib, ids, tmp_path / "one.md")
        assert len(writes) >= len(ids) + 1
        notes = HighlightStore(lib)
        sections = [export._articles_markdown_section(lib.get_article(i), notes.highlights_for_article(i))
                    for i in ids]
    md = (tmp_path / "one.md").read_text(encoding="utf-8")
    assert md.split("---\n\n", 1)[1] == "\n".join(sections)
