"""Telling Belarusian, Ukrainian, Russian, Bulgarian, Macedonian and Serbian apart (and Serbian Latin).

langdetect (the app's main detector, :mod:`reader.core.language`) has no Belarusian or Serbian
profile: Belarusian comes out as ``uk``/``ru`` and Serbian Cyrillic as ``mk`` (or ``bg``/``ru``).
:func:`refine_cyrillic` is a second step run on langdetect's answer:

1. **Alphabets.** The six languages' alphabets differ, and a letter a language does not have rules
   it out: ``ў`` only Belarusian; ``і`` Belarusian and Ukrainian, never Russian; ``и`` every one
   but Belarusian; ``ї є ґ`` only Ukrainian; ``ы э ё`` only Russian and Belarusian; ``ћ ђ`` only
   Serbian; ``ѓ ќ ѕ`` only Macedonian; ``ј љ њ џ`` Serbian and Macedonian; Serbian and Macedonian
   have no ``й щ ъ ь я ю``. One stray letter per 100 is tolerated (a quoted foreign name).
2. **One language left:** it is the answer. **Several:** lingua-language-detector, when installed,
   decides among those left (a detector built once from only the six languages, ~24 MB);
   without it, langdetect's own answer when it is one of those left, else word cues for
   Serbian/Macedonian, else ``und``.
3. **Serbian in Latin script** (langdetect says ``hr``/``bs``): Serbian-only words (ekavian forms
   ``vreme deca lekar``, ``šta ko hiljada``...) against Croatian-only ones (``vrijeme djeca tko
   tisuća``...); ``sr`` only when the Serbian cues clearly win.

Texts with fewer than :data:`MIN_LETTERS` letters are ``und`` (a short text keeps ``und`` rather
than a wrong label), and answers that are not Cyrillic/South Slavic candidates are returned
unchanged. No Qt, no I/O; the lingua detector is built lazily, once, under a lock.

Measured on :mod:`benchmarks.language_set` (tables in its docstring): with lingua, sentences
98.9 % right / 1.1 % wrong (langdetect alone 71.5 / 28.5), documents 100 %; Belarusian never
``uk``/``ru``; the rules alone: 96.8 / 3.2 and 100 %. Pass the same bounded sample that
:func:`reader.core.language.detect_language` used (lingua reads at most :data:`LINGUA_MAX_CHARS`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

from reader.core.models import UNDETERMINED

#: The languages this step decides among.
CYRILLIC_LANGUAGES = ("be", "uk", "ru", "bg", "mk", "sr")
#: langdetect answers that trigger the Cyrillic step (langdetect's Cyrillic profiles).
CYRILLIC_TRIGGERS = frozenset({"uk", "ru", "bg", "mk"})
#: langdetect answers that trigger the Serbian-Latin check.
LATIN_TRIGGERS = frozenset({"hr", "bs", "sr", "sl"})
#: Fewer letters than this: ``und`` (the same floor as :data:`reader.core.language.MIN_LETTERS`).
MIN_LETTERS = 20
#: Confidence reported when the alphabet alone leaves one language (measured: no errors on the
#: benchmark's 170 such sentences, but a quoted word in another alphabet can mislead it).
ALPHABET_CONFIDENCE = 0.97
#: Confidence reported for a decision made by word cues (Serbian/Macedonian, Serbian Latin).
CUE_CONFIDENCE = 0.8

_COMMON = set("абвгдежзклмнопрстуфхцчш")
#: Each language's lowercase letters.
ALPHABETS: dict[str, frozenset[str]] = {
    "be": frozenset(_COMMON | set("ёйіўыьэюя'’")),
    "uk": frozenset(_COMMON | set("иійїєґщьюя'’")),
    "ru": frozenset(_COMMON | set("ёийщъыьэюя")),
    "bg": frozenset(_COMMON | set("ийщъьюя")),
    "mk": frozenset(_COMMON | set("иѓѕјљњќџ")),
    "sr": frozenset(_COMMON | set("иђјљњћџ")),
}
_ALL_CYRILLIC = frozenset().union(*ALPHABETS.values()) - {"'", "’"}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Word cues for Serbian vs Macedonian when the alphabet leaves both (no ћ ђ ѓ ќ ѕ in the text).
_SR_WORDS = frozenset(
    "је су ће није био била било ово овај све веома увек где шта ко много али јер код после пре "
    "деца деци лекар сам смо књиге књига људи мене тебе њега њу их из".split()
)
_MK_WORDS = frozenset(
    "е во го ги им ова овој оваа сите кој кои каде многу беше биле бил сум сме ние вие тие но "
    "покрај децата лекарот со кон преку мене".split()
)
# Bulgarian vs Macedonian (when neither й щ ъ ь я ю nor ј ѓ ќ ѕ tell them apart).
_BG_WORDS = frozenset(
    "това всички които който която някои днес от във със към през след мен нас вас беше "
    "много ние вие те".split()
)
_MK_VS_BG_WORDS = frozenset("ова оваа овој сите кои кој која денес од во со кон преку мене".split())
# Serbian (ekavian, Serbian vocabulary) vs Croatian (ijekavian, Croatian vocabulary) in Latin script.
_SR_LATN_WORDS = frozenset(
    "porodica leta leto krompir krompira hleba voza vest vesti veoma gde deca deci dete reka reke reci reč vreme vremena lekar lekara lepo lepa "
    "mleko pesma pesme sledeće sledeći sledećeg uvek nedelja nedelje nedeljom mesec meseca svet "
    "svetskom sveta cena cene ceni istorija istorije istoriji ko šta hleb voz hiljada hiljade opština "
    "opštine univerzitet univerziteta preduzeće preduzeća prestonica prestonice juče videćemo uveče "
    "srednjovekovne mesto mesta posle ovde tokom savetovao uvek bela belo beli dve devojka "
    "reči rečju rečima".split()
)
_HR_LATN_WORDS = frozenset(
    "vijest vijesti vrlo gdje djeca djeci dijete rijeka rijeke riječ vrijeme vremena liječnik "
    "liječnika lijepo lijepa mlijeko pjesma pjesme sljedeće sljedeći sljedećeg uvijek tjedan tjedna "
    "tjedno mjesec mjeseca svijet svjetskom svijeta cijena cijene povijest povijesti tko što kruh "
    "vlak tisuća tisuće općina općine sveučilište sveučilišta poduzeće poduzeća jučer tijekom "
    "navečer srednjovjekovne mjesto mjesta poslije ovdje nogomet obitelj glazba zrakoplov "
    "kazalište bijela bijelo dvije djevojka".split()
)

# Word beginnings (a word counts when it starts with one): the ekavian reflex against the
# ijekavian one (pobed-/pobjed-, savet-/savjet-, predsedn-/predsjedn-) and the vocabulary the two
# standards do not share (saobraćaj/promet is left out: both use promet), months included. Each was
# checked not to begin a common word of the other language (svet-, reč-, plać-, prvak, zrak are
# shared, so they are not here).
_SR_LATN_STEMS = (
    "posled", "pobed", "verova", "veruj", "savet", "uslov", "uticaj", "bezbedn", "lekar", "lekov",
    "lečen", "oseć", "oseti", "pozorišt", "fudbal", "odsto", "finansij", "hiljad", "porodic", "sneg",
    "snež", "nedelj", "mesec", "mesta", "mesto", "istorij", "opštin", "opšt", "univerzitet",
    "preduzeć", "saobraćaj", "skupštin", "opozicij", "takmič", "šampion", "vazduh", "hemij", "naučn",
    "naučnik", "bioskop", "paradajz", "pasulj", "šargarep", "ćerk", "devojk", "pesm", "penzij",
    "sprove", "obezbed", "izveštaj", "saopšt", "zvaničn", "poslanik", "poslanic", "predsedn",
    "sedišt", "sednic", "odeljenj", "inostranstv", "dinar", "zvezd", "cvet", "vetar", "vetr", "sever",
    "svetl", "rešenj", "reši", "primen", "promen", "procen", "ocen", "smer", "uspeh", "poset",
    "zahtev", "fabrik", "kompanij", "obavešt", "proleć", "vežb", "poreklo", "prodavnic", "udruženj",
    "januar", "februar", "avgust", "septemb", "oktob", "novemb", "decemb", "razume", "uvek", "svetsk",
)
_HR_LATN_STEMS = (
    "posljednj", "pobjed", "vjerova", "vjeruj", "savjet", "uvjet", "utjecaj", "liječ", "lijek",
    "osjeć", "osjeti", "kazališt", "nogomet", "postot", "financij", "tisuć", "obitelj", "snijeg",
    "snjež", "tjed", "mjesec", "mjest", "vijest", "svijet", "svjetsk", "cijen", "cijel", "povijest",
    "rijek", "riječ", "lijep", "mlijek", "djec", "dijete", "djevojk", "pjesm", "uvijek", "vrijeme",
    "srijed", "sjever", "sjedni", "sjedišt", "predsjedn", "zvijezd", "cvijet", "vjetr", "vjetar",
    "svjetl", "rješenj", "riješ", "primjen", "promjen", "procjen", "ocjen", "smjer", "uspjeh",
    "posjet", "vježb", "zahtjev", "tijekom", "izvješ", "priopć", "obavješ", "proljeć", "podrijetl",
    "prijedlog", "sveučilišt", "poduzeć", "općin", "tvornic", "tvrtk", "znanost", "znanstven", "kemij",
    "zrakoplov", "udrug", "proračun", "mirovin", "zastupni", "služben", "inozemstv", "momčad",
    "opskrb", "glazb", "oporb", "natjec", "razumij", "siječ", "veljač", "ožuj", "travanj", "travnj",
    "svib", "lipanj", "lipnj", "srpanj", "srpnj", "kolovoz", "rujan", "rujn", "listopad", "studenog",
    "prosin", "ljeto", "ljeta", "ljetn",
)


def _beginnings(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching a word that begins with any of ``stems`` (longest tried first)."""
    return re.compile("(?:" + "|".join(sorted(stems, key=len, reverse=True)) + ")")


