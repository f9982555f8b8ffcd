"""Decoding quality on real text in every code page our languages used (benchmarks/encoding_set.py).

The set is generated (deterministic): paragraphs in 20 languages encoded in each language's legacy
code pages and in UTF-8/UTF-16 with and without BOM, short / long / few-non-ASCII variants, two
halves that share no paragraph (B is held out: nothing was tuned on it).
"""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from benchmarks.encoding_set import CODEPAGES, MUST, UNICODE_FORMS, Sample, generate
from reader.core.errors import ImportSkipped
from reader.core.importers.encoding import decode_bytes

SAMPLES = generate()
_CACHE: dict[bytes, str] = {}


def _decoded(sample: Sample) -> str:
    if sample.data not in _CACHE:
        _CACHE[sample.data] = decode_bytes(sample.data).text
    return _CACHE[sample.data]


def _comma_below(text: str) -> str:
    return text.translate(str.maketrans("şţŞŢ", "șțȘȚ"))


# --- UTF-16 without BOM and valid UTF-8 are never skipped -------------------------------------------
@pytest.mark.parametrize("form", ["utf-16-le", "utf-16-be", "utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom"])
def test_unicode_files_are_never_skipped_and_decode_right(form: str) -> None:
    samples = [s for s in SAMPLES if s.form == form]
    assert len(samples) >= 80
    wrong = [s.name for s in samples if _decoded(s) != s.text]
    assert wrong == []


EDGE_TEXTS = [
    "Președintele a spus „nu” – și a plecat… Țara, însă, așteaptă.",  # ș ț ă „ ” – …: 4 high bytes
    "Η κυβέρνηση ανακοίνωσε νέα μέτρα «για όλους» — σήμερα.",
    "Лукашэнка сказаў: «Мы не ўдзельнічаем» 🙂 і пайшоў.",  # an emoji: a surrogate pair
    "ok",
    "Ёж",  # no ASCII at all: no NUL byte in UTF-16
]


# Two Cyrillic letters in UTF-16 without a BOM (4 bytes, no NUL) carry no sign of being UTF-16:
# that pair is not asked for.
@pytest.mark.parametrize(
    ("text", "codec"),
    [(t, c) for t in EDGE_TEXTS for c in ("utf-16-le", "utf-16-be", "utf-8") if not (t == "Ёж" and c != "utf-8")],
)
def test_edge_unicode_texts(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)).text == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("start", ["ID3 tags explained: ", "%PDF-1.7 is a format. ", "GIF89a and ", "{\\rtf1 "])
def test_utf8_text_starting_like_a_binary_format_is_text(start: str) -> None:
    text = start + "Lukașenko a spus că „nu” este momentul."
    assert decode_bytes(text.encode("utf-8")).text == text


def test_utf8_padded_with_nuls_is_utf8() -> None:
    text = "Президент заявил, что переговоры продолжатся."
    assert decode_bytes(text.encode("utf-8") + b"\x00" * 16).text == text


def test_a_stray_nul_in_utf8_is_dropped_not_read_as_utf16() -> None:
    text = "x" * 300 + "Președintele a spus"
    data = text.encode("utf-8") + b"\x00" + b" more"
    assert decode_bytes(data).text == text + " more"


def test_utf8_cut_at_the_start_loses_only_the_broken_character() -> None:
    text = "Ăsta e începutul textului, și restul merge bine."
    data = text.encode("utf-8")[1:]  # half of "Ă"
    assert decode_bytes(data).text == text[1:]


# --- our languages --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", MUST)
def test_every_sample_of_our_languages_decodes_right(lang: str) -> None:
    """Every ro/lt/ru/uk/be text in every code page of its language, short and long, decodes right.

    Known limits, asserted as such: (1) Romanian in ISO-8859-16 without its own punctuation
    („ ” « ») is byte-for-byte Romanian in cp1250 with cedilla ş ţ: it is read as cp1250, the same
    letters with cedilla; (2) in a mostly English text quoting a few words (``few``), one or two
    letters can fit two languages equally: then the result is flagged as a close call."""
    samples = [s for s in SAMPLES if s.lang == lang and s.legacy]
    assert {s.form for s in samples} == set(CODEPAGES[lang])
    wrong = []
    for s in samples:
        got = decode_bytes(s.data)
        if got.text == s.text:
            continue
        if lang == "ro" and s.form == "iso-8859-16" and _comma_below(got.text) == s.text:
            continue
        if s.variant == "few" and got.ambiguous:
            continue
        wrong.append(s.name)
    assert wrong == []


