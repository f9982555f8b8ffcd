"""Contention: the GUI's kind of writer and ``reader-cli`` subprocesses writing one library at once.

For 60 s a "GUI writer" thread (its own :class:`Library`, doing what the window's write lane does:
tags, star/read, highlights, notes, single-file imports), a GUI reader thread (list, counts, search)
and two loops of ``reader-cli`` subprocesses (tag, star, read, highlight, import; one of them also runs
a multi-file import) share one library file. No "database is locked" may reach a user (no
StorageError in the threads, every CLI run exits 0 with nothing about a lock on stderr), and every
write that reported success must be in the database at the end: each write carries a unique tag,
note or file, so it is counted and checked one by one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reader.core.errors import ReaderError
from reader.core.importing import import_file, import_paths
from reader.core.library_ops import Annotations
from reader.core.models import ListFilter
from reader.core.storage import Library

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from benchmarks.synthetic import Generator  # noqa: E402

DURATION = float(os.environ.get("READER_CONTENTION_SECONDS", "60"))
N_BASE = 120


@dataclass
class Ledger:
    """Successful writes of one side, each individually checkable afterwards."""

    tags: list[tuple[int, str]] = field(default_factory=list)
    starred: set[int] = field(default_factory=set)
    read: set[int] = field(default_factory=set)
    highlights: list[tuple[int, str]] = field(default_factory=list)  # (article, unique note)
    notes: dict[int, str] = field(default_factory=dict)
    imports: list[str] = field(default_factory=list)  # file names
    errors: list[str] = field(default_factory=list)
    reads: int = 0

    @property
    def writes(self) -> int:
        return (len(self.tags) + len(self.starred) + len(self.read) + len(self.highlights)
                + len(self.notes) + len(self.imports))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _write_article(gen: Generator, i: int, folder: Path) -> tuple[Path, str]:
    """A synthetic article file; returns it and its file name (stored with the article)."""
    art = gen.article(i, size=600)
    path = folder / f"a{i:06d}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{art['title']}\n\n" + "\n\n".join(art["paragraphs"]) + "\n",  # type: ignore[arg-type]
                    encoding="utf-8")
    return path, path.name


def _quote(body: str, k: int) -> str:
    words = body.split()
    start = (k * 7) % max(1, len(words) - 6)
    return " ".join(words[start : start + 5])


@pytest.mark.slow
def test_gui_writer_and_cli_share_the_library_without_locks_or_lost_writes(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    gen = Generator(seed=99)
    base = tmp_path / "base"
    for i in range(N_BASE):
        _write_article(gen, i, base)
    with Library(db) as lib:
        outcomes = import_paths(lib, [base], workers=1)
        assert sum(o.status == "imported" for o in outcomes) == N_BASE
        bodies = {a: lib.get_article(a).body for a in lib.list_ids()}
    ids = sorted(bodies)
    bulk = tmp_path / "bulk"  # a folder the CLI imports in one long run, meanwhile
    bulk_names = [_write_article(gen, 100_000 + i, bulk)[1] for i in range(400)]

    stop = threading.Event()
    gui, cli_a, cli_b, reader = Ledger(), Ledger(), Ledger(), Ledger()
    env = _env()

    def gui_writer() -> None:
        lib = Library(db)
        notes = Annotations(lib)
        k = 0
        try:
            while not stop.is_set():
                art = ids[k % len(ids)]
                step = k % 6
                try:
                    if step == 0:
                        lib.add_tags(art, [f"gui/t{k}"])
                        gui.tags.append((art, f"gui/t{k}"))
                    elif step == 1:
                        lib.set_flags(art, starred=True)
                        gui.starred.add(art)
                    elif step == 2:
                        notes.add_highlight_by_quote(art, _quote(bodies[art], k), note=f"gui-h{k}")
                        gui.highlights.append((art, f"gui-h{k}"))
                    elif step == 3:
                        notes.set_note(art, f"gui note {k}")
                        gui.notes[art] = f"gui note {k}"
                    elif step == 4:
                        path, title = _write_article(gen, 200_000 + k, tmp_path / "gui_in")
                        outcome = import_file(lib, path)
                        if outcome.status != "imported":
                            gui.errors.append(f"import {path}: {outcome.status} {outcome.reason}")
                        else:
                            gui.imports.append(title)
                    else:
                        lib.set_flags(ids[(k * 5) % len(ids)], read=True)
                        gui.read.add(ids[(k * 5) % len(ids)])
                except ReaderError as exc:
                    gui.errors.append(f"{type(exc).__name__}: {exc}")
                k += 1
                time.sleep(0.02)  # a busy user: ~40 writes a second
        finally:
            lib.close()

    def gui_reader() -> None:
        lib = Library(db)
        k = 0
        try:
            while not stop.is_set():
                try:
                    lib.list_ids(ListFilter())
                    lib.view_counts()
                    lib.list_tags()
                    lib.search(_quote(bodies[ids[k % len(ids)]], k).split()[0], limit=20)
                    reader.reads += 1
                except ReaderError as exc:
                    reader.errors.append(f"{type(exc).__name__}: {exc}")
                k += 1
        finally:
            lib.close()

    def run_cli(ledger: Ledger, *argv: str) -> subprocess.CompletedProcess[str] | None:
        res = subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(db), *argv],
                             capture_output=True, text=True, env=env, timeout=120)
        low = res.stderr.lower()
        if res.returncode != 0 or "locked" in low or "busy" in low or "traceback" in low:
            ledger.errors.append(f"{argv[0]} exit {res.returncode}: {res.stderr.strip()[-300:]}")
            return None
        return res

    def cli_loop(ledger: Ledger, name: str, offset: int, bulk_import: bool) -> None:
        k = 0
        bulk_proc = None
        if bulk_import:
            bulk_proc = subprocess.Popen(
                [sys.executable, "-m", "reader.cli", "--db", str(db), "import", "--workers", "1", str(bulk)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        while not stop.is_set():
            art = ids[(k * 3 + offset) % len(ids)]
            step = k % 5
            if step == 0 and run_cli(ledger, "tag", str(art), f"{name}/t{k}"):
                ledger.tags.append((art, f"{name}/t{k}"))
            elif step == 1 and run_cli(ledger, "star", str(art)):
                ledger.starred.add(art)
            elif step == 2 and run_cli(ledger, "highlight", str(art), "--quote", _quote(bodies[art], k + 3),
                                       "--note", f"{name}-h{k}"):
                ledger.highlights.append((art, f"{name}-h{k}"))
            elif step == 3 and run_cli(ledger, "read", str(ids[(k * 11 + offset) % len(ids)])):
                ledger.read.add(ids[(k * 11 + offset) % len(ids)])
            elif step == 4:
                path, title = _write_article(gen, 300_000 + offset * 10_000 + k, tmp_path / f"{name}_in")
                res = run_cli(ledger, "import", str(path))
                if res is not None and ": imported #" in res.stdout:
                    ledger.imports.append(title)
                elif res is not None:
                    ledger.errors.append(f"import: {res.stdout.strip()}")
            k += 1
        if bulk_proc is not None:
            out, err = bulk_proc.communicate(timeout=300)
            if bulk_proc.returncode != 0 or "locked" in err.lower() or "busy" in err.lower():
                ledger.errors.append(f"bulk import exit {bulk_proc.returncode}: {err.strip()[-300:]}")
            else:
                imported = out.count(": imported #")
                if imported != len(bulk_names):
                    ledger.errors.append(f"bulk import stored {imported} of {len(bulk_names)}")
                ledger.imports.extend(bulk_names)

    threads = [
        threading.Thread(target=gui_writer, name="gui-writer"),
        threading.Thread(target=gui_reader, name="gui-reader"),
        threading.Thread(target=cli_loop, args=(cli_a, "cli_a", 0, True), name="cli-a"),
        threading.Thread(target=cli_loop, args=(cli_b, "cli_b", 1, False), name="cli-b"),
    ]
    for t in threads:
        t.start()
    time.sleep(DURATION)
    stop.set()
    for t in threads:
        t.join(360)
        assert not t.is_alive()

    for side in (gui, cli_a, cli_b, reader):
        assert side.errors == [], side.errors[:5]
    assert reader.reads > 0

    with Library(db) as lib:
        assert lib.integrity_ok()
        conn = lib.conn
        tagged = set(conn.execute(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id").fetchall())
        starred = {r[0] for r in conn.execute("SELECT id FROM articles WHERE starred = 1")}
        read = {r[0] for r in conn.execute("SELECT id FROM articles WHERE read = 1")}
        hl = set(conn.execute("SELECT article_id, note FROM highlights").fetchall())
        names = {r[0] for r in conn.execute("SELECT file_name FROM articles")}
        art_notes = dict(conn.execute("SELECT id, note FROM articles WHERE note IS NOT NULL").fetchall())
        total_articles = lib.article_count()
    for side in (gui, cli_a, cli_b):
        assert set(side.tags) <= tagged
        assert side.starred <= starred
        assert side.read <= read
        assert set(side.highlights) <= hl
        assert set(side.imports) <= names
        assert all(art_notes.get(a) == n for a, n in side.notes.items())
    counted_imports = len(gui.imports) + len(cli_a.imports) + len(cli_b.imports)
    assert total_articles == N_BASE + counted_imports
    assert len(hl) == len(gui.highlights) + len(cli_a.highlights) + len(cli_b.highlights)
    writes = gui.writes + cli_a.writes + cli_b.writes
    assert gui.writes > 100 and cli_a.writes >= 5 + len(bulk_names) and cli_b.writes >= 5
    print(f"contention {DURATION:.0f}s: {writes} writes counted and found (gui {gui.writes}, "
          f"cli {cli_a.writes + cli_b.writes}), {reader.reads} GUI read rounds, 0 lock errors")


_PROBE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0)
try:
    print(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
except sqlite3.OperationalError as exc:
    print("refused:", exc)
"""


def _other_process_can_take_the_file(db: Path) -> bool:
    """Whether another process gets exclusive access (it tries to leave WAL mode, which needs it)."""
    res = subprocess.run([sys.executable, "-c", _PROBE, str(db)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return not res.stdout.startswith("refused:")


def test_opening_the_library_again_keeps_the_first_connections_locks(tmp_path: Path) -> None:
    """Regression: ``Library()`` used to read the file header with open()/close(). POSIX locks are
    per process, so that close dropped the SQLite locks of every other connection of this process
    (the GUI has one per worker thread); another process then took the file, checkpointed and
    deleted the WAL under them: "database disk image is malformed" in the contention test."""
    db = tmp_path / "library.db"
    Library(db).close()
    first = Library(db)
    try:
        first.article_count()
        assert not _other_process_can_take_the_file(db)  # the first connection's lock holds
        second = Library(db)  # e.g. the GUI's next worker thread opening its own connection
        second.close()
        first.article_count()
        assert not _other_process_can_take_the_file(db)  # ... and still holds after that
        with Library(db) as third:
            third.set_setting("contention.probe", 1)
        assert not _other_process_can_take_the_file(db)
    finally:
        first.close()
    assert _other_process_can_take_the_file(db)  # the probe can tell: nothing holds it now
