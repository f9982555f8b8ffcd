"""A name in any spelling: the ``~term`` search operator's matching.

``~lukashenko`` should find *Lukashenko's*, *lui Lukașenko*, *Lukašenkos*, *Лукашенко* and
*Лукашэнка*, and not *Lukoil*. Three functions:

* :func:`name_key` -- the **skeleton** of one word: Cyrillic (ru, uk, be, bg, sr, mk) transliterated,
  Latin diacritics folded, transliteration variants collapsed into classes (``s sh š ș sz sch`` ->
  ``S``; ``c ts tz cz č ć ț ч ц``, and ``t`` before ``i`` (be ``Пуцін``/``Ціханоўская``) -> ``C``;
  ``z zh ž`` -> ``Z``; ``h kh g х г`` -> ``H``; ``i y j ы й`` -> ``I``; ``e ie je ye э є`` -> ``E``;
  ``v w ў`` after a vowel before a consonant -> ``U``; ``dz`` -> ``d``), doubled letters collapsed
  and the inflectional ending stripped (``-o -a -u -os -as -is -ului -om -ogo -'s`` ...).
* :func:`name_prefixes` -- FTS5 prefix strings for a typed name (at most :data:`MAX_PREFIXES`),
  folded the way ``unicode61 remove_diacritics 2`` folds (Latin diacritics only: Cyrillic ``й ў ё
  ї`` and Latin ``ł đ`` stay), generated forward from the skeleton in Latin and Cyrillic spellings.
  When the full stem has too many spellings, a shorter stem (at least :data:`MIN_STEM` classes) is
  used and :func:`matches_name` sorts out the candidates.
* :func:`matches_name` -- whether a token is that name (skeleton prefix plus a plausible ending):
  the post-filter for FTS candidates and the highlighter's test.

:func:`fts_expression` joins the prefixes into a MATCH fragment (``("a"* OR "b"* ...)``).
:func:`vocabulary_terms` + :func:`terms_expression` are the precise, faster form: the prefixes are
looked up in the index's vocabulary (``fts5vocab``), only the words that are the name are kept and
the MATCH uses those exact terms (at 100k articles about half the time of the prefix MATCH, see
:mod:`benchmarks.names_bench`). :func:`find_name_spans` finds the name in a text for highlighting.
No Qt, no SQL execution, no state: everything is pure and cached.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from reader.core.text import search_fold_text

#: At most this many FTS prefix strings per name.
MAX_PREFIXES = 64
#: A stem shorter than this (in skeleton classes) is not searched as a name.
MIN_STEM = 4

# One transliteration of each Cyrillic letter (ru/uk/be/bg/sr/mk), into a Latin-ish phonemic form.
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "ѓ": "gj", "е": "e",
    "ё": "jo", "є": "je", "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "ji", "й": "j",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "ћ": "ć", "ќ": "kj", "у": "u", "ў": "w", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "č", "џ": "dzh", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "ju", "я": "ja", "'": "", "’": "", "ʼ": "",
}
_LATIN_EXTRA = {"ł": "l", "đ": "dj", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}

# Multi-letter spellings -> classes, longest first (applied to the lowercase, folded form).
_DIGRAPHS = [
    ("shch", "S"), ("tsch", "C"), ("sch", "S"), ("tch", "C"), ("dzh", "Z"), ("sh", "S"), ("sz", "S"),
    ("zh", "Z"), ("kh", "H"), ("ts", "C"), ("tz", "C"), ("cz", "C"), ("ch", "C"), ("dz", "d"),
    ("dj", "d"),
]
_SINGLE = {"s": "S", "c": "C", "č": "C", "ć": "C", "z": "Z", "h": "H", "g": "H", "x": "ks", "q": "k", "y": "I", "j": "I",
           "i": "I", "w": "v"}
_VOWELS = "aeIouE"
_DIGRAPH_RE = re.compile("|".join(re.escape(d) for d, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)

#: Endings stripped from the skeleton (already in skeleton classes), longest first.
_ENDINGS = sorted(
    {"IuI", "aIa", "aIu", "oIu", "uIu", "oHo", "eHo", "omu", "emu", "ami", "ovI", "ov", "om", "em",
     "Im", "am", "aH", "IH", "oI", "eI", "aI", "uI", "Iu", "Ia", "oS", "aS", "IS", "uS", "eS", "ulI",
     "ului", "uluI", "ul", "S", "a", "o", "u", "e", "E", "I"},
    key=len, reverse=True,
)
# What may follow a stem in a token: an inflectional ending (checked by matches_name).
_REMAINDER_RE = re.compile(r"[aeIouE]{0,3}(?:[SmHl]|mI|mu|lu|luI|uI)?[aeIouE]{0,2}")

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def fts_fold(text: str) -> str:
    """Lowercase ``text`` with Latin diacritics removed, as FTS5 ``remove_diacritics 2`` does.

    Cyrillic letters are left alone (the tokenizer does not fold ``й ў ё ї``), and so are Latin
    letters without a decomposition (``ł đ``). The folding itself is :mod:`reader.core.text`'s.
    """
    out = []
    for ch in text.lower():
        if ch.isascii() or not ("\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"):
            out.append(ch)
        else:
            out.append(search_fold_text(ch) or ch)
    return "".join(out)


def _phonemic(word: str, ch_as_h: bool = False) -> str:
    """Transliterated, folded and class-collapsed form of a word (before ending stripping).

    Latin ``ch`` is ``č`` in English and Romanian-style spellings but ``x``/``kh`` in Polish,
    Lithuanian and Belarusian Latin (*Cichanouskaja*): ``ch_as_h`` reads it the second way.
    """
    text = fts_fold(unicodedata.normalize("NFC", word))
    # Cyrillic ч/ћ become č/ć here (after the folding), so they are never read as "kh" below.
    text = "".join(_CYR.get(ch, _LATIN_EXTRA.get(ch, ch)) for ch in text)
    text = "".join(ch for ch in text if ch.isalpha())
    if ch_as_h:
        text = text.replace("ch", "kh")
    text = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group()], text)
    text = "".join(_SINGLE.get(ch, ch) for ch in text)
    text = text.replace("IE", "E").replace("Ie", "E")  # ie / je / ye -> E
    text = re.sub(r"(?<=[a-zA-Z])e", "E", text)  # plain e after a consonant or vowel is the same E
    text = text.replace("e", "E")
    text = re.sub(r"tI", "CI", text)  # be: soft т is ц (Пуцін = Путін)
    text = re.sub(r"(?<=[aEIo])[vu](?=[^aEIouU])", "U", text)  # Ціханоўская = Тихановская
    text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters
    return text


def _strip_ending(skeleton: str) -> str:
    for ending in _ENDINGS:
        if skeleton.endswith(ending) and len(skeleton) - len(ending) >= MIN_STEM:
            skeleton = skeleton[: -len(ending)]
            break
    while skeleton and skeleton[-1] in _VOWELS and len(skeleton) > MIN_STEM:
        skeleton = skeleton[:-1]
    return skeleton


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """The skeleton of one word: the same for every spelling and inflection of a name.

    ``name_key("Lukashenko") == name_key("Лукашэнку") == name_key("Lukašenkos")``. (A Latin ``ch``
    is read as ``č``; :func:`matches_name` also tries it as ``kh``.)
    """
    return _strip_ending(_phonemic(word)).replace("v", "U")


@lru_cache(maxsize=65536)
def _phonemics(word: str) -> tuple[str, ...]:
    first = _phonemic(word)
    second = _phonemic(word, ch_as_h=True)
    return (first,) if second == first else (first, second)


@lru_cache(maxsize=4096)
def _stems(term: str) -> tuple[str, ...]:
    words = _WORD_RE.findall(term)
    if not words:
        return ()
    return tuple(dict.fromkeys(_strip_ending(p) for p in _phonemics(words[0])))


def _stem(term: str) -> str:
    stems = _stems(term)
    return stems[0] if stems else ""


def matches_name(term: str, token: str) -> bool:
    """True when ``token`` (one word of a text) is the name ``term`` in some spelling or inflection."""
    # v and U (v/w/ў/u after a vowel) are one class when comparing: Medvedev = Medvedevs.
    stems = [s.replace("v", "U") for s in _stems(term) if len(s) >= MIN_STEM]
    for stem in stems:
        for phon in _phonemics(token):
            phon = phon.replace("v", "U")
            if phon.startswith(stem) and _REMAINDER_RE.fullmatch(phon[len(stem):].replace("U", "u")):
                return True
    return False


# Forward spellings of each class, Latin (as the tokenizer folds them) and Cyrillic.
_LATIN_SPELL: dict[str, tuple[str, ...]] = {
    "S": ("s", "sh", "sz", "sch"), "C": ("c", "ts", "ch", "t"), "Z": ("z", "zh"),
    "H": ("h", "kh", "ch", "g"), "I": ("i", "y"), "E": ("e",), "U": ("u", "v", "w"),
    "u": ("u",), "d": ("d", "dz"),
}
_CYR_SPELL: dict[str, tuple[str, ...]] = {
    "S": ("с", "ш", "щ"), "C": ("ц", "ч", "т"), "Z": ("з", "ж"), "H": ("х", "г"),
    "I": ("и", "і", "ы"), "E": ("е", "э"), "U": ("в", "ў", "у"), "u": ("у",),
    "a": ("а",), "b": ("б",), "d": ("д", "дз"), "f": ("ф",), "k": ("к",), "l": ("л",), "m": ("м",),
    "n": ("н",), "o": ("о",), "p": ("п",), "r": ("р",), "t": ("т",), "v": ("в",),
}
_LATIN_PAIRS = {("I", "a"): ("ia", "ya", "ja"), ("I", "u"): ("iu", "yu", "ju"), ("I", "E"): ("e", "ye", "je")}
_CYR_PAIRS = {("I", "a"): ("я", "ия"), ("I", "u"): ("ю", "ию"), ("I", "U"): ("ю", "ию"),
              ("I", "o"): ("ё", "йо"), ("I", "E"): ("е", "є")}


def _units(stem: str, cyrillic: bool) -> list[tuple[str, ...]]:
    """The stem as a list of alternative spellings per position (Latin or Cyrillic)."""
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(stem):
        ch = stem[i]
        pairs = _CYR_PAIRS if cyrillic else _LATIN_PAIRS
        if i + 1 < len(stem) and (ch, stem[i + 1]) in pairs:
            out.append(pairs[(ch, stem[i + 1])])
            i += 2
            continue
        table = _CYR_SPELL if cyrillic else _LATIN_SPELL
        spellings = table.get(ch, (ch,))
        if ch == "d" and stem[i + 1 : i + 2] not in ("E", "I"):
            spellings = spellings[:1]  # Belarusian дз only for a soft д (before e / i)
        if cyrillic and ch == "I" and i > 0 and stem[i - 1] in _VOWELS:
            spellings = ("й", "и", "і")  # after a vowel, i/j/y is й (ЛУКОЙЛ, Андрій)
        out.append(spellings)
        i += 1
    return out


def _count(units: list[tuple[str, ...]]) -> int:
    n = 1
    for u in units:
        n *= len(u)
    return n


@lru_cache(maxsize=4096)
def _prefixes(stem: str) -> tuple[str, ...]:
    latin = _units(stem, cyrillic=False)
    cyr = _units(stem, cyrillic=True)
    budget = MAX_PREFIXES // 2
    # Over budget: first keep only the two commonest spellings of each unit, then shorten the stem
    # (never below MIN_STEM units); matches_name sorts out what a shorter prefix lets in.
    if _count(latin) > budget:
        latin = [u[:2] for u in latin]
    if _count(cyr) > budget:
        cyr = [u[:2] for u in cyr]
    while len(latin) > MIN_STEM and _count(latin) > budget:
        latin = latin[:-1]
    while len(cyr) > MIN_STEM and _count(cyr) > budget:
        cyr = cyr[:-1]
    out: list[str] = []
    for units in (latin, cyr):
        for combo in itertools.islice(itertools.product(*units), budget):
            text = "".join(combo)
            if text not in out:
                out.append(text)
    if stem and "l" == stem[0]:
        out.extend(["ł" + p[1:] for p in out if p.startswith("l")][: MAX_PREFIXES - len(out)])
    return tuple(out[:MAX_PREFIXES])


def name_prefixes(term: str) -> list[str]:
    """FTS5 prefix strings (folded, lowercase, without ``*``) for every spelling of a name.

    Empty when the name's stem is shorter than :data:`MIN_STEM`: such a ``~term`` should fall back
    to an ordinary word search. At most :data:`MAX_PREFIXES` strings.
    """
    stems = [s for s in _stems(term) if len(s) >= MIN_STEM]
    if not stems:
        return []
    own = fts_fold(_WORD_RE.findall(term)[0])
    out: list[str] = []
    for stem in stems:
        out.extend(p for p in _prefixes(stem) if p not in out)
    if len(stems) > 1:  # two readings of "ch": interleave so both survive the cap
        first, second = _prefixes(stems[0]), _prefixes(stems[1])
        merged = [p for pair in itertools.zip_longest(first, second) for p in pair if p]
        out = list(dict.fromkeys(merged))
    # The user's own spelling, cut to the stem's length, is always searched.
    if not any(own.startswith(p) for p in out):
        out = [own[: max(MIN_STEM, len(own) - 2)], *out]
    return out[:MAX_PREFIXES]


def fts_expression(term: str) -> str | None:
    """An FTS5 MATCH fragment matching any spelling of the name, e.g. ``("lukasenk"* OR ...)``."""
    prefixes = name_prefixes(term)
    if not prefixes:
        return None
    return "(" + " OR ".join('"' + p.replace('"', '""') + '"*' for p in prefixes) + ")"


def vocabulary_terms(term: str, lookup: Callable[[str], Iterable[str]], *, limit: int = 200) -> list[str]:
    """The index's own words that are the name: exact FTS terms for a precise, faster MATCH.

    ``lookup(prefix)`` returns the index vocabulary's terms starting with ``prefix`` (the storage
    layer answers it from an ``fts5vocab`` table: ``SELECT term FROM vocab WHERE term >= ? AND
    term < ? || char(1114111)``). Each of :func:`name_prefixes` is looked up and only the terms
    :func:`matches_name` accepts are kept (at most ``limit``), so ``~lukashenko`` never matches
    *lukashenkoism*. An empty list means the name is not in the library.
    """
    out: list[str] = []
    seen: set[str] = set()
    for prefix in name_prefixes(term):
        for word in lookup(prefix):
            if word not in seen:
                seen.add(word)
                if matches_name(term, word):
                    out.append(word)
                    if len(out) >= limit:
                        return out
    return out


def terms_expression(terms: Iterable[str]) -> str | None:
    """An FTS5 MATCH fragment for exact terms: ``("lukashenko" OR "лукашэнка" ...)`` (None if empty)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return "(" + " OR ".join(quoted) + ")" if quoted else None


def find_name_spans(text: str, term: str) -> list[tuple[int, int]]:
    """(start, end) code-point spans of the words of ``text`` that are the name (for highlighting)."""
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text) if matches_name(term, m.group())]
