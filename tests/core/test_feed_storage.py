"""The feeds table family on a real library file: migration 007, subscriptions with unread counts and
folders, entry keys that outlive their articles, unsubscribing, pruning, ``feed:`` and ``feed_id``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.errors import NotFoundError, QueryError, ValidationError
from reader.core.library_ops import Annotations
from reader.core.models import LanguageGuess, ListFilter, ParsedArticle
from reader.core.storage import Library
from reader.core.storage.migrations import KNOWN


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "library.db")
    yield lib
    lib.close()


def _article(library: Library, title: str, feed_id: int | None = None, url: str | None = None) -> int:
    outcome = library.add_article(ParsedArticle(title=title, paragraphs=(f"{title} text body.",), url=url),
                                  LanguageGuess("en", 0.99))
    assert outcome.article_id is not None
    if feed_id is not None:
        library.set_article_feed(outcome.article_id, feed_id)
    return outcome.article_id


def test_migration_007_makes_the_tables_and_links_articles_to_feeds(tmp_path: Path, library: Library) -> None:
    assert "m007_feeds" in KNOWN and library.applied_migrations() == KNOWN
    conn = sqlite3.connect(tmp_path / "library.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"feeds", "feed_entries"} <= tables
    fks = {(r[2], r[3], r[6]) for r in conn.execute("PRAGMA foreign_key_list(articles)")}
    assert ("feeds", "feed_id", "SET NULL") in fks
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(articles)")}
    assert {"idx_articles_feed", "idx_articles_url"} <= indexes
    conn.close()


def test_subscriptions_list_with_unread_counts_and_folders(library: Library) -> None:
    a = library.add_feed("http://127.0.0.1:9/a.xml", title="Zeta", folder=" News / World ")
    b = library.add_feed("http://127.0.0.1:9/b.xml", title="alpha", folder="News/World")
    c = library.add_feed("http://127.0.0.1:9/c.xml")
    assert a.folder == "News/World" and c.title == "http://127.0.0.1:9/c.xml" and not c.title_set
    first, second = _article(library, "One", a.id), _article(library, "Two", a.id)
    _article(library, "Three", b.id)
    library.set_flags(second, read=True)
    library.set_flags(first, archived=True)
    assert [(f.title, f.unread) for f in library.list_feeds()] == [
        ("http://127.0.0.1:9/c.xml", 0), ("alpha", 1), ("Zeta", 0)]
    assert library.feed_folders() == ["News/World"]
    assert library.get_feed(b.id).unread == 1
    with pytest.raises(NotFoundError):
        library.get_feed(999)
    with pytest.raises(ValidationError, match="already subscribed"):
        library.add_feed("http://127.0.0.1:9/a.xml")
    with pytest.raises(ValidationError):
        library.add_feed("http://127.0.0.1:9/d.xml", full_text="sometimes")


def test_entry_keys_outlive_their_articles(library: Library) -> None:
    feed = library.add_feed("http://127.0.0.1:9/a.xml")
    article_id = _article(library, "Kept key", feed.id, url="http://127.0.0.1:9/story")
    library.remember_entry(feed.id, "guid-1", link="http://127.0.0.1:9/story", fingerprint="f1", article_id=article_id)
    assert library.entry_state([feed.id]) == {feed.id: {"guid-1": ("f1", article_id)}}
    assert library.article_for_link("http://127.0.0.1:9/story") == article_id
    assert "http://127.0.0.1:9/story" in library.known_links()
    library.delete_articles([article_id])
    assert library.entry_state([feed.id]) == {feed.id: {"guid-1": ("f1", None)}}
    assert library.article_for_link("http://127.0.0.1:9/story") is None


def test_unsubscribing_keeps_or_deletes_articles_never_starred_or_annotated(library: Library) -> None:
    feed = library.add_feed("http://127.0.0.1:9/a.xml")
    plain, starred, noted = (_article(library, t, feed.id) for t in ("Plain", "Starred", "Noted"))
    library.set_flags(starred, starred=True)
    Annotations(library).add_highlight(noted, 0, 5)
    assert library.delete_feed(feed.id, delete_articles=True) == (1, 2)
    assert not library.exists(plain) and library.get_article(starred).feed_id is None
    other = library.add_feed("http://127.0.0.1:9/b.xml")
    kept = _article(library, "Kept", other.id)
    assert library.delete_feed(other.id) == (0, 1) and library.get_article(kept).feed_id is None
    with pytest.raises(NotFoundError):
        library.delete_feed(other.id)


def test_prune_and_mark_read(library: Library) -> None:
    feed = library.add_feed("http://127.0.0.1:9/a.xml")
    old, old_note, new = (_article(library, t, feed.id) for t in ("Old", "Old with note", "New"))
    library.set_note(old_note, "mine")
    with library.write() as conn:
        conn.execute("UPDATE articles SET added_at = '2020-01-01T00:00:00Z' WHERE id IN (?, ?)", (old, old_note))
    assert library.prune_feed(feed.id, "2021-01-01T00:00:00Z") == [old]
    assert library.mark_feed_read(feed.id) == [old_note, new]
    assert library.get_feed(feed.id).unread == 0


def test_feed_filter_by_id_or_name_and_in_json(library: Library) -> None:
    a = library.add_feed("http://127.0.0.1:9/a.xml", title="100% Daily_News")
    b = library.add_feed("http://127.0.0.1:9/b.xml", title="Other")
    in_a, in_b = _article(library, "In A", a.id), _article(library, "In B", b.id)
    loose = _article(library, "From a file")
    ids = lambda q: [s.id for s in library.list_articles(ListFilter(query=q))]  # noqa: E731
    assert ids(f"feed:{a.id}") == [in_a]
    assert ids('feed:"100% daily_"') == [in_a] and ids("feed:1_0") == [] and ids("feed:%25") == []  # LIKE characters are literal
    assert ids(f"-feed:{a.id}") == [loose, in_b] and ids("-feed:other") == [loose, in_a]
    assert [s.id for s in library.list_articles(ListFilter(feed_id=b.id))] == [in_b]
    assert library.count_articles(ListFilter(query="feed:other")) == 1
    assert [h.article.id for h in library.search("body feed:other")] == [in_b]
    summary = library.get_summaries([in_a])[in_a]
    assert summary.to_json()["feed_id"] == a.id and library.get_article(loose).to_json()["feed_id"] is None
    with pytest.raises(QueryError):
        library.list_articles(ListFilter(query="feed:"))


def test_undoing_a_delete_after_the_feed_was_removed_keeps_the_article(library: Library) -> None:
    feed = library.add_feed("http://127.0.0.1:9/a.xml")
    article_id = _article(library, "Undo me", feed.id)
    snapshots = library.delete_articles([article_id])
    library.delete_feed(feed.id)
    library.restore_articles(snapshots)
    assert library.get_article(article_id).feed_id is None
    other = library.add_feed("http://127.0.0.1:9/b.xml")
    again = _article(library, "Undo me too", other.id)
    library.restore_articles(library.delete_articles([again]))
    assert library.get_article(again).feed_id == other.id
