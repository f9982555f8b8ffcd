"""Mark All as Read in the window on a big library (issue 13): how long, and what it costs the rest.

    python benchmarks/generate_library.py --db /tmp/bench.db --count 100000
    python benchmarks/reading_gui_bench.py --db /tmp/bench.db

Opens the window (offscreen) on the library's All view and presses Mark All as Read; reports the
time until "Marked N articles read.", how long a star pressed 3 s into it waited for the writer
lane, the longest GUI event-loop stall meanwhile (a 10 ms timer probe), then the time of the Undo.
The user's settings and window state go to a temporary folder; the library ends as it began.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="reading-bench-")
    os.environ["READER_CONFIG_DIR"] = f"{home}/config"
    os.environ["READER_DATA_DIR"] = f"{home}/data"

    from PySide6.QtCore import QEventLoop, QTimer

    from reader.gui.app import build, ensure_qapplication

    ensure_qapplication([])
    parts = build(args.db, theme="light")
    w, c = parts.window, parts.controller
    w.resize(1280, 800)
    w.show()
    loop = QEventLoop()
    w.ready.connect(loop.quit)
    w.start([])
    loop.exec()
    result: dict[str, float] = {}
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    probe = QTimer()
    probe.timeout.connect(tick)
    probe.start(10)
    t0 = time.perf_counter()

    def marked(changed: int, total: int) -> None:
        result.update(changed=changed, total=total, seconds=time.perf_counter() - t0)
        loop.quit()

    starred_id = w.model.id_at(5)
    was_starred = c.library.get_article(starred_id).starred

    def star() -> None:
        sent = time.perf_counter()
        c.runner.write(lambda ctx: ctx.library.set_flags([starred_id], starred=not was_starred),
                       lambda _: result.__setitem__("star", time.perf_counter() - sent))

    c.marked_read.connect(marked)
    QTimer.singleShot(3000, star)
    w.reading.mark_all_read()
    loop.exec()
    probe.stop()
    print(f"mark all read: {result['changed']:,} of {result['total']:,} in {result['seconds']:.1f} s; "
          f"a star pressed meanwhile waited {result.get('star', float('nan')):.2f} s; "
          f"longest GUI stall {1000 * max(gaps):.0f} ms")
    t0 = time.perf_counter()

    def idle(busy: bool) -> None:
        if not busy:
            result["undo"] = time.perf_counter() - t0
            loop.quit()

    parts.runner.busy_changed.connect(idle)
    parts.undo.undo()
    loop.exec()
    print(f"undo: {result['undo']:.1f} s")
    # put the star back too (the library ends as it began)
    parts.runner.write(lambda ctx: ctx.library.set_flags([starred_id], starred=was_starred))
    parts.runner.wait_idle()
    w.close()
    parts.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
