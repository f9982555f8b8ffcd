"""The window's structure (issue 10): the reader pane's small APIs, the list model's one
"matched in translation" API, the one undo history, the task runner owning every connection and
every write, opening an article without writing, and ``build()`` leaving process settings alone."""

from __future__ import annotations

import gc
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from reader.core.library_ops import Annotations
from reader.core.models import ListFilter
from reader.core.settings import Settings
from reader.core.storage import Library
from reader.core.storage.translations import TranslationStore, source_hash
from reader.core.translation.providers import Provider
from reader.core.translation.service import TranslationService
from reader.gui.controllers.undo import UndoHistory
from reader.gui.models.article_model import COL_TITLE, ArticleTableModel
from reader.gui.tasks import TaskRunner
from reader.gui.widgets.reader_pane import ReaderPane
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate


# --- the reader pane's APIs -----------------------------------------------------------------------
def test_menu_sections_follow_their_order_not_the_connection_order(qtbot) -> None:  # noqa: ANN001
    pane = ReaderPane()
    qtbot.addWidget(pane)

    def section(*names: str):  # noqa: ANN202
        return lambda menu, _pos: [QAction(n, menu) for n in names]

    pane.add_menu_section("below", section("Re-translate"), order=10)  # registered first
    pane.add_menu_section("above", section("Highlight", "Note"), order=-10)
    pane.add_menu_section("empty", lambda _m, _p: [], order=0)  # nothing to offer: no separator
    menu = QMenu()
    menu.addAction("Copy")
    pane.browser.context_menu_about_to_show.emit(menu, QPoint(1, 1))
    texts = ["|" if a.isSeparator() else a.text() for a in menu.actions()]
    assert texts == ["Highlight", "Note", "|", "Copy", "|", "Re-translate"]
    pane.add_menu_section("above", section("Only"), order=-10)  # same name: replaced
    menu2 = QMenu()
    pane.browser.context_menu_about_to_show.emit(menu2, QPoint(1, 1))
    assert [a.text() for a in menu2.actions() if not a.isSeparator()] == ["Only", "Re-translate"]


def test_translation_availability_is_set_through_the_pane(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 4)
    parts = make_window(db)
    pane = parts.window.reader_pane
    pane.set_translation_available(False, "no engine for Klingon")
    for key in ("translation", "side_by_side"):
        assert not pane.mode_actions[key].isEnabled()
        assert pane.mode_actions[key].toolTip() == "Not translated: no engine for Klingon"
    assert pane.translation_unavailable_reason() == "no engine for Klingon"
    pane.set_mode("translation")  # the key `t` still cycles: the pane says why it stays original
    assert "Translation is not available: no engine for Klingon" in pane.info_bar.label.text()
    pane.set_mode("original")
    pane.set_translation_available(True)
    assert pane.mode_actions["translation"].isEnabled() and pane.translation_unavailable_reason() == ""
    assert pane.mode_actions["translation"].toolTip() == "Show translation (t cycles)"


def test_a_bar_goes_under_the_info_bar(qtbot) -> None:  # noqa: ANN001
    pane = ReaderPane()
    qtbot.addWidget(pane)
    bar = QLabel("a feature's bar")
    pane.add_bar(bar)
    layout = pane.layout()
    assert layout.indexOf(bar) == layout.indexOf(pane.info_bar) + 1
    assert layout.indexOf(bar) < layout.indexOf(pane.tag_row) < layout.indexOf(pane.browser)


def test_translation_matches_are_marked_through_one_model_api(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 5)
    with Library(db) as lib:
        model = ArticleTableModel(lib.get_summaries)
        ids = lib.list_ids(ListFilter())
        model.set_ids(ids)
        with qtbot.waitSignal(model.dataChanged, timeout=1_000):
            model.set_translation_matches([ids[1]])
        assert model.translation_matches() == {ids[1]}
        assert model.data(model.index(1, COL_TITLE)).startswith("⇄ ")
        assert not model.data(model.index(0, COL_TITLE)).startswith("⇄ ")
        assert "matched in the translation" in model.data(model.index(1, COL_TITLE), Qt.ItemDataRole.ToolTipRole)
        model.set_translation_matches([])
        assert not model.data(model.index(1, COL_TITLE)).startswith("⇄ ")


