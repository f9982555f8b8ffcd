"""``~term`` typed into the window's search box: the list, its count and the article's highlighting."""

from __future__ import annotations

from pathlib import Path

from reader.core.importing import import_file
from reader.core.storage import Library
from tests.core.test_name_search import FIVE, OTHERS


def test_search_box_finds_a_name_in_any_spelling(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)  # not a first start: no seeding
        for key, text in {**FIVE, **OTHERS}.items():
            path = tmp_path / f"{key}.txt"
            path.write_text(text, encoding="utf-8")
            assert import_file(lib, path).status == "imported"
    parts = make_window(db)
    w = parts.window
    assert w.model.total() == 7
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        w.search.field.setText("~lukashenko")
    qtbot.waitUntil(lambda: w.search.count_label.text() == "5 articles", timeout=10_000)
    assert w.model.total() == 5
    assert w.reader_pane.highlight_count() >= 2  # the shown article's spelling of the name is marked
    assert w.reader_pane.first_highlight_text().lower().startswith(("luka", "лука"))
    with qtbot.waitSignal(parts.controller.list_ready, timeout=10_000):
        w.search.field.setText("-~Лукашенко")
    qtbot.waitUntil(lambda: w.model.total() == 2, timeout=10_000)
