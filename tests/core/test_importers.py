"""Importers: the five seeds, encodings, binary/empty/oversized/undecodable files, HTML, Markdown."""

from __future__ import annotations

import os
import random
import unicodedata
from pathlib import Path

import pytest

from reader.core.errors import ImportSkipped
from reader.core.importers import MAX_FILE_BYTES, parse_file
from reader.core.importers.encoding import decode_bytes
from reader.core.importers.text import first_sentence, is_credit, is_teaser_marker, parse_text, shorten

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

RUSSIAN = """Президент России Владимир Путин в четверг заявил, что Москва и Минск продолжат укреплять военное сотрудничество на фоне «сложной международной обстановки».

По словам пресс-секретаря Кремля Дмитрия Пескова, переговоры длились долго и завершились далеко за полночь. Стороны обсудили поставки вооружений, совместные учения и экономическую интеграцию Союзного государства.

Александр Лукашенко напомнил, что Белоруссия зависит от российских энергоносителей, и попросил сохранить льготные цены на газ до конца следующего года.

Эксперты считают, что Минск не будет напрямую участвовать в боевых действиях, однако продолжит предоставлять свою территорию для размещения российских войск."""


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def seed_text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def encodable_lines(text: str, codec: str) -> str:
    """The lines of a seed that the code page can represent (real text, no substitutions)."""
    kept = []
    for line in text.split("\n"):
        try:
            line.encode(codec)
        except UnicodeEncodeError:
            continue
        kept.append(line)
    return "\n".join(kept)


# --- the five seeds --------------------------------------------------------------------------------
def test_seed_000_date_marker_and_title_from_first_sentence() -> None:
    art = parse_file(seed("000"))
    assert art.published == "2026-02-26"
    assert not art.title.lower().startswith("date")
    assert art.title.startswith("Rusia şi Belarus consideră de o importanţă vitală")
    assert len(art.title) <= 120 and art.title.endswith("…")
    assert art.paragraphs[0].startswith("Rusia şi Belarus consideră")  # the lead stays in the body
    assert "Putin, despre cooperarea cu Minsk" in art.paragraphs  # subheading kept
    assert art.paragraphs[-1].endswith("potrivit Agerpres.")


def test_seed_001_date_and_title() -> None:
    art = parse_file(seed("001"))
    assert art.published == "2025-12-18"
    assert art.title.startswith("Belarus se apropie de un acord major")
    assert "date" not in art.title
    assert art.paragraphs[0].startswith("Belarus se apropie")
    assert "SUA speră să îl îndepărteze de Putin" in art.paragraphs
    assert art.paragraphs[-1].startswith("Joi, în conferința sa de presă")


def test_seed_002_photo_caption_is_neither_title_nor_lead() -> None:
    art = parse_file(seed("002"))
    assert art.published is None
    assert "nuotr" not in art.title and "EPA" not in art.title
    assert not any("nuotr" in p for p in art.paragraphs)
    assert art.paragraphs[0].startswith("Balandžio 6 d. (UPI)")
    assert art.title.startswith("Rusijos prezidentas Vladimiras Putinas")
    assert len(art.paragraphs) == 10  # single-newline paragraphs kept apart


def test_seed_003_long_first_line_gives_a_sentence_title() -> None:
    art = parse_file(seed("003"))
    assert art.title.startswith("Belarus and Russia vitally need to develop alliance")
    assert len(art.title) <= 120
    assert art.paragraphs[0].startswith("Belarus and Russia vitally need")
    assert len(art.paragraphs) == 8


def test_seed_004_headline_caption_teasers() -> None:
    art = parse_file(seed("004"))
    assert art.title == (
        "Putin a eșuat din nou să îl convingă pe Lukașenko să intre în război cu Ucraina. "
        "Anunțul făcut de liderul rus la Minsk"
    )
    body = art.body
    assert art.paragraphs[0].startswith("Vladimir Putin a eșuat din nou")
    assert "IMAGO IMAGES" not in body and "Putin - Lukasenko" not in art.paragraphs
    assert art.paragraphs[-1].endswith("citat de AFP.")
    assert "Acestea sunt" in body
    for teaser in ("Citește și", "Oameni aeroport", "Prioritate la vize", "Articol recomandat", "Chivu",
                   "Fabergé", "Recomandări", "Zelenski", "Novorusia", "Primăria Capitalei"):
        assert teaser not in body, teaser
    assert "Putin susţine că Rusia \"nu are interesul\" să absoarbă Belarus" in art.paragraphs


