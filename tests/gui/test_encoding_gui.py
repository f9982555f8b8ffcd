"""Issue 14: a close call on a file's encoding is shown in the window, which offers a re-import
with another encoding (from the import summary and from the article's Details)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from reader.core.storage import Library
from tests.helpers.gui import wait_idle

# A short French paragraph: its cp1252 bytes read almost as well as cp1250 / ISO-8859-2 (a close call).
FRENCH = ("Le président de la République a annoncé jeudi une hausse importante du budget de la défense, "
          "afin de renforcer la sécurité de l'Europe face à la menace russe. Selon l'Élysée, les premières")


def _close_call_file(folder: Path) -> Path:
    path = folder / "defense.txt"
    path.write_bytes(f"Budget de la défense\n\n{FRENCH}\n".encode("cp1252"))
    return path


def _import(parts, qtbot, paths: list[str]) -> list:  # noqa: ANN001
    with qtbot.waitSignal(parts.controller.import_finished, timeout=120_000) as blocker:
        parts.controller.import_paths(paths)
    wait_idle(qtbot, parts)
    return blocker.args[0]


def test_summary_shows_the_close_call_and_reimports_with_the_chosen_encoding(
        make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.helpers.library import populate

    db = tmp_path / "lib.db"
    populate(db, 2)
    source = _close_call_file(tmp_path)
    parts = make_window(db)
    w = parts.window
    [outcome] = _import(parts, qtbot, [str(source)])
    assert outcome.status == "imported" and outcome.encoding == "cp1252"
    assert "cp1250" in outcome.alternatives
    dialog = w.last_import_summary
    assert dialog is not None and dialog.isVisible()
    assert "encoding guessed as cp1252" in dialog.text()
    # the person sees each reading where they differ, and picks one
    button = dialog.reimport_button
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    chooser = dialog.reimport_dialog
    assert chooser is not None and chooser.isVisible()
    rows = [chooser.readings.item(i).text() for i in range(chooser.readings.count())]
    assert any(r.startswith("cp1250 — “") for r in rows)
    assert any("(as imported)" in r and "face à la menace" in r for r in rows)
    assert any(r.startswith("cp1250") and "face ŕ la menace" in r for r in rows)
    cp1250_row = next(i for i, r in enumerate(rows) if r.startswith("cp1250"))
    chooser.readings.setCurrentRow(cp1250_row)
    with qtbot.waitSignal(parts.controller.import_finished, timeout=120_000) as blocker:
        qtbot.mouseClick(chooser.reimport_button, Qt.MouseButton.LeftButton)
    [again] = blocker.args[0]
    wait_idle(qtbot, parts)
    assert again.status == "updated" and again.article_id == outcome.article_id
    with Library(db) as lib:
        assert lib.article_count() == 3  # the same article got the new text: nothing added
        body = lib.get_body(outcome.article_id)
    assert body == f"{FRENCH}".encode("cp1252").decode("cp1250")
    assert not dialog.isVisible()


def test_an_unknown_encoding_name_is_refused_in_the_dialog(qtbot) -> None:  # noqa: ANN001
    from reader.gui.widgets.reimport import ReimportDialog, ReimportFile

    dialog = ReimportDialog([ReimportFile("/tmp/x.txt")])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.readings.count() == 1  # nothing known about the file: "Other encoding" only
    dialog.other.setCurrentText("")
    qtbot.keyClicks(dialog.other.lineEdit(), "klingon-8")
    qtbot.mouseClick(dialog.reimport_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert "klingon-8" in dialog.problem.text()
    dialog.other.setCurrentText("")
    qtbot.keyClicks(dialog.other.lineEdit(), "cp1257")
    qtbot.mouseClick(dialog.reimport_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice() == ("/tmp/x.txt", "cp1257")


def test_details_offers_the_reimport_for_the_article_on_screen(
        make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    source = _close_call_file(tmp_path)
    parts = make_window(tmp_path / "lib.db", [str(source)])
    w = parts.window
    wait_idle(qtbot, parts)
    if w.last_import_summary is not None:
        w.last_import_summary.close()
    with Library(tmp_path / "lib.db") as lib:
        [article_id] = [a for a in lib.list_ids() if lib.get_article(a).file_name == "defense.txt"]
    w.article_list.select_id(article_id)
    wait_idle(qtbot, parts)
    assert w.reader_pane.article_id() == article_id
    assert "face à la menace" in w.reader_pane.plain_text()
    # the file dialog answers with the file; the encoding chooser gets cp1250 typed in
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), "")))

    def answer_chooser() -> None:
        from reader.gui.widgets.reimport import ReimportDialog

        chooser = next(d for d in QApplication.topLevelWidgets() if isinstance(d, ReimportDialog) and d.isVisible())
        chooser.other.setCurrentText("cp1250")
        qtbot.mouseClick(chooser.reimport_button, Qt.MouseButton.LeftButton)

    def press_reimport() -> None:
        from PySide6.QtWidgets import QPushButton

        from reader.gui.widgets.dialogs import MetadataDialog

        details = next(d for d in QApplication.topLevelWidgets() if isinstance(d, MetadataDialog) and d.isVisible())
        QTimer.singleShot(200, answer_chooser)
        qtbot.mouseClick(details.findChild(QPushButton, "reimportButton"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, press_reimport)
    with qtbot.waitSignal(parts.controller.import_finished, timeout=120_000) as blocker:
        w.article_list.setFocus()
        qtbot.keyClick(w.article_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Details…
    [again] = blocker.args[0]
    assert again.status == "updated" and again.article_id == article_id
    qtbot.waitUntil(lambda: "face ŕ la menace" in w.reader_pane.plain_text(), timeout=10_000)
    assert FRENCH.encode("cp1252").decode("cp1250")[:40] in w.reader_pane.plain_text()
