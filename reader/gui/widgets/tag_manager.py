"""The tag manager: every tag as a nested tree (``region/belarus`` under ``region``) with its count
and colour; create, rename, merge, delete and colour.

Renaming a parent renames its children (``region`` -> ``place`` makes ``place/belarus``); renaming
onto an existing tag merges into it. The dialog only emits intents; the window hands them to the
annotations controller and calls :meth:`TagManager.set_tags` with fresh tags when they land.

Signals:
    create_requested(str, object): (name, colour "#rrggbb" or None).
    rename_requested(str, str): (old name, new name).
    merge_requested(object, str): (list of source names, target name).
    delete_requested(str): a tag name (its children are kept).
    color_requested(str, object): (name, colour "#rrggbb" or None to clear).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import Tag
from reader.gui.widgets.palette import swatch_icon

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
COLOR_ROLE = Qt.ItemDataRole.UserRole + 2


class TagManager(QDialog):
    """See the module docstring for its signals."""

    create_requested = Signal(str, object)
    rename_requested = Signal(str, str)
    merge_requested = Signal(object, str)
    delete_requested = Signal(str)
    color_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagManager")
        self.setWindowTitle("Manage Tags")
        self.resize(460, 520)
        self._tags: list[Tag] = []
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Tag", "Articles"])
        layout = QVBoxLayout(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("tagTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, handler in (
            ("new", "New…", self._on_new_clicked),
            ("rename", "Rename…", self._on_rename_clicked),
            ("merge", "Merge into…", self._on_merge_clicked),
            ("color", "Colour…", self._on_color_clicked),
            ("delete", "Delete", self._on_delete_clicked),
        ):
            b = QPushButton(text, self)
            b.clicked.connect(handler)
            row.addWidget(b)
            self.buttons[key] = b
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # --- feeding ----------------------------------------------------------------------------------
    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Rebuild the tree (parents that exist only through children are shown too)."""
        selected = set(self.selected_names())
        self._tags = list(tags)
        self.model.removeRows(0, self.model.rowCount())
        by_name = {t.name: t for t in tags}
        nodes: dict[str, QStandardItem] = {}
        root = self.model.invisibleRootItem()
        for tag in sorted(tags, key=lambda t: t.name.casefold()):
            parts = tag.name.split("/")
            parent = root
            for depth in range(1, len(parts) + 1):
                path = "/".join(parts[:depth])
                node = nodes.get(path)
                if node is None:
                    t = by_name.get(path)
                    name = QStandardItem(parts[depth - 1])
                    name.setData(path, NAME_ROLE)
                    name.setToolTip(path)
                    if t is not None and t.color:
                        name.setData(swatch_icon(t.color), Qt.ItemDataRole.DecorationRole)
                        name.setData(t.color, COLOR_ROLE)
                    count = QStandardItem(str(t.count) if t is not None else "")
                    count.setData(path, NAME_ROLE)
                    count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    parent.appendRow([name, count])
                    node = nodes[path] = name
                parent = node
        self.tree.expandAll()
        for path in selected:
            idx = self._find(path)
            if idx.isValid():
                self.tree.selectionModel().select(
                    idx, self.tree.selectionModel().SelectionFlag.Select | self.tree.selectionModel().SelectionFlag.Rows)
        self._update_buttons()

    def names(self) -> list[str]:
        """Every tag path shown (tests)."""
        out: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for r in range(self.model.rowCount(parent)):
                idx = self.model.index(r, 0, parent)
                out.append(str(idx.data(NAME_ROLE)))
                walk(idx)

        walk(QModelIndex())
        return out

    def count_of(self, name: str) -> int:
        t = next((t for t in self._tags if t.name == name), None)
        return t.count if t else 0

    def select_names(self, names: Sequence[str]) -> None:
        sm = self.tree.selectionModel()
        sm.clearSelection()
        for n in names:
            idx = self._find(n)
            if idx.isValid():
                sm.select(idx, sm.SelectionFlag.Select | sm.SelectionFlag.Rows)
                self.tree.setCurrentIndex(idx)

    def selected_names(self) -> list[str]:
        rows = self.tree.selectionModel().selectedRows(0) if self.tree.selectionModel() else []
        return [str(i.data(NAME_ROLE)) for i in rows]

    def _find(self, path: str) -> QModelIndex:
        def walk(parent: QModelIndex) -> QModelIndex:
            for r in range(self.model.rowCount(parent)):
                idx = self.model.index(r, 0, parent)
                if idx.data(NAME_ROLE) == path:
                    return idx
                found = walk(idx)
                if found.isValid():
                    return found
            return QModelIndex()

        return walk(QModelIndex())

    def _update_buttons(self) -> None:
        n = len(self.selected_names())
        self.buttons["rename"].setEnabled(n == 1)
        self.buttons["color"].setEnabled(n >= 1)
        self.buttons["delete"].setEnabled(n >= 1)
        self.buttons["merge"].setEnabled(n >= 1)

    # --- actions (dialogs; tests call the signals' targets through these with values) --------------
    def _on_new_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, "New tag", "Name (use / to nest, e.g. region/belarus):")
        if ok and name.strip():
            self.create_requested.emit(name.strip(), None)

    def _on_rename_clicked(self) -> None:
        names = self.selected_names()
        if len(names) != 1:
            return
        new, ok = QInputDialog.getText(self, "Rename tag", f"New name for “{names[0]}”:", text=names[0])
        if ok and new.strip() and new.strip() != names[0]:
            self.rename_requested.emit(names[0], new.strip())

    def _on_merge_clicked(self) -> None:
        names = self.selected_names()
        if not names:
            return
        choices = [n for n in self.names() if n not in names]
        target, ok = QInputDialog.getItem(self, "Merge tags", f"Merge {', '.join(names)} into:", choices, 0, True)
        if ok and target.strip():
            self.merge_requested.emit(names, target.strip())

    def _on_color_clicked(self) -> None:
        names = self.selected_names()
        if not names:
            return
        t = next((t for t in self._tags if t.name == names[0]), None)
        initial = QColor(t.color) if t is not None and t.color else QColor("#3b82e0")
        color = QColorDialog.getColor(initial, self, "Tag colour")
        if color.isValid():
            for n in names:
                self.color_requested.emit(n, color.name())

    def _on_delete_clicked(self) -> None:
        names = self.selected_names()
        if not names:
            return
        answer = QMessageBox.question(
            self, "Delete tags",
            f"Delete {', '.join(names)}? The articles stay; only the tag is removed from them.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            for n in names:
                self.delete_requested.emit(n)

    def _on_tree_context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for key in ("rename", "merge", "color", "delete", "new"):
            b = self.buttons[key]
            act = menu.addAction(b.text())
            act.setEnabled(b.isEnabled())
            act.triggered.connect(b.click)
        menu.popup(self.tree.viewport().mapToGlobal(pos))
