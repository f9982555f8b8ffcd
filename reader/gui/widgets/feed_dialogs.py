"""The feeds dialogs: Add Feed (address, discovery preview, options), Edit Feed, the Unsubscribe
question and Save Link. They show data and emit intents; the network runs elsewhere (the window's
feeds part asks the controller and hands the answers back with :meth:`AddFeedDialog.set_candidates`
/ :meth:`AddFeedDialog.set_error`).

Signals (AddFeedDialog):
    lookup_requested(str): the person asked which feeds an address offers (Look Up, or Enter).
    subscribe_requested(object): a :class:`FeedChoice` (Subscribe).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import FULL_TEXT_MODES, Feed

FULL_TEXT_LABELS = {
    "auto": "When entries carry only a summary",
    "always": "Always fetch the article page",
    "never": "Never (keep the feed's text)",
}
KIND_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedChoice:
    """What Add Feed asks for: the feed (or page) address and the options."""

    url: str
    site_url: str | None
    folder: str | None
    title: str | None
    full_text: str


def _folder_box(folders: Sequence[str], current: str | None) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItem("")
    for folder in folders:
        box.addItem(folder)
    box.setCurrentText(current or "")
    edit = box.lineEdit()
    if edit is not None:
        edit.setPlaceholderText("No folder")
    return box


def _full_text_box(current: str) -> QComboBox:
    box = QComboBox()
    for mode in FULL_TEXT_MODES:
        box.addItem(FULL_TEXT_LABELS[mode], mode)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class AddFeedDialog(QDialog):
    """See the module docstring. Non-modal (``open()``): the look-up's answer arrives later."""

    lookup_requested = Signal(str)
    subscribe_requested = Signal(object)

    def __init__(self, folders: Sequence[str], parent: QWidget | None = None, *, url: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("addFeedDialog")
        self.setWindowTitle("Add Feed")
        self._looked_up: str | None = None  # the address the candidates are for
        self.url = QLineEdit(url)
        self.url.setObjectName("feedUrl")
        self.url.setPlaceholderText("https://example.com/ or its feed's address")
        self.lookup = QPushButton("&Look Up")
        self.lookup.setObjectName("feedLookup")
        self.lookup.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.lookup)
        self.status = QLabel("Type the address of a site or of its feed, then Look Up.")
        self.status.setObjectName("feedStatus")
        self.status.setWordWrap(False)
        self.candidates = QListWidget()
        self.candidates.setObjectName("feedCandidates")
        self.candidates.setMinimumHeight(90)
        self.folder = _folder_box(folders, None)
        self.title = QLineEdit()
        self.title.setPlaceholderText("The feed's own title")
        self.full_text = _full_text_box("auto")
        form = QFormLayout()
        form.addRow("&Address", row)
        form.addRow("", self.status)
        form.addRow("&Feeds found", self.candidates)
        form.addRow("F&older", self.folder)
        form.addRow("&Title", self.title)
        form.addRow("Full te&xt", self.full_text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.subscribe = self.buttons.addButton("&Subscribe", QDialogButtonBox.ButtonRole.AcceptRole)
        self.subscribe.setObjectName("feedSubscribe")
        self.buttons.accepted.connect(self._on_subscribe)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.lookup.clicked.connect(lambda _=False: self._on_lookup())
        self.url.returnPressed.connect(self._on_lookup)
        self.url.textChanged.connect(self._update_buttons)
        self.candidates.itemDoubleClicked.connect(lambda _item: self._on_subscribe())
        self.resize(560, self.sizeHint().height())
        self._update_buttons()

    def set_looking(self) -> None:
        self.status.setText("Looking up…")
        self.lookup.setEnabled(False)

    def set_candidates(self, url: str, candidates: Sequence[Any]) -> None:
        """The feeds the address offers (``FeedCandidate``: url, title, kind, source); the first chosen."""
        self.lookup.setEnabled(True)
        if url != self._address():
            return  # the person typed another address meanwhile
        self._looked_up = url
        self.candidates.clear()
        for c in candidates:
            label = f"{c.title or c.url}  —  {KIND_LABELS.get(c.kind, c.kind)}, {c.url}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, c.url)
            item.setData(Qt.ItemDataRole.UserRole + 1, c.source)
            item.setToolTip(c.url)
            self.candidates.addItem(item)
        if candidates:
            self.candidates.setCurrentRow(0)
        n = len(candidates)
        self.status.setText(f"{n} feed{'s' if n != 1 else ''} found: choose one, then Subscribe.")
        self._update_buttons()

    def set_error(self, url: str, message: str) -> None:
        """A look-up or subscription failed: one line under the address."""
        self.lookup.setEnabled(True)
        self.subscribe.setEnabled(bool(self._address()))
        if url == self._address() or not url:
            self.status.setText(" ".join(message.split()))

    def choice(self) -> FeedChoice:
        item = self.candidates.currentItem()
        typed = self._address()
        chosen = str(item.data(Qt.ItemDataRole.UserRole)) if item is not None and self._looked_up == typed else None
        direct = item is not None and item.data(Qt.ItemDataRole.UserRole + 1) == "direct"
        return FeedChoice(
            url=chosen or typed,
            site_url=typed if chosen and chosen != typed and not direct else None,
            folder=self.folder.currentText().strip() or None,
            title=self.title.text().strip() or None,
            full_text=str(self.full_text.currentData()),
        )

    def _address(self) -> str:
        return self.url.text().strip()

    def _on_lookup(self) -> None:
        if self._address():
            self.set_looking()
            self.lookup_requested.emit(self._address())

    def _on_subscribe(self) -> None:
        if not self._address():
            return
        self.status.setText("Subscribing…")
        self.subscribe.setEnabled(False)
        self.subscribe_requested.emit(self.choice())

    def _update_buttons(self) -> None:
        self.subscribe.setEnabled(bool(self._address()))
        self.lookup.setEnabled(bool(self._address()))


class EditFeedDialog(QDialog):
    """A subscription's options: title, folder, full text, update interval, keep days, translate
    ahead. :meth:`changes` gives what differs from the feed as ``FeedService.edit`` arguments."""

    def __init__(self, feed: Feed, folders: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editFeedDialog")
        self.setWindowTitle(f"Edit Feed — {feed.title}")
        self.feed = feed
        self.title = QLineEdit(feed.title if feed.title_set else "")
        self.title.setPlaceholderText(feed.title)
        self.title.setObjectName("feedTitle")
        self.folder = _folder_box(folders, feed.folder)
        self.folder.setObjectName("feedFolder")
        self.full_text = _full_text_box(feed.full_text)
        self.interval = QSpinBox()
        self.interval.setRange(5, 7 * 24 * 60)
        self.interval.setSuffix(" min")
        self.interval.setValue(feed.interval_minutes)
        self.keep = QSpinBox()
        self.keep.setRange(0, 36_500)
        self.keep.setSpecialValueText("For ever")
        self.keep.setSuffix(" days")
        self.keep.setValue(feed.keep_days or 0)
        self.translate = QLineEdit(feed.translate_to or "")
        self.translate.setPlaceholderText("e.g. en (empty: do not translate ahead)")
        address = QLabel(feed.url)
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Address", address)
        form.addRow("&Title", self.title)
        form.addRow("F&older", self.folder)
        form.addRow("Full te&xt", self.full_text)
        form.addRow("&Update every", self.interval)
        form.addRow("&Keep articles", self.keep)
        form.addRow("Tr&anslate new items into", self.translate)
        if feed.last_error:
            error = QLabel(f"Last error: {feed.last_error}")
            error.setWordWrap(True)
            form.addRow("", error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        f = self.feed
        out: dict[str, Any] = {}
        title = self.title.text().strip()
        if title != (f.title if f.title_set else ""):
            out["title"] = title or None
        folder = self.folder.currentText().strip() or None
        if folder != f.folder:
            out["folder"] = folder
        if self.full_text.currentData() != f.full_text:
            out["full_text"] = str(self.full_text.currentData())
        if self.interval.value() != f.interval_minutes:
            out["interval_minutes"] = self.interval.value()
        keep = self.keep.value() or None
        if keep != f.keep_days:
            out["keep_days"] = keep
        translate = self.translate.text().strip() or None
        if translate != f.translate_to:
            out["translate_to"] = translate
        return out


def unsubscribe_box(feed: Feed, parent: QWidget | None = None) -> tuple[QMessageBox, dict[str, QPushButton]]:
    """Unsubscribe from a feed: keep its articles, delete them (starred and annotated ones stay), or not."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsubscribe", f"Unsubscribe from “{feed.title}”?", parent=parent)
    box.setObjectName("unsubscribeBox")
    box.setInformativeText("Its articles can stay in the library, or go with it (starred articles and those "
                           "with highlights or a note always stay).")
    buttons = {
        "keep": box.addButton("Unsubscribe, &Keep Articles", QMessageBox.ButtonRole.AcceptRole),
        "delete": box.addButton("Unsubscribe, &Delete Articles", QMessageBox.ButtonRole.DestructiveRole),
        "cancel": box.addButton(QMessageBox.StandardButton.Cancel),
    }
    box.setDefaultButton(buttons["keep"])
    box.setEscapeButton(buttons["cancel"])
    return box, buttons


class SaveLinkDialog(QDialog):
    """File › Save Link…: a web address to fetch once and keep as an article."""

    def __init__(self, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveLinkDialog")
        self.setWindowTitle("Save Link")
        self.url = QLineEdit(url)
        self.url.setObjectName("linkUrl")
        self.url.setPlaceholderText("https://example.com/an-article")
        label = QLabel("The page is fetched once; its article (text and pictures) is kept for offline reading.")
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(lambda text: self.save.setEnabled(bool(text.strip())))
        self.save.setEnabled(bool(url.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.url)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def address(self) -> str:
        return self.url.text().strip()


__all__ = ["AddFeedDialog", "EditFeedDialog", "FeedChoice", "SaveLinkDialog", "unsubscribe_box"]
