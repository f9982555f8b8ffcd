"""Issue 13 item 5: the window does not go stale — changes another process makes appear within
about a second, and renaming a tag updates the chips, the list and the saved searches using it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QToolButton

from reader.core.library_ops import Annotations
from reader.core.storage import Library
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate

REPO = Path(__file__).resolve().parents[2]


def cli(db: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(db), *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


def sidebar_count(w, kind: str, value: str) -> str:  # noqa: ANN001
    idx = w.sidebar._find(kind, value)
    return str(w.sidebar.model().index(idx.row(), 1, idx.parent()).data())


def test_changes_made_by_another_process_appear(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 9)
    parts = make_window(db)
    w = parts.window
    wait_idle(qtbot, parts)
    assert sidebar_count(w, "view", "all") == "9" and w.model.total() == 9
    with Library(db) as lib:
        starred_before = lib.view_counts()["starred"]
        target = lib.list_ids()[3]
    new_file = tmp_path / "new.txt"
    new_file.write_text("Minsk talks resume\n\nDelegations met in Minsk on Monday to resume the talks.\n",
                        encoding="utf-8")
    cli(db, "import", str(new_file))
    cli(db, "star", str(target))
    # within ~1 s of the last write (the window looks every 0.5 s), with no click in the window
    qtbot.waitUntil(lambda: sidebar_count(w, "view", "all") == "10", timeout=3_000)
    qtbot.waitUntil(lambda: w.model.total() == 10, timeout=3_000)
    qtbot.waitUntil(lambda: sidebar_count(w, "view", "starred") == str(starred_before + 1), timeout=3_000)
    row = w.model.row_of(target)
    assert w.model.summary_at(row).starred
    # the article on screen follows too: starred from the CLI while it is shown
    shown = w.reader_pane.article_id()
    cli(db, "star", str(shown)) if not w.reader_pane.article().starred else cli(db, "unstar", str(shown))
    want = not w.reader_pane.article().starred
    qtbot.waitUntil(lambda: w.reader_pane.article().starred == want, timeout=3_000)


def test_renaming_a_tag_updates_chips_list_and_saved_searches(make_window, qtbot, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 15)  # region/belarus on 5 articles
    with Library(db) as lib:
        Annotations(lib).add_saved_search("Region", "tag:region")
        tagged = next(i for i in lib.list_ids() if "region/belarus" in lib.get_article(i).tags)
    parts = make_window(db)
    w = parts.window
    assert w.article_list.select_id(tagged)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == tagged, timeout=5_000)
    wait_idle(qtbot, parts)
    assert ("Region", "5") in w.sidebar.saved_entries()

    def chips() -> list[str]:
        return [c.text() for c in w.reader_pane.findChildren(QToolButton, "tagChip") if c.isVisible()]

    assert any(c.startswith("region/belarus") for c in chips())
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    manager = w.annotations.tag_manager
    manager.select_names(["region"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("geo", True)))
    with qtbot.waitSignal(parts.controller.counts_ready, timeout=10_000):
        manager.buttons["rename"].click()
    wait_idle(qtbot, parts)
    qtbot.waitUntil(lambda: any(c.startswith("geo/belarus") for c in chips()), timeout=5_000)
    assert not any(c.startswith("region") for c in chips())
    qtbot.waitUntil(lambda: ("Region", "5") in w.sidebar.saved_entries(), timeout=5_000)
    with Library(db) as lib:
        assert Annotations(lib).get_saved_search("Region").query == "tag:geo"
    row = w.model.row_of(tagged)
    assert "geo/belarus" in w.model.summary_at(row).tags
