"""Search-term matching for highlights: folded like the FTS index, positions in UTF-16 for Qt."""

from __future__ import annotations

from reader.core.query import parse
from reader.core.text import search_fold, to_utf16
from reader.core.textmatch import find_matches


def spans(text: str, query: str) -> list[str]:
    return [text[a:b] for a, b in find_matches(text, parse(query).terms)]


def test_diacritics_and_case_fold_both_ways() -> None:
    text = "Preşedintele Lukaşenko (cedilla) şi Lukașenko (comma) şi LUKASENKO"
    assert spans(text, "lukasenko") == ["Lukaşenko", "Lukașenko", "LUKASENKO"]
    assert spans(text, "lukaşenko") == ["Lukaşenko", "Lukașenko", "LUKASENKO"]
    assert spans("Lukašenka pareiškė", "lukasenka pareiske") == ["Lukašenka", "pareiškė"]


def test_prefix_phrase_whole_words_and_negation() -> None:
    text = "Uniunii Statale; uniunii  statale! lukasenkovici; putinism; Putin"
    assert spans(text, '"uniunii statale"') == ["Uniunii Statale", "uniunii  statale"]
    assert spans(text, "lukasenk*") == ["lukasenkovici"]
    assert spans(text, "putin") == ["Putin"]  # whole words only: not "putinism"
    assert spans(text, "putin -statale") == ["Putin"]
    assert spans(text, "tag:x lang:ro") == []


def test_positions_map_to_utf16_units() -> None:
    text = "😀 Lukașenko"
    (start, end), = find_matches(text, parse("lukasenko").terms)
    assert text[start:end] == "Lukașenko"
    assert to_utf16(text, start) == start + 1  # the emoji is two UTF-16 units
    folded, index_map = search_fold("ß")
    assert folded == "ss" and index_map == [0, 0]


def test_snippet_marks_folded_matches_around_the_first_one() -> None:
    from reader.core.query import parse
    from reader.core.textmatch import snippet

    body = "Începutul textului. " * 20 + "Preşedintele Aleksandr Lukașenko a vorbit la Minsk. " + "Final. " * 20
    out = snippet(body, parse("lukasenko* presedintele").terms, words=10)
    assert "[Preşedintele]" in out and "[Lukașenko]" in out
    assert out.startswith("…") and out.endswith("…")
    assert len(out.split()) <= 12
    assert snippet(body, parse("absent").terms, words=5).startswith("Începutul")
    assert snippet("", parse("x").terms) == ""
