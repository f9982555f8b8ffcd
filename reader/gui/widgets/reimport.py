"""Re-import a file with another encoding: the window's side of ``reader-cli import --encoding``.

A close call on a file's encoding (see :func:`reader.core.importing.encoding_warning`) is listed in
the import summary with a passage of the file in each candidate reading, so the person can see which
one reads right; the article an earlier import made then gets the new text (highlights re-anchored).
The dialog only collects the choice (:meth:`ReimportDialog.choice`); the window runs the import.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import ImportOutcome

#: Offered under "Other encoding" (the code pages the library's languages were written in).
COMMON_ENCODINGS = (
    "utf-8", "utf-16", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257",
    "iso-8859-1", "iso-8859-2", "iso-8859-4", "iso-8859-5", "iso-8859-7", "iso-8859-9",
    "iso-8859-13", "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u", "cp866", "mac-cyrillic",
    "mac-roman", "cp852", "cp775",
)
OTHER = "Other encoding:"


@dataclass(frozen=True)
class ReimportFile:
    """One file that can be re-imported: its path, the encoding it was read with (if known), the
    readings that came close, and a passage in each."""

    path: str
    encoding: str | None = None
    alternatives: tuple[str, ...] = ()
    samples: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_outcome(cls, outcome: ImportOutcome) -> ReimportFile:
        return cls(outcome.path, outcome.encoding, outcome.alternatives, outcome.samples)


def is_known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


class ReimportDialog(QDialog):
    """Pick a file (when there are several) and the encoding to read it with."""

    def __init__(self, files: Sequence[ReimportFile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-import with another encoding")
        self.setMinimumWidth(640)
        self._files = list(files)
        layout = QVBoxLayout(self)
        self.file_box = QComboBox()
        self.file_box.setObjectName("reimportFile")
        for f in self._files:
            self.file_box.addItem(f.path)
        self.file_box.setVisible(len(self._files) > 1)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setVisible(len(self._files) == 1)
        layout.addWidget(self.file_label)
        layout.addWidget(self.file_box)
        layout.addWidget(QLabel("Choose the reading that looks right:"))
        self.readings = QListWidget()
        self.readings.setObjectName("reimportReadings")
        self.readings.setWordWrap(True)
        layout.addWidget(self.readings)
        self.other = QComboBox()
        self.other.setObjectName("reimportOther")
        self.other.setEditable(True)
        self.other.addItems(COMMON_ENCODINGS)
        self.other.setEnabled(False)
        layout.addWidget(self.other)
        self.problem = QLabel()
        self.problem.setObjectName("reimportProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reimport_button = self.buttons.addButton("Re-import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reimport_button.setObjectName("reimportAccept")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.file_box.currentIndexChanged.connect(self._show_file)
        self.readings.currentItemChanged.connect(self._on_reading_changed)
        self._show_file(0)

    # --- what the person chose ------------------------------------------------------------------
    def choice(self) -> tuple[str, str] | None:
        """(path, encoding), or None when the encoding is not one Python knows."""
        if not self._files:
            return None
        path = self._files[self.file_box.currentIndex()].path
        item = self.readings.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else OTHER
        if name == OTHER:
            name = self.other.currentText().strip()
        if not name or not is_known_encoding(name):
            return None
        return path, str(name)

    # --- internals ------------------------------------------------------------------------------
    def _show_file(self, index: int) -> None:
        self.readings.clear()
        if not self._files:
            return
        f = self._files[max(0, index)]
        self.file_label.setText(f"<b>{f.path}</b>" + (f"<br>read as {f.encoding}" if f.encoding else ""))
        samples = dict(f.samples)
        names = [n for n in dict.fromkeys(f.alternatives) if n != f.encoding]
        for name in names:
            passage = samples.get(name)
            item = QListWidgetItem(f"{name} — “{passage}”" if passage else name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.readings.addItem(item)
        if f.encoding and f.encoding in samples:
            current = QListWidgetItem(f"{f.encoding} (as imported) — “{samples[f.encoding]}”")
            current.setData(Qt.ItemDataRole.UserRole, f.encoding)
            current.setFlags(current.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.readings.addItem(current)
        other = QListWidgetItem(OTHER)
        other.setData(Qt.ItemDataRole.UserRole, OTHER)
        self.readings.addItem(other)
        self.readings.setCurrentRow(0)

    def _on_reading_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.other.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole) == OTHER)
        self.problem.setVisible(False)

    def _accept_if_valid(self) -> None:
        if self.choice() is None:
            self.problem.setText(f"“{self.other.currentText().strip()}” is not an encoding this app knows.")
            self.problem.setVisible(True)
            return
        self.accept()
