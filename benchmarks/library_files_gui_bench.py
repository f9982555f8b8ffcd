"""File ▸ Export… / Back Up Library… / Restore… in a real (offscreen) window on a big library: how long
each takes and the longest the event loop stalled meanwhile (a 5 ms timer's largest gap).

    python benchmarks/generate_library.py --db /tmp/bench.db --count 20000
    QT_QPA_PLATFORM=offscreen python benchmarks/library_files_gui_bench.py --db /tmp/bench.db --out /tmp/bench-out

The window's own library is only read; the outputs go under ``--out`` (emptied first). The
interpreter runs with the settings ``reader`` uses (:func:`reader.gui.app.tune_process`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QTimer  # noqa: E402

from reader.core.models import ListFilter  # noqa: E402
from reader.gui.app import build, tune_process  # noqa: E402


def run(db: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    os.environ.setdefault("READER_CONFIG_DIR", str(out / "config"))
    os.environ.setdefault("READER_DATA_DIR", str(out / "data"))
    parts = build(db, theme="light")
    window = parts.window
    window.resize(1280, 800)
    window.show()
    done = {"ready": False}
    window.ready.connect(lambda: done.update(ready=True))
    window.start([])
    tune_process()
    while not done["ready"]:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    files = parts.window.controllers.files
    gaps = {"max": 0}
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        gaps["max"] = max(gaps["max"], clock.restart())

    ticker.timeout.connect(tick)

    def measure(name: str, start: object) -> None:
        result: dict[str, object] = {}
        files.finished.connect(lambda kind, r: result.update(kind=kind, r=r))
        files.failed.connect(lambda kind, msg: result.update(kind=kind, error=msg))
        gaps["max"] = 0
        clock.start()
        ticker.start()
        t0 = time.perf_counter()
        start()  # type: ignore[operator]
        while not result:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        elapsed = time.perf_counter() - t0
        ticker.stop()
        files.finished.disconnect()
        files.failed.disconnect()
        if "error" in result:
            print(f"{name}: failed: {result['error']}")
        else:
            print(f"{name}: {elapsed:.1f} s, longest event-loop stall {gaps['max']} ms")

    everything = ListFilter(archived=None, sort="added", descending=False)
    measure("backup", lambda: files.backup(out / "backup.zip"))
    measure("export JSON (all)", lambda: files.export(everything, "json", out / "all.json"))
    measure("export one Markdown file (all)", lambda: files.export(everything, "md_file", out / "all.md"))
    measure("export Markdown folder (all)", lambda: files.export(everything, "md_folder", out / "vault"))
    measure("restore into a new library", lambda: files.restore(out / "backup.zip", out / "restored.db"))
    window.close()
    parts.close()
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    print("sizes:", ", ".join(f"{k} {v / 2**20:.0f} MB" for k, v in sorted(sizes.items())))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    run(args.db, args.out)


if __name__ == "__main__":
    main()
