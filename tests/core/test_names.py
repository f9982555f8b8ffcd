"""``~term`` name matching (reader.core.names) against a real FTS5 table with the app's tokenizer."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.names import MAX_PREFIXES, fts_expression, matches_name, name_key, name_prefixes

ARTICLES = {
    "en": "Belarus: Lukashenko's government rejected the talks. Lukashenko said on Monday that no"
          " election would be held.",
    "ro": "Președintele belarus Aleksandr Lukașenko a declarat că nu va pleca. Opoziția cere "
          "demisia lui Lukașenko.",
    "lt": "Baltarusijos vadovas Aliaksandras Lukašenka pareiškė, kad rinkimų nebus. Lukašenkos "
          "režimas sulaikė dar dešimt žmonių.",
    "ru": "Александр Лукашенко заявил, что не уйдёт. Оппозиция требует отставки Лукашенко.",
    "be": "Аляксандр Лукашэнка заявіў, што не сыдзе. Апазіцыя патрабуе ад Лукашэнкі адстаўкі.",
    "oil": "Lukoil reported higher profits; ЛУКОЙЛ shares rose. Lukoil's chief executive resigned.",
    "putin": "Putin met Zelensky's envoy. Путін і Пуцін: Putinas, Putinului, Путина.",
    "tikh": "Tsikhanouskaya, Tihanovskaia, Cichanouskaja, Тихановская and Ціханоўская spoke.",
    "zel": "Zelenskyy, Zelenskis, Зеленский, Зеленський and Зеленського were mentioned.",
    "green": "Зелёный чай и зелень. Green tea. Luka Modrić scored; Lukas read a book.",
}
FIVE = {"en", "ro", "lt", "ru", "be"}


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(key UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO fts(key, body) VALUES (?, ?)", ARTICLES.items())
    return conn


def found(db: sqlite3.Connection, term: str, *, post_filter: bool = True) -> set[str]:
    expr = fts_expression(term)
    assert expr is not None
    rows = db.execute("SELECT key, body FROM fts WHERE fts MATCH ?", ["body : " + expr]).fetchall()
    if not post_filter:
        return {key for key, _ in rows}
    return {key for key, body in rows if any(matches_name(term, w) for w in body.replace("'", " ").split())}


@pytest.mark.parametrize("term", ["lukashenko", "Lukașenko", "lukašenka", "Лукашенко", "Лукашэнка", "lukasenko"])
def test_every_spelling_finds_all_five_articles(db: sqlite3.Connection, term: str) -> None:
    assert found(db, term, post_filter=False) & FIVE == FIVE  # the MATCH alone
    assert found(db, term) == FIVE  # and the post-filter keeps exactly them


def test_lukoil_finds_none_of_them(db: sqlite3.Connection) -> None:
    assert found(db, "lukoil") & FIVE == set()
    assert "oil" in found(db, "lukoil")
    assert "oil" not in found(db, "lukashenko", post_filter=False)


@pytest.mark.parametrize("term", ["Putin", "Путін", "Пуцін", "putinas"])
def test_putin(db: sqlite3.Connection, term: str) -> None:
    assert found(db, term) == {"putin"}


@pytest.mark.parametrize("term", ["Tsikhanouskaya", "Tihanovskaia", "Cichanouskaja", "Тихановская", "Ціханоўская"])
def test_tsikhanouskaya(db: sqlite3.Connection, term: str) -> None:
    assert found(db, term) == {"tikh"}
    body = ARTICLES["tikh"].replace(",", " ").split()
    assert sum(matches_name(term, w) for w in body) == 5


@pytest.mark.parametrize("term", ["Zelensky", "Zelenskyy", "Zelenskis", "Зеленский", "Зеленський"])
def test_zelensky(db: sqlite3.Connection, term: str) -> None:
    assert found(db, term) == {"zel", "putin"}  # "Zelensky's envoy" too; not "зелёный"


@pytest.mark.parametrize("word", ["Lukashenko's", "Lukašenkos", "Лукашэнку", "Лукашенком", "Lukașenko", "Łukaszenka"])
def test_inflections_share_the_key(word: str) -> None:
    assert name_key(word.split("'")[0]) == name_key("lukashenko")
    assert matches_name("Lukashenko", word.split("'")[0])


def test_unrelated_words_do_not_match() -> None:
    for word in ["Lukoil", "Luka", "Lukas", "lukewarm", "Putinism", "зелёный", "зелень"]:
        assert not matches_name("lukashenko", word)
        assert not matches_name("putin", word)
        assert not matches_name("zelensky", word)


def test_short_names_do_not_explode() -> None:
    for term in ["Ion", "Li", "Ana", "a", ""]:
        assert name_prefixes(term) == [] or all(len(p) >= 4 for p in name_prefixes(term))
    for term in ["Tsikhanouskaya", "Shchekochikhin", "Zhirinovsky", "Yevtushenko", "Lukashenko", "Olena"]:
        prefixes = name_prefixes(term)
        assert 0 < len(prefixes) <= MAX_PREFIXES
        assert all(p == p.lower() and len(p) >= 4 for p in prefixes)


def test_more_names_and_their_near_misses() -> None:
    assert matches_name("Medvedev", "Медведева") and matches_name("Medvedev", "Medvedevs")
    assert not matches_name("Medvedev", "медведь")  # "bear" is not the name
    assert matches_name("Shevchenko", "Шевченко") and matches_name("Шевченко", "Ševčenko")
    assert matches_name("Navalny", "Навальный") and matches_name("Навальный", "Navalnas")
    assert matches_name("Putin", "Putinului") and not matches_name("Putin", "Putinism")


def test_fts_fold_is_the_tokenizers_folding(db: sqlite3.Connection) -> None:
    from reader.core.names import fts_fold

    words = "Lukașenko Lukašenkos ŁUKASZENKA Лукашэнку Ўсё Зеленський Їжак Ђорђе Đorđe Ţiriac Ševčenko".split()
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(b, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, row)")
    conn.execute("INSERT INTO f VALUES (?)", [" ".join(words)])
    assert sorted(r[0] for r in conn.execute("SELECT term FROM v")) == sorted(fts_fold(w) for w in words)


def test_vocabulary_terms_keep_only_the_name(db: sqlite3.Connection) -> None:
    from reader.core.names import terms_expression, vocabulary_terms

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(b, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, row)")
    conn.executemany("INSERT INTO f VALUES (?)", [[t] for t in ARTICLES.values()] + [["lukashenkoism lukasenkovici"]])

    def lookup(prefix: str) -> list[str]:
        return [r[0] for r in conn.execute("SELECT term FROM v WHERE term >= ? AND term < ? || char(1114111)",
                                           [prefix, prefix])]

    terms = vocabulary_terms("Лукашенко", lookup)
    assert set(terms) == {"lukashenko", "lukasenko", "lukasenka", "lukasenkos", "лукашенко", "лукашэнка", "лукашэнкі"}
    expr = terms_expression(terms)
    assert expr is not None
    assert len(conn.execute("SELECT rowid FROM f WHERE f MATCH ?", [expr]).fetchall()) == 5
    assert vocabulary_terms("lukoil", lookup) == ["lukoil", "лукойл"]
