"""Damaged or foreign library files (issue 7): a clear message, a way out, the file never modified.

Kinds of bad file: truncated (half, and only the first pages), random bytes, random bytes behind a
valid SQLite header, an SQLite file of another program, a library from a newer schema version.
The CLI prints one line and exits non-zero; the GUI (``reader --db BAD``) shows a message box with
*Open another library…* / *Restore a backup…* / *Quit* before any window, driven here by clicking
its buttons. In every path the bad file's bytes are compared before and after.
An older library is upgraded after an automatic backup copy (end to end from the CLI).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from reader.cli import main
from reader.core.errors import LibraryFileError, NewerSchemaError
from reader.core.export import backup
from reader.core.importing import import_paths
from reader.core.storage import Library
from reader.core.storage import migrations as schema
from reader.core.storage.connection import APPLICATION_ID

#: The offscreen platform's harmless warning when a dialog is shown (as in tests/gui/conftest.py).
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

BAD_KINDS = ("truncated-half", "truncated-head", "random-bytes", "random-after-header", "foreign-sqlite", "newer-schema")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def good_library(tmp_path: Path, seeds_dir: Path) -> Path:
    db = tmp_path / "good" / "library.db"
    db.parent.mkdir()  # a library is created only in a folder that exists (issue 13)
    with Library(db) as lib:
        assert len(import_paths(lib, [seeds_dir], workers=1)) == 5
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def make_bad(kind: str, good: Path, folder: Path) -> Path:
    """A bad library file of the given kind (and nothing else: no -wal or -shm next to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.db"
    data = good.read_bytes()
    rng = random.Random(kind)
    if kind == "truncated-half":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "truncated-head":
        path.write_bytes(data[:5000])
    elif kind == "random-bytes":
        path.write_bytes(rng.randbytes(100_000))
    elif kind == "random-after-header":
        path.write_bytes(b"SQLite format 3\x00" + rng.randbytes(100_000))
    elif kind == "foreign-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Ana', '123')")
        conn.commit()
        conn.close()
    elif kind == "newer-schema":
        shutil.copy(good, path)
        conn = sqlite3.connect(path)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                      "VALUES (?, 'm999_from_the_future', '2030-01-01T00:00:00')", (schema.MIGRATION_SET,))
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    else:  # pragma: no cover - a typo in BAD_KINDS
        raise AssertionError(kind)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(kind)) == [path.name]
    return path


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_core_refuses_bad_files_untouched(kind: str, good_library: Path, tmp_path: Path) -> None:
    bad = make_bad(kind, good_library, tmp_path / "bad")
    before = _digest(bad)
    expected = NewerSchemaError if kind == "newer-schema" else LibraryFileError
    with pytest.raises(expected) as info:
        Library(bad)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert "open another library" in message
    assert _digest(bad) == before


