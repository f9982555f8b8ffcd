"""Desktop build benchmark (issue 6, "Targets"): prints a Markdown table.

    python benchmarks/build_bench.py                       # builds into a temporary folder
    python benchmarks/build_bench.py --bundle dist/PolyglotReader --db /tmp/lib100k.db

Measures:

* build time: ``pyinstaller --noconfirm build.spec`` into fresh dist/work folders (skipped with
  ``--bundle``, which measures an existing build);
* unpacked size of the bundle folder (the sum of its files' sizes; target <= 200 MB);
* start-up, frozen vs from source (target: frozen within 1.5x of source), median of ``--runs``
  fresh processes each, on the same library. A process counts from its launch to the moment the
  article list first painted rows, when the app offers ``--bench-startup`` (it prints
  ``{"painted_at": <time.time()>, ...}`` and exits); otherwise to its exit after ``--screenshot``
  (start, settle, grab the window, save a PNG, quit), the same work in both runs. The table says
  which measure was used.

Without ``--db`` the library is generated with benchmarks/generate_library.py (``--count``
articles). Both runs get the same fresh data/config folders and ``QT_QPA_PLATFORM=offscreen``
unless the environment sets another platform.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZE_TARGET_MB = 200
START_RATIO_TARGET = 1.5


def tree_size_mb(folder: Path) -> float:
    """Unpacked size: the sum of the folder's file sizes (symlinks counted, not followed), in MB."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink()) / 1_000_000


def build(out: Path) -> tuple[Path, float]:
    """Build the bundle into ``out``; returns its folder and the wall-clock seconds it took."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(out / "dist"),
               "--workpath", str(out / "build"), str(REPO / "build.spec")]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-5000:])
        raise SystemExit(f"build_bench: pyinstaller failed ({result.returncode})")
    return out / "dist" / "PolyglotReader", seconds


def has_bench_startup(command: list[str], env: dict[str, str]) -> bool:
    """Whether this ``reader`` offers ``--bench-startup``."""
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, env=env, timeout=60)
    return "--bench-startup" in result.stdout


def start_ms(command: list[str], db: Path, env: dict[str, str], mode: str, scratch: Path) -> float:
    """One fresh process: milliseconds from launch to first painted rows (or to exit after a screenshot)."""
    if mode == "bench-startup":
        args = [*command, "--db", str(db), "--bench-startup"]
    else:
        args = [*command, "--db", str(db), "--screenshot", str(scratch / "shot.png")]
    launched = time.time()
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    ended = time.time()
    if result.returncode != 0:
        raise SystemExit(f"build_bench: {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    if mode == "bench-startup":
        data = json.loads(result.stdout.strip().splitlines()[-1])
        return (data["painted_at"] - launched) * 1000
    return (ended - launched) * 1000


def measure(command: list[str], db: Path, env: dict[str, str], mode: str, runs: int, scratch: Path) -> list[float]:
    start_ms(command, db, env, mode, scratch)  # warm the OS file cache for both variants alike
    return [start_ms(command, db, env, mode, scratch) for _ in range(runs)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, help="an existing dist/PolyglotReader (skips the build)")
    ap.add_argument("--db", type=Path, help="library to start on (default: a generated one)")
    ap.add_argument("--count", type=int, default=20_000, help="articles in the generated library")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="build-bench-"))
    try:
        return run(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # a built bundle is ~190 MB


def run(args: argparse.Namespace, scratch: Path) -> int:
    """Build (unless given a bundle), measure, print the table; 1 when a target is missed."""
    build_seconds: float | None = None
    bundle = args.bundle
    if bundle is None:
        bundle, build_seconds = build(scratch)
    bundle = bundle.resolve()
    db = args.db
    if db is None:
        db = scratch / "library.db"
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_library.py"), "--db", str(db),
                        "--count", str(args.count)], check=True, capture_output=True)

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["READER_DATA_DIR"] = str(scratch / "data")
    env["READER_CONFIG_DIR"] = str(scratch / "config")
    env.pop("READER_DB", None)
    source_env = dict(env, PYTHONPATH=str(REPO))
    frozen_env = {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    frozen = [str(bundle / "reader")]
    source = [sys.executable, "-m", "reader"]

    mode = "bench-startup" if has_bench_startup(frozen, frozen_env) else "screenshot"
    source_ms = measure(source, db, source_env, mode, args.runs, scratch)
    frozen_ms = measure(frozen, db, frozen_env, mode, args.runs, scratch)
    ratio = statistics.median(frozen_ms) / statistics.median(source_ms)
    size = tree_size_mb(bundle)

    what = ("launch to first rows painted" if mode == "bench-startup"
            else "launch to exit of `reader --screenshot` (start, settle, grab, quit)")

    def runs(values: list[float]) -> str:
        return f"median {statistics.median(values):.0f} ms (runs: {', '.join(f'{v:.0f}' for v in values)})"

    print(f"Bundle: {bundle}; library: {db} ; {os.cpu_count()} CPUs; QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}\n")
    print("| Measure | Result | Target |\n|---|---|---|")
    if build_seconds is not None:
        print(f"| Build time (`pyinstaller --noconfirm build.spec`, clean) | {build_seconds:.0f} s | |")
    print(f"| Unpacked size of dist/PolyglotReader | {size:.0f} MB | ≤ {SIZE_TARGET_MB} MB |")
    print(f"| Start, from source: {what} | {runs(source_ms)} | |")
    print(f"| Start, frozen: {what} | {runs(frozen_ms)} | |")
    print(f"| Frozen / source | {ratio:.2f}x | ≤ {START_RATIO_TARGET}x |")
    return 0 if size <= SIZE_TARGET_MB and ratio <= START_RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
