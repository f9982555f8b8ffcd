"""Issue 13, the CLI and core items (10 and 15): a mistyped --db, restore and the user's settings,
export front matter, plurals, and parents in ``tags list``. Real SQLite files in tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --- 1. --db into a folder that does not exist ---------------------------------------------------
@pytest.mark.parametrize("command", [["list"], ["import", "SEED"], ["tags", "list"], ["search", "putin"]])
def test_db_in_a_missing_folder_is_one_line_and_creates_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path, command: list[str]) -> None:
    before = _tree(tmp_path)
    db = tmp_path / "nope" / "x" / "lib.db"
    args = [str(seeds_dir) if a == "SEED" else a for a in command]
    code, out, err = run(capsys, db, *args)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reader-cli: ") and str(db.parent) in lines[0] and "does not exist" in lines[0]
    assert _tree(tmp_path) == before  # no folder, no file


def test_db_under_a_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    code, out, err = run(capsys, tmp_path / "plain" / "lib.db", "list")
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "is not a folder" in err
    assert _tree(tmp_path) == ["plain"]


def test_db_in_a_missing_folder_from_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    db = tmp_path / "nope" / "x" / "lib.db"
    out = subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(db), "list"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and str(db.parent) in out.stderr, out.stderr
    assert not (tmp_path / "nope").exists()


def test_reader_db_environment_in_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "gone" / "lib.db"
    monkeypatch.setenv("READER_DB", str(db))
    assert main(["list"]) == 1
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and str(db.parent) in err
    assert not (tmp_path / "gone").exists()


def test_gui_entry_point_refuses_a_missing_folder_before_qt(tmp_path: Path) -> None:
    """``reader --db`` into a missing folder: one line, exit 2, before Qt is imported."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "QT_QPA_PLATFORM": "offscreen"}
    db = tmp_path / "nope" / "x" / "lib.db"
    probe = ("import sys\nfrom reader.__main__ import main\ncode = main(['--db', sys.argv[1]])\n"
             "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was loaded'\nsys.exit(code)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("reader: ") and str(db.parent) in out.stderr
    assert not (tmp_path / "nope").exists()


def test_the_default_library_folder_is_still_created(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "fresh" / "data"
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    assert main(["list"]) == 0
    capsys.readouterr()
    assert (data / "library.db").is_file()


def test_db_in_an_existing_folder_is_created(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "lib.db", "list")
    assert code == 0, err
    assert (tmp_path / "lib.db").is_file()


# --- 2. restore keeps the user's settings.json unless --settings ---------------------------------
def _settings_file() -> Path:
    from reader.core.settings import settings_path

    return settings_path()


@pytest.fixture
def backup_with_settings(capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path) -> Path:
    """A backup of a seeded library made while the user's settings had theme dark, target ro."""
    from reader.core.settings import Settings, save_settings

    save_settings(Settings(theme="dark", target_lang="ro"))
    db = tmp_path / "source.db"
    assert run(capsys, db, "import", str(seeds_dir))[0] == 0
    code, _, err = run(capsys, db, "backup", str(tmp_path / "b.zip"))
    assert code == 0, err
    # the user then changes their settings
    save_settings(Settings(theme="light", target_lang="lt"))
    return tmp_path / "b.zip"


def test_restore_keeps_the_users_settings_by_default(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     backup_with_settings: Path) -> None:
    before = _settings_file().read_bytes()
    code, out, err = run(capsys, tmp_path / "new.db", "restore", str(backup_with_settings))
    assert code == 0, err
    assert _settings_file().read_bytes() == before
    assert out.startswith("restored 5 articles") and "your settings kept (--settings restores the backup's)" in out


def test_restore_no_settings_is_still_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                               backup_with_settings: Path) -> None:
    before = _settings_file().read_bytes()
    code, out, err = run(capsys, tmp_path / "new.db", "restore", "--no-settings", str(backup_with_settings))
    assert code == 0, err
    assert _settings_file().read_bytes() == before
    with pytest.raises(SystemExit):
        main(["restore", "--help"])
    out, _ = capsys.readouterr()
    assert "--settings" in out and "--no-settings" not in out  # hidden: it is the default now


def test_restore_with_settings_takes_the_backups(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 backup_with_settings: Path) -> None:
    from reader.core.settings import load_settings

    code, out, err = run(capsys, tmp_path / "new.db", "restore", "--settings", str(backup_with_settings))
    assert code == 0, err
    settings = load_settings()
    assert (settings.theme, settings.target_lang) == ("dark", "ro")
    assert "your settings replaced by the backup's" in out


# --- 3. Markdown front matter has no empty keys ----------------------------------------------------
def test_markdown_front_matter_leaves_out_empty_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import yaml

    src = tmp_path / "note.txt"
    src.write_text("A plain note\n\nJust some words typed by hand, with no date, source or link at all.\n",
                   encoding="utf-8")
    db = tmp_path / "lib.db"
    code, out, err = run(capsys, db, "import", str(src))
    assert code == 0, out + err
    code, out, err = run(capsys, db, "export", "--all", "-o", str(tmp_path / "vault"))
    assert code == 0, err
    (md,) = (tmp_path / "vault").glob("*.md")
    text = md.read_text(encoding="utf-8")
    fm = yaml.safe_load(text.split("---\n")[1])
    assert set(fm) == {"title", "lang", "id"}, fm
    assert "null" not in text and "tags: []" not in text
    # a tagged, dated article keeps those keys
    run(capsys, db, "tag", str(fm["id"]), "misc")
    run(capsys, db, "set", str(fm["id"]), "--date", "2026-03-01", "--source", "Me")
    code, _, err = run(capsys, db, "export", "--all", "-o", str(tmp_path / "vault2"))
    assert code == 0, err
    (md,) = (tmp_path / "vault2").glob("*.md")
    fm = yaml.safe_load(md.read_text(encoding="utf-8").split("---\n")[1])
    assert set(fm) == {"title", "date", "source", "lang", "tags", "id"} and fm["tags"] == ["misc"]


# --- 4. plurals ------------------------------------------------------------------------------------
@pytest.fixture
def one_article(capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path) -> Path:
    db = tmp_path / "one.db"
    seed = sorted(seeds_dir.glob("*.txt"))[3]  # the English one
    assert run(capsys, db, "import", str(seed))[0] == 0
    return db


def test_export_of_one_article_says_article_and_file(capsys: pytest.CaptureFixture[str], one_article: Path,
                                                      tmp_path: Path) -> None:
    code, out, err = run(capsys, one_article, "export", "--all", "-o", str(tmp_path / "vault"))
    assert (code, out) == (0, f"exported 1 article to 1 file in {tmp_path / 'vault'}\n"), err
    code, out, _ = run(capsys, one_article, "export", "--all", "-f", "json", "-o", str(tmp_path / "a.json"))
    assert out == f"exported 1 article to {tmp_path / 'a.json'}\n"
    code, out, _ = run(capsys, one_article, "export", "--all", "-o", str(tmp_path / "a.md"))
    assert out == f"exported 1 article to {tmp_path / 'a.md'}\n"


def test_export_of_many_says_articles_and_files(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                seeds_dir: Path) -> None:
    db = tmp_path / "five.db"
    run(capsys, db, "import", str(seeds_dir))
    code, out, _ = run(capsys, db, "export", "--all", "-o", str(tmp_path / "vault"))
    assert out == f"exported 5 articles to 5 files in {tmp_path / 'vault'}\n"


def test_backup_and_restore_counts_are_singular_for_one(capsys: pytest.CaptureFixture[str], one_article: Path,
                                                        tmp_path: Path) -> None:
    from reader.core.storage import Library

    with Library(one_article) as lib:
        (article_id,) = lib.list_ids()
        quote = lib.get_article(article_id).paragraphs[0].split()[0]
    run(capsys, one_article, "tag", str(article_id), "misc")
    assert run(capsys, one_article, "highlight", str(article_id), "--quote", quote)[0] == 0
    code, out, err = run(capsys, one_article, "backup", str(tmp_path / "b.zip"))
    assert code == 0, err
    assert out == (f"backup written to {tmp_path / 'b.zip'}: 1 article, 1 highlight, 1 tag, "
                   "0 cached translations\n")
    code, out, err = run(capsys, tmp_path / "new.db", "restore", str(tmp_path / "b.zip"))
    assert code == 0, err
    assert out.startswith(f"restored 1 article, 1 highlight, 1 tag from {tmp_path / 'b.zip'} (made ")
    code, out, _ = run(capsys, one_article, "saved", "add", "English", "lang:en")
    assert out == "saved 'English': lang:en (1 article)\n"
    code, out, _ = run(capsys, one_article, "saved", "add", "None", "lang:ro")
    assert out == "saved 'None': lang:ro (0 articles)\n"


def test_plural_and_core_counts() -> None:
    from reader.core.text import plural
    from reader.core.translation.service import ArticleReport, CachedTranslation

    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"
    assert CachedTranslation(1, "en", None, ["x"], 1, ()).status() == "1 of 1 paragraph cached"
    assert CachedTranslation(1, "en", None, ["x", None], 1, ()).status() == "1 of 2 paragraphs cached"
    report = ArticleReport(article_id=1, source_lang="ro", target_lang="en", engine="x", title="t",
                           paragraphs=[], originals=[], original_title="t")
    assert report.summary().startswith("1 paragraph (title included): ")


# --- 5. tags list prints parents that are not tags themselves ----------------------------------------
def test_tags_list_prints_every_parent_and_never_the_wrong_one(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                               seeds_dir: Path) -> None:
    db = tmp_path / "lib.db"
    assert run(capsys, db, "import", str(seeds_dir))[0] == 0
    run(capsys, db, "tag", "1", "region/belarus", "politics")
    run(capsys, db, "tag", "2", "region/belarus", "region-x")
    run(capsys, db, "tag", "3", "alpha/beta/gamma", "Region/Moldova")
    run(capsys, db, "tags", "color", "region-x", "#aa0000")
    code, out, err = run(capsys, db, "tags", "list")
    assert code == 0, err
    assert out.splitlines() == [
        "alpha",
        "  beta",
        "    gamma  (1)",
        "politics  (1)",
        "region",
        "  belarus  (2)",
        "  Moldova  (1)",
        "region-x  (1)  #aa0000",
    ]
    # a parent that is a tag is printed once, with its count
    run(capsys, db, "tag", "4", "region")
    code, out, _ = run(capsys, db, "tags")
    assert out.splitlines()[4:7] == ["region  (1)", "  belarus  (2)", "  Moldova  (1)"]
    # JSON lists the tags themselves, as before
    code, out, _ = run(capsys, db, "tags", "list", "--json")
    import json

    assert [t["name"] for t in json.loads(out)] == ["alpha/beta/gamma", "politics", "region", "region-x",
                                                    "region/belarus", "Region/Moldova"]