_SR_LATN_STEM_RE = _beginnings(_SR_LATN_STEMS)
_HR_LATN_STEM_RE = _beginnings(_HR_LATN_STEMS)
# "wants to return" is "želi da se vrati" in Serbian and "želi se vratiti" in Croatian: a verb of
# wanting, being able or starting followed by "da" and a present-tense verb counts as a Serbian cue.
_SR_DA_RE = re.compile(
    r"\b(?:želi[mš]?|želimo|želite|žele|planira[mš]?|planiraju|nauči[oloi]?|naučila|naučili|može[mš]?"
    r"|mogu|mora[mš]?|moraju|treba|hoće[mš]?|hoću|počeo|počela|počeli|odlučio|odlučila|odlučili"
    r"|pokušao|pokušala|pokušava|nastavio|nastavila|nastavlja|uspeo|uspela|uspeli)\s+da\s+(?:se\s+)?"
    r"[^\W\d_]+(?:m|š|mo|te|ju|e|i|a)\b", re.IGNORECASE)
#: Serbian Latin cues are counted over at most this many words (a long text decides long before).
LATIN_CUE_WORDS = 5000

# Serbian words Slovene does not have, and common Slovene words Serbian does not have.
_SR_NOT_SL_WORDS = frozenset(
    "veoma uvek šta gde deca deci juče uveče nedeljom hiljada hleb su nije sam kući porodica "
    "krompira videćemo danas ljudi".split()
)
_SL_WORDS = frozenset("so sem ni kje kaj zelo vedno otroci tudi ki lahko".split())

