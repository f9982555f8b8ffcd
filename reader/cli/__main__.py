"""``python -m reader.cli``: the same as ``reader-cli``."""

import sys

from reader.cli import main

sys.exit(main())
