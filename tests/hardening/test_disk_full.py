"""Full disk: the library on a nearly full "disk" (issue 7).

The disk is made full in two ways:

* a SQLite page limit, ``READER_MAX_PAGES`` (read by ``reader.core.storage.connection.connect`` and
  set as ``PRAGMA max_page_count`` on every connection, because the pragma is per connection);
* a real 3 MB tmpfs (``ENOSPC`` from the kernel), when the tests run as root and can mount one.

Each failing write (import, tag, highlight, library setting, settings file) must say "the disk is
full", leave the library intact (``integrity_check`` ok), readable, and writable again once space is
freed.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.errors import DiskFullError, StorageError
from reader.core.importing import import_file, import_paths
from reader.core.library_ops import Annotations
from reader.core.settings import Settings, save_settings
from reader.core.storage import Library
from reader.core.storage.connection import MAX_PAGES_ENV

REPO = Path(__file__).resolve().parents[2]


def _words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choice("abcdefghijklmnoprstuvz") for _ in range(rng.randint(3, 11)))
                    for _ in range(n))


def big_article(folder: Path, name: str, paragraphs: int = 400, seed: int = 1) -> Path:
    """A text article of unique random words (~paragraphs * 0.5 KB), so the FTS index grows too."""
    path = folder / name
    lines = [f"Headline number {seed} about nothing"] + [_words(60, seed * 100_000 + i) + "." for i in range(paragraphs)]
    path.write_text("\n\n".join(lines), encoding="utf-8")
    return path


def page_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def seeded(db_path: Path, seeds_dir: Path) -> Path:
    with Library(db_path) as lib:
        outcomes = import_paths(lib, [seeds_dir], workers=1)
        assert [o.status for o in outcomes] == ["imported"] * 5
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db_path


@pytest.fixture
def nearly_full(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The seeded library with room for only a few more pages."""
    monkeypatch.setenv(MAX_PAGES_ENV, str(page_count(seeded) + 4))
    yield seeded


def test_max_pages_hook_sets_the_limit_on_every_connection(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_PAGES_ENV, "12345")
    with Library(db_path) as lib:
        assert lib.conn.execute("PRAGMA max_page_count").fetchone()[0] == 12345
    monkeypatch.setenv(MAX_PAGES_ENV, "not a number")
    with Library(db_path) as lib:
        assert lib.conn.execute("PRAGMA max_page_count").fetchone()[0] > 12345


