"""Text handling shared by the whole core: the one copy of folding, UTF-16 offsets and paragraphs.

Two foldings, for two jobs:

* :func:`search_fold` folds the way the library's full-text index does (FTS5 ``unicode61
  remove_diacritics 2``): case and diacritics (``ș`` = ``ş`` = ``s``), one character at a time, with a
  map back to the original positions. Search highlighting and snippets use it
  (:func:`search_fold_text` is the string alone). :func:`phrase_fold` is the same idea for the
  importers' marker phrases, with compatibility forms folded too (``…`` = ``...``), no map.
* :func:`match_fold` is looser, for placing a highlight's quote in an edited text: besides case and
  diacritics it folds compatibility forms, drops invisible characters (soft hyphen, zero-width),
  maps typographic quotes and dashes to ASCII and collapses runs of whitespace, again with a map
  back to the original.

Positions are Python code points; :func:`to_utf16` / :func:`from_utf16` convert to and from the
UTF-16 units Qt counts (an emoji is 2). A stored body is paragraphs separated by one blank line:
:func:`split_paragraphs`, :func:`join_paragraphs`, :func:`paragraph_spans`, :func:`paragraph_index`.

Counts in messages: :func:`plural` (``1 article``, ``2 articles``), never ``article(s)``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# --- search folding ------------------------------------------------------------------------------


class _SearchFoldTable(dict[int, str]):
    """``str.translate`` table: a character without diacritics, case-folded; filled on demand."""

    def __missing__(self, code: int) -> str:
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        value = self[code] = base.casefold()
        return value


_SEARCH_FOLD = _SearchFoldTable()


def search_fold_text(text: str) -> str:
    """``text`` folded like the full-text index: case and diacritics removed (``Ș`` -> ``s``)."""
    return text.translate(_SEARCH_FOLD)


def search_fold(text: str) -> tuple[str, list[int] | range]:
    """(folded text, index map): ``folded[i]`` came from ``text[index_map[i]]`` (see module doc)."""
    folded = text.translate(_SEARCH_FOLD)
    if len(folded) == len(text):  # the usual case: every character folds to one character
        return folded, range(len(text))
    out: list[str] = []
    index_map: list[int] = []
    for i, ch in enumerate(text):
        for c in ch.translate(_SEARCH_FOLD):
            out.append(c)
            index_map.append(i)
    return "".join(out), index_map


_COMBINING = re.compile("[\u0300-\u036f]")


def phrase_fold(text: str) -> str:
    """Lower-case, diacritics-free, compatibility-folded form for comparing short phrases
    (the importers' clutter markers: ``Citește și…`` = ``citeste si...``)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


# --- matching folding (looser: for anchoring quotes) ---------------------------------------------

_PUNCT_EQUIV = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'",
    "\u203a": "'", "\u2032": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2026": "...",
}


@lru_cache(maxsize=4096)
def match_fold_char(ch: str) -> str:
    """The comparable form of one character for :func:`match_fold` ('' for marks and invisibles)."""
    if ch in _PUNCT_EQUIV:
        return _PUNCT_EQUIV[ch]
    out = []
    for d in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(d) or unicodedata.category(d) in ("Mn", "Me", "Mc", "Cf"):
            continue
        if d in _PUNCT_EQUIV:
            out.append(_PUNCT_EQUIV[d])
        elif d.isspace():
            out.append(" ")
        else:
            out.append(d.casefold())
    return "".join(out)


class _MatchTable(dict[int, str]):
    """A ``str.translate`` table filled on demand: code point -> matching form."""

    def __missing__(self, code: int) -> str:
        value = match_fold_char(chr(code))
        self[code] = value
        return value


class _LengthTable(dict[int, str]):
    """A ``str.translate`` table: code point -> chr(length of its matching form)."""

    def __missing__(self, code: int) -> str:
        value = chr(len(match_fold_char(chr(code))))
        self[code] = value
        return value


_MATCH = _MatchTable()
_LENGTHS = _LengthTable()
_SPACE_RUN = re.compile(" {2,}")
_NOT_ONE = re.compile("[^\x01]")


def match_fold(text: str) -> tuple[str, list[int]]:
    """``text`` in its matching form, and for each of its characters the source index.

    Diacritics, compatibility forms, case, invisible characters and quote/dash variants are folded;
    runs of whitespace become one space. (``str.translate`` does the per-character work in C.)
    """
    mapped = text.translate(_MATCH)
    lengths = text.translate(_LENGTHS)
    index: list[int] = []
    pos = 0
    for m in _NOT_ONE.finditer(lengths):  # the few characters that vanish or expand
        index.extend(range(pos, m.start()))
        index.extend([m.start()] * ord(m.group()))
        pos = m.end()
    index.extend(range(pos, len(text)))
    if "  " in mapped:
        keep_text: list[str] = []
        keep_index: list[int] = []
        pos = 0
        for m in _SPACE_RUN.finditer(mapped):
            keep_text.append(mapped[pos : m.start() + 1])
            keep_index.extend(index[pos : m.start() + 1])
            pos = m.end()
        keep_text.append(mapped[pos:])
        keep_index.extend(index[pos:])
        mapped, index = "".join(keep_text), keep_index
    return mapped, index


def match_fold_reference(text: str) -> tuple[str, list[int]]:
    """The obvious per-character loop :func:`match_fold` must agree with (used by tests)."""
    chars: list[str] = []
    index: list[int] = []
    last_space = False
    for i, ch in enumerate(text):
        for n in match_fold_char(ch):
            if n == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            chars.append(n)
            index.append(i)
    return "".join(chars), index


def match_fold_text(text: str) -> str:
    """The matching form of a text (see :func:`match_fold`), trimmed."""
    return match_fold(text)[0].strip()


# --- UTF-16 offsets ------------------------------------------------------------------------------


def to_utf16(text: str, position: int) -> int:
    """A code-point position in ``text`` as a UTF-16 offset (what Qt's text positions count)."""
    position = max(0, min(position, len(text)))
    head = text[:position]
    return position + sum(1 for ch in head if ord(ch) > 0xFFFF)


def from_utf16(text: str, offset: int) -> int:
    """A UTF-16 offset (a Qt text position) in ``text`` as a code-point position."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


# --- paragraphs ----------------------------------------------------------------------------------


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of a stored body: separated by blank lines, stripped, never empty."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def join_paragraphs(paragraphs: Sequence[str]) -> str:
    """The stored form of a list of paragraphs."""
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a stored body, in the order of :func:`split_paragraphs`."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for chunk in body.split("\n\n"):
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(chunk) + 2
    return spans


def paragraph_index(body: str, position: int, spans: Sequence[tuple[int, int]] | None = None) -> int | None:
    """Index of the paragraph holding ``position`` (the next one if it falls between two)."""
    spans = paragraph_spans(body) if spans is None else spans
    if not spans:
        return None
    ends = [e for _, e in spans]
    return min(bisect.bisect_right(ends, position), len(spans) - 1)


# --- counts in messages --------------------------------------------------------------------------
def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` with the noun in the right number: ``1 article``, ``0 articles``, ``2 entries``
    (``plural_form`` for an irregular noun; a noun of several words is given whole: ``cached
    translation``)."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
