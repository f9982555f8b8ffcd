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
    #: highlights carrying the tag (a tag can live on highlights only: it has no article count then)
    highlights: int = 0


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
    feed_id: int | None = None  # the feed it came from (None: a file, a saved link)

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
            "feed_id": self.feed_id,
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
    feed_id: int | None = None  # the feed it came from (None: a file, a saved link)
    #: its shape: blocks mapped to spans of ``body`` (the ones with text are its paragraphs, in
    #: order); an article stored without structure has one paragraph block per paragraph
    blocks: tuple[Block, ...] = ()
    #: the stored pictures its blocks show, in order of first use
    images: tuple[ImageInfo, ...] = ()

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
            feed_id=self.feed_id,
        )

    def to_json(self) -> dict[str, object]:
        """``show --json``: the summary shape plus ``body``, ``blocks`` and ``images``."""
        data = self.summary().to_json()
        data["body"] = self.body
        data["blocks"] = [b.to_json(self.body) for b in self.blocks]
        data["images"] = [i.to_json() for i in self.images]
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
    #: the article's structure; empty means one paragraph block per paragraph. The texts of the
    #: blocks that have text, in order, are exactly ``paragraphs`` (so the plain body is unchanged)
    blocks: tuple[ParsedBlock, ...] = ()
    #: pictures the blocks refer to by index (``ParsedBlock.image``)
    images: tuple[ParsedImage, ...] = ()

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
    #: with a close call: the encoding used and the others that read almost as well (best first),
    #: and a short passage in each reading, where they differ, for the person to choose from
    encoding: str | None = None
    alternatives: tuple[str, ...] = ()
    samples: tuple[tuple[str, str], ...] = ()

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
    feed_id: int | None = None  # only the articles of this feed (the sidebar's Feeds section)


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


# --- rich articles: structure and pictures -------------------------------------------------------
#: Block kinds, in the words of ``show --json``.
BLOCK_KINDS = ("heading", "paragraph", "list_item", "quote", "pre", "image", "rule", "table_row")


@dataclass(frozen=True, slots=True)
class ParsedBlock:
    """One block as an importer sees it (before storage). ``text`` is its paragraph of the plain
    body ('' for a rule or an image without caption); for an image block ``text`` is the caption."""

    kind: str
    text: str = ""
    level: int = 0  # heading level 1-6
    ordered: bool = False  # list_item: numbered
    depth: int = 0  # list_item / quote nesting, 0 = top level
    image: int | None = None  # image block: index into ParsedArticle.images
    alt: str = ""


@dataclass(frozen=True, slots=True)
class ParsedImage:
    """A picture an importer found. ``data`` is None when it is not available offline (a remote
    URL a local import never fetches, a missing file, a refused one: ``reason`` says why)."""

    src: str  # the reference as written in the document (relative path, URL, or "data:")
    data: bytes | None = None
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    alt: str = ""
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One stored block, mapped to its span ``[start, end)`` of :attr:`Article.body` (Python string
    offsets; ``start == end`` for a rule or an image without caption)."""

    kind: str
    start: int
    end: int
    level: int = 0
    ordered: bool = False
    depth: int = 0
    image: str | None = None  # image block: sha256 of the stored picture; None = not available
    src: str | None = None  # image block: the original reference
    alt: str = ""

    def to_json(self, body: str) -> dict[str, object]:
        """``show --json`` ``blocks`` entry: ``{kind, text, level?, ordered?, depth?, image?}``."""
        data: dict[str, object] = {"kind": self.kind, "text": body[self.start : self.end]}
        if self.kind == "heading":
            data["level"] = self.level
        if self.kind == "list_item":
            data["ordered"] = self.ordered
            data["depth"] = self.depth
        if self.kind == "image":
            data["image"] = self.image
            data["alt"] = self.alt
            if self.src is not None:
                data["src"] = self.src
        return data


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """A stored picture (content-addressed, de-duplicated): ``show --json`` ``images`` entry."""

    sha256: str
    mime: str
    width: int
    height: int
    bytes: int
    alt: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "sha256": self.sha256, "mime": self.mime, "width": self.width,
            "height": self.height, "bytes": self.bytes, "alt": self.alt,
        }


# --- feeds ---------------------------------------------------------------------------------------
FULL_TEXT_MODES = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class Feed:
    """One subscription and its status (``feeds list --json`` row)."""

    id: int
    title: str
    url: str
    site_url: str | None = None
    folder: str | None = None
    full_text: str = "auto"  # one of FULL_TEXT_MODES
    translate_to: str | None = None  # translate new items ahead of time into this language
    keep_days: int | None = None  # None = keep for ever (starred/annotated are never removed)
    interval_minutes: int = 60
    unread: int = 0
    last_fetched: str | None = None
    last_ok: str | None = None
    last_error: str | None = None
    failures: int = 0  # consecutive
    retry_at: str | None = None  # not fetched again before this (Retry-After, backoff after failures)
    title_set: bool = False  # a person named it: a refresh keeps the title
    etag: str | None = None
    last_modified: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "site_url": self.site_url,
            "folder": self.folder, "full_text": self.full_text, "translate_to": self.translate_to,
            "keep_days": self.keep_days, "interval_minutes": self.interval_minutes,
            "unread": self.unread, "last_fetched": self.last_fetched, "last_ok": self.last_ok,
            "last_error": self.last_error, "failures": self.failures,
        }


@dataclass(frozen=True, slots=True)
class FeedRefresh:
    """What refreshing one feed did (a ``feeds refresh`` line; a GUI progress step)."""

    feed_id: int
    title: str
    ok: bool
    new: int = 0
    updated: int = 0
    not_modified: bool = False  # the server answered 304
    error: str | None = None

    def line(self) -> str:
        if not self.ok:
            return f"#{self.feed_id} {self.title}: failed: {self.error}"
        if self.not_modified:
            return f"#{self.feed_id} {self.title}: not modified"
        return f"#{self.feed_id} {self.title}: {self.new} new, {self.updated} updated"


__all__ = [
    "COLORS", "DEFAULT_COLOR", "UNDETERMINED", "VIEWS", "Anchor", "ArticleAnnotations", "Article", "ArticleSummary", "Highlight", "HighlightFilter", "HighlightRow",
    "ImportOutcome", "LanguageGuess", "ListFilter", "ParsedArticle", "ReanchorReport", "Reanchored",
    "SavedSearch", "SearchHit", "Selector", "StoredArticleTranslation", "Tag", "validate_color",
    "BLOCK_KINDS", "Block", "FULL_TEXT_MODES", "Feed", "FeedRefresh", "ImageInfo", "ParsedBlock",
    "ParsedImage",
]
