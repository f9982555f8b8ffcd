"""Issue 14: hard-wrapped .txt blocks, encoding override and close calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import parse_bytes, parse_file
from reader.core.importers.text import parse_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


# --- A: hard-wrapped .txt -----------------------------------------------------------------------
def test_three_line_block_with_a_sentence_cut_mid_way_is_one_paragraph() -> None:
    text = (
        "Council postpones the vote\n\n"
        "The board met on Monday and agreed that the budget for next year would be discussed\n"
        "at the next meeting.\n"
        "Members were asked to send their proposals before the end of the month.\n"
    )
    art = parse_text(text)
    assert art.title == "Council postpones the vote"
    assert art.paragraphs[0] == (
        "The board met on Monday and agreed that the budget for next year would be discussed "
        "at the next meeting."
    )
    assert art.paragraphs[1] == "Members were asked to send their proposals before the end of the month."


def test_wrapped_block_at_sixty_columns_joins_a_capitalised_continuation() -> None:
    text = (
        "Title line\n\n"
        "Ministrul a declarat că negocierile cu partenerii din\n"
        "Lituania și Letonia vor continua luna viitoare, iar o\n"
        "decizie finală va fi luată abia după consultări.\n"
    )
    art = parse_text(text)
    assert art.paragraphs == (
        "Ministrul a declarat că negocierile cu partenerii din Lituania și Letonia vor continua "
        "luna viitoare, iar o decizie finală va fi luată abia după consultări.",
    )


def test_one_paragraph_per_line_blocks_stay_apart() -> None:
    text = (
        "Headline of the day\n"
        "First paragraph is a whole sentence.\n"
        "Second paragraph is another sentence that ends here.\n"
        "Putin - Lukasenko\n"
        "IMAGO IMAGES\n"
        "Tema zilei: „Ce urmează”\n"
        "Alt paragraf începe aici.\n"
    )
    art = parse_text(text)
    assert "First paragraph is a whole sentence." in art.paragraphs
    assert "Alt paragraf începe aici." in art.paragraphs
    assert not any("IMAGO" in p for p in art.paragraphs)


def test_short_lines_ending_a_sentence_break_a_wrapped_block() -> None:
    text = (
        "Title\n\n"
        "The agency said the figures for the first quarter would\n"
        "be published next week, together with the revised data.\n"
        "Nothing else was said.\n"
        "A new paragraph starts here and it is wrapped at about\n"
        "sixty columns like the lines before it were wrapped.\n"
    )
    art = parse_text(text)
    assert art.paragraphs[0].startswith("The agency said the figures for the first quarter would be published")
    assert any(p.startswith("A new paragraph starts here and it is wrapped at about sixty") for p in art.paragraphs)


def test_joining_a_huge_block_stays_linear() -> None:
    import time

    text = "Title\n\n" + "".join(f"a wrapped line of text number {i} that goes on\n" for i in range(100_000))
    start = time.perf_counter()
    art = parse_text(text)
    assert len(art.paragraphs) == 1 and time.perf_counter() - start < 10


def test_seeds_keep_one_paragraph_per_line() -> None:
    art = parse_file(SEEDS / "002_5cd1362de9e6b2a2.txt")
    assert len(art.paragraphs) >= 9
    assert all(p.rstrip("”\"").endswith((".", "!", "?")) for p in art.paragraphs)


# --- C: encoding override and close calls -------------------------------------------------------
CLOSE_CALL = (
    "Quoted in Vilnius\n\n"
    'The phrase quoted most often was "Balandžio 6 d. (UPI) - Rusijos prezidentas", they said.\n'
)


def test_parsed_article_carries_the_encoding_and_the_close_alternatives() -> None:
    data = CLOSE_CALL.encode("iso-8859-13")
    guessed = parse_bytes(data, "a.txt")
    assert guessed.encoding and guessed.encoding_alternatives
    assert {"iso-8859-13", "cp1257"} & {guessed.encoding, *guessed.encoding_alternatives}
    forced = parse_bytes(data, "a.txt", encoding="iso-8859-13")
    assert forced.encoding == "iso-8859-13" and forced.encoding_alternatives == ()
    assert "Balandžio" in forced.paragraphs[0]
    assert parse_bytes(b"Plain text here.\n", "b.md").encoding == "utf-8"


def test_override_beats_the_meta_charset() -> None:
    page = ('<html><head><meta charset="windows-1257"><title>Derybos</title></head><body><article>'
            "<p>Lukašenka sakė, kad derybos su Lietuva tęsis ir kitą mėnesį, o sprendimas bus vėliau.</p>"
            "</article></body></html>").encode("cp1257")
    assert "Lukašenka sakė" in " ".join(parse_bytes(page, "p.html").paragraphs)
    forced = parse_bytes(page, "p.html", encoding="cp1250")  # the person's choice, even a wrong one
    assert forced.encoding == "cp1250"
    assert page.decode("cp1250").split("<p>")[1].split("</p>")[0] in " ".join(forced.paragraphs)


def test_unknown_override_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_bytes(b"text", "a.txt", encoding="no-such-codec")


def test_import_warns_on_a_close_call_and_reimport_replaces_the_text(tmp_path: Path) -> None:
    from reader.core.importing import import_file
    from reader.core.storage import Library

    path = tmp_path / "close.txt"
    path.write_bytes(CLOSE_CALL.encode("iso-8859-13"))
    lib = Library(tmp_path / "lib.db")
    try:
        first = import_file(lib, path)
        assert first.status == "imported" and first.warning
        assert first.warning.startswith("encoding guessed as ")
        assert "; could also be " in first.warning and " — re-import with --encoding " in first.warning
        second = import_file(lib, path, encoding="iso-8859-13")
        assert second.status == "updated" and second.article_id == first.article_id
        assert "Balandžio" in lib.get_body(first.article_id)
        assert lib.article_count() == 1
        assert import_file(lib, path).status == "duplicate"
        assert import_file(lib, path, encoding="iso-8859-13").status == "duplicate"
    finally:
        lib.close()
