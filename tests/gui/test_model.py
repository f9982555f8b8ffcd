"""The article list model: lazy paging over ids, SQL sorting, qtmodeltester."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

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
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
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
        assert model.rowCount() == ArticleTableModel.PAGE
        assert fetched == []  # nothing read until a row is asked for
        assert model.data(model.index(0, COL_TITLE)) == "Article 01499 uk"
        assert len(fetched) == ArticleTableModel.BLOCK
        model.fetchMore(QModelIndex())
        assert model.rowCount() == 2 * ArticleTableModel.PAGE
        model.ensure_loaded(1499)
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
