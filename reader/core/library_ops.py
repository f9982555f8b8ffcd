"""Operations that span storage and anchoring: highlights placed in text, editing an article's text.

This module sits above :mod:`reader.core.storage` (the SQL) and :mod:`reader.core.annotations` (where
a passage is in a text), so neither needs the other:

* :class:`Annotations` — highlights, article notes, highlight tags and saved searches of one library:
  it computes selectors with :mod:`reader.core.annotations` and stores them through
  :class:`~reader.core.storage.highlights.HighlightStore` and
  :class:`~reader.core.storage.saved_searches.SavedSearchStore`.
* :func:`edit_article` — metadata and/or text of an article; a new text re-anchors the article's
  highlights in the same transaction (orphans are kept).
* :func:`article_annotations` — what the reader pane needs to show an article's highlights and
  note; it only reads (opening an article never writes).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from reader.core.annotations import find_quote, make_selector, reanchor_article
from reader.core.errors import NotFoundError, ValidationError
from reader.core.models import (
    DEFAULT_COLOR,
    Article,
    ArticleAnnotations,
    Highlight,
    ReanchorReport,
    validate_color,
)
from reader.core.storage.highlights import HighlightStore
from reader.core.storage.library import Library
from reader.core.storage.saved_searches import SavedSearchStore
from reader.core.text import paragraph_index, paragraph_spans


class Annotations(HighlightStore, SavedSearchStore):
    """Highlights, article notes, highlight tags and saved searches of one library.

    Reads, updates and deletes come from the stores; what needs a highlight's place in the text
    (creating, moving, re-anchoring) is done here, each in one transaction.
    """

    def __init__(self, library: Library) -> None:
        self.library = library

    # --- highlights: create -----------------------------------------------------------------------
    def add_highlight(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> Highlight:
        """Highlight ``body[start:end]`` of an article (code points; the GUI converts from UTF-16)."""
        color = validate_color(color)
        with self.library.write():
            body = self.library.get_body(article_id)
            sel = make_selector(body, start, end)
            hid = self.insert_highlight(article_id, sel, paragraph_index(body, sel.start), color=color,
                                        note=note, tags=tags)
        return self.get_highlight(hid)

    def add_highlight_by_quote(
        self,
        article_id: int,
        quote: str,
        *,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> tuple[Highlight, int]:
        """Highlight the first place ``quote`` occurs (exactly, else ignoring diacritics/spaces).

        Returns the highlight and how many places matched (more than 1: the first was used).
        """
        body = self.library.get_body(article_id)
        spans = find_quote(body, quote)
        if not spans:
            raise NotFoundError(f"the quote was not found in article #{article_id}")
        start, end = spans[0]
        return self.add_highlight(article_id, start, end, color=color, note=note, tags=tags), len(spans)

    def add_translation_highlight(
        self,
        article_id: int,
        paragraph: int,
        translated_quote: str,
        target_lang: str,
        *,
        original_span: tuple[int, int] | None = None,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> Highlight:
        """A highlight made in the Translation / Side-by-side view.

        It is tied to paragraph ``paragraph`` of the original (the whole paragraph, or
        ``original_span`` inside it when the GUI knows the aligned passage), so it shows in both views;
        ``translated_quote`` is the selected text of the translation.
        """
        color = validate_color(color)
        translated_quote = unicodedata.normalize("NFC", translated_quote).strip()
        if not translated_quote:
            raise ValidationError("a highlight needs some text, not only spaces")
        with self.library.write():
            body = self.library.get_body(article_id)
            spans = paragraph_spans(body)
            if not 0 <= paragraph < len(spans):
                raise ValidationError(f"article #{article_id} has no paragraph {paragraph}")
            start, end = original_span if original_span is not None else spans[paragraph]
            sel = make_selector(body, start, end)
            hid = self.insert_highlight(
                article_id, sel, paragraph, color=color, view="translation", translated_quote=translated_quote,
                target_lang=target_lang.strip().lower(), note=note, tags=tags,
            )
        return self.get_highlight(hid)

    def move_highlight(self, highlight_id: int, start: int, end: int) -> Highlight:
        """Set a highlight to a new span of its article (e.g. the user extended the selection)."""
        with self.library.write():
            h = self.get_highlight(highlight_id)
            body = self.library.get_body(h.article_id)
            sel = make_selector(body, start, end)
            self.set_span(highlight_id, sel, paragraph_index(body, sel.start))
        return self.get_highlight(highlight_id)

    # --- re-anchoring -----------------------------------------------------------------------------
    def reanchor(self, article_id: int) -> ReanchorReport:
        """Place every highlight of an article in its current text; those that cannot be placed are
        marked orphaned (never deleted), and orphans whose passage is back are placed again.

        :func:`edit_article` calls this when the text changes; nothing else needs to.
        """
        with self.library.write():
            body = self.library.get_body(article_id)
            highlights = self.highlights_for_article(article_id)
            results = reanchor_article(body, highlights)
            return self.save_reanchored(article_id, highlights, results)

    # --- article notes ----------------------------------------------------------------------------
    def get_note(self, article_id: int) -> str | None:
        return self.library.get_note(article_id)

    def set_note(self, article_id: int, note: str | None) -> None:
        """Set the article-level Markdown note (empty or None removes it)."""
        self.library.set_note(article_id, note)


def edit_article(
    library: Library,
    article_id: int,
    *,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    body: str | None = None,
    clear_date: bool = False,
) -> Article:
    """Edit an article's metadata and/or text in one transaction.

    A new ``body`` re-anchors the article's highlights in the same transaction: they follow the new
    text or become orphans (kept, never dropped). ``lang`` set here is a person's override.
    """
    with library.write():
        library.update_article(article_id, title=title, published=published, source=source, url=url,
                               lang=lang, clear_date=clear_date)
        if body is not None:
            library.set_body(article_id, body)
            Annotations(library).reanchor(article_id)
    return library.get_article(article_id)


def on_article_text_changed(library: Library, article_id: int) -> ReanchorReport:
    """Re-anchor an article's highlights after its text changed outside :func:`edit_article`
    (e.g. a re-import); one transaction."""
    return Annotations(library).reanchor(article_id)


def article_annotations(library: Library, article_id: int) -> ArticleAnnotations:
    """An article's highlights and note for display: read-only, no re-anchoring, no write."""
    ann = Annotations(library)
    return ArticleAnnotations(article_id, tuple(ann.highlights_for_article(article_id)), ann.get_note(article_id))


__all__ = ["Annotations", "article_annotations", "edit_article", "on_article_text_changed"]
