"""Anchoring (reader.core.annotations) and the highlights/notes/saved-search store, on real SQLite files."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.core.annotations import (
    FUZZY_MAX_ERROR_RATE,
    _myers_scores,
    anchor,
    find_quote,
    make_selector,
    normalize,
    reanchor_article,
)
from reader.core.errors import NotFoundError, QueryError, ValidationError
from reader.core.library_ops import Annotations, on_article_text_changed
from reader.core.models import (
    COLORS,
    Anchor,
    Highlight,
    HighlightFilter,
    LanguageGuess,
    ParsedArticle,
    Selector,
)
from reader.core.storage import Library
from reader.core.text import paragraph_index, paragraph_spans, split_paragraphs

RO_BODY = (
    "Rusia şi Belarus consideră de o importanţă vitală aprofundarea relaţiilor de alianţă şi parteneriat "
    "strategic în contextul tensiunilor internaţionale actuale, a declarat preşedintele belarus.\n\n"
    "Şeful statului belarus a subliniat că situaţia geopolitică ne impune provocarea de a fi pregătiţi.\n\n"
    "Moscova şi Minsk pun în aplicare acordul privind garanţii de securitate semnat de cele două ţări."
)


def span_of(body: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(quote, start + 1)
    return start, start + len(quote)


def seed_article(lib: Library, seeds_dir: Path, name_prefix: str) -> int:
    path = next(seeds_dir.glob(f"{name_prefix}*.txt"))
    paras = split_paragraphs(path.read_text(encoding="utf-8"))
    title = paras[0].split(". ")[0][:120]
    out = lib.add_article(ParsedArticle(title=title, paragraphs=tuple(paras), source="seed",
                                        file_name=path.name), LanguageGuess("ro", 0.99))
    assert out.article_id is not None
    return out.article_id


def add(lib: Library, body: str, title: str = "Test", lang: str = "ro", tags: tuple[str, ...] = ()) -> int:
    out = lib.add_article(ParsedArticle(title=title, paragraphs=tuple(split_paragraphs(body)), tags=tags),
                          LanguageGuess(lang, 0.9))
    assert out.article_id is not None
    return out.article_id


# --- anchoring: pure functions -------------------------------------------------------------------
class TestAnchor:
    def test_selector_keeps_position_quote_and_context(self) -> None:
        s, e = span_of(RO_BODY, "importanţă vitală")
        sel = make_selector(RO_BODY, s, e)
        assert (sel.start, sel.end, sel.quote) == (s, e, "importanţă vitală")
        assert sel.prefix == RO_BODY[s - 32 : s] and sel.suffix == RO_BODY[e : e + 32]
        assert sel.to_w3c()[1] == {"type": "TextQuoteSelector", "exact": "importanţă vitală",
                                   "prefix": sel.prefix, "suffix": sel.suffix}

    @pytest.mark.parametrize("span", [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
    def test_bad_spans_are_refused(self, span: tuple[int, int]) -> None:
        with pytest.raises(ValidationError):
            make_selector(RO_BODY, *span)

    def test_position(self) -> None:
        sel = make_selector(RO_BODY, *span_of(RO_BODY, "aprofundarea"))
        assert anchor(RO_BODY, sel) == Anchor(sel.start, sel.end, "position")

    def test_text_inserted_before(self) -> None:
        sel = make_selector(RO_BODY, *span_of(RO_BODY, "garanţii de securitate"))
        new = "Un paragraf nou la început.\n\n" + RO_BODY
        found = anchor(new, sel)
        assert found is not None and found.strategy == "quote"
        assert new[found.start : found.end] == "garanţii de securitate"
        assert found.start == sel.start + len("Un paragraf nou la început.\n\n")

    def test_quote_twice_context_picks_the_right_one(self) -> None:
        body = ("Belarus a declarat că va semna. Rusia a declarat că nu va semna.\n\n"
                "Mai târziu, Belarus a declarat că va semna din nou.")
        s, e = span_of(body, "a declarat că va semna", nth=1)  # the second occurrence
        sel = make_selector(body, s, e)
        new = "Titlu.\n\n" + body  # position is lost, two exact occurrences remain
        found = anchor(new, sel)
        assert found is not None and found.strategy == "quote"
        assert found.start == s + len("Titlu.\n\n")
        # and the first occurrence when that was the one highlighted
        s0, e0 = span_of(body, "a declarat că va semna", nth=0)
        found0 = anchor(new, make_selector(body, s0, e0))
        assert found0 is not None and found0.start == s0 + len("Titlu.\n\n")

    def test_whitespace_changes(self) -> None:
        s, e = span_of(RO_BODY, "relaţiilor de alianţă şi parteneriat strategic")
        sel = make_selector(RO_BODY, s, e)
        new = RO_BODY.replace("alianţă şi parteneriat", "alianţă\n şi   parteneriat").replace(
            "Rusia şi", "Rusia  şi")
        found = anchor(new, sel)
        assert found is not None and found.strategy == "normalized"
        assert new[found.start : found.end] == "relaţiilor de alianţă\n şi   parteneriat strategic"

    def test_romanian_cedilla_to_comma_below(self) -> None:
        s, e = span_of(RO_BODY, "preşedintele belarus")
        sel = make_selector(RO_BODY, s, e)
        new = RO_BODY.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș")
        found = anchor(new, sel)
        assert found is not None and found.strategy == "normalized"
        assert new[found.start : found.end] == "președintele belarus"

    def test_nfd_text_maps_back_to_exact_code_points(self) -> None:
        s, e = span_of(RO_BODY, "importanţă vitală")
        sel = make_selector(RO_BODY, s, e)
        new = unicodedata.normalize("NFD", RO_BODY)
        found = anchor(new, sel)
        assert found is not None
        assert unicodedata.normalize("NFC", new[found.start : found.end]) == "importanţă vitală"
        assert not unicodedata.combining(new[found.end]) if found.end < len(new) else True

    def test_fuzzy_after_a_small_edit(self) -> None:
        quote = "situaţia geopolitică ne impune provocarea de a fi pregătiţi"
        sel = make_selector(RO_BODY, *span_of(RO_BODY, quote))
        new = RO_BODY.replace("ne impune provocarea", "ne impune marea provocare")
        found = anchor(new, sel)
        assert found is not None and found.strategy == "fuzzy"
        assert new[found.start : found.end] == "situaţia geopolitică ne impune marea provocare de a fi pregătiţi"
        assert 0 < found.distance <= FUZZY_MAX_ERROR_RATE * len(quote)

    def test_passage_deleted_is_not_placed(self) -> None:
        sel = make_selector(RO_BODY, *span_of(RO_BODY, "acordul privind garanţii de securitate"))
        new = RO_BODY.split("\n\nMoscova")[0]
        assert anchor(new, sel) is None

    def test_short_quote_is_never_fuzzy(self) -> None:
        sel = Selector(0, 4, "Xyzq")
        assert anchor("Xyzw and more", sel) is None

    def test_find_quote_exact_then_folded(self) -> None:
        assert find_quote(RO_BODY, "belarus") == [span_of(RO_BODY, "belarus"), span_of(RO_BODY, "belarus", 1)]
        spans = find_quote(RO_BODY, "presedintele")
        assert [RO_BODY[s:e] for s, e in spans] == ["preşedintele"]
        assert find_quote(RO_BODY, "   ") == []

    def test_paragraphs(self) -> None:
        spans = paragraph_spans(RO_BODY)
        assert [RO_BODY[s:e] for s, e in spans] == split_paragraphs(RO_BODY)
        assert paragraph_index(RO_BODY, 0) == 0
        assert paragraph_index(RO_BODY, spans[1][0] + 3) == 1
        assert paragraph_index(RO_BODY, len(RO_BODY)) == 2

    def test_reanchor_article_keeps_every_highlight(self) -> None:
        hs = []
        for i, q in enumerate(["importanţă vitală", "Şeful statului", "garanţii de securitate"]):
            sel = make_selector(RO_BODY, *span_of(RO_BODY, q))
            hs.append(Highlight(i + 1, 1, "yellow", sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, 0,
                                "original", None, None, None, False, "t", "t"))
        new = "Intro.\n\n" + RO_BODY.replace("ţ", "ț").split("\n\nMoscova")[0]
        results = reanchor_article(new, hs)
        assert [r.highlight_id for r in results] == [1, 2, 3]
        assert results[0].selector is not None and results[0].selector.quote == "importanță vitală"
        assert results[1].anchor is not None and results[1].anchor.strategy == "quote"
        assert results[1].paragraph == 2
        assert results[2].anchor is None and results[2].selector is None

    def test_reanchoring_200_highlights_is_fast(self) -> None:
        body = "\n\n".join(f"Paragraful {i}: " + RO_BODY.replace("\n\n", " ") for i in range(40))
        hs = []
        for i in range(200):
            start = (i * 97) % (len(body) - 60)
            while not body[start:start + 40].strip():
                start += 1
            sel = make_selector(body, start, start + 40)
            hs.append(Highlight(i, 1, "yellow", sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, None,
                                "original", None, None, None, False, "t", "t"))
        new = "Un început nou, mai lung decât înainte.\n\n" + body.replace("ş", "ș")
        reanchor_article(new, hs)  # warm caches
        t0 = time.perf_counter()
        results = reanchor_article(new, hs)
        elapsed = time.perf_counter() - t0
        assert all(r.selector is not None for r in results)
        # The budget is 50 ms on an idle machine (benchmarks/annotations_bench.py measures it); a loaded
        # CI machine gets 20x, which still catches anything quadratic.
        assert elapsed < 1.0


def _dp_best(pattern: str, text: str) -> int:
    """Reference: min edit distance of pattern to any substring of text (Sellers' algorithm)."""
    prev = [0] * (len(text) + 1)
    for i in range(1, len(pattern) + 1):
        cur = [i] + [0] * len(text)
        for j in range(1, len(text) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pattern[i - 1] != text[j - 1]))
        prev = cur
    return min(prev)


