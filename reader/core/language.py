"""Language detection with langdetect: deterministic, thread-safe warm-up, bounded samples.

* ``DetectorFactory.seed = 0`` is set once, so the same text always gets the same answer.
* langdetect loads its 55 profiles lazily on first use, and that lazy load is not thread-safe:
  :func:`warm_up` loads them once under a lock (every detection calls it; the GUI may call it early
  on a worker thread to keep the first import snappy).
* Detection runs on a bounded sample of the *body* (several slices spread over the text, cut at word
  boundaries), never on a title alone: cost grows with length, and short text is where detectors err.
* Empty, short (fewer than :data:`MIN_LETTERS` letters), numeric or punctuation-only text, and any
  ``LangDetectException``, give ``und`` with confidence 0. The confidence is the top probability.

This is the app's only language detector (the import and the translation service both use it) and
the only module that imports langdetect. It is langdetect's own Detector with its hot loops
rewritten as faster Python: n-gram extraction (cached per word) and the trial loop do exactly
langdetect's arithmetic with the same random draws, so the languages and the probabilities (the
confidence shown to users) are langdetect's; a test compares them with stock ``detect_langs`` on
500+ short, mixed and ambiguous texts. (An earlier version stopped after 2 of the 7 trials when
they agreed; on ambiguous text that reported 1.0 where langdetect says 0.57-0.71, so it is gone.)
"""

from __future__ import annotations

import re
import threading
from typing import Any

from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from reader.core.cyrillic import refine_cyrillic
from reader.core.models import UNDETERMINED, LanguageGuess

#: Fewer letters than this in the sample: the language is not guessed (``und``).
MIN_LETTERS = 20
#: How many slices of the body make up a sample.
SAMPLE_SLICES = 4

DetectorFactory.seed = 0

_lock = threading.Lock()
_factory: Any = None
_LETTER_RE = re.compile(r"[^\W\d_]")
_SPACES_RE = re.compile(r" {2,}")
_WORD_CACHE_MAX = 200_000
_word_cache: dict[str, list[str]] = {}


class _NormalizeTable(dict[int, str]):
    """``str.translate`` table applying langdetect's ``NGram.normalize``, filled on demand."""

    def __missing__(self, code: int) -> str:
        value = self[code] = NGram.normalize(chr(code))
        return value


_NORMALIZE = _NormalizeTable()


def _word_ngrams(word: str, known: dict[str, Any]) -> list[str]:
    """The n-grams langdetect's buffer yields for one normalised word (plus its trailing space)."""
    padded = " " + word
    out: list[str] = []
    prev_upper = False
    for j in range(1, len(padded)):
        ch = padded[j]
        upper = ch.isupper()
        if upper and prev_upper:  # inside an all-capitals word: langdetect skips it
            continue
        prev_upper = upper
        if ch != " " and ch in known:
            out.append(ch)
        gram = padded[j - 1 : j + 1]
        if gram in known:
            out.append(gram)
        if j >= 2:
            gram = padded[j - 2 : j + 1]
            if gram in known:
                out.append(gram)
    return out


class _FastDetector(Detector):  # type: ignore[misc]
    """langdetect's Detector with equivalent, faster ``append`` / n-gram / probability loops."""

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += _SPACES_RE.sub(" ", text[: self.max_text_length])

    def _extract_ngrams(self) -> list[str]:
        # langdetect's n-gram buffer restarts at every space, so a word's n-grams depend on the
        # word alone: normalise the text once, then take each word's n-grams from a cache.
        normalized = self.text.translate(_NORMALIZE)
        words = normalized.split(" ")
        known = self.word_lang_prob_map
        result: list[str] = []
        last = len(words) - 1
        for i, word in enumerate(words):
            if not word:
                continue
            key = word + " " if i < last else word
            grams = _word_cache.get(key)
            if grams is None:
                grams = _word_ngrams(key, known)
                if len(_word_cache) > _WORD_CACHE_MAX:
                    _word_cache.clear()
                _word_cache[key] = grams
            result.extend(grams)
        return result

    def _detect_block(self) -> None:
        # langdetect's own loop: all n_trial (7) random trials, the same random draws in the same
        # order and the same floating-point operations in the same order, so the probabilities are
        # langdetect's. langdetect multiplies the probabilities by one n-gram's factors per draw and
        # normalises after draws 1, 6, 11, ... (at i % 5 == 0); here the five products between two
        # normalisations are done in one pass, ((((p*a)*b)*c)*d)*e, which is the same arithmetic
        # with far fewer Python-level steps. ``weight + q`` is computed once per n-gram and trial.
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        n_trial = self.n_trial
        langprob = [0.0] * len(self.langlist)
        rnd = self.random
        rnd.seed(self.seed)
        choice = rnd.choice
        word_map = self.word_lang_prob_map
        conv, limit = self.CONV_THRESHOLD, self.ITERATION_LIMIT
        for _ in range(n_trial):
            prob = self._init_probability()
            alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            factors: dict[str, list[float]] = {}

            def draw(factors: dict[str, list[float]] = factors, weight: float = weight) -> list[float]:
                word = choice(ngrams)
                f = factors.get(word)
                if f is None:  # every extracted n-gram is in the profiles
                    f = factors[word] = [weight + q for q in word_map[word]]
                return f

            a = draw()  # i = 0: one update, then the first normalisation
            prob = [p * x for p, x in zip(prob, a, strict=True)]
            sump = sum(prob)
            prob = [p / sump for p in prob]
            i = 0
            while not (max(prob) > conv or i >= limit):
                a, b, c, d, e = draw(), draw(), draw(), draw(), draw()  # i + 1 .. i + 5
                prob = [p * x1 * x2 * x3 * x4 * x5 for p, x1, x2, x3, x4, x5 in zip(prob, a, b, c, d, e, strict=True)]
                sump = sum(prob)
                prob = [p / sump for p in prob]
                i += 5
            for k in range(len(langprob)):
                langprob[k] += prob[k] / n_trial
        self.langprob = langprob


