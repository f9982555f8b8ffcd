"""Progress of one long file job in the status bar ("Exporting 12 / 40", a bar, Cancel): the
export, backup and restore of the File menu, and (with its own counting) the import: :mod:`.import_progress`.

Signals:
    cancel_requested(): the Cancel button was clicked.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class TaskProgress(QWidget):
    """Hidden until :meth:`start`. See the module docstring."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskProgress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("taskCancel")
        self.cancel.clicked.connect(lambda _=False: self.cancelling())
        self.cancel.clicked.connect(self.cancel_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self._verb = ""
        self._unit = ""
        self.hide()

    def start(self, verb: str, unit: str = "") -> None:
        """Show "<verb>…" with a busy bar until the first :meth:`update_progress`; ``unit`` follows
        the counts ("rows")."""
        self._verb, self._unit = verb, unit
        self.bar.setRange(0, 0)
        self.label.setText(f"{verb}…")
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int) -> None:
        if not self.cancel.isEnabled():
            return  # "Cancelling…" stays until the job stops
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        unit = f" {self._unit}" if self._unit else ""
        self.label.setText(f"{self._verb} {done:,} / {total:,}{unit}")

    def cancelling(self) -> None:
        self.cancel.setEnabled(False)
        self.label.setText("Cancelling…")

    def finish(self) -> None:
        self.hide()
