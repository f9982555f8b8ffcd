"""The article list model: a row per id from the start, contents read lazily, SQL sorting, qtmodeltester."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from reader.core.models import ListFilter
from reader.core.storage import Library
from reader.gui.models.article_model import COL_DATE, COL_TITLE, ArticleTableModel
from tests.helpers.library import populate


def test_model_passes_qtmodeltester(qtmodeltester, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    populate(db, 600)
    with Library(db) as lib:
        model = ArticleTableModel(lib.get_summaries)
        model.set_ids(lib.list_ids(ListFilter()))
        qtmodeltester.check(model, force_py=True)
        assert model.rowCount() == 600


def test_model_pages_lazily_and_bounds_memory(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    populate(db, 1500, tags=False)
    fetched: list[int] = []
    with Library(db) as lib:

        def fetch(ids):  # noqa: ANN001, ANN202
            fetched.extend(ids)
            return lib.get_summaries(ids)

        model = ArticleTableModel(fetch)
        model.set_ids(lib.list_ids(ListFilter()))
        assert model.total() == 1500
        # the list knows its length (issue 13): a row for every id at once, End reaches the last
        assert model.rowCount() == 1500
        assert fetched == []  # nothing read until a row is asked for
        assert model.data(model.index(0, COL_TITLE)) == "Article 01499 uk"
        assert len(fetched) == ArticleTableModel.BLOCK
        assert model.data(model.index(1499, COL_TITLE)) == "Article 00000 ro"
        assert len(fetched) == 2 * ArticleTableModel.BLOCK  # the last block only, not the ones between
        for row in range(0, 1500, 7):
            assert model.data(model.index(row, COL_TITLE)) is not None
        assert len(model._blocks) <= ArticleTableModel.MAX_BLOCKS
        assert model.row_of(lib.list_ids(ListFilter())[1234]) == 1234


def test_header_click_asks_for_sql_sort(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    populate(db, 30)
    with Library(db) as lib:
        model = ArticleTableModel(lib.get_summaries)
        with qtbot.waitSignal(model.sort_requested) as blocker:
            model.sort(COL_DATE, Qt.SortOrder.AscendingOrder)
        assert blocker.args == ["date", False]
        model.set_ids(lib.list_ids(ListFilter(sort="date", descending=False)))
        dates = [model.data(model.index(r, COL_DATE)) for r in range(model.rowCount())]
        assert dates == sorted(dates)


def test_end_reaches_the_last_article_in_one_press(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 13: the list knows its length. End (and Ctrl+End) go to the last of a long list at
    once, and the scrollbar's range is that of the whole list, not of the rows loaded so far."""
    from tests.helpers.gui import wait_idle

    db = tmp_path / "lib.db"
    populate(db, 2500, tags=False)
    parts = make_window(db)
    w = parts.window
    wait_idle(qtbot, parts)
    view = w.article_list
    bar = view.verticalScrollBar()
    row_height = view.verticalHeader().defaultSectionSize()
    assert bar.maximum() + view.viewport().height() >= 2400 * row_height  # the whole list's height
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == 2499
    last = w.model.id_at(2499)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == last, timeout=5_000)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.currentIndex().row() == 2499
