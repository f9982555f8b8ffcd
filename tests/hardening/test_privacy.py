"""Privacy of offline reading: rendering hostile articles and notes makes no request and runs no script,
Markdown notes are sanitized, and a clicked link asks before anything leaves the app.

Every hostile URL points at a loopback server that counts connections and requests; after rendering in
the real reader pane (Original, Translation, Side by side), the annotations panel and the highlight
cards, the count must be 0. The browser (QDesktopServices.openUrl) is replaced by a recorder and the
confirmation dialogs are answered programmatically.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl  # noqa: TID251 - a GUI test outside tests/gui
from PySide6.QtGui import QDesktopServices, QTextCursor  # noqa: TID251 - a GUI test outside tests/gui
from PySide6.QtWidgets import QApplication, QMessageBox, QTextBrowser  # noqa: TID251 - a GUI test outside tests/gui

from reader.cli import main as cli_main
from reader.core.library_ops import Annotations
from reader.core.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_to_html, sanitize_html
from reader.core.storage import Library
from reader.gui.widgets.annotations_panel import AnnotationsPanel
from reader.gui.widgets.reader_pane import ReaderPane
from reader.gui.widgets.selection_popup import SelectionPopup

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


# --- a loopback server that counts every connection and request ----------------------------------
class CountingServer:
    """HTTP on 127.0.0.1 (port 0) counting accepted connections and requests; answers a tiny PNG/CSS."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                with outer._lock:
                    outer.requests.append(self.path)
                body = b"body { background: url(/from-css.png) }"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request: object, client_address: object) -> bool:
                with outer._lock:
                    outer.connections += 1
                return True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def hits(self) -> int:
        with self._lock:
            return self.connections + len(self.requests)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[CountingServer]:
    s = CountingServer()
    yield s
    s.stop()


def test_the_counting_server_really_counts(server: CountingServer) -> None:
    """The zero counts below mean something only if a real request to the server is counted."""
    import urllib.request

    with urllib.request.urlopen(server.base + "/probe", timeout=5) as resp:
        assert resp.status == 200
    assert server.requests == ["/probe"] and server.connections == 1 and server.hits == 2


# --- hostile content -------------------------------------------------------------------------------
def hostile_page(base: str) -> str:
    return f"""<!doctype html><html><head><title>Hostile <b>page</b></title>
<link rel="canonical" href="{base}/canonical">
<link rel="stylesheet" href="{base}/style.css"><link rel="icon" href="{base}/favicon.ico">
<meta http-equiv="refresh" content="0; url={base}/refresh">
<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>
<script src="{base}/script.js"></script><script>fetch("{base}/fetch"); new Image().src="{base}/beacon";</script>
</head><body onload="fetch('{base}/onload')" background="{base}/body-bg.png">
<h1>Hostile page</h1>
<p>The sea is beautiful today, with <img src="{base}/img.png" srcset="{base}/img2x.png 2x" alt="pic"> an
image, <a href="javascript:fetch('{base}/js')">a script link</a> and
<a href="data:text/html,&lt;img src={base}/data&gt;">a data link</a>.</p>
<p style="background-image:url('{base}/inline.png')" onmouseover="fetch('{base}/over')">The second
paragraph is long enough to be kept by the extractor: the house is green and the tree is tall.</p>
<iframe src="{base}/frame" srcdoc="&lt;img src={base}/srcdoc&gt;"></iframe>
<p>Written as text: &lt;img src="{base}/escaped.png"&gt; &lt;link rel=stylesheet href="{base}/escaped.css"&gt;
<object data="{base}/object"></object><embed src="{base}/embed"><video src="{base}/v.mp4"
poster="{base}/poster.png"></video><audio src="{base}/a.mp3"></audio></p>
<svg><image href="{base}/svg.png"/></svg><form action="{base}/form"><input type="image" src="{base}/input.png"></form>
</body></html>"""


