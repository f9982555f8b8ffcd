"""The import pipeline: folders, order, duplicates, bad files, storage errors, cancel, workers."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.core.errors import LibraryFileError
from reader.core.importing import (
    IN_PROCESS_MAX_FILES,
    import_file,
    import_paths,
    iter_import_files,
    prepare,
)
from reader.core.language import detect_language
from reader.core.models import ImportOutcome
from reader.core.storage import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "library.db")
    yield lib
    lib.close()


def test_seeds_import_then_duplicates(library: Library) -> None:
    outcomes = import_paths(library, [SEEDS])
    assert [o.status for o in outcomes] == ["imported"] * 5
    assert [o.lang for o in outcomes] == ["ro", "ro", "lt", "en", "ro"]
    articles = [library.get_article(o.article_id) for o in outcomes if o.article_id]
    assert [a.published for a in articles] == ["2026-02-26", "2025-12-18", None, None, None]
    for art in articles:
        assert not art.title.lower().startswith("date ")
        assert "nuotr" not in art.title and "IMAGO" not in art.title
        assert not art.paragraphs[0].endswith("nuotr")
        assert 0.9 < art.lang_confidence <= 1.0 and not art.lang_overridden
    last = articles[4]
    assert last.paragraphs[-1].endswith("citat de AFP.")
    assert "Acestea sunt" in last.body and "Articol recomandat" not in last.body
    again = import_paths(library, [SEEDS])
    assert [o.status for o in again] == ["duplicate"] * 5
    assert [o.article_id for o in again] == [o.article_id for o in outcomes]
    assert [o.line() for o in again] == [f"duplicate of #{o.article_id}" for o in outcomes]
    assert library.article_count() == 5


def test_iter_import_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.md").write_text("x")
    (tmp_path / "b" / "a.HTML").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".secret.txt").write_text("x")
    (tmp_path / ".hidden" / "c.txt").write_text("x")
    (tmp_path / "notes.pdf").write_text("x")
    explicit = tmp_path / "notes.pdf"
    found = list(iter_import_files([tmp_path, explicit]))
    assert found == [tmp_path / "a.txt", tmp_path / "b" / "a.HTML", tmp_path / "b" / "z.md", explicit]


def test_batch_with_bad_files_imports_the_others(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("003_*.txt")), folder / "a_good.txt")
    (folder / "b_binary.txt").write_bytes(b"\x7fELF" + bytes(range(256)) * 8)
    (folder / "c_empty.txt").write_bytes(b"")
    ro = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    (folder / "d_cp1250.txt").write_bytes(ro.encode("cp1250"))
    lt = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    (folder / "e_utf16.txt").write_bytes(b"\xff\xfe" + lt.encode("utf-16-le"))
    (folder / "f_cut.html").write_bytes(
        b"<html lang='en'><head><title>Cut page</title></head><body><article><p>"
        + b"The page was saved while it was still loading, so it ends in the middle of a "
        + b"sentence about the summit between the two leaders and"
    )
    with (folder / "g_huge.txt").open("wb") as fh:
        fh.seek(20 * 1024 * 1024)
        fh.write(b"x")
    seen: list[ImportOutcome] = []
    progress: list[tuple[int, int]] = []
    outcomes = import_paths(library, [folder], on_outcome=seen.append, on_progress=lambda d, t: progress.append((d, t)))
    assert seen == outcomes
    assert [Path(o.path).name for o in outcomes] == sorted(p.name for p in folder.iterdir())
    status = {Path(o.path).name: o for o in outcomes}
    assert status["a_good.txt"].status == "imported" and status["a_good.txt"].lang == "en"
    assert status["b_binary.txt"].line().startswith("skipped: binary file")
    assert status["c_empty.txt"].line() == "skipped: empty file"
    assert status["d_cp1250.txt"].status == "imported" and status["d_cp1250.txt"].lang == "ro"
    assert status["e_utf16.txt"].status == "imported" and status["e_utf16.txt"].lang == "lt"
    assert status["f_cut.html"].status == "imported" and status["f_cut.html"].title == "Cut page"
    assert status["g_huge.txt"].reason is not None and "too large" in status["g_huge.txt"].reason
    assert library.article_count() == 4
    assert progress[0] == (0, 7) and progress[-1] == (7, 7)
    cp = library.get_article(status["d_cp1250.txt"].article_id or 0)
    assert cp.published == "2026-02-26" and "Lukaşenko" in cp.body


def test_missing_and_folder_named_explicitly(library: Library, tmp_path: Path) -> None:
    (tmp_path / "dir.txt").mkdir()
    outcomes = import_paths(library, [tmp_path / "missing.txt"])
    assert outcomes[0].line() == "skipped: file not found"
    assert list(iter_import_files([tmp_path / "dir.txt"])) == []  # a folder is walked, even if named .txt
    assert import_file(library, tmp_path / "dir.txt").line() == "skipped: not a regular file"


def test_storage_error_skips_one_file_and_the_rest_import(library: Library, tmp_path: Path) -> None:
    small = tmp_path / "a_small.txt"
    small.write_text("A small headline\n\nA short article body that fits anywhere.\n", encoding="utf-8")
    big = tmp_path / "b_big.txt"
    big.write_text("Big headline\n\n" + "\n\n".join(f"Paragraph {i} " + "lorem ipsum " * 80 for i in range(800)))
    after = tmp_path / "c_after.txt"
    after.write_text("Another headline\n\nAnother short body of text, still small.\n", encoding="utf-8")
    pages = library.conn.execute("PRAGMA page_count").fetchone()[0]
    library.conn.execute(f"PRAGMA max_page_count = {pages + 40}")  # ~160 KB more: the big one cannot fit
    outcomes = import_paths(library, [small, big, after], workers=1)
    assert [o.status for o in outcomes] == ["imported", "skipped", "imported"]
    assert "full" in (outcomes[1].reason or "")
    assert library.article_count() == 2
    assert library.integrity_ok()


def test_damaged_library_aborts(library: Library, tmp_path: Path) -> None:
    files = []
    for i in range(3):
        path = tmp_path / f"f{i}.txt"
        path.write_text(f"Headline {i}\n\nBody number {i} of the article, long enough to be text.\n")
        files.append(path)

    def wreck(outcome: ImportOutcome) -> None:
        # Another program damages the schema while the import runs: a real "malformed" library.
        other = sqlite3.connect(library.path, isolation_level=None)
        version = other.execute("PRAGMA schema_version").fetchone()[0]
        other.execute("PRAGMA writable_schema = ON")
        other.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE articles(' WHERE name = 'articles'")
        other.execute(f"PRAGMA schema_version = {version + 1}")
        other.close()

    seen: list[ImportOutcome] = []
    with pytest.raises(LibraryFileError):
        import_paths(library, files, on_outcome=lambda o: (seen.append(o), wreck(o)), workers=1)
    assert [o.status for o in seen] == ["imported"]  # stopped at the next file, not skipped on


def test_cancel_keeps_what_was_stored(library: Library, tmp_path: Path) -> None:
    files = []
    for i in range(6):
        path = tmp_path / f"f{i}.txt"
        path.write_text(f"Headline {i}\n\nBody number {i} of the article, long enough to be text.\n")
        files.append(path)
    outcomes = import_paths(library, files, cancel=lambda: library.article_count() >= 2, workers=1)
    assert len(outcomes) == 2 and library.article_count() == 2


def test_worker_processes_keep_input_order(library: Library, tmp_path: Path) -> None:
    count = IN_PROCESS_MAX_FILES + 12
    languages = ["ro", "lt", "en"]
    texts = {lang: next(SEEDS.glob(f"{p}_*.txt")).read_text(encoding="utf-8") for lang, p in zip(languages, ["004", "002", "003"], strict=True)}
    for i in range(count):
        lang = languages[i % 3]
        (tmp_path / f"{i:03d}.txt").write_text(f"Headline {i}\n\n{texts[lang]}\n\nUnique {i}.", encoding="utf-8")
    (tmp_path / "zzz.txt").write_bytes(b"")
    outcomes = import_paths(library, [tmp_path], workers=2)
    assert len(outcomes) == count + 1
    assert [Path(o.path).name for o in outcomes] == [f"{i:03d}.txt" for i in range(count)] + ["zzz.txt"]
    assert [o.lang for o in outcomes[:count]] == [languages[i % 3] for i in range(count)]
    assert outcomes[-1].line() == "skipped: empty file"
    assert library.article_count() == count


def test_worker_pool_cancel(library: Library, tmp_path: Path) -> None:
    for i in range(IN_PROCESS_MAX_FILES + 30):
        (tmp_path / f"{i:03d}.txt").write_text(f"Headline {i}\n\nBody text number {i}, which is unique.\n")
    outcomes = import_paths(library, [tmp_path], workers=2, cancel=lambda: library.article_count() >= 5)
    assert len(outcomes) == 5 and library.article_count() == 5


def test_prepare_is_picklable_and_declared_language_wins(tmp_path: Path) -> None:
    path = tmp_path / "declared.md"
    body = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8").split("\n", 2)[2]
    path.write_text(f"---\ntitle: Declared\nlanguage: lt\n---\n{body}", encoding="utf-8")
    prepared = prepare(path)
    assert prepared.ok and prepared.guess is not None
    assert prepared.guess.lang == "lt" and prepared.guess.confidence == 1.0
    assert pickle.loads(pickle.dumps(prepared)) == prepared
    skipped = prepare(tmp_path / "nothing.txt")
    assert not skipped.ok and skipped.reason == "file not found"
    assert pickle.loads(pickle.dumps(skipped)) == skipped


def test_override_survives_redetection(library: Library) -> None:
    outcome = import_file(library, next(SEEDS.glob("003_*.txt")))
    article_id = outcome.article_id or 0
    library.update_article(article_id, lang="ro")
    redetected = detect_language(library.get_article(article_id).body)
    assert redetected.lang == "en"
    assert library.set_detected_language(article_id, redetected) is False
    art = library.get_article(article_id)
    assert art.lang == "ro" and art.lang_overridden and art.lang_confidence == 1.0
