"""Frozen entry point of the windowed ``reader`` program (the ``reader`` gui-script of pyproject)."""

import multiprocessing
import sys

# Imports parse files in "spawn" worker processes (reader.core.importing). Frozen, a worker is this
# executable started again with multiprocessing's arguments: freeze_support() runs the worker and
# exits, instead of letting the program parse those arguments as its own.
multiprocessing.freeze_support()

from reader.__main__ import main  # noqa: E402

sys.exit(main())
