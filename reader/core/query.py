"""The one query language of the search box, ``reader-cli list/search`` and saved searches.

Syntax (any input is accepted; what cannot be understood is reported as a :class:`QueryError`
by :func:`parse` only for *malformed filters*, never for free text)::

    free words          lukasenko putin          all must match (diacritics folded: ș = ş = s)
    "quoted phrase"     "uniunii statale"
    prefix*             lukașenk*
    ~name               a name in any spelling: ~lukashenko finds Lukașenko, Lukašenkos, Лукашэнка
    -word / -"phrase"   exclude
    tag:NAME            tag or any of its children (tag:region matches region/belarus)
    lang:CODE           ro, lt, en, und ...
    source:TEXT         outlet name contains TEXT
    feed:ID|NAME        from the feed with that id, or whose title contains NAME
    is:unread|read|starred|archived
    has:highlights|notes|translation
    after:YYYY-MM-DD    published on or after (before: likewise, exclusive)
    -tag:x, -lang:x ... negated filters; quoted values: tag:"my tag"

The parser never raises for free text: stray quotes are closed, lone operators and punctuation are
dropped. :func:`match_expression` spells the free-text terms as an FTS5 MATCH expression built from
quoted tokens (so user text is never FTS syntax). Turning filters into SQL is the storage's job
(:mod:`reader.core.storage.query_sql`); this module has no SQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from reader.core.errors import QueryError
from reader.core.names import fts_expression, name_prefixes

FILTER_KEYS = ("tag", "lang", "source", "feed", "is", "has", "after", "before")
IS_VALUES = ("unread", "read", "starred", "archived")
HAS_VALUES = ("highlights", "notes", "translation")

_TOKEN_RE = re.compile(
    r"""
    (?P<neg>-)?
    (?:
        (?P<key>[A-Za-z]+):(?:"(?P<qval>[^"]*)"?|(?P<val>[^\s"]*))   # key:value / key:"value"
      | "(?P<phrase>[^"]*)"?                                         # "phrase" (closing quote optional)
      | (?P<word>[^\s"]+)                                            # bare word
    )
    """,
    re.VERBOSE,
)
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
#: Most different terms + filters in one query, and most characters of query text (a search box
#: or a saved search holds far fewer; past these SQLite fails with its own words).
MAX_PARTS = 64
MAX_QUERY_CHARS = 10_000


@dataclass(frozen=True)
class Term:
    """A free-text term: a word, a prefix or a phrase, possibly negated."""

    text: str
    prefix: bool = False
    phrase: bool = False
    negated: bool = False
    #: ``~text``: a name in any spelling (:mod:`reader.core.names`); ``text`` is without the ``~``.
    name: bool = False


@dataclass(frozen=True)
class Filter:
    """A ``key:value`` filter, possibly negated."""

    key: str
    value: str
    negated: bool = False


@dataclass
class Query:
    """A parsed query: free-text terms and filters."""

    terms: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)

    @property
    def positive_terms(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    @property
    def negative_terms(self) -> list[Term]:
        return [t for t in self.terms if t.negated]

    @property
    def has_text(self) -> bool:
        """True when there is at least one positive free-text term (the results are ranked)."""
        return bool(self.positive_terms)

    def is_empty(self) -> bool:
        return not self.terms and not self.filters


def _clean_word(word: str) -> str:
    return unicodedata.normalize("NFC", word).strip()


def parse(text: str | None) -> Query:
    """Parse query text. Raises :class:`QueryError` only for a malformed filter value, or a query
    over :data:`MAX_QUERY_CHARS` characters or :data:`MAX_PARTS` different terms and filters
    (repeated ones are dropped)."""
    query = Query()
    if not text:
        return query
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long: {len(text):,} characters, at most {MAX_QUERY_CHARS:,}")
    # Control characters (a NUL ends an SQLite string) are never part of a search: make them spaces.
    text = _CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text))
    for m in _TOKEN_RE.finditer(text):
        negated = bool(m.group("neg"))
        key = m.group("key")
        if key is not None and key.lower() in FILTER_KEYS:
            value = m.group("qval") if m.group("qval") is not None else (m.group("val") or "")
            query.filters.append(_make_filter(key.lower(), value.strip(), negated))
            continue
        if key is not None:  # "http://x" or "foo:bar" that is not a filter: treat as words
            raw = m.group(0)[1:] if negated else m.group(0)
            _add_words(query, raw, negated)
            continue
        phrase = m.group("phrase")
        if phrase is not None:
            phrase = _clean_word(phrase)
            if _WORD_CHARS.search(phrase):
                query.terms.append(Term(phrase, phrase=True, negated=negated))
            continue
        word = m.group("word")
        if word:
            _add_words(query, word, negated)
    return _bounded(query)


def rename_tag_in_query(text: str, old: str, new: str) -> str:
    """``text`` with every ``tag:old`` and ``tag:old/child`` filter (negated or quoted too) naming
    ``new`` instead; everything else in the text is kept as typed. Used when a tag is renamed or
    merged, so saved searches keep matching what they matched."""
    old_f = old.casefold()
    out: list[str] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        key = m.group("key")
        if key is None or key.lower() != "tag":
            continue
        value = (m.group("qval") if m.group("qval") is not None else (m.group("val") or "")).strip()
        folded = value.casefold()
        if folded == old_f:
            renamed = new
        elif folded.startswith(old_f + "/"):
            renamed = new + value[len(old):]
        else:
            continue
        shown = f'"{renamed}"' if any(ch.isspace() for ch in renamed) else renamed
        out += [text[last : m.start()], ("-" if m.group("neg") else "") + key + ":" + shown]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _bounded(query: Query) -> Query:
    """The query with repeated terms and filters dropped (``belarus`` x1000 is one term: FTS5
    ranking cost grows with the square of the terms), refused when still over :data:`MAX_PARTS`
    (SQLite's expression depth and the FTS5 parser's stack end far below 1,000)."""
    terms: dict[tuple[object, ...], Term] = {}
    for t in query.terms:
        terms.setdefault((t.text.casefold(), t.prefix, t.phrase, t.negated, t.name), t)
    filters: dict[tuple[object, ...], Filter] = {}
    for f in query.filters:
        filters.setdefault((f.key, f.value.casefold(), f.negated), f)
    query.terms, query.filters = list(terms.values()), list(filters.values())
    parts = len(query.terms) + len(query.filters)
    if parts > MAX_PARTS:
        raise QueryError(
            f"the query is too long: {parts} different words and filters, at most {MAX_PARTS} — "
            "shorten it, or use tag:parent for many tags"
        )
    return query


def _add_words(query: Query, raw: str, negated: bool) -> None:
    word = _clean_word(raw)
    if word.startswith("~"):
        # ~name: a name in any spelling. A stem too short to be a name (~li) is a plain word.
        word = word.lstrip("~")
        name = word.rstrip("*")  # ~name* is the name (its endings are matched anyway)
        if _WORD_CHARS.search(name) and name_prefixes(name):
            query.terms.append(Term(name, negated=negated, name=True))
            return
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if not _WORD_CHARS.search(word):
        return  # punctuation, a lone "*" or "-": nothing to search for
    if word in _FTS_OPERATORS and not prefix:
        # FTS operators typed as words are searched as plain words (quoted below), not operators.
        pass
    query.terms.append(Term(word, prefix=prefix, phrase=False, negated=negated))


def _make_filter(key: str, value: str, negated: bool) -> Filter:
    if not value:
        raise QueryError(f'"{key}:" needs a value, e.g. {key}:{_example(key)}')
    if key == "is" and value.lower() not in IS_VALUES:
        raise QueryError(f'unknown "is:{value}"; use one of: {", ".join(IS_VALUES)}')
    if key == "has" and value.lower() not in HAS_VALUES:
        raise QueryError(f'unknown "has:{value}"; use one of: {", ".join(HAS_VALUES)}')
    if key in ("after", "before"):
        value = parse_date(value, what=f"{key}:")
    if key in ("is", "has", "lang"):
        value = value.lower()
    return Filter(key, value, negated)


def _example(key: str) -> str:
    return {
        "tag": "region/belarus",
        "lang": "ro",
        "source": "Reuters",
        "feed": "3",
        "is": "unread",
        "has": "highlights",
        "after": "2026-01-01",
        "before": "2026-01-01",
    }[key]


def parse_date(value: str, what: str = "date") -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; return an ISO date (first day of the period)."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not m:
        raise QueryError(f'{what} "{value}" is not a date; write YYYY-MM-DD')
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise QueryError(f'{what} "{value}" is not a valid date') from None


# --- compilation -------------------------------------------------------------------------------


def fts_quote(text: str) -> str:
    """One FTS5 string token: the text in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


#: Resolves a ``~name`` to an FTS5 fragment of the index's own words (None: the name is not in it).
NameResolver = Callable[[str], str | None]


def term_to_fts(term: Term, names: NameResolver | None = None) -> str:
    """A term as a safe FTS5 expression fragment.

    A ``~name`` term is ``names(text)`` when given (the storage's exact vocabulary terms; ``""``,
    which matches no row, when the name is not in the library), else the OR of its spelling
    prefixes (:func:`reader.core.names.fts_expression`).
    """
    if term.name:
        expr = names(term.text) if names is not None else fts_expression(term.text)
        if expr is not None:
            return expr
        if names is not None:
            return '""'  # an empty phrase: matches nothing (FTS5 "x NOT \"\"" keeps x)
    quoted = fts_quote(term.text)
    return quoted + "*" if term.prefix else quoted


def match_expression(terms: list[Term], names: NameResolver | None = None) -> str | None:
    """The FTS5 MATCH expression for positive terms (implicit AND), or None when there are none."""
    parts = [term_to_fts(t, names) for t in terms]
    # FTS5 has no implicit AND next to a parenthesised group (a ~name's OR): spell it out then.
    return (" AND " if any(t.name for t in terms) else " ").join(parts) if parts else None


def mentions_archived(query: Query) -> bool:
    """True when the query itself asks about the archived flag (then views don't hide archived)."""
    return any(f.key == "is" and f.value == "archived" for f in query.filters)
