"""Generate a synthetic multilingual library for benchmarks.

    python benchmarks/generate_library.py --db /tmp/bench.db --count 100000
    python benchmarks/generate_library.py --files /tmp/bench-files --count 10000

``--db`` stores articles straight through ``Library.add_article`` (the generator knows each article's
language, so no detection runs: this is the fast way to get a big library for GUI and search
benchmarks). ``--files`` writes seeds-style .txt files for measuring the real import pipeline.
Some articles are marked read/starred/archived so the views have realistic counts.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Generator  # noqa: E402

from reader.core.models import LanguageGuess, ParsedArticle  # noqa: E402
from reader.core.storage import Library  # noqa: E402


def generate_db(path: Path, count: int, seed: int, batch: int = 1000) -> None:
    gen = Generator(seed)
    t0 = time.perf_counter()
    with Library(path) as lib:
        start = lib.article_count()
        read_ids, starred_ids, archived_ids = [], [], []
        txn: contextlib.ExitStack | None = None
        for i in range(start, count):
            if txn is None:  # ``batch`` articles share one write transaction (add_article nests)
                txn = contextlib.ExitStack()
                txn.enter_context(lib.write())
            art = gen.article(i)
            parsed = ParsedArticle(
                title=art["title"], paragraphs=tuple(art["paragraphs"]),  # type: ignore[arg-type]
                published=art["published"], source=art["source"], tags=tuple(art["tags"]),  # type: ignore[arg-type]
                file_name=f"article_{i:06d}.txt",
            )
            out = lib.add_article(parsed, LanguageGuess(str(art["lang"]), 0.99))
            if out.article_id is not None:
                if i % 3 == 0:
                    read_ids.append(out.article_id)
                if i % 17 == 0:
                    starred_ids.append(out.article_id)
                if i % 29 == 0:
                    archived_ids.append(out.article_id)
            if (i + 1) % batch == 0:
                txn.close()
                txn = None
            if i and i % 10000 == 0:
                print(f"  {i} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        if txn is not None:
            txn.close()
        for ids, flag in ((read_ids, "read"), (starred_ids, "starred"), (archived_ids, "archived")):
            for k in range(0, len(ids), 500):
                lib.set_flags(ids[k : k + 500], **{flag: True})
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = lib.article_count()
    print(f"{path}: {total} articles in {time.perf_counter() - t0:.1f} s, "
          f"{path.stat().st_size / 1e6:.0f} MB")


def generate_files(folder: Path, count: int, seed: int) -> None:
    gen = Generator(seed)
    t0 = time.perf_counter()
    for i in range(count):
        gen.write_file(i, folder)
    print(f"{folder}: {count} files in {time.perf_counter() - t0:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--db", type=Path, help="library file to fill (appended to if it exists)")
    target.add_argument("--files", type=Path, help="folder to write .txt files into")
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch", type=int, default=1000,
                    help="articles per write transaction (1 = one each, as imports do)")
    args = ap.parse_args()
    if args.db:
        generate_db(args.db, args.count, args.seed, max(1, args.batch))
    else:
        generate_files(args.files, args.count, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
