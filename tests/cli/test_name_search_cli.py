"""``~term`` through ``reader-cli`` run as a separate process, as a person would run it: ``search``,
``list -q``, ``export -q``, ``highlights -q`` and ``saved`` on the five articles about one person."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_name_search import FIVE, OTHERS, SPELLINGS

CLI = [sys.executable, "-c", "import sys; from reader.cli import main; sys.exit(main())"]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run([*CLI, "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=120,
                          encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("name-cli")
    files = folder / "articles"
    files.mkdir()
    for key, text in {**FIVE, **OTHERS}.items():
        (files / f"{key}.txt").write_text(text, encoding="utf-8")
    db = folder / "library.db"
    out = cli(db, "import", "--workers", "1", str(files))
    assert out.returncode == 0, out.stderr
    rows = json.loads(cli(db, "list", "--json").stdout)
    by_title = {r["title"]: r["id"] for r in rows}
    ids = {key: by_title[text.split("\n", 1)[0]] for key, text in {**FIVE, **OTHERS}.items()}
    return db, ids


def search_ids(db: Path, *query: str) -> set[int]:
    out = cli(db, "search", "--json", *query)
    assert out.returncode == 0, out.stderr
    return {hit["id"] for hit in json.loads(out.stdout)}


@pytest.mark.parametrize("query", SPELLINGS)
def test_search_finds_all_five_in_any_spelling(library: tuple[Path, dict[str, int]], query: str) -> None:
    db, ids = library
    assert search_ids(db, query) == {ids[k] for k in FIVE}


def test_search_output_marks_the_name_and_other_names_find_none(library: tuple[Path, dict[str, int]]) -> None:
    db, ids = library
    out = cli(db, "search", "~lukashenko")
    assert out.returncode == 0, out.stderr
    for marked in ("[Lukašenka]", "[Lukașenko]", "[Лукашенко]", "[Лукашэнка]", "[Lukashenko]"):
        assert marked in out.stdout
    assert search_ids(db, "~lukoil") == {ids["oil"]}
    out = cli(db, "search", "~kolesnikova")
    assert out.returncode == 0 and out.stderr == "no matches\n"


def test_excluded_and_filtered(library: tuple[Path, dict[str, int]]) -> None:
    db, ids = library
    assert search_ids(db, "-~lukashenko") == {ids["oil"], ids["minsk"]}
    assert search_ids(db, "~Лукашенко", "lang:ro") == {ids["ro"]}
    out = cli(db, "list", "--json", "-q", "~lukašenka -lang:ro")
    assert {r["id"] for r in json.loads(out.stdout)} == {ids[k] for k in FIVE} - {ids["ro"]}
    out = cli(db, "list", "--json", "-q", "-~Lukașenko")
    assert {r["id"] for r in json.loads(out.stdout)} == {ids["oil"], ids["minsk"]}


def test_export_highlights_and_saved_searches(library: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    db, ids = library
    dest = tmp_path / "lukashenko.json"
    out = cli(db, "export", "-q", "~Лукашенко", "--format", "json", "--output", str(dest))
    assert out.returncode == 0, out.stderr
    assert "exported 5 articles" in out.stdout
    assert dest.exists()
    assert cli(db, "highlight", str(ids["lt"]), "--quote", "Lukašenkos režimas").returncode == 0
    assert cli(db, "highlight", str(ids["oil"]), "--quote", "Lukoil reported").returncode == 0
    out = cli(db, "highlights", "--json", "-q", "~lukashenko")
    assert [r["quote"] for r in json.loads(out.stdout)] == ["Lukašenkos režimas"]
    assert cli(db, "saved", "add", "Lukashenko", "~lukashenko").returncode == 0
    assert cli(db, "saved", "add", "Lukashenko ro", "~lukašenka lang:ro").returncode == 0
    saved = json.loads(cli(db, "saved", "list", "--json").stdout)
    assert {s["name"]: s["count"] for s in saved} == {"Lukashenko": 5, "Lukashenko ro": 1}