# --- one undo history -----------------------------------------------------------------------------
def test_one_undo_history_undoes_in_the_order_things_were_done(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    history = UndoHistory()
    done: list[str] = []
    history.push("delete article", lambda: done.append("article back"))
    history.push("delete highlight", lambda: done.append("highlight back"))
    assert history.labels() == ["delete article", "delete highlight"]
    assert history.undo() and history.undo() and not history.undo()
    assert done == ["highlight back", "article back"]
    # the window's controllers share one history
    db = tmp_path / "lib.db"
    populate(db, 3)
    parts = make_window(db)
    assert parts.controller.undo_history is parts.undo is parts.annotations.undo_history


# --- the task runner owns every connection and every write ----------------------------------------
class _Upper(Provider):
    name = "libre"
    label = "Upper-case LibreTranslate stand-in"

    def translate(self, text: str, source: str, target: str) -> str:
        return text.upper()


def test_translation_results_are_written_by_the_writer_lane(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 1)
    runner = TaskRunner(db)
    writers: list[str] = []
    reports: list[object] = []

    def write(fn):  # noqa: ANN001, ANN202
        def on_writer(library: Library):  # noqa: ANN202
            writers.append(threading.current_thread().name)
            return fn(library)

        return runner.write_and_wait(on_writer)

    try:
        service = TranslationService(db, Settings(provider="libre"), providers={"libre": _Upper()},
                                     connect=runner.connection, write=write)
        article = runner.library.get_article(runner.library.list_ids(ListFilter())[0])
        with qtbot.waitSignal(runner.busy_changed, timeout=20_000, check_params_cb=lambda busy: not busy):
            job = runner.network(lambda ctx: service.translate_article(article, "en"), reports.append)
        assert job.done and reports[0].translated == len(article.paragraphs) + 1, reports
        assert writers and set(writers) == {"reader-task-write-0"}  # the net thread never wrote
        with Library(db) as lib:
            cached = TranslationStore(lib).get(source_hash(article.paragraphs[0]), article.lang, "en", "libre")
        assert cached == article.paragraphs[0].upper()
    finally:
        runner.shutdown()
    assert not runner._connections  # every worker connection closed


def test_write_and_wait_refuses_the_gui_thread_and_raises_the_writers_error(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    runner = TaskRunner(tmp_path / "lib.db")
    results: list[object] = []
    try:
        try:
            runner.write_and_wait(lambda lib: None)
        except RuntimeError as exc:
            results.append(str(exc))

        def job(_ctx):  # noqa: ANN001, ANN202
            try:
                runner.write_and_wait(lambda lib: 1 / 0)
            except ZeroDivisionError:
                return runner.write_and_wait(lambda lib: threading.current_thread().name)
            return None

        with qtbot.waitSignal(runner.busy_changed, timeout=10_000, check_params_cb=lambda busy: not busy):
            runner.read(job, results.append)
    finally:
        runner.shutdown()
    assert "GUI thread" in str(results[0]) and results[1] == "reader-task-write-0"


# --- opening an article reads -----------------------------------------------------------------------
def test_opening_articles_with_highlights_never_writes(make_window, qtbot, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = populate(db, 6, tags=False)
    with Library(db) as lib:
        for aid in ids:
            Annotations(lib).add_highlight_by_quote(aid, "paragraf 1")
    parts = make_window(db)
    parts.controller.dwell_ms = 10**8  # no mark-read while the test runs
    w = parts.window
    wait_idle(qtbot, parts)
    writes: list[object] = []
    real_write = parts.runner.write
    monkeypatch.setattr(parts.runner, "write", lambda fn, *a, **k: (writes.append(fn), real_write(fn, *a, **k))[1])
    watcher = sqlite3.connect(db)
    try:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        for row in range(1, 6):
            w.article_list.select_row(row)
            qtbot.waitUntil(lambda r=row: w.reader_pane.article_id() == w.model.id_at(r), timeout=5_000)
            qtbot.waitUntil(lambda: len(w.annotations.controller.highlights) == 1, timeout=5_000)
            wait_idle(qtbot, parts)
        assert w.annotations.layer.drawn_text(w.annotations.controller.highlights[0].id) == "paragraf 1"
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before  # nobody committed
        assert writes == []  # not even an empty write transaction (re-anchoring happens on edit)
    finally:
        watcher.close()


# --- build() changes nothing process-wide -----------------------------------------------------------
def test_build_leaves_process_settings_alone(make_window, tmp_path: Path) -> None:  # noqa: ANN001
    interval, frozen = sys.getswitchinterval(), gc.get_freeze_count()
    make_window(tmp_path / "lib.db")
    assert sys.getswitchinterval() == interval
    assert gc.get_freeze_count() == frozen


def test_a_read_superseded_by_a_newer_one_stops_inside_sqlite(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Latest wins: an older list read still running (a million ids) is interrupted in SQLite, so it
    no longer holds a read thread, a core and the GIL while the newer query runs."""
    import time

    db = tmp_path / "lib.db"
    populate(db, 1)
    runner = TaskRunner(db, read_workers=1)  # one read thread: the newer job waits for the older one
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000) SELECT count(*) FROM n"
    got: dict[str, object] = {}
    try:
        runner.long_read(lambda ctx: ctx.library.conn.execute(slow).fetchone()[0],
                         lambda v: got.setdefault("old", v), lambda e: got.setdefault("old_error", e), key="list")
        time.sleep(0.3)  # the old query is running
        t0 = time.monotonic()
        runner.long_read(lambda ctx: ctx.library.list_ids(), lambda v: got.setdefault("new", (v, time.monotonic() - t0)),
                         key="list")
        qtbot.waitUntil(lambda: "new" in got, timeout=10_000)
        ids, seconds = got["new"]  # type: ignore[misc]
        assert len(ids) == 1 and seconds < 2.0  # the old query alone takes ~15 s here
        assert "old" not in got and "old_error" not in got  # stale: dropped, no error shown
    finally:
        runner.shutdown()
