"""The Export… dialog: which articles (the selected ones, the whole list shown, or every article)
and how (a folder of Markdown files, one Markdown file, or one JSON file). Where to is asked next,
by a file dialog that fits the format.

The last format chosen is offered again (the window keeps it with its state).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

#: (key, label) of the three scopes and the three formats, in the dialog's order.
SCOPES = ("selected", "list", "all")
FORMAT_LABELS = (
    ("md_folder", "Markdown: one file per article, in a folder (Obsidian, Logseq)"),
    ("md_file", "Markdown: all in one file"),
    ("json", "JSON: everything, highlights' positions included (other programs, scripts)"),
)


def _articles(n: int) -> str:
    return f"{n:,} article{'s' if n != 1 else ''}"


class ExportDialog(QDialog):
    """See the module docstring. ``selected``: how many rows are selected; ``listed``: how many
    the list shows (None while it is still loading); ``scope`` / ``fmt``: what is chosen first."""

    def __init__(self, selected: int, listed: int | None, *, scope: str | None = None, fmt: str = "md_folder",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Articles go out with their notes and highlights."))
        self.scope_buttons: dict[str, QRadioButton] = {
            "selected": QRadioButton(f"The selected {_articles(selected)}" if selected else "The selected articles"),
            "list": QRadioButton(f"This list ({_articles(listed)})" if listed is not None else "This list"),
            "all": QRadioButton("Every article in the library (the archive included)"),
        }
        self.scope_buttons["selected"].setEnabled(selected > 0)
        self.scope_buttons["list"].setEnabled(listed is None or listed > 0)
        self.format_buttons = {key: QRadioButton(label) for key, label in FORMAT_LABELS}
        for title, radios in (("Which articles", self.scope_buttons), ("Format", self.format_buttons)):
            box = QGroupBox(title, self)
            box_layout = QVBoxLayout(box)
            group = QButtonGroup(box)
            for key, button in radios.items():
                button.setObjectName(f"export_{key}")
                group.addButton(button)
                box_layout.addWidget(button)
            layout.addWidget(box)
        if scope is None or not self.scope_buttons.get(scope, self.scope_buttons["all"]).isEnabled():
            scope = "selected" if selected > 1 else ("list" if self.scope_buttons["list"].isEnabled() else "all")
        self.scope_buttons[scope].setChecked(True)
        self.format_buttons.get(fmt, self.format_buttons["md_folder"]).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.button_box = buttons
        layout.addWidget(buttons)

    def scope(self) -> str:
        return next(k for k, b in self.scope_buttons.items() if b.isChecked())

    def fmt(self) -> str:
        return next(k for k, b in self.format_buttons.items() if b.isChecked())