_text = st.text(alphabet=st.sampled_from("abcş ș\n\u0327xyz"), max_size=60)


class TestAnchorProperties:
    @given(pattern=st.text(alphabet="abcd", min_size=1, max_size=12), text=st.text(alphabet="abcd", max_size=40))
    @settings(max_examples=300, deadline=None)
    def test_myers_matches_the_textbook_algorithm(self, pattern: str, text: str) -> None:
        assert min(_myers_scores(pattern, text)) == _dp_best(pattern, text)

    @given(body=st.text(max_size=300), new=st.text(max_size=300), data=st.data())
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_anchor_never_raises_and_finds_real_text(self, body: str, new: str, data: st.DataObject) -> None:
        assume(body.strip())
        start = data.draw(st.integers(0, len(body) - 1))
        end = data.draw(st.integers(start + 1, len(body)))
        assume(body[start:end].strip())
        sel = make_selector(body, start, end)
        for text in (body, new, new + body, body.upper(), unicodedata.normalize("NFD", body)):
            found = anchor(text, sel)
            if found is not None:
                assert 0 <= found.start < found.end <= len(text)
                assert found.strategy in ("position", "quote", "normalized", "fuzzy")
        assert anchor(body, sel) == Anchor(start, end, "position")
        assert anchor("zz" + body, sel) is not None

    @given(quote=st.text(max_size=50), prefix=st.text(max_size=40), suffix=st.text(max_size=40),
           start=st.integers(-5, 500), end=st.integers(-5, 500), text=_text)
    @settings(max_examples=300, deadline=None)
    def test_anchor_never_raises_for_any_selector(self, quote: str, prefix: str, suffix: str, start: int,
                                                  end: int, text: str) -> None:
        found = anchor(text, Selector(start, end, quote, prefix, suffix))
        assert found is None or 0 <= found.start < found.end <= len(text)

    @given(words=st.lists(st.sampled_from(["Rusia", "şi", "Belarus", "ţară", "acord", "Minsk", "ș", "\n\n"]),
                          min_size=3, max_size=40),
           cut=st.integers(0, 40), insert=st.text(max_size=30))
    @settings(max_examples=200, deadline=None)
    def test_reanchor_never_loses_a_highlight(self, words: list[str], cut: int, insert: str) -> None:
        body = " ".join(words).strip()
        assume(body.strip())
        spans = [(m, min(len(body), m + 7)) for m in range(0, len(body), 9) if body[m:m + 7].strip()]
        hs = []
        for i, (s, e) in enumerate(spans):
            sel = make_selector(body, s, e)
            hs.append(Highlight(i, 1, "yellow", sel.start, sel.end, sel.quote, sel.prefix, sel.suffix, None,
                                "original", None, None, None, False, "t", "t"))
        new = body[:cut] + insert + body[cut:]
        results = reanchor_article(new, hs)
        assert [r.highlight_id for r in results] == [h.id for h in hs]  # one result per highlight
        for r in results:
            if r.selector is not None:
                assert new[r.selector.start : r.selector.end] == r.selector.quote


