"""Bytes to text: byte-order marks, UTF-8, UTF-16, and the legacy code pages of our languages.

Order of decisions (:func:`decode_bytes`):

0. An encoding the person asks for (``encoding=``, e.g. ``reader-cli import --encoding cp1250``)
   is used as it is: no guessing (known binary formats are still refused).
1. A byte-order mark decides: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.
2. Known binary formats (PDF, ZIP/EPUB/DOCX, images, executables, SQLite...) are refused by their
   magic numbers, unless the whole file is valid UTF-8 text.
3. NUL bytes: UTF-16 (or UTF-32) without a BOM when the NULs sit on one side of the code units
   and the reading is text; a UTF-8 file padded with NULs at its end is UTF-8; else binary. A high
   share of control characters is binary too.
4. Valid UTF-8 is UTF-8 (plain ASCII included). A UTF-8 file cut off in the middle of its last
   character loses only that character; a UTF-8 file with a few stray Windows bytes (at least 20
   good multi-byte characters for each) stays UTF-8, the stray bytes read as cp1252.
5. Legacy code pages. Every code page our languages were written in (:data:`LEGACY_CODEPAGES`)
   decodes the bytes, and each reading is scored by the language whose alphabet it fits best:
   letters of that language count for it, punctuation real text uses is neutral, any other
   character (``¶ ¤ ˇ``, box drawing, C1 controls, a Czech ``ř`` in a "Polish" reading...) counts
   against it, and so do case anomalies (``пРЕЗИДЕНТ``: cp1251 read as KOI8-R) and Latin and
   Cyrillic letters inside one word, lone letters that are no word (``Ť l'indifférence ť``),
   vowel-less words (Greek read as Cyrillic). Ties go to a reading in one of the library's
   languages (ro, lt, ru, uk, be, en; then the other supported ones), then to the reading whose
   letter frequencies fit a language best (charset-normalizer's coherence), then to its guess.
   charset-normalizer decides alone when no reading fits our languages cleanly and its guess is
   another code page whose reading is letters (Arabic, East Asian...). A charset the file
   declares (``<meta charset>``) wins when its reading scores as well as the best one.

   Readings that differ only in Romanian ş/ș and ţ/ț (cp1250 and ISO-8859-2 against ISO-8859-16)
   count as the same text; cp1250 is then chosen, as Windows wrote them, unless ISO-8859-16's
   own punctuation („ ” « ») tells it apart.
6. Nothing reads cleanly: the file is skipped as undecodable.

When the best and the second-best readings give different text and score close to each other, the
result says so (:attr:`DecodedText.ambiguous`, :attr:`DecodedText.alternatives`): the importer
should warn, and the person can import again with ``encoding=``.

The result is normalised to Unicode NFC, without a BOM.

Measured with ``python -m benchmarks.encoding_set --compare`` (real text in 20 languages, every code
page each used, short/long/few-non-ASCII variants, a held-out half): see that module.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from reader.core.errors import ImportSkipped

#: Only this much decoded text (from the start, and as much from the middle) is scored when
#: choosing a legacy code page.
SCORE_SAMPLE_CHARS = 10_000

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (EPUB, DOCX, ODT...)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O program"),
    (b"\xcf\xfa\xed\xfe", "a program (Mach-O)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}

# Control characters other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))
_MAX_CONTROL_RATIO = 0.02

# --- languages and their letters ------------------------------------------------------------------
_CYR = "абвгдежзийклмнопрстуфхцчшщъыьэюя"


def _without(letters: str, drop: str) -> str:
    return "".join(ch for ch in letters if ch not in drop)


#: The letters beyond ASCII each language is written with (lower case; upper case is derived).
#: Our languages first, then other European languages so that their files are not forced into a
#: reading that fits one of ours.
ALPHABETS: dict[str, str] = {
    "ro": "ăâîșțşţ",
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
    "et": "õäöüšž",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "hu": "áéíóöőúüű",
    "sl": "čšžćđ",
    "hr": "čćđšž",
    "de": "äöüßé",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "en": "éï",
    "tr": "çğıöşüâîû",
    "es": "áéíóúüñ",
    "pt": "áâãàçéêíóôõú",
    "it": "àèéìíîòóùú",
    "ca": "àçèéíïòóúü",
    "nl": "éëïöüèáó",
    "sv": "åäöé",
    "da": "æøåé",
    "fi": "äöåšž",
    "is": "áðéíóúýþæö",
    "sq": "çë",
    "ru": _CYR + "ё",
    "uk": _without(_CYR, "ъыэ") + "іїєґ",
    "be": _without(_CYR, "ищъ") + "ёіў",
    "bg": _CYR + "ѝ",
    "sr": _without(_CYR, "щъыьэюяёй") + "ђјљњћџ",
    "mk": _without(_CYR, "щъыьэюяёйђћ") + "ѓќѕјљњџ",
    "el": "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
}
_ALPHABET_SETS: dict[str, frozenset[str]] = {
    lang: frozenset(letters + letters.upper() + ("İ" if lang == "tr" else "")) for lang, letters in ALPHABETS.items()
}
#: The languages this library is mostly about: they win ties between readings that score the same.
PRIMARY_LANGUAGES = frozenset({"ro", "lt", "ru", "uk", "be", "en"})
#: Then the other languages the reader supports; the rest of :data:`ALPHABETS` comes last.
SUPPORTED_LANGUAGES = frozenset(
    {"lv", "et", "pl", "cs", "sk", "hu", "sl", "hr", "de", "fr", "tr", "el", "bg", "sr"}
)
#: Latin letters beyond ASCII that make a word on their own (fr/pt à, it è, pt é, hu ő, lt į...).
_ONE_LETTER_WORDS = frozenset("àèéìòóùőįâ" + "ÀÈÉÌÒÓÙŐĮÂ")
#: Punctuation and signs real text contains: neither for nor against a reading.
_PLAUSIBLE = frozenset("„“”‚‘’«»‹›–—…•·°€£§©®™№±×÷½\u00a0\u00ad\u2009\u202f")

#: The legacy code pages our languages were written in, Python codec and label; earlier ones win
#: ties between readings that score the same (Windows code pages first: they were the most used).
_CODEPAGES: tuple[tuple[str, str], ...] = (
    ("cp1252", "cp1252"),
    ("cp1250", "cp1250"),
    ("cp1251", "cp1251"),
    ("cp1257", "cp1257"),
    ("cp1253", "cp1253"),
    ("cp1254", "cp1254"),
    ("iso8859_2", "iso-8859-2"),
    ("iso8859_16", "iso-8859-16"),
    ("iso8859_13", "iso-8859-13"),
    ("iso8859_4", "iso-8859-4"),
    ("koi8_r", "koi8-r"),
    ("koi8_u", "koi8-u"),
    ("iso8859_5", "iso-8859-5"),
    ("cp866", "cp866"),
    ("mac_cyrillic", "mac-cyrillic"),
    ("iso8859_7", "iso-8859-7"),
    ("iso8859_9", "iso-8859-9"),
    ("iso8859_15", "iso-8859-15"),
    ("latin_1", "iso-8859-1"),
)
#: Code pages tried, in order of preference when readings tie.
LEGACY_CODEPAGES: tuple[str, ...] = tuple(label for _, label in _CODEPAGES)
_LABELS = {codecs.lookup(codec).name: label for codec, label in _CODEPAGES}


def _label(codec: str) -> str:
    """The label we report for a Python codec name or alias (``iso8859_2`` -> ``iso-8859-2``)."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    return _LABELS.get(name, name.replace("_", "-"))

