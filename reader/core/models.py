"""Every domain dataclass passed between the core, the CLI and the GUI: frozen, no Qt, no SQL.

Articles and their list rows, tags, import outcomes, search hits, language guesses, list filters;
highlights with their anchoring selectors, highlight rows and filters, saved searches, re-anchoring
reports; stored article translations. Behaviour lives elsewhere (anchoring in
:mod:`reader.core.annotations`, SQL in :mod:`reader.core.storage`); these are just the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.errors import ValidationError
from reader.core.text import join_paragraphs, split_paragraphs

UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag; nested tags use ``/`` in the name (``region/belarus``)."""

    id: int
    name: str
    color: str | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """A light row for lists: everything the article list shows, no body."""

    id: int
    title: str
    lang: str
    lang_confidence: float
    published: str | None  # ISO date YYYY-MM-DD, or None when the source has none
    source: str | None
    url: str | None
    added_at: str  # ISO 8601 UTC timestamp
    read: bool
    starred: bool
    archived: bool
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The documented, stable JSON shape (see README, "JSON output")."""
        return {
            "id": self.id,
            "title": self.title,
            "lang": self.lang,
            "lang_confidence": round(self.lang_confidence, 4),
            "date": self.published,
            "source": self.source,
            "url": self.url,
            "tags": list(self.tags),
            "read": self.read,
            "starred": self.starred,
            "archived": self.archived,
            "added_at": self.added_at,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A whole article as stored. ``body`` is plain text, paragraphs separated by one blank line."""

    id: int
    title: str
    body: str
    lang: str
    lang_confidence: float
    lang_overridden: bool
    published: str | None
    source: str | None
    url: str | None
    file_name: str | None
    content_hash: str
    added_at: str
    read: bool
    starred: bool
    archived: bool
    read_position: float
    tags: tuple[str, ...] = ()
    note: str | None = None  # article-level Markdown note

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs (never empty strings)."""
        return split_paragraphs(self.body)

    def summary(self) -> ArticleSummary:
        """The list-row view of this article."""
        return ArticleSummary(
            id=self.id,
            title=self.title,
            lang=self.lang,
            lang_confidence=self.lang_confidence,
            published=self.published,
            source=self.source,
            url=self.url,
            added_at=self.added_at,
            read=self.read,
            starred=self.starred,
            archived=self.archived,
            tags=self.tags,
        )

    def to_json(self) -> dict[str, object]:
        """``show --json``: the summary shape plus ``body``."""
        data = self.summary().to_json()
        data["body"] = self.body
        return data


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """What an importer makes of one file, before language detection and storage."""

    title: str
    paragraphs: tuple[str, ...]
    published: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None  # a language the file itself declares (front matter, <html lang>)
    tags: tuple[str, ...] = ()
    file_name: str | None = None
    encoding: str | None = None  # the codec the file's bytes were decoded with
    #: other encodings that read almost as well (a close call: warn, offer a re-import), best first
    encoding_alternatives: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return join_paragraphs(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The result of importing one file: ``imported``, ``duplicate``, ``skipped``, or ``updated``
    (re-imported with another encoding: the article that came from the file got the new text)."""

    path: str
    status: str
    article_id: int | None = None
    title: str | None = None
    lang: str | None = None
    reason: str | None = None
    #: a close call on the file's encoding, said at import ("encoding guessed as ...; could also be ...")
    warning: str | None = None

    def line(self) -> str:
        """The one line ``reader-cli import`` prints for this file."""
        if self.status == "imported":
            return f"imported #{self.article_id} [{self.lang}] {self.title}"
        if self.status == "updated":
            return f"updated #{self.article_id} [{self.lang}] {self.title}"
        if self.status == "duplicate":
            return f"duplicate of #{self.article_id}"
        return f"skipped: {self.reason}"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result: the article row, a snippet, and where the match was found."""

    article: ArticleSummary
    snippet: str
    rank: float
    matched_in: str = "original"  # "original" or "translation"

    def to_json(self) -> dict[str, object]:
        data = self.article.to_json()
        data["snippet"] = self.snippet
        data["rank"] = self.rank
        data["matched_in"] = self.matched_in
        return data


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language with its confidence (0..1); ``und`` when it cannot be told."""

    lang: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What ``list`` and the sidebar views select. ``query`` uses the search-box syntax."""

    tag: str | None = None
    lang: str | None = None
    unread: bool = False
    starred: bool = False
    archived: bool | None = False  # False: hide archived; True: only archived; None: both
    query: str | None = None
    sort: str = "added"  # date | title | added | lang | source
    descending: bool = True
    extra: dict[str, str] = field(default_factory=dict)


# --- highlights ----------------------------------------------------------------------------------
#: The five highlight colours, in the order the GUI offers them (keys 1..5).
COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = COLORS[0]
#: Where a highlight was made: on the original text or in the translation view.
VIEWS = ("original", "translation")


def validate_color(color: str) -> str:
    """A colour name from :data:`COLORS` (case-insensitive); raises :class:`ValidationError` otherwise."""
    value = (color or "").strip().lower()
    if value not in COLORS:
        raise ValidationError(f"unknown colour {color!r}; use one of: {', '.join(COLORS)}")
    return value


@dataclass(frozen=True, slots=True)
class Selector:
    """Where a passage is: position (code points), exact quote, and context before and after."""

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""

    def to_w3c(self) -> list[dict[str, object]]:
        """The W3C Web Annotation form: a TextPositionSelector and a TextQuoteSelector."""
        return [
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            {"type": "TextQuoteSelector", "exact": self.quote, "prefix": self.prefix, "suffix": self.suffix},
        ]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a selector was found in a text, and by which strategy (see ``annotations.STRATEGIES``)."""

    start: int
    end: int
    strategy: str
    distance: int = 0  # edit distance of a fuzzy match (0 otherwise)


