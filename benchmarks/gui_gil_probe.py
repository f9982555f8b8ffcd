"""Why the window parses feeds in another process and draws list cells from Python: how long one
repaint of a 1,000-row × 6-column table over a Python model takes while another thread runs Python.

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_gil_probe.py

Every call Qt's C++ makes into the model's ``data()`` must win the interpreter lock back from the
busy thread (~1 ms each with ``sys.setswitchinterval(0.001)``, as ``reader`` runs); a Python
delegate enters Python once per cell and lets Qt ask the model from there, holding the lock.
"""

from __future__ import annotations

import sys
import threading
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem, QTableView


class Model(QAbstractTableModel):
    calls = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else 1000

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else 6

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        Model.calls += 1
        return f"row {index.row()} column {index.column()}" if role == Qt.ItemDataRole.DisplayRole else None


class PythonDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)


def main() -> int:
    sys.setswitchinterval(0.001)
    app = QApplication([])
    view = QTableView()
    view.setModel(Model())
    view.resize(1000, 700)
    view.show()
    app.processEvents()

    def repaint_ms() -> tuple[float, int]:
        Model.calls = 0
        t0 = time.perf_counter()
        view.viewport().update()
        app.processEvents()
        return (time.perf_counter() - t0) * 1000, Model.calls

    rows = [("idle", *repaint_ms())]
    stop = threading.Event()

    def busy() -> None:
        n = 0
        while not stop.is_set():
            n += 1

    threading.Thread(target=busy, daemon=True).start()
    time.sleep(0.05)
    rows.append(("a busy Python thread", *repaint_ms()))
    view.setItemDelegate(PythonDelegate(view))
    rows.append(("a busy Python thread, Python delegate", *repaint_ms()))
    stop.set()
    print("| repaint of the table | ms | data() calls |\n|---|---|---|")
    for name, ms, calls in rows:
        print(f"| {name} | {ms:.0f} | {calls} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
