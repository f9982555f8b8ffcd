"""Make ``docs/screenshot-feeds.png``: the window with its Feeds section (folders, unread counts, an
error badge), an article that came in from a feed (full text and picture from its page), and a
background refresh in progress with Cancel in the status bar.

    Xvfb :98 & DISPLAY=:98 python benchmarks/make_feeds_screenshot.py [--out docs/screenshot-feeds.png]
    python benchmarks/make_feeds_screenshot.py --offscreen          # no display: Qt's offscreen platform

Everything is local: the five seeds, three small sites served on 127.0.0.1 (pages that link their RSS
feeds; summary-only entries, so every article's page is fetched), a feed whose server is gone (its
⚠ badge), and one slow feed that keeps the refresh running while the window is grabbed.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SITES = {
    "/daily": ("Example Daily", "News", [
        ("The old river bridge will be rebuilt", [
            "The city council voted on Tuesday to rebuild the old river bridge, ending a debate that had "
            "lasted for more than a decade and divided the neighbourhoods on both banks.",
            "Engineers told the council that the structure, opened in 1911, could no longer carry buses "
            "safely, and that repairs would cost almost as much as a new span with room for bicycles.",
            "Work is expected to begin next spring, with a temporary footbridge kept open throughout.",
        ]),
        ("Night trains return to the northern line", [
            "For the first time in twenty years, a sleeper train will leave the central station at ten in "
            "the evening and reach the coast before breakfast.",
            "The operator said the carriages were bought second-hand and refitted over the summer.",
        ]),
    ]),
    "/harbour": ("Harbour Times", "News", [
        ("Fishermen mend their nets before the winter storms", [
            "On the quay the nets are spread out on wooden frames, and the older men show the younger ones "
            "how to close a tear without a knot that slips.",
            "The harbour master expects the first storm of the season at the end of the week.",
        ]),
    ]),
    "/wire": ("Baltic Wire", "World", [
        ("Ferry timetable cut as fuel prices rise", [
            "The ferry company will sail twice a day instead of four times from January, citing the price "
            "of fuel and fewer passengers outside the summer months.",
            "Island councils said they would ask the ministry to treat the route as a public service.",
        ]),
        ("A library opens in the old customs house", [
            "The customs house by the port, empty since 2004, reopened on Saturday as a public library "
            "with a reading room overlooking the water.",
        ]),
    ]),
}


def picture(seed: int) -> bytes:
    """A landscape-ish gradient with a sun and hills (drawn here: no photo of unknown licence)."""
    import io

    from PIL import Image, ImageDraw

    w, h = 960, 420
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    top, bottom = [(70, 110, 170), (200, 120, 80), (60, 130, 120)][seed % 3], (240, 220, 190)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    draw.ellipse([w * 0.68, h * 0.18, w * 0.68 + 90, h * 0.18 + 90], fill=(250, 235, 180))
    for k, shade in enumerate(((60, 80, 70), (40, 60, 55))):
        base = h * (0.62 + 0.12 * k)
        draw.polygon([(0, h), (0, base), (w * 0.3, base - 60 + 30 * k), (w * 0.6, base + 10),
                      (w, base - 40), (w, h)], fill=shade)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def serve_sites(server: object) -> list[tuple[str, str]]:
    """Register each site's page (linking its feed), its summary-only feed, article pages and pictures;
    returns (site page URL, folder)."""
    from tests.core.feeds.conftest import Reply
    from tests.helpers.feed_sites import Item, article_page, rss

    out = []
    n = 0
    for prefix, (title, feed_folder, stories) in SITES.items():
        items = []
        for k, (heading, paragraphs) in enumerate(stories, 1):
            n += 1
            page = f"{prefix}/story-{k}.html"
            server.route(page, Reply(body=article_page(heading, paragraphs, picture=f"pic-{k}.png")  # type: ignore[attr-defined]
                                     .replace(b"Example Daily", title.encode()),
                                     content_type="text/html; charset=utf-8"))
            server.route(f"{prefix}/pic-{k}.png", Reply(body=picture(n), content_type="image/png"))  # type: ignore[attr-defined]
            items.append(Item(f"urn:{prefix}:{k}", heading, server.url(page),  # type: ignore[attr-defined]
                              summary=paragraphs[0][:80] + "… Read more"))
        server.route(f"{prefix}/feed.xml", Reply(body=rss(title, items), content_type="application/rss+xml"))  # type: ignore[attr-defined]
        server.route(f"{prefix}/", Reply(body=(  # type: ignore[attr-defined]
            f'<!doctype html><html><head><title>{title}</title><link rel="alternate" '
            f'type="application/rss+xml" href="feed.xml"></head><body><h1>{title}</h1></body></html>').encode(),
            content_type="text/html"))
        out.append((server.url(f"{prefix}/"), feed_folder))  # type: ignore[attr-defined]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot-feeds.png")
    ap.add_argument("--offscreen", action="store_true")
    args = ap.parse_args()
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    folder = Path(tempfile.mkdtemp(prefix="feeds-shot-"))
    os.environ.setdefault("READER_CONFIG_DIR", str(folder / "config"))
    os.environ.setdefault("READER_DATA_DIR", str(folder / "data"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)

    from PySide6.QtCore import QEventLoop, QTimer

    from reader.core.feeds.service import FeedService
    from reader.core.importing import import_paths
    from reader.core.settings import Settings
    from reader.core.storage import Library
    from reader.gui.app import build, ensure_qapplication
    from tests.core.feeds.conftest import FakeServer, Reply
    from tests.helpers.feed_sites import Item, rss

    server = FakeServer()
    server.start()
    db = folder / "library.db"
    with Library(db) as lib:
        import_paths(lib, [REPO / "seeds"])
        service = FeedService(lib)
        for page, feed_folder in serve_sites(server):
            service.add(page, folder=feed_folder)
        dead = f"http://127.0.0.1:{_closed_port()}/night.xml"
        feed = lib.add_feed(dead, title="Night Desk", folder="World")
        service.refresh([feed.id])  # refused: its ⚠ badge and last error
        slow = server.route("/slow.xml", Reply(body=rss("Evening Post", [Item("urn:e:1", "Later", server.url("/x"))]),
                                               content_type="application/rss+xml", delay=30))
        lib.add_feed(slow, title="Evening Post")
        service.close()

    app = ensure_qapplication()
    parts = build(db, theme="light", settings=Settings(refresh_feeds_on_start=False))
    w = parts.window
    w._restore_article = None
    w.resize(1280, 800)
    w.show()
    loop = QEventLoop()
    w.ready.connect(loop.quit)
    w.start([])
    loop.exec()

    def wait(ms: int) -> None:
        pause = QEventLoop()
        QTimer.singleShot(ms, pause.quit)
        pause.exec()

    wait(300)
    model = w.model
    row = next((r for r in range(model.total()) if (s := model.summary_at(r)) is not None
                and s.title.startswith("Fishermen")), 0)
    w.article_list.select_row(row)
    wait(1200)
    w.controllers.feeds.refresh()  # the slow feed keeps it running: progress and Cancel in the status bar
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not w.controllers.feeds.refreshing():
        wait(100)
    wait(2500)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(str(args.out))
    w.controllers.feeds.cancel_refresh()
    wait(500)
    w.close()
    parts.close()
    app.processEvents()
    server.close()
    print(f"{args.out}: {'written' if ok else 'NOT written'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
