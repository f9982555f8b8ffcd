"""Editing an article's text re-anchors its highlights in one transaction; opening one never writes;
an existing library keeps its recorded migration names (so it is never migrated again)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.errors import QueryError, ValidationError
from reader.core.library_ops import Annotations, article_annotations, edit_article
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library
from reader.core.storage.migrations import KNOWN, MIGRATION_SET, MIGRATIONS_TABLE

BODY = "Primul paragraf despre Minsk.\n\nAl doilea paragraf: acordul privind garanţii de securitate."


@pytest.fixture
def lib(tmp_path: Path):
    with Library(tmp_path / "library.db") as library:
        yield library


def _add(lib: Library) -> int:
    out = lib.add_article(ParsedArticle("Titlu", tuple(BODY.split("\n\n"))), LanguageGuess("ro", 0.9))
    assert out.article_id is not None
    return out.article_id


def test_migration_names_are_the_ones_existing_libraries_recorded() -> None:
    # These strings are stored in every library's _sqlite_migrations table: renaming one would
    # re-apply (and fail) a migration on every existing library. The files are named by order.
    # m007 reached libraries before m006 (its name was reserved for rich articles), so m006 is
    # applied last: the list only ever grows at its end, and a backup's schema is a prefix of it.
    assert KNOWN == ["m001_core", "m002_translations", "m003_annotations", "m004_annotation_indexes",
                     "m005_article_row_index", "m007_feeds", "m006_rich_articles"]
    folder = Path(__file__).resolve().parents[2] / "reader" / "core" / "storage" / "migrations"
    assert sorted(p.stem for p in folder.glob("m[0-9][0-9][0-9]_*.py")) == sorted(KNOWN)


def test_an_up_to_date_library_opens_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT name, applied_at FROM {MIGRATIONS_TABLE} WHERE migration_set = ?",
                        (MIGRATION_SET,)).fetchall()
    conn.close()
    with Library(path) as again:
        assert again.applied_migrations() == KNOWN
    conn = sqlite3.connect(path)
    assert sorted(conn.execute(f"SELECT name, applied_at FROM {MIGRATIONS_TABLE}").fetchall()) == sorted(rows)
    conn.close()
    assert not list(tmp_path.glob("*.backup-v*"))


def test_edit_article_text_reanchors_in_the_same_transaction(lib: Library) -> None:
    aid = _add(lib)
    notes = Annotations(lib)
    keep, _ = notes.add_highlight_by_quote(aid, "despre Minsk")
    gone, _ = notes.add_highlight_by_quote(aid, "acordul privind garanţii")
    statements: list[str] = []
    lib.conn.set_trace_callback(statements.append)
    article = edit_article(lib, aid, title="Titlu nou", body="Un paragraf nou.\n\nPrimul paragraf despre Minsk.")
    lib.conn.set_trace_callback(None)
    assert article.title == "Titlu nou" and article.body.startswith("Un paragraf nou.")
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]  # one transaction
    assert sum(s == "COMMIT" for s in statements) == 1
    moved = notes.get_highlight(keep.id)
    assert article.body[moved.start : moved.end] == "despre Minsk" and not moved.orphaned
    assert notes.get_highlight(gone.id).orphaned  # kept, never dropped


def test_a_failed_edit_changes_nothing(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    aid = _add(lib)
    h, _ = Annotations(lib).add_highlight_by_quote(aid, "despre Minsk")
    with pytest.raises((ValidationError, QueryError)):
        edit_article(lib, aid, body="Alt text cu totul.", published="not a date")
    assert lib.get_article(aid).body == BODY

    def broken(self: Annotations, article_id: int) -> None:
        raise RuntimeError("re-anchoring failed")

    monkeypatch.setattr(Annotations, "reanchor", broken)  # fails after the new text was written
    with pytest.raises(RuntimeError):
        edit_article(lib, aid, title="Alt titlu", body="Alt text cu totul.")
    article = lib.get_article(aid)
    assert (article.title, article.body) == ("Titlu", BODY)
    assert Annotations(lib).get_highlight(h.id) == h


def test_metadata_edit_alone_does_not_touch_highlights(lib: Library) -> None:
    aid = _add(lib)
    h, _ = Annotations(lib).add_highlight_by_quote(aid, "despre Minsk")
    edit_article(lib, aid, source="Agerpres")
    assert lib.get_article(aid).source == "Agerpres"
    assert Annotations(lib).get_highlight(h.id) == h


def test_opening_an_article_never_writes(lib: Library) -> None:
    aid = _add(lib)
    notes = Annotations(lib)
    h, _ = notes.add_highlight_by_quote(aid, "despre Minsk")
    notes.set_note(aid, "o notă")
    lib.set_body(aid, "Text schimbat pe dinafară.\n\n" + BODY)  # e.g. another program
    statements: list[str] = []
    changes = lib.conn.total_changes
    lib.conn.set_trace_callback(statements.append)
    shown = article_annotations(lib, aid)
    lib.conn.set_trace_callback(None)
    assert shown.article_id == aid and [x.id for x in shown.highlights] == [h.id] and shown.note == "o notă"
    assert lib.conn.total_changes == changes
    assert not [s for s in statements if s.split()[0].upper() in {"BEGIN", "INSERT", "UPDATE", "DELETE", "SAVEPOINT"}]