def test_seeds_are_nfc_and_never_empty() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        art = parse_file(path)
        assert art.title and art.paragraphs
        assert unicodedata.is_normalized("NFC", art.body)
        assert art.file_name == path.name


# --- text rules on their own ----------------------------------------------------------------------
def test_date_marker_on_its_own_line_then_headline() -> None:
    art = parse_text("date 2024-01-31\nA short headline here\n\nThe first paragraph of the article. It goes on.")
    assert art.published == "2024-01-31"
    assert art.title == "A short headline here"
    assert art.paragraphs == ("The first paragraph of the article. It goes on.",)


def test_invalid_date_marker_is_text() -> None:
    art = parse_text("date 2024-02-31 is not a real day, said nobody in particular at all.\n\nMore text here.")
    assert art.published is None


def test_generic_clutter_rules_in_other_languages() -> None:
    text = (
        "Vilniaus savivaldybė pristatė naują planą\n\n"
        "Pirmoji straipsnio pastraipa apie miesto planus ir naujus sprendimus.\n\n"
        "Antroji pastraipa, kurioje kalbama apie finansavimą ir terminus.\n\n"
        "Taip pat skaitykite\nKitas straipsnis apie orus\nKitas straipsnis apie orus\n\n"
        "Trumpas kito straipsnio aprašymas, kuris nėra šio straipsnio dalis.\n"
    )
    art = parse_text(text)
    assert art.title == "Vilniaus savivaldybė pristatė naują planą"
    assert art.paragraphs[-1].startswith("Antroji pastraipa")
    assert is_teaser_marker("Read more:") and is_teaser_marker("Читайте также")
    assert is_teaser_marker("Articol recomandat de sport.ro") and is_teaser_marker("Citeste si...")
    assert not is_teaser_marker("Related to this, the minister said the plan would change.")


def test_credit_detection_is_conservative() -> None:
    assert is_credit("IMAGO IMAGES")
    assert is_credit("Foto: Inquam Photos / Octav Ganea")
    assert is_credit("Mikhael Klimentyev/Sputnik/Kremlin Pool/EPA-EFE nuotr")
    assert is_credit("Vladimir Putin la Minsk. John Smith/AFP")
    assert not is_credit("Belarus a menținut legături strânse cu Rusia, potrivit Reuters.")
    assert not is_credit("The minister said he would publish the photo.")


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Wrapped article title\n\n"
        "This paragraph was saved from an e-mail client that wraps lines at\n"
        "about seventy characters, so every line ends in the middle of a\n"
        "sentence and the reader should see one paragraph.\n"
    )
    art = parse_text(text)
    assert len(art.paragraphs) == 1
    assert "wraps lines at about seventy" in art.paragraphs[0]


def test_first_sentence_and_shorten() -> None:
    assert first_sentence("Putino susitikimo su A. Lukašenka laikas. Kitas sakinys.") == (
        "Putino susitikimo su A. Lukašenka laikas."
    )
    assert first_sentence("Balandžio 6 d. (UPI) — Rusijos prezidentas kalbėjo. Toliau.").startswith(
        "Balandžio 6 d. (UPI) — Rusijos prezidentas kalbėjo."
    )
    short = shorten("word " * 60, 100)
    assert len(short) <= 100 and short.endswith("…") and not short[:-1].endswith(" ")


def test_text_without_any_words_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n\n   \n\u00a0\n", encoding="utf-8")
    with pytest.raises(ImportSkipped, match="no article text"):
        parse_file(path)


# --- encodings ------------------------------------------------------------------------------------
ENCODING_CASES = [
    ("cp1250", "000"),  # Romanian with cedilla ş ţ
    ("iso-8859-2", "000"),
    ("iso-8859-16", "001"),  # Romanian with comma-below ș ț and „ ” quotes
    ("cp1250", "004"),
    ("cp1257", "002"),  # Lithuanian
    ("iso-8859-13", "002"),
]


@pytest.mark.parametrize(("codec", "prefix"), ENCODING_CASES)
def test_legacy_code_pages_round_trip_seed_text(tmp_path: Path, codec: str, prefix: str) -> None:
    original = encodable_lines(seed_text(prefix), codec)
    assert len(original) > 1000  # a real sample, not a few words
    decoded = decode_bytes(original.encode(codec))
    assert decoded.text == unicodedata.normalize("NFC", original)


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_russian_code_pages_round_trip(codec: str) -> None:
    text = RUSSIAN if codec == "cp1251" else RUSSIAN.replace("«", '"').replace("»", '"')
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == codec


