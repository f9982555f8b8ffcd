"""Highlights GUI benchmark (issue 5, "Speed") and the highlights screenshot.

    python benchmarks/gui_annotations_bench.py --highlights 20000
    python benchmarks/gui_annotations_bench.py --screenshot docs/screenshot-highlights.png

Builds a real library in a temporary folder (2,000 articles, N highlights spread over them, a quarter
with Markdown notes, some tagged), opens the real window offscreen and measures:

* All highlights: open (action -> first page of cards painted; the view is re-opened each run);
* All highlights: a search typed into its box -> result cards painted;
* All highlights: scrolling to the end of a 500-row stretch (lazy pages of 100 fetched off the GUI thread);
* an article with 200 highlights: shown -> highlights re-anchored, loaded and drawn.

Prints a Markdown table (median and worst of the runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = "președintele belarus lukașenko a declarat joi la moscova relațiile de alianță economie energie".split()


def make_library(db: Path, articles: int, highlights: int) -> tuple[int, int]:
    """A library with ``articles`` articles and ``highlights`` highlights; returns (article with 200
    highlights, seconds taken)."""
    from reader.core.library_ops import Annotations
    from reader.core.models import LanguageGuess, ParsedArticle
    from reader.core.storage import Library

    t0 = time.perf_counter()
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        ids: list[int] = []
        with lib.write():
            for i in range(articles):
                paras = tuple(
                    " ".join(WORDS[(i + p + k) % len(WORDS)] for k in range(40)) + f" numărul {i} paragraf {p}."
                    for p in range(8)
                )
                out = lib.add_article(ParsedArticle(title=f"Article {i:05d}", paragraphs=paras,
                                                    published=f"2025-{1 + i % 12:02d}-01", source="Bench"),
                                      LanguageGuess(("ro", "lt", "en")[i % 3], 0.9))
                assert out.article_id is not None
                ids.append(out.article_id)
        ann = Annotations(lib)
        big = ids[0]
        body = lib.get_article(big).body
        with lib.write():
            # 200 on the first article, the rest spread over the others
            for n in range(200):
                s = (n * 37) % (len(body) - 30)
                while body[s].isspace():
                    s += 1
                ann.add_highlight(big, s, s + 12, color=("yellow", "green", "blue", "pink", "purple")[n % 5])
            bodies = {aid: lib.get_article(aid).body for aid in ids[1:]}
            for n in range(highlights - 200):
                aid = ids[1 + n % (len(ids) - 1)]
                a_body = bodies[aid]
                s = (n * 53) % (len(a_body) - 40)
                while a_body[s].isspace():
                    s += 1
                note = f"**Note {n}**: see also _{WORDS[n % len(WORDS)]}_" if n % 4 == 0 else None
                tags = ("review",) if n % 10 == 0 else ()
                ann.add_highlight(aid, s, s + 25, color=("yellow", "green", "blue", "pink", "purple")[n % 5],
                                  note=note, tags=tags)
    return big, time.perf_counter() - t0


def bench(highlights: int, runs: int) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtTest import QTest

    from reader.gui.app import build, ensure_qapplication

    tmp = Path(tempfile.mkdtemp(prefix="ann-bench-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    db = tmp / "lib.db"
    big, built_s = make_library(db, 2000, highlights)
    app = ensure_qapplication()
    parts = build(db, theme="light")
    w = parts.window
    w.resize(1280, 800)
    w.show()
    ready = {"v": False}
    w.ready.connect(lambda: ready.__setitem__("v", True))
    w.start([])
    _wait(app, lambda: ready["v"], 60)

    class Painted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.hit = False

        def eventFilter(self, obj, event):  # noqa: ANN001, ANN201, N802
            if event.type() == QEvent.Type.Paint:
                self.hit = True
            return False

    ui = w.annotations
    open_ms: list[float] = []
    for _ in range(runs):
        if ui.highlights_view is not None:
            ui.highlights_view.close()
            ui.highlights_view.model.set_rows([], 0)
            app.processEvents()
        probe = Painted()
        t0 = time.perf_counter()
        view = ui.open_all_highlights()
        view.list.viewport().installEventFilter(probe)
        _wait(app, lambda v=view, p=probe: v.model.rowCount() > 0 and p.hit, 30)
        open_ms.append((time.perf_counter() - t0) * 1000)
        view.list.viewport().removeEventFilter(probe)
    view = ui.highlights_view
    assert view is not None
    total = view.model.total()
    search_ms: list[float] = []
    for word in ("lukasenko", "energie", "numarul", "alianta", "note"):
        view.search.clear()
        _wait(app, lambda v=view: not v._debounce.isActive() and parts.runner.pending() == 0, 30)
        probe = Painted()
        view.list.viewport().installEventFilter(probe)
        t0 = time.perf_counter()
        QTest.keyClicks(view.search, word)
        _wait(app, lambda v=view, p=probe, t=word: v.search.text() == t and not v._debounce.isActive()
              and parts.runner.pending() == 0 and p.hit, 30)
        search_ms.append((time.perf_counter() - t0) * 1000)
        view.list.viewport().removeEventFilter(probe)
    view.search.clear()
    view.reload()
    _wait(app, lambda: parts.runner.pending() == 0, 30)
    t0 = time.perf_counter()
    while view.model.rowCount() < 500:
        view.list.scrollToBottom()
        app.processEvents()
    scroll_ms = (time.perf_counter() - t0) * 1000
    # an article with 200 highlights: shown -> drawn
    show_ms: list[float] = []
    other = w.model.id_at(1) if w.model.id_at(0) == big else w.model.id_at(0)
    for _ in range(runs):
        w.show_article_id(other)
        _wait(app, lambda: parts.runner.pending() == 0, 30)
        t0 = time.perf_counter()
        w.show_article_id(big)
        _wait(app, lambda: len(ui.layer._ranges) >= 150 and parts.runner.pending() == 0, 30)
        show_ms.append((time.perf_counter() - t0) * 1000)
    view.close()
    w.close()
    parts.close()

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {statistics.median(values):.0f} ms | {max(values):.0f} ms |"

    print(f"\nLibrary: 2,000 articles, {total:,} highlights (built in {built_s:.1f} s)\n")
    print("| measure | median | worst |")
    print("|---|---|---|")
    print(row(f"All highlights: open -> first cards painted ({runs} runs)", open_ms))
    print(row("All highlights: search typed -> cards painted (5 words, debounce 200 ms included)", search_ms))
    print(f"| All highlights: scroll through 500 rows (5 lazy pages) | {scroll_ms:.0f} ms | |")
    print(row(f"Article with 200 highlights: shown -> re-anchored, loaded, drawn ({runs} runs)", show_ms))


def screenshot(out: Path) -> None:
    """A seed article with two highlights and notes, the panel open."""
    from reader.core.library_ops import Annotations
    from reader.core.storage import Library
    from reader.gui.app import build, ensure_qapplication

    tmp = Path(tempfile.mkdtemp(prefix="ann-shot-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    db = tmp / "lib.db"
    app = ensure_qapplication()
    parts = build(db, theme="light")
    w = parts.window
    w._restore_article = None
    w.resize(1440, 860)
    w.show()
    ready = {"v": False}
    w.ready.connect(lambda: ready.__setitem__("v", True))
    w.start([])
    _wait(app, lambda: ready["v"], 120)
    with Library(db) as lib:
        ann = Annotations(lib)
        target = next(s for s in (lib.get_article(i) for i in lib.list_ids())
                      if "Lukaşenko" in s.body and "Oreşnik" in s.body)
        h1, _ = ann.add_highlight_by_quote(
            target.id, "sistemele de rachete balistice Oreşnik, de fabricaţie rusă, au fost amplasate în Belarus "
                       "în decembrie 2025", color="yellow",
            note="**Oreshnik** deployment confirmed — compare with the *Dec 2025* statements.\n\n- source: EFE")
        ann.add_highlight_by_quote(target.id, "procesul de aprofundare a integrării între cele două state ale "
                                              "noastre este logic, natural şi reciproc avantajos", color="green",
                                   note="Putin's framing of integration")
        ann.set_note(target.id, "Summit of the **Supreme State Council**, Kremlin. Follow up on the security "
                                "guarantees agreement.")
    ui = w.annotations
    ui.dock.show()
    w.article_list.select_id(target.id)
    _wait(app, lambda: ui.layer.article_id == target.id and len(ui.layer._ranges) == 2
          and parts.runner.pending() == 0, 30)
    ui.panel.select_highlight(h1.id)
    ui.jump_to(h1.id)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)
    out.parent.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(out))
    w.close()
    parts.close()
    print(f"wrote {out}")


def _wait(app: object, cond: object, timeout_s: float) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.perf_counter() + timeout_s
    while not cond():  # type: ignore[operator]
        QCoreApplication.processEvents()
        time.sleep(0.001)
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--highlights", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
    else:
        bench(args.highlights, args.runs)


if __name__ == "__main__":
    main()
