"""``reader-cli``: the scripting face of the library. A thin layer over :mod:`reader.core`; no Qt.

Commands are registered by the modules in :data:`COMMAND_MODULES`; each has a
``register(subparsers)`` function that adds its sub-commands with ``set_defaults(func=...)``, where
``func(args, ctx) -> int`` returns the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.core.errors import ReaderError
from reader.core.secrets import redact

COMMAND_MODULES = ("reader.cli.library", "reader.cli.translate", "reader.cli.annotate")


class Context:
    """What a command needs: the library (opened on first use) and output streams."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._library = None
        self.out = sys.stdout
        self.err = sys.stderr

    @property
    def db_path(self) -> Path:
        from reader.paths import default_db_path

        return Path(self.args.db).expanduser() if self.args.db else default_db_path()

    def library(self):  # -> reader.core.storage.Library
        if self._library is None:
            from reader.core.storage import Library

            self._library = Library(self.db_path)
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader-cli",
        description="Polyglot Reader's command line: import, list, search, tag and translate articles "
        "in a local library.",
        epilog="The library is one SQLite file: --db PATH, else $READER_DB, else the default library in "
        "your platform data directory.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH", help="library file (default: $READER_DB or the user library)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    ctx = Context(args)
    try:
        return int(args.func(args, ctx) or 0)
    except ReaderError as exc:
        print(f"reader-cli: {redact(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reader-cli: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error worth a message.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as exc:  # never a traceback in front of a user
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"reader-cli: internal error: {type(exc).__name__}: {redact(str(exc))} (set READER_DEBUG=1 for details)",
              file=sys.stderr)
        return 70
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
