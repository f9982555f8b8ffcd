"""File ▸ Export…, Back Up Library… and Restore… (issue 13, "Missing"), driven through the window's
actions and keys on a real window; the file dialogs are monkeypatched to answer with paths under
tmp_path, and the files written are read back (Markdown parsed, the backup unzipped and restored)."""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, QProcess, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from reader.core.library_ops import Annotations
from reader.core.models import ListFilter
from reader.core.settings import Settings, load_settings, save_settings
from reader.core.storage import Library
from tests.helpers.library import populate

LEFT = Qt.MouseButton.LeftButton


class Dialogs:
    """The answers the file dialogs give, and what they were asked (title, suggested path)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = ""
        self.save: list[str] = []  # answers to successive save dialogs
        self.open = ""
        self.asked: list[tuple[str, str]] = []
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._folder))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._save))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(self._open))

    def _folder(self, _parent: object, title: str, start: str = "", *_a: object, **_k: object) -> str:
        self.asked.append((title, start))
        return self.folder

    def _save(self, _parent: object, title: str, start: str = "", *_a: object, **_k: object) -> tuple[str, str]:
        self.asked.append((title, start))
        return (self.save.pop(0) if self.save else ""), ""

    def _open(self, _parent: object, title: str, start: str = "", *_a: object, **_k: object) -> tuple[str, str]:
        self.asked.append((title, start))
        return self.open, ""


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def library(tmp_path: Path, count: int = 6) -> tuple[Path, list[int]]:
    db = tmp_path / "lib.db"
    ids = populate(db, count)
    with Library(db) as lib:
        Annotations(lib).add_highlight_by_quote(ids[0], "relațiile de alianță", note="**why** it matters")
    save_settings(Settings(mark_read_after_ms=600_000))  # nothing is marked read meanwhile
    return db, ids


def export_via_dialog(qtbot, window, scope: str, fmt: str) -> None:  # noqa: ANN001
    """Ctrl+Shift+E, pick the scope and format with clicks, press Export…"""
    window.activateWindow()  # back from the last dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    qtbot.keyClick(window.article_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.files.export_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5_000)
    for radio in (dialog.scope_buttons[scope], dialog.format_buttons[fmt]):
        qtbot.mouseClick(radio, LEFT, pos=QPoint(8, radio.height() // 2))  # on the indicator
    assert dialog.scope() == scope and dialog.fmt() == fmt
    qtbot.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Ok), LEFT)


def wait_message(qtbot, window, text: str, timeout: int = 20_000) -> str:  # noqa: ANN001
    qtbot.waitUntil(lambda: text in window.message_bar.text(), timeout=timeout)
    return window.message_bar.text()


def front_matter(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


# --- export ---------------------------------------------------------------------------------------
def test_export_the_list_as_a_folder_of_markdown_files(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                        dialogs: Dialogs) -> None:
    db, ids = library(tmp_path)
    w = make_window(db).window
    dialogs.folder = str(tmp_path / "vault")
    export_via_dialog(qtbot, w, "list", "md_folder")
    text = wait_message(qtbot, w, "Exported")
    assert text == f"Exported 6 articles to {tmp_path / 'vault'} (6 Markdown files)."
    assert w.message_bar.kind() == "info" and not w.files.progress.isVisible()
    files = sorted((tmp_path / "vault").glob("*.md"))
    assert [front_matter(f)["id"] for f in files] == sorted(ids)
    first = next(f for f in files if front_matter(f)["id"] == ids[0]).read_text(encoding="utf-8")
    assert "## Highlights" in first and "> relațiile de alianță" in first and "**why** it matters" in first
    assert dialogs.asked[0][0].startswith("Export to a folder")


def test_export_the_selected_articles_to_one_markdown_file_and_to_json(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                                      dialogs: Dialogs) -> None:
    db, ids = library(tmp_path)
    w = make_window(db).window
    first, second = w.model.index(0, 0), w.model.index(1, 0)
    qtbot.mouseClick(w.article_list.viewport(), LEFT, pos=w.article_list.visualRect(first).center())
    qtbot.mouseClick(w.article_list.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier,
                     w.article_list.visualRect(second).center())
    chosen = w.article_list.selected_ids()
    assert len(chosen) == 2
    dialogs.save = [str(tmp_path / "notes")]  # no suffix: .md is added
    export_via_dialog(qtbot, w, "selected", "md_file")
    assert wait_message(qtbot, w, "Exported") == f"Exported 2 articles to {tmp_path / 'notes.md'}."
    text = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert front_matter(tmp_path / "notes.md")["articles"] == 2
    assert all(f"polyglot-reader://article/{i}" in text for i in chosen)
    # JSON of every article, the archive included
    with Library(db) as lib:
        lib.set_flags([ids[1]], archived=True)
    dialogs.save = [str(tmp_path / "all.json")]
    export_via_dialog(qtbot, w, "all", "json")
    assert wait_message(qtbot, w, "Exported 6") == f"Exported 6 articles to {tmp_path / 'all.json'}."
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in data["articles"]] == sorted(ids)
    assert data["articles"][0]["highlights"][0]["quote"] == "relațiile de alianță"
    # the dialog offers the last format again
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)
    qtbot.keyClick(w.article_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.files.export_dialog.isVisible(), timeout=5_000)
    assert w.files.export_dialog.fmt() == "json"
    w.files.export_dialog.reject()


def test_file_menu_has_export_backup_and_restore(make_window, tmp_path: Path) -> None:  # noqa: ANN001
    db, _ids = library(tmp_path, 2)
    w = make_window(db).window
    file_menu = w.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts[:9] == ["&Import Files…", "Import &Folder…", "Save &Link…", "Import &OPML…", "Export O&PML…",
                         "&Export…", "&Back Up Library…", "&Restore…", "&Preferences…"]
    assert w.actions_by_name["export"].shortcut().toString() == "Ctrl+Shift+E"


# --- backup and restore ---------------------------------------------------------------------------
def test_back_up_then_restore_into_a_new_library_and_open_it(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                             dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> None:
    db, ids = library(tmp_path)
    w = make_window(db).window
    dialogs.save = [str(tmp_path / "backups" / "monday")]  # no suffix: .zip is added
    (tmp_path / "backups").mkdir()
    w.actions_by_name["backup"].trigger()
    text = wait_message(qtbot, w, "Backed up")
    zip_path = tmp_path / "backups" / "monday.zip"
    assert text == f"Backed up 6 articles, 1 highlight and 2 tags to {zip_path}."
    with zipfile.ZipFile(zip_path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["tables"]["articles"]["rows"] == 6
        assert len(zf.read("tables/articles.jsonl").decode("utf-8").splitlines()) == 6
        assert "settings.json" in zf.namelist()
    assert dialogs.asked[-1][1].endswith(".zip")  # a dated file name is suggested
    # Restore: the backup, then a NEW library file (suggested beside this one)
    save_settings(Settings(theme="dark", mark_read_after_ms=600_000))  # the person's settings meanwhile
    dialogs.open = str(zip_path)
    dialogs.save = [str(tmp_path / "restored.db")]
    w.actions_by_name["restore"].trigger()
    text = wait_message(qtbot, w, "Restored")
    assert text == (f"Restored 6 articles, 1 highlight and 2 tags into a new library, {tmp_path / 'restored.db'} "
                    "(this one is unchanged).")
    assert dialogs.asked[-1][1] == str(tmp_path / "lib-restored.db")
    assert "into a new library" in dialogs.asked[-1][0] and "(6 articles)" in dialogs.asked[-1][0]
    with Library(tmp_path / "restored.db") as lib:
        assert sorted(lib.list_ids(ListFilter(archived=None))) == sorted(ids)
        assert [h.quote for h in Annotations(lib).highlights_for_article(ids[0])] == ["relațiile de alianță"]
    assert w.model.total() == 6 and load_settings().theme == "dark"  # this library and the settings stay
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(QProcess, "startDetached", staticmethod(lambda prog, args: started.append((prog, args)) or True))
    qtbot.mouseClick(w.message_bar.action_button, LEFT)  # "Open": a window on the restored library
    assert started and started[0][1][-2:] == ["--db", str(tmp_path / "restored.db")]


# --- refused targets and errors: one line, nothing written -----------------------------------------
def test_the_library_file_itself_is_refused_as_a_target_in_one_line(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                                    dialogs: Dialogs) -> None:
    db, _ids = library(tmp_path)
    parts = make_window(db)
    w = parts.window
    with Library(db) as lib:
        count_before = lib.article_count()
    before = sorted(p.name for p in tmp_path.iterdir())
    for action, answers in (("backup", [str(db)]), ("export", [str(db)])):
        w.message_bar.hide_message()
        dialogs.save = list(answers)
        if action == "export":
            export_via_dialog(qtbot, w, "list", "json")
        else:
            w.actions_by_name[action].trigger()
        qtbot.waitUntil(lambda: w.message_bar.text() != "", timeout=20_000)
        text = w.message_bar.text()
        assert w.message_bar.kind() == "error" and "\n" not in text, text
        assert "is the open library file" in text and "was not written" in text and "Traceback" not in text
    # restore into the library file, and into another existing file
    dialogs.open = str(tmp_path / "b.zip")
    with Library(db) as lib:
        from reader.core.export import backup

        backup(lib, tmp_path / "b.zip")
    before.append("b.zip")
    (tmp_path / "taken.db").write_text("mine", encoding="utf-8")
    before = sorted([*before, "taken.db"])
    for target, expected in ((db, "is the open library file"), (tmp_path / "taken.db", "already exists")):
        w.message_bar.hide_message()
        dialogs.save = [str(target)]
        w.actions_by_name["restore"].trigger()
        qtbot.waitUntil(lambda: w.message_bar.text() != "", timeout=20_000)
        assert w.message_bar.kind() == "error" and expected in w.message_bar.text(), w.message_bar.text()
    assert (tmp_path / "taken.db").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no zip, no temp file, no new library
    with Library(db) as lib:
        assert lib.article_count() == count_before
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_and_a_damaged_backup_are_one_line(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                       dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core import fileguard

    db, _ids = library(tmp_path)
    w = make_window(db).window

    @contextmanager
    def full_disk(_dest: Path, *, prefix: str) -> Iterator[object]:
        raise OSError(errno.ENOSPC, "No space left on device")
        yield  # pragma: no cover

    monkeypatch.setattr(fileguard, "atomic_writer", full_disk)
    dialogs.save = [str(tmp_path / "b.zip")]
    w.actions_by_name["backup"].trigger()
    qtbot.waitUntil(lambda: w.message_bar.text() != "", timeout=20_000)
    assert w.message_bar.kind() == "error"
    assert w.message_bar.text() == (f"The disk is full at {tmp_path / 'b.zip'}; nothing was written — free some "
                                    "space and try again")
    assert not (tmp_path / "b.zip").exists()
    # a file that is no backup: said before a new library is asked for
    monkeypatch.undo()
    Dialogs.__init__(dialogs, monkeypatch)
    (tmp_path / "notes.zip").write_bytes(b"not a zip at all")
    dialogs.open = str(tmp_path / "notes.zip")
    w.message_bar.hide_message()
    w.actions_by_name["restore"].trigger()
    qtbot.waitUntil(lambda: w.message_bar.text() != "", timeout=20_000)
    assert w.message_bar.kind() == "error" and "is damaged or not a Polyglot Reader backup" in w.message_bar.text()
    assert [title for title, _ in dialogs.asked] == ["Restore a backup (into a new library)"]


# --- progress and cancel ----------------------------------------------------------------------------
def held(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> tuple[threading.Event, threading.Event]:
    """Make ``module.name`` wait (on the worker) until released: (reached, release)."""
    original = getattr(module, name)
    reached, release = threading.Event(), threading.Event()

    def waiting(*args: object, **kwargs: object) -> object:
        reached.set()
        release.wait(20)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    return reached, release


def test_cancel_stops_a_backup_and_leaves_no_file(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                  dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.storage import dump

    db, _ids = library(tmp_path)
    w = make_window(db).window
    reached, release = held(monkeypatch, dump.Snapshot, "batches")
    dialogs.save = [str(tmp_path / "b.zip")]
    w.actions_by_name["backup"].trigger()
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: w.files.progress.isVisible(), timeout=5_000)
    assert w.files.progress.label.text().startswith("Backing up")
    w.actions_by_name["export"].trigger()  # one at a time
    assert "running" in w.statusBar().currentMessage() and w.files.export_dialog is None
    qtbot.mouseClick(w.files.progress.cancel, LEFT)
    assert w.files.progress.label.text() == "Cancelling…"
    release.set()
    assert wait_message(qtbot, w, "cancelled") == "Backup cancelled: nothing was written."
    assert not w.files.progress.isVisible()
    assert not (tmp_path / "b.zip").exists() and not list(tmp_path.glob(".backup-*"))


def test_cancel_stops_an_export_and_a_restore(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                              dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core import export

    db, _ids = library(tmp_path)
    with Library(db) as lib:
        export.backup(lib, tmp_path / "b.zip")
    w = make_window(db).window
    # a folder export cancelled after its first file: the message says what stays
    reached, release = held(monkeypatch, export, "article_to_markdown")
    dialogs.folder = str(tmp_path / "vault")
    export_via_dialog(qtbot, w, "list", "md_folder")
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: w.files.progress.isVisible(), timeout=5_000)
    qtbot.mouseClick(w.files.progress.cancel, LEFT)
    release.set()
    text = wait_message(qtbot, w, "cancelled")
    assert text == f"Export cancelled: 1 of 6 Markdown files had been written to {tmp_path / 'vault'} (they stay there)."
    assert len(list((tmp_path / "vault").glob("*.md"))) == 1
    monkeypatch.undo()
    Dialogs.__init__(dialogs, monkeypatch)
    # a restore cancelled: no library is left behind
    reached, release = held(monkeypatch, export, "_rows_of")
    dialogs.open, dialogs.save = str(tmp_path / "b.zip"), [str(tmp_path / "new.db")]
    w.message_bar.hide_message()
    w.actions_by_name["restore"].trigger()
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: w.files.progress.isVisible(), timeout=5_000)
    qtbot.mouseClick(w.files.progress.cancel, LEFT)
    release.set()
    assert wait_message(qtbot, w, "cancelled") == "Restore cancelled: no library was made."
    assert not list(tmp_path.glob("new.db*"))