def hostile_markup(base: str) -> list[str]:
    """Raw HTML/Markdown a note, a translation or a future HTML view might carry."""
    return [
        f'<img src="{base}/n-img.png">',
        f"![alt text]({base}/n-md-img.png)",
        f'![ref][r]\n\n[r]: {base}/n-ref.png',
        f'<iframe src="{base}/n-frame"></iframe>',
        f'<script src="{base}/n-script.js"></script><script>fetch("{base}/n-fetch")</script>',
        f'<link rel="stylesheet" href="{base}/n-style.css">',
        f'<style>@import url({base}/n-import.css); p {{ background: url({base}/n-bg.png) }}</style>',
        f'<p style="background:url({base}/n-inline.png)">styled</p>',
        f'<a href="{base}/n-link" onclick="fetch(\'{base}/n-onclick\')">click</a>',
        f'<div onmouseover="fetch(\'{base}/n-over\')">hover</div>',
        f'<body onload="fetch(\'{base}/n-onload\')">x</body>',
        f"[js](javascript:fetch('{base}/n-js'))",
        f'<a href="JaVaScRiPt:fetch(\'{base}/n-js2\')">js mixed case</a>',
        f'<a href="&#106;avascript:fetch(\'{base}/n-js3\')">js entity</a>',
        "[data](data:text/html;base64,PGltZyBzcmM9Imh0dHA6Ly9ldmlsIj4=)",
        '<a href="file:///etc/passwd">file link</a>',
        '<img src="file:///etc/passwd">',
        f'<object data="{base}/n-object"></object><embed src="{base}/n-embed">',
        f'<video src="{base}/n-v.mp4" poster="{base}/n-poster.png"></video><audio src="{base}/n-a.mp3"></audio>',
        f'<svg><image href="{base}/n-svg.png"/></svg>',
        f'<math><mi xlink:href="{base}/n-math">x</mi></math>',
        f'<form action="{base}/n-form"><input type="image" src="{base}/n-input.png"></form>',
        f'<meta http-equiv="refresh" content="0; url={base}/n-refresh">',
        f'<base href="{base}/"><img src="relative.png">',
        f'<table background="{base}/n-table.png"><tr><td background="{base}/n-td.png">cell</td></tr></table>',
        f'<IMG SRC="{base}/n-upper.png"><iMg\nsrc="{base}/n-newline.png">',
        f'<<img src="{base}/n-double.png">',
        f'<img src=x onerror="fetch(\'{base}/n-onerror\')">',
        f'<!-- <img src="{base}/n-comment.png"> -->',
        f'```html\n<img src="{base}/n-code.png">\n```',
        f'<noscript><img src="{base}/n-noscript.png"></noscript>',
        f'<template><img src="{base}/n-template.png"></template>',
        f'<picture><source srcset="{base}/n-source.png"><img src="{base}/n-pic.png"></picture>',
    ]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_safe_html(out: str) -> None:
    """Only text tags, only href/title/align/start attributes, hrefs only http(s)/mailto/our own."""
    parser = _TagCollector()
    parser.feed(out)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, out)
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, out)
            if name == "href":
                assert (value or "").split(":", 1)[0].lower() in ("http", "https", "mailto", "polyglot-reader"), out
    assert "<!--" not in out


@pytest.mark.parametrize("index", range(len(hostile_markup("http://h"))))
def test_markdown_notes_with_raw_html_are_sanitized(index: int) -> None:
    base = "http://127.0.0.1:9"
    note = hostile_markup(base)[index]
    out = markdown_to_html(note)
    assert_safe_html(out)


def test_sanitizer_keeps_ordinary_notes_readable() -> None:
    out = markdown_to_html("**bold** _it_ `code`\n\n- a\n- b\n\n> quote\n\n[site](https://example.org/x?a=1)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |")
    for tag in ("<strong>bold</strong>", "<em>it</em>", "<code>code</code>", "<li>a</li>", "<blockquote>",
                "<table>", "<td>1</td>"):
        assert tag in out
    assert 'href="https://example.org/x?a=1"' in out and 'rel="noopener noreferrer nofollow"' in out
    assert markdown_to_html("![a cat](https://example.org/cat.png)") == "<p><span>[a cat]</span></p>"
    assert sanitize_html('<p onclick="x()">t</p>') == "<p>t</p>"


# --- the reader pane ---------------------------------------------------------------------------------
def _settle(qtbot, *widgets) -> None:  # noqa: ANN001
    """Lay out and paint (images/styles would be requested now), then give a request time to arrive."""
    for w in widgets:
        w.grab()
    QApplication.processEvents()
    qtbot.wait(150)


@pytest.fixture
def hostile_library(tmp_path: Path, server: CountingServer, capsys) -> tuple[Path, int]:  # noqa: ANN001
    page = tmp_path / "hostile.html"
    page.write_text(hostile_page(server.base), encoding="utf-8")
    db = tmp_path / "library.db"
    assert cli_main(["--db", str(db), "import", str(page)]) == 0  # the real importer
    out = capsys.readouterr().out
    assert "imported" in out
    with Library(db) as lib:
        ids = lib.list_ids()
    assert len(ids) == 1
    return db, ids[0]


