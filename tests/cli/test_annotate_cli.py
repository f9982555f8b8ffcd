"""reader-cli annotation commands, run as a user would: highlight, highlights, note, export, backup,
restore, tags, saved. Exit codes and messages, never a traceback."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from reader.cli import main
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library
from reader.core.text import split_paragraphs


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library_with_seeds(db_path: Path, seeds_dir: Path) -> Path:
    with Library(db_path) as lib:
        for path, lang in zip(sorted(seeds_dir.glob("*.txt")), ["ro", "ro", "lt", "en", "ro"], strict=True):
            paras = split_paragraphs(path.read_text(encoding="utf-8"))
            lib.add_article(ParsedArticle(title=paras[0][:60], paragraphs=tuple(paras), file_name=path.name,
                                          published="2026-02-26"), LanguageGuess(lang, 0.99))
    return db_path


def test_highlight_note_and_list(capsys: pytest.CaptureFixture[str], library_with_seeds: Path) -> None:
    db = library_with_seeds
    code, out, err = run(capsys, db, "highlight", "1", "--quote", "sistemele de rachete balistice",
                         "--note", "**Oreşnik**", "--color", "green", "--tag", "weapons")
    assert code == 0, err
    assert out.startswith("h1 ") and "green" in out and "sistemele de rachete balistice" in out and not err
    # diacritic-insensitive, and ambiguity is reported on stderr
    code, out, err = run(capsys, db, "highlight", "1", "--quote", "Lukasenko")
    assert code == 0 and "Lukaşenko" in out and "occurs 2 times" in err
    code, out, err = run(capsys, db, "highlight", "1", "--quote", "no such words here")
    assert code == 1 and err.startswith("reader-cli: ") and "not found" in err and "Traceback" not in err
    code, out, err = run(capsys, db, "highlight", "1", "--quote", "Minsk", "--color", "orange")
    assert code == 1 and "unknown colour" in err
    code, out, _ = run(capsys, db, "highlights", "--json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [2, 1]
    assert rows[1]["note"] == "**Oreşnik**" and rows[1]["tags"] == ["weapons"]
    assert rows[1]["selector"][1]["exact"] == "sistemele de rachete balistice"
    code, out, _ = run(capsys, db, "highlights", "--query", "oresnik")
    assert code == 0 and out.startswith("h1 ") and "note: **Oreşnik**" in out
    code, out, _ = run(capsys, db, "highlights", "1", "--color", "green")
    assert out.count("\n") == 2  # one highlight (two lines: quote and note)
    code, out, err = run(capsys, db, "highlights", "--query", "is:bogus")
    assert code == 1 and "unknown" in err
    code, out, err = run(capsys, db, "highlights", "99")
    assert code == 1 and "no article #99" in err
    # note: set, show, from stdin, remove
    code, out, _ = run(capsys, db, "note", "2", "# Gând\n\nprimul")
    assert code == 0 and "saved" in out
    code, out, _ = run(capsys, db, "note", "2")
    assert out == "# Gând\n\nprimul\n"
    code, out, _ = run(capsys, db, "unhighlight", "h2")
    assert code == 0 and "deleted highlight h2" in out


def test_note_from_stdin(capsys: pytest.CaptureFixture[str], library_with_seeds: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from *stdin*\n"))
    code, out, _ = run(capsys, library_with_seeds, "note", "3", "-")
    assert code == 0
    with Library(library_with_seeds) as lib:
        assert lib.get_article(3).note == "from *stdin*\n"
    code, out, _ = run(capsys, library_with_seeds, "note", "3", "")
    assert "removed" in out


def test_export_md_and_json(capsys: pytest.CaptureFixture[str], library_with_seeds: Path, tmp_path: Path) -> None:
    db = library_with_seeds
    run(capsys, db, "highlight", "4", "--quote", "vitally need", "--note", "a note")
    code, out, err = run(capsys, db, "export", "4", "-o", str(tmp_path / "vault"))
    assert code == 0, err
    files = list((tmp_path / "vault").glob("*.md"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    fm = yaml.safe_load(text.split("---\n")[1])
    assert fm["id"] == 4 and fm["lang"] == "en"
    assert "> vitally need" in text and "polyglot-reader://article/4#highlight-1" in text
    code, out, _ = run(capsys, db, "export", "--query", "lang:ro", "--format", "json", "-o", str(tmp_path / "ro.json"))
    assert code == 0
    data = json.loads((tmp_path / "ro.json").read_text(encoding="utf-8"))
    assert sorted(a["id"] for a in data["articles"]) == [1, 2, 5]
    code, out, _ = run(capsys, db, "export", "--all", "-o", str(tmp_path / "all.md"))
    assert code == 0 and (tmp_path / "all.md").read_text(encoding="utf-8").count("\n## Highlights\n") == 1
    code, out, err = run(capsys, db, "export", "-o", str(tmp_path / "x"))
    assert code == 1 and "say what to export" in err
    code, out, err = run(capsys, db, "export", "--query", "lang:xx", "-o", str(tmp_path / "x"))
    assert code == 1 and "nothing to export" in err


def test_backup_and_restore(capsys: pytest.CaptureFixture[str], library_with_seeds: Path, tmp_path: Path) -> None:
    db = library_with_seeds
    run(capsys, db, "highlight", "2", "--quote", "Donald Trump", "--color", "pink")
    run(capsys, db, "saved", "add", "Romanian", "lang:ro")
    code, out, err = run(capsys, db, "backup", str(tmp_path / "b.zip"))
    assert code == 0 and "5 articles, 1 highlight, " in out, err
    fresh = tmp_path / "fresh.db"
    code, out, err = run(capsys, fresh, "restore", str(tmp_path / "b.zip"))
    assert code == 0 and "restored 5 articles, 1 highlight, " in out, err
    with sqlite3.connect(fresh) as a, sqlite3.connect(db) as b:
        for table in ("articles", "highlights", "saved_searches"):
            assert a.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == \
                b.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    code, out, err = run(capsys, fresh, "restore", str(tmp_path / "b.zip"))
    assert code == 1 and "not empty" in err and "--replace" in err
    code, out, err = run(capsys, fresh, "restore", "--replace", str(tmp_path / "b.zip"))
    assert code == 0
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(capsys, tmp_path / "empty.db", "restore", str(tmp_path / "bad.zip"))
    assert code == 1 and "damaged" in err and len(err.strip().splitlines()) == 1


def test_tags_and_saved(capsys: pytest.CaptureFixture[str], library_with_seeds: Path) -> None:
    db = library_with_seeds
    with Library(db) as lib:
        lib.add_tags([1, 2], ["region/belarus"])
        lib.add_tags([3], ["belarus-lt"])
    code, out, _ = run(capsys, db, "tags", "color", "region", "#aa0000")
    assert code == 0
    code, out, _ = run(capsys, db, "tags", "list", "--json")
    tags = {t["name"]: t for t in json.loads(out)}
    assert tags["region/belarus"]["count"] == 2 and tags["region"]["color"] == "#aa0000"
    code, out, _ = run(capsys, db, "tags", "merge", "belarus-lt", "--into", "region/belarus")
    assert code == 0
    code, out, _ = run(capsys, db, "tags", "rename", "region", "place")
    code, out, _ = run(capsys, db, "tags")
    assert "place  (0)  #aa0000" in out and "  belarus  (3)" in out
    code, out, err = run(capsys, db, "tags", "delete", "nope")
    assert code == 1 and "no tag" in err
    code, out, err = run(capsys, db, "saved", "add", "Belarus RO", "tag:place lang:ro")
    assert code == 0 and "(2 articles)" in out, err
    code, out, err = run(capsys, db, "saved", "add", "bad", "after:yesterday")
    assert code == 1 and "not a date" in err
    code, out, _ = run(capsys, db, "saved", "list", "--json")
    assert json.loads(out) == [{"name": "Belarus RO", "query": "tag:place lang:ro", "position": 0, "count": 2,
                                "error": None}]
    code, out, _ = run(capsys, db, "saved", "remove", "belarus ro")
    assert code == 0 and "removed" in out
    code, out, err = run(capsys, db, "saved")
    assert code == 0 and "no saved searches" in err
