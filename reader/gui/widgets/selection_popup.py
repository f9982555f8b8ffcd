"""“Translate selection”: a small button that appears near a text selection in the article body, and
a popup with the translation once it arrives (translations of selections are cached like paragraphs).

The widget only shows things: clicking the button emits :attr:`translate_requested`; the
translation controller answers through :meth:`show_result` / :meth:`show_error`.

Signals:
    translate_requested(str): the user asked for the selected text's translation.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QToolButton, QVBoxLayout

MAX_CHARS = 5000  # longer selections are not offered (a selection popup is for a phrase or a paragraph)


class SelectionPopup(QFrame):
    """A “Translate selection” button and result bubble over a QTextBrowser. See the module docstring."""

    translate_requested = Signal(str)

    def __init__(self, browser: QTextBrowser) -> None:
        super().__init__(browser.viewport())
        self.setObjectName("selectionPopup")
        self.browser = browser
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.button = QToolButton(self)
        self.button.setText("Translate selection")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self._on_button_clicked)
        layout.addWidget(self.button)
        self.result = QLabel(self)
        self.result.setObjectName("selectionTranslation")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # a translation is text, never markup
        self.result.setMaximumWidth(420)
        self.result.hide()
        layout.addWidget(self.result)
        self._text = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        browser.selectionChanged.connect(self._debounce.start)
        self.hide()

    def selected_text(self) -> str:
        # QTextCursor.selectedText() separates paragraphs with U+2029
        return self.browser.textCursor().selectedText().replace("\u2029", "\n").strip()

    def pending_text(self) -> str:
        """The text the popup offers (or shows the translation of)."""
        return self._text

    def _on_debounce_timeout(self) -> None:
        text = self.selected_text()
        if not text or len(text) > MAX_CHARS:
            self.hide()
            self._text = ""
            return
        if text == self._text and self.isVisible():
            return
        self._text = text
        self.result.hide()
        self.button.setEnabled(True)
        self.button.setText("Translate selection")
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        self.adjustSize()
        rect = self.browser.cursorRect(self.browser.textCursor())
        viewport = self.browser.viewport()
        x = min(max(4, rect.left()), max(4, viewport.width() - self.width() - 4))
        y = rect.bottom() + 6
        if y + self.height() > viewport.height() - 4:
            y = max(4, rect.top() - self.height() - 6)
        self.move(QPoint(x, y))

    def _on_button_clicked(self) -> None:
        if self._text:
            self.button.setEnabled(False)
            self.button.setText("Translating…")
            self.translate_requested.emit(self._text)

    def offer(self, text: str) -> None:
        """Show the button for ``text`` now (what a new selection does after its debounce)."""
        self._text = text.strip()
        self.result.hide()
        self.button.setEnabled(True)
        self.button.setText("Translate selection")
        self._place()
        self.show()

    def show_result(self, source: str, translation: str) -> None:
        """The translation of ``source`` arrived (ignored when the selection moved on)."""
        if source != self._text:
            return
        self.button.setText("Translation")
        self.button.setEnabled(False)
        self.result.setText(translation)
        self.result.show()
        self._place()
        self.show()

    def show_error(self, source: str, message: str) -> None:
        if source != self._text:
            return
        self.button.setText("Try again")
        self.button.setEnabled(True)
        self.result.setText(f"Not translated: {message}")
        self.result.show()
        self._place()
        self.show()

    def dismiss(self) -> None:
        self._text = ""
        self.hide()

