"""``~term`` benchmark: building the name prefixes, and their MATCH on a 100,000-article library.

For 20 names, each typed in several spellings, it times :func:`reader.core.names.name_prefixes`
(cold: caches cleared; and warm), then the FTS5 query the search runs for ``~term``, two ways: ``prefixes`` (the OR of the prefixes
as a MATCH) and ``vocabulary`` (the prefixes looked up in a TEMP ``fts5vocab`` table, the words that
are the name kept by :func:`reader.core.names.matches_name`, then a MATCH of those exact terms; the
lookup is inside the timing). Both run the search's plan (:mod:`reader.core.storage.search`): bm25
over the newest 5,000 matches, top 50. The library is opened read-only.

Measured 2026-12-02 on /tmp/bench100k.db (100,000 articles; 2 cores shared with other work, load ~2.8),
20 names x 5 runs: prefix build p50 0.1 ms (cold, max 4 ms); ``prefixes`` p50 25-30 ms, p95 70-80 ms
(one earlier run under heavier load: p95 153 ms); ``vocabulary`` p50 11-14 ms, p95 36-39 ms, max
54-64 ms. The slow queries are the names in most of this synthetic library (lukashenko 99,519
articles, Putin 79,749, Zelensky 25,448); 11 of the 20 names are not in it at all.

Usage::

    python -m benchmarks.names_bench [--db /tmp/bench100k.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable

from reader.core import names

RANK_WINDOW = 5000  # as reader.core.storage.search.RANK_WINDOW

NAMES = [
    "lukashenko", "Lukașenko", "lukašenka", "Лукашенко", "Лукашэнка", "Putin", "Путін", "Пуцін",
    "Tsikhanouskaya", "Тихановская", "Cichanouskaja", "Zelensky", "Зеленський", "Zelenskis",
    "Navalny", "Навальный", "Shevchenko", "Kolesnikova", "Babariko", "Medvedev",
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/bench100k.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    build: list[float] = []
    for name in NAMES:
        names._stems.cache_clear()
        names._prefixes.cache_clear()
        names._phonemics.cache_clear()
        t0 = time.perf_counter()
        prefixes = names.name_prefixes(name)
        build.append(1000 * (time.perf_counter() - t0))
        print(f"  {name:<16} {len(prefixes):>3} prefixes  e.g. {', '.join(prefixes[:4])}")
    print(f"prefix build (cold): p50 {statistics.median(build):.2f} ms, max {max(build):.2f} ms")

    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    # A TEMP fts5vocab table works on a read-only library too.
    conn.execute("CREATE VIRTUAL TABLE temp.names_vocab USING fts5vocab(main, articles_fts, row)")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def lookup(prefix: str) -> list[str]:
        return [r[0] for r in conn.execute(
            "SELECT term FROM temp.names_vocab WHERE term >= ? AND term < ? || char(1114111)", [prefix, prefix])]

    for mode in ("prefixes", "vocabulary"):
        run(conn, mode, lookup, args.repeat, total)
    return 0


def run(conn: sqlite3.Connection, mode: str, lookup: Callable[[str], list[str]], repeat: int, total: int) -> None:
    ranked: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for name in NAMES:
            t0 = time.perf_counter()
            if mode == "prefixes":
                expr = names.fts_expression(name)
            else:
                expr = names.terms_expression(names.vocabulary_terms(name, lookup))
            if expr is None:
                ranked.append(1000 * (time.perf_counter() - t0))
                counts[name] = 0
                continue
            # The search's own plan (reader.core.storage.search): rank the newest RANK_WINDOW matches.
            cut = conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC "
                f"LIMIT 1 OFFSET {RANK_WINDOW - 1}", [expr]).fetchone()
            conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? "
                "ORDER BY bm25(articles_fts, 10.0, 1.0) LIMIT 50", [expr, cut[0] if cut else 0]).fetchall()
            ranked.append(1000 * (time.perf_counter() - t0))
            if name not in counts:
                counts[name] = conn.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [expr]).fetchone()[0]
    print(f"~term [{mode}] MATCH, bm25 over the newest 5,000 matches, top 50, {total} articles, "
          f"{len(ranked)} queries: p50 {pct(ranked, 0.5):.1f} ms, p95 {pct(ranked, 0.95):.1f} ms, "
          f"max {max(ranked):.1f} ms")
    print("  articles found: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


if __name__ == "__main__":
    raise SystemExit(main())
