"""Issue 14: titles and leads of generated news-site pages (benchmarks/webpage_set.py), both halves."""

from __future__ import annotations

from benchmarks.webpage_set import measure, pages
from reader.core.importers.html_file import choose_title, clean_lead


def test_both_halves_meet_the_targets() -> None:
    for half, (titles, leads, count) in measure().items():
        assert count >= 100
        assert titles >= 0.80, (half, titles)
        assert leads >= 0.85, (half, leads)


def test_the_set_covers_every_language_and_template() -> None:
    got = {(p.lang, p.template) for p in pages()}
    assert got == {(lang, t) for lang in ("en", "ro", "lt", "ru", "be") for t in range(8)}


def test_title_needs_confirmation_from_the_metadata() -> None:
    meta = {"title": "Prices rise again | Daily", "site": "Daily"}
    assert choose_title(meta, ["Daily", "Prices rise again"], None, None) == "Prices rise again"
    assert choose_title({"title": "Daily: Prices rise again"}, ["Prices rise again"], None, None) == "Prices rise again"
    assert choose_title({"title": "Prices rise again"}, ["Most read today"], None, None) == "Prices rise again"
    assert choose_title({"og_title": "A | Daily", "site": "Daily"}, [], "Headline from JSON-LD", None) == (
        "Headline from JSON-LD")


def test_lead_cleanup_keeps_a_real_first_paragraph() -> None:
    text = ["By Anna K.", "MINSK, Feb 26 (Reuters) -", "The two leaders", "Photo: Sergei Grits / AP",
            "The president said on Thursday that talks would go on."]
    assert clean_lead(text, "Title")[0] == "The president said on Thursday that talks would go on."
    kept = ["Putin a mers luni la Minsk.", "By the way, this stays."]
    assert clean_lead(kept, "Title") == kept
    assert clean_lead(["2026 budget", "Only paragraph."], None) == ["Only paragraph."]
