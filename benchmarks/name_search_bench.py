"""``~term`` through the real search: ``Library.search`` / ``list_ids`` / ``count_articles`` at 100k.

For the 20 names of :mod:`benchmarks.names_bench` (each typed in several spellings) it times what a
person waits for: ``Library.search("~name")`` (top 50 ranked, snippets made, the translation index
searched too), the window's first page (``list_ids(..., limit=200)``), the saved-search count
(``count_articles``) and ``~name lang:ro``. Every query is timed **cold**: the per-library cache of
resolved names is cleared first, so each timing includes the ``fts5vocab`` look-ups of every
spelling prefix. The TEMP vocabulary tables are made on the first query (timed separately).

Search only makes TEMP tables, but the library is opened with :class:`Library`, which may upgrade or
checkpoint the file: run it on a **copy** (``cp /tmp/bench100k.db /tmp/bench100k-names.db``).

Usage::

    python -m benchmarks.name_search_bench [--db /tmp/bench100k-names.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.names_bench import NAMES, pct  # noqa: E402
from reader.core.models import ListFilter  # noqa: E402
from reader.core.storage import Library  # noqa: E402


def timed(lib: Library, fn: Callable[[str], object], query: str) -> tuple[float, object]:
    lib.__dict__.pop("_name_cache", None)  # cold: resolve the name again
    t0 = time.perf_counter()
    result = fn(query)
    return 1000 * (time.perf_counter() - t0), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", default="/tmp/bench100k-names.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if Path(args.db).resolve() == Path("/tmp/bench100k.db"):
        parser.error("run on a copy: cp /tmp/bench100k.db /tmp/bench100k-names.db")

    with Library(args.db) as lib:
        total = lib.count_articles(ListFilter(archived=None))
        first, _ = timed(lib, lib.search, "~lukashenko")
        print(f"{total} articles; first ~term search (creates the TEMP fts5vocab tables): {first:.1f} ms")
        kinds: dict[str, Callable[[str], object]] = {
            "search (top 50 + snippets)": lambda q: lib.search(q, limit=50),
            "first page list_ids(limit=200)": lambda q: lib.list_ids(ListFilter(query=q), limit=200),
            "count_articles": lambda q: lib.count_articles(ListFilter(query=q, archived=None)),
            "search with lang:ro": lambda q: lib.search(f"{q} lang:ro", limit=50),
        }
        for label, run in kinds.items():
            times: list[float] = []
            found: dict[str, int] = {}
            for _ in range(args.repeat):
                for name in NAMES:
                    ms, result = timed(lib, run, f"~{name}")
                    times.append(ms)
                    found[name] = result if isinstance(result, int) else len(result)  # type: ignore[arg-type]
            print(f"~term {label}: {len(times)} queries, p50 {pct(times, 0.5):.1f} ms, "
                  f"p95 {pct(times, 0.95):.1f} ms, max {max(times):.1f} ms")
            print("  results: " + ", ".join(f"{n} {c}" for n, c in found.items()))
        warm: list[float] = []
        for name in NAMES:
            lib.search(f"~{name}")
            t0 = time.perf_counter()
            lib.search(f"~{name}")
            warm.append(1000 * (time.perf_counter() - t0))
        print(f"~term search, name already resolved (unchanged library): p50 {pct(warm, 0.5):.1f} ms, "
              f"p95 {pct(warm, 0.95):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
