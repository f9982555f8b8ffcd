"""An article with 20 pictures of ~1 MB in the reader window (issue 11): open to painted, the pictures
filling in, and the longest stall while scrolling through it.

    python benchmarks/rich_reader_bench.py              # makes its own library in a temporary folder
    python benchmarks/rich_reader_bench.py --rounds 10 --pictures 20

The library holds a few plain articles and one article of 20 JPEG photos-like pictures (noise over a
gradient: ~1 MB each at 1600x1200, the size a saved page's photos have), each between paragraphs,
with captions. Offscreen, a real event loop (as the app runs). Per round:

* **open → painted**: selecting the article in the list until its text is painted (the pictures'
  boxes drawn at their size, empty until decoded): select + a synchronous repaint of the body;
* **pictures in**: until every picture is decoded (on the ``read`` lane) and shown;
* **longest stall while scrolling**: a 5 ms timer probe while the body is scrolled from top to
  bottom in 40 steps (one every 15 ms), the pictures arriving meanwhile (first opening: cold) and
  again with them cached (a second pass).

Switching to another article between rounds drops the pane's picture requests, not its cache: the
first round is cold (nothing decoded), the others open from the cache (``--cold`` clears it each
round). Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_jpeg(seed: int, width: int = 1600, height: int = 1200, target: int = 1_000_000) -> bytes:
    """A photo-like JPEG of about ``target`` bytes (a gradient with noise compresses like a photo)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    rnd = random.Random(seed)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    p = QPainter(image)
    grad = QLinearGradient(0, 0, width, height)
    grad.setColorAt(0, QColor.fromHsv(rnd.randrange(360), 160, 230))
    grad.setColorAt(1, QColor.fromHsv(rnd.randrange(360), 200, 120))
    p.fillRect(0, 0, width, height, grad)
    noise = QImage(rnd.randbytes(width * height * 4), width, height, width * 4, QImage.Format.Format_RGB32)
    p.setOpacity(0.34)
    p.drawImage(0, 0, noise)
    p.end()
    best = b""
    for quality in (92, 88, 84, 80, 75, 70, 60):
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "JPEG", quality)
        buf.close()
        best = bytes(data.data())
        if len(best) <= target * 1.1:
            break
    return best