def test_overall_rate_on_the_generated_set() -> None:
    for half in ("A", "B"):
        part = [s for s in SAMPLES if s.half == half]
        right = sum(1 for s in part if _decoded(s) == s.text)
        assert right / len(part) >= 0.95, (half, right, len(part))
        legacy = [s for s in part if s.legacy]
        legacy_right = sum(1 for s in legacy if _decoded(s) == s.text)
        assert legacy_right / len(legacy) >= 0.95, (half, legacy_right, len(legacy))


# --- the close-call flag --------------------------------------------------------------------------
def test_close_call_is_flagged() -> None:
    # One Lithuanian letter in an English text: "ž" in ISO-8859-13 is "ţ" in cp1250 (Romanian).
    text = 'The phrase quoted most often was "Balandžio 6 d. (UPI) - Rusijos prezidentas", they said.'
    decoded = decode_bytes(text.encode("iso-8859-13"))
    assert decoded.ambiguous
    candidates = {decoded.encoding, *decoded.alternatives}
    assert candidates & {"iso-8859-13", "cp1257"}
    assert len(decoded.alternatives) >= 1


def test_clear_texts_are_not_flagged() -> None:
    longs = [s for s in SAMPLES if s.legacy and s.variant == "long"]
    flagged = [s.name for s in longs if decode_bytes(s.data).ambiguous]
    assert len(flagged) <= len(longs) // 20, flagged
    assert not decode_bytes("Prezydent powiedział, że rząd zwiększy wydatki.".encode("cp1250")).ambiguous


# --- the override ---------------------------------------------------------------------------------
def test_override_encoding_is_used_as_given() -> None:
    text = "Lukašenka sakė, kad derybos tęsis."
    data = text.encode("cp1257")
    assert decode_bytes(data).text == text
    forced = decode_bytes(data, encoding="cp1250")
    assert forced.encoding == "cp1250"
    assert forced.text == data.decode("cp1250")
    assert not forced.ambiguous


def test_override_unicode_and_bom() -> None:
    text = "Лукашэнка сказаў."
    assert decode_bytes(text.encode("utf-16-be"), encoding="utf-16-be").text == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), encoding="utf-16").text == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"), encoding="utf-8").text == text
    ukrainian = "Ґрунтовне дослідження: їхня країна."
    assert decode_bytes(ukrainian.encode("koi8-u"), encoding="KOI8-U").text == ukrainian
    # The person's choice is used even where detection would choose otherwise.
    assert decode_bytes(ukrainian.encode("koi8-u"), encoding="koi8-r").text == ukrainian.encode("koi8-u").decode("koi8-r")


def test_override_errors() -> None:
    with pytest.raises(ValueError, match="unknown encoding"):
        decode_bytes(b"abc", encoding="no-such-code-page")
    with pytest.raises(ImportSkipped, match="undecodable"):
        decode_bytes("ș".encode() + b"\xff", encoding="utf-8")
    with pytest.raises(ImportSkipped, match="binary"):
        decode_bytes(b"%PDF-1.4\n\x00\x01\x02", encoding="cp1252")


def test_declared_charset_still_wins_when_it_reads_as_well() -> None:
    text = "Президент заявил, что переговоры продолжатся до конца недели."
    assert decode_bytes(text.encode("cp1251"), declared="windows-1251").text == text
    # A wrong declaration does not corrupt the text.
    assert decode_bytes(text.encode("cp1251"), declared="iso-8859-1").text == text


def test_unicode_forms_cover_the_set() -> None:
    assert {s.form for s in SAMPLES} >= set(UNICODE_FORMS)
