"""Import progress in the status bar: "Importing 12 / 40", a progress bar and Cancel — the file jobs'
:class:`~reader.gui.widgets.task_progress.TaskProgress` with the import's own counting (the total
may be unknown at first).

Signals:
    cancel_requested(): the Cancel button was clicked.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from reader.gui.widgets.task_progress import TaskProgress


class ImportProgress(TaskProgress):
    """Hidden until an import starts. See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgress")
        self.cancel.setObjectName("")

    def start(self, total: int | None) -> None:  # type: ignore[override]
        self.bar.setRange(0, total or 0)
        self.bar.setValue(0)
        self.label.setText("Importing…")
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int) -> None:
        if total and self.bar.maximum() != total:
            self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.label.setText(f"Importing {done:,} / {total:,}" if total else f"Importing {done:,}…")
