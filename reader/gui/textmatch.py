"""Where the search box's words occur in a text, the way the library's search folds them.

FTS5 folds case and diacritics (``ș`` = ``ş`` = ``s``); ``QTextDocument.find`` does not, so the pane
finds matches here, on folded text, and maps them back to positions. Positions are Python code
points; :func:`utf16_offset` converts them to the UTF-16 units Qt counts (an emoji is 2).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reader.core.query import Term


def fold(text: str) -> tuple[str, list[int]]:
    """(folded text, index map): ``folded[i]`` came from ``text[index_map[i]]``."""
    out: list[str] = []
    index_map: list[int] = []
    for i, ch in enumerate(text):
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        for c in base.casefold():
            out.append(c)
            index_map.append(i)
    return "".join(out), index_map


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
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(folded):
            if m.end() > m.start():
                spans.append((index_map[m.start()], index_map[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 offset of code point ``index`` in ``text`` (what QTextCursor positions count)."""
    return len(text[:index].encode("utf-16-le")) // 2
