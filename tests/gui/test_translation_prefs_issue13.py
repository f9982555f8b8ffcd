"""Issue 13, items 11 and 12: the translation side of the window.

11. Preferences › Translation says which service translates and why (an override such as
    READER_LIBRE_URL included); the key-storage note is not clipped; the dialog is as tall as the
    shown tab needs.

Driven with keys and clicks on a real window over a real library; the Preferences dialog (opened with
``exec``) is looked at from a timer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTabBar, QWidget

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library
from tests.helpers.gui import wait_idle

RO = ("Pisica este pe casa verde.", "Câinele este în curte lângă copacul verde.",
      "Marea este frumoasă și albastră azi.")


def make_library(db: Path) -> int:
    """One Romanian article of three paragraphs; returns its id."""
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        out = lib.add_article(ParsedArticle(title="Pisica verde", paragraphs=RO), LanguageGuess("ro", 0.95))
    assert out.article_id is not None
    return out.article_id


def show_first(qtbot, parts) -> None:  # noqa: ANN001
    """Click the first row, as a reader does; the list keeps the focus (so T goes to the window)."""
    w = parts.window
    wait_idle(qtbot, parts)
    view = w.article_list
    rect = view.visualRect(view.model().index(0, 0))
    with qtbot.waitSignal(w.article_shown, timeout=10_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def press_t(qtbot, parts) -> None:  # noqa: ANN001
    qtbot.keyClick(parts.window.article_list, Qt.Key.Key_T)


def with_preferences(qtbot, parts, look: Callable[[QDialog], None]) -> None:  # noqa: ANN001
    """Press Ctrl+, and run ``look`` on the Preferences dialog while it is open; then Cancel."""
    seen: list[object] = []

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(50, inside)  # not up yet
            return
        try:
            look(dialog)
            seen.append(True)
        except BaseException as exc:  # noqa: BLE001 - re-raised outside the dialog's event loop
            seen.append(exc)
        finally:
            dialog.reject()

    QTimer.singleShot(0, inside)
    qtbot.keyClick(parts.window.article_list, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    if isinstance(seen[0], BaseException):
        raise seen[0]


def click_tab(qtbot, dialog: QDialog, index: int) -> None:  # noqa: ANN001
    bar = dialog.findChild(QTabBar)
    assert bar is not None
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.wait(50)  # the dialog fits itself to the new tab once the switch is done


def clipped_labels(root: QWidget) -> list[str]:
    """Visible word-wrapped labels that are shorter than their text needs at their width."""
    out = []
    for label in root.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            if label.height() < label.heightForWidth(label.width()):
                out.append(f"{label.text()[:40]!r}: {label.height()} < {label.heightForWidth(label.width())}")
    return out


def empty_space(dialog: QDialog) -> int:
    """Pixels of the shown tab's page beyond what its contents need at its width."""
    page = dialog.tabs.currentWidget()  # type: ignore[attr-defined]
    need = page.heightForWidth(page.width()) if page.hasHeightForWidth() else page.sizeHint().height()
    return page.height() - max(need, page.minimumSizeHint().height())


# --- item 11: Preferences ----------------------------------------------------------------------------
def test_preferences_show_the_provider_in_force_and_why(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    import os

    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    url = os.environ["READER_LIBRE_URL"]  # conftest: every GUI test has one
    found: dict[str, str] = {}

    def look(dialog: QDialog) -> None:
        click_tab(qtbot, dialog, 1)
        page = dialog.translation_page  # type: ignore[attr-defined]
        found["in_force"] = page.in_force.text()
        found["visible"] = str(page.in_force.isVisible())
        found["url_hint"] = page.libre_url.placeholderText()

    with_preferences(qtbot, parts, look)
    assert found["visible"] == "True"
    assert found["in_force"].startswith(f"In use: LibreTranslate at {url}, set by READER_LIBRE_URL."), found
    assert "Google" not in found["in_force"]
    assert url in found["url_hint"]  # the URL field says where the URL in force comes from


def test_preferences_say_google_is_only_the_default(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READER_LIBRE_URL")
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    found: list[str] = []

    def look(dialog: QDialog) -> None:
        click_tab(qtbot, dialog, 1)
        page = dialog.translation_page  # type: ignore[attr-defined]
        found.append(page.in_force.text())
        # the line follows the page's choices before OK
        page.provider.setCurrentIndex(page.provider.findData("offline"))
        found.append(page.in_force.text())

    with_preferences(qtbot, parts, look)
    assert found[0].startswith("In use: Google, the default; the first translation asks"), found
    assert found[1].startswith("In use: offline packs only (chosen in Preferences)"), found


def test_preferences_fit_their_contents_and_clip_nothing(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    found: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        found["general_space"] = empty_space(dialog)
        found["general_height"] = dialog.height()
        click_tab(qtbot, dialog, 1)
        found["translation_space"] = empty_space(dialog)
        found["clipped"] = clipped_labels(dialog)
        note = next(label for label in dialog.findChildren(QLabel) if label.text().startswith("Keys are kept in"))
        found["note"] = (note.isVisible(), note.height(), note.heightForWidth(note.width()))
        # narrower: the note and the "In use" line wrap onto more lines, and still fit
        dialog.resize(dialog.minimumSizeHint().width(), dialog.height())
        qtbot.wait(50)
        found["narrow_clipped"] = clipped_labels(dialog)
        click_tab(qtbot, dialog, 0)
        found["general_again"] = dialog.height()

    with_preferences(qtbot, parts, look)
    assert found["general_space"] < 40, found  # General is a short form, not a tall empty box
    assert found["translation_space"] < 40, found
    assert found["clipped"] == [] and found["narrow_clipped"] == [], found
    visible, height, need = found["note"]  # type: ignore[misc]
    assert visible and height >= need, found  # the key-storage note is shown whole
    assert found["general_again"] == found["general_height"], found  # back to General: short again
