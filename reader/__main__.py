"""The ``reader`` GUI entry point: parse arguments, then import the Qt GUI lazily.

    reader [--db PATH] [FILE...] [--screenshot OUT.png] [--theme light|dark|system] [--smoke] [--version]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reader import __version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reader", description="Polyglot Reader: read articles offline in any language.")
    p.add_argument("files", nargs="*", metavar="FILE", help="files or folders to import; the first is shown")
    p.add_argument("--db", metavar="PATH", help="library file (default: the library in your data folder)")
    p.add_argument("--screenshot", metavar="OUT.png", help="start, settle, save the window as a PNG and exit")
    p.add_argument("--theme", choices=("light", "dark", "system"), help="theme for this run (not saved)")
    p.add_argument("--smoke", action="store_true",
                   help="open the window on a temporary seeded library, render an article and exit 0")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def library_folder_problem(db: str | None) -> str | None:
    """One line when the library asked for (``--db``, else ``READER_DB``) would be in a folder that
    does not exist; None when it is fine. Checked before Qt starts; nothing is created."""
    db = db or os.environ.get("READER_DB") or None
    if not db:
        return None  # the default library: its folder (the platform data dir) is made on first start
    from reader.core.errors import ReaderError
    from reader.core.storage.connection import check_folder

    try:
        check_folder(Path(db).expanduser())
    except ReaderError as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.smoke and (problem := library_folder_problem(args.db)):
        sys.stderr.write(f"reader: {problem}\n")
        return 2
    from reader.preflight import check  # no Qt: a missing library or display is one line, not an abort

    if status := check():
        return status
    from reader.gui.app import run  # lazy: --help and --version never load Qt

    return run(args.db, args.files, screenshot=args.screenshot, theme=args.theme, smoke=args.smoke)


if __name__ == "__main__":
    sys.exit(main())
