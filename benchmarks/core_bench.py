"""Core benchmark (issue 2): import rate with language detection, database size, search latency.

    python benchmarks/core_bench.py                       # 100,000 articles (about 6 minutes here)
    python benchmarks/core_bench.py --count 20000
    python benchmarks/core_bench.py --search-only --db /path/to/library.db

Steps: write N synthetic ~3 KB .txt files (ro, lt, en, ru, de) into a temporary folder; import them
through the real pipeline (``reader.core.importing.import_paths``: parsing and langdetect in worker
processes, one transaction per article) into a fresh library, reporting articles/s and the CPU
used (100% = one core); then run a fixed mixed set of 1-3 word queries through ``Library.search``
(first 50 ranked hits, snippets, the translation index too) and the same queries as raw FTS5 SQL,
reporting p50/p95 of each. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Generator  # noqa: E402

from reader.core.query import match_expression, parse  # noqa: E402
from reader.core.storage import Library  # noqa: E402

QUERIES = [
    "putin", "lukașenko", "lukasenko", "belarus", "Lukašenka", "минск", "moskau",
    "security guarantees", "preşedintele rus", "strategic partnership", "Rusijos prezidentas",
    "союз государство", "sanktionen", "oreșnik", "nato plečiasi", "frontierele vestice",
    "putin lukașenko minsk", "international law institutions", "ambasadei americane",
    "belarus* russia", "\"strategic partnership\"", "coopera*", "kremlin -putin", "Baltarusija Maskva",
    "dezvoltării sociale umanitare", "geopolitical situation", "santykiai", "интеграция", "trump summit",
    "Zusammenarbeit Sicherheit",
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_import(count: int, workdir: Path) -> tuple[Path, dict[str, float]]:
    from reader.core.importing import import_paths

    files = workdir / "files"
    gen = Generator(7)
    t0 = time.perf_counter()
    for i in range(count):
        gen.write_file(i, files)
    print(f"wrote {count} files in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    db = workdir / "bench.db"
    lib = Library(db)
    statuses: dict[str, int] = {}

    def on_outcome(o):  # noqa: ANN001, ANN202
        statuses[o.status] = statuses.get(o.status, 0) + 1
        n = sum(statuses.values())
        if n % 10000 == 0:
            print(f"  {n} imported, {n / (time.perf_counter() - t0):.0f}/s", file=sys.stderr)

    cpu0 = os.times()
    t0 = time.perf_counter()
    import_paths(lib, [files], on_outcome=on_outcome)
    wall = time.perf_counter() - t0
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system) + (cpu1.children_user - cpu0.children_user) \
        + (cpu1.children_system - cpu0.children_system)
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()
    return db, {
        "articles": statuses.get("imported", 0),
        "skipped": statuses.get("skipped", 0),
        "seconds": wall,
        "rate": statuses.get("imported", 0) / wall,
        "cpu_percent": 100 * cpu / wall,
    }


def bench_search(db: Path, rounds: int) -> dict[str, float]:
    lib = Library(db)
    ours: list[float] = []
    raw: list[float] = []
    hits_total = 0
    for _ in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            hits = lib.search(q, limit=50)
            ours.append((time.perf_counter() - t0) * 1000)
            hits_total += len(hits)
            match = match_expression(parse(q).positive_terms)
            t0 = time.perf_counter()
            lib.conn.execute(
                "SELECT rowid, bm25(articles_fts, 10.0, 1.0) AS r, snippet(articles_fts, 1, '[', ']', '…', 16) "
                "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY r LIMIT 50",
                (match,),
            ).fetchall()
            raw.append((time.perf_counter() - t0) * 1000)
    n = lib.article_count()
    lib.close()
    return {
        "articles": n,
        "queries": len(ours),
        "avg_hits": hits_total / len(ours),
        "p50": percentile(ours, 50), "p95": percentile(ours, 95), "max": max(ours),
        "raw_p50": percentile(raw, 50), "raw_p95": percentile(raw, 95),
        "mean": statistics.mean(ours),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000, help="articles to generate and import")
    ap.add_argument("--rounds", type=int, default=5, help="times the query set is run")
    ap.add_argument("--search-only", action="store_true", help="only the search part, on --db")
    ap.add_argument("--db", type=Path, help="library for --search-only")
    ap.add_argument("--keep", type=Path, help="keep the imported library at this path")
    args = ap.parse_args()

    lines = ["| measure | result | target |", "|---|---|---|"]
    if args.search_only:
        if not args.db:
            ap.error("--search-only needs --db")
        db = args.db
    else:
        workdir = Path(tempfile.mkdtemp(prefix="reader-bench-"))
        try:
            db, imp = bench_import(args.count, workdir)
            size = db.stat().st_size / 1e6
            lines += [
                f"| import, {imp['articles']:.0f} articles (~3 KB, 5 languages) | "
                f"{imp['rate']:.0f} articles/s ({imp['seconds']:.0f} s), CPU {imp['cpu_percent']:.0f}% "
                f"(200% = both cores) | >= 300/s |",
                f"| database size | {size:.0f} MB ({size * 1e6 / max(1, imp['articles']) / 1000:.1f} KB/article) | |",
            ]
            if args.keep:
                shutil.copy(db, args.keep)
        finally:
            pass
    s = bench_search(db, args.rounds)
    lines += [
        f"| search, {s['queries']} queries (1-3 words) at {s['articles']} articles, first 50 ranked hits | "
        f"p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, max {s['max']:.1f} ms | p95 <= 50 ms |",
        f"| same queries as raw FTS5 SQL | p50 {s['raw_p50']:.1f} ms, p95 {s['raw_p95']:.1f} ms | |",
    ]
    print(f"\nPeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("\n".join(lines))
    if not args.search_only:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
