"""The sidebar: Library views, Feeds (folders, feeds with unread counts and an error badge), Tags
(nested tags as a tree) and Languages, each with a count.

A small QStandardItemModel (a few dozen rows, rebuilt when counts change) in a QTreeView; the
selection is kept across rebuilds.

Signals:
    view_selected(str, str): (kind, value) — ("view", "all"|"unread"|"starred"|"archive"),
        ("tag", "region/belarus"), ("lang", "ro"), ("saved", its query) or ("feed", its id).
    highlights_requested(str): a tag that is on highlights only (no article has it) was chosen:
        its highlights are what it holds (the window opens All Highlights on it); the list stays.
    context_action_requested(str, str, str): (kind, tag name or saved-search name, action) from the
        context menu: tags "rename" | "merge" | "delete" | "color" | "manage"; saved searches
        "rename" | "remove".
    feed_action_requested(int, str): (feed id, "refresh" | "mark_read" | "edit" | "unsubscribe") from
        a feed's context menu.
    folder_refresh_requested(str): a folder's "Refresh Folder" (its feeds: :meth:`Sidebar.folder_feeds`).
    add_feed_requested(): the Feeds section's "+" was clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from reader.core.models import Feed, Tag
from reader.gui.langnames import language_label
from reader.gui.widgets.palette import swatch_icon

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_ROLE = Qt.ItemDataRole.UserRole + 3  # a saved search's name (its value is the query)
COLOR_ROLE = Qt.ItemDataRole.UserRole + 4  # a tag's colour ("#rrggbb")
HIGHLIGHTS_ONLY_ROLE = Qt.ItemDataRole.UserRole + 5  # a tag on highlights only (no article)
ERROR_ROLE = Qt.ItemDataRole.UserRole + 6  # a feed's last error (its row shows the ⚠ badge)
ERROR_BADGE = "⚠"
FEED_ACTIONS = (("refresh", "Refresh"), ("mark_read", "Mark All as Read"), ("edit", "Edit…"),
                ("unsubscribe", "Unsubscribe…"))
VIEWS = (("all", "All articles"), ("unread", "Unread"), ("starred", "Starred"), ("archive", "Archive"))


class Sidebar(QTreeView):
    """The left pane. See the module docstring for its signal."""

    view_selected = Signal(str, str)
    highlights_requested = Signal(str)
    context_action_requested = Signal(str, str, str)
    feed_action_requested = Signal(int, str)
    folder_refresh_requested = Signal(str)
    add_feed_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._model = QStandardItemModel(0, 2, self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._current: tuple[str, str] = ("view", "all")
        self._rebuilding = False
        self._saved: list[Any] = []  # SavedSearch rows (name, query, count, error)
        self._feeds: list[Feed] = []
        self._last: tuple[dict[str, int], Sequence[Tag], Sequence[tuple[str, int]]] = ({}, [], [])
        self._built_shape: object = None  # what the entries shown were built from, but their numbers
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.set_counts({"all": 0, "unread": 0, "starred": 0, "archive": 0}, [], [])
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.clicked.connect(self._on_clicked)

    def current(self) -> tuple[str, str]:
        return self._current

    def select(self, kind: str, value: str) -> None:
        """Select an entry programmatically (emits ``view_selected`` when it changes)."""
        index = self._find(kind, value)
        if index.isValid():
            self.setCurrentIndex(index)

    def set_counts(self, views: dict[str, int], tags: Sequence[Tag], langs: Sequence[tuple[str, int]]) -> None:
        """Show fresh counts, keeping the current selection: the same entries get their new numbers
        in place (a feeds refresh updates them every few seconds; rebuilding 200 feed rows each time
        was a visible hitch), other entries are rebuilt."""
        self._last = (views, list(tags), list(langs))
        shape = self._shape(views, tags, langs)
        if shape == self._built_shape:
            self._update_in_place(views, tags, langs)
            return
        self._built_shape = shape
        self._rebuilding = True
        try:
            model = self._model
            model.removeRows(0, model.rowCount())
            library = self._section("Library")
            for key, label in VIEWS:
                library.appendRow(self._row(label, views.get(key, 0), "view", key))
            self._add_feeds()
            if self._saved:
                saved_section = self._section("Saved searches")
                for s in self._saved:
                    row = self._row(s.name, s.count or 0, "saved", s.query)
                    row[0].setData(s.name, NAME_ROLE)
                    row[0].setToolTip(f"{s.query}\n{s.error}" if s.error else s.query)
                    saved_section.appendRow(row)
            if tags:
                tag_section = self._section("Tags")
                nodes: dict[str, QStandardItem] = {}
                counts = {t.name: t.count for t in tags}
                marked = {t.name: t.highlights for t in tags}
                colors = {t.name: t.color for t in tags if t.color}
                for tag in sorted(tags, key=lambda t: t.name.casefold()):
                    parts = tag.name.split("/")
                    parent = tag_section
                    for depth in range(1, len(parts) + 1):
                        path = "/".join(parts[:depth])
                        node = nodes.get(path)
                        if node is None:  # a parent that exists only through its children
                            row = self._row(parts[depth - 1], counts.get(path, 0), "tag", path)
                            if not counts.get(path) and marked.get(path) and not any(
                                    n.startswith(path + "/") and counts[n] for n in counts):
                                n = marked[path]
                                row[1].setText(f"✎ {n}")
                                row[0].setData(True, HIGHLIGHTS_ONLY_ROLE)
                                for item in row:
                                    item.setToolTip(f"On {n} highlight{'s' if n != 1 else ''}, no article: "
                                                    "choose it to see them in All Highlights")
                            if path in colors:
                                row[0].setData(swatch_icon(colors[path]), Qt.ItemDataRole.DecorationRole)
                                row[0].setData(colors[path], COLOR_ROLE)
                            parent.appendRow(row)
                            node = nodes[path] = row[0]
                        parent = node
            if langs:
                lang_section = self._section("Languages")
                for code, count in langs:
                    lang_section.appendRow(self._row(language_label(code), count, "lang", code))
            self.expandAll()
            index = self._find(*self._current)
            if not index.isValid():
                self._current = ("view", "all")
                index = self._find("view", "all")
            self.setCurrentIndex(index)
        finally:
            self._rebuilding = False

    def _shape(self, views: dict[str, int], tags: Sequence[Tag], langs: Sequence[tuple[str, int]]) -> object:
        """Everything the entries are built from except the numbers that change in place."""
        return (
            tuple(sorted(views)),
            tuple((f.id, f.folder, f.title) for f in self._feeds),
            tuple((s.name, s.query) for s in self._saved),
            tuple((t.name, t.color, bool(t.count), bool(t.highlights)) for t in tags),
            tuple(code for code, _ in langs),
        )

    def _update_in_place(self, views: dict[str, int], tags: Sequence[Tag],
                         langs: Sequence[tuple[str, int]]) -> None:
        """New numbers (and feed badges, tooltips) on the entries shown; only changed cells repaint."""
        feeds = {str(f.id): f for f in self._feeds}
        saved = {s.query: s for s in self._saved}
        tag_counts = {t.name: t for t in tags}
        lang_counts = dict(langs)

        def put(item: QStandardItem | None, text: str) -> None:
            if item is not None and item.text() != text:
                item.setText(text)

        def walk(parent: QStandardItem) -> None:
            for r in range(parent.rowCount()):
                name, num = parent.child(r, 0), parent.child(r, 1)
                kind, value = name.data(KIND_ROLE), name.data(VALUE_ROLE)
                if kind == "view":
                    put(num, _count(views.get(value, 0)))
                elif kind == "feed" and value in feeds:
                    text, tip = _feed_texts(feeds[value])
                    put(num, text)
                    name.setData(feeds[value].last_error, ERROR_ROLE)
                    for item in (name, num):
                        if item is not None and item.toolTip() != tip:
                            item.setToolTip(tip)
                elif kind == "feed_folder":
                    put(num, _count(sum(f.unread for f in self._feeds if f.folder and (
                        f.folder == value or f.folder.startswith(value + "/")))))
                elif kind == "saved" and value in saved:
                    found = saved[value]
                    put(num, _count(found.count or 0))
                    tip = f"{found.query}\n{found.error}" if found.error else found.query
                    if name.toolTip() != tip:
                        name.setToolTip(tip)
                elif kind == "tag" and value in tag_counts:
                    tag = tag_counts[value]
                    put(num, f"✎ {tag.highlights}" if name.data(HIGHLIGHTS_ONLY_ROLE) else _count(tag.count))
                elif kind == "lang":
                    put(num, _count(lang_counts.get(value, 0)))
                if name.hasChildren():
                    walk(name)

        # the numbers' column fits its contents: measured per changed cell that was every row again
        # for each one (200 feeds: 140 ms); fixed while they change, it is measured once after
        header = self.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        try:
            walk(self._model.invisibleRootItem())
        finally:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def set_saved_searches(self, items: Sequence[Any]) -> None:
        """Show saved searches (with their counts) as smart views; keeps the other entries."""
        self._saved = list(items)
        self.set_counts(*self._last)

    def set_feeds(self, feeds: Sequence[Feed]) -> None:
        """Show the subscriptions (folders, unread counts, error badges); keeps the other entries."""
        if list(feeds) != self._feeds:
            self._feeds = list(feeds)
            self.set_counts(*self._last)

    def folder_feeds(self, folder: str) -> list[int]:
        """The ids of the feeds in ``folder`` (and its sub-folders)."""
        return [f.id for f in self._feeds if f.folder and (f.folder == folder or f.folder.startswith(folder + "/"))]

    def feed_index(self, feed_id: int) -> QModelIndex:
        """The row of a feed (tests, accessibility); invalid when it is not shown."""
        return self._find("feed", str(feed_id))

    def feed_entries(self) -> list[tuple[str, str, str]]:
        """(folder path or "", label, count text) of the feed rows, in order (tests, accessibility)."""
        out: list[tuple[str, str, str]] = []

        def walk(parent: QModelIndex, folder: str) -> None:
            for r in range(self._model.rowCount(parent)):
                idx = self._model.index(r, 0, parent)
                if idx.data(KIND_ROLE) == "feed":
                    out.append((folder, str(idx.data()), str(self._model.index(r, 1, parent).data())))
                elif idx.data(KIND_ROLE) == "feed_folder":
                    walk(idx, str(idx.data(VALUE_ROLE)))

        head = self._section_index("FEEDS")
        if head.isValid():
            walk(head, "")
        return out

    def add_button_index(self) -> QModelIndex:
        """The Feeds section's "+" (column 1 of its heading)."""
        head = self._section_index("FEEDS")
        return head.siblingAtColumn(1) if head.isValid() else QModelIndex()

    def _section_index(self, title: str) -> QModelIndex:
        for r in range(self._model.rowCount()):
            head = self._model.index(r, 0)
            if head.data(Qt.ItemDataRole.DisplayRole) == title:
                return head
        return QModelIndex()

    def _add_feeds(self) -> None:
        """The Feeds section: always there (its "+" adds the first feed), folders as nodes."""
        section = self._section("Feeds")
        plus = self._model.item(section.row(), 1)
        plus.setText("+")
        plus.setData("add_feed", KIND_ROLE)
        plus.setToolTip("Add Feed…")
        plus.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        folders: dict[str, QStandardItem] = {}

        def folder_node(path: str) -> QStandardItem:
            node = folders.get(path)
            if node is None:
                parent_path, _, name = path.rpartition("/")
                parent = folder_node(parent_path) if parent_path else section
                unread = sum(f.unread for f in self._feeds if f.folder and (f.folder == path
                                                                           or f.folder.startswith(path + "/")))
                row = self._row(name, unread, "feed_folder", path)
                row[0].setToolTip(path)
                for item in row:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                parent.appendRow(row)
                node = folders[path] = row[0]
            return node

        for feed in sorted(self._feeds, key=lambda f: (f.folder is None, (f.folder or "").casefold(),
                                                        f.title.casefold(), f.id)):
            parent = folder_node(feed.folder) if feed.folder else section
            row = self._row(feed.title, feed.unread, "feed", str(feed.id))
            text, tip = _feed_texts(feed)
            row[1].setText(text)
            if feed.last_error:
                row[0].setData(feed.last_error, ERROR_ROLE)
            for item in row:
                item.setToolTip(tip)
            parent.appendRow(row)

    def saved_entries(self) -> list[tuple[str, str]]:
        """(label, count text) of the saved-search rows (tests, accessibility)."""
        out: list[tuple[str, str]] = []
        for r in range(self._model.rowCount()):
            head = self._model.index(r, 0)
            if head.data(Qt.ItemDataRole.DisplayRole) == "SAVED SEARCHES":
                for c in range(self._model.rowCount(head)):
                    out.append((str(self._model.index(c, 0, head).data()), str(self._model.index(c, 1, head).data())))
        return out

    def _on_context_menu_requested(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        kind = index.data(KIND_ROLE) if index.isValid() else None
        if kind in ("feed", "feed_folder"):
            self._feed_menu(kind, str(index.data(VALUE_ROLE)), pos)
            return
        if kind not in ("tag", "saved"):
            return
        name = self._model.index(index.row(), 0, index.parent()).data(NAME_ROLE if kind == "saved" else VALUE_ROLE)
        menu = QMenu(self)
        entries = (
            (("rename", "Rename…"), ("merge", "Merge into…"), ("color", "Colour…"), ("delete", "Delete"),
             ("manage", "Manage Tags…"))
            if kind == "tag" else (("rename", "Rename…"), ("remove", "Remove"))
        )
        for action, text in entries:
            act = menu.addAction(text)
            act.triggered.connect(lambda _=False, a=action: self.context_action_requested.emit(kind, name, a))
        menu.popup(self.viewport().mapToGlobal(pos))

    def _feed_menu(self, kind: str, value: str, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("feedMenu")
        if kind == "feed":
            for action, text in FEED_ACTIONS:
                act = menu.addAction(text)
                act.setObjectName(f"feed_{action}")
                act.triggered.connect(lambda _=False, a=action: self.feed_action_requested.emit(int(value), a))
        else:
            act = menu.addAction("Refresh Folder")
            act.setObjectName("feed_refresh_folder")
            act.triggered.connect(lambda _=False: self.folder_refresh_requested.emit(value))
        menu.popup(self.viewport().mapToGlobal(pos))

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(KIND_ROLE) == "add_feed":
            self.add_feed_requested.emit()

    def _section(self, title: str) -> QStandardItem:
        head = QStandardItem(title.upper())
        head.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = head.font()
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        head.setFont(font)
        head.setData("section", KIND_ROLE)
        filler = QStandardItem("")
        filler.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self._model.appendRow([head, filler])
        return head

    @staticmethod
    def _row(label: str, count: int, kind: str, value: str) -> list[QStandardItem]:
        name = QStandardItem(label)
        name.setData(kind, KIND_ROLE)
        name.setData(value, VALUE_ROLE)
        name.setToolTip(value if kind == "tag" else label)
        num = QStandardItem(_count(count))
        num.setData(kind, KIND_ROLE)
        num.setData(value, VALUE_ROLE)
        num.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        num.setData("count", Qt.ItemDataRole.AccessibleDescriptionRole)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        name.setFlags(flags)
        num.setFlags(flags)
        return [name, num]

    def _find(self, kind: str, value: str) -> QModelIndex:
        def walk(parent: QModelIndex) -> QModelIndex:
            for r in range(self._model.rowCount(parent)):
                idx = self._model.index(r, 0, parent)
                if idx.data(KIND_ROLE) == kind and idx.data(VALUE_ROLE) == value:
                    return idx
                found = walk(idx)
                if found.isValid():
                    return found
            return QModelIndex()

        return walk(QModelIndex())

    def _reselect_current(self) -> None:
        """Put the selection back on the view the list shows (after a highlights-only tag)."""
        self._rebuilding = True
        try:
            self.setCurrentIndex(self._find(*self._current))
        finally:
            self._rebuilding = False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._rebuilding:
            return
        kind, value = current.data(KIND_ROLE), current.data(VALUE_ROLE)
        if kind in (None, "section"):
            return
        if kind == "tag" and self._model.index(current.row(), 0, current.parent()).data(HIGHLIGHTS_ONLY_ROLE):
            # no article has it: the list would be empty; its highlights are shown instead
            self.highlights_requested.emit(value)
            QTimer.singleShot(0, self._reselect_current)
            return
        if (kind, value) != self._current:
            self._current = (kind, value)
            self.view_selected.emit(kind, value)


def _count(count: int) -> str:
    """A sidebar number: blank for none."""
    return str(count) if count else ""


def _feed_texts(feed: Feed) -> tuple[str, str]:
    """A feed row's number (with the error badge) and its tooltip."""
    if feed.last_error:
        text = f"{ERROR_BADGE} {feed.unread}" if feed.unread else ERROR_BADGE
        return text, f"{feed.title}\n{feed.url}\nLast error: {feed.last_error}"
    if feed.last_ok:
        return _count(feed.unread), f"{feed.title}\n{feed.url}\nUpdated {feed.last_ok.replace('T', ' ').rstrip('Z')} UTC"
    return _count(feed.unread), feed.url
