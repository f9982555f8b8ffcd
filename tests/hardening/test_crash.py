"""Crash consistency: ``reader-cli import`` and ``reader-cli translate`` killed with SIGKILL mid-job.

After every kill the library must pass SQLite's and FTS5's integrity checks, hold no half-stored
article or translation, and re-running the same command must finish the job with no duplicates.
The subprocesses are real ``python -m reader.cli`` runs against a real library file; the translation
server is the fake LibreTranslate of the translation tests, slowed down, on 127.0.0.1.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from benchmarks.synthetic import Generator  # noqa: E402
from tests.helpers import fakes  # noqa: E402

N_FILES = 10_000
IMPORT_KILLS = 22
TRANSLATE_KILLS = 8


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _cli(db: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "reader.cli", "--db", str(db), *argv]


def _start(db: Path, *argv: str, env: dict[str, str] | None = None,
           stdout: Path | None = None) -> subprocess.Popen[bytes]:
    # Its own session, so the kill reaches the parsing worker processes too (a whole-app crash).
    out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
    try:
        return subprocess.Popen(_cli(db, *argv), stdout=out, stderr=subprocess.DEVNULL,
                                env=env or _env(), start_new_session=True)
    finally:
        if stdout is not None:
            out.close()  # type: ignore[union-attr]


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process group; True when it was still running (the kill really interrupted it)."""
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(30)
    return alive