def warm_up() -> None:
    """Load langdetect's profiles once (thread-safe; cheap after the first call)."""
    global _factory
    if _factory is not None:
        return
    with _lock:
        if _factory is not None:
            return
        from langdetect import detector_factory

        detector_factory.init_factory()
        _factory = detector_factory._factory


def supported_languages() -> list[str]:
    """The language codes the detector can answer (langdetect's profiles)."""
    warm_up()
    return [*_factory.langlist, "be", "sr"]  # be and sr come from reader.core.cyrillic


def sample_text(text: str, sample_chars: int = 2000, slices: int = SAMPLE_SLICES) -> str:
    """At most about ``sample_chars`` characters of ``text``: slices spread over the whole text.

    Short texts are returned whole. Each slice is cut at word boundaries so no n-gram is made of
    half-words.
    """
    text = text.strip()
    if len(text) <= sample_chars:
        return text
    slices = max(1, slices)
    size = sample_chars // slices
    parts: list[str] = []
    span = len(text) - size
    for i in range(slices):
        start = span * i // max(1, slices - 1) if slices > 1 else 0
        end = start + size
        if start > 0:
            space = text.find(" ", start, end)
            start = space + 1 if space != -1 else start
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        parts.append(text[start:end].strip())
    return "\n".join(p for p in parts if p)


def _make_detector(text: str) -> _FastDetector:
    warm_up()
    detector = _FastDetector(_factory)
    detector.append(text)
    return detector


def langdetect_guess(text: str, *, sample_chars: int = 2000) -> LanguageGuess:
    """langdetect's own answer for ``text`` (same language and probability as stock langdetect)."""
    sample = sample_text(text or "", sample_chars)
    return _langdetect_sample(sample)


def _langdetect_sample(sample: str) -> LanguageGuess:
    if len(_LETTER_RE.findall(sample)) < MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0)
    try:
        probabilities = _make_detector(sample).get_probabilities()
    except LangDetectException:
        return LanguageGuess(UNDETERMINED, 0.0)
    if not probabilities:
        return LanguageGuess(UNDETERMINED, 0.0)
    best = probabilities[0]
    return LanguageGuess(_code(str(best.lang)), float(best.prob))


def detect_language(text: str, *, sample_chars: int = 2000) -> LanguageGuess:
    """The language of a body of text (``und``, confidence 0, when it cannot be told).

    langdetect decides; it has no Belarusian and reads Serbian as Macedonian, so its Cyrillic (and
    hr/bs/sl) answers are refined by the alphabet and, where installed, lingua
    (:func:`reader.core.cyrillic.refine_cyrillic`).
    """
    sample = sample_text(text or "", sample_chars)
    guess = _langdetect_sample(sample)
    if guess.lang == UNDETERMINED:
        return guess
    return LanguageGuess(*refine_cyrillic(sample, guess.lang, guess.confidence))


def _code(lang: str) -> str:
    """langdetect's code as we store it: ``zh-cn`` -> ``zh``; everything else unchanged."""
    return lang.split("-")[0] if lang.startswith("zh-") else lang


#: ISO 639-1 codes: a language a file declares is used only when it is one of these.
ISO_639_1 = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da "
    "de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz "
    "ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln "
    "lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi "
    "pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti "
    "tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
_ISO_639_2_TO_1 = {"ron": "ro", "rum": "ro", "lit": "lt", "rus": "ru", "ukr": "uk", "eng": "en", "bel": "be", "srp": "sr",
                   "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "pol": "pl", "spa": "es", "ita": "it"}


def language_code(value: str | None) -> str | None:
    """The ISO 639-1 code of a declared language (``ro-RO`` -> ``ro``, ``ron`` -> ``ro``), else None."""
    if not value:
        return None
    primary = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    primary = _ISO_639_2_TO_1.get(primary, primary)
    return primary if primary in ISO_639_1 else None
