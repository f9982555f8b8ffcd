"""reader.core.text: the one copy of folding, UTF-16 offsets and paragraph handling."""

from __future__ import annotations

import unicodedata

from reader.core.text import (
    from_utf16,
    join_paragraphs,
    match_fold,
    match_fold_reference,
    match_fold_text,
    paragraph_index,
    paragraph_spans,
    phrase_fold,
    search_fold,
    search_fold_text,
    split_paragraphs,
    to_utf16,
)


def test_search_fold_is_the_full_text_index_folding() -> None:
    assert search_fold_text("Șeful ŞEFUL ţara Lukašenka") == "seful seful tara lukasenka"
    folded, index = search_fold("Straße")
    assert folded == "strasse" and list(index) == [0, 1, 2, 3, 4, 4, 5]
    assert search_fold_text("…") == "…"  # no compatibility folding: FTS5 does none either


def test_phrase_fold_also_folds_compatibility_forms() -> None:
    assert phrase_fold("Citește și…") == "citeste si..."
    assert phrase_fold(unicodedata.normalize("NFD", "Şi")) == "si"
    assert phrase_fold("READ MORE") == "read more"


def test_match_fold_is_looser_and_maps_back() -> None:
    text = "„Şeful”\u00ad  statului — ﬁnal"
    folded, index = match_fold(text)
    assert folded == '"seful" statului - final'
    assert (folded, index) == match_fold_reference(text)
    assert match_fold_text("  Țara  ") == "tara"


def test_utf16_offsets_round_trip() -> None:
    text = "a😀b😀c"
    assert [to_utf16(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert all(from_utf16(text, to_utf16(text, i)) == i for i in range(len(text) + 1))


def test_paragraphs() -> None:
    body = join_paragraphs(["  Unu. ", "", "Doi."])
    assert body == "Unu.\n\nDoi." and split_paragraphs(body) == ["Unu.", "Doi."]
    assert paragraph_spans(body) == [(0, 4), (6, 10)]
    assert paragraph_index(body, 5) == 1 and paragraph_index("", 0) is None
