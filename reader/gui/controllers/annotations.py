"""The annotations controller: highlights, article notes and saved searches in the window.

:class:`AnnotationsController` is the only GUI code that reads or writes highlights, notes and saved
searches (through the one :class:`~reader.gui.tasks.TaskRunner`: writes on the write lane, lists
and counts on the read lane, latest wins). Opening an article only reads
(:func:`reader.core.library_ops.article_annotations`): highlights are re-anchored when the text
changes (:func:`reader.core.library_ops.edit_article`), never on open. A deleted highlight goes on
the window's one :class:`~reader.gui.controllers.undo.UndoHistory`.

Signals:
    highlights_ready(int, object, object): (article id, list of Highlight, article note or None).
    highlight_created(object): a new Highlight (the panel selects it).
    highlight_deleted(int, str): (id, quote) — Undo is possible.
    highlights_changed(): something changed library-wide (the All-highlights view refreshes).
    saved_searches_ready(object): list of SavedSearch with counts.
    error(str): a one-line, user-facing message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from reader.core.errors import ReaderError
from reader.core.library_ops import Annotations, article_annotations
from reader.core.models import COLORS, Highlight, HighlightFilter, HighlightRow
from reader.gui.controllers.undo import UndoHistory
from reader.gui.tasks import TaskContext, TaskRunner


class AnnotationsController(QObject):
    """See the module docstring."""

    highlights_ready = Signal(int, object, object)
    highlight_created = Signal(object)
    highlight_deleted = Signal(int, str)
    highlights_changed = Signal()
    saved_searches_ready = Signal(object)
    error = Signal(str)

    def __init__(self, runner: TaskRunner, undo: UndoHistory, *, target_lang: Callable[[], str] = lambda: "en",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.undo_history = undo
        #: the language translations are shown in now (a translation highlight is stored in it)
        self.target_lang = target_lang
        self.article_id: int | None = None
        self.highlights: list[Highlight] = []
        self.note: str | None = None

    # --- one article ------------------------------------------------------------------------------
    def load(self, article_id: int | None) -> None:
        """Load an article's highlights and note (a read: opening an article never writes)."""
        self.article_id = article_id
        if not article_id:
            self.highlights, self.note = [], None
            self.highlights_ready.emit(0, [], None)
            return

        def job(ctx: TaskContext) -> tuple[int, list[Highlight], str | None]:
            shown = article_annotations(ctx.library, article_id)
            return article_id, list(shown.highlights), shown.note

        self.runner.read(job, self._on_loaded, self._on_error, key="annotations.load")

    def _on_loaded(self, result: tuple[int, list[Highlight], str | None]) -> None:
        article_id, highlights, note = result
        if article_id != self.article_id:
            return
        self.highlights, self.note = highlights, note
        self.highlights_ready.emit(article_id, highlights, note)

    def reload(self) -> None:
        """Read the shown article's highlights again (after a tag rename, an edit...)."""
        if self.article_id is not None:
            self.load(self.article_id)

    def _write(self, fn: Callable[[Annotations], Any], done: Callable[[Any], None] | None = None,
               *, reload: bool = True) -> None:
        article_id = self.article_id

        def finished(value: Any) -> None:
            if done is not None:
                done(value)
            if reload and article_id is not None and article_id == self.article_id:
                self.load(article_id)
            self.highlights_changed.emit()

        self.runner.write(lambda c: fn(Annotations(c.library)), finished, self._on_error)

    def add_highlight(self, article_id: int, start: int, end: int, color: str = COLORS[0]) -> None:
        self._write(lambda a: a.add_highlight(article_id, start, end, color=color), self.highlight_created.emit)

    def add_translation_highlight(self, article_id: int, paragraph: int, translated_quote: str,
                                  color: str = COLORS[0], target_lang: str | None = None) -> None:
        lang = target_lang or self.target_lang()
        self._write(lambda a: a.add_translation_highlight(article_id, paragraph, translated_quote, lang, color=color),
                    self.highlight_created.emit)

    def set_color(self, highlight_id: int, color: str) -> None:
        self._write(lambda a: a.update_highlight(highlight_id, color=color))

    def set_highlight_note(self, highlight_id: int, note: str) -> None:
        self._write(lambda a: a.update_highlight(highlight_id, note=note))

    def set_highlight_tags(self, highlight_id: int, tags: Sequence[str]) -> None:
        names = list(tags)
        self._write(lambda a: a.set_highlight_tags(highlight_id, names))

    def delete_highlight(self, highlight_id: int) -> None:
        def done(snapshot: dict[str, Any]) -> None:
            quote = str(snapshot["highlight"].get("quote", ""))
            self.undo_history.push(f"delete highlight {highlight_id}", lambda: self._restore(snapshot))
            self.highlight_deleted.emit(highlight_id, quote)

        self._write(lambda a: a.delete_highlight(highlight_id), done)

    def _restore(self, snapshot: dict[str, Any]) -> None:
        """Put back a deleted highlight (same id, note, tags): the undo of :meth:`delete_highlight`."""
        self._write(lambda a: a.restore_highlight(snapshot))

    def set_article_note(self, article_id: int, note: str) -> None:
        self._write(lambda a: a.set_note(article_id, note))

    # --- library-wide -----------------------------------------------------------------------------
    def list_page(self, flt: HighlightFilter, offset: int, limit: int,
                  done: Callable[[tuple[int, list[HighlightRow]]], None],
                  failed: Callable[[BaseException], None], *, with_count: bool, key: str) -> None:
        """A page of the All-highlights list (and the total when asked), off the GUI thread."""

        def job(ctx: TaskContext) -> tuple[int, list[HighlightRow]]:
            ann = Annotations(ctx.library)
            rows = ann.list_highlights(flt, limit=limit, offset=offset)
            total = ann.count_highlights(flt) if with_count else -1
            return total, rows

        self.runner.read(job, done, failed, key=key)

    def reload_saved_searches(self) -> None:
        self.runner.read(lambda c: Annotations(c.library).saved_searches(counts=True),
                         self.saved_searches_ready.emit, self._on_error, key="annotations.saved")

    def add_saved_search(self, name: str, query: str) -> None:
        self._write(lambda a: a.add_saved_search(name, query), lambda _: self.reload_saved_searches(), reload=False)

    def rename_saved_search(self, name: str, new_name: str) -> None:
        self._write(lambda a: a.update_saved_search(name, new_name=new_name),
                    lambda _: self.reload_saved_searches(), reload=False)

    def remove_saved_search(self, name: str) -> None:
        self._write(lambda a: a.remove_saved_search(name), lambda _: self.reload_saved_searches(), reload=False)

    # --- errors -----------------------------------------------------------------------------------
    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReaderError):
            self.error.emit(str(exc))
        else:
            self.error.emit(f"Something went wrong ({type(exc).__name__}: {exc})")


__all__ = ["AnnotationsController"]
