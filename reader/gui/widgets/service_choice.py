"""The first-translation question: which service translates, said plainly — an online service
receives the text (it leaves this computer), an offline pack keeps it here.

Asked once, before the first translation, when the person never chose a service and no override
(READER_LIBRE_URL, READER_TRANSLATOR) is in force. Offline packs come first where installed (and are
then chosen already); otherwise nothing is chosen for the person. The answer becomes settings
(:meth:`ServiceChoiceDialog.result_settings`: saved by the window, changeable in Preferences ›
Translation); Cancel translates nothing.

Signals: QDialog's ``accepted`` / ``rejected``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.settings import Settings
from reader.core.translation.packs import Pack
from reader.gui.widgets.translation_prefs import pair_names, service_name

INTRO = ("Translating with an online service sends the text you translate (paragraphs, titles, "
         "selections) to that service: it leaves this computer. An offline pack translates on this "
         "computer.")
LATER = "Your choice is saved; change it any time in Preferences › Translation. Cancel translates nothing."
NO_PACKS = ("No offline pack is installed: Preferences › Translation installs one "
            "(Install Pack… or Download Pack).")


class ServiceChoiceDialog(QDialog):
    """See the module docstring. ``choices``: the radio buttons by provider key, in the order shown."""

    def __init__(self, settings: Settings, packs: Sequence[Pack], *, deepl_key: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceChoice")
        self.setWindowTitle("Choose a translation service")
        self._settings = settings
        layout = QVBoxLayout(self)
        head = QLabel("<b>Which service should translate?</b>", self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        pairs = [p.pair for p in packs]
        if pairs:
            self._add("offline", f"Offline packs only: the text stays on this computer "
                                 f"(installed: {pair_names(pairs)})", layout)
        self._add("google", "Google Translate: the text is sent to Google", layout)
        self._add("mymemory", "MyMemory: the text is sent to MyMemory (translated.net); a small daily quota",
                  layout)
        if settings.libre_url:
            self._add("libre", f"{service_name('libre', settings.libre_url)}: the text is sent to that server",
                      layout)
        if deepl_key:
            self._add("deepl", "DeepL: the text is sent to DeepL, with your key", layout)
        self.notes: list[QLabel] = []
        for text in ([] if pairs else [NO_PACKS]) + [LATER]:
            note = QLabel(text, self)
            note.setObjectName("hint")
            note.setWordWrap(True)
            layout.addWidget(note)
            self.notes.append(note)
        self._labels = [head, intro]
        buttons = QDialogButtonBox(self)
        self.translate_button: QPushButton = buttons.addButton("Translate", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if "offline" in self.choices:
            self.choices["offline"].setChecked(True)  # keeps the text here: the one safe default
        self.group.buttonToggled.connect(self._on_group_button_toggled)
        self._on_group_button_toggled()
        self.setMinimumWidth(min(560, max(420, self.sizeHint().width())))

    def _add(self, key: str, text: str, layout: QVBoxLayout) -> None:
        button = QRadioButton(text, self)
        button.setObjectName(f"choice_{key}")
        self.group.addButton(button)
        self.choices[key] = button
        layout.addWidget(button)

    def _on_group_button_toggled(self, *_args: object) -> None:
        self.translate_button.setEnabled(self.choice() is not None)

    def choice(self) -> str | None:
        """The chosen provider key (``offline``, ``google``…), or None."""
        return next((key for key, button in self.choices.items() if button.isChecked()), None)

    def text(self) -> str:
        """Everything the question says (its lines and choices), for tests and accessibility."""
        parts = [label.text() for label in self._labels]
        parts += [button.text() for button in self.choices.values()]
        parts += [note.text() for note in self.notes]
        return "\n".join(parts)

    def result_settings(self) -> Settings:
        """The settings with the answer: offline packs only, or an online service (an installed pack
        is still used where it covers the languages: nothing leaves the machine then)."""
        key = self.choice() or "offline"
        if key == "offline":
            return replace(self._settings, provider="offline", service_chosen=True)
        return replace(self._settings, provider="auto", online_provider=key, service_chosen=True)