#: lingua's low-accuracy mode (trigrams only): its first detection loads the models in ~0.2 s and
#: ~15 MB, against ~2.5-4 s and ~180 MB for the full models, for the same benchmark results.
LINGUA_LOW_ACCURACY = True

_lock = threading.Lock()
_detector: Any = None
_detector_tried = False


def _lingua() -> Any:
    """The lingua detector for the six languages, built once (None when lingua is not installed)."""
    global _detector, _detector_tried
    if _detector_tried:
        return _detector
    with _lock:
        if not _detector_tried:
            try:
                from lingua import Language, LanguageDetectorBuilder
            except ImportError:  # optional: the rules work without it (see the module doc)
                _detector = None
            else:
                builder = LanguageDetectorBuilder.from_languages(
                    Language.BELARUSIAN, Language.UKRAINIAN, Language.RUSSIAN,
                    Language.BULGARIAN, Language.MACEDONIAN, Language.SERBIAN,
                )
                if LINGUA_LOW_ACCURACY:
                    builder = builder.with_low_accuracy_mode()
                _detector = builder.build()
            _detector_tried = True
    return _detector


def lingua_available() -> bool:
    """True when lingua-language-detector is installed (and so used for the close calls)."""
    return _lingua() is not None


def candidates(text: str) -> tuple[list[str], int]:
    """(languages whose alphabet fits the Cyrillic letters of ``text``, number of Cyrillic letters).

    A language stays when at most one letter in 100 is outside its alphabet (none in a text of
    fewer than 100 letters).
    """
    counts = Counter(ch for ch in text.lower() if ch in _ALL_CYRILLIC)
    total = sum(counts.values())
    tolerance = total // 100
    fits = [
        lang for lang in CYRILLIC_LANGUAGES
        if sum(n for ch, n in counts.items() if ch not in ALPHABETS[lang]) <= tolerance
    ]
    return fits, total


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def _cue(text: str, first: str, first_words: frozenset[str], second: str,
         second_words: frozenset[str]) -> str | None:
    """``first`` or ``second``, whichever has more of its cue words in ``text`` (None on a tie)."""
    words = _words(text)
    a = sum(w in first_words for w in words)
    b = sum(w in second_words for w in words)
    if a > b:
        return first
    if b > a:
        return second
    return None


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def refine_cyrillic(text: str, lang: str, prob: float, *, use_lingua: bool = True) -> tuple[str, float]:
    """langdetect's answer ``(lang, prob)`` for ``text``, corrected among be/uk/ru/bg/mk/sr.

    Only answers that are one of langdetect's Cyrillic languages (``uk ru bg mk``), Croatian or
    Bosnian (Serbian Latin check), or any answer for a text that is mostly Cyrillic, are looked at;
    anything else is returned unchanged. Returns ``("und", 0.0)`` for a text with fewer than
    :data:`MIN_LETTERS` letters, or when the candidates cannot be told apart. ``use_lingua=False``
    uses the rules alone (the benchmark compares both).
    """
    if lang in LATIN_TRIGGERS:
        return _refine_serbian_latin(text, lang, prob)
    letters = _letters(text)
    fits, cyrillic = candidates(text)
    if lang not in CYRILLIC_TRIGGERS and cyrillic * 2 < max(letters, 1):
        return lang, prob  # not a Cyrillic text, not a Cyrillic answer: not ours
    if cyrillic < MIN_LETTERS:
        return UNDETERMINED, 0.0
    if cyrillic * 2 < letters:
        return lang, prob  # mostly Latin (or another script) with a Cyrillic answer: leave it
    if len(fits) == 1:
        best = fits[0]
        return best, prob if best == lang else max(ALPHABET_CONFIDENCE * prob, 0.5)
    if not fits:
        fits = list(CYRILLIC_LANGUAGES)  # mixed alphabets (quotes, names): let the models decide
    detector = _lingua() if use_lingua else None
    if detector is not None:
        return _by_lingua(detector, text, fits)
    cue = None
    if "sr" in fits and "mk" in fits and set(fits) <= {"sr", "mk", "bg"}:
        cue = _cue(text, "sr", _SR_WORDS, "mk", _MK_WORDS)
    if cue != "sr" and "bg" in fits and "mk" in fits:
        cue = _cue(text, "bg", _BG_WORDS, "mk", _MK_VS_BG_WORDS) or cue
    if cue is not None:
        return cue, CUE_CONFIDENCE if cue != lang else prob
    if lang in fits and not ("be" in fits and lang in ("uk", "ru")):
        # langdetect knows uk/ru/bg/mk but not be: its uk/ru is no evidence against Belarusian.
        return lang, prob
    return UNDETERMINED, 0.0


