"""The library store: schema, migrations, FTS with diacritic folding, tags, flags, undo, bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.errors import (
    LibraryFileError,
    NewerSchemaError,
    NotFoundError,
    QueryError,
    ValidationError,
)
from reader.core.models import LanguageGuess, ListFilter, ParsedArticle
from reader.core.storage import Library
from reader.core.storage.migrations import KNOWN

RO = ParsedArticle(
    title="Lukaşenko la Moscova",
    paragraphs=("Preşedintele belarus Aleksandr Lukaşenko a vorbit la Kremlin.", "Putin a răspuns."),
    published="2026-02-26",
    source="Agerpres",
    tags=("region/belarus",),
)
RO_COMMA = ParsedArticle(
    title="Lukașenko și Trump",
    paragraphs=("Președintele Aleksandr Lukașenko vrea un acord cu SUA.",),
    published="2025-12-18",
)
EN = ParsedArticle(
    title="Union State council",
    paragraphs=("Belarusian President Aleksandr Lukashenko spoke in Moscow.", "Security guarantees."),
    published=None,
    source="BelTA",
)


@pytest.fixture
def lib(db_path: Path) -> Library:
    library = Library(db_path)
    library.add_article(RO, LanguageGuess("ro", 0.99))
    library.add_article(RO_COMMA, LanguageGuess("ro", 0.98))
    library.add_article(EN, LanguageGuess("en", 0.97))
    yield library
    library.close()


def test_new_library_has_schema_wal_and_our_application_id(db_path: Path) -> None:
    with Library(db_path) as library:
        mode = library.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert library.conn.execute("PRAGMA user_version").fetchone()[0] == len(KNOWN)
        tables = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "tags", "article_tags", "articles_fts", "translations", "highlights"} <= tables


def test_duplicate_content_is_reported_and_changes_nothing(lib: Library) -> None:
    before = lib.article_count()
    again = lib.add_article(RO, LanguageGuess("ro", 0.5))
    assert again.status == "duplicate"
    assert again.line() == "duplicate of #1"
    assert lib.article_count() == before
    # whitespace-only differences are the same content
    spaced = ParsedArticle(RO.title, tuple("  " + p.replace(" ", "  ") for p in RO.paragraphs))
    assert lib.add_article(spaced, LanguageGuess("ro", 0.5)).status == "duplicate"


@pytest.mark.parametrize("query", ["lukasenko*", "lukașenko", "lukaşenko", "LUKASENKO", "lukasenko"])
def test_search_folds_romanian_diacritics(lib: Library, query: str) -> None:
    ids = {h.article.id for h in lib.search(query)}
    assert ids == {1, 2}


@pytest.mark.parametrize("query", ['"', "AND", "", "*", "OR NOT", "e-mail", "((", "a:b", '"unclosed', "-", "NEAR(", "^"])
def test_any_search_input_returns_cleanly(lib: Library, query: str) -> None:
    assert isinstance(lib.search(query), list)


def test_search_phrase_prefix_and_exclusion(lib: Library) -> None:
    assert {h.article.id for h in lib.search('"aleksandr lukasenko"')} == {1, 2}
    assert {h.article.id for h in lib.search("lukasenko -putin")} == {2}
    assert {h.article.id for h in lib.search("securit*")} == {3}
    hit = lib.search("kremlin")[0]
    assert "[Kremlin]" in hit.snippet and hit.matched_in == "original"


def test_search_filters_combine_with_words(lib: Library) -> None:
    assert {h.article.id for h in lib.search("lukasenko tag:region")} == {1}
    assert {h.article.id for h in lib.search("lang:en")} == {3}
    assert {h.article.id for h in lib.search("aleksandr -lang:ro")} == {3}
    with pytest.raises(QueryError):
        lib.search("is:nonsense")


def test_search_covers_cached_translations(lib: Library) -> None:
    with lib.write() as conn:
        conn.execute(
            "INSERT INTO article_translations (article_id, target_lang, engine, title, body, updated_at) "
            "VALUES (2, 'en', 'test', 'Lukashenko and Trump', 'The president wants a deal with the USA.', 'now')"
        )
    hits = lib.search("deal usa")
    assert [(h.article.id, h.matched_in) for h in hits] == [(2, "translation")]
    assert {h.article.id for h in lib.search("has:translation")} == {2}
    assert lib.translation_match_ids(ListFilter(query="deal")) == [2]
    assert lib.translation_match_ids(ListFilter(query="deal"), exclude=[2]) == []
    assert lib.translation_match_ids(ListFilter(query="deal lang:en")) == []
    assert lib.translation_match_ids(ListFilter(query="lang:ro")) == []  # no free text: nothing to match


def test_fts_stays_in_sync_on_update_and_delete(lib: Library) -> None:
    lib.update_article(3, title="Minsk summit")
    assert {h.article.id for h in lib.search("minsk")} == {3}
    assert lib.search("union") == []
    lib.delete_articles([3])
    assert lib.search("minsk") == []
    assert lib.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')") is not None


def test_list_sorting_and_filters(lib: Library) -> None:
    by_date = [a.id for a in lib.list_articles(ListFilter(sort="date"))]
    assert by_date == [1, 2, 3]  # newest first, undated last
    by_title = [a.title for a in lib.list_articles(ListFilter(sort="title", descending=False))]
    assert by_title == sorted(by_title, key=str.casefold)
    lib.set_flags(1, read=True)
    lib.set_flags([2], starred=True)
    lib.set_flags(3, archived=True)
    assert [a.id for a in lib.list_articles(ListFilter(unread=True))] == [2]
    assert [a.id for a in lib.list_articles(ListFilter(starred=True))] == [2]
    assert [a.id for a in lib.list_articles(ListFilter(archived=True))] == [3]
    assert 3 not in [a.id for a in lib.list_articles()]
    assert lib.view_counts() == {"all": 2, "unread": 1, "starred": 1, "archive": 1}
    assert lib.count_articles(ListFilter(query="lukasenko")) == 2
    with pytest.raises(ValidationError):
        lib.list_articles(ListFilter(sort="nonsense"))


def test_nested_tags_filter_rename_merge(lib: Library) -> None:
    lib.add_tags([2, 3], ["region/russia", "Topic/Security"])
    assert {a.id for a in lib.list_articles(ListFilter(tag="region"))} == {1, 2, 3}
    assert {a.id for a in lib.list_articles(ListFilter(tag="region/belarus"))} == {1}
    assert {a.id for a in lib.list_articles(ListFilter(tag="topic/security"))} == {2, 3}  # case-insensitive
    lib.rename_tag("region", "place")
    assert {t.name for t in lib.list_tags()} == {"place/belarus", "place/russia", "Topic/Security"}
    lib.merge_tags(["place/russia"], "place/belarus")
    assert {t.name: t.count for t in lib.list_tags()}["place/belarus"] == 3
    lib.remove_tags(1, ["place/belarus"])
    assert lib.get_article(1).tags == ()
    with pytest.raises(ValidationError):
        lib.add_tags(1, [" / "])


def test_language_override_survives_redetection(lib: Library) -> None:
    lib.update_article(3, lang="ro")
    assert not lib.set_detected_language(3, LanguageGuess("en", 0.9))
    art = lib.get_article(3)
    assert (art.lang, art.lang_overridden) == ("ro", True)
    assert lib.set_detected_language(1, LanguageGuess("it", 0.4))
    assert lib.get_article(1).lang == "it"


def test_delete_and_undo_restores_exactly(lib: Library) -> None:
    lib.add_tags(1, ["to-read"])
    before = lib.get_article(1)
    snaps = lib.delete_articles([1])
    with pytest.raises(NotFoundError):
        lib.get_article(1)
    lib.restore_articles(snaps)
    assert lib.get_article(1) == before
    assert {h.article.id for h in lib.search("kremlin")} == {1}


def test_failed_write_leaves_nothing_half_written(lib: Library) -> None:
    count = lib.article_count()
    with pytest.raises(RuntimeError), lib.write() as conn:
        conn.execute(
            "INSERT INTO articles (title, body, content_hash, added_at, updated_at) VALUES ('x','y','h','t','t')"
        )
        raise RuntimeError("boom")
    assert lib.article_count() == count
    assert lib.search("x") == []


def test_validation_errors(lib: Library) -> None:
    with pytest.raises(ValidationError):
        lib.update_article(1, title="  ")
    with pytest.raises(QueryError):
        lib.update_article(1, published="26/02/2026")
    with pytest.raises(ValidationError):
        lib.update_article(1, lang="ro; DROP TABLE")
    with pytest.raises(NotFoundError):
        lib.update_article(99, title="x")


def test_not_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "random.db"
    data = bytes(range(256)) * 40
    bad.write_bytes(data)
    with pytest.raises(LibraryFileError, match="not a Polyglot Reader library"):
        Library(bad)
    assert bad.read_bytes() == data


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    data = other.read_bytes()
    with pytest.raises(LibraryFileError, match="another program"):
        Library(other)
    assert other.read_bytes() == data


def test_truncated_library_is_reported(db_path: Path) -> None:
    with Library(db_path) as library:
        for i in range(30):
            library.add_article(ParsedArticle(f"t{i}", (f"body {i} " * 200,)), LanguageGuess("en", 1))
        library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 3])
    with pytest.raises(LibraryFileError):
        lib = Library(db_path)
        lib.list_articles()
        lib.search("body")
        assert lib.integrity_ok()


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    Library(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('polyglot-reader', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    data = db_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer"):
        Library(db_path)
    assert db_path.read_bytes() == data


def test_older_schema_is_upgraded_after_backup(db_path: Path) -> None:
    from sqlite_utils import Database

    from reader.core.storage.connection import APPLICATION_ID
    from reader.core.storage.migrations import migrations

    db = Database(db_path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db, stop_before="m002_translations")
    db.execute("INSERT INTO articles (title, body, content_hash, added_at, updated_at) VALUES ('a','b','h','t','t')")
    db.conn.commit()
    db.close()
    with Library(db_path) as library:
        assert library.get_article(1).title == "a"
        assert library.conn.execute("SELECT count(*) FROM highlights").fetchone()[0] == 0
    backup = db_path.with_name(db_path.name + ".backup-v1")
    assert backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT title FROM articles").fetchone()[0] == "a"


def test_settings_round_trip(lib: Library) -> None:
    lib.set_setting("ui", {"a": [1, "ș"]})
    assert lib.get_setting("ui") == {"a": [1, "ș"]}
    assert lib.get_setting("missing", 5) == 5
