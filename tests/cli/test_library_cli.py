"""reader-cli, run as a user would: the issue's "done when" checks, JSON shape, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main

JSON_KEYS = {"id", "title", "lang", "lang_confidence", "date", "source", "url", "tags", "read", "starred",
             "archived", "added_at", "feed_id"}


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seeded(capsys: pytest.CaptureFixture[str], db_path: Path, seeds_dir: Path) -> Path:
    code, out, _ = run(capsys, db_path, "import", str(seeds_dir))
    assert code == 0, out
    return db_path


def test_import_seeds_as_the_issue_describes(capsys: pytest.CaptureFixture[str], db_path: Path,
                                             seeds_dir: Path) -> None:
    code, out, err = run(capsys, db_path, "import", str(seeds_dir))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 5 and all(": imported #" in line for line in lines)
    code, out, _ = run(capsys, db_path, "list", "--json", "--sort", "added", "--reverse")
    rows = json.loads(out)
    assert [r["lang"] for r in rows] == ["ro", "ro", "lt", "en", "ro"]
    assert all(set(r) == JSON_KEYS for r in rows)
    titles = [r["title"] for r in rows]
    assert not any(t.lower().startswith("date") for t in titles)
    assert "nuotr" not in titles[2] and "EPA" not in titles[2]
    assert titles[4].startswith("Putin a eșuat din nou să îl convingă pe Lukașenko")
    assert rows[0]["date"] == "2026-02-26" and rows[1]["date"] == "2025-12-18"
    code, out, _ = run(capsys, db_path, "show", str(rows[4]["id"]), "--json")
    body = json.loads(out)["body"]
    assert body.rstrip().endswith("citat de AFP.")
    assert "Articol recomandat" not in body and "Recomandări" not in body
    # a second import reports five duplicates and changes nothing
    code, out, _ = run(capsys, db_path, "import", str(seeds_dir))
    assert code == 0
    assert out.count("duplicate of #") == 5
    code, out, _ = run(capsys, db_path, "list", "--json")
    assert len(json.loads(out)) == 5


@pytest.mark.parametrize("query", ["lukasenko*", "lukașenko", "lukaşenko"])
def test_search_folds_diacritics_on_the_seeds(capsys: pytest.CaptureFixture[str], seeded: Path,
                                              query: str) -> None:
    code, out, _ = run(capsys, seeded, "search", query, "--json")
    assert code == 0
    hits = json.loads(out)
    assert {h["lang"] for h in hits} == {"ro"}
    assert len(hits) == 3  # the three Romanian articles
    assert all("[" in h["snippet"] for h in hits)


@pytest.mark.parametrize("query", ['"', "AND", "", "*", "((", "NOT", "-", 'a"b'])
def test_hostile_search_input_returns_cleanly(capsys: pytest.CaptureFixture[str], seeded: Path,
                                              query: str) -> None:
    code, out, err = run(capsys, seeded, "search", query)
    assert code == 0
    assert "Traceback" not in out + err


def test_malformed_filter_is_one_line_error(capsys: pytest.CaptureFixture[str], seeded: Path) -> None:
    code, out, err = run(capsys, seeded, "search", "is:nonsense")
    assert code == 1
    assert err.startswith("reader-cli: unknown \"is:nonsense\"") and err.count("\n") == 1


def test_bad_files_are_skipped_with_reasons_and_exit_1(capsys: pytest.CaptureFixture[str], db_path: Path,
                                                        tmp_path: Path, seeds_dir: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (batch / "empty.txt").write_bytes(b"")
    ro_text = (seeds_dir / "001_121f40d235eca864.txt").read_text(encoding="utf-8")
    (batch / "utf16.txt").write_bytes(b"\xff\xfe" + (seeds_dir / "003_3b97f8fa225a8ac7.txt")
                                      .read_text(encoding="utf-8").encode("utf-16-le"))
    (batch / "cp1250.txt").write_bytes(ro_text.replace("ș", "ş").replace("ț", "ţ").replace("„", '"')
                                       .replace("”", '"').replace("…", "...").encode("cp1250"))
    (batch / "cut.html").write_text(
        "<html lang='ro'><head><title>Un titlu</title></head><body><nav>Acasă | Sport</nav><article>"
        "<p>" + " ".join(["Vladimir Putin a mers luni la Minsk, unde a discutat cu liderul belarus."] * 8)
        + "</p><p>Liderul de la Kremlin a insistat asupra legăturilor strâ", encoding="utf-8")
    code, out, _ = run(capsys, db_path, "import", str(batch))
    assert code == 1  # something was skipped, everything was tried
    by_file = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert by_file[str(batch / "binary.txt")].startswith("skipped: ")
    assert by_file[str(batch / "empty.txt")].startswith("skipped: ")
    assert by_file[str(batch / "utf16.txt")].startswith("imported #") and "[en]" in by_file[str(batch / "utf16.txt")]
    assert by_file[str(batch / "cp1250.txt")].startswith("imported #") and "[ro]" in by_file[str(batch / "cp1250.txt")]
    assert by_file[str(batch / "cut.html")].startswith("imported #")
    code, out, _ = run(capsys, db_path, "search", "lukaşenko", "--json")
    assert len(json.loads(out)) == 1  # the cp1250 file decoded to real Romanian letters
    code, out, _ = run(capsys, db_path, "list", "--json")
    assert len(json.loads(out)) == 3  # nothing half-stored for the skipped files


def test_edit_tag_and_state_commands(capsys: pytest.CaptureFixture[str], seeded: Path) -> None:
    assert run(capsys, seeded, "set", "4", "--title", "Union State", "--lang", "en", "--date", "2026-02-26")[0] == 0
    assert run(capsys, seeded, "tag", "4", "region/belarus", "analysis")[0] == 0
    assert run(capsys, seeded, "untag", "4", "analysis")[0] == 0
    for cmd in ("read", "star", "archive"):
        assert run(capsys, seeded, cmd, "4")[0] == 0
    code, out, _ = run(capsys, seeded, "show", "4", "--json")
    art = json.loads(out)
    assert (art["title"], art["lang"], art["lang_confidence"], art["date"]) == ("Union State", "en", 1.0, "2026-02-26")
    assert art["tags"] == ["region/belarus"]
    assert (art["read"], art["starred"], art["archived"]) == (True, True, True)
    assert json.loads(run(capsys, seeded, "list", "--tag", "region", "--json")[1]) == []  # archived hidden
    assert [r["id"] for r in json.loads(run(capsys, seeded, "list", "--archived", "--json")[1])] == [4]
    assert [r["id"] for r in json.loads(run(capsys, seeded, "list", "--starred", "--all", "--json")[1])] == [4]
    assert len(json.loads(run(capsys, seeded, "list", "--unread", "--json")[1])) == 4
    assert run(capsys, seeded, "delete", "4")[0] == 0
    code, _, err = run(capsys, seeded, "show", "4")
    assert code == 1 and err == "reader-cli: no article #4\n"


def test_list_sorting(capsys: pytest.CaptureFixture[str], seeded: Path) -> None:
    rows = json.loads(run(capsys, seeded, "list", "--sort", "title", "--json")[1])
    titles = [r["title"] for r in rows]
    assert titles == sorted(titles, key=str.casefold)
    rows = json.loads(run(capsys, seeded, "list", "--sort", "date", "--json")[1])
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated, reverse=True)
    assert rows[-1]["date"] is None or all(r["date"] for r in rows)


def test_errors_are_one_line_and_nonzero(capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, seeded, "set", "1", "--date", "yesterday")
    assert code == 1 and err.count("\n") == 1 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, seeded, "set", "1")
    assert code == 1 and "nothing to set" in err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, junk, "list")
    assert code == 1 and "not a Polyglot Reader library" in err
    assert junk.read_bytes() == b"not a database at all" * 100


def test_real_entry_point_env_db_and_version(tmp_path: Path, seeds_dir: Path) -> None:
    env = {**os.environ, "READER_DB": str(tmp_path / "env.db"), "PYTHONPATH": str(Path(__file__).parents[2])}
    cli = [sys.executable, "-c", "import sys; from reader.cli import main; sys.exit(main())"]
    out = subprocess.run([*cli, "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("reader-cli ")
    out = subprocess.run([*cli, "import", str(seeds_dir / "003_3b97f8fa225a8ac7.txt")], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "[en]" in out.stdout
    assert (tmp_path / "env.db").exists()
    out = subprocess.run([*cli, "show", "77"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1 and out.stderr == "reader-cli: no article #77\n"
