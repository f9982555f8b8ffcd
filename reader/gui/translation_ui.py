"""Wires the :class:`~reader.gui.translation.TranslationController` to the reader window: the
translate toggle, the translation bar, inline Retry, the body's context menu (re-translate a
paragraph or the article) and the “Translate selection” popup.

The window creates one :class:`TranslationUi` in ``_init_translation()``; everything translation
needs from the window goes through here, so ``main_window`` stays thin (STYLE.md practice 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.core.models import Article
from reader.core.translation.service import TITLE
from reader.gui.translation import TranslationController, TranslationStatus
from reader.gui.widgets.selection_popup import SelectionPopup
from reader.gui.widgets.translation_bar import TranslationBar

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


def same_text(a: Article, b: Article) -> bool:
    """Whether two versions of an article translate the same (flags and tags do not matter)."""
    return (a.id, a.title, a.body, a.lang) == (b.id, b.title, b.body, b.lang)


class TranslationUi(QObject):
    """The translation parts of the window (see the module docstring)."""

    def __init__(self, window: MainWindow, controller: TranslationController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        pane = self.pane = window.reader_pane
        pane.translation_unavailable_reason = ""
        self.bar = TranslationBar(pane)
        layout = pane.layout()
        layout.insertWidget(layout.indexOf(pane.info_bar) + 1, self.bar)
        self.popup = SelectionPopup(pane.browser)
        self._connect_signals()

    def _connect_signals(self) -> None:
        c, pane = self.controller, self.pane
        self.window.article_shown.connect(self._on_window_article_shown)
        self.window.controller.list_ready.connect(self._on_library_list_ready)
        pane.translate_mode_changed.connect(self._on_pane_translate_mode_changed)
        pane.paragraph_retry_requested.connect(self._on_pane_paragraph_retry_requested)
        pane.browser.context_menu_about_to_show.connect(self._on_browser_context_menu_about_to_show)
        self.bar.cancel_requested.connect(c.cancel)
        self.bar.retry_requested.connect(c.retry)
        self.popup.translate_requested.connect(self._on_popup_translate_requested)
        c.translation_changed.connect(self._on_controller_translation_changed)
        c.status_changed.connect(self._on_controller_status_changed)
        c.mode_requested.connect(pane.set_mode)
        c.availability_changed.connect(self._on_controller_availability_changed)
        c.selection_translated.connect(self.popup.show_result)
        c.selection_failed.connect(self.popup.show_error)

    # --- window / pane events ----------------------------------------------------------------------
    def _on_library_list_ready(self, ids: list[int], select: object, partial: bool) -> None:
        # search across translations: rows found only in their translation are marked in the list
        if not partial:
            self.window.model.translation_matches = set(self.window.controller.translation_matches)

    def _on_window_article_shown(self, article_id: int) -> None:
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

    def _on_pane_paragraph_retry_requested(self, index: int) -> None:
        self.controller.retry()

    def _on_browser_context_menu_about_to_show(self, menu: QMenu, pos: QPoint) -> None:
        if self.pane.article() is None or self.controller.state() is None:
            return
        if self.controller.unavailable_reason(self.pane.article()):  # type: ignore[arg-type]
            return
        menu.addSeparator()
        index = self.pane.paragraph_at(pos)
        if index is not None and self.pane.mode() != "original":
            one = QAction("Re-translate This Paragraph", menu)
            one.triggered.connect(lambda _=False, i=index: self.controller.retranslate(i))
            menu.addAction(one)
        title = QAction("Re-translate Title", menu)
        title.triggered.connect(lambda _=False: self.controller.retranslate(TITLE))
        whole = QAction("Re-translate Article", menu)
        whole.triggered.connect(lambda _=False: self.retranslate_article())
        menu.addAction(title)
        menu.addAction(whole)

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

    def _on_controller_availability_changed(self, available: bool, reason: str) -> None:
        pane = self.pane
        pane.translation_unavailable_reason = reason
        for key in ("translation", "side_by_side"):
            action = pane.mode_actions[key]
            action.setEnabled(available)
            label = action.text()
            action.setToolTip(f"Show {label.lower()} (t cycles)" if available else f"Not translated: {reason}")

    # --- commands ----------------------------------------------------------------------------------
    def retranslate_article(self) -> None:
        """Translate the shown article again, bypassing the cache (switches to a translated view)."""
        if self.pane.article() is None:
            return
        if self.pane.mode() == "original":
            self.pane.set_mode("translation")
        self.controller.retranslate()
