"""The Translation page of Preferences: target language, provider and its settings (LibreTranslate
URL and key, DeepL key, MyMemory e-mail), “always / never translate” languages, and Offline
translation packs (install from a file or folder, remove, download a known pack with progress).

Keys go to :mod:`reader.core.secrets` (system keyring, else a user-only file) when the dialog is
accepted; the fields never show a stored key, and nothing here logs one. Pack work runs on the
translation controller's worker (``install_requested`` & co. are its intents); the page shows the
outcome in plain words.

Signals:
    install_requested(str): install the pack at this path (a folder or an archive).
    remove_requested(str): remove the installed pack of this pair.
    download_requested(str, str): (pair, base URL) download and install an official pack.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import ReaderError
from reader.core.settings import Settings
from reader.core.translation.config import ProviderInForce, provider_in_force
from reader.core.translation.packs import DEFAULT_PACKS_URL, KNOWN_FILES, Pack
from reader.core.translation.providers import base_lang
from reader.gui.langnames import language_label, language_name

COMMON_LANGS = ("en", "ro", "lt", "uk", "ru", "be", "pl", "de", "fr", "es", "it", "pt")
PROVIDER_LABELS = (("auto", "Automatic (offline pack when installed, else online)"), ("google", "Google"),
                   ("mymemory", "MyMemory"), ("libre", "LibreTranslate"), ("deepl", "DeepL"),
                   ("offline", "Offline packs only"))
ONLINE_LABELS = (("google", "Google"), ("mymemory", "MyMemory"), ("libre", "LibreTranslate"), ("deepl", "DeepL"))
PACK_FILTER = "Language packs (*.zip *.tar *.tar.gz *.tgz *.tar.xz);;All files (*)"


def known_pairs() -> list[str]:
    """Pairs whose official files we can verify (and so download): ``roen``, ``lten``."""
    pairs = {name.split(".")[1] for name in KNOWN_FILES if name.startswith("model.")}
    return sorted(pairs)


def parse_languages(text: str) -> list[str]:
    """``ro, lt Lithuanian`` -> [``ro``, ``lt``]: codes separated by commas or spaces, names ignored."""
    out: list[str] = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        code = part.strip().strip("()").lower()
        if 2 <= len(code) <= 3 and code.isalpha() and base_lang(code) not in out:
            out.append(base_lang(code))
    return out


SERVICE_NAMES = {"google": "Google", "mymemory": "MyMemory", "libre": "LibreTranslate", "deepl": "DeepL"}


def service_name(online: str, libre_url: str = "") -> str:
    """``LibreTranslate at http://…`` / ``Google``: an online service as the person knows it."""
    if online == "libre":
        return f"LibreTranslate at {libre_url}" if libre_url else "LibreTranslate (no server URL set)"
    return SERVICE_NAMES.get(online, online)


def pair_names(pairs: Sequence[str]) -> str:
    """``Portuguese → English, Romanian → English`` for installed pack pairs (``pten``, ``roen``)."""
    return ", ".join(f"{language_name(p[:2])} → {language_name(p[2:])}" for p in pairs)


def in_force_text(info: ProviderInForce, pairs: Sequence[str] = ()) -> str:
    """What translates now and why, in words: ``In use: LibreTranslate at http://…, set by
    READER_LIBRE_URL. …``; ``pairs``: the installed offline packs."""
    if info.set_by:
        why = "set by " + " and ".join(info.set_by)
    elif info.chosen:
        why = "chosen in Preferences"
    else:
        why = "the default; the first translation asks which service to use"
    if info.provider == "offline":
        text = f"In use: offline packs only ({why}); the text stays on this computer."
        if not pairs:
            text += " No pack is installed yet."
    elif info.provider == "auto" and pairs:
        text = (f"In use: an offline pack where one covers the languages ({pair_names(pairs)}), "
                f"else {service_name(info.online, info.libre_url)}, {why}.")
    else:
        text = f"In use: {service_name(info.online, info.libre_url)}, {why}."
        if info.provider == "auto":
            text += " No offline pack is installed."
    if info.set_by:
        text += " While it is set, it overrides the choice below."
    return text


def _key_status(provider: str) -> str:
    """``a key is stored`` / ``no key`` without ever reading the key into the UI."""
    try:
        from reader.core.secrets import get_key

        return "A key is stored (type a new one to replace it)" if get_key(provider) else "No key stored"
    except ReaderError:
        return "No key stored"


