"""Bytes to text: byte-order marks, UTF-8, and the legacy code pages of our languages.

Order of decisions (:func:`decode_bytes`):

1. Known binary formats (PDF, ZIP/EPUB/DOCX, images, executables, SQLite...) are refused by their
   magic numbers; other files with NUL bytes are binary unless they are BOM-less UTF-16; a high
   share of control characters is binary too.
2. A byte-order mark decides: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.
3. Valid UTF-8 is UTF-8 (plain ASCII included). A UTF-8 file cut off in the middle of its last
   character loses only that character; a UTF-8 file with a few stray Windows bytes (at least 20
   good multi-byte characters for each) stays UTF-8, the stray bytes read as cp1252.
4. A charset the file declares (``<meta charset>``) is used when it decodes the bytes and the result
   reads as text.
5. Otherwise each legacy code page of our languages decodes the bytes, and the reading with the
   most letters of its languages and the fewest unlikely characters wins:

   ======================  ==================================
   Romanian                cp1250, iso-8859-16, iso-8859-2
   Lithuanian              cp1257, iso-8859-13
   Russian / Ukrainian     cp1251, koi8-r, koi8-u
   Western (English...)    cp1252
   ======================  ==================================

   "Unlikely" means symbols such as ``µ ¶ ¤ ˇ``, box-drawing characters, C1 control codes, a capital
   letter straight after a small one (``пРЕЗИДЕНТ``: cp1251 read as koi8-r), Latin and Cyrillic
   letters inside one word, or a Latin reading made mostly of accented letters. Ties go to the
   first code page in the table. Where two code pages give byte-for-byte the same letters (a
   Romanian text with only ``ă â î ş ţ`` and ASCII punctuation is identical in cp1250, iso-8859-2
   and iso-8859-16), cp1250 is chosen: ş/ţ with cedilla, as Windows wrote them. The comma-below
   letters of iso-8859-16 are chosen when its own punctuation („ ” « ») tells it apart.
6. Anything else goes to charset-normalizer, accepted only when it reads cleanly; otherwise the
   file is skipped as undecodable.

The result is normalised to Unicode NFC, without a BOM.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from reader.core.errors import ImportSkipped

#: Only this much decoded text is scored when choosing a legacy code page.
SCORE_SAMPLE_CHARS = 200_000

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

# --- scoring the legacy readings ------------------------------------------------------------------
_RO = "ăâîșțşţ"
_LT = "ąčęėįšųūž"
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_UK = "іїєґ"
_BE = "ў"
_WESTERN = "àâäáãåæçèéêëìíîïñòóôöõøœùúûüÿ"
#: Punctuation and signs that real text contains; other non-letters above ASCII are "unlikely".
_PLAUSIBLE = "„“”‚‘’«»‹›–—…•·°€£§©®™№±×÷²³½¼¾\u00a0\u00ad"
#: Characters Unicode calls letters that real text in our languages hardly ever contains.
_UNLIKELY_LETTERS = "µªºƒ"


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One legacy code page and the letters its languages are written with."""

    codec: str
    label: str
    letters: str
    latin: bool


_CANDIDATES: tuple[_Candidate, ...] = (
    _Candidate("cp1250", "cp1250", _RO, True),
    _Candidate("iso8859_16", "iso-8859-16", _RO, True),
    _Candidate("iso8859_2", "iso-8859-2", _RO, True),
    _Candidate("cp1257", "cp1257", _LT, True),
    _Candidate("iso8859_13", "iso-8859-13", _LT, True),
    _Candidate("cp1251", "cp1251", _RU + _UK + _BE, False),
    _Candidate("koi8_r", "koi8-r", _RU, False),
    _Candidate("koi8_u", "koi8-u", _RU + _UK, False),
    _Candidate("cp1252", "cp1252", _WESTERN, True),
)
#: Code pages tried in order; the first is preferred when readings tie.
LEGACY_CODEPAGES: tuple[str, ...] = tuple(c.label for c in _CANDIDATES)


def _class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_PLAUSIBLE_RE = re.compile(_class(_PLAUSIBLE))
_UNLIKELY_RE = re.compile(_class(_UNLIKELY_LETTERS))
_MIXED_SCRIPT = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
_LETTERS_RE = {c.codec: re.compile(_class(c.letters + c.letters.upper())) for c in _CANDIDATES}


