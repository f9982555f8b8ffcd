"""The annotations panel beside the reader: the shown article's highlights, its orphans and notes.

* the highlights in text order as cards (colour, quote, rendered note); a click jumps to the passage;
* those that can no longer be placed in the text ("orphans") listed apart with their quote and
  note — never dropped;
* for the selected highlight: five colour buttons, Delete (the window offers Undo), a Markdown note
  editor with a rendered, sanitized preview;
* the article-level Markdown note.

The panel only emits intents; the window hands them to the annotations controller.

Signals:
    highlight_activated(int): a highlight was clicked (jump to its passage).
    color_change_requested(int, str): (highlight id, colour).
    note_save_requested(int, str): (highlight id, Markdown; "" removes the note).
    delete_requested(int): a highlight's Delete button.
    tags_save_requested(int, object): (highlight id, list of tag names) from the tags field.
    article_note_save_requested(str): the article note's Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import COLORS, Highlight
from reader.core.rendering import markdown_to_html
from reader.gui.models.highlight_model import HighlightListModel
from reader.gui.widgets.highlights_view import HighlightListView
from reader.gui.widgets.palette import SWATCH
from reader.gui.widgets.reader_pane import OfflineTextBrowser, confirm_open_link


class MarkdownEditor(QWidget):
    """A Markdown text field with a Write / Preview switch (the preview is sanitized HTML).

    Signals:
        save_requested(str): Save clicked or Ctrl+Return pressed.
    """

    save_requested = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText(placeholder)
        self.editor.setTabChangesFocus(True)
        self.preview = OfflineTextBrowser(self)  # loads nothing; links ask before leaving the app
        self.preview.anchorClicked.connect(self._on_preview_anchor_clicked)
        self.tabs.addTab(self.editor, "Write")
        self.tabs.addTab(self.preview, "Preview")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.hint = QLabel("Markdown · Ctrl+Enter saves", self)
        self.hint.setObjectName("hint")
        row.addWidget(self.hint, 1)
        self.save_button = QPushButton("Save", self)
        self.save_button.clicked.connect(self._on_save_clicked)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), self.editor)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self._on_save_clicked)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str | None) -> None:
        self.editor.setPlainText(text or "")
        self._render_preview()

    def show_preview(self, on: bool) -> None:
        self.tabs.setCurrentIndex(1 if on else 0)

    def preview_html(self) -> str:
        return markdown_to_html(self.text())

    def _render_preview(self) -> None:
        html = self.preview_html()
        self.preview.setHtml(html or "<p style='color:gray'>Nothing written yet.</p>")

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == 1:
            self._render_preview()

    def _on_preview_anchor_clicked(self, url: QUrl) -> None:
        confirm_open_link(self, url)

    def _on_save_clicked(self) -> None:
        self._render_preview()
        self.save_requested.emit(self.text())


class AnnotationsPanel(QWidget):
    """See the module docstring for its signals."""

    highlight_activated = Signal(int)
    color_change_requested = Signal(int, str)
    note_save_requested = Signal(int, str)
    delete_requested = Signal(int)
    tags_save_requested = Signal(int, object)
    article_note_save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationsPanel")
        self.article_id: int | None = None
        self._selected_id: int | None = None
        self.model = HighlightListModel(self)
        self.orphan_model = HighlightListModel(self)
        self._init_ui()
        self.set_article(None, [], None)

    def _init_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 8)
        outer.setSpacing(6)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)
        # highlights + orphans
        top = QWidget(split)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(4)
        self.header = QLabel("", top)
        self.header.setObjectName("panelHeader")
        tl.addWidget(self.header)
        self.empty_label = QLabel("Select text and press H (or 1–5 for a colour) to highlight it.", top)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("hint")
        tl.addWidget(self.empty_label)
        self.list = HighlightListView(top)
        self.list.setObjectName("panelHighlights")
        self.list.setModel(self.model)
        self.list.clicked.connect(lambda idx: self._on_list_clicked(self.model, idx.row()))
        self.list.activated_row.connect(lambda row: self._on_list_clicked(self.model, row))
        self.list.delete_row.connect(lambda row: self._on_delete_key(self.model, row))
        tl.addWidget(self.list, 3)
        self.orphan_header = QLabel("", top)
        self.orphan_header.setObjectName("panelHeader")
        self.orphan_header.setToolTip("These passages were not found in the article's current text. "
                                      "They are kept with their notes.")
        tl.addWidget(self.orphan_header)
        self.orphan_list = HighlightListView(top)
        self.orphan_list.setObjectName("panelOrphans")
        self.orphan_list.setModel(self.orphan_model)
        self.orphan_list.clicked.connect(lambda idx: self._on_list_clicked(self.orphan_model, idx.row()))
        self.orphan_list.delete_row.connect(lambda row: self._on_delete_key(self.orphan_model, row))
        tl.addWidget(self.orphan_list, 1)
        split.addWidget(top)
        # the selected highlight
        self.detail = QWidget(split)
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.color_buttons: dict[str, QToolButton] = {}
        for i, color in enumerate(COLORS, start=1):
            b = QToolButton(self.detail)
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setToolTip(f"{color.capitalize()} ({i})")
            b.setFixedSize(22, 22)
            b.setStyleSheet(
                f"QToolButton {{ background: {SWATCH[color]}; border-radius: 11px; border: 2px solid transparent; }}"
                f"QToolButton:checked {{ border: 2px solid palette(text); }}"
            )
            b.clicked.connect(lambda _=False, c=color: self._on_color_clicked(c))
            row.addWidget(b)
            self.color_buttons[color] = b
        row.addStretch(1)
        self.delete_button = QPushButton("Delete", self.detail)
        self.delete_button.setToolTip("Delete this highlight (Undo is offered)")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        row.addWidget(self.delete_button)
        dl.addLayout(row)
        self.tags_field = QLineEdit(self.detail)
        self.tags_field.setObjectName("highlightTags")
        self.tags_field.setPlaceholderText("Tags for this highlight (comma separated, / nests)… Enter saves")
        self.tags_field.setClearButtonEnabled(True)
        self.tags_field.returnPressed.connect(self._on_tags_field_return_pressed)
        dl.addWidget(self.tags_field)
        self.note_editor = MarkdownEditor("A note on this highlight (Markdown)…", self.detail)
        self.note_editor.save_requested.connect(self._on_note_save_requested)
        dl.addWidget(self.note_editor, 1)
        split.addWidget(self.detail)
        # the article note
        art = QWidget(split)
        al = QVBoxLayout(art)
        al.setContentsMargins(0, 0, 0, 0)
        al.setSpacing(4)
        label = QLabel("ARTICLE NOTE", art)
        label.setObjectName("panelHeader")
        al.addWidget(label)
        self.article_note = MarkdownEditor("Notes on the whole article (Markdown)…", art)
        self.article_note.save_requested.connect(self.article_note_save_requested)
        al.addWidget(self.article_note, 1)
        split.addWidget(art)
        split.setSizes([380, 200, 160])

    # --- feeding ----------------------------------------------------------------------------------
    def set_article(self, article_id: int | None, highlights: Sequence[Highlight], note: str | None) -> None:
        """Show an article's highlights (placed ones, then orphans) and its note."""
        same = article_id == self.article_id
        self.article_id = article_id
        placed = [h for h in highlights if not h.orphaned]
        orphans = [h for h in highlights if h.orphaned]
        self.model.set_rows(placed)
        self.orphan_model.set_rows(orphans)
        self.header.setText(f"HIGHLIGHTS · {len(placed)}" if placed else "HIGHLIGHTS")
        self.empty_label.setVisible(article_id is not None and not highlights)
        self.orphan_header.setText(f"NOT FOUND IN THE CURRENT TEXT · {len(orphans)}")
        self.orphan_header.setVisible(bool(orphans))
        self.orphan_list.setVisible(bool(orphans))
        if not same or not self.article_note.editor.hasFocus():
            self.article_note.set_text(note)
            self.article_note.show_preview(bool(note))
        self.article_note.setEnabled(article_id is not None)
        keep = self._selected_id if same else None
        self.select_highlight(keep)

    def select_highlight(self, highlight_id: int | None) -> None:
        """Make a highlight the one the editor shows (None: none)."""
        h = self._find(highlight_id)
        self._selected_id = h.id if h else None
        for model, view in ((self.model, self.list), (self.orphan_model, self.orphan_list)):
            row = model.row_of(h.id) if h else None
            if row is None:
                view.clearSelection()
            else:
                view.setCurrentIndex(model.index(row, 0))
                view.scrollTo(model.index(row, 0))
        self.detail.setEnabled(h is not None)
        for color, b in self.color_buttons.items():
            b.setChecked(h is not None and h.color == color)
        if not self.tags_field.hasFocus():
            self.tags_field.setText(", ".join(h.tags) if h is not None else "")
        if h is None:
            self.note_editor.set_text("")
        elif not self.note_editor.editor.hasFocus():
            self.note_editor.set_text(h.note)
            self.note_editor.show_preview(bool(h.note))

    def selected_id(self) -> int | None:
        return self._selected_id

    def edit_note(self, highlight_id: int | None = None) -> None:
        """Select a highlight (default: the selected one) and put the cursor in its note."""
        if highlight_id is not None:
            self.select_highlight(highlight_id)
        if self._selected_id is None:
            return
        self.note_editor.show_preview(False)
        self.note_editor.editor.setFocus()

    def edit_article_note(self) -> None:
        """Put the cursor in the article's note (the editor, not its preview)."""
        self.article_note.show_preview(False)
        self.article_note.editor.setFocus()

    def highlights(self) -> list[Highlight]:
        out = [self.model.highlight_at(r) for r in range(self.model.rowCount())]
        out += [self.orphan_model.highlight_at(r) for r in range(self.orphan_model.rowCount())]
        return [h for h in out if h is not None]

    def _find(self, highlight_id: int | None) -> Highlight | None:
        if highlight_id is None:
            return None
        return next((h for h in self.highlights() if h.id == highlight_id), None)

    # --- events -----------------------------------------------------------------------------------
    def _on_list_clicked(self, model: HighlightListModel, row: int) -> None:
        h = model.highlight_at(row)
        if h is None:
            return
        self.select_highlight(h.id)
        self.highlight_activated.emit(h.id)

    def _on_color_clicked(self, color: str) -> None:
        if self._selected_id is not None:
            self.color_change_requested.emit(self._selected_id, color)

    def _on_delete_key(self, model: HighlightListModel, row: int) -> None:
        h = model.highlight_at(row)
        if h is not None:
            self.delete_requested.emit(h.id)

    def _on_delete_clicked(self) -> None:
        if self._selected_id is not None:
            self.delete_requested.emit(self._selected_id)

    def _on_tags_field_return_pressed(self) -> None:
        if self._selected_id is not None:
            names = [n.strip() for n in self.tags_field.text().split(",") if n.strip()]
            self.tags_save_requested.emit(self._selected_id, names)

    def _on_note_save_requested(self, text: str) -> None:
        if self._selected_id is not None:
            self.note_save_requested.emit(self._selected_id, text)