class PackManager(Protocol):
    """What the page needs to manage packs (the translation controller provides it): installed
    packs, the three intents, and signals ``packs_changed(object)``, ``pack_progress(int, int, str)``,
    ``pack_finished(str)`` and ``pack_failed(str)``. The page never imports the controller."""

    packs_changed: Any
    pack_progress: Any
    pack_finished: Any
    pack_failed: Any

    def packs(self) -> list[Pack]: ...
    def install_pack(self, path: str) -> None: ...
    def remove_pack(self, pair: str) -> None: ...
    def download_pack(self, pair: str, base_url: str) -> None: ...


class TranslationPrefsPage(QWidget):
    """See the module docstring."""

    install_requested = Signal(str)
    remove_requested = Signal(str)
    download_requested = Signal(str, str)

    def __init__(self, settings: Settings, controller: PackManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("translationPrefs")
        self._settings = settings
        self._forget: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self._init_general(settings))
        layout.addWidget(self._init_services(settings))
        layout.addWidget(self._init_packs())
        layout.addStretch(1)
        self._chosen = False  # the person changed the provider or the online service here
        self._initial_choice = (self.provider.currentData(), self.online.currentData())
        self.controller = controller
        self._on_provider_changed()
        if controller is not None:
            self._bind(controller)
            self.set_packs(controller.packs())
        else:
            self._fit_pack_list()
            self._show_in_force()

    # --- building -----------------------------------------------------------------------------------
    def _init_general(self, settings: Settings) -> QGroupBox:
        box = QGroupBox("Translation", self)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        outer.addLayout(form)
        self.in_force = QLabel(box)
        self.in_force.setObjectName("providerInForce")
        self.in_force.setWordWrap(True)
        self.in_force.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target = QComboBox(box)
        self.target.setEditable(True)
        for code in COMMON_LANGS:
            self.target.addItem(language_label(code), code)
        idx = self.target.findData(settings.target_lang)
        if idx < 0:
            self.target.addItem(language_label(settings.target_lang), settings.target_lang)
            idx = self.target.count() - 1
        self.target.setCurrentIndex(idx)
        self.provider = QComboBox(box)
        for key, label in PROVIDER_LABELS:
            self.provider.addItem(label, key)
        self.provider.setCurrentIndex(max(0, self.provider.findData(settings.provider)))
        self.provider.currentIndexChanged.connect(self._on_provider_changed)
        self.online = QComboBox(box)
        for key, label in ONLINE_LABELS:
            self.online.addItem(label, key)
        self.online.setCurrentIndex(max(0, self.online.findData(settings.online_provider)))
        self.online.currentIndexChanged.connect(self._on_online_changed)
        self.always = QLineEdit(", ".join(settings.always_translate), box)
        self.always.setPlaceholderText("language codes, e.g. ro, lt")
        self.always.setToolTip("Articles in these languages open translated")
        self.never = QLineEdit(", ".join(settings.never_translate), box)
        self.never.setPlaceholderText("language codes, e.g. de")
        self.never.setToolTip("Articles in these languages are never sent for translation")
        form.addRow("Translate &into", self.target)
        form.addRow("&Provider", self.provider)
        form.addRow("&Online service", self.online)
        form.addRow("&Always translate", self.always)
        form.addRow("&Never translate", self.never)
        outer.addWidget(self.in_force)  # under the form, not in it: a form's spanning row gets a
        return box  # height for another width than its own, and its wrapped lines were clipped

    def _init_services(self, settings: Settings) -> QGroupBox:
        box = QGroupBox("Online services", self)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        outer.addLayout(form)
        self.libre_url = QLineEdit(settings.libre_url, box)
        env_url = os.environ.get("READER_LIBRE_URL", "").strip()
        self.libre_url.setPlaceholderText(f"{env_url} (from READER_LIBRE_URL)" if env_url
                                          else "https://libretranslate.example.org/")
        self.libre_url.textChanged.connect(self._show_in_force)
        self.libre_key = self._key_field("libre", box)
        self.deepl_key = self._key_field("deepl", box)
        self.mymemory_email = QLineEdit(settings.mymemory_email, box)
        self.mymemory_email.setPlaceholderText("optional: a larger daily quota")
        forget = QPushButton("Forget Stored Keys", box)
        forget.setToolTip("Remove the LibreTranslate and DeepL keys when you press OK")
        forget.clicked.connect(self._on_forget_clicked)
        form.addRow("LibreTranslate &URL", self.libre_url)
        form.addRow("LibreTranslate &key", self.libre_key)
        form.addRow("&DeepL key", self.deepl_key)
        form.addRow("MyMemory &e-mail", self.mymemory_email)
        try:
            from reader.core.secrets import backend_name

            where = backend_name()
        except ReaderError:
            where = "a file only you can read"
        # the note has a line of its own, the whole width, under the form: in a form row beside the
        # button it got one line's height whatever its wrapped text needed, and was clipped
        self.key_note = QLabel(f"Keys are kept in {where}, never in the library or its backups.", box)
        self.key_note.setObjectName("hint")
        self.key_note.setWordWrap(True)
        self.key_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.key_note, 1)
        row.addWidget(forget, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(row)
        return box

    def _key_field(self, provider: str, parent: QWidget) -> QLineEdit:
        field = QLineEdit(parent)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(_key_status(provider))
        return field

    def _init_packs(self) -> QGroupBox:
        box = QGroupBox("Offline translation", self)
        layout = QVBoxLayout(box)
        self.pack_list = QListWidget(box)
        self.pack_list.setObjectName("packList")
        layout.addWidget(self.pack_list)
        row = QHBoxLayout()
        self.install_file_button = QPushButton("Install Pack…", box)
        self.install_file_button.setToolTip("An archive of model.*.intgemm.alphas.bin, vocab.*.spm, lex.*.s2t.bin")
        self.install_file_button.clicked.connect(self._on_install_file_clicked)
        self.install_folder_button = QPushButton("Install Folder…", box)
        self.install_folder_button.clicked.connect(self._on_install_folder_clicked)
        self.remove_button = QPushButton("Remove", box)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        row.addWidget(self.install_file_button)
        row.addWidget(self.install_folder_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()  # downloading on a row of its own: the page stays narrow
        self.download_pair = QComboBox(box)
        for pair in known_pairs():
            self.download_pair.addItem(f"{language_name(pair[:2])} → {language_name(pair[2:])}", pair)
        self.download_button = QPushButton("Download Pack", box)
        self.download_button.setToolTip("Fetch the official Firefox Translations files and verify them")
        self.download_button.clicked.connect(self._on_download_clicked)
        row.addWidget(self.download_pair)
        row.addWidget(self.download_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.pack_progress = QProgressBar(box)
        self.pack_progress.setTextVisible(True)
        self.pack_progress.hide()
        layout.addWidget(self.pack_progress)
        self.pack_status = QLabel(box)
        self.pack_status.setObjectName("packStatus")
        self.pack_status.setWordWrap(True)
        self.pack_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pack_status.hide()  # shown with something to say (an empty line is just a gap)
        layout.addWidget(self.pack_status)
        return box

    def _bind(self, controller: PackManager) -> None:
        self.install_requested.connect(controller.install_pack)
        self.remove_requested.connect(controller.remove_pack)
        self.download_requested.connect(controller.download_pack)
        controller.packs_changed.connect(self.set_packs)
        controller.pack_progress.connect(self.show_progress)
        controller.pack_finished.connect(self.show_done)
        controller.pack_failed.connect(self.show_failure)

    # --- packs --------------------------------------------------------------------------------------
    def set_packs(self, packs: Sequence[Pack]) -> None:
        self.pack_list.clear()
        for pack in packs:
            mb = pack.size / 1_000_000
            check = "verified" if pack.verified else "not verified against official checksums"
            item = QListWidgetItem(f"{language_name(pack.source)} → {language_name(pack.target)}  ({pack.pair}, "
                                   f"{mb:.0f} MB, {check})")
            item.setData(Qt.ItemDataRole.UserRole, pack.pair)
            self.pack_list.addItem(item)
        if not packs:
            item = QListWidgetItem("No packs installed: translation needs the network.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.pack_list.addItem(item)
        self.remove_button.setEnabled(bool(packs))
        self._fit_pack_list()
        self._show_in_force()

    def _say(self, text: str) -> None:
        """The pack status line (hidden while there is nothing to say)."""
        self.pack_status.setText(text)
        self.pack_status.setVisible(bool(text))

    def _fit_pack_list(self) -> None:
        """As tall as its rows (two to four; more scroll), not a fixed empty box."""
        rows = min(max(self.pack_list.count(), 2), 4)
        row = max(self.pack_list.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.pack_list.setFixedHeight(rows * row + 2 * self.pack_list.frameWidth() + 4)

    def installed_pairs(self) -> list[str]:
        pairs = (self.pack_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.pack_list.count()))
        return [str(p) for p in pairs if p]

    def install_from(self, path: str) -> None:
        """Install the pack at ``path`` (what the file and folder dialogs call)."""
        if not path:
            return
        self._busy(f"Checking and installing {os.path.basename(path.rstrip('/')) or path}…")
        self.install_requested.emit(path)

    def _busy(self, text: str) -> None:
        self._say(text)
        self.pack_progress.setRange(0, 0)
        self.pack_progress.show()
        for b in (self.install_file_button, self.install_folder_button, self.remove_button, self.download_button):
            b.setEnabled(False)

    def _idle(self) -> None:
        self.pack_progress.hide()
        for b in (self.install_file_button, self.install_folder_button, self.download_button):
            b.setEnabled(True)
        self.remove_button.setEnabled(bool(self.installed_pairs()))

    def show_progress(self, done: int, total: int, name: str) -> None:
        if total > 0:
            self.pack_progress.setRange(0, total)
            self.pack_progress.setValue(min(done, total))
            self.pack_progress.setFormat(f"{name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB")
        else:
            self.pack_progress.setRange(0, 0)
        self._say(f"Downloading {name}…")

    def show_done(self, message: str) -> None:
        self._idle()
        self._say(message)

    def show_failure(self, message: str) -> None:
        self._idle()
        self._say(f"Not done: {message}")

    def _on_install_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Install a language pack", "", PACK_FILTER)
        self.install_from(path)

    def _on_install_folder_clicked(self) -> None:
        self.install_from(QFileDialog.getExistingDirectory(self, "Install a language pack from a folder"))

    def _on_remove_clicked(self) -> None:
        item = self.pack_list.currentItem() or (self.pack_list.item(0) if self.pack_list.count() == 1 else None)
        pair = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not pair:
            self._say("Choose a pack to remove.")
            return
        self._busy(f"Removing {pair}…")
        self.remove_requested.emit(str(pair))

    def _on_download_clicked(self) -> None:
        pair = self.download_pair.currentData()
        if pair:
            self._busy(f"Downloading the {pair} pack…")
            self.download_requested.emit(str(pair), os.environ.get("READER_PACKS_URL") or DEFAULT_PACKS_URL)

    # --- settings -----------------------------------------------------------------------------------
    def _on_provider_changed(self) -> None:
        self.online.setEnabled(self.provider.currentData() == "auto")
        self._on_online_changed()

    def _on_online_changed(self) -> None:
        if hasattr(self, "_initial_choice"):
            now = (self.provider.currentData(), self.online.currentData())
            self._chosen = self._chosen or now != self._initial_choice
        self._show_in_force()

    def _show_in_force(self) -> None:
        """The line that says which service translates (the environment's overrides included) and why;
        it follows the choices on this page before OK."""
        if not hasattr(self, "pack_list"):
            return  # still being built
        info = provider_in_force(self.apply(self._settings))
        self.in_force.setText(in_force_text(info, self.installed_pairs()))

    def _on_forget_clicked(self) -> None:
        self._forget = {"libre", "deepl"}
        self.libre_key.clear()
        self.deepl_key.clear()
        self.libre_key.setPlaceholderText("Will be forgotten when you press OK")
        self.deepl_key.setPlaceholderText("Will be forgotten when you press OK")

    def target_lang(self) -> str:
        text = self.target.currentText().strip()
        data = self.target.currentData()
        if data and self.target.itemText(self.target.currentIndex()) == text:
            return str(data)
        if "(" in text:
            return text.rsplit("(", 1)[-1].rstrip(")").strip()
        return base_lang(text) if text else self._settings.target_lang

    def apply(self, settings: Settings) -> Settings:
        """A copy of ``settings`` with this page's values (keys are not settings: see store_keys)."""
        provider = str(self.provider.currentData())
        online = str(self.online.currentData())
        if provider in dict(ONLINE_LABELS):
            online = provider
        return replace(
            settings, target_lang=self.target_lang(), provider=provider, online_provider=online,
            service_chosen=settings.service_chosen or self._chosen,
            libre_url=self.libre_url.text().strip(), mymemory_email=self.mymemory_email.text().strip(),
            always_translate=parse_languages(self.always.text()), never_translate=parse_languages(self.never.text()),
        )

    def store_keys(self) -> list[str]:
        """Save typed keys (and forget the ones asked to); returns one-line problems, if any."""
        from reader.core.secrets import clear_key, set_key

        problems: list[str] = []
        for provider, field in (("libre", self.libre_key), ("deepl", self.deepl_key)):
            key = field.text().strip()
            try:
                if key:
                    set_key(provider, key)
                elif provider in self._forget:
                    clear_key(provider)
            except ReaderError as exc:
                problems.append(f"{provider}: {exc}")
            field.clear()
        self._forget.clear()
        return problems
