"""reader-cli sub-commands for annotate; filled in by the annotate feature."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's sub-commands (none yet)."""
