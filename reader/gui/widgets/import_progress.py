"""Import progress in the status bar: "Importing 12 / 40", a progress bar and Cancel.

Signals:
    cancel_requested(): the Cancel button was clicked.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class ImportProgress(QWidget):
    """Hidden until an import starts. See the module docstring."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.clicked.connect(lambda _=False: self.cancelling())
        self.cancel.clicked.connect(self.cancel_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def start(self, total: int | None) -> None:
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

    def cancelling(self) -> None:
        self.cancel.setEnabled(False)
        self.label.setText("Cancelling…")

    def finish(self) -> None:
        self.hide()
