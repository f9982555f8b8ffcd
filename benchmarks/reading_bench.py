"""Mark All as Read and Next Unread over a whole view (issue 13), timed on a big library.

    python benchmarks/generate_library.py --db /tmp/bench.db --count 100000
    python benchmarks/reading_bench.py --db /tmp/bench.db

Times, on the library's All view (every article not archived): ``Library.mark_read`` of all of it
(what Shift+M runs on the writer lane), its undo (``mark_read(changed, False)``), and
``Library.first_unread`` when nothing is unread (Next Unread's worst case: every chunk is read).
The library is left as it was (the undo puts every flag back).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core.models import ListFilter  # noqa: E402
from reader.core.storage import Library  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    with Library(args.db) as lib:
        t0 = time.perf_counter()
        ids = lib.list_ids(ListFilter())
        t1 = time.perf_counter()
        changed = lib.mark_read(ids)
        t2 = time.perf_counter()
        none = lib.first_unread(ids)
        t3 = time.perf_counter()
        restored = lib.mark_read(changed, False)
        t4 = time.perf_counter()
        assert none is None and sorted(restored) == sorted(changed)
        print(f"view: {len(ids):,} articles (ids listed in {1000 * (t1 - t0):.0f} ms)")
        print(f"mark all read: {len(changed):,} changed in {1000 * (t2 - t1):.0f} ms")
        print(f"next unread, none left (worst case): {1000 * (t3 - t2):.0f} ms")
        print(f"undo: {len(restored):,} unread again in {1000 * (t4 - t3):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
