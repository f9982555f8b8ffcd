"""Highlights and their anchoring: placing a stored passage in an article's (possibly edited) text.

In the spirit of the W3C Web Annotation selectors, a highlight keeps three descriptions of its
passage (a :class:`Selector`): its position (``start``/``end``, code points in ``Article.body``), the
exact quote, and up to :data:`CONTEXT` characters of text before (``prefix``) and after (``suffix``).

:func:`anchor` finds the passage in a text, trying in order:

1. ``position`` — the quote is still at ``start..end``;
2. ``quote`` — the exact quote elsewhere; when it occurs more than once the occurrence whose
   prefix/suffix agree best wins (then the one nearest the old position);
3. ``normalized`` — the same, ignoring diacritics (Romanian cedilla ş ţ = comma-below ș ț = s t),
   Unicode normal forms (composed or decomposed, compatibility forms), case, invisible characters (soft hyphen,
   zero-width), typographic quote/dash variants and runs of whitespace; the match is mapped back to
   the exact code points of the original text;
4. ``fuzzy`` — an approximate match of the normalized quote anywhere in the normalized text
   (Myers' bit-parallel edit-distance search). Accepted when the edit distance is at most
   :data:`FUZZY_MAX_ERROR_RATE` (25 %) of the quote's length and the quote has at least
   :data:`FUZZY_MIN_LENGTH` normalized characters; ties go to the better context, then to the
   nearest position.

What cannot be placed is reported as ``None``: the caller marks the highlight orphaned and keeps it
(a highlight is never dropped). :func:`anchor` never raises for any text or selector.

No Qt and no SQL here; positions are Python code points (the GUI converts to UTF-16 for Qt). The
data types (:class:`Selector`, :class:`Highlight` ...) live in :mod:`reader.core.models`, the folding
and paragraph helpers in :mod:`reader.core.text`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from reader.core.errors import ValidationError
from reader.core.models import Anchor, Highlight, Reanchored, Selector
from reader.core.text import match_fold, match_fold_char, match_fold_text, paragraph_spans

#: How many characters of context a selector keeps on each side.
CONTEXT = 32
#: Fuzzy matching accepts an edit distance up to this share of the quote's (normalized) length.
FUZZY_MAX_ERROR_RATE = 0.25
#: Quotes shorter than this (normalized) are never matched fuzzily: too many false positives.
FUZZY_MIN_LENGTH = 8
#: How many equally good fuzzy candidates are compared by context.
_FUZZY_MAX_CANDIDATES = 8
#: The fuzzy search looks half a quote length around the expected place, then this far, then everywhere.
_FUZZY_WINDOW = 1024
STRATEGIES = ("position", "quote", "normalized", "fuzzy")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` in the matching form (:func:`reader.core.text.match_fold`) with its index map."""
    return match_fold(text)


def normalize(text: str) -> str:
    """The comparison form of a text (:func:`reader.core.text.match_fold_text`), trimmed."""
    return match_fold_text(text)


