"""Frozen entry point of the console ``reader-cli`` program (the ``reader-cli`` script of pyproject)."""

import multiprocessing
import sys

# `reader-cli import` parses files in "spawn" worker processes (reader.core.importing). Frozen, a
# worker is this executable started again with multiprocessing's arguments: freeze_support() runs
# the worker and exits, instead of letting argparse reject them (and the pool break).
multiprocessing.freeze_support()

from reader.cli import main  # noqa: E402

sys.exit(main())
