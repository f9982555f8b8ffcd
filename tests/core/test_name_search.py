"""``~term`` (a name in any spelling) through the real library: search, lists, counts, saved searches,
translations, All Highlights and the in-text highlighting.

Five short articles about one person in English, Romanian, Lithuanian, Russian and Belarusian are
imported from files as a person would (the issue's "done when"), plus two that must not match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.importing import import_file
from reader.core.library_ops import Annotations
from reader.core.models import HighlightFilter, ListFilter
from reader.core.query import Term, parse
from reader.core.storage import Library
from reader.core.textmatch import find_matches, snippet

# Written for this test; each names the person inflected the way its language does.
FIVE = {
    "en": "Lukashenko's government rejects talks\n\n"
          "Belarus: Lukashenko's government rejected the talks with the opposition on Monday. Alexander "
          "Lukashenko said that no new election would be held this year and that the protests were over.\n",
    "ro": "Opoziția cere demisia lui Lukașenko\n\n"
          "Președintele belarus Aleksandr Lukașenko a declarat luni că nu va pleca. Opoziția din Belarus "
          "cere demisia lui Lukașenko și organizarea unor alegeri libere în acest an.\n",
    "lt": "Lukašenkos režimas sulaikė dar dešimt žmonių\n\n"
          "Baltarusijos vadovas Aliaksandras Lukašenka pirmadienį pareiškė, kad naujų rinkimų šiais metais "
          "nebus. Lukašenkos režimas sulaikė dar dešimt opozicijos aktyvistų.\n",
    "ru": "Лукашенко отказался от переговоров\n\n"
          "Президент Белоруссии Александр Лукашенко заявил в понедельник, что не уйдёт и новых выборов в "
          "этом году не будет. Оппозиция требует отставки Лукашенко.\n",
    "be": "Лукашэнка адмовіўся ад перамоваў\n\n"
          "Аляксандр Лукашэнка заявіў у панядзелак, што не сыдзе і новых выбараў сёлета не будзе. Апазіцыя "
          "патрабуе ад Лукашэнкі адстаўкі і вызвалення палітвязняў.\n",
}
OTHERS = {
    "oil": "Lukoil profits rise\n\nLukoil reported higher profits in the third quarter; shares of the oil "
           "company rose on Monday in Moscow and London.\n",
    "minsk": "Minsk talks on Monday\n\nThe president of Belarus met the opposition on Monday; the talks in "
             "Minsk ended without an agreement.\n",
}
SPELLINGS = ["~lukashenko", "~Lukașenko", "~lukašenka", "~Лукашенко"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, int]]]:
    folder = tmp_path_factory.mktemp("name-articles")
    lib = Library(folder / "library.db")
    ids: dict[str, int] = {}
    for key, text in {**FIVE, **OTHERS}.items():
        path = folder / f"{key}.txt"
        path.write_text(text, encoding="utf-8")
        outcome = import_file(lib, path)
        assert outcome.status == "imported" and outcome.article_id is not None, outcome
        ids[key] = outcome.article_id
    langs = {key: lib.get_article(i).lang for key, i in ids.items()}
    assert {k: langs[k] for k in FIVE} == {k: k for k in FIVE}  # detected right, so lang: filters mean something
    yield lib, ids
    lib.close()


def five(ids: dict[str, int]) -> set[int]:
    return {ids[k] for k in FIVE}


@pytest.mark.parametrize("query", SPELLINGS)
def test_each_spelling_finds_all_five(library: tuple[Library, dict[str, int]], query: str) -> None:
    lib, ids = library
    hits = lib.search(query)
    assert {h.article.id for h in hits} == five(ids)
    assert all(h.matched_in == "original" for h in hits)
    assert all("[" in h.snippet for h in hits)  # the name is marked in every snippet
    flt = ListFilter(query=query)
    assert set(lib.list_ids(flt)) == five(ids)
    assert {a.id for a in lib.list_articles(flt)} == five(ids)
    assert lib.count_articles(flt) == 5


def test_other_names_find_none_of_the_five(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    assert {h.article.id for h in lib.search("~lukoil")} == {ids["oil"]}
    assert {h.article.id for h in lib.search("~ЛУКОЙЛ")} == {ids["oil"]}
    assert lib.search("~kolesnikova") == []  # not in the library: nothing (not an error)
    assert lib.count_articles(ListFilter(query="~kolesnikova")) == 0
    # without ~ each spelling finds only its own language's articles (the complaint)
    assert {h.article.id for h in lib.search("lukashenko")} == {ids["en"]}


def test_excluding_a_name(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    assert {h.article.id for h in lib.search("-~lukashenko")} == {ids["oil"], ids["minsk"]}
    assert set(lib.list_ids(ListFilter(query="-~Лукашенко"))) == {ids["oil"], ids["minsk"]}
    assert {h.article.id for h in lib.search("monday -~lukašenka")} == {ids["oil"], ids["minsk"]}
    assert lib.search("~lukashenko -~Лукашэнка") == []
    assert {h.article.id for h in lib.search("monday -~kolesnikova")} == {ids["en"], ids["oil"], ids["minsk"]}


def test_a_name_with_filters(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    assert [h.article.id for h in lib.search("~lukashenko lang:ro")] == [ids["ro"]]
    assert [h.article.id for h in lib.search("lang:ro ~Лукашенко")] == [ids["ro"]]
    assert set(lib.list_ids(ListFilter(query="~lukašenka -lang:ro"))) == five(ids) - {ids["ro"]}
    assert lib.list_ids(ListFilter(query="~Lukașenko", lang="be")) == [ids["be"]]
    assert lib.search("lang:ro -~lukashenko") == []
    assert {h.article.id for h in lib.search("~lukashenko opozicijos")} == {ids["lt"]}


def test_saved_search_with_a_name_counts_right(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    notes = Annotations(lib)
    notes.add_saved_search("Lukashenko", "~lukashenko")
    notes.add_saved_search("Lukashenko in Romanian", "~Лукашенко lang:ro")
    notes.add_saved_search("Not Lukashenko", "-~lukašenka")
    try:
        counts = {s.name: s.count for s in notes.saved_searches()}
        assert counts == {"Lukashenko": 5, "Lukashenko in Romanian": 1, "Not Lukashenko": 2}
        assert notes.count_query("~lukoil") == 1
    finally:
        for name in ("Lukashenko", "Lukashenko in Romanian", "Not Lukashenko"):
            notes.remove_saved_search(name)


def test_all_highlights_accept_a_name(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    notes = Annotations(lib)
    lt, _ = notes.add_highlight_by_quote(ids["lt"], "Lukašenkos režimas")
    be, _ = notes.add_highlight_by_quote(ids["be"], "Лукашэнка заявіў")
    oil, _ = notes.add_highlight_by_quote(ids["oil"], "Lukoil reported higher profits")
    try:
        found = {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="~lukashenko"))}
        assert found == {lt.id, be.id}
        assert notes.count_highlights(HighlightFilter(query="~Лукашенко")) == 2
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="-~lukashenko"))} == {oil.id}
        assert {r.highlight.id for r in notes.list_highlights(HighlightFilter(query="~lukoil"))} == {oil.id}
        assert notes.list_highlights(HighlightFilter(query="~kolesnikova")) == []
    finally:
        for h in (lt, be, oil):
            notes.delete_highlight(h.id)


def test_a_name_matched_in_a_translation(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    with lib.write() as conn:  # a cached translation that names him, of an article that does not
        conn.execute(
            "INSERT INTO article_translations (article_id, target_lang, engine, title, body, updated_at) "
            "VALUES (?, 'ru', 'test', 'Переговоры в Минске', 'Президент Лукашенку не встретил.', 'now')",
            [ids["minsk"]],
        )
    try:
        hits = {h.article.id: h.matched_in for h in lib.search("~lukashenko")}
        assert hits == {**{i: "original" for i in five(ids)}, ids["minsk"]: "translation"}
        flt = ListFilter(query="~Lukașenko")
        assert lib.translation_match_ids(flt, exclude=lib.list_ids(flt)) == [ids["minsk"]]
        assert lib.translation_match_ids(ListFilter(query="~lukoil")) == []
    finally:
        with lib.write() as conn:
            conn.execute("DELETE FROM article_translations WHERE article_id = ?", [ids["minsk"]])
    assert {h.article.id for h in lib.search("~lukashenko")} == five(ids)  # the cache saw the change


def test_new_articles_are_found_at_once_and_rollbacks_are_harmless(
    library: tuple[Library, dict[str, int]], tmp_path: Path
) -> None:
    lib, ids = library
    assert lib.count_articles(ListFilter(query="~lukashenko")) == 5
    with pytest.raises(RuntimeError), lib.write():
        assert lib.count_articles(ListFilter(query="~Лукашэнка")) == 5  # vocab tables made in a transaction...
        raise RuntimeError("rolled back")
    assert lib.count_articles(ListFilter(query="~lukashenko")) == 5  # ...and gone with it: made again
    path = tmp_path / "uk.txt"
    path.write_text("Лукашенку не вірять\n\nУ Києві не вірять Лукашенкові, кажуть опозиціонери.\n", encoding="utf-8")
    outcome = import_file(lib, path)
    assert outcome.article_id is not None
    try:
        assert lib.count_articles(ListFilter(query="~lukashenko")) == 6
        other = Library(lib.path)  # another connection's commit is seen too
        try:
            assert other.count_articles(ListFilter(query="~lukashenko")) == 6
            other.delete_articles([outcome.article_id])
        finally:
            other.close()
        assert lib.count_articles(ListFilter(query="~lukashenko")) == 5
    finally:
        if lib.count_articles(ListFilter(query="~lukashenko")) == 6:
            lib.delete_articles([outcome.article_id])


def test_highlighter_marks_every_spelling(library: tuple[Library, dict[str, int]]) -> None:
    lib, ids = library
    terms = parse("~lukashenko").terms
    body = lib.get_article(ids["lt"]).body
    marked = [body[s:e] for s, e in find_matches(body, terms)]
    assert marked == ["Lukašenka", "Lukašenkos"]
    assert "[Lukašenkos]" in snippet(body, terms, words=30)
    be = lib.get_article(ids["be"]).body
    assert [be[s:e] for s, e in find_matches(be, parse("~lukašenka").terms)] == ["Лукашэнка", "Лукашэнкі"]
    en = lib.get_article(ids["en"]).body
    assert [en[s:e] for s, e in find_matches(en, parse("~Лукашенко").terms)] == ["Lukashenko"] * 2
    oil = lib.get_article(ids["oil"]).body
    assert find_matches(oil, terms) == []
    # a name and a plain word together; negated names mark nothing
    both = find_matches(body, parse("~lukashenko režimas -~putin").terms)
    assert [body[s:e] for s, e in both] == ["Lukašenka", "Lukašenkos", "režimas"]


def test_parsing_the_tilde() -> None:
    assert parse("~lukashenko").terms == [Term("lukashenko", name=True)]
    assert parse("-~Lukașenko").terms == [Term("Lukașenko", negated=True, name=True)]
    assert parse("~Лукашенко*").terms == [Term("Лукашенко", name=True)]
    assert parse("~li").terms == [Term("li")]  # too short to be a name: a plain word
    assert parse("~li*").terms == [Term("li", prefix=True)]
    assert parse("~").terms == [] and parse("~~~").terms == []
    query = parse('~lukashenko lang:ro "state council"')
    assert [t.name for t in query.terms] == [True, False] and query.filters[0].value == "ro"
