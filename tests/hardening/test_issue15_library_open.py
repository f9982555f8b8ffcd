"""Issue 15, opening the library: FIFOs and devices answered at once (12), concurrent first
imports into a library that does not exist yet (16), a library in a read-only folder (17)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader.core.errors import LibraryFileError
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library

CLI = str(Path(sys.executable).with_name("reader-cli"))


def cli(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout)


# --- item 12: a FIFO (or a device) as the library ------------------------------------------------
@pytest.mark.parametrize("command", [["list"], ["search", "belarus"], ["import", "x.txt"]])
def test_a_fifo_as_library_is_answered_within_5_s(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "lib.db"
    os.mkfifo(fifo)
    (tmp_path / "x.txt").write_text("Title\n\nSome text here.\n")
    start = time.monotonic()
    try:
        proc = subprocess.run([CLI, "--db", str(fifo), *command], capture_output=True, text=True,
                              timeout=5, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("reader-cli blocked on a FIFO library for 5 s")
    seconds = time.monotonic() - start
    print(f"FIFO library answered in {seconds:.2f} s")
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc
    assert "FIFO" in proc.stderr and "internal error" not in proc.stderr
    assert fifo.is_fifo()


def test_a_device_as_library_is_refused_untouched(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        dev = tmp_path / "null.db"
        os.mknod(dev, 0o666 | 0o020000, os.makedev(1, 3))
        target = dev
    else:  # a socket needs no root
        import socket

        target = tmp_path / "sock.db"
        socket.socket(socket.AF_UNIX).bind(str(target))
    mode = os.lstat(target).st_mode
    with pytest.raises(LibraryFileError, match="not a regular file"):
        Library(target)
    assert os.lstat(target).st_mode == mode
    assert not Path(str(target) + "-wal").exists()


# --- item 16: concurrent first imports -----------------------------------------------------------
def test_five_simultaneous_first_imports_all_succeed(tmp_path: Path) -> None:
    trials, ok, runs = 4, 0, 0
    for trial in range(trials):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        files = []
        for i in range(5):
            f = folder / f"a{i}.txt"
            f.write_text(f"Article {trial}-{i}\n\nText number {i} of trial {trial}.\n")
            files.append(f)
        db = folder / "new.db"
        procs = [subprocess.Popen([CLI, "--db", str(db), "import", str(f)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in files]
        for p in procs:
            _out, err = p.communicate(timeout=60)
            runs += 1
            ok += p.returncode == 0
            assert p.returncode == 0, err
        with Library(db, create=False) as lib:
            assert lib.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
            assert lib.integrity_ok()
    print(f"concurrent first imports: {ok}/{runs} ok")


def test_threads_opening_a_new_library_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"

    def open_and_add(i: int) -> int:
        with Library(db) as lib:
            return lib.add_article(ParsedArticle(f"T{i}", (f"body {i}",)), LanguageGuess("en", 0.9)).article_id or 0

    with ThreadPoolExecutor(5) as pool:
        ids = list(pool.map(open_and_add, range(5)))
    assert len(set(ids)) == 5


# --- item 17: a library in a read-only folder ----------------------------------------------------
def _readonly_copy(src_lib: Path, where: Path) -> tuple[Path, bool]:
    """The library in a folder that cannot be written: a read-only bind mount as root, else chmod."""
    folder = where / "ro"
    folder.mkdir()
    shutil.copy2(src_lib, folder / "lib.db")
    if os.geteuid() == 0:
        mnt = where / "ro-mnt"
        mnt.mkdir()
        if subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(mnt)], capture_output=True).returncode:
            pytest.skip("cannot make a read-only bind mount here")
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True)
        return mnt / "lib.db", True
    os.chmod(folder / "lib.db", 0o444)
    os.chmod(folder, 0o555)
    return folder / "lib.db", False


def test_a_library_in_a_read_only_folder_can_be_read(tmp_path: Path) -> None:
    src = tmp_path / "src.db"
    with Library(src) as lib:
        lib.add_article(ParsedArticle("Belarus today", ("Minsk and Belarus.",)), LanguageGuess("en", 0.9))
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db, mounted = _readonly_copy(src, tmp_path)
    try:
        before = db.read_bytes()
        proc = cli(db, "list")
        assert proc.returncode == 0 and "Belarus today" in proc.stdout, proc.stderr
        proc = cli(db, "search", "belarus")
        assert proc.returncode == 0 and "Belarus today" in proc.stdout, proc.stderr
        proc = cli(db, "tag", "1", "x")
        assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc
        assert "read-only" in proc.stderr and "internal error" not in proc.stderr
        with Library(db) as lib:
            assert [a.title for a in lib.list_articles()] == ["Belarus today"]
        assert db.read_bytes() == before
    finally:
        if mounted:
            subprocess.run(["umount", str(db.parent)], capture_output=True)
        else:
            os.chmod(db.parent, 0o755)
