"""Where search terms occur in a text, folded the way the library's full-text index folds them.

FTS5 (``unicode61 remove_diacritics 2``) folds case and diacritics (``ș`` = ``ş`` = ``s``);
``QTextDocument.find`` and plain ``str.find`` do not. This module finds matches on text folded by
:func:`reader.core.text.search_fold` (the one copy of that folding) and
maps them back to positions in the original, for the reader pane's search highlighting and for
search snippets. Positions are Python code points; :func:`utf16_offset` converts them to the UTF-16
units Qt counts (an emoji is 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.core.query import Term
from reader.core.text import search_fold, to_utf16


def fold(text: str) -> tuple[str, list[int] | range]:
    """(folded text, index map): ``folded[i]`` came from ``text[index_map[i]]`` (see :func:`search_fold`)."""
    return search_fold(text)


def _pattern(term: Term) -> re.Pattern[str] | None:
    folded, _ = fold(term.text)
    words = re.findall(r"\w+", folded)
    if not words:
        return None
    body = r"\W+".join(re.escape(w) for w in words)
    tail = r"\w*" if term.prefix else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail)


def find_matches(text: str, terms: Iterable[Term]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) code-point spans of the positive terms in ``text``."""
    patterns = [p for p in (_pattern(t) for t in terms if not t.negated) if p is not None]
    if not patterns or not text:
        return []
    folded, index_map = fold(text)
    return _spans_in(folded, index_map, patterns, 0, len(text))


_WORD_RE = re.compile(r"\S+")


def snippet(
    text: str, terms: Iterable[Term], *, mark: tuple[str, str] = ("[", "]"), words: int = 16,
    ellipsis: str = "…",
) -> str:
    """About ``words`` words of ``text`` around the first match, matches wrapped in ``mark``.

    The window starts a few words before the first match; ``ellipsis`` marks cut ends. Without a
    match, the start of the text. Whitespace (paragraph breaks included) is folded to single spaces.
    """
    patterns = [p for p in (_pattern(t) for t in terms if not t.negated) if p is not None]
    folded, index_map = fold(text)
    firsts = [m.start() for m in (p.search(folded) for p in patterns) if m]
    anchor = index_map[min(firsts)] if firsts else 0
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
    spans = _spans_in(folded, index_map, patterns, start, end)
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
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


#: The UTF-16 offset of a code-point index (what QTextCursor positions count).
utf16_offset = to_utf16