#: lingua reads at most this many characters (its cost grows with length; pass a sample anyway).
LINGUA_MAX_CHARS = 3000


def _by_lingua(detector: Any, text: str, fits: list[str]) -> tuple[str, float]:
    """The most likely of ``fits`` by lingua, with its confidence renormalised over ``fits``."""
    values = detector.compute_language_confidence_values(text[:LINGUA_MAX_CHARS])
    scores: dict[str, float] = {}
    for value in values:
        code = value.language.iso_code_639_1.name.lower()
        if code in fits:
            scores[code] = float(value.value)
    total = sum(scores.values())
    if not scores or total <= 0.0:
        return UNDETERMINED, 0.0
    best = max(scores, key=lambda code: scores[code])
    return best, scores[best] / total


def _refine_serbian_latin(text: str, lang: str, prob: float) -> tuple[str, float]:
    """Croatian/Bosnian from langdetect, or Serbian when Serbian-only words clearly outnumber."""
    words = _words(text)
    if lang == "sl":
        # Slovene shares vreme, mesto, lepo, cene...: only words Slovene lacks, and no Slovene ones.
        if any(w in _SL_WORDS for w in words) or not any(w in _SR_NOT_SL_WORDS for w in words):
            return lang, prob
    words = words[:LATIN_CUE_WORDS]
    sr = sum(w in _SR_LATN_WORDS or _SR_LATN_STEM_RE.match(w) is not None for w in words)
    hr = sum(w in _HR_LATN_WORDS or _HR_LATN_STEM_RE.match(w) is not None for w in words)
    sr += len(_SR_DA_RE.findall(" ".join(words)))
    if sr >= 1 and sr > 2 * hr:
        return "sr", CUE_CONFIDENCE if lang != "sr" else prob
    return lang, prob


def warm_up() -> None:
    """Build the lingua detector now (cheap, ~0.05 s; the first detection otherwise does it)."""
    _lingua()
