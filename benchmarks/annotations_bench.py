"""Annotations benchmark (issue 5): re-anchoring, the All-highlights list, saved-search counts.

    python benchmarks/annotations_bench.py                      # all three (makes a 100k library: minutes)
    python benchmarks/annotations_bench.py --db /tmp/100k.db    # counts on an existing library
    python benchmarks/annotations_bench.py --skip-counts

1. **Re-anchoring**: an article of ~40 KB with 200 highlights; its text is then edited the way
   re-imports change it (a paragraph inserted at the top, Romanian cedilla letters respelled with
   comma-below, some whitespace changed) and all 200 are re-anchored, through the pure core
   (:func:`reader.core.annotations.reanchor_article`) and through the store
   (:meth:`Annotations.reanchor`, SQL reads and writes included). Also the worst case where every
   highlight needs the fuzzy strategy. Budget: 50 ms.
2. **All-highlights view**: 20,000 highlights over 2,000 synthetic articles; the first page (50 rows)
   plus the total count, unfiltered, with a colour/tag filter and with a full-text query. Budget: 200 ms.
3. **Smart-view counts**: the counts of a typical set of saved searches on a 100,000-article library
   (``benchmarks/generate_library.py``), each through ``Library.count_articles``. Budget: 100 ms.

Prints median / worst of several rounds, as a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Generator  # noqa: E402

from reader.core.annotations import make_selector, reanchor_article  # noqa: E402
from reader.core.library_ops import Annotations  # noqa: E402
from reader.core.models import COLORS, Highlight, HighlightFilter, LanguageGuess, ParsedArticle  # noqa: E402
from reader.core.storage import Library  # noqa: E402
from reader.core.storage.database import utc_now  # noqa: E402
from reader.core.storage.tags import ensure_tag  # noqa: E402
from reader.core.text import paragraph_index  # noqa: E402

SAVED_SEARCHES = [
    ("Romanian", "lang:ro"),
    ("Belarus unread", "tag:region/belarus is:unread"),
    ("Security since 2026", "tag:topic/security after:2026-01-01"),
    ("Starred not English", "is:starred -lang:en"),
    ("With highlights", "has:highlights"),
    ("With notes", "has:notes"),
    ("Lukashenko", "lukașenko"),
    ("Minsk in Romanian", "minsk lang:ro"),
]
RO_PARAGRAPH = (
    "Rusia şi Belarus consideră de o importanţă vitală aprofundarea relaţiilor de alianţă şi parteneriat "
    "strategic în contextul tensiunilor internaţionale actuale, în special la frontierele vestice, a declarat "
    "joi, la Moscova, preşedintele belarus Aleksandr Lukaşenko. Şeful statului belarus, care îşi guvernează "
    "ţara cu o mână fermă de trei decenii, a subliniat că situaţia geopolitică ne impune provocarea de a fi "
    "pregătiţi să răspundem împreună la orice provocare."
)


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """(median wall ms, worst wall ms, median CPU ms): CPU time is steadier on a busy machine."""
    walls, cpus = [], []
    for _ in range(rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def row(name: str, result: tuple[float, ...], budget: float) -> str:
    med, worst = result[0], result[1]
    cpu = result[2] if len(result) > 2 else med
    verdict = "ok" if worst <= budget else ("median ok" if min(med, cpu) <= budget else "OVER")
    return f"| {name} | {med:.1f} | {worst:.1f} | {cpu:.1f} | {budget:.0f} | {verdict} |"


def _ro_article(size: int) -> list[str]:
    gen = Generator(7)
    for i in range(1000):
        if gen.article(i)["lang"] == "ro":
            return list(gen.article(i, size=size)["paragraphs"])  # type: ignore[call-overload]
    raise RuntimeError("no Romanian article generated")


def _spans(body: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    spans = []
    for _ in range(count):
        length = rng.randint(15, 120)
        start = rng.randrange(0, len(body) - length)
        while not body[start : start + length].strip():
            start += 1
        spans.append((start, start + length))
    return spans


def _highlights(text: str, spans: list[tuple[int, int]]) -> list[Highlight]:
    out = []
    for i, (s, e) in enumerate(spans):
        sel = make_selector(text, s, e)
        out.append(Highlight(i, 1, "yellow", sel.start, sel.end, sel.quote, sel.prefix, sel.suffix,
                             paragraph_index(text, s), "original", None, None, None, False, "t", "t"))
    return out


def _respell(text: str) -> str:
    """A re-import's typical changes: comma-below letters for cedilla ones, and back."""
    return text.translate(str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț", "ș": "ş", "ț": "ţ"}))


def _strategies(results: list) -> str:  # type: ignore[type-arg]
    counts: dict[str, int] = {}
    for r in results:
        key = r.anchor.strategy if r.anchor else "orphaned"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def bench_reanchor(workdir: Path, rounds: int) -> list[str]:
    rng = random.Random(5)
    paragraphs = _ro_article(40_000)
    body = "\n\n".join(paragraphs)
    spans = _spans(body, 200, rng)
    hs = _highlights(body, spans)
    lines = []
    inserted = "Un paragraf nou, adăugat la reimport.\n\n" + body
    edited = _respell(inserted)
    lines.append(row(f"re-anchor 200 highlights, {len(body) // 1000} KB article, unchanged (core)",
                     timed(lambda: reanchor_article(body, hs), rounds), 50))
    lines.append(row("... a paragraph inserted at the top (core)", timed(lambda: reanchor_article(inserted, hs), rounds), 50))
    lines.append(row("... inserted + ş/ș ţ/ț respelled everywhere (core)", timed(lambda: reanchor_article(edited, hs), rounds), 50))
    lines.append(f"| &nbsp;&nbsp;strategies: {_strategies(reanchor_article(edited, hs))} | | | | | |")
    # one word changed inside 20 of the passages: those need the fuzzy strategy
    changed = body
    for s, e in sorted(spans[:20], reverse=True):
        mid = (s + e) // 2
        changed = changed[:mid] + "XYZ" + changed[mid:]
    fz = timed(lambda: reanchor_article(changed, hs), rounds)
    lines.append(row("... 20 of the 200 passages edited (fuzzy for those) (core)", fz, 50))
    lines.append(f"| &nbsp;&nbsp;strategies: {_strategies(reanchor_article(changed, hs))} | | | | | |")
    worst = _respell(changed)
    wz = timed(lambda: reanchor_article(worst, hs), max(3, rounds // 3))
    lines.append(row("... worst case: 20 edited + all respelled (core)", wz, 50))
    # pathological: the same paragraph 80 times (every quote occurs 80 times)
    rep_body = "\n\n".join(f"Paragraful {i}. {RO_PARAGRAPH}" for i in range(80))
    rep_hs = _highlights(rep_body, _spans(rep_body, 200, rng))
    rep_edit = _respell("Intro.\n\n" + rep_body)
    lines.append(row("repetitive text (each quote 80 times), inserted + respelled (core)",
                     timed(lambda: reanchor_article(rep_edit, rep_hs), rounds), 50))

    db = workdir / "reanchor.db"
    with Library(db) as lib:
        out = lib.add_article(ParsedArticle(title="Bench", paragraphs=tuple(paragraphs)), LanguageGuess("ro", 1.0))
        aid = int(out.article_id or 0)
        notes = Annotations(lib)
        with lib.write() as conn:
            now = utc_now()
            conn.executemany(
                "INSERT INTO highlights (article_id, color, start, end, quote, prefix, suffix, paragraph, view,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'original',?,?)",
                [(aid, "yellow", h.start, h.end, h.quote, h.prefix, h.suffix, h.paragraph, now, now) for h in hs],
            )
        lines.append(row("store: re-anchor 200, nothing changed (SQL read, no writes)",
                         timed(lambda: notes.reanchor(aid), rounds), 50))
        lib.update_article(aid, body=inserted)
        t0 = time.perf_counter()
        report = notes.reanchor(aid)
        ms = (time.perf_counter() - t0) * 1000
        lines.append(row("store: after a paragraph inserted (200 positions rewritten)", (ms, ms, ms), 50))
        lib.update_article(aid, body=_respell(inserted))
        t0 = time.perf_counter()
        report = notes.reanchor(aid)
        ms = (time.perf_counter() - t0) * 1000
        lines.append(row("store: after respelling (quotes rewritten, full-text index updated)", (ms, ms, ms), 50))
        assert report.total == 200 and not report.orphaned
    return lines


def bench_highlights_list(workdir: Path, rounds: int, articles: int = 2000, per_article: int = 10) -> list[str]:
    db = workdir / "highlights.db"
    gen = Generator(11)
    rng = random.Random(3)
    with Library(db) as lib:
        rows = []
        for i in range(articles):
            art = gen.article(i)
            out = lib.add_article(
                ParsedArticle(title=str(art["title"]), paragraphs=tuple(art["paragraphs"]),  # type: ignore[arg-type]
                              published=art["published"], source=art["source"], tags=tuple(art["tags"])),  # type: ignore[arg-type]
                LanguageGuess(str(art["lang"]), 0.99),
            )
            body = "\n\n".join(art["paragraphs"])  # type: ignore[arg-type]
            for k in range(per_article):
                s = rng.randrange(0, len(body) - 80)
                sel = make_selector(body, s, s + rng.randint(20, 80))
                note = f"note {k} about Lukașenko" if k % 4 == 0 else None
                rows.append((out.article_id, COLORS[k % 5], sel.start, sel.end, sel.quote, sel.prefix, sel.suffix,
                             paragraph_index(body, s), note, f"2026-01-{1 + (i * per_article + k) % 28:02d}T10:00:00Z"))
        with lib.write() as conn:
            conn.executemany(
                "INSERT INTO highlights (article_id, color, start, end, quote, prefix, suffix, paragraph, view,"
                " note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'original',?,?,?)",
                [(*r, r[-1]) for r in rows],
            )
            for hid in range(1, len(rows) + 1, 7):
                tag_id = ensure_tag(conn, "quotes/key")
                conn.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (hid, tag_id))
    lines = []
    with Library(db) as lib:
        notes = Annotations(lib)
        total = notes.count_highlights()
        for name, flt in (
            (f"All highlights: first page + count ({total:,} highlights)", HighlightFilter()),
            ("... filtered by colour", HighlightFilter(color="green")),
            ("... filtered by tag (highlight or article tag)", HighlightFilter(tag="quotes")),
            ("... filtered by language", HighlightFilter(lang="ro")),
            ("... full-text 'lukasenko' over quotes and notes", HighlightFilter(query="lukasenko")),
            ("... full-text + filters 'minsk lang:ro'", HighlightFilter(query="minsk lang:ro")),
        ):
            def page(flt: HighlightFilter = flt) -> None:
                notes.list_highlights(flt, limit=50)
                notes.count_highlights(flt)
            lines.append(row(name, timed(page, rounds), 200))
    return lines


def bench_counts(db: Path, rounds: int) -> list[str]:
    lines = []
    with Library(db) as lib:
        n = lib.article_count()
        notes = Annotations(lib)
        for _name, query in SAVED_SEARCHES:
            lines.append(row(f"count `{query}` ({n:,} articles)", timed(lambda q=query: notes.count_query(q), rounds), 100))
        lines.append(row(f"all {len(SAVED_SEARCHES)} smart views together",
                         timed(lambda: [notes.count_query(q) for _, q in SAVED_SEARCHES], rounds), 100 * len(SAVED_SEARCHES)))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing big library for the counts (else one is generated)")
    ap.add_argument("--count", type=int, default=100_000, help="articles to generate for the counts")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--skip-counts", action="store_true")
    ap.add_argument("--apply-indexes", action="store_true",
                    help="also measure the counts after applying migration m004 (reader/core/storage/"
                    "migrations/m004_annotation_indexes.py) to the library, if the app has not already")
    args = ap.parse_args()
    print("| benchmark | median ms | worst ms | CPU ms | budget ms | |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="annotations-bench-") as tmp:
        work = Path(tmp)
        for line in bench_reanchor(work, args.rounds):
            print(line, flush=True)
        for line in bench_highlights_list(work, args.rounds):
            print(line, flush=True)
        if not args.skip_counts:
            db = args.db
            if db is None:
                db = work / "big.db"
                subprocess.run([sys.executable, str(Path(__file__).with_name("generate_library.py")), "--db", str(db),
                                "--count", str(args.count)], check=True)
            for line in bench_counts(db, args.rounds):
                print(line, flush=True)
            if args.apply_indexes:
                from reader.core.storage.migrations.m004_annotation_indexes import m004_annotation_indexes

                with Library(db) as lib:
                    m004_annotation_indexes(lib.db)
                print("| *with migration m004's indexes:* | | | | | |")
                for line in bench_counts(db, args.rounds):
                    print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