def test_hostile_article_renders_without_a_single_request(qtbot, hostile_library, server) -> None:  # noqa: ANN001
    db, article_id = hostile_library
    with Library(db) as lib:
        article = lib.get_article(article_id)
    assert article.paragraphs and "The sea is beautiful" in article.body
    markup = hostile_markup(server.base)
    translated = [f"{markup[i % len(markup)]} translated {i}" for i in range(len(article.paragraphs))]
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    pane.show_article(article, translated, mode="original")
    pane.set_translation(translated, title=f'<img src="{server.base}/title.png"> title')
    seen_modes = []
    for mode in ("original", "translation", "side_by_side", "original"):
        pane.set_mode(mode)
        _settle(qtbot, pane, pane.browser.viewport())
        seen_modes.append(pane.mode())
        text = pane.plain_text()
        if mode != "original":  # markup arrives as text, shown literally, never interpreted
            assert f'<img src="{server.base}/n-img.png">' in text
    assert seen_modes == ["original", "translation", "side_by_side", "original"]
    pane.browser.verticalScrollBar().setValue(pane.browser.verticalScrollBar().maximum())
    _settle(qtbot, pane.browser.viewport())
    assert server.hits == 0, server.requests


def test_the_pane_browser_refuses_every_resource_even_for_raw_html(qtbot, server) -> None:  # noqa: ANN001
    """Defence in depth: should HTML ever reach the browser, loadResource still loads nothing."""
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    pane.browser.setVisible(True)
    local = f'<img src="file://{Path(__file__).resolve()}"><img src="qrc:/x.png">'
    raw = local + hostile_page(server.base) + "".join(hostile_markup(server.base))
    pane.browser.setHtml(raw)
    _settle(qtbot, pane.browser.viewport())
    assert server.hits == 0, server.requests
    refused = pane.browser.refused_resources
    assert f"{server.base}/img.png" in refused and f"{server.base}/n-img.png" in refused
    assert any(u.startswith("file:") for u in refused), "\n".join(refused)
    assert not pane.browser.openLinks() and not pane.browser.openExternalLinks()


def test_highlights_panel_with_hostile_notes_makes_no_request(qtbot, hostile_library, server) -> None:  # noqa: ANN001
    db, article_id = hostile_library
    markup = hostile_markup(server.base)
    with Library(db) as lib:
        notes = Annotations(lib)
        body = lib.get_article(article_id).body
        for i, note in enumerate(markup):
            start = body.index("sea") if i % 2 == 0 else body.index("house")
            notes.add_highlight(article_id, start, start + 3, note=note + f"\n\nnote {i}")
        notes.set_note(article_id, "\n\n".join(markup))
        highlights = notes.highlights_for_article(article_id)
        article_note = notes.get_note(article_id)
    assert len(highlights) == len(markup)
    panel = AnnotationsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    panel.set_article(article_id, highlights, article_note)
    _settle(qtbot, panel, panel.list.viewport())
    for h in highlights:  # each note in the editor's rendered preview
        panel.select_highlight(h.id)
        panel.note_editor.show_preview(True)
        _settle(qtbot, panel.note_editor.preview.viewport())
        assert_safe_html(panel.note_editor.preview_html())
    assert_safe_html(panel.article_note.preview_html())
    assert server.hits == 0, server.requests


def test_a_translated_selection_is_shown_as_text(qtbot, server) -> None:  # noqa: ANN001
    """The "Translate selection" bubble shows what a provider returned as plain text, never markup."""
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    popup = SelectionPopup(pane.browser)
    popup._text = "source"  # the selection the result belongs to
    answer = f'<img src="{server.base}/sel.png"><a href="javascript:x">x</a>'
    popup.show_result("source", answer)
    _settle(qtbot, popup)
    assert popup.result.textFormat() == Qt.TextFormat.PlainText and popup.result.text() == answer
    assert server.hits == 0


# --- links ask before leaving the app ----------------------------------------------------------------
class OpenRecorder:
    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(bytes(url.toEncoded().data()).decode("ascii"))
        return True


@pytest.fixture
def browser_opens(monkeypatch: pytest.MonkeyPatch) -> OpenRecorder:
    rec = OpenRecorder()
    monkeypatch.setattr(QDesktopServices, "openUrl", rec)
    return rec


