"""Helpers for tests that drive a real window (no Qt import here: ``qtbot`` is passed in)."""

from __future__ import annotations


def wait_idle(qtbot, parts) -> None:  # noqa: ANN001
    """Wait until every background job of the window has been delivered."""
    qtbot.waitUntil(lambda: parts.runner.pending() == 0, timeout=30_000)
