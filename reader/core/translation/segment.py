"""Splitting text into pieces a provider accepts, and packing pieces into as few requests as possible.

The unit of translation is the paragraph. A paragraph longer than a provider's limit is split on
sentence boundaries, then on whitespace; a word is never cut unless one "word" alone is longer than
the limit (a pathological run without spaces, such as a long URL). Pieces are packed into requests
by joining them with a separator the provider preserves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A sentence ends with . ! ? … ; : (and any closing quotes/brackets) before whitespace.
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’»)\]]*(?=\s)")
_WHITESPACE = re.compile(r"\s+")


def _split_words(text: str, limit: int) -> list[str]:
    """Greedy packing of whitespace-separated words under ``limit`` (a too-long word is cut)."""
    out: list[str] = []
    current = ""
    for word in _WHITESPACE.split(text.strip()):
        if not word:
            continue
        while len(word) > limit:  # no whitespace to break at: the only case where a word is cut
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (whitespace-trimmed, never empty)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start:m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of ``text``, each at most ``limit`` characters, cut on sentence then word boundaries.

    Whitespace inside a piece is kept as it was; between pieces it is dropped (the caller re-joins
    translated pieces with one space).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        if len(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.extend(_split_words(sentence, limit))
            continue
        candidate = f"{current} {sentence}" if current else sentence
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = sentence
    if current:
        pieces.append(current)
    return pieces


def pack(pieces: Sequence[str], limit: int, separator: str) -> list[list[int]]:
    """Group piece indices into requests: each group's pieces joined by ``separator`` fit ``limit``.

    Every piece must already be at most ``limit`` long (see :func:`split_text`). Order is kept.
    """
    groups: list[list[int]] = []
    size = 0
    for i, piece in enumerate(pieces):
        if len(piece) > limit:
            raise ValueError(f"piece {i} is longer than the limit ({len(piece)} > {limit})")
        if groups and size + len(separator) + len(piece) <= limit:
            groups[-1].append(i)
            size += len(separator) + len(piece)
        else:
            groups.append([i])
            size = len(piece)
    return groups