def answer_dialog(button: QMessageBox.StandardButton | None, seen: list[tuple[str, str]]) -> None:
    """Answer the next modal message box (None: its Escape/Cancel) and record (title, text)."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        seen.append((box.windowTitle(), box.text()))
        if button is None:
            box.reject()
        else:
            box.button(button).click()
    QTimer.singleShot(0, poll)


def click_anchor(qtbot, browser: QTextBrowser, href: str) -> None:  # noqa: ANN001
    """A real mouse click on the first link to ``href`` in the browser's document."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().isAnchor() and frag.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + max(0, frag.length() // 2))
                rect = browser.cursorRect(cursor)
                browser.ensureCursorVisible()
                point = QPoint(rect.x() + 1, rect.center().y())
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href!r} in the document")


@pytest.fixture
def pane_with_link(qtbot, tmp_path: Path, capsys) -> Callable[[str], ReaderPane]:  # noqa: ANN001
    db = tmp_path / "links.db"
    src = tmp_path / "a.md"
    src.write_text("# Links\n\nThe sea is beautiful and the house is green, a paragraph to click near.\n",
                   encoding="utf-8")
    assert cli_main(["--db", str(db), "import", str(src)]) == 0
    capsys.readouterr()

    def make(url: str) -> ReaderPane:
        with Library(db) as lib:
            article = lib.update_article(lib.list_ids()[0], url=url)
        pane = ReaderPane()
        qtbot.addWidget(pane)
        pane.resize(900, 600)
        pane.show()
        pane.show_article(article)
        qtbot.waitExposed(pane)
        return pane
    return make


def test_clicking_a_web_link_asks_and_opens_only_when_accepted(qtbot, pane_with_link, browser_opens,  # noqa: ANN001
                                                               server) -> None:
    url = f"{server.base}/article?q=a%20b&x=1#frag"
    pane = pane_with_link(url)
    seen: list[tuple[str, str]] = []
    answer_dialog(QMessageBox.StandardButton.Cancel, seen)
    click_anchor(qtbot, pane.browser, url)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0][0] == "Open link?" and url in seen[0][1]  # the full URL, query and fragment too
    assert browser_opens.opened == []
    answer_dialog(QMessageBox.StandardButton.Open, seen)
    click_anchor(qtbot, pane.browser, url)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert browser_opens.opened == [url]
    assert server.hits == 0  # the recorder stands in for the browser: the app itself fetched nothing


@pytest.mark.parametrize("url", [
    "javascript:fetch('http://127.0.0.1:9/x')",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "vbscript:msgbox(1)",
])
def test_dangerous_links_are_refused_with_a_message(qtbot, pane_with_link, browser_opens, url: str) -> None:  # noqa: ANN001
    pane = pane_with_link(url)
    seen: list[tuple[str, str]] = []
    answer_dialog(QMessageBox.StandardButton.Ok, seen)
    click_anchor(qtbot, pane.browser, url)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0][0] == "Link not opened" and "only web" in seen[0][1]
    assert browser_opens.opened == []


def test_mailto_is_offered(qtbot, pane_with_link, browser_opens) -> None:  # noqa: ANN001
    pane = pane_with_link("mailto:someone@example.org")
    seen: list[tuple[str, str]] = []
    answer_dialog(QMessageBox.StandardButton.Open, seen)
    click_anchor(qtbot, pane.browser, "mailto:someone@example.org")
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert browser_opens.opened == ["mailto:someone@example.org"]


def test_a_link_in_a_note_asks_too(qtbot, browser_opens, server) -> None:  # noqa: ANN001
    panel = AnnotationsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 800)
    panel.show()
    panel.set_article(1, [], f"[the source]({server.base}/source) and [bad](javascript:alert(1))")
    panel.article_note.show_preview(True)
    qtbot.waitExposed(panel)
    preview = panel.article_note.preview
    assert not preview.openExternalLinks() and not preview.openLinks()
    seen: list[tuple[str, str]] = []
    answer_dialog(None, seen)  # Escape: nothing opens
    click_anchor(qtbot, preview, f"{server.base}/source")
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0][0] == "Open link?" and f"{server.base}/source" in seen[0][1]
    answer_dialog(QMessageBox.StandardButton.Open, seen)
    click_anchor(qtbot, preview, f"{server.base}/source")
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert browser_opens.opened == [f"{server.base}/source"]
    assert "javascript" not in preview.toHtml()  # the sanitizer already removed the bad link
    assert server.hits == 0