def build_library(db: Path, pictures: int) -> tuple[int, int, int]:
    """(rich article id, another article id, bytes of pictures stored)."""
    from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
    from reader.core.storage import Library

    paragraphs: list[str] = []
    blocks: list[ParsedBlock] = []
    images: list[ParsedImage] = []
    total = 0
    for i in range(pictures):
        text = (f"Paragraph {i} of the photo essay: the sea, the harbour and the boats in the morning "
                f"light, written long enough to wrap over a few lines of the reading measure. ") * 2
        paragraphs.append(text.strip())
        blocks.append(ParsedBlock("heading" if i % 5 == 0 else "paragraph", text.strip(), level=2))
        data = make_jpeg(i)
        total += len(data)
        images.append(ParsedImage(f"essay_files/photo{i}.jpg", data, "image/jpeg", 1600, 1200, f"Photo {i}"))
        caption = f"Photo {i}: the harbour at dawn."
        paragraphs.append(caption)
        blocks.append(ParsedBlock("image", caption, image=i, alt=f"Photo {i}"))
    paragraphs.append("The end of the essay.")
    blocks.append(ParsedBlock("paragraph", "The end of the essay."))
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        other = lib.add_article(ParsedArticle(title="A plain article", paragraphs=("One paragraph.", "Two.")),
                                LanguageGuess("en", 0.99))
        rich = lib.add_article(ParsedArticle(title="Photo essay", paragraphs=tuple(paragraphs), blocks=tuple(blocks),
                                             images=tuple(images)), LanguageGuess("en", 0.99))
    assert rich.article_id is not None and other.article_id is not None
    return rich.article_id, other.article_id, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--pictures", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="clear the decoded-picture cache every round")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="rich-bench-"))
    os.environ["READER_CONFIG_DIR"] = str(home / "config")
    os.environ["READER_DATA_DIR"] = str(home / "data")

    from PySide6.QtCore import QEventLoop, QTimer

    from reader.gui.app import build, ensure_qapplication

    app = ensure_qapplication([])
    db = home / "rich.db"
    t = time.perf_counter()
    rich_id, other_id, stored = build_library(db, args.pictures)
    print(f"library: {args.pictures} pictures, {stored / 1e6:.1f} MB of JPEG, file {db.stat().st_size / 1e6:.1f} MB "
          f"(built in {time.perf_counter() - t:.1f} s)")
    parts = build(db, theme="light")
    w = parts.window
    w.resize(1280, 800)
    w.show()
    loop = QEventLoop()
    w.ready.connect(loop.quit)
    w.start([])
    loop.exec()
    parts.controller.dwell_ms = 10**9
    pane = w.reader_pane

    def wait(cond, timeout: float = 60.0) -> None:  # noqa: ANN001
        end = time.perf_counter() + timeout
        while not cond() and time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)

    def scroll_stall() -> float:
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        probe = QTimer()
        probe.timeout.connect(tick)
        probe.start(5)
        bar = pane.browser.verticalScrollBar()
        steps = 40
        for k in range(steps + 1):
            bar.setValue(round(bar.maximum() * k / steps))
            end = time.perf_counter() + 0.015
            while time.perf_counter() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        probe.stop()
        return 1000 * max(gaps) if gaps else 0.0

    opens, fills, stalls_cold, stalls_warm = [], [], [], []
    for r in range(args.rounds):
        assert w.article_list.select_id(other_id)
        wait(lambda: pane.article_id() == other_id)
        wait(lambda: not parts.controller.runner.pending(), 10)
        if args.cold or r == 0:
            pane.picture_cache = type(pane.picture_cache)()
        cold = len(pane.picture_cache) == 0
        app.processEvents()
        settled: list[float] = []
        pane.pictures_settled.connect(lambda: settled.append(time.perf_counter()))  # noqa: B023 - waited for inside this iteration
        t0 = time.perf_counter()
        assert w.article_list.select_id(rich_id)
        pane.browser.viewport().repaint()
        opens.append((time.perf_counter() - t0) * 1000)
        stall = scroll_stall()
        wait(lambda: pane.pictures_pending() == 0)
        fills.append(((settled[-1] if settled else t0) - t0) * 1000 if settled else opens[-1])
        pane.pictures_settled.disconnect()
        (stalls_cold if cold else stalls_warm).append(stall)
        pane.browser.verticalScrollBar().setValue(0)
        stalls_warm.append(scroll_stall())
    shown = sum(1 for f in pane.figures() if pane.shown_picture(f.sha) is not None)
    cache_mb = pane.picture_cache.bytes() / 1e6
    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| open → text painted, {args.pictures} pictures of ~1 MB (boxes at their size) | median "
          f"{statistics.median(opens):.0f} ms, worst {max(opens):.0f} ms ({args.rounds} rounds; first, cold: "
          f"{opens[0]:.0f} ms) | ≤ 100 ms |")
    print(f"| open → every picture decoded and shown (two read threads; the body scrolled meanwhile) | "
          f"cold {fills[0]:.0f} ms; decoded before: {statistics.median(fills[1:] or fills):.0f} ms (at open) | |")
    print(f"| longest stall scrolling through it while the pictures arrive (5 ms probe) | "
          f"{max(stalls_cold or [0]):.0f} ms | ≤ 100 ms |")
    print(f"| longest stall scrolling through it, pictures decoded | median {statistics.median(stalls_warm):.0f} ms, "
          f"worst {max(stalls_warm):.0f} ms | ≤ 100 ms |")
    print(f"| decoded pictures kept (bounded cache) | {len(pane.picture_cache)} pictures, {cache_mb:.0f} MB "
          f"({shown}/{len(pane.figures())} shown) | ≤ 160 MB |")
    w.close()
    parts.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
