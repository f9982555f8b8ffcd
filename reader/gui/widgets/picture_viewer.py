"""Pictures in the reader pane: the decoded-picture cache, the size a figure is drawn at, and the
full-size viewer a click on a figure opens.

Pictures come only from the library (the library controller decodes them off the GUI thread, from
``Library.get_image``); nothing here reads a file or the network. :class:`PictureCache` keeps the
decoded pictures of the articles read lately as QPixmaps (made on the GUI thread from the worker's
QImage), bounded by bytes, so a re-render (mode, font, a translated paragraph) or going back to an
article shows them at once.

:class:`PictureViewer` shows one picture at its own size, scrollable; Esc (or Close) closes it.
No signals.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

#: The URL scheme of a stored picture in the pane's document: ``reader-image:<sha256>``.
PICTURE_SCHEME = "reader-image"
#: Decoded pictures kept for the articles read lately (bytes of pixels, 4 per pixel).
CACHE_BYTES = 160 * 1024 * 1024


def fit_size(width: int, height: int, column: float) -> tuple[int, int]:
    """The size (logical pixels) a ``width`` x ``height`` picture is drawn at in a text column:
    its own size, or narrower to fit the column, keeping its aspect; never 0."""
    width, height = max(1, width), max(1, height)
    w = min(float(width), max(16.0, column))
    return max(1, round(w)), max(1, round(w * height / width))


def decode_width(shown_width: int, natural_width: int, ratio: float) -> int:
    """How many pixels wide to decode a picture shown ``shown_width`` logical pixels wide on a
    screen of device pixel ratio ``ratio`` (HiDPI: more pixels), never more than it has."""
    return max(1, min(natural_width, math.ceil(shown_width * max(1.0, ratio))))


class PictureCache:
    """Decoded pictures by sha256 (the widest decoded so far), least recently used dropped first
    once they hold more than ``max_bytes`` of pixels."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, QPixmap] = OrderedDict()
        self._bytes = 0

    @staticmethod
    def _size(pm: QPixmap) -> int:
        return pm.width() * pm.height() * 4

    def get(self, sha: str, width: int = 0) -> QPixmap | None:
        """The cached picture if it is at least ``width`` pixels wide (0: any)."""
        pm = self._items.get(sha)
        if pm is None or pm.width() < width:
            return None
        self._items.move_to_end(sha)
        return pm

    def put(self, sha: str, pm: QPixmap) -> None:
        old = self._items.pop(sha, None)
        if old is not None:
            self._bytes -= self._size(old)
        self._items[sha] = pm
        self._bytes += self._size(pm)
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= self._size(dropped)

    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


class PictureViewer(QDialog):
    """One picture at full size in a scrollable window; Esc closes it."""

    def __init__(self, sha: str, alt: str, preview: QPixmap | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pictureViewer")
        self.sha = sha
        self.setWindowTitle(alt or "Picture")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea(self)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel(self.scroller)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setToolTip(alt)
        self.scroller.setWidget(self.label)
        self.scroller.setWidgetResizable(False)
        layout.addWidget(self.scroller)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        self.full = False
        if preview is not None and not preview.isNull():
            self._show_pixmap(preview)
        else:
            self.label.setText("Loading the picture…")
            self.label.adjustSize()
            self.resize(320, 200)

    def set_image(self, image: QImage | None) -> None:
        """The original picture arrived (None: it could not be read)."""
        if image is None or image.isNull():
            if not self.full:
                self.label.setText("This picture could not be read.")
                self.label.adjustSize()
            return
        self.full = True
        self._show_pixmap(QPixmap.fromImage(image))

    def picture_size(self) -> tuple[int, int]:
        pm = self.label.pixmap()
        return (pm.width(), pm.height()) if pm is not None and not pm.isNull() else (0, 0)

    def _show_pixmap(self, pm: QPixmap) -> None:
        self.label.setPixmap(pm)
        self.label.resize(pm.size())
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        max_w = int(avail.width() * 0.9) if avail is not None else 1200
        max_h = int(avail.height() * 0.9) if avail is not None else 900
        self.resize(min(max_w, pm.width() + 4), min(max_h, pm.height() + 4))


__all__ = ["CACHE_BYTES", "PICTURE_SCHEME", "PictureCache", "PictureViewer", "decode_width", "fit_size"]