@dataclass(frozen=True, slots=True)
class Highlight:
    """One stored highlight (a row of ``highlights`` with its tags)."""

    id: int
    article_id: int
    color: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    paragraph: int | None
    view: str
    translated_quote: str | None
    target_lang: str | None
    note: str | None
    orphaned: bool
    created_at: str
    updated_at: str
    tags: tuple[str, ...] = ()

    @property
    def selector(self) -> Selector:
        return Selector(self.start, self.end, self.quote, self.prefix, self.suffix)

    def to_json(self) -> dict[str, object]:
        """Full-fidelity JSON (``highlights --json``, JSON export), selectors included."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "color": self.color,
            "quote": self.quote,
            "note": self.note,
            "tags": list(self.tags),
            "view": self.view,
            "translated_quote": self.translated_quote,
            "target_lang": self.target_lang,
            "paragraph": self.paragraph,
            "orphaned": self.orphaned,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "selector": self.selector.to_w3c(),
        }


@dataclass(frozen=True, slots=True)
class Reanchored:
    """The outcome of re-anchoring one highlight: its new selector, or None when orphaned."""

    highlight_id: int
    anchor: Anchor | None
    selector: Selector | None
    paragraph: int | None


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What re-anchoring an article's highlights did."""

    article_id: int
    total: int
    by_strategy: dict[str, int] = field(default_factory=dict)
    orphaned: tuple[int, ...] = ()  # ids of the highlights that could not be placed
    changed: int = 0  # rows whose stored position/quote/state changed


@dataclass(frozen=True, slots=True)
class HighlightRow:
    """A row of the library-wide highlights list: the highlight and what to show of its article."""

    highlight: Highlight
    article_title: str
    article_lang: str
    article_source: str | None = None
    article_published: str | None = None

    def to_json(self) -> dict[str, object]:
        data = self.highlight.to_json()
        data["article"] = {
            "id": self.highlight.article_id,
            "title": self.article_title,
            "lang": self.article_lang,
            "source": self.article_source,
            "date": self.article_published,
        }
        return data


@dataclass(frozen=True, slots=True)
class HighlightFilter:
    """What the All-highlights view selects.

    ``query`` uses the search-box language: free words search quotes, notes and translated quotes
    (diacritics folded); ``tag:`` matches a highlight's own tags or its article's (children
    included); ``lang:``, ``source:``, ``is:``, ``has:``, ``after:``/``before:`` apply to the article.
    """

    query: str | None = None
    tag: str | None = None
    color: str | None = None
    lang: str | None = None
    article_id: int | None = None
    orphaned: bool | None = None  # None: both; True: only orphans; False: only placed ones


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved query shown as a smart view; ``count`` is None when not computed or not valid."""

    id: int
    name: str
    query: str
    position: int
    count: int | None = None
    error: str | None = None  # why the query can no longer be run (a QueryError message)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "query": self.query, "position": self.position, "count": self.count,
                "error": self.error}


@dataclass(frozen=True, slots=True)
class ArticleAnnotations:
    """What the reader pane shows over an article's text: its highlights (text order, orphans last)
    and its note. Reading it never writes (re-anchoring happens when the text changes)."""

    article_id: int
    highlights: tuple[Highlight, ...]
    note: str | None


# --- translations --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StoredArticleTranslation:
    """One row of ``article_translations``: a whole article's translation into one language."""

    article_id: int
    target_lang: str
    engine: str
    title: str
    body: str
    complete: bool
    updated_at: str

    @property
    def paragraphs(self) -> list[str]:
        """Paragraph-aligned with the original: a missing paragraph is ``''``."""
        return self.body.split("\n\n") if self.body else []


__all__ = [
    "COLORS", "DEFAULT_COLOR", "UNDETERMINED", "VIEWS", "Anchor", "ArticleAnnotations", "Article", "ArticleSummary", "Highlight", "HighlightFilter", "HighlightRow",
    "ImportOutcome", "LanguageGuess", "ListFilter", "ParsedArticle", "ReanchorReport", "Reanchored",
    "SavedSearch", "SearchHit", "Selector", "StoredArticleTranslation", "Tag", "validate_color",
]
