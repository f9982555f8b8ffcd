"""The window's feeds (issue 12), driven like a person: keys, menus, clicks, the sidebar's context
menu, a paste and a drop, against real HTTP servers on 127.0.0.1 (never the internet). The file
dialogs of OPML Import…/Export… are monkeypatched to answer with paths under tmp_path."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMenu, QMessageBox

from reader.core.feeds import http
from reader.core.feeds.service import FeedService
from reader.core.models import ListFilter
from reader.core.settings import Settings
from reader.core.storage import Library
from tests.core.feeds.conftest import SMALL_LIMITS, FakeServer, Reply
from tests.helpers.feed_sites import PARAGRAPHS, DeadServer, Item, article_page, rss, serve_site
from tests.helpers.gui import wait_idle
from tests.helpers.library import populate

LEFT = Qt.MouseButton.LeftButton
REAL_CLIENT = http.HttpClient


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    """A fake web server; the window's HTTP client gets small bounds and no proxies."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(http, "HttpClient", lambda: REAL_CLIENT(SMALL_LIMITS, trust_env=False))
    fake = FakeServer()
    fake.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
    fake.start()
    try:
        yield fake
    finally:
        fake.close()


def press(qtbot, window, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    window.activateWindow()  # a context menu that was open took the activation
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, key, mods)


def feed_menu(qtbot, w, feed_id: int) -> QMenu:  # noqa: ANN001
    """Right-click a feed in the sidebar; the context menu that opens."""
    index = w.sidebar.feed_index(feed_id)
    assert index.isValid()
    w.sidebar.scrollTo(index)
    pos = w.sidebar.visualRect(index).center()
    w.sidebar.customContextMenuRequested.emit(pos)  # what a right-click on the viewport sends
    menu = w.sidebar.findChildren(QMenu, "feedMenu")[-1]
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    return menu


def choose(menu: QMenu, name: str) -> None:
    action = next(a for a in menu.actions() if a.objectName() == name)
    menu.setActiveAction(action)
    action.trigger()
    menu.close()


def click_feed(qtbot, w, feed_id: int) -> None:  # noqa: ANN001
    index = w.sidebar.feed_index(feed_id)
    w.sidebar.scrollTo(index)
    qtbot.mouseClick(w.sidebar.viewport(), LEFT, pos=w.sidebar.visualRect(index).center())


def subscribed(db: Path, url: str, **kwargs: Any) -> int:
    """A feed subscribed (and fetched) before the window opens, as ``reader-cli feeds add`` does."""
    with Library(db) as lib, FeedService(lib, REAL_CLIENT(SMALL_LIMITS, trust_env=False)) as service:
        lib.set_setting("gui.seeded", True)
        feed, _ = service.add(url, **kwargs)
        service.client.close()
        return feed.id