_BAD_WEIGHT = 4.0
_ANOMALY_WEIGHT = 3.0
#: Two readings with different text are a close call when the better one leads by less than
#: :data:`_CLOSE_PER_CHAR` points per character where they differ (a character that is a letter
#: in one reading and a stray sign in the other is worth 5), or by less than :data:`_CLOSE_MIN`.
_CLOSE_PER_CHAR = 0.5
_CLOSE_RATIO = 0.05
_CLOSE_MIN = 3.0
#: A reading is accepted only if at most this share of its non-ASCII characters counts against it.
_MAX_BAD_RATIO = 0.15

_WORD = re.compile(r"[^\W\d_]+")
_CEDILLA_TO_COMMA = str.maketrans("şţŞŢ", "șțȘȚ")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from a file's bytes, and the encoding that was used.

    ``ambiguous`` is set when another encoding gave a different text that read almost as well (a
    close call: show a warning, offer a re-import with ``encoding=``); ``alternatives`` names those
    encodings, best first.
    """

    text: str
    encoding: str
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Reading:
    text: str  # a sample of the decoded text (NFC): see _sample
    label: str
    score: float
    bad_ratio: float
    language: str | None


def _score(text: str, label: str) -> _Reading:
    """How well a decoded text (a sample) reads as one of the languages in :data:`ALPHABETS`."""
    sample = text
    counts = Counter(sample)
    for ch in [ch for ch in counts if ch <= "\x7f"]:
        del counts[ch]
    non_ascii = sum(counts.values())
    if non_ascii == 0:
        return _Reading(text, label, 0.0, 0.0, None)
    punct = sum(n for ch, n in counts.items() if ch in _PLAUSIBLE)
    anomalies = _anomalies(sample, counts)
    best_score, best_bad, best_lang = float("-inf"), 1.0, None
    for lang, alphabet in _ALPHABET_SETS.items():
        good = sum(n for ch, n in counts.items() if ch in alphabet)
        bad = non_ascii - good - punct
        score = good - _BAD_WEIGHT * bad - _ANOMALY_WEIGHT * anomalies
        if score > best_score:
            best_score, best_bad, best_lang = score, (bad + anomalies) / non_ascii, lang
    return _Reading(text, label, best_score, min(1.0, best_bad), best_lang)


def _anomalies(sample: str, counts: Counter[str]) -> int:
    """Things real text does not have: a capital after a small letter (``пРЕЗИДЕНТ``, ``ŕAäĺ``),
    Latin and Cyrillic/Greek letters inside one word, a lone Latin letter that is no word
    (``Ť l'indifférence ť``), a lone Cyrillic or Greek letter before a Latin word (``А Paris``),
    words of four letters without a vowel (Greek read as Cyrillic), and texts whose non-ASCII
    letters are mostly capitals. ``counts`` counts the sample's non-ASCII characters."""
    count = len(_CASE_ANOMALY.findall(sample)) + len(_MIXED_SCRIPT.findall(sample))
    count += len(_LONE_NON_LATIN.findall(sample))
    count += sum(1 for ch in _LONE_LATIN.findall(sample) if ch not in _ONE_LETTER_WORDS)
    count += sum(1 for word in _NO_VOWEL.findall(sample) if not word.isascii())
    uppers = sum(n for ch, n in counts.items() if ch.isupper())
    lowers = sum(n for ch, n in counts.items() if ch.islower())
    return count + max(0, uppers - lowers - 3)


#: Vowels (and syllabic r/l) of the scripts we read: real words of four letters or more have one.
_VOWELS = "aeiouyrlwáàâäãåæéèêëěíìîïóòôöõőøœúùûüůűýÿąęėįųūāēīłŕĺľαεηιουωάέήίόύώϊϋΐΰаеёиоуыэюяіїєўр"


def _letters_of_code_pages() -> tuple[str, str]:
    chars = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    for codec, _ in _CODEPAGES:
        chars.update(bytes(range(0x80, 0x100)).decode(codec, errors="ignore"))
    for letters in ALPHABETS.values():
        chars.update(letters + letters.upper())
    upper = "".join(sorted(ch for ch in chars if ch.isupper()))
    lower = "".join(sorted(ch for ch in chars if ch.islower()))
    return upper, lower


def _cls(chars: str) -> str:
    return "".join(re.escape(ch) for ch in chars)


_UPPER, _LOWER = _letters_of_code_pages()
_UPPER_NA = "".join(ch for ch in _UPPER if ch > "\x7f")
_LOWER_NA = "".join(ch for ch in _LOWER if ch > "\x7f")
_CASE_ANOMALY = re.compile(f"[{_cls(_LOWER)}][{_cls(_UPPER_NA)}]|[{_cls(_LOWER_NA)}][{_cls(_UPPER)}]")
_LAT, _GRK, _CYR_R = "A-Za-z\u00c0-\u024f", "\u0370-\u03ff", "\u0400-\u052f"
_MIXED_SCRIPT = re.compile(
    f"[{_LAT}][{_GRK}{_CYR_R}]|[{_GRK}{_CYR_R}][{_LAT}]|[{_GRK}][{_CYR_R}]|[{_CYR_R}][{_GRK}]"
)
_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"
_LONE_LATIN = re.compile(f"{_NOT_LETTER_BEFORE}[\u00c0-\u024f]{_NOT_LETTER_AFTER}")
_LONE_NON_LATIN = re.compile(
    f"{_NOT_LETTER_BEFORE}[{_GRK}{_CYR_R}]{_NOT_LETTER_AFTER}[\\W\\d_]+[A-Za-z]+{_NOT_LETTER_AFTER}"
)
_NO_VOWEL = re.compile(f"{_NOT_LETTER_BEFORE}[^\\W\\d_{_cls(_VOWELS + _VOWELS.upper())}]{{4,}}{_NOT_LETTER_AFTER}")


def _script(ch: str) -> str:
    if ch < "\u0250":
        return "latin"
    if "\u0370" <= ch < "\u0400":
        return "greek"
    if "\u0400" <= ch < "\u0530":
        return "cyrillic"
    return "other"


def _same_text(a: str, b: str) -> bool:
    """Equal, or equal but for Romanian cedilla and comma-below letters."""
    return a == b or a.translate(_CEDILLA_TO_COMMA) == b.translate(_CEDILLA_TO_COMMA)


def decode_bytes(data: bytes, *, declared: str | None = None, encoding: str | None = None) -> DecodedText:
    """Decode a text file's bytes (NFC). Raises :class:`ImportSkipped` for binary or unreadable data.

    ``declared`` is a charset the file names for itself (HTML ``<meta charset>``), if any.
    ``encoding`` is an encoding the person chose (an override): it is used without guessing; an
    unknown name raises :class:`ValueError` (check it first with :func:`normalize_charset`), bytes
    it cannot decode raise :class:`ImportSkipped`.
    """
    if encoding is not None:
        return _decode_override(data, encoding)
    if not data.strip():
        raise ImportSkipped("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom) :], codec, with_bom=True)
    reason = sniff_binary(data)
    if reason is not None and not _is_clean_utf8(data):
        raise ImportSkipped(reason)
    if b"\x00" in data:
        guessed = _bomless_utf16(data)
        if guessed is not None:
            return guessed
        # A UTF-8 file padded with NULs (a cut-off download) or with a few stray NULs.
        stripped = data.replace(b"\x00", b"")
        if len(data) - len(stripped) > max(16, len(data) // 100) and b"\x00" in data.rstrip(b"\x00"):
            raise ImportSkipped("binary file (contains NUL bytes), not text")
        if not stripped.strip() or not _is_clean_utf8(stripped):
            raise ImportSkipped("binary file (contains NUL bytes), not text")
        data = stripped
    if _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise ImportSkipped("binary file (control characters), not text")
    utf8 = _utf8(data)
    if utf8 is not None:
        return utf8
    chosen = _best_legacy(data, declared)
    if chosen is not None:
        return chosen
    raise ImportSkipped(
        "undecodable text: not UTF-8 or UTF-16, and no known code page gives readable text"
    )


def _decode_override(data: bytes, encoding: str) -> DecodedText:
    codec = normalize_charset(encoding, whatwg=False)
    if codec is None:
        raise ValueError(f"unknown encoding: {encoding!r}")
    if not data.strip():
        raise ImportSkipped("empty file")
    reason = sniff_binary(data)
    if reason is not None:
        raise ImportSkipped(reason)
    boms = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
            "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    if codec in ("utf-16", "utf-32"):  # no byte order named: the BOM's, else little-endian
        codec = "utf-16-be" if data.startswith(codecs.BOM_UTF16_BE) else "utf-16-le" if codec == "utf-16" else (
            "utf-32-be" if data.startswith(codecs.BOM_UTF32_BE) else "utf-32-le")
    if codec == "utf-8-sig":
        codec = "utf-8"
    bom = boms.get(codec)
    if bom and data.startswith(bom):
        data = data[len(bom) :]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportSkipped(
            f"undecodable text: not valid {_label(codec)} (byte {exc.start}), the encoding asked for"
        ) from None
    if not _mostly_printable(text):
        raise ImportSkipped("binary file (control characters), not text")
    return DecodedText(_finish(text), _label(codec))


def _is_clean_utf8(data: bytes) -> bool:
    """Valid UTF-8 without NULs and with few control characters: text, whatever its first bytes."""
    if b"\x00" in data or _control_ratio(data) > _MAX_CONTROL_RATIO:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_binary(data: bytes) -> str | None:
    """A one-line reason when ``data`` starts like a known binary format, else None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        return f"binary file ({_RIFF_KINDS[data[8:12]]}), not text"
    if data[:3] == b"BZh" and data[3:4].isdigit():
        return "binary file (a bzip2 archive), not text"
    return None


def _control_ratio(data: bytes) -> float:
    """Share of control bytes (other than tab, newlines, form feed) in the first 64 KiB."""
    sample = data[:65536]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _finish(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text)


def _decode_strict(data: bytes, codec: str, *, with_bom: bool = False) -> DecodedText:
    """Decode with the codec a BOM names; a file cut off mid-character loses only that character."""
    text: str | None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = None
        if codec == "utf-8":
            utf8 = _utf8(data)
            text = utf8.text if utf8 is not None else None
        else:
            unit = 2 if codec.startswith("utf-16") else 4
            try:
                text = data[: len(data) - len(data) % unit].decode(codec)
            except UnicodeDecodeError:
                text = None
    if text is None:
        name = codec.upper().replace("-LE", " LE").replace("-BE", " BE")
        mark = " despite its byte-order mark" if with_bom else ""
        raise ImportSkipped(f"undecodable text: not valid {name}{mark}")
    if not _mostly_printable(text):
        raise ImportSkipped("binary file (control characters), not text")
    return DecodedText(_finish(text), codec)


def _mostly_printable(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return True
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\x0b\x0c")
    return bad / len(sample) <= _MAX_CONTROL_RATIO




def _bomless_utf16(data: bytes) -> DecodedText | None:
    """UTF-32 or UTF-16 without a byte-order mark: the NULs of its ASCII characters (spaces at
    least) fall on the high-byte side of each code unit, and the reading is printable text."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    if len(data) % 4 == 0:
        for codec in ("utf-32-le", "utf-32-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _mostly_printable(text) and "\x00" not in text:
                return DecodedText(_finish(text), codec)
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    units = len(sample) // 2
    if max(even, odd) < max(1, units // 20) or max(even, odd) < 3 * min(even, odd) + 1:
        return None  # UTF-16 of our scripts has NULs in 5 % of its code units at least (spaces)
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        # A cut-off surrogate pair at the end loses only its first half.
        try:
            text = data[: len(data) - len(data) % 2 - 2].decode(codec)
        except UnicodeDecodeError:
            return None
    if not _mostly_printable(text) or text.count("\x00") > len(text) // 100:
        return None
    # Binary data with NULs on one side reads as scattered rare characters; text in our scripts
    # has spaces or line breaks, or is mostly Latin, Greek and Cyrillic.
    head = text[:32768]
    western = sum(1 for ch in head if ch < "\u0530" or "\u2000" <= ch < "\u2070")
    spaces = sum(1 for ch in head if ch in " \n")
    if western < 0.6 * len(head) and spaces < 0.05 * len(head):
        return None
    return DecodedText(_finish(text.replace("\x00", "")), codec)


def _utf8(data: bytes) -> DecodedText | None:
    """``data`` as UTF-8: strictly; or with a last character cut off by truncation; or, for a UTF-8
    file with a few stray single-byte characters (a file edited in two editors), with those bytes
    read as cp1252 ("mostly UTF-8": at least 20 valid multi-byte characters per stray byte)."""
    try:
        return DecodedText(_finish(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return DecodedText(_finish(data[: exc.start].decode("utf-8")), "utf-8")
            except UnicodeDecodeError:
                pass
        if exc.start == 0 and data[:1] and 0x80 <= data[0] <= 0xBF:
            # Cut off at the start, in the middle of a character: drop the continuation bytes.
            skip = len(data) - len(data.lstrip(bytes(range(0x80, 0xC0))))
            if skip <= 3:
                try:
                    return DecodedText(_finish(data[skip:].decode("utf-8")), "utf-8")
                except UnicodeDecodeError:
                    pass
    stray = _count_invalid_utf8(data)
    if stray == 0:
        return None
    multibyte = len(_UTF8_LEAD.findall(data)) - stray
    if multibyte < 20 * stray:
        return None
    return DecodedText(_finish(data.decode("utf-8", errors=_STRAY_HANDLER)), "utf-8")


_UTF8_LEAD = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_STRAY_HANDLER = "reader-stray-cp1252"


def _count_invalid_utf8(data: bytes) -> int:
    """How many invalid sequences the bytes hold as UTF-8 (one pass, in C)."""
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error(_STRAY_HANDLER, _stray_as_cp1252)


_WHATWG_ALIASES = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "x-cp1250": "cp1250", "x-cp1251": "cp1251",
}


def normalize_charset(label: str, *, whatwg: bool = True) -> str | None:
    """A Python codec name for a charset label, or None when unknown. With ``whatwg`` (for labels
    web pages declare) ``iso-8859-1`` and ``ascii`` mean cp1252, as browsers read them."""
    name = label.strip().strip("\"'").lower()
    if whatwg:
        name = _WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# --- choosing a legacy code page ------------------------------------------------------------------
def _best_legacy(data: bytes, declared: str | None) -> DecodedText | None:
    readings: list[_Reading] = []
    seen: set[str] = set()

    codec_of: dict[str, str] = {}

    def add(codec: str) -> _Reading | None:
        label = _label(codec)
        if label in seen:
            return None
        seen.add(label)
        try:
            text = _finish(_sample(data.decode(codec)))
        except (UnicodeDecodeError, LookupError):
            return None
        if not _mostly_printable(text):
            return None
        reading = _score(text, label)
        readings.append(reading)
        codec_of[label] = codec
        return reading

    for codec, _ in _CODEPAGES:
        add(codec)
    normalizer = _charset_normalizer_guess(data)
    guess = add(normalizer) if normalizer else None
    if guess is None and normalizer:
        guess = next((r for r in readings if r.label == _label(normalizer)), None)
    if not readings:
        return None
    # Best first. Between readings that score the same, one in a language of the library's
    # (:data:`PRIMARY_LANGUAGES`, then :data:`SUPPORTED_LANGUAGES`) wins; between different texts
    # still tied, the letter statistics (below); else the order of _CODEPAGES.
    order = {r.label: i for i, r in enumerate(readings)}
    readings.sort(key=lambda r: (-r.score, _tier(r.language), order[r.label]))
    best = readings[0]
    tied = [
        r for r in readings
        if r.score >= best.score and _tier(r.language) == _tier(best.language) and not _same_text(r.text, best.text)
    ]
    if tied:
        # The same letters fit two code pages (Slovene š in ISO-8859-2 is Lithuanian ą in cp1250):
        # the reading whose letter frequencies look most like a language wins
        # (charset-normalizer's coherence), then charset-normalizer's own guess.
        tied.insert(0, best)
        ranked = sorted(tied, key=lambda r: (-_coherence(r.text), r is not guess))
        best = ranked[0]
    foreign = False
    if guess is not None and guess is not best and not _in_our_code_pages(guess.label):
        # Not one of our code pages (Arabic, Hebrew, East Asian...): when no reading fits our
        # languages cleanly, charset-normalizer decides alone, if its reading is letters.
        if best.bad_ratio > 0.05 and _mostly_letters(guess.text):
            best, foreign = guess, True
    if declared:
        named = normalize_charset(declared)
        if named is not None and not named.startswith(("utf-16", "utf-32")):
            own = add(named) or next((r for r in readings if r.label == _label(named)), None)
            if own is not None and (own.score >= best.score - _margin(best, own) or _same_text(own.text, best.text)):
                best = own
    if foreign:
        if not _multibyte(best.label) and not _looks_like_text(best.text):
            return None
    elif best.bad_ratio > _MAX_BAD_RATIO or best.score < 0 or not _looks_like_text(best.text):
        return None
    widest = max(_CLOSE_MIN, _CLOSE_RATIO * abs(best.score))
    rivals = [] if foreign else [
        r.label for r in readings
        if r is not best and r.score >= best.score - widest
        and r.score >= best.score - _margin(best, r) and not _same_text(r.text, best.text)
    ]
    text = _finish(data.decode(codec_of[best.label]))
    return DecodedText(text, best.label, ambiguous=bool(rivals), alternatives=tuple(dict.fromkeys(rivals)))


def _sample(text: str) -> str:
    """The start of a long text and as much from its middle: what the readings are scored on."""
    n = SCORE_SAMPLE_CHARS
    if len(text) <= 2 * n:
        return text
    middle = len(text) // 2
    return text[:n] + "\n" + text[middle : middle + n]


def _coherence(text: str) -> float:
    from charset_normalizer.cd import coherence_ratio

    ratios = coherence_ratio(text)
    return round(ratios[0][1], 2) if ratios else 0.0


def _tier(language: str | None) -> int:
    return 0 if language in PRIMARY_LANGUAGES else 1 if language in SUPPORTED_LANGUAGES else 2


def _margin(best: _Reading, other: _Reading) -> float:
    a, b = best.text, other.text
    if len(a) == len(b):
        differing = sum(1 for x, y in zip(a, b, strict=True) if x != y)
    else:
        differing = sum(1 for ch in a if ch > "\x7f")
    return max(_CLOSE_MIN, min(_CLOSE_PER_CHAR * differing, _CLOSE_RATIO * abs(best.score)))


def _in_our_code_pages(label: str) -> bool:
    return label in _LABELS.values()


def _multibyte(label: str) -> bool:
    try:
        return len(bytes(range(0x80, 0x100)).decode(label, errors="replace")) != 128
    except LookupError:
        return False


def _mostly_letters(text: str) -> bool:
    """At least 85 % of the non-ASCII characters are letters, marks or plausible punctuation."""
    non_ascii = [ch for ch in text if ch > "\x7f"]
    if not non_ascii:
        return True
    good = sum(1 for ch in non_ascii if ch in _PLAUSIBLE or unicodedata.category(ch)[0] in "LM")
    return good >= 0.85 * len(non_ascii)


def _looks_like_text(text: str) -> bool:
    """Words separated by spaces, as in every language we read (random bytes have none)."""
    sample = text[:65536]
    spaces = sum(1 for ch in sample if ch in " \n\t\u00a0")
    return spaces >= len(sample) / 40


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's best encoding for the bytes when it reads them cleanly, else None."""
    from charset_normalizer import from_bytes

    match = from_bytes(data[:2_000_000]).best()
    if match is None or match.chaos > 0.2:
        return None
    return match.encoding
