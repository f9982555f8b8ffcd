"""``reader-cli``: the scripting face of the library. A thin layer over :mod:`reader.core`; no Qt.

Commands are registered by the modules in :data:`COMMAND_MODULES`; each has a
``register(subparsers)`` function that adds its sub-commands with ``set_defaults(func=...)``, where
``func(args, ctx) -> int`` returns the exit status.

Input and output that are not UTF-8: standard output and error escape what their encoding cannot
show (``PYTHONIOENCODING=cp1252`` prints ``\\u0219`` for ``ș``) instead of failing; an argument with
bytes that are not UTF-8 is refused with one line (exit 2) unless it names a file (:data:`PATH_ARGS`:
file names may hold any bytes). A single-dash word that is not one of a command's options is a
value (``search -putin`` is the documented exclusion), and ``--`` ends the options as usual.
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

COMMAND_MODULES = ("reader.cli.library", "reader.cli.translate", "reader.cli.annotate", "reader.cli.feeds")
#: Arguments that name files (argparse ``dest``): kept as the operating system gives them.
PATH_ARGS = frozenset({"db", "paths", "path", "output"})


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one change: ``-word`` is a value unless ``-w`` is one of this parser's options
    (so ``search -putin`` and ``list -q -putin`` work; ``-h`` and ``-qWORD`` keep their meaning)."""

    def _parse_optional(self, arg_string: str):  # type: ignore[no-untyped-def]  # noqa: ANN202
        if (
            len(arg_string) > 2
            and arg_string[0] in self.prefix_chars
            and arg_string[1] not in self.prefix_chars
            and arg_string not in self._option_string_actions
            and "=" not in arg_string
        ):
            action = self._option_string_actions.get(arg_string[:2])
            if action is None or action.nargs == 0:
                return None
        return super()._parse_optional(arg_string)


def _escape_invalid(text: str) -> str:
    from reader.core.importers import printable_path

    return printable_path(text)


def _invalid_text_argument(args: argparse.Namespace) -> str | None:
    """The first text argument (not a file name) holding bytes that are not UTF-8, escaped."""
    for name, value in vars(args).items():
        if name in PATH_ARGS:
            continue
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return _escape_invalid(item)
    return None


def _tolerant_streams() -> None:
    """Standard output/error that escape what their encoding cannot show; standard input that keeps
    bytes that are not UTF-8 (as surrogate escapes, refused where text is read)."""
    for stream, errors in ((sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace"),
                           (sys.stdin, "surrogateescape")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=errors)
            except (ValueError, OSError):  # a closed or detached stream
                pass


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
    parser = ArgumentParser(
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
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    bad = _invalid_text_argument(args)
    if bad is not None:
        print(f"reader-cli: an argument is not valid UTF-8 text: '{bad}'"
              " (bytes shown as \\xNN; check the terminal's or the script's encoding)", file=sys.stderr)
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