def test_iso_8859_16_is_told_apart_by_its_quotes() -> None:
    original = encodable_lines(seed_text("001"), "iso-8859-16")
    assert decode_bytes(original.encode("iso-8859-16")).encoding == "iso-8859-16"
    assert decode_bytes(encodable_lines(seed_text("000"), "cp1250").encode("cp1250")).encoding == "cp1250"


def test_cp1257_is_not_mistaken_for_cp1250() -> None:
    original = seed_text("002")
    assert decode_bytes(original.encode("cp1257")).encoding == "cp1257"


@pytest.mark.parametrize(
    ("raw", "expected_codec"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),  # no BOM
    ],
)
def test_unicode_files_with_and_without_bom(tmp_path: Path, raw, expected_codec: str) -> None:
    text = seed_text("001")
    path = tmp_path / "article.txt"
    path.write_bytes(raw(text))
    decoded = decode_bytes(path.read_bytes())
    assert decoded.encoding == expected_codec
    assert decoded.text == text
    assert parse_file(path).published == "2025-12-18"


def test_decomposed_text_is_stored_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", seed_text("001"))
    assert decode_bytes(decomposed.encode("utf-8")).text == unicodedata.normalize("NFC", decomposed)


def test_cp1250_file_imports_through_parse_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.txt"
    path.write_bytes(seed_text("000").encode("cp1250"))
    art = parse_file(path)
    assert art.published == "2026-02-26"
    assert "Lukaşenko" in art.body


# --- files that are skipped -----------------------------------------------------------------------
def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ImportSkipped, match="binary"):
        parse_file(path)
    other = tmp_path / "blob.txt"
    other.write_bytes(os.urandom(4096) + b"\x00\x00")
    with pytest.raises(ImportSkipped, match="binary"):
        parse_file(other)


def test_empty_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ImportSkipped, match="empty file"):
        parse_file(path)


def test_oversized_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.seek(MAX_FILE_BYTES)
        fh.write(b"x")  # sparse: 20 MB + 1 byte, instantly
    with pytest.raises(ImportSkipped, match="too large"):
        parse_file(path)


def test_undecodable_file_is_skipped(tmp_path: Path) -> None:
    rnd = random.Random(7)
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(rnd.randrange(0x80, 0x100) for _ in range(4000)))
    with pytest.raises(ImportSkipped, match="undecodable"):
        parse_file(path)


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportSkipped, match="ZIP"):
        parse_file(doc)
    csv = tmp_path / "table.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportSkipped, match="unsupported file type .csv"):
        parse_file(csv)
    with pytest.raises(ImportSkipped, match="not found"):
        parse_file(tmp_path / "nope.txt")


