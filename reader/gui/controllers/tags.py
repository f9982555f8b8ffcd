"""The tags controller: creating, renaming, merging, deleting and colouring tags (the tag manager and
the sidebar's tag menu), all on the task runner's write lane.

Signals:
    tags_changed(): tags were created/renamed/merged/deleted/coloured (the sidebar reloads its
        counts, saved searches and the shown article's highlights are read again).
    error(str): a one-line, user-facing message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from reader.core.errors import ReaderError
from reader.gui.tasks import TaskContext, TaskRunner


def _create_tag(ctx: TaskContext, name: str, color: str | None) -> None:
    """A tag with no article yet (``Library.set_tag_color`` creates it if missing)."""
    ctx.library.set_tag_color(name, color)


class TagsController(QObject):
    """See the module docstring."""

    tags_changed = Signal()
    error = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner

    def _write(self, fn: Callable[[TaskContext], Any]) -> None:
        self.runner.write(fn, lambda _: self.tags_changed.emit(), self._on_error)

    def create_tag(self, name: str, color: str | None = None) -> None:
        self._write(lambda c: _create_tag(c, name, color))

    def rename_tag(self, old: str, new: str) -> None:
        self._write(lambda c: c.library.rename_tag(old, new))

    def merge_tags(self, sources: Sequence[str], target: str) -> None:
        names = list(sources)
        self._write(lambda c: c.library.merge_tags(names, target))

    def delete_tag(self, name: str) -> None:
        self._write(lambda c: c.library.delete_tag(name))

    def set_tag_color(self, name: str, color: str | None) -> None:
        self._write(lambda c: c.library.set_tag_color(name, color))

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReaderError):
            self.error.emit(str(exc))
        else:
            self.error.emit(f"Something went wrong ({type(exc).__name__}: {exc})")


__all__ = ["TagsController"]
