"""Plain data passed between the core, the CLI and the GUI: frozen dataclasses, no Qt, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of a stored body: separated by blank lines, stripped, never empty."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def join_paragraphs(paragraphs: list[str] | tuple[str, ...]) -> str:
    """The stored form of a list of paragraphs."""
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


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

    @property
    def body(self) -> str:
        return join_paragraphs(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The result of importing one file: ``imported``, ``duplicate`` or ``skipped``."""

    path: str
    status: str
    article_id: int | None = None
    title: str | None = None
    lang: str | None = None
    reason: str | None = None

    def line(self) -> str:
        """The one line ``reader-cli import`` prints for this file."""
        if self.status == "imported":
            return f"imported #{self.article_id} [{self.lang}] {self.title}"
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