# --- articles with pictures (issue 11): every kind of image reference, opened in the real window ---
RED_PNG_NAME = "local-red.png"


def _png(color: str, width: int = 120, height: int = 80) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: TID251 - a GUI test outside tests/gui
    from PySide6.QtGui import QColor, QImage  # noqa: TID251 - a GUI test outside tests/gui

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def hostile_svg(base: str, local: Path) -> str:
    """An SVG that would fetch (or read from disk) if anything rendered it naively."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" '
            f'height="80"><style>@import url({base}/svg-import.css); rect {{ fill: url({base}/svg-fill.svg#p) }}'
            f'</style><rect width="120" height="80" fill="#00ff00"/>'
            f'<image href="{base}/svg-image.png" width="60" height="40"/>'
            f'<image xlink:href="{base}/svg-xlink.png" x="60" width="60" height="40"/>'
            f'<image xlink:href="{local.as_uri()}" y="40" width="120" height="40"/>'
            f'<use href="{base}/svg-use.svg#x"/><feImage href="{base}/svg-fe.png"/>'
            f'<a href="{base}/svg-link"><text y="20">x</text></a></svg>')


def picture_page(base: str) -> str:
    """A saved page whose pictures are remote, in srcset, CSS backgrounds and SVG with external
    references, beside one ordinary local picture (``page_files/ok.png``)."""
    return f"""<!doctype html><html><head><title>Pictures of every kind</title>