# --- selectors -----------------------------------------------------------------------------------
def make_selector(body: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """The selector of ``body[start:end]``. Raises :class:`ValidationError` for an empty/out-of-range span."""
    if not (0 <= start < end <= len(body)):
        raise ValidationError(f"the passage {start}..{end} is not inside the article's text (0..{len(body)})")
    if not body[start:end].strip():
        raise ValidationError("a highlight needs some text, not only spaces")
    return Selector(
        start=start,
        end=end,
        quote=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
    )


class AnchorText:
    """A text prepared for anchoring many selectors (its normalized form is computed once, lazily)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._norm: tuple[str, list[int]] | None = None

    @property
    def normalized(self) -> tuple[str, list[int]]:
        if self._norm is None:
            self._norm = normalize_with_map(self.text)
        return self._norm

    def to_normalized_pos(self, pos: int) -> int:
        """The normalized position of an original one (first normalized char at or after it)."""
        return bisect.bisect_left(self.normalized[1], pos)

    def to_original_span(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a normalized span back to the exact original code points it came from."""
        _, index = self.normalized
        start = index[nstart]
        end = index[nend - 1] + 1
        text = self.text
        # Take the marks / invisible characters that belong to the last character (decomposed text).
        while end < len(text) and match_fold_char(text[end]) == "" and not text[end].isspace():
            end += 1
        return start, end


# --- the anchoring strategies --------------------------------------------------------------------
def _common_prefix_len(a: str, b: str) -> int:
    """Length of the common prefix (binary search over slices: C-speed comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix_len(a: str, b: str) -> int:
    """Length of the common suffix."""
    lo, hi = 0, min(len(a), len(b))
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid :] == b[lb - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the stored context agree with the text around ``start..end``."""
    before = text[max(0, start - len(prefix)) : start] if prefix else ""
    after = text[end : end + len(suffix)] if suffix else ""
    return _common_suffix_len(before, prefix) + _common_prefix_len(after, suffix)


def _occurrences(text: str, needle: str, limit: int = 10_000) -> list[int]:
    found: list[int] = []
    i = text.find(needle)
    while i != -1 and len(found) < limit:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _pick(text: str, starts: list[int], length: int, prefix: str, suffix: str, hint: int) -> int:
    """The occurrence with the best context, then the nearest to ``hint``.

    Candidates are tried nearest first and the search stops at one whose whole context agrees, so a
    quote repeated many times costs little when the context is intact.
    """
    if len(starts) == 1:
        return starts[0]
    perfect = len(prefix) + len(suffix)
    best_key: tuple[int, int, int] | None = None
    best = starts[0]
    for s in sorted(starts, key=lambda x: (abs(x - hint), x)):
        score = _context_score(text, s, s + length, prefix, suffix)
        if score == perfect:
            return s
        key = (-score, abs(s - hint), s)
        if best_key is None or key < best_key:
            best_key, best = key, s
    return best


def _by_position(text: str, sel: Selector) -> Anchor | None:
    if 0 <= sel.start < sel.end <= len(text) and text[sel.start : sel.end] == sel.quote:
        return Anchor(sel.start, sel.end, "position")
    return None


def _by_quote(text: str, sel: Selector) -> Anchor | None:
    starts = _occurrences(text, sel.quote)
    if not starts:
        return None
    start = starts[0] if len(starts) == 1 else _pick(text, starts, len(sel.quote), sel.prefix, sel.suffix, sel.start)
    return Anchor(start, start + len(sel.quote), "quote")


def _by_normalized(doc: AnchorText, sel: Selector) -> Anchor | None:
    quote = normalize(sel.quote)
    if not quote:
        return None
    ntext, _ = doc.normalized
    starts = _occurrences(ntext, quote)
    if not starts:
        return None
    prefix, suffix = normalize_with_map(sel.prefix)[0], normalize_with_map(sel.suffix)[0]
    hint = doc.to_normalized_pos(sel.start)
    start = _pick(ntext, starts, len(quote), prefix, suffix, hint)
    ostart, oend = doc.to_original_span(start, start + len(quote))
    return Anchor(ostart, oend, "normalized")


def _myers_scores(pattern: str, text: str) -> list[int]:
    """Edit distance of ``pattern`` to the best substring of ``text`` ending at each position.

    Myers' bit-parallel algorithm (1999, Hyyrö's formulation) in the search variant: the match may
    start anywhere. ``scores[j]`` is for the substring ending before ``text[j]`` (``j`` in 1..len).
    Only the low ``len(pattern)`` bits of the bit vectors matter; shifted values are masked so the
    integers stay small.
    """
    m = len(pattern)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, c in enumerate(pattern):
        peq[c] = peq.get(c, 0) | (1 << i)
    get = peq.get
    pv, mv, score = full, 0, m
    scores = [m]
    append = scores.append
    for c in text:
        eq = get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & full
        pv = ((mh << 1) & full) | ~(xv | ph)
        mv = ph & xv
        append(score)
    return scores


def _fuzzy_candidates(ntext: str, quote: str, lo: int, hi: int) -> tuple[int, list[tuple[int, int]]]:
    """Best edit distance of ``quote`` within ``ntext[lo:hi]`` and the spans that reach it."""
    m = len(quote)
    scores = _myers_scores(quote, ntext[lo:hi])
    best = min(scores)
    ends = [j for j in range(1, len(scores)) if scores[j] == best][:_FUZZY_MAX_CANDIDATES]
    rquote = quote[::-1]
    spans: list[tuple[int, int]] = []
    for end in ends:
        aend = lo + end
        start_lo = max(lo, aend - m - best)
        rscores = _myers_scores(rquote, ntext[start_lo:aend][::-1])
        length = rscores.index(min(rscores))  # the shortest span with the best distance
        if length > 0:
            spans.append((aend - length, aend))
    return best, spans


def _by_fuzzy(doc: AnchorText, sel: Selector, hint: int | None = None) -> Anchor | None:
    quote = normalize(sel.quote)
    m = len(quote)
    if m < FUZZY_MIN_LENGTH:
        return None
    ntext, _ = doc.normalized
    if not ntext:
        return None
    limit = int(m * FUZZY_MAX_ERROR_RATE)
    nhint = doc.to_normalized_pos(sel.start if hint is None else hint)
    # Near the expected place first (cheap), then wider, then the whole text.
    best: int = limit + 1
    spans: list[tuple[int, int]] = []
    for window in (max(32, m // 2), _FUZZY_WINDOW, len(ntext)):
        lo, hi = max(0, nhint - window), min(len(ntext), nhint + m + window)
        best, spans = _fuzzy_candidates(ntext, quote, lo, hi)
        if (best <= limit and spans) or (lo == 0 and hi == len(ntext)):
            break
    if best > limit or not spans:
        return None
    prefix, suffix = normalize_with_map(sel.prefix)[0], normalize_with_map(sel.suffix)[0]
    nstart, nend = min(
        spans,
        key=lambda se: (
            -_context_score(ntext, se[0], se[1], prefix, suffix),
            abs(se[1] - se[0] - m),
            abs(se[0] - nhint),
            se[0],
        ),
    )
    # Trim spaces the match may have taken at its edges.
    while nstart < nend and ntext[nstart] == " ":
        nstart += 1
    while nend > nstart and ntext[nend - 1] == " ":
        nend -= 1
    if nend <= nstart:
        return None
    ostart, oend = doc.to_original_span(nstart, nend)
    return Anchor(ostart, oend, "fuzzy", distance=best)


def anchor(body: str | AnchorText, selector: Selector, *, hint: int | None = None) -> Anchor | None:
    """Find ``selector``'s passage in ``body`` (position, quote + context, normalized, fuzzy).

    ``hint`` is where the passage is expected in ``body`` now (default: its old start); it breaks
    ties between equally good matches and is where the fuzzy search looks first. Returns None when
    the passage cannot be placed (the highlight is then an orphan). Never raises.
    """
    doc = body if isinstance(body, AnchorText) else AnchorText(body)
    if not selector.quote:
        return None
    if hint is not None and hint != selector.start:
        moved = Selector(hint, hint + (selector.end - selector.start), selector.quote, selector.prefix,
                         selector.suffix)
    else:
        moved = selector
    return (
        _by_position(doc.text, selector)
        or _by_quote(doc.text, moved)
        or _by_normalized(doc, moved)
        or _by_fuzzy(doc, moved)
    )


def reanchor_article(body: str, highlights: Iterable[Highlight]) -> list[Reanchored]:
    """Re-anchor all of an article's highlights in its current ``body``.

    Each result (in the order given) carries the new selector (quote and context re-read from the
    new text) or None when the passage is gone: the caller marks that highlight orphaned and keeps
    it. Highlights are placed in text order and the shift of the last one placed is the hint for
    the next, so text inserted or removed above a passage does not send the search elsewhere.
    """
    doc = AnchorText(body)
    spans = paragraph_spans(body)
    ends = [e for _, e in spans]
    items = list(highlights)
    results: dict[int, Reanchored] = {}
    shift = 0
    for pos in sorted(range(len(items)), key=lambda k: (items[k].start, items[k].end)):
        h = items[pos]
        found = anchor(doc, h.selector, hint=max(0, h.start + shift))
        if found is None or not body[found.start : found.end].strip():
            results[pos] = Reanchored(h.id, None, None, h.paragraph)
            continue
        if found.strategy != "fuzzy":
            shift = found.start - h.start
        sel = make_selector(body, found.start, found.end)
        para = min(bisect.bisect_right(ends, found.start), len(spans) - 1) if spans else None
        results[pos] = Reanchored(h.id, found, sel, para)
    return [results[k] for k in range(len(items))]


def find_quote(body: str, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in ``body``: exact matches, else diacritic-/space-insensitive ones."""
    quote = quote.strip()
    if not quote:
        return []
    exact = _occurrences(body, quote)
    if exact:
        return [(s, s + len(quote)) for s in exact]
    doc = AnchorText(body)
    nquote = normalize(quote)
    if not nquote:
        return []
    return [doc.to_original_span(s, s + len(nquote)) for s in _occurrences(doc.normalized[0], nquote)]


__all__ = [
    "CONTEXT", "FUZZY_MAX_ERROR_RATE", "FUZZY_MIN_LENGTH", "STRATEGIES", "AnchorText", "anchor", "find_quote",
    "make_selector", "normalize", "normalize_with_map", "reanchor_article",
]
