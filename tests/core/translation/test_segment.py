"""Splitting text under provider limits without cutting words, and packing pieces into requests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.translation.segment import pack, split_sentences, split_text

SENTENCE = "Guvernul a anunțat astăzi un plan nou pentru școli. "


def test_short_text_is_one_piece():
    assert split_text("  Salut lume.  ", 100) == ["Salut lume."]
    assert split_text("   ", 100) == []


def test_20000_characters_split_on_sentences_within_limit():
    text = SENTENCE * 400  # ~21,000 characters, one paragraph
    assert len(text) > 20_000
    for limit in (499, 4999, 5000):
        pieces = split_text(text, limit)
        assert all(len(p) <= limit for p in pieces)
        assert all(p.endswith("școli.") for p in pieces)  # cut on sentence boundaries only
        assert " ".join(pieces).split() == text.split()
        # greedy packing wastes at most one sentence per piece
        assert len(pieces) <= -(-len(text) // (limit - len(SENTENCE))) + 1


def test_long_sentence_is_cut_between_words():
    text = "cuvânt " * 300
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert all(set(p.split()) == {"cuvânt"} for p in pieces)


def test_only_a_word_longer_than_the_limit_is_cut():
    url = "https://example.org/" + "a" * 250
    pieces = split_text(f"vezi {url} acum", 100)
    assert all(len(p) <= 100 for p in pieces) and "".join(pieces).replace(" ", "").endswith("acum")


def test_sentences():
    assert split_sentences('El a spus: „Da.” Apoi a plecat! Ce? Nimic.') == [
        "El a spus:", "„Da.”", "Apoi a plecat!", "Ce?", "Nimic."]


def test_pack_groups_under_limit_in_order():
    pieces = ["a" * 40, "b" * 40, "c" * 40, "d" * 90]
    assert pack(pieces, 100, "\n\n") == [[0, 1], [2], [3]]
    assert pack([], 100, "\n\n") == []


@given(st.lists(st.text(alphabet="abcăîș .!?\n", min_size=0, max_size=80), max_size=30),
       st.integers(min_value=5, max_value=200))
def test_split_and_pack_properties(paragraphs, limit):
    text = " ".join(paragraphs)
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    # no content is lost or reordered (whitespace aside)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    words = text.split()
    if all(len(w) <= limit for w in words):
        assert " ".join(pieces).split() == words  # no word was cut
    for group in pack(pieces, limit, "\n\n"):
        assert len("\n\n".join(pieces[i] for i in group)) <= limit