@pytest.mark.parametrize("command", [("list",), ("import", "SEEDS"), ("tag", "1", "x"), ("search", "putin")])
@pytest.mark.parametrize("kind", BAD_KINDS)
def test_cli_gives_one_line_and_non_zero_exit(kind: str, command: tuple[str, ...], good_library: Path,
                                              tmp_path: Path, seeds_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = make_bad(kind, good_library, tmp_path / "bad")
    before = _digest(bad)
    args = [str(seeds_dir) if a == "SEEDS" else a for a in command]
    code = main(["--db", str(bad), *args])
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader-cli: ") and "Traceback" not in err
    assert "open another library" in lines[0]
    if kind == "newer-schema":
        assert "newer" in lines[0]
    if kind == "foreign-sqlite":
        assert "another program" in lines[0]
    assert _digest(bad) == before


def _old_library(path: Path, applied: int) -> None:
    """A library made by an older version: only the first ``applied`` migrations."""
    db = Database(path)
    old = Migrations(schema.MIGRATION_SET)
    for fn in schema._ALL[:applied]:
        old()(fn)
    old.apply(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {applied}")
    db.conn.close()


def test_older_library_is_upgraded_after_a_backup_copy(tmp_path: Path, seeds_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "old.db"
    applied = len(schema.KNOWN) - 1
    _old_library(db, applied)
    old_bytes = db.read_bytes()
    code = main(["--db", str(db), "import", str(seeds_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count(": imported #") == 5
    copy = tmp_path / f"old.db.backup-v{applied}"
    assert copy.exists()
    conn = sqlite3.connect(copy)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert names == schema.KNOWN[:applied]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        conn.close()
    assert len(copy.read_bytes()) == len(old_bytes)
    with Library(db) as lib:
        assert schema.applied_names(lib.db) == schema.KNOWN
        assert lib.article_count() == 5 and lib.integrity_ok()
    # opening again: already current, no second copy
    assert main(["--db", str(db), "list"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir() if ".backup-v" in p.name) == [copy.name]


# --- the GUI way out -----------------------------------------------------------------------------
def _click_when_shown(qapp: object, label: str, seen: list[str]) -> None:
    """Click the button ``label`` of the library-problem box as soon as it is shown."""
    from PySide6.QtCore import QTimer  # noqa: TID251 - a GUI test outside tests/gui
    from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: TID251 - a GUI test outside tests/gui

    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "library_problem":
            QTimer.singleShot(10, attempt)
            return
        seen.append(box.informativeText())
        for button in box.buttons():
            if button.text() == label:
                button.click()
                return
        raise AssertionError(f"no button {label!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, attempt)


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_gui_quit_leaves_the_file_untouched(kind: str, good_library: Path, tmp_path: Path, qapp: object) -> None:
    from reader.gui.app import run

    bad = make_bad(kind, good_library, tmp_path / "bad")
    before = _digest(bad)
    seen: list[str] = []
    _click_when_shown(qapp, "Quit", seen)
    assert run(str(bad), []) == 2
    assert len(seen) == 1 and "open another library" in seen[0] and "The file was not changed" in seen[0]
    assert _digest(bad) == before
    assert sorted(p.name for p in bad.parent.iterdir()) == [bad.name]


def _problem(bad: Path) -> object:
    from reader.gui.app import LibraryProblem

    try:
        Library(bad)
    except LibraryFileError as exc:
        return LibraryProblem(bad, exc)
    raise AssertionError("the bad library opened")


def _resolve(qapp: object, problem: object, clicks: list[str]) -> Path | None:
    seen: list[str] = []
    results: list[Path | None] = []

    def chain(i: int) -> None:
        if i < len(clicks):
            _click_when_shown(qapp, clicks[i], seen)

    # clicks happen one per box; the box is re-shown after a cancelled file pick
    original: Callable[..., object] = problem.message_box  # type: ignore[attr-defined]
    round_no = {"n": 0}

    def message_box() -> object:
        chain(round_no["n"])
        round_no["n"] += 1
        return original()

    problem.message_box = message_box  # type: ignore[attr-defined]
    results.append(problem.resolve())  # type: ignore[attr-defined]
    assert round_no["n"] == len(clicks) and len(seen) == len(clicks)
    return results[0]


def test_gui_open_another_library(good_library: Path, tmp_path: Path, qapp: object) -> None:
    from reader.gui.app import build

    bad = make_bad("random-after-header", good_library, tmp_path / "bad")
    before = _digest(bad)
    problem = _problem(bad)
    picks = iter(["", str(tmp_path / "fresh.db")])  # first pick cancelled: the box comes back
    problem.pick_library = lambda: next(picks)  # type: ignore[attr-defined]
    chosen = _resolve(qapp, problem, ["Open another library…", "Open another library…"])
    assert chosen == tmp_path / "fresh.db"
    parts = build(chosen)
    try:
        assert parts.library.article_count() == 0 and parts.library.integrity_ok()
    finally:
        parts.close()
    assert _digest(bad) == before


@pytest.mark.parametrize("kind", ["truncated-half", "newer-schema"])
def test_gui_restore_a_backup_into_a_new_file(kind: str, good_library: Path, tmp_path: Path, qapp: object) -> None:
    from reader.gui.app import build

    with Library(good_library) as lib:
        info = backup(lib, tmp_path / "backup.zip")
        titles = sorted(s.title for s in lib.list_articles())
    assert info.counts["articles"] == 5
    bad = make_bad(kind, good_library, tmp_path / "bad")
    before = _digest(bad)
    problem = _problem(bad)
    damaged_backup = tmp_path / "damaged.zip"
    damaged_backup.write_bytes(os.urandom(2000))
    picks = iter([str(damaged_backup), str(tmp_path / "backup.zip")])
    problem.pick_backup = lambda: next(picks)  # type: ignore[attr-defined]
    restored = _resolve(qapp, problem, ["Restore a backup…", "Restore a backup…"])
    assert restored is not None and restored.parent == bad.parent and restored != bad
    assert restored.name == f"{kind}-restored.db"
    assert _digest(bad) == before
    # the failed restore from the damaged backup left nothing behind
    assert sorted(p.name for p in bad.parent.iterdir() if not p.name.startswith(restored.name)) == [bad.name]
    parts = build(restored)
    try:
        assert sorted(s.title for s in parts.library.list_articles()) == titles
        assert parts.library.integrity_ok()
    finally:
        parts.close()
    assert _digest(bad) == before