def _case_classes(codec: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(lower-then-upper anomaly, non-ASCII upper, non-ASCII lower) patterns for a code page."""
    table = bytes(range(0x80, 0x100)).decode(codec, errors="ignore")
    upper = "".join(ch for ch in table if ch.isupper())
    lower = "".join(ch for ch in table if ch.islower())
    anomaly = re.compile(
        f"[a-z{re.escape(lower)}][{re.escape(upper)}]|[{re.escape(lower)}][A-Z{re.escape(upper)}]"
    )
    return anomaly, re.compile(_class(upper)), re.compile(_class(lower))


_CASE_RE = {c.codec: _case_classes(c.codec) for c in _CANDIDATES}


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from a file's bytes, and the encoding that was used."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class _Reading:
    text: str
    codec: str
    label: str
    score: float
    quality: float  # score relative to the best possible for this many non-ASCII characters
    bad_ratio: float


def decode_bytes(data: bytes, *, declared: str | None = None) -> DecodedText:
    """Decode a text file's bytes (NFC). Raises :class:`ImportSkipped` for binary or unreadable data.

    ``declared`` is a charset the file names for itself (HTML ``<meta charset>``), if any.
    """
    if not data.strip():
        raise ImportSkipped("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom) :], codec, with_bom=True)
    reason = sniff_binary(data)
    if reason is not None:
        raise ImportSkipped(reason)
    if b"\x00" in data:
        guessed = _bomless_utf16(data)
        if guessed is None:
            raise ImportSkipped("binary file (contains NUL bytes), not text")
        return guessed
    if _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise ImportSkipped("binary file (control characters), not text")
    utf8 = _utf8(data)
    if utf8 is not None:
        return utf8
    if declared:
        chosen = _declared(data, declared)
        if chosen is not None:
            return chosen
    best = _best_legacy(data)
    if best is not None:
        return DecodedText(_finish(best.text), best.label)
    fallback = _charset_normalizer(data)
    if fallback is not None:
        return fallback
    raise ImportSkipped(
        "undecodable text: not UTF-8 or UTF-16, and no known code page gives readable text"
    )


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
    """UTF-16 without a byte-order mark: NUL in every other byte of mostly-Latin or Cyrillic text."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    codec: str | None = None
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        # The high bytes of one-script text take very few values (0x00, plus 0x04 for Cyrillic...).
        counts = sorted((high.count(bytes([b])) for b in set(high)), reverse=True)
        if high.count(0) > 0 and sum(counts[:3]) >= 0.95 * len(high):
            codec = name
            break
    if codec is None:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    if not _mostly_printable(text) or "\x00" in text:
        return None
    return DecodedText(_finish(text), codec)


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


def normalize_charset(label: str) -> str | None:
    """A Python codec name for a declared charset label, or None when unknown."""
    name = label.strip().strip("\"'").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared(data: bytes, declared: str) -> DecodedText | None:
    codec = normalize_charset(declared)
    if codec is None or codec.startswith("utf-16") or codec.startswith("utf-32"):
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    reading = _score(text, codec, codec, None)
    if reading.bad_ratio > 0.2:
        return None  # the declaration is wrong: let detection decide
    return DecodedText(_finish(text), codec)


def _score(text: str, codec: str, label: str, cand: _Candidate | None) -> _Reading:
    sample = text[:SCORE_SAMPLE_CHARS]
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii == 0:
        return _Reading(text, codec, label, 0.0, 1.0, 0.0)
    unlikely = len(_UNLIKELY_RE.findall(sample))
    letters = len(_NON_ASCII_LETTER.findall(sample)) - unlikely
    punct = len(_PLAUSIBLE_RE.findall(sample))
    bad = max(0, non_ascii - letters - punct)
    score = 1.0 * letters + 2.0 * punct - 6.0 * bad
    if cand is not None:
        own = len(_LETTERS_RE[cand.codec].findall(sample))
        anomaly_re, upper_re, lower_re = _CASE_RE[cand.codec]
        anomalies = len(anomaly_re.findall(sample))
        uppers, lowers = len(upper_re.findall(sample)), len(lower_re.findall(sample))
        mixed = len(_MIXED_SCRIPT.findall(sample))
        score += 2.0 * own - 0.5 * (letters - own) - 4.0 * anomalies - 4.0 * mixed - max(0, uppers - lowers)
        if cand.latin:
            ascii_letters = len(_ASCII_LETTER.findall(sample))
            if letters > 0.5 * (letters + ascii_letters):
                score -= 2.0 * letters  # a Latin text is never mostly accented letters
        bad += anomalies + mixed
    quality = score / (3.0 * non_ascii)
    return _Reading(text, codec, label, score, quality, bad / non_ascii)


def _best_legacy(data: bytes) -> _Reading | None:
    best: _Reading | None = None
    for cand in _CANDIDATES:
        try:
            text = data.decode(cand.codec)
        except UnicodeDecodeError:
            continue
        reading = _score(text, cand.codec, cand.label, cand)
        if best is None or reading.score > best.score:
            best = reading
    if best is None or best.quality < 0.25 or best.bad_ratio > 0.15:
        return None
    return best


def _charset_normalizer(data: bytes) -> DecodedText | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:2_000_000]).best()
    if match is None or match.chaos > 0.1:
        return None
    try:
        text = data.decode(match.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    reading = _score(text, match.encoding, match.encoding, None)
    if reading.bad_ratio > 0.1 or not _mostly_printable(text):
        return None
    return DecodedText(_finish(text), match.encoding.replace("_", "-"))