def test_normalize_folds_romanian_spellings() -> None:
    assert normalize("Şeful  ŢĂRII") == normalize("șeful țării") == "seful tarii"
    assert normalize(unicodedata.normalize("NFD", "ș")) == "s"


# --- the store -----------------------------------------------------------------------------------
@pytest.fixture
def lib(db_path: Path):
    with Library(db_path) as library:
        yield library


class TestStore:
    def test_add_list_update_delete_restore(self, lib: Library) -> None:
        aid = add(lib, RO_BODY, tags=("region/belarus",))
        notes = Annotations(lib)
        h = notes.add_highlight(aid, *span_of(RO_BODY, "importanţă vitală"), color="green", note="*vital*",
                                tags=["key", "region/belarus"])
        assert h.quote == "importanţă vitală" and h.color == "green" and h.paragraph == 0
        assert h.tags == ("key", "region/belarus") and not h.orphaned
        h2 = notes.add_highlight(aid, *span_of(RO_BODY, "Minsk"))
        assert [x.id for x in notes.highlights_for_article(aid)] == [h.id, h2.id]
        h = notes.update_highlight(h.id, color="blue", note="", tags=["other"])
        assert (h.color, h.note, h.tags) == ("blue", None, ("other",))
        snap = notes.delete_highlight(h.id)
        with pytest.raises(NotFoundError):
            notes.get_highlight(h.id)
        back = notes.restore_highlight(snap)
        assert back == h
        with pytest.raises(ValidationError):
            notes.add_highlight(aid, 0, 5, color="orange")
        with pytest.raises(NotFoundError):
            notes.add_highlight(999, 0, 5)

    def test_add_by_quote_reports_ambiguity(self, lib: Library) -> None:
        aid = add(lib, RO_BODY)
        notes = Annotations(lib)
        h, n = notes.add_highlight_by_quote(aid, "belarus")
        assert n == 2 and (h.start, h.end) == span_of(RO_BODY, "belarus")
        h, n = notes.add_highlight_by_quote(aid, "garantii de securitate")
        assert n == 1 and h.quote == "garanţii de securitate"
        with pytest.raises(NotFoundError):
            notes.add_highlight_by_quote(aid, "nu există aşa ceva")

    def test_translation_highlight_is_tied_to_its_original_paragraph(self, lib: Library) -> None:
        aid = add(lib, RO_BODY)
        notes = Annotations(lib)
        h = notes.add_translation_highlight(aid, 1, "the geopolitical situation", "EN", note="see also")
        para = split_paragraphs(RO_BODY)[1]
        assert (h.view, h.paragraph, h.quote, h.target_lang) == ("translation", 1, para, "en")
        assert h.translated_quote == "the geopolitical situation"
        rows = notes.list_highlights(HighlightFilter(query="geopolitical"))
        assert [r.highlight.id for r in rows] == [h.id]
        with pytest.raises(ValidationError):
            notes.add_translation_highlight(aid, 7, "x", "en")

    def test_body_edit_reanchors_and_orphans_are_kept(self, lib: Library) -> None:
        aid = add(lib, RO_BODY)
        notes = Annotations(lib)
        keep = notes.add_highlight(aid, *span_of(RO_BODY, "Şeful statului belarus"), note="kept")
        gone = notes.add_highlight(aid, *span_of(RO_BODY, "acordul privind garanţii"), note="**orphan note**")
        new_body = "Paragraf nou.\n\n" + RO_BODY.replace("ş", "ș").replace("Ş", "Ș").split("\n\nMoscova")[0]
        lib.set_body(aid, new_body)
        report = on_article_text_changed(lib, aid)
        assert report.total == 2 and report.orphaned == (gone.id,)
        body = lib.get_article(aid).body
        k = notes.get_highlight(keep.id)
        assert body[k.start : k.end] == "Șeful statului belarus" == k.quote and not k.orphaned
        o = notes.get_highlight(gone.id)
        assert o.orphaned and o.quote == "acordul privind garanţii" and o.note == "**orphan note**"
        assert [h.id for h in notes.orphans()] == [gone.id]
        assert [h.id for h in notes.highlights_for_article(aid)] == [keep.id, gone.id]  # orphans listed last
        # the passage comes back: the orphan is placed again
        lib.set_body(aid, RO_BODY)
        report = notes.reanchor(aid)
        assert report.orphaned == () and not notes.get_highlight(gone.id).orphaned
        # the full-text index follows the quote's new spelling
        assert [r.highlight.id for r in notes.list_highlights(HighlightFilter(query="seful"))] == [keep.id]

    def test_library_wide_list_search_and_filters(self, lib: Library) -> None:
        a1 = add(lib, RO_BODY, title="RO", tags=("region/belarus",))
        a2 = add(lib, "Belarus and Russia vitally need to develop alliance.\n\nA second paragraph.", title="EN",
                 lang="en")
        notes = Annotations(lib)
        h1 = notes.add_highlight(a1, *span_of(RO_BODY, "importanţă vitală"), color="green", note="Lukașenko")
        h2 = notes.add_highlight(a2, 0, 7, color="pink", tags=["people"])
        h3 = notes.add_highlight(a2, 12, 18, note="vital stuff")
        assert notes.count_highlights() == 3
        assert [r.highlight.id for r in notes.list_highlights()] == [h3.id, h2.id, h1.id]
        page = notes.list_highlights(limit=2, offset=2)
        assert [r.highlight.id for r in page] == [h1.id] and page[0].article_title == "RO"
        assert [r.highlight.id for r in notes.list_highlights(HighlightFilter(query="importanta"))] == [h1.id]
        assert [r.highlight.id for r in notes.list_highlights(HighlightFilter(query="lukasenko"))] == [h1.id]
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(tag="region"))} == {h1.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="tag:people"))} == {h2.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="-tag:people"))} == {h1.id, h3.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(color="pink"))} == {h2.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(lang="en"))} == {h2.id, h3.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="lang:en -vital"))} == {h2.id}
        assert notes.count_highlights(HighlightFilter(query="lang:en")) == 2
        assert notes.highlight_counts()["green"] == 1 and notes.highlight_counts()["all"] == 3
        for hostile in ['"', "*", "AND", "e-mail", "NEAR(", "a OR", "'", "tag:", "ș*"]:
            try:
                notes.list_highlights(HighlightFilter(query=hostile))
            except QueryError as exc:
                assert str(exc)

    def test_article_note(self, lib: Library) -> None:
        aid = add(lib, RO_BODY)
        notes = Annotations(lib)
        assert notes.get_note(aid) is None
        notes.set_note(aid, "# Gânduri\n\n- unu")
        assert notes.get_note(aid) == "# Gânduri\n\n- unu" == lib.get_article(aid).note
        assert lib.count_articles(__import__("reader.core.models", fromlist=["ListFilter"]).ListFilter(
            query="has:notes")) == 1
        notes.set_note(aid, "  ")
        assert notes.get_note(aid) is None
        with pytest.raises(NotFoundError):
            notes.set_note(12345, "x")

    def test_saved_searches(self, lib: Library) -> None:
        add(lib, RO_BODY, tags=("region/belarus",))
        add(lib, "Belarus and Russia.", title="EN", lang="en")
        notes = Annotations(lib)
        notes.add_saved_search("Romanian", "lang:ro")
        notes.add_saved_search("Belarus", "tag:region belarus")
        with pytest.raises(ValidationError):
            notes.add_saved_search("romanian", "lang:en")  # names are case-insensitive
        with pytest.raises(QueryError):
            notes.add_saved_search("Bad", "is:nonsense")
        saved = notes.saved_searches()
        assert [(s.name, s.count) for s in saved] == [("Romanian", 1), ("Belarus", 1)]
        notes.reorder_saved_searches(["Belarus"])
        assert [s.name for s in notes.saved_searches(counts=False)] == ["Belarus", "Romanian"]
        notes.update_saved_search("Romanian", new_name="All RO", query="lang:ro OR")
        assert notes.get_saved_search("All RO").query == "lang:ro OR"
        removed = notes.remove_saved_search("Belarus")
        assert removed.query == "tag:region belarus"
        with pytest.raises(NotFoundError):
            notes.remove_saved_search("Belarus")

    def test_seed_article_highlight_survives_reimport_style_edit(self, lib: Library, seeds_dir: Path) -> None:
        aid = seed_article(lib, seeds_dir, "000")
        notes = Annotations(lib)
        h, _ = notes.add_highlight_by_quote(aid, "sistemele de rachete balistice")
        body = lib.get_article(aid).body
        lib.set_body(aid, body.replace("ş", "ș").replace("ţ", "ț"))
        notes.reanchor(aid)
        moved = notes.get_highlight(h.id)
        assert lib.get_article(aid).body[moved.start : moved.end] == moved.quote
        assert not moved.orphaned


def test_colors_are_five() -> None:
    assert len(COLORS) == 5


def test_migration_004_indexes_serve_counts(lib: Library) -> None:
    from reader.core.storage.migrations.m004_annotation_indexes import m004_annotation_indexes

    aid = add(lib, RO_BODY)
    Annotations(lib).set_note(aid, "n")
    m004_annotation_indexes(lib.db)
    m004_annotation_indexes(lib.db)  # idempotent
    plan = " ".join(r[3] for r in lib.conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM articles a WHERE a.starred = 1 AND NOT (a.lang = 'en')"))
    assert "COVERING INDEX" in plan  # counted from an index, never by reading the ~3 KB rows
    plan = " ".join(r[3] for r in lib.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE note <> ''"))
    assert "idx_articles_noted" in plan
    assert lib.conn.execute("SELECT count(*) FROM articles WHERE note <> ''").fetchone()[0] == 1


def test_utf16_offsets_for_qt() -> None:
    from reader.core.text import from_utf16, to_utf16

    text = "a🙂b ș🙂"
    assert [to_utf16(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 5, 6, 8]
    assert [from_utf16(text, to_utf16(text, i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert len(text.encode("utf-16-le")) // 2 == to_utf16(text, len(text))
