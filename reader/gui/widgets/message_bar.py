"""A slim in-window message bar (info / error) with an optional action button (e.g. Undo).

The one place errors reach the user (STYLE.md practice 10): one line, no traceback.

Signals:
    action_triggered(): the action button was clicked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class MessageBar(QFrame):
    """An info/error bar; hidden until :meth:`show_message`. See the module docstring."""

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setProperty("kind", "info")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(8)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.action_button = QPushButton(self)
        self.action_button.setObjectName("messageAction")
        self.action_button.clicked.connect(self._on_action_clicked)
        layout.addWidget(self.action_button)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide_message)
        layout.addWidget(close)
        self._callback: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide_message)
        self.hide()

    def show_message(self, text: str, *, kind: str = "info", action: str | None = None,
                     callback: Callable[[], None] | None = None, timeout_ms: int = 0) -> None:
        """Show one line. ``kind``: info | error. With ``action``, a button calls ``callback``."""
        self.label.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self._callback = callback
        self.action_button.setVisible(action is not None)
        if action is not None:
            self.action_button.setText(action)
        self._timer.stop()
        if timeout_ms > 0:
            self._timer.start(timeout_ms)
        self.show()

    def hide_message(self) -> None:
        self._timer.stop()
        self._callback = None
        self.hide()

    def text(self) -> str:
        parent = self.parentWidget()
        visible = self.isVisibleTo(parent) if parent is not None else self.isVisible()
        return self.label.text() if visible else ""

    def kind(self) -> str:
        return str(self.property("kind"))

    def _on_action_clicked(self) -> None:
        callback = self._callback
        self.hide_message()
        if callback is not None:
            callback()
        self.action_triggered.emit()