# --- HTML -----------------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<html lang="ro-RO"><head><meta charset="windows-1250">
<title>Putin a mers la Minsk | Știri Exemplu</title>
<meta property="og:title" content="Putin a mers la Minsk">
<meta property="og:site_name" content="Știri Exemplu">
<meta property="article:published_time" content="2024-05-06T10:00:00+02:00">
<link rel="canonical" href="https://stiri.example/a/1">
</head><body>
<header><div class="logo">Știri Exemplu</div></header>
<nav><ul><li><a href="/">Acasă</a></li><li><a href="/politica">Politică</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>Putin a mers la Minsk</h1>
<p>Vladimir Putin a mers luni la Minsk, unde a discutat cu liderul belarus Alexandr Lukaşenko despre cooperarea militară şi economică dintre cele două ţări.</p>
<p>Liderul de la Kremlin a insistat asupra legăturilor strânse dintre cele două ţări, potrivit Agerpres, în timp ce Minskul a cerut preţuri mai mici la gaze.</p>
<p>Acestea sunt măsuri comune pentru asigurarea securităţii celor două ţări, a precizat Putin la finalul întâlnirii de la palatul independenţei.</p>
</article></main>
<aside class="related"><h3>Articole recomandate</h3><ul>
<li><a href="/x">Teaserul unu despre echipa naţională de fotbal</a></li>
<li><a href="/y">Teaserul doi despre vremea de mâine</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comentarii</h3>
<div class="comment"><p>Comentariu de la un cititor supărat: ce ruşine pentru toţi!</p></div></section>
<footer><p>Copyright 2024 Știri Exemplu. Toate drepturile rezervate.</p></footer>
</body></html>
"""


def _page_bytes() -> bytes:
    return PAGE.replace("Știri", "Stiri").encode("cp1250")


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page_bytes())
    art = parse_file(path)
    assert art.title == "Putin a mers la Minsk"
    assert art.published == "2024-05-06"
    assert art.lang == "ro"
    assert art.source == "Stiri Exemplu"
    assert art.url == "https://stiri.example/a/1"
    body = art.body
    assert art.paragraphs[0].startswith("Vladimir Putin a mers luni la Minsk")
    assert "Lukaşenko" in body and "Acestea sunt măsuri comune" in body
    for clutter in ("Acasă", "Teaserul", "Comentariu", "Copyright", "Articole recomandate"):
        assert clutter not in body, clutter


def test_cut_off_html_still_imports(tmp_path: Path) -> None:
    data = _page_bytes()
    cut = data[: data.index(b"palatul")]  # mid-paragraph, no closing tags
    path = tmp_path / "cut.htm"
    path.write_bytes(cut)
    art = parse_file(path)
    assert art.title == "Putin a mers la Minsk"
    assert art.paragraphs[0].startswith("Vladimir Putin")


def test_html_cut_before_the_body_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "head-only.html"
    path.write_bytes(b"<!DOCTYPE html><html><head><title>x</title><scr")
    with pytest.raises(ImportSkipped):
        parse_file(path)


def test_html_without_article_markup_uses_the_fallback(tmp_path: Path) -> None:
    path = tmp_path / "simple.html"
    path.write_text(
        "<html lang='en'><body><nav>Home About</nav><div><p>Short one.</p></div>"
        "<script>var x = 'do not import';</script></body></html>",
        encoding="utf-8",
    )
    art = parse_file(path)
    assert "Short one." in art.body
    assert "do not import" not in art.body and "Home About" not in art.body
    assert art.lang == "en"


def test_txt_file_holding_html_is_parsed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(_page_bytes())
    art = parse_file(path)
    assert art.title == "Putin a mers la Minsk" and "Teaserul" not in art.body


# --- Markdown -------------------------------------------------------------------------------------
def test_markdown_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Notă despre Minsk\ndate: 2024-03-05\nsource: Agerpres\nurl: https://ex.ro/n\n"
        "language: ro-RO\ntags: politică, region/belarus\n---\n"
        "# Un titlu din corp\n\nPrimul *paragraf* cu un [link](https://ex.ro) și `cod`.\n\n"
        "- element unu\n- element **doi**\n\n## Subtitlu\n\n![poză](a.png)\n",
        encoding="utf-8",
    )
    art = parse_file(path)
    assert art.title == "Notă despre Minsk"
    assert art.published == "2024-03-05"
    assert art.source == "Agerpres" and art.url == "https://ex.ro/n"
    assert art.lang == "ro"
    assert art.tags == ("politică", "region/belarus")
    assert "Primul paragraf cu un link și cod." in art.paragraphs
    assert "element doi" in art.paragraphs and "Subtitlu" in art.paragraphs
    assert "*" not in art.body and "](" not in art.body and "poză" not in art.body


def test_markdown_without_front_matter_uses_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "plain.markdown"
    path.write_text("# Heading title\n\nBody text. Second sentence.\n", encoding="utf-8")
    art = parse_file(path)
    assert art.title == "Heading title"
    assert art.paragraphs == ("Body text. Second sentence.",)
    assert art.lang is None and art.tags == ()


def test_markdown_title_from_first_sentence(tmp_path: Path) -> None:
    path = tmp_path / "noheading.md"
    path.write_text("The first sentence is the title. Then more.\n\nAnother paragraph.\n", encoding="utf-8")
    assert parse_file(path).title == "The first sentence is the title"


def test_markdown_with_malformed_front_matter_imports_the_body(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\ndate: x\n---\n# Real heading\n\nThe body survives.\n", encoding="utf-8")
    art = parse_file(path)
    assert art.title == "Real heading"
    assert art.paragraphs == ("The body survives.",)
    assert "unclosed" not in art.body


def test_utf8_with_a_stray_windows_byte_stays_utf8() -> None:
    text = seed_text("001")
    data = text.encode("utf-8").replace(b"a spus el", b"a spus el\x92s", 1)
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text == text.replace("a spus el", "a spus el’s", 1)


def test_truncated_utf8_loses_only_the_last_character() -> None:
    text = seed_text("001")
    data = text.encode("utf-8")
    cut = data[: data.rindex("ș".encode()) + 1]  # in the middle of a two-byte letter
    assert decode_bytes(cut).text == cut[:-1].decode("utf-8")


def test_western_cp1252_text() -> None:
    text = (
        "Le président français a déclaré à la presse qu'il était très préoccupé par la situation. "
        "Ça ne va pas très bien, a-t-il ajouté, même si les négociations continuent à Genève."
    )
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text and decoded.encoding == "cp1252"
