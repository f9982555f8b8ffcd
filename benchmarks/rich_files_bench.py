"""Export, backup and restore of a library of articles with pictures (issue 11), and what a stored
picture costs the library file.

    python benchmarks/rich_files_bench.py                      # 1,000 articles x 3 pictures of ~60 KB
    python benchmarks/rich_files_bench.py --count 200 --picture-kb 500 --memory

Steps: build two libraries through ``Library.add_article`` (as the importers store): the same N
articles (heading, paragraphs, a list, a quote and three picture blocks with captions, ~2.5 KB of
text) once without their pictures and once with three distinct PNGs each (random pixels, so they
do not compress: photo-like); the difference of the two files' sizes divided by the pictures
stored is the library's growth per picture, compared with the pictures' own size. Then, on the
library with pictures: ``export --all -o DIR`` (a folder of Markdown files and ``assets/``), one
Markdown file, JSON, a backup (zip), and a restore of that backup into an empty library (checked:
same count of pictures, a sample's bytes equal). ``--memory`` repeats backup and restore under
tracemalloc and reports their peak Python memory. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core import export  # noqa: E402
from reader.core.models import LanguageGuess, ListFilter, ParsedArticle, ParsedBlock, ParsedImage  # noqa: E402
from reader.core.storage import Library  # noqa: E402
from tests.helpers.rich_export import png  # noqa: E402

WORDS = ("președintele belarus lukașenko a declarat joi la moscova că relațiile de alianță cu rusia "
         "vor continua în ciuda sancțiunilor occidentale și a presiunii asupra statului unional").split()


def sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def parsed(i: int, rnd: random.Random, pictures: list[bytes] | None, side: int) -> ParsedArticle:
    blocks: list[ParsedBlock] = [ParsedBlock("heading", f"Section {i}", level=2)]
    blocks += [ParsedBlock("paragraph", " ".join(sentence(rnd, 14) for _ in range(4))) for _ in range(3)]
    blocks += [ParsedBlock("list_item", sentence(rnd, 6), depth=d) for d in (0, 1, 0)]
    blocks.append(ParsedBlock("quote", sentence(rnd, 12)))
    images: list[ParsedImage] = []
    for k in range(3):
        blocks.append(ParsedBlock("image", f"Photo {k + 1} of article {i}", image=k, alt=f"photo {i}.{k}"))
        data = pictures[k] if pictures is not None else None
        images.append(ParsedImage(src=f"page_files/p{i}_{k}.png", data=data, mime="image/png" if data else None,
                                  width=side if data else None, height=side if data else None,
                                  alt=f"photo {i}.{k}", reason=None if data else "missing"))
        blocks.append(ParsedBlock("paragraph", " ".join(sentence(rnd, 14) for _ in range(2))))
    return ParsedArticle(title=f"Article {i:05d} with pictures", paragraphs=tuple(b.text for b in blocks if b.text),
                         blocks=tuple(blocks), images=tuple(images), source="Bench", published="2026-03-01")


def build(path: Path, count: int, side: int, with_pictures: bool) -> tuple[float, int, int]:
    """Build the library; returns (seconds, pictures stored, their bytes)."""
    rnd = random.Random(11)
    stored = total = 0
    spent = 0.0  # storing only (making the PNGs is not counted)
    with Library(path) as lib:
        for i in range(count):
            pictures = [png(side, side, noise=i * 3 + k) for k in range(3)] if with_pictures else None
            if pictures:
                stored += len(pictures)
                total += sum(len(p) for p in pictures)
            article = parsed(i, rnd, pictures, side)
            t0 = time.perf_counter()
            lib.add_article(article, LanguageGuess("ro", 0.99))
            spent += time.perf_counter() - t0
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return spent, stored, total


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def timed(fn):  # noqa: ANN001, ANN201 - a tiny helper
    """(``"W s (C s CPU)"``, result): wall time and this process's CPU time (the machine is shared)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return f"{time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU)", result


