"""The translation bar under the reader toolbar: progress while translating, and plain words when
something is missing ("7 of 12 paragraphs cached — the server cannot be reached"), with Cancel or
Retry. It shows a :class:`TranslationStatus` (defined here: the bar's input, which the translation
controller produces); it decides nothing.

Signals:
    cancel_requested(): the Cancel button was clicked.
    retry_requested(): the Retry button was clicked.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

DONE_TIMEOUT_MS = 4000
#: (background, border, text) per theme and kind: the same tints as the window's message bar
COLORS = {
    ("light", "info"): ("#e8f0fd", "#c9d9f5", "#1d3a6e"),
    ("light", "error"): ("#fdecea", "#f3c2bd", "#7a1b14"),
    ("dark", "info"): ("#1e2a3f", "#2e3a52", "#c9d8f5"),
    ("dark", "error"): ("#3b1e1c", "#5a2a26", "#f6c7c2"),
}


@dataclass(frozen=True)
class TranslationStatus:
    """What the translation bar shows. ``state``: hidden | translating | failed | cancelled | done."""

    article_id: int
    state: str
    done: int = 0
    total: int = 0
    ready: int = 0
    paragraphs: int = 0
    failed: int = 0
    message: str = ""

    def text(self) -> str:
        if self.state == "translating":
            return f"Translating {min(self.done + 1, self.total)} of {self.total}…"
        if self.state == "failed":
            what = f"{self.ready} of {self.paragraphs} paragraphs cached" if self.ready < self.paragraphs else (
                "Title not translated")
            return f"{what} — {self.message}" if self.message else what
        if self.state == "cancelled":
            return f"Translation cancelled: {self.ready} of {self.paragraphs} paragraphs translated"
        if self.state == "done":
            return self.message
        return ""


class TranslationBar(QFrame):
    """See the module docstring."""

    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("translationBar")
        self.setProperty("kind", "info")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 6, 4)
        layout.setSpacing(8)
        self.label = QLabel(self)
        self.label.setObjectName("translationStatus")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("translationProgress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(120)
        self.progress.setMaximumHeight(8)
        layout.addWidget(self.progress)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop translating (what arrived is kept)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout.addWidget(self.cancel_button)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setToolTip("Try the missing paragraphs again")
        self.retry_button.clicked.connect(self.retry_requested)
        layout.addWidget(self.retry_button)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._status = TranslationStatus(0, "hidden")
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)
        self.hide()

    def status(self) -> TranslationStatus:
        return self._status

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def _apply_style(self, kind: str) -> None:
        app = QApplication.instance()
        theme = "dark" if app is not None and app.property("reader_theme") == "dark" else "light"
        bg, border, fg = COLORS[(theme, kind)]
        sheet = (f"QFrame#translationBar {{ background: {bg}; border-bottom: 1px solid {border}; }}"
                 f" QFrame#translationBar QLabel {{ color: {fg}; background: transparent; }}")
        self.setProperty("kind", kind)
        if self.styleSheet() != sheet:
            self.setStyleSheet(sheet)

    def set_status(self, status: TranslationStatus) -> None:
        """Show a status (``hidden`` hides the bar; ``done`` goes away by itself)."""
        self._status = status
        self._hide_timer.stop()
        if status.state == "hidden":
            self.hide()
            return
        self._apply_style("error" if status.state == "failed" else "info")
        self.label.setText(status.text())
        translating = status.state == "translating"
        self.progress.setVisible(translating)
        if translating:
            self.progress.setRange(0, max(1, status.total))
            self.progress.setValue(status.done)
        self.cancel_button.setVisible(translating)
        self.retry_button.setVisible(status.state in ("failed", "cancelled"))
        self.retry_button.setText("Retry" if status.state == "failed" else "Resume")
        self.show()
        if status.state == "done":
            self._hide_timer.start(DONE_TIMEOUT_MS)