def _open(db: Path) -> sqlite3.Connection:
    # A plain connection (read-write so a WAL left by the killed process is recovered).
    conn = sqlite3.connect(str(db), timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _article_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = _open(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # killed before the schema existed
        return 0
    finally:
        conn.close()


def check_library(db: Path) -> int:
    """Every consistency check the issue names; returns the number of articles."""
    if not db.exists():
        return 0
    conn = _open(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" not in tables:
            # Killed while the library was being created: the schema is all or nothing.
            assert not tables & {"tags", "articles_fts", "translations"}, tables
            return 0
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        conn.execute("INSERT INTO article_translations_fts(article_translations_fts) VALUES('integrity-check')")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # no half-stored article: title and body present, hash set, an FTS row of its own
        bad = conn.execute(
            "SELECT count(*) FROM articles WHERE trim(title) = '' OR trim(body) = '' OR content_hash = ''"
        ).fetchone()[0]
        assert bad == 0
        ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
        indexed = {r[0] for r in conn.execute("SELECT id FROM articles_fts_docsize")}
        assert ids == indexed
        # tags: every link points at an existing tag and article
        dangling = conn.execute(
            "SELECT count(*) FROM article_tags at LEFT JOIN tags t ON t.id = at.tag_id"
            " LEFT JOIN articles a ON a.id = at.article_id WHERE t.id IS NULL OR a.id IS NULL"
        ).fetchone()[0]
        assert dangling == 0
        # a sample of rows is found through the index by a word of its own title
        for art_id, title in conn.execute("SELECT id, title FROM articles ORDER BY random() LIMIT 5"):
            word = max(re.findall(r"\w+", title), key=len)
            found = {r[0] for r in conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f'"{word}"',))}
            assert art_id in found, (art_id, word)
        return len(ids)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 small synthetic articles (~400 B, five languages, distinct), 1,000 per folder."""
    root = tmp_path_factory.mktemp("import10k")
    gen = Generator(seed=7)
    for i in range(N_FILES):
        art = gen.article(i, size=300)
        path = root / f"{i // 1000:03d}" / f"a{i:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{art['title']}\n\n" + "\n\n".join(art["paragraphs"]) + "\n",  # type: ignore[arg-type]
                        encoding="utf-8")
    return root


@pytest.mark.slow
def test_import_survives_sigkill_and_resumes_without_duplicates(ten_thousand: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    rng = random.Random(20261122)
    kills = mid_store = new_rows = 0
    before = 0
    log = tmp_path / "out.txt"
    for round_no in range(IMPORT_KILLS):
        proc = _start(db, "import", "--workers", "2", str(ten_thousand), stdout=log)
        if round_no % 3 == 0:
            # a random moment early on: start-up, opening or creating the library, first stores
            time.sleep(rng.uniform(0.2, 2.0))
        else:
            # a random moment while NEW articles are being stored: wait until the run is past what
            # the killed runs stored (each outcome line is printed after its commit), then a bit
            target = before + rng.randint(1, 40)
            deadline = time.monotonic() + 60
            while (log.read_bytes().count(b"\n") < target and proc.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.05))
        if _kill(proc):
            kills += 1
        stored_lines = log.read_bytes().count(b"\n")
        after = check_library(db)
        assert after >= before  # nothing committed is ever lost
        if stored_lines > before:
            mid_store += 1  # it was storing new articles when it died
        new_rows += after - before
        before = after
    assert kills >= 20
    assert mid_store >= 12, "too few kills landed while new articles were being stored"
    assert new_rows == before

    done = subprocess.run(_cli(db, "import", "--workers", "2", str(ten_thousand)), capture_output=True,
                          text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) == N_FILES
    imported = sum(": imported #" in ln for ln in lines)
    duplicate = sum(": duplicate of #" in ln for ln in lines)
    assert imported + duplicate == N_FILES
    assert duplicate == before  # exactly what the killed runs had stored
    assert check_library(db) == N_FILES
    conn = _open(db)
    try:
        assert conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0] == N_FILES
        assert conn.execute("SELECT count(DISTINCT file_name) FROM articles").fetchone()[0] == N_FILES
    finally:
        conn.close()
    print(f"import: {kills} kills survived, {mid_store} while storing; resumed {imported} + {duplicate} dup")


# --- the translation cache writer ------------------------------------------------------------------

ROMANIAN = ("Pisica este frumoasă și câinele este verde lângă casa mare de pe dealul însorit al satului "
            "vechi unde marea se vede în depărtare iar copacul bătrân își leagănă crengile în vântul serii. ")


def _long_article(folder: Path, paragraphs: int) -> Path:
    """A Romanian article whose paragraphs each fill one LibreTranslate request (~3,000 chars)."""
    folder.mkdir(parents=True, exist_ok=True)
    paras = [f"Paragraful {i}. " + ROMANIAN * 17 for i in range(paragraphs)]
    path = folder / "lung.txt"
    path.write_text("Articol lung despre pisica și marea\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return path


def check_translations(db: Path, paragraphs: list[str], title: str) -> int:
    """No empty or partial translation: each cached row is the full translation of one unit."""
    check_library(db)
    expected = {fakes.fake_translate(p.strip()) for p in [*paragraphs, title]}
    conn = _open(db)
    try:
        rows = [r[0] for r in conn.execute("SELECT text FROM translations")]
        for text in rows:
            assert text.strip() and text in expected, text[:80]
        for body, complete in conn.execute("SELECT body, complete FROM article_translations"):
            parts = body.split("\n\n") if body else []
            assert len(parts) == len(paragraphs)
            assert all(p == "" or p in expected for p in parts)
            assert bool(complete) == all(parts)
        return len(rows)
    finally:
        conn.close()


@pytest.mark.slow
def test_translation_cache_writer_survives_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    n_paras = 24
    src = _long_article(tmp_path / "in", n_paras)
    assert subprocess.run(_cli(db, "import", str(src)), capture_output=True, env=_env(), timeout=60).returncode == 0
    conn = _open(db)
    art_id, title, body = conn.execute("SELECT id, title, body FROM articles").fetchone()
    conn.close()
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == n_paras

    server = fakes.FakeServer("libre")
    server.state.slow_seconds = 0.08  # every request takes a while: the kill lands between stores
    server.state.script = ["slow"] * 10_000
    env = _env()
    env["READER_LIBRE_URL"] = server.url
    env["READER_TARGET_LANG"] = "en"
    env.pop("READER_TRANSLATOR", None)
    rng = random.Random(7)
    kills = grew = 0
    cached = 0
    try:
        for _ in range(TRANSLATE_KILLS):
            # forget part of the cache so every round has paragraphs to store
            conn = _open(db)
            conn.execute("DELETE FROM translations WHERE id IN "
                         "(SELECT id FROM translations ORDER BY random() LIMIT 12)")
            conn.commit()
            cached = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
            conn.close()
            hits = server.hits
            proc = _start(db, "translate", "--provider", "libre", str(art_id), env=env)
            deadline = time.monotonic() + 30
            wait_for = rng.randint(1, 6)  # kill after a few of this run's requests were answered
            while server.hits < hits + wait_for and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.08))
            if _kill(proc):
                kills += 1
            now = check_translations(db, paragraphs, title)
            if now > cached:
                grew += 1
        assert kills == TRANSLATE_KILLS
        assert grew >= 1, "no kill landed after paragraphs were stored"

        done = subprocess.run(_cli(db, "translate", "--provider", "libre", str(art_id)), capture_output=True,
                              text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert " 0 failed" in done.stderr
        assert check_translations(db, paragraphs, title) == n_paras + 1  # title + every paragraph once
        conn = _open(db)
        body_t, complete = conn.execute(
            "SELECT body, complete FROM article_translations WHERE article_id = ?", (art_id,)).fetchone()
        conn.close()
        assert complete == 1
        assert body_t.split("\n\n") == [fakes.fake_translate(p.strip()) for p in paragraphs]
    finally:
        server.stop()
    print(f"translate: {kills} kills survived, {grew} after stores")