def peak(fn) -> float:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="articles (3 pictures each)")
    ap.add_argument("--picture-kb", type=int, default=60, help="size of each picture, about (KB)")
    ap.add_argument("--memory", action="store_true", help="also measure backup/restore peak memory (tracemalloc)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    side = max(8, int((args.picture_kb * 1024 / 3) ** 0.5))
    work = Path(tempfile.mkdtemp(prefix="rich-bench-"))
    rows: list[tuple[str, str]] = []
    try:
        plain_db, rich_db = work / "plain.db", work / "rich.db"
        build(plain_db, args.count, side, False)
        secs, stored, pic_bytes = build(rich_db, args.count, side, True)
        mean = pic_bytes / stored
        growth = (rich_db.stat().st_size - plain_db.stat().st_size) / stored
        rows += [
            ("library", f"{args.count:,} articles, {stored:,} pictures of {mean / 1024:.1f} KB "
                        f"({pic_bytes / 2**20:.0f} MB); add_article {secs:.1f} s ({args.count / secs:.0f} articles/s)"),
            ("library file", f"{rich_db.stat().st_size / 2**20:.1f} MB with pictures, "
                             f"{plain_db.stat().st_size / 2**20:.1f} MB without"),
            ("growth per picture", f"{growth / 1024:.1f} KB for a {mean / 1024:.1f} KB picture "
                                   f"({growth / mean:.3f}x; {growth - mean:+.0f} B of overhead)"),
        ]
        with Library(rich_db) as lib:
            ids = sorted(lib.list_ids(ListFilter(archived=None)))
            folder = work / "vault"
            t, files = timed(lambda: export.export_markdown(lib, ids, folder))
            n_files, size = tree_size(folder)
            n_assets, assets = tree_size(folder / "assets")
            rows.append(("export --all -o DIR (Markdown folder)",
                         f"{t}: {len(files):,} .md + {n_assets:,} pictures, {size / 2**20:.1f} MB "
                         f"({(size - assets) / 2**20:.1f} MB of Markdown)"))
            one = work / "one" / "all.md"
            t, _ = timed(lambda: export.export_markdown(lib, ids, one))
            rows.append(("export, one Markdown file", f"{t}: {one.stat().st_size / 2**20:.1f} MB + assets/"))
            js = work / "all.json"
            t, _ = timed(lambda: export.export_json(lib, ids, js))
            rows.append(("export --format json", f"{t}: {js.stat().st_size / 2**20:.1f} MB (references, no bytes)"))
            zip_path = work / "backup.zip"
            t, _ = timed(lambda: export.backup(lib, zip_path))
            rows.append(("backup", f"{t}: {zip_path.stat().st_size / 2**20:.1f} MB zip"))
            if args.memory:
                zip2 = work / "backup2.zip"
                rows.append(("backup, peak Python memory", f"{peak(lambda: export.backup(lib, zip2)):.1f} MB"))
            sample = lib.get_article(ids[len(ids) // 2]).images[0]
            sample_bytes = lib.get_image(sample.sha256)
        restored = work / "restored.db"
        with Library(restored) as lib:
            t, _ = timed(lambda: export.restore(lib, zip_path, restore_settings=False))
            count = lib.conn.execute("SELECT count(*) FROM images").fetchone()[0]
            got = lib.get_image(sample.sha256)
        assert count == stored, (count, stored)
        assert got == sample_bytes and hashlib.sha256(got).hexdigest() == sample.sha256
        rows.append(("restore into an empty library", f"{t}; {count:,} pictures, bytes and sha256 equal"))
        if args.memory:
            again = work / "restored2.db"
            with Library(again) as lib:
                rows.append(("restore, peak Python memory",
                             f"{peak(lambda: export.restore(lib, zip_path, restore_settings=False)):.1f} MB"))
        print(f"| measure ({os.cpu_count()} cores) | result |\n|---|---|")
        for name, value in rows:
            print(f"| {name} | {value} |")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