<style>.hero {{ background-image: url({base}/css-hero.jpg) }} @import url({base}/pic-import.css);</style>
<link rel="preload" as="image" href="{base}/preload.png"></head><body>
<article><h1>Pictures of every kind</h1>
<p>The first paragraph is long enough for the extractor to keep it: the harbour, the boats and the sea
in the morning light, with gulls over the water and nets drying on the quay.</p>
<figure><img src="page_files/ok.png" alt="an ordinary local picture"><figcaption>A local picture</figcaption></figure>
<p>A remote picture follows, and a tracker pixel after it; neither may be fetched when reading.</p>
<img src="{base}/remote.jpg" alt="a remote photo">
<img src="{base}/pixel.gif" width="1" height="1" alt="">
<img src="page_files/ok.png" srcset="{base}/srcset-1x.jpg 1x, {base}/srcset-2x.jpg 2x" alt="with srcset">
<picture><source srcset="{base}/source.webp" type="image/webp"><img src="{base}/picture.jpg" alt="picture element"></picture>
<div class="hero" style="background: url('{base}/inline-bg.jpg')"><p>A paragraph over a CSS background
picture, long enough to be kept by the extractor as its own paragraph of the article.</p></div>
<img src="page_files/external.svg" alt="an SVG with external references">
<img src="data:image/svg+xml;utf8,{hostile_svg(base, Path('/nonexistent.png')).replace('"', "'").replace('#', '%23')}" alt="data SVG">
<svg><image href="{base}/inline-svg.png"/></svg>
<p>The last paragraph closes the page: the sun goes down behind the lighthouse and the boats come home.</p>
</article></body></html>"""


@pytest.fixture
def picture_library(tmp_path: Path, server: CountingServer, capsys) -> tuple[Path, int, Path]:  # noqa: ANN001
    page = tmp_path / "page.html"
    files = tmp_path / "page_files"
    files.mkdir()
    (files / "ok.png").write_bytes(_png("#3366cc"))
    local = tmp_path / RED_PNG_NAME
    local.write_bytes(_png("#ff0000"))
    (files / "external.svg").write_text(hostile_svg(server.base, local), encoding="utf-8")
    page.write_text(picture_page(server.base), encoding="utf-8")
    db = tmp_path / "pictures.db"
    assert cli_main(["--db", str(db), "import", str(page)]) == 0  # the real importer
    capsys.readouterr()
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        ids = lib.list_ids()
    assert len(ids) == 1
    return db, ids[0], local


def _window(qtbot, db: Path):  # noqa: ANN001, ANN202
    from reader.gui.app import build

    parts = build(db, theme="light")
    qtbot.addWidget(parts.window)
    parts.window.resize(1280, 800)
    parts.window.show()
    with qtbot.waitSignal(parts.window.ready, timeout=60_000):
        parts.window.start([])
    return parts


def _read_through(qtbot, parts, article_id: int, server: CountingServer) -> None:  # noqa: ANN001
    """Open the article, let its pictures decode, read it in every mode, open each picture full size."""
    w = parts.window
    pane = w.reader_pane
    assert w.article_list.select_id(article_id)
    qtbot.waitUntil(lambda: pane.article_id() == article_id, timeout=5_000)
    qtbot.waitUntil(lambda: pane.pictures_pending() == 0 and parts.runner.pending() == 0, timeout=20_000)
    pane.set_translation_available(True)
    translated = [f"{p} (translated)" for p in pane.article().paragraphs]
    pane.set_translation(translated)
    for mode in ("original", "translation", "side_by_side", "original"):
        pane.set_mode(mode)
        qtbot.waitUntil(lambda: pane.pictures_pending() == 0 and parts.runner.pending() == 0, timeout=20_000)
        bar = pane.browser.verticalScrollBar()
        for k in range(6):
            bar.setValue(bar.maximum() * k // 5)
            _settle(qtbot, pane.browser.viewport())
    for fig in pane.figures():
        bar = pane.browser.verticalScrollBar()
        bar.setValue(0)
        QApplication.processEvents()
        bar.setValue(max(0, pane.figure_rect(fig).top() - 20))
        QApplication.processEvents()
        qtbot.mouseClick(pane.browser.viewport(), Qt.MouseButton.LeftButton, pos=pane.figure_rect(fig).center())
        qtbot.waitUntil(lambda f=fig: pane.picture_viewer is not None and pane.picture_viewer.sha == f.sha
                        and pane.picture_viewer.isVisible(), timeout=5_000)
        qtbot.waitUntil(lambda: parts.runner.pending() == 0, timeout=10_000)
        _settle(qtbot, pane.picture_viewer)
        pane.picture_viewer.close()
    assert server.hits == 0, server.requests


def test_an_article_with_pictures_of_every_kind_makes_no_request(qtbot, picture_library, server) -> None:  # noqa: ANN001
    db, article_id, _local = picture_library
    with Library(db) as lib:
        article = lib.get_article(article_id)
    assert "The first paragraph" in article.body
    parts = _window(qtbot, db)
    try:
        _read_through(qtbot, parts, article_id, server)
        pane = parts.window.reader_pane
        # whatever was stored is drawn from the library; the remote ones are placeholders, never fetched
        for fig in pane.figures():
            assert pane.shown_picture(fig.sha) is not None or fig.alt
        assert not [u for u in pane.browser.refused_resources if "127.0.0.1" in u]  # never even asked
    finally:
        parts.window.close()
        parts.close()
    assert server.hits == 0, server.requests


def test_a_stored_svg_with_external_references_is_never_rendered_with_them(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                             server) -> None:
    """Defence in depth: an SVG stored with external references (the importer leaves those out)
    is not decoded at all: no request, and no file of the disk drawn into it."""
    from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage

    local = tmp_path / RED_PNG_NAME
    local.write_bytes(_png("#ff0000"))
    svg = hostile_svg(server.base, local).encode()
    db = tmp_path / "svg.db"
    paras = ("A paragraph before the picture, with enough words to read.", "The caption of the SVG.")
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        out = lib.add_article(ParsedArticle(
            title="Stored SVG", paragraphs=paras,
            blocks=(ParsedBlock("paragraph", paras[0]), ParsedBlock("image", paras[1], image=0, alt="svg"),
                    *(ParsedBlock("image", "", image=i, alt=f"remote {i}") for i in range(1, 5))),
            images=(ParsedImage("page_files/x.svg", svg, "image/svg+xml", 120, 80, "svg"),
                    # kept as "not available" by storage: never fetched when the article is read
                    ParsedImage(f"{server.base}/remote.jpg", reason="remote"),
                    ParsedImage(f"{server.base}/a.jpg 1x, {server.base}/b.jpg 2x", reason="srcset"),
                    ParsedImage(f"url({server.base}/css-bg.jpg)", reason="css"),
                    ParsedImage(f"data:image/svg+xml,<svg><image href='{server.base}/d.png'/></svg>", reason="svg"))),
            LanguageGuess("en", 0.99))
    assert out.article_id is not None
    parts = _window(qtbot, db)
    try:
        _read_through(qtbot, parts, out.article_id, server)
        pane = parts.window.reader_pane
        figs = pane.figures()
        assert len(figs) == 1 and pane.shown_picture(figs[0].sha) is None  # refused: its box stays empty
        assert pane.plain_text().count("Picture not available offline: remote") == 4
    finally:
        parts.window.close()
        parts.close()
    assert server.hits == 0, server.requests
