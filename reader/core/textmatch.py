"""Where search terms occur in a text, folded the way the library's full-text index folds them.

FTS5 (``unicode61 remove_diacritics 2``) folds case and diacritics (``ș`` = ``ş`` = ``s``);
``QTextDocument.find`` and plain ``str.find`` do not. This module finds matches on text folded by
:func:`reader.core.text.search_fold` (the one copy of that folding) and
maps them back to positions in the original, for the reader pane's search highlighting and for
search snippets. Positions are Python code points; :func:`reader.core.text.to_utf16` converts them to
the UTF-16 units Qt counts (an emoji is 2). A ``~name`` term marks the words that are the name in any spelling
(:func:`reader.core.names.matches_name`: *Lukašenkos*, *Лукашэнка* for ``~lukashenko``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from reader.core.names import fts_fold, matches_name, name_prefixes
from reader.core.query import Term
from reader.core.text import search_fold


def _pattern(term: Term) -> re.Pattern[str] | None:
    folded, _ = search_fold(term.text)
    words = re.findall(r"\w+", folded)
    if not words:
        return None
    body = r"\W+".join(re.escape(w) for w in words)
    tail = r"\w*" if term.prefix else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail)


_NAME_WORD_RE = re.compile(r"[^\W\d_]+")  # a word as reader.core.names splits text
# Latin letters with diacritics: the ones that fold to a name's first letter start a candidate too.
_LATIN_EXTENDED = [chr(c) for r in ((0xC0, 0x250), (0x1E00, 0x1F00)) for c in range(*r) if chr(c).isalpha()]


@lru_cache(maxsize=256)
def _name_words_re(names: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words that can be one of ``names``: those starting with a letter some spelling of a
    name starts with (in any case, with any diacritic), so :func:`matches_name` runs on few words."""
    initials = {p[0] for name in names for p in name_prefixes(name) if p}
    if not initials:
        return _NAME_WORD_RE
    letters = initials | {c for c in _LATIN_EXTENDED if fts_fold(c) in initials}
    letters |= {c.upper() for c in letters if len(c.upper()) == 1}
    cls = "".join(sorted(re.escape(c) for c in letters))
    return re.compile(rf"(?<![^\W\d_])[{cls}][^\W\d_]*")


def _names(terms: Iterable[Term]) -> tuple[str, ...]:
    return tuple(t.text for t in terms if t.name and not t.negated)


def _iter_name_spans(
    text: str, names: tuple[str, ...], start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int]]:
    """Spans of the whole words overlapping ``text[start:end]`` that are one of ``names``."""
    if not names:
        return
    end = len(text) if end is None else end
    while start > 0 and text[start - 1].isalpha():  # never test the tail of a cut word
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    for m in _name_words_re(names).finditer(text, start, end):
        if any(matches_name(name, m.group()) for name in names):
            yield m.start(), m.end()


def find_matches(text: str, terms: Iterable[Term]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) code-point spans of the positive terms in ``text``."""
    terms = list(terms)
    patterns = [p for p in (_pattern(t) for t in terms if not t.negated and not t.name) if p is not None]
    names = _names(terms)
    if not (patterns or names) or not text:
        return []
    spans: list[tuple[int, int]] = []
    if patterns:
        folded, index_map = search_fold(text)
        spans = _spans_in(folded, index_map, patterns, 0, len(text))
    if names:
        spans = _merge(spans + list(_iter_name_spans(text, names)))
    return spans


_WORD_RE = re.compile(r"\S+")


def snippet(
    text: str, terms: Iterable[Term], *, mark: tuple[str, str] = ("[", "]"), words: int = 16,
    ellipsis: str = "…",
) -> str:
    """About ``words`` words of ``text`` around the first match, matches wrapped in ``mark``.

    The window starts a few words before the first match; ``ellipsis`` marks cut ends. Without a
    match, the start of the text. Whitespace (paragraph breaks included) is folded to single spaces.
    """
    terms = list(terms)
    patterns = [p for p in (_pattern(t) for t in terms if not t.negated and not t.name) if p is not None]
    names = _names(terms)
    folded, index_map = search_fold(text) if patterns else (text, range(len(text)))  # ~names need no folding
    firsts = [index_map[m.start()] for m in (p.search(folded) for p in patterns) if m]
    first_name = next(_iter_name_spans(text, names), None)
    if first_name is not None:
        firsts.append(first_name[0])
    anchor = min(firsts) if firsts else 0
    # Only the words around the first match are tokenised (bodies are long; snippets are short).
    before_start = max(0, anchor - 40 * words)
    before = [m.start() + before_start for m in _WORD_RE.finditer(text, before_start, anchor)]
    if before and before_start > 0:
        before = before[1:]  # the first may be a cut word
    lead = before[-(words // 4):] if words >= 4 else []
    start = lead[0] if lead else anchor
    after = []
    for m in _WORD_RE.finditer(text, anchor):
        after.append(m.end())
        if len(after) >= words - len(lead):
            break
    if not after:
        return ""
    end = after[-1]
    # A match that starts inside the first word of the window begins the window.
    start = min(start, anchor)
    spans = _spans_in(folded, index_map, patterns, start, end) if patterns else []
    if names:
        spans = _merge(spans + list(_iter_name_spans(text, names, start, end)))
    open_mark, close_mark = mark
    out: list[str] = []
    pos = start
    for s_, e_ in spans:
        if e_ <= start or s_ >= end:
            continue
        s_, e_ = max(s_, start), min(e_, end)
        out.append(text[pos:s_])
        out.append(open_mark + text[s_:e_] + close_mark)
        pos = e_
    out.append(text[pos:end])
    result = " ".join("".join(out).split())
    cut_left = bool(text[:start].strip())
    cut_right = bool(text[end:].strip())
    return (ellipsis if cut_left else "") + result + (ellipsis if cut_right else "")


def _spans_in(folded: str, index_map: list[int] | range, patterns: list[re.Pattern[str]],
              start: int, end: int) -> list[tuple[int, int]]:
    """Merged match spans (original positions) between original positions ``start`` and ``end``."""
    if isinstance(index_map, range):
        fstart, fend = start, end
    else:
        fstart = next((i for i, orig in enumerate(index_map) if orig >= start), len(folded))
        fend = next((i for i, orig in enumerate(index_map) if orig >= end), len(folded))
    # Look a little before the window so a match that starts just before it is still found.
    spans = sorted(
        (index_map[m.start()], index_map[m.end() - 1] + 1)
        for p in patterns
        for m in p.finditer(folded, max(0, fstart - 64), fend)
        if m.end() > m.start()
    )
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
