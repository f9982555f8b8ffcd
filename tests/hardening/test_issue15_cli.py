"""Issue 15, the command line: bad file names in an import, arguments that are not UTF-8, output to
a terminal or pipe that is not UTF-8, and ``search -word``. Real ``reader-cli`` processes on real
files and libraries.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "reader.cli"]


def run(args: list[str | bytes], *, env: dict[str, str] | None = None, stdin: bytes | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C.UTF-8", **(env or {})}
    full_env.pop("READER_DEBUG", None)
    return subprocess.run([*CLI, *args], capture_output=True, env=full_env, input=stdin, timeout=timeout, cwd=ROOT)


def assert_clean(done: subprocess.CompletedProcess[bytes]) -> None:
    """No traceback, no catch-all internal error."""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    assert done.returncode != 70


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.db"
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "a.md").write_text("---\ntitle: Belarus și Lituania\ntags: [region]\n---\nMinsk și Vilnius, "
                               "Lukașenko și Putin.\n", encoding="utf-8")
    (seed / "b.txt").write_text("Putin speaks\n\nA text about Moscow and Putin.\n", encoding="utf-8")
    (seed / "c.txt").write_text("Belarus news\n\nA text about Belarus without the other name.\n", encoding="utf-8")
    done = run(["--db", str(db), "import", str(seed)])
    assert done.returncode == 0, done.stderr
    return db


# --- item 7: names -------------------------------------------------------------------------------
def test_import_of_a_folder_with_bad_names_imports_every_file_one_line_each(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"in")
    os.mkdir(folder)
    names = [b"good1.txt", b"bad\xff\xfename.txt", b"new\nline.txt", b"esc\x1b[2J.md", b"caf\xe9.md",
             b"good2.md", "ok-ș-ž.txt".encode(), b"tab\tname.txt"]
    for i, name in enumerate(names):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(f"Title number {i}\n\nParagraph {i} of a file with an odd name, unique {i}.\n".encode())
    long_name = os.path.join(os.fsencode(tmp_path), b"x" * 300 + b".txt")  # too long for any file system
    db = tmp_path / "lib.db"
    done = run(["--db", str(db), "import", folder, long_name])
    assert_clean(done)
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(names) + 1, lines
    assert all(line.isprintable() for line in lines)
    assert sum("imported #" in line for line in lines) == len(names)
    assert "name too long" in lines[-1].lower()
    assert any("bad\\xff\\xfename.txt" in line for line in lines)
    assert any("new\\nline.txt" in line for line in lines)
    assert done.returncode == 1  # one file (the long name) failed
    listed = run(["--db", str(db), "list"])
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(names)


# --- item 8: arguments that are not UTF-8, output that is not UTF-8 -------------------------------
BAD = b"bel\xffarus"


@pytest.mark.parametrize("args", [
    [b"search", BAD],
    [b"list", b"-q", BAD],
    [b"list", b"--tag", BAD],
    [b"tag", b"1", BAD],
    [b"set", b"1", b"--title", BAD],
    [b"note", b"1", BAD],
    [b"saved", b"add", BAD, b"putin"],
    [b"saved", b"add", b"name", BAD],
    [b"highlight", b"1", b"--quote", BAD],
    [b"export", b"-q", BAD, b"-o", b"out.md"],
])
def test_invalid_utf8_arguments_get_one_line(library: Path, args: list[bytes]) -> None:
    before = run(["--db", str(library), "list", "--json"]).stdout
    done = run([b"--db", os.fsencode(library), *args])
    assert_clean(done)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, (done.returncode, err)
    assert len(err.strip().splitlines()) == 1 and "UTF-8" in err and "bel\\xffarus" in err, err
    assert run(["--db", str(library), "list", "--json"]).stdout == before  # nothing changed


def test_invalid_utf8_note_on_stdin_gets_one_line(library: Path) -> None:
    done = run(["--db", str(library), "note", "1", "-"], stdin=b"a note \xff\xfe here\n")
    assert_clean(done)
    assert done.returncode != 0 and b"UTF-8" in done.stderr


def test_a_file_name_argument_that_is_not_utf8_still_imports(tmp_path: Path) -> None:
    path = os.path.join(os.fsencode(tmp_path), b"only\xff.txt")
    with open(path, "wb") as fh:
        fh.write(b"A title\n\nA body of text.\n")
    done = run(["--db", str(tmp_path / "lib.db"), "import", path])
    assert_clean(done)
    assert done.returncode == 0 and b"only\\xff.txt: imported #1" in done.stdout, done.stdout


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_output_to_a_non_utf8_pipe_does_not_crash(library: Path, tmp_path: Path, encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    for args in (["list"], ["search", "lukasenko"], ["show", "1"], ["tags"], ["list", "--json"]):
        done = run(["--db", str(library), *args], env=env)
        assert_clean(done)
        assert done.returncode == 0, (args, done.stderr)
    listed = run(["--db", str(library), "list"], env=env).stdout.decode(encoding)
    assert "Belarus " in listed and len(listed.splitlines()) == 3
    more = tmp_path / "more"
    more.mkdir()
    for i in range(6):
        (more / f"ș{i}.txt").write_text(f"Știri {i} — Лукашенко\n\nȚară, oraș și text {i}.\n", encoding="utf-8")
    done = run(["--db", str(library), "import", str(more)], env=env)
    assert_clean(done)
    assert done.returncode == 0
    assert done.stdout.decode(encoding).count("imported #") == 6


# --- item 18: search -word -------------------------------------------------------------------------
def test_search_accepts_a_leading_exclusion(library: Path) -> None:
    done = run(["--db", str(library), "search", "-putin", "--json"])
    assert_clean(done)
    assert done.returncode == 0, done.stderr
    import json

    titles = [hit["article"]["title"] if "article" in hit else hit["title"] for hit in json.loads(done.stdout)]
    assert titles and all("Putin" not in t for t in titles)
    for args in (["search", "--", "-putin"], ["search", "--limit", "5", "-putin"], ["search", "-putin", "belarus"],
                 ["list", "-q", "-putin"], ["search", "-h"]):
        done = run(["--db", str(library), *args])
        assert_clean(done)
        assert done.returncode == 0, (args, done.stderr)
    assert b"usage" in run(["--db", str(library), "search", "-h"]).stdout
    assert run(["--db", str(library), "list", "-q", "-putin"]).stdout.count(b"\n") == 1
