"""Dialogs: article details (metadata), tags for many articles, preferences, keyboard shortcuts,
and the import summary. They collect input; the window acts on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core.models import Article, ImportOutcome
from reader.core.settings import Settings
from reader.gui.langnames import language_label
from reader.gui.widgets.reimport import ReimportDialog, ReimportFile
from reader.gui.widgets.translation_prefs import PackManager, TranslationPrefsPage

COMMON_LANGS = ("en", "ro", "lt", "uk", "ru", "be", "pl", "de", "fr", "es", "it", "pt")


@dataclass
class MetadataEdit:
    """What the details dialog returns: only the fields that changed are not None."""

    title: str | None = None
    published: str | None = None
    clear_date: bool = False
    source: str | None = None
    url: str | None = None
    lang: str | None = None

    def as_changes(self) -> dict[str, str | bool]:
        """The changed fields as keyword arguments for an edit."""
        return {k: v for k, v in vars(self).items() if v not in (None, False)}


class MetadataDialog(QDialog):
    """Edit title, date, source, URL and a language override of one article."""

    def __init__(self, article: Article, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Article details")
        self.setMinimumWidth(520)
        self._article = article
        form = QFormLayout()
        self.title = QLineEdit(article.title)
        self.date = QLineEdit(article.published or "")
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.source = QLineEdit(article.source or "")
        self.url = QLineEdit(article.url or "")
        self.url.setPlaceholderText("https://…")
        self.lang = QComboBox()
        self.lang.setEditable(True)
        codes = list(dict.fromkeys([article.lang, *COMMON_LANGS]))
        for code in codes:
            self.lang.addItem(language_label(code), code)
        self.lang.setCurrentIndex(0)
        form.addRow("&Title", self.title)
        form.addRow("&Date", self.date)
        form.addRow("&Source", self.source)
        form.addRow("&URL", self.url)
        form.addRow("&Language", self.lang)
        hint = QLabel("Choosing a language overrides detection; it is kept when the text is re-detected."
                      if not article.lang_overridden else "The language was set by you.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        #: (path, encoding) when the person chose to re-import the article's file instead of editing
        self.reimport_choice: tuple[str, str] | None = None
        reimport = buttons.addButton("Re-import with Another Encoding…", QDialogButtonBox.ButtonRole.ActionRole)
        reimport.setObjectName("reimportButton")
        reimport.setToolTip("Read the file this article came from again, with an encoding you choose; "
                            "the article gets the new text and keeps its highlights")
        reimport.clicked.connect(self._ask_reimport)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _ask_reimport(self) -> None:
        # The library keeps the file's name, not where it was: the person points at the file.
        start = str(Path.home() / (self._article.file_name or ""))
        path, _ = QFileDialog.getOpenFileName(self, "The file this article came from", start, IMPORT_FILTER)
        if not path:
            return
        dialog = ReimportDialog([ReimportFile(path)], self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.choice() is not None:
            self.reimport_choice = dialog.choice()
            self.reject()  # nothing else is saved: the re-import replaces the text

    def lang_code(self) -> str:
        text = self.lang.currentText().strip()
        data = self.lang.currentData()
        if data and self.lang.itemText(self.lang.currentIndex()) == text:
            return str(data)
        if text.endswith(")") and "(" in text:
            return text.rsplit("(", 1)[1].rstrip(")").strip()
        return text

    def changes(self) -> MetadataEdit:
        a = self._article
        edit = MetadataEdit()
        if self.title.text().strip() != a.title:
            edit.title = self.title.text()
        date = self.date.text().strip()
        if date != (a.published or ""):
            if date:
                edit.published = date
            else:
                edit.clear_date = True
        if self.source.text().strip() != (a.source or ""):
            edit.source = self.source.text()
        if self.url.text().strip() != (a.url or ""):
            edit.url = self.url.text()
        code = self.lang_code()
        if code and code != a.lang:
            edit.lang = code
        return edit


class TagsDialog(QDialog):
    """Add tags (comma separated, completing existing ones) to the selected articles."""

    def __init__(self, count: int, known: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add tags")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tags to add to {count} article{'s' if count != 1 else ''} (comma separated):"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("e.g. region/belarus, politics")
        completer = QCompleter(QStringListModel(list(known), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def names(self) -> list[str]:
        return [n.strip() for n in self.field.text().split(",") if n.strip()]


class PreferencesDialog(QDialog):
    """General (theme, reading font and size, mark-read delay, feed refreshes) and Translation tabs.

    Sized to its contents: as wide as the widest tab needs, as tall as the shown tab needs (the
    hidden tab does not count, so General is not a short form in a tall empty box), and never so
    small that a wrapped line is clipped (the minimum height follows the width).
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 translation: PackManager | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.translation_page = TranslationPrefsPage(settings, translation)
        form = QFormLayout()
        self.theme = QComboBox()
        for key, label in (("system", "Follow system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.font_box = QFontComboBox()
        if settings.reading_font:
            self.font_box.setCurrentFont(QFont(settings.reading_font))
        else:
            self.font_box.setCurrentFont(QFont("DejaVu Serif"))
        self.size_box = QSpinBox()
        self.size_box.setRange(8, 32)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(settings.reading_font_size)
        self.target = self.translation_page.target  # the Translation tab's "Translate into"
        self.dwell = QSpinBox()
        self.dwell.setRange(0, 60_000)
        self.dwell.setSingleStep(250)
        self.dwell.setSuffix(" ms")
        self.dwell.setValue(settings.mark_read_after_ms)
        form.addRow("&Theme", self.theme)
        form.addRow("Reading &font", self.font_box)
        form.addRow("Font &size", self.size_box)
        form.addRow("Mark read &after", self.dwell)
        self.refresh_on_start = QCheckBox("Refresh feeds when the window opens")
        self.refresh_on_start.setObjectName("refreshOnStart")
        self.refresh_on_start.setChecked(settings.refresh_feeds_on_start)
        self.refresh_minutes = QSpinBox()
        self.refresh_minutes.setObjectName("refreshMinutes")
        self.refresh_minutes.setRange(0, 24 * 60)
        self.refresh_minutes.setSpecialValueText("Never")
        self.refresh_minutes.setSuffix(" min")
        self.refresh_minutes.setValue(settings.refresh_feeds_minutes)
        form.addRow("Feeds", self.refresh_on_start)
        form.addRow("Refresh feeds &every", self.refresh_minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        general = QWidget()
        general.setLayout(form)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, "&General")
        self.tabs.addTab(self.translation_page, "T&ranslation")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._pages: list[QWidget] = [general, self.translation_page]
        self._width = max(page.sizeHint().width() for page in self._pages)  # the widest tab's
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._fit()

    def _content_height(self, width: int, index: int | None = None) -> int:
        """The height the shown tab needs at this dialog width (its wrapped lines included).

        Worked out from the shown page itself: QTabWidget's size hint and height-for-width take
        every page, hidden ones too, so the tall Translation page would keep General tall; the
        minimum sizes honour the hidden pages' Ignored policy."""
        layout = self.layout()
        assert layout is not None
        page = self._pages[self.tabs.currentIndex() if index is None else index]
        stack_min = self._stack().minimumSizeHint()
        margins = layout.contentsMargins()
        page_width = width - margins.left() - margins.right() - self._tab_frame_width()
        need = page.heightForWidth(page_width) if page.hasHeightForWidth() else -1
        if need < 0:
            need = page.sizeHint().height()
        need = max(need, page.minimumSizeHint().height())
        return layout.totalMinimumSize().height() - stack_min.height() + need

    def _stack(self) -> QStackedWidget:
        stack = self.tabs.findChild(QStackedWidget)
        assert stack is not None
        return stack

    def _tab_frame_width(self) -> int:
        return self.tabs.minimumSizeHint().width() - self._stack().minimumSizeHint().width()

    def _fit(self, index: int | None = None) -> None:
        """Only the shown tab counts towards the size; then the dialog takes the height it needs."""
        current = self.tabs.currentIndex() if index is None else index
        for i, page in enumerate(self._pages):
            policy = QSizePolicy.Policy.Preferred if i == current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        layout = self.layout()
        assert layout is not None
        layout.invalidate()
        layout.activate()
        margins = layout.contentsMargins().left() + layout.contentsMargins().right()
        width = max(self.width() if self.isVisible() else 0, self._width + margins + self._tab_frame_width(),
                    layout.totalMinimumSize().width())
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            width = min(width, screen.width())
        height = self._content_height(width, current)
        self.setMinimumHeight(height)
        self.resize(width, height)

    def _on_tabs_current_changed(self, index: int) -> None:
        # the tab widget's sizes are stale until it has finished switching: fit when it has
        QTimer.singleShot(0, self, lambda i=index: self._fit(i) if self.tabs.currentIndex() == i else None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.setMinimumHeight(self._content_height(event.size().width()))  # wrapped lines fit

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            # something inside grew (a status line appeared, a longer "In use" line): make room
            need = self._content_height(self.width())
            self.setMinimumHeight(need)
            if self.height() < need:
                self.resize(self.width(), need)
        return handled

    def accept(self) -> None:
        problems = self.translation_page.store_keys()
        if problems:
            QMessageBox.warning(self, "Preferences", "Some keys were not saved:\n" + "\n".join(problems))
        super().accept()

    def result_settings(self) -> Settings:
        """A copy of the settings with this dialog's values."""
        s = Settings.from_dict(self._settings.to_dict())
        s.theme = str(self.theme.currentData())
        s.reading_font = self.font_box.currentFont().family()
        s.reading_font_size = int(self.size_box.value())
        s.mark_read_after_ms = int(self.dwell.value())
        s.refresh_feeds_on_start = self.refresh_on_start.isChecked()
        s.refresh_feeds_minutes = int(self.refresh_minutes.value())
        return self.translation_page.apply(s)


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: rows come from the one shortcut table in reader.gui.actions."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(480, 560)
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for r, (keys, what) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(keys))
            table.setItem(r, 1, QTableWidgetItem(what))
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)


def summarize(outcomes: Sequence[ImportOutcome]) -> tuple[int, int, int]:
    """(imported, already in the library, skipped); a re-imported file ("updated") counts as imported."""
    imported = sum(o.status in ("imported", "updated") for o in outcomes)
    duplicates = sum(o.status == "duplicate" for o in outcomes)
    return imported, duplicates, len(outcomes) - imported - duplicates


class ImportSummaryDialog(QDialog):
    """The end of an import: counts, then a line per file whose encoding was a close call, per
    skipped file (with its reason) and per duplicate. With close calls, "Re-import with Another
    Encoding…" lets the person pick the reading that looks right (``reimport_requested``)."""

    reimport_requested = Signal(str, str)  # path, encoding

    def __init__(self, outcomes: Sequence[ImportOutcome], cancelled: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not cancelled else "Import cancelled")
        self.resize(620, 380)
        imported, duplicates, skipped = summarize(outcomes)
        layout = QVBoxLayout(self)
        head = QLabel(
            f"<b>{imported}</b> imported &nbsp;·&nbsp; <b>{duplicates}</b> already in the library"
            f" &nbsp;·&nbsp; <b>{skipped}</b> skipped" + (" &nbsp;·&nbsp; cancelled" if cancelled else "")
        )
        head.setObjectName("importCounts")
        layout.addWidget(head)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.close_calls = [ReimportFile.from_outcome(o) for o in outcomes if o.warning and o.alternatives]
        lines = [f"{o.path}: {o.warning}" for o in outcomes if o.warning]
        lines += [f"{o.path}: {o.reason}" for o in outcomes if o.status == "skipped"]
        lines += [f"{o.path}: duplicate of #{o.article_id}" for o in outcomes if o.status == "duplicate"]
        self.details.setPlainText("\n".join(lines) if lines else "Every file was imported.")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.reimport_button: QPushButton | None = None
        self.reimport_dialog: ReimportDialog | None = None
        if self.close_calls:
            count = len(self.close_calls)
            warn = QLabel(f"The encoding of {count} file{'s' if count != 1 else ''} was a close call: "
                          "check the text, and re-import with another encoding if it reads wrong.")
            warn.setObjectName("importEncodingWarning")
            warn.setWordWrap(True)
            layout.insertWidget(1, warn)
            self.reimport_button = buttons.addButton("Re-import with Another Encoding…",
                                                     QDialogButtonBox.ButtonRole.ActionRole)
            self.reimport_button.setObjectName("reimportButton")
            self.reimport_button.clicked.connect(self._ask_reimport)
        layout.addWidget(buttons)

    def _ask_reimport(self) -> None:
        dialog = ReimportDialog(self.close_calls, self)
        self.reimport_dialog = dialog

        def chosen() -> None:
            picked = dialog.choice()
            if picked is not None:
                self.reimport_requested.emit(*picked)
                self.accept()

        dialog.accepted.connect(chosen)
        dialog.open()

    def text(self) -> str:
        return self.details.toPlainText()


IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm *.json *.epub);;All files (*)"


def ask_import_files(parent: QWidget | None) -> list[str]:
    """Files to import (a native file dialog); empty when cancelled."""
    files, _ = QFileDialog.getOpenFileNames(parent, "Import files", str(Path.home()), IMPORT_FILTER)
    return list(files)


def ask_import_folder(parent: QWidget | None) -> list[str]:
    """A folder to import, as a one-item list; empty when cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, "Import a folder", str(Path.home()))
    return [folder] if folder else []


def show_about(parent: QWidget | None, version: str) -> None:
    QMessageBox.about(parent, "About Polyglot Reader",
                      f"<b>Polyglot Reader {version}</b><p>Read articles offline in any language.</p>")