# --- Add Feed -------------------------------------------------------------------------------------
def test_add_feed_looks_up_the_sites_feed_subscribes_into_a_folder_and_lists_its_articles(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    site = serve_site(server)
    populate(tmp_path / "library.db", 3)
    parts = make_window(tmp_path / "library.db")
    w = parts.window
    assert w.sidebar.add_button_index().isValid()  # the Feeds section is there, with its "+"
    press(qtbot, w, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = w.feeds.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    qtbot.keyClicks(dialog.url, site.page)
    qtbot.mouseClick(dialog.lookup, LEFT)
    qtbot.waitUntil(lambda: dialog.candidates.count() == 1, timeout=15_000)
    assert site.feed in dialog.candidates.item(0).text() and "RSS" in dialog.candidates.item(0).text()
    assert "1 feed found" in dialog.status.text()
    qtbot.keyClicks(dialog.folder.lineEdit(), "News")
    qtbot.mouseClick(dialog.subscribe, LEFT)
    qtbot.waitUntil(lambda: ("News", "Example Daily", "2") in w.sidebar.feed_entries(), timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    with Library(tmp_path / "library.db") as lib:
        (feed,) = lib.list_feeds()
    assert (feed.url, feed.site_url, feed.folder) == (site.feed, site.page, "News")
    # the window chose the new feed: its two articles are listed, full text from their pages
    qtbot.waitUntil(lambda: w.model.total() == 2, timeout=10_000)
    assert w.controller.view == ("feed", str(feed.id))
    sources = {w.model.summary_at(r).source for r in range(2)}
    assert sources == {"Example Daily"}
    qtbot.waitUntil(lambda: PARAGRAPHS[1] in w.reader_pane.plain_text(), timeout=5_000)
    # All articles: the 3 files and the 2 feed articles
    w.sidebar.select("view", "all")
    qtbot.waitUntil(lambda: w.model.total() == 5, timeout=10_000)


def test_add_feed_refuses_a_page_without_a_feed_in_one_line(make_window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                            server: FakeServer) -> None:
    server.route("/plain/", Reply(body=b"<html><head><title>x</title></head><body>hi</body></html>",
                                  content_type="text/html"))
    populate(tmp_path / "library.db", 1)
    w = make_window(tmp_path / "library.db").window
    qtbot.mouseClick(w.sidebar.viewport(), LEFT, pos=w.sidebar.visualRect(w.sidebar.add_button_index()).center())
    dialog = w.feeds.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    qtbot.keyClicks(dialog.url, server.url("/plain/"))
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.lookup.isEnabled() and "no feed found" in dialog.status.text().lower(),
                    timeout=20_000)
    assert "\n" not in dialog.status.text() and dialog.candidates.count() == 0
    dialog.reject()


# --- the sidebar's Feeds section ---------------------------------------------------------------------
def test_feed_context_menu_mark_all_read_is_undoable_and_unsubscribe_can_delete_its_articles(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    site = serve_site(server, count=3)
    db = tmp_path / "library.db"
    populate(db, 2)
    feed_id = subscribed(db, site.feed, folder="News")
    w = make_window(db).window
    qtbot.waitUntil(lambda: ("News", "Example Daily", "3") in w.sidebar.feed_entries(), timeout=10_000)
    choose(feed_menu(qtbot, w, feed_id), "feed_mark_read")
    qtbot.waitUntil(lambda: ("News", "Example Daily", "") in w.sidebar.feed_entries(), timeout=10_000)
    assert "Marked 3 articles of Example Daily read." in w.message_bar.text()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Undo
    qtbot.waitUntil(lambda: ("News", "Example Daily", "3") in w.sidebar.feed_entries(), timeout=10_000)
    # Unsubscribe…: the question offers keeping or deleting the articles
    choose(feed_menu(qtbot, w, feed_id), "feed_unsubscribe")
    box = w.feeds.dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    delete = next(b for b in box.buttons() if "Delete" in b.text())
    qtbot.mouseClick(delete, LEFT)
    qtbot.waitUntil(lambda: w.sidebar.feed_entries() == [], timeout=10_000)
    with Library(db) as lib:
        assert lib.list_feeds() == [] and len(lib.list_ids(ListFilter())) == 2  # the files stay
    assert "Unsubscribed from Example Daily: 3 articles deleted" in w.message_bar.text()


def test_a_failing_feed_shows_the_error_badge_with_its_reason_and_edit_changes_its_options(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    site = serve_site(server, count=1)
    db = tmp_path / "library.db"
    populate(db, 1)
    feed_id = subscribed(db, site.feed)
    server.route(site.feed_path, Reply(status=404, body=b"gone", content_type="text/plain"))
    w = make_window(db).window
    qtbot.waitUntil(lambda: w.sidebar.feed_index(feed_id).isValid(), timeout=10_000)
    choose(feed_menu(qtbot, w, feed_id), "feed_refresh")
    qtbot.waitUntil(lambda: w.sidebar.feed_entries() == [("", "Example Daily", "⚠ 1")], timeout=15_000)
    tip = w.sidebar.feed_index(feed_id).data(Qt.ItemDataRole.ToolTipRole)
    assert "Last error:" in tip and "404" in tip
    # Edit…: a new title and folder
    choose(feed_menu(qtbot, w, feed_id), "feed_edit")
    dialog = w.feeds.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert any("404" in label.text() for label in dialog.findChildren(QLabel))
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, "Bridges")
    qtbot.keyClicks(dialog.folder.lineEdit(), "City")
    dialog.accept()
    qtbot.waitUntil(lambda: [e[:2] for e in w.sidebar.feed_entries()] == [("City", "Bridges")], timeout=10_000)


# --- background refresh, new articles in place ------------------------------------------------------
def test_refresh_on_start_and_f5_bring_new_articles_into_the_list_without_moving_selection_or_scroll(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    db = tmp_path / "library.db"
    populate(db, 80, tags=False)
    items = [Item(f"urn:{n}", f"Feed story {n}", server.url(f"/p/{n}"), content=f"<p>{PARAGRAPHS[n % 4]} {n}</p>")
             for n in range(2)]
    feed = {"body": rss("Town News", items)}
    server.route("/feed.xml", lambda _seen: Reply(body=feed["body"], content_type="application/rss+xml"))
    with Library(db) as lib:  # subscribed, never fetched: due when the window opens
        feed_id = lib.add_feed(server.url("/feed.xml"), title="Town News", full_text="never").id
    w = make_window(db).window
    # refresh on start (the default): the feed's two articles come in by themselves
    qtbot.waitUntil(lambda: w.sidebar.feed_entries() == [("", "Town News", "2")], timeout=20_000)
    qtbot.waitUntil(lambda: w.model.total() == 82, timeout=10_000)
    assert w.feeds.timer.isActive() and w.feeds.timer.interval() == 30 * 60_000
    # the person reads far down the list
    w.article_list.select_row(60)
    qtbot.waitUntil(lambda: w.reader_pane.article_id() == w.model.id_at(60), timeout=5_000)
    bar = w.article_list.verticalScrollBar()
    bar.setValue(bar.value() + 10 * w.article_list.verticalHeader().defaultSectionSize())  # and on a bit
    assert bar.value() > 0 and w.article_list.rowAt(0) < 60 < w.article_list.rowAt(w.article_list.height() - 40)
    chosen = w.article_list.current_id()
    top = w.model.id_at(w.article_list.rowAt(0))
    # three new entries; F5 refreshes every feed
    items += [Item(f"urn:{n}", f"Feed story {n}", server.url(f"/p/{n}"), content=f"<p>{PARAGRAPHS[n % 4]} {n}</p>")
              for n in range(2, 5)]
    feed["body"] = rss("Town News", items)
    press(qtbot, w, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: w.model.total() == 85, timeout=20_000)
    qtbot.waitUntil(lambda: "Feeds refreshed: 3 new articles" in w.statusBar().currentMessage(), timeout=10_000)
    assert w.article_list.current_id() == chosen and w.reader_pane.article_id() == chosen
    assert w.model.id_at(w.article_list.rowAt(0)) == top  # the rows in view stayed where they were
    assert {w.model.summary_at(r).title for r in range(3)} == {"Feed story 4", "Feed story 3", "Feed story 2"}
    # the feed list (unread counts) is re-read after the refresh, on its own
    qtbot.waitUntil(lambda: w.sidebar.feed_entries() == [("", "Town News", "5")], timeout=10_000)
    click_feed(qtbot, w, feed_id)
    qtbot.waitUntil(lambda: w.model.total() == 5, timeout=10_000)


def test_a_hanging_server_never_freezes_the_window_and_cancel_stops_the_refresh(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    db = tmp_path / "library.db"
    populate(db, 3)
    server.route("/hang.xml", Reply(hang=True))
    with DeadServer() as dead, Library(db) as lib:
        for n in range(3):
            lib.add_feed(dead.url(f"/feed-{n}.xml"), title=f"Dead {n}")
        lib.add_feed(server.url("/hang.xml"), title="Hanging")
        lib.close()
        parts = make_window(db)
        w = parts.window
        w.set_preferences(Settings(refresh_feeds_on_start=False))
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(20)
        press(qtbot, w, Qt.Key.Key_F5)
        progress = w.feeds.progress
        qtbot.waitUntil(progress.isVisible, timeout=5_000)
        assert "Refreshing feeds" in progress.label.text()
        qtbot.wait(800)  # the fetches are stuck; the window goes on
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        assert ticks and max(gaps) < 0.5
        qtbot.mouseClick(progress.cancel, LEFT)
        started = time.monotonic()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=5_000)
        assert time.monotonic() - started < 3
        qtbot.waitUntil(lambda: "Refresh cancelled" in w.statusBar().currentMessage(), timeout=2_000)
        timer.stop()
        wait_idle(qtbot, parts)


# --- saved links -------------------------------------------------------------------------------------
def test_ctrl_v_a_drop_and_save_link_store_pages_and_say_already_in_the_library(
        make_window, qtbot, tmp_path: Path, server: FakeServer) -> None:  # noqa: ANN001
    for n in (1, 2):
        text = [f"Page {n} tells its own story."] + (PARAGRAPHS if n == 1 else PARAGRAPHS[::-1])
        server.route(f"/a/{n}.html", Reply(body=article_page(f"Saved page {n}", text), content_type="text/html"))
    db = tmp_path / "library.db"
    populate(db, 2)
    parts = make_window(db)
    w = parts.window
    QApplication.clipboard().setText(server.url("/a/1.html"))
    press(qtbot, w, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Saved “Saved page 1" in w.statusBar().currentMessage(), timeout=20_000)
    qtbot.waitUntil(lambda: w.model.total() == 3, timeout=10_000)
    press(qtbot, w, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # the same link again
    qtbot.waitUntil(lambda: "Already in the library: “Saved page 1" in w.statusBar().currentMessage(), timeout=20_000)
    # Ctrl+V while typing in the search box pastes there; nothing is saved
    w.search.field.setFocus()
    qtbot.keyClick(w.search.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert w.search.field.text() == server.url("/a/1.html")
    w.search.field.clear()
    # a link dropped on the window
    mime = QMimeData()
    mime.setUrls([QUrl(server.url("/a/2.html"))])
    enter = QDragEnterEvent(QPoint(400, 300), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    assert enter.isAccepted()  # a web address may be dropped (not only files)
    drop = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: "Saved “Saved page 2" in w.statusBar().currentMessage(), timeout=20_000)
    # File › Save Link… (Ctrl+L), the address typed
    QApplication.clipboard().setText("not a link")
    press(qtbot, w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = w.feeds.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.address() == ""
    qtbot.keyClicks(dialog.url, server.url("/a/2.html"))
    qtbot.mouseClick(dialog.save, LEFT)
    qtbot.waitUntil(lambda: "Already in the library: “Saved page 2" in w.statusBar().currentMessage(),
                    timeout=20_000)
    with Library(db) as lib:
        assert {lib.get_article(i).title for i in lib.list_ids(ListFilter())} >= {"Saved page 1", "Saved page 2"}
        assert len(lib.list_ids(ListFilter())) == 4


# --- OPML ----------------------------------------------------------------------------------------------
def test_opml_import_keeps_folders_shows_the_dead_feed_and_export_writes_them_back(
        make_window, qtbot, tmp_path: Path, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    site = serve_site(server, count=2)
    db = tmp_path / "library.db"
    populate(db, 1)
    with DeadServer() as dead:
        opml = tmp_path / "subs.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>'
            f'<outline text="News"><outline type="rss" text="Daily" xmlUrl="{site.feed}"/></outline>'
            f'<outline text="Tech"><outline type="rss" text="Dead one" xmlUrl="{dead.url("/rss")}"/></outline>'
            "</body></opml>", encoding="utf-8")
        out = tmp_path / "back"
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(opml), "")))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
        w = make_window(db).window
        file_menu = w.menuBar().actions()[0].menu()
        next(a for a in file_menu.actions() if a.text() == "Import &OPML…").trigger()
        qtbot.waitUntil(lambda: len(w.sidebar.feed_entries()) == 2, timeout=30_000)
        qtbot.waitUntil(lambda: "Imported 2 new feeds from OPML (1 could not be fetched" in w.message_bar.text(),
                        timeout=30_000)
        entries = w.sidebar.feed_entries()
        assert ("News", "Daily", "2") in entries and ("Tech", "Dead one", "⚠") in entries
        next(a for a in file_menu.actions() if a.text() == "Export O&PML…").trigger()
        qtbot.waitUntil(lambda: "Exported 2 feeds" in w.statusBar().currentMessage(), timeout=10_000)
    text = (tmp_path / "back.opml").read_text(encoding="utf-8")
    assert site.feed in text and 'text="News"' in text and 'text="Tech"' in text



def test_preferences_set_the_refresh_on_start_and_the_interval(make_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from reader.core.settings import load_settings
    from reader.gui.widgets.dialogs import PreferencesDialog

    populate(tmp_path / "library.db", 1)
    w = make_window(tmp_path / "library.db").window
    assert w.feeds.timer.isActive() and w.feeds.timer.interval() == 30 * 60_000  # the defaults
    dialog = PreferencesDialog(w.settings, w)
    assert dialog.refresh_on_start.isChecked()
    qtbot.mouseClick(dialog.refresh_on_start, LEFT)
    dialog.refresh_minutes.setValue(15)
    w.set_preferences(dialog.result_settings())
    assert w.feeds.timer.interval() == 15 * 60_000 and w.feeds.timer.isActive()
    saved = load_settings()
    assert (saved.refresh_feeds_on_start, saved.refresh_feeds_minutes) == (False, 15)
    dialog = PreferencesDialog(saved, w)
    dialog.refresh_minutes.setValue(0)  # "Never"
    assert dialog.refresh_minutes.text() == "Never"
    w.set_preferences(dialog.result_settings())
    assert not w.feeds.timer.isActive()