def test_import_on_a_full_disk_is_reported_and_the_library_survives(
    nearly_full: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = big_article(tmp_path, "big.txt")
    with Library(nearly_full) as lib:
        before = lib.article_count()
        outcome = import_file(lib, big)
        assert outcome.status == "skipped"
        assert outcome.reason is not None and outcome.reason.startswith("the disk is full")
        assert "\n" not in outcome.reason
        # intact and readable, nothing half-stored
        assert lib.integrity_ok()
        assert lib.article_count() == before
        assert len(lib.list_ids()) == before
        assert lib.search("Putin") and lib.get_article(lib.list_ids()[0]).body
    assert integrity(nearly_full) == "ok"
    # space freed: the same import now works
    monkeypatch.delenv(MAX_PAGES_ENV)
    with Library(nearly_full) as lib:
        outcome = import_file(lib, big)
        assert outcome.status == "imported", outcome.reason
        assert lib.article_count() == before + 1
        assert lib.integrity_ok()


def test_tag_highlight_and_setting_writes_report_a_full_disk(
    nearly_full: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(nearly_full) as lib:
        ids = lib.list_ids()
        first = lib.get_article(ids[0])
        notes = Annotations(lib)
        # Fill the remaining pages with small writes until the disk is full; every failure is a
        # DiskFullError with the user-facing message, never a raw sqlite3 error.
        failures: dict[str, str] = {}
        written = {"tags": 0, "highlights": 0, "settings": 0}
        for i in range(5000):
            kind = ("tags", "highlights", "settings")[i % 3]
            try:
                if kind == "tags":
                    lib.add_tags(ids, [f"topic/{uuid.uuid4().hex}-{'x' * 200}"])
                elif kind == "highlights":
                    start = (i * 7) % max(1, len(first.body) - 40)
                    notes.add_highlight(first.id, start, start + 30, note="n" * 400 + str(i))
                else:
                    lib.set_setting(f"key-{i}", "v" * 600)
            except DiskFullError as exc:
                failures.setdefault(kind, str(exc))
                if len(failures) == 3:
                    break
            else:
                written[kind] += 1
        assert set(failures) == {"tags", "highlights", "settings"}, (failures, written)
        for message in failures.values():
            assert message.startswith("the disk is full") and "\n" not in message
        assert lib.integrity_ok()
        # every write that returned is there; nothing half-written from the failed ones
        assert len(notes.highlights_for_article(first.id)) == written["highlights"]
        assert sum(1 for k in lib.all_settings() if k.startswith("key-")) == written["settings"]
        assert sum(1 for t in lib.list_tags() if t.name.startswith("topic/")) == written["tags"]
        assert lib.get_article(first.id).body == first.body
    monkeypatch.delenv(MAX_PAGES_ENV)
    with Library(nearly_full) as lib:
        lib.add_tags(ids[:1], ["after-space-freed"])
        Annotations(lib).add_highlight(first.id, 0, 10)
        lib.set_setting("after", 1)
        assert any(t.name == "after-space-freed" for t in lib.list_tags())
        assert lib.integrity_ok()


def _cli(db: Path, *args: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(db), *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=REPO)


def test_cli_import_reports_the_file_that_hit_the_full_disk(nearly_full: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big = big_article(folder, "a-big.txt")
    small = folder / "b-small.txt"
    small.write_text("A short note\n\nJust one line of text that fits.\n", encoding="utf-8")
    proc = _cli(nearly_full, "import", str(folder), env_extra={MAX_PAGES_ENV: str(page_count(nearly_full) + 4)})
    assert proc.returncode == 1, proc
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith(f"{big}: skipped: the disk is full"), lines
    assert len(lines) == 2 and lines[1].startswith(f"{small}: ")
    assert integrity(nearly_full) == "ok"
    proc = _cli(nearly_full, "list", env_extra={})
    assert proc.returncode == 0 and "Putin" in proc.stdout


def test_the_disk_full_message_through_main(nearly_full: Path, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    """A failing tag command exits non-zero with one line on stderr."""
    with Library(nearly_full) as lib:
        ids = lib.list_ids()
    long_tags = [f"t{i}-{'y' * 900}" for i in range(60)]
    code = main(["--db", str(nearly_full), "tag", str(ids[0]), *long_tags])
    out, err = capsys.readouterr()
    assert code != 0
    assert "the disk is full" in err and len(err.strip().splitlines()) == 1
    assert integrity(nearly_full) == "ok"


# --- a real full filesystem ----------------------------------------------------------------------
def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, timeout=30)
    return proc.returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "tmpfs"
    if not _mount_tmpfs(where, "3m"):
        pytest.skip("cannot mount a tmpfs here (needs root); the READER_MAX_PAGES tests cover the same paths")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], capture_output=True, timeout=30)


def _fill(folder: Path, leave: int) -> Path:
    """A ballast file that leaves about ``leave`` bytes free on ``folder``'s filesystem."""
    ballast = folder / "ballast"
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with ballast.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return ballast


def test_real_full_filesystem(small_fs: Path, seeds_dir: Path, tmp_path: Path) -> None:
    db = small_fs / "library.db"
    with Library(db) as lib:
        assert len(import_paths(lib, [seeds_dir], workers=1)) == 5
    settings_file = small_fs / "conf" / "settings.json"
    settings_file.parent.mkdir()
    save_settings(Settings(), settings_file)
    old = settings_file.read_bytes()
    ballast = _fill(small_fs, 64 * 1024)
    big = big_article(tmp_path, "big.txt", paragraphs=600)
    with Library(db) as lib:
        outcome = import_file(lib, big)
        assert outcome.status == "skipped" and outcome.reason and outcome.reason.startswith("the disk is full")
        assert lib.article_count() == 5 and lib.integrity_ok()
        assert lib.search("Putin")
    # the settings file on the full disk: "the disk is full", the old file kept, no temp file left
    with pytest.raises(StorageError, match="^the disk is full") as info:
        save_settings(_big_settings(Settings()), settings_file)
    assert "\n" not in str(info.value)
    assert settings_file.read_bytes() == old
    assert list(settings_file.parent.iterdir()) == [settings_file]  # no half-written temp file left behind
    ballast.unlink()
    with Library(db) as lib:
        assert import_file(lib, big).status == "imported"
        assert lib.integrity_ok() and lib.article_count() == 6


def _big_settings(settings: Settings) -> Settings:
    """Settings whose JSON is ~500 KB (a free-text field), more than the full disk can take."""
    big = Settings.from_dict({**settings.to_dict(), "mymemory_email": "x" * 500_000})
    assert len(big.mymemory_email) == 500_000
    return big
