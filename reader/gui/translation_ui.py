"""The translation parts of the window: the translation bar, inline Retry, the body's context-menu
section (re-translate a paragraph, the title or the article) and the “Translate selection” popup,
connected to the :class:`~reader.gui.controllers.translation.TranslationController`.

:class:`TranslationUi` is built by the window with the reader pane and the controller, and uses
only the pane's public API (:meth:`~reader.gui.widgets.reader_pane.ReaderPane.add_bar`,
``add_menu_section``, ``set_translation_available``); it never reaches into the window. The
window calls :meth:`TranslationUi.show_article` when an article is shown.

The first translation, when nobody chose a service, asks which one to use (the
:class:`~reader.gui.widgets.service_choice.ServiceChoiceDialog`, opened window-modal, never
blocking): the answer goes to the window to be saved (``settings_chosen``) and to the controller,
which then does what waited; Cancel translates nothing and goes back to the original.

Signals:
    settings_chosen(object): the person answered the first-translation question: these
        :class:`~reader.core.settings.Settings` are to be saved and applied (the window does).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.core.models import Article
from reader.core.translation.service import TITLE
from reader.gui.controllers.translation import TranslationController
from reader.gui.widgets.reader_pane import ReaderPane
from reader.gui.widgets.selection_popup import SelectionPopup
from reader.gui.widgets.service_choice import ServiceChoiceDialog
from reader.gui.widgets.translation_bar import TranslationBar, TranslationStatus

MENU_ORDER = 10  #: the re-translate items go below the body menu's Copy / Select All


def same_text(a: Article, b: Article) -> bool:
    """Whether two versions of an article translate the same (flags and tags do not matter)."""
    return (a.id, a.title, a.body, a.lang) == (b.id, b.title, b.body, b.lang)


class TranslationUi(QObject):
    """The translation parts of the window (see the module docstring)."""

    settings_chosen = Signal(object)

    def __init__(self, pane: ReaderPane, controller: TranslationController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pane = pane
        pane.set_translation_available(True)
        self.bar = TranslationBar(pane)
        pane.add_bar(self.bar)
        self.popup = SelectionPopup(pane.browser)
        pane.add_menu_section("translation", self._menu_items, order=MENU_ORDER)
        self.service_dialog: ServiceChoiceDialog | None = None  # the first-translation question, while open
        self._connect_signals()

    def _connect_signals(self) -> None:
        c, pane = self.controller, self.pane
        pane.translate_mode_changed.connect(self._on_pane_translate_mode_changed)
        pane.paragraph_retry_requested.connect(self._on_pane_paragraph_retry_requested)
        self.bar.cancel_requested.connect(c.cancel)
        self.bar.retry_requested.connect(c.retry)
        self.popup.translate_requested.connect(self._on_popup_translate_requested)
        c.translation_changed.connect(self._on_controller_translation_changed)
        c.status_changed.connect(self._on_controller_status_changed)
        c.mode_requested.connect(pane.set_mode)
        c.availability_changed.connect(pane.set_translation_available)
        c.selection_translated.connect(self.popup.show_result)
        c.selection_failed.connect(self.popup.show_error)
        c.service_question.connect(self._on_controller_service_question)

    # --- window / pane events ----------------------------------------------------------------------
    def show_article(self, _article_id: int) -> None:
        """The pane shows a new article (or the same one re-rendered): open its translation."""
        article = self.pane.article()
        self.popup.dismiss()
        st = self.controller.state()
        if article is not None and st is not None and same_text(st.article, article):
            st.article = article
            self._push()  # the same article re-rendered (read, starred, a tag): keep its translation
            return
        self.controller.open_article(article, wanted=self.pane.mode() != "original")

    def _on_pane_translate_mode_changed(self, mode: str) -> None:
        if mode != "original":
            self.controller.ensure_translated()
        self.controller.emit_status()

    def _on_popup_translate_requested(self, text: str) -> None:
        # in the original view the selection is in the article's language; elsewhere it may be
        # either column's, so it is detected
        article = self.pane.article()
        lang = article.lang if article is not None and self.pane.mode() == "original" else None
        self.controller.translate_selection(text, lang)

    def _on_pane_paragraph_retry_requested(self, _index: int) -> None:
        self.controller.retry()

    def _menu_items(self, menu: QMenu, pos: QPoint) -> list[QAction | QMenu]:
        article = self.pane.article()
        if article is None or self.controller.state() is None or self.controller.unavailable_reason(article):
            return []
        items: list[QAction | QMenu] = []
        index = self.pane.paragraph_at(pos)
        if index is not None and self.pane.mode() != "original":
            one = QAction("Re-translate This Paragraph", menu)
            one.triggered.connect(lambda _=False, i=index: self.controller.retranslate(i))
            items.append(one)
        title = QAction("Re-translate Title", menu)
        title.triggered.connect(lambda _=False: self.controller.retranslate(TITLE))
        whole = QAction("Re-translate Article", menu)
        whole.triggered.connect(lambda _=False: self.retranslate_article())
        return [*items, title, whole]

    # --- controller events -------------------------------------------------------------------------
    def _push(self) -> None:
        st = self.controller.state()
        if st is not None and st.article.id == self.pane.article_id():
            self.pane.set_translation(st.paragraphs, st.title, st.errors)

    def _on_controller_translation_changed(self, article_id: int) -> None:
        if article_id == self.pane.article_id():
            self._push()

    def _on_controller_status_changed(self, status: TranslationStatus) -> None:
        if status.article_id and status.article_id != self.pane.article_id():
            return
        if self.pane.mode() == "original" and status.state != "translating":
            status = TranslationStatus(status.article_id, "hidden")
        self.bar.set_status(status)

    def _on_controller_service_question(self) -> None:
        if self.service_dialog is not None:
            return  # already asking: the answer serves the latest request
        c = self.controller
        dialog = ServiceChoiceDialog(c.settings, c.packs(), deepl_key=c.stored_key("deepl"), parent=self.pane.window())
        dialog.accepted.connect(self._on_service_dialog_accepted)
        dialog.rejected.connect(self._on_service_dialog_rejected)
        self.service_dialog = dialog
        dialog.open()

    def _close_service_dialog(self) -> ServiceChoiceDialog | None:
        dialog, self.service_dialog = self.service_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        return dialog

    def _on_service_dialog_accepted(self) -> None:
        dialog = self._close_service_dialog()
        if dialog is None:
            return
        settings = dialog.result_settings()
        self.settings_chosen.emit(settings)  # saved and applied by the window
        self.controller.service_chosen(settings)  # already applied when the window took it: then it only resumes

    def _on_service_dialog_rejected(self) -> None:
        self._close_service_dialog()
        self.controller.drop_waiting()
        self.popup.dismiss()
        if self.pane.mode() != "original":
            self.pane.set_mode("original")  # nothing was translated: show what there is

    # --- commands ----------------------------------------------------------------------------------
    def retranslate_article(self) -> None:
        """Translate the shown article again, bypassing the cache (switches to a translated view)."""
        if self.pane.article() is None:
            return
        if self.pane.mode() == "original":
            self.pane.set_mode("translation")
        self.controller.retranslate()
