"""The window's one undo history: every undoable action (article deletes, highlight deletes, ...) in
the order the person did them; Ctrl+Z and the message bar's *Undo* undo the latest.

Controllers push an entry when an undoable write has landed (a label and a callable that puts things
back); :meth:`UndoHistory.undo` pops the newest and calls it.

Signals:
    changed(): an entry was pushed or undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class UndoEntry:
    """One undoable action: what the message bar says, and how to put it back."""

    label: str
    undo: Callable[[], None]


class UndoHistory(QObject):
    """One ordered stack of undoable actions for the whole window. See the module docstring."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, limit: int = 100) -> None:
        super().__init__(parent)
        self._entries: list[UndoEntry] = []
        self._limit = limit

    def push(self, label: str, undo: Callable[[], None]) -> None:
        self._entries.append(UndoEntry(label, undo))
        del self._entries[:-self._limit]
        self.changed.emit()

    def can_undo(self) -> bool:
        return bool(self._entries)

    def labels(self) -> list[str]:
        """The entries' labels, oldest first (tests, a future Edit menu)."""
        return [e.label for e in self._entries]

    def undo(self) -> bool:
        """Undo the newest action. False when there is nothing to undo."""
        if not self._entries:
            return False
        entry = self._entries.pop()
        self.changed.emit()
        entry.undo()
        return True
