"""Hostile input files (issue 7): rejected or handled with a reason, nothing written elsewhere.

* control characters and bidirectional overrides (U+202E etc.) in titles, in .txt, .md and .html;
* a 20 MB single-line file just under and just over the limit (time-boxed: run as a real
  ``reader-cli import`` in a subprocess with a timeout);
* deeply nested HTML (100,000 nested ``<div>``, closed and unclosed, and inline elements);
* invalid UTF-8 in the middle of a file.

Every import runs with the working directory, data dir and config dir inside ``tmp_path``; the test
compares every file under ``tmp_path`` before and after, so a write outside the library shows up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.errors import ImportSkipped
from reader.core.importers import MAX_FILE_BYTES, neutralize, parse_bytes, parse_file
from reader.core.importing import import_paths
from reader.core.models import ParsedArticle
from reader.core.storage import Library

REPO = Path(__file__).resolve().parents[2]
BIDI_AND_CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                                      *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
BODY = "\n\n".join(
    f"Paragraph {i} of an ordinary article, with enough words to read like real prose in English." for i in range(30)
)
HOSTILE_TITLES = [
    "Invoice \u202egnp.exe\u202c for March",
    "Bell\x07 and escape \x1b[31mred\x1b[0m title",
    "Isolates \u2066left\u2069 \u2067right\u2069 \u2068first\u2069 done",
    "Embeddings \u202aLRE\u202c \u202bRLE\u202c \u202dLRO\u202c end",
    "C1 controls \x85next\x9b line and DEL\x7f here",
    "Românește șț și lietuviškai ąčęėįšųūž \u202eреверс\u202c",
]


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` (size, mtime), except the library files in ``skip``."""
    out: dict[str, tuple[int, int]] = {}
    skipped = {str(p) for base in skip for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm"))}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            if full in skipped:
                continue
            st = os.lstat(full)
            out[full] = (st.st_size, st.st_mtime_ns)
    return out


def _write_hostile(folder: Path, index: int, title: str, ext: str) -> Path:
    path = folder / f"hostile_{index}{ext}"
    body = BODY.replace("Paragraph ", f"Article {index}, paragraph ")
    if ext == ".txt":
        text = f"{title}\n\n{body}\n"
    elif ext == ".md":
        text = f"---\ntitle: \"{title.encode('unicode_escape').decode('ascii')}\"\n---\n\n{body}\n"
    else:
        html_title = "".join(c if c != "<" else "&lt;" for c in title)
        paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        text = f"<html><head><title>{html_title}</title></head><body><article><h1>{html_title}</h1>{paras}</article></body></html>"
    path.write_text(text, encoding="utf-8")
    return path


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


@pytest.mark.parametrize("ext", [".txt", ".md", ".html"])
def test_titles_with_controls_and_bidi_overrides_are_neutralised(ext: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    files = [_write_hostile(folder, i, t, ext) for i, t in enumerate(HOSTILE_TITLES)]
    db = tmp_path / "lib" / "library.db"
    db.parent.mkdir()  # a library is created only in a folder that exists (issue 13)
    before = snapshot(tmp_path)
    code = main(["--db", str(db), "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert out.count(": imported #") == len(files)
    # the CLI never prints a control or bidi control
    assert not (set(out) & BIDI_AND_CONTROLS - {"\n"})
    with Library(db) as lib:
        summaries = sorted(lib.list_articles(), key=lambda s: s.id)
        assert len(summaries) == len(HOSTILE_TITLES)
        for summary, original in zip(summaries, HOSTILE_TITLES, strict=True):
            article = lib.get_article(summary.id)
            assert not (set(article.title) & BIDI_AND_CONTROLS), repr(article.title)
            assert not (set(article.body) & (BIDI_AND_CONTROLS - {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                                                  "\u2066", "\u2067", "\u2068", "\u2069"}))
            # letters are kept (a control between letters does not split or eat the word)
            assert _letters(article.title) == _letters(original), (article.title, original)
            assert article.title == article.title.strip() and "  " not in article.title
    after = snapshot(tmp_path, skip=(db,))
    assert {k: v for k, v in after.items() if k not in before} == {}
    assert {k: v for k, v in after.items() if before.get(k) != v} == {}


def test_cli_output_neutralises_controls_in_stored_titles(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          seeds_dir: Path) -> None:
    """Titles set by hand (``reader-cli set --title``) are printed neutralised too."""
    db = tmp_path / "library.db"
    assert main(["--db", str(db), "import", str(seeds_dir / sorted(os.listdir(seeds_dir))[0])]) == 0
    capsys.readouterr()
    with Library(db) as lib:
        article_id = lib.list_ids()[0]
    assert main(["--db", str(db), "set", str(article_id), "--title", "Evil \u202egnp.exe \x1b]0;pwned\x07 title"]) == 0
    for command in (["list"], ["show", str(article_id)], ["search", "title"]):
        main(["--db", str(db), *command])
        out, _ = capsys.readouterr()
        assert "Evil" in out
        assert not (set(out) & BIDI_AND_CONTROLS - {"\n", "\t"}), (command, out)


def test_neutralize_keeps_letters_and_never_leaves_an_empty_title() -> None:
    parsed = ParsedArticle(title="\u202e\x07\u2066\u2069", paragraphs=("Hello \x00world\x1b.", "\x01\x02"),
                           source="Site\u202e name", tags=("\u2067tag\u2069", "\x07"))
    clean = neutralize(parsed)
    assert clean.title == "Hello world"  # the first sentence, as the text importer makes titles
    assert clean.paragraphs == ("Hello world.",)
    assert clean.source == "Site name" and clean.tags == ("tag",)
    with pytest.raises(ImportSkipped, match="control characters"):
        neutralize(ParsedArticle(title="x", paragraphs=("\x01\x02", "\x7f")))


# --- size ----------------------------------------------------------------------------------------
def _cli_subprocess(tmp_path: Path, *args: str, timeout: float) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "reader.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=timeout)
    return proc, time.perf_counter() - start


def _single_line(path: Path, size: int) -> Path:
    word = "lectură rapidă ąčęėį reading "
    unit = word.encode("utf-8")
    data = (unit * (size // len(unit) + 1))[:size]
    while True:  # do not cut a multi-byte character in half
        try:
            data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1] + b" "
    path.write_bytes(data)
    assert path.stat().st_size == size and b"\n" not in data
    return path


@pytest.mark.slow
def test_twenty_megabyte_single_line_files(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    under = _single_line(folder / "a_under.txt", MAX_FILE_BYTES - 1)
    over = _single_line(folder / "b_over.txt", MAX_FILE_BYTES + 1)
    db = tmp_path / "library.db"
    before = snapshot(tmp_path)
    proc, seconds = _cli_subprocess(tmp_path, "--db", str(db), "import", str(folder), timeout=120)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2, proc
    assert lines[0].startswith(f"{under}: imported #"), lines[0][:300]
    assert lines[1] == f"{over}: skipped: file too large (21.0 MB; the limit is 20 MB)"
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert seconds < 90, f"importing a 20 MB line took {seconds:.1f} s"
    # the title was cut to a sane length; the body is all there
    with Library(db) as lib:
        article = lib.get_article(lib.list_ids()[0])
        assert len(article.title) <= 200
        assert len(article.body.encode("utf-8")) >= MAX_FILE_BYTES - 100
        assert lib.search("lectura") and lib.integrity_ok()
    after = snapshot(tmp_path, skip=(db,))
    assert after == before


def test_just_over_the_limit_is_refused_without_reading(tmp_path: Path) -> None:
    over = tmp_path / "over.md"
    with over.open("wb") as fh:  # a sparse file: cheap to make, would be slow to read
        fh.truncate(MAX_FILE_BYTES + 1)
    start = time.perf_counter()
    with pytest.raises(ImportSkipped, match="file too large"):
        parse_file(over)
    assert time.perf_counter() - start < 0.5


# --- deep nesting --------------------------------------------------------------------------------
DEEP = 100_000
SENTENCE = "The deeply buried paragraph is still the article's text and must not be lost."


@pytest.mark.parametrize(
    "name, html",
    [
        ("closed-divs", "<html><head><title>Deep</title></head><body>" + "<div>" * DEEP + f"<p>{SENTENCE}</p>"
         + "</div>" * DEEP + "</body></html>"),
        ("unclosed-divs", "<html><body>" + "<div>" * DEEP + f"<p>{SENTENCE}</p>"),
        ("inline", "<html><body><p>" + "<b><i><span>" * (DEEP // 3) + SENTENCE + "</span></i></b>" * (DEEP // 3)
         + "</p></body></html>"),
        ("mismatched", "<html><body>" + "<div><span>" * (DEEP // 2) + f"<p>{SENTENCE}</p>" + "</div>" * DEEP),
        ("tables", "<html><body>" + "<table><tr><td>" * (DEEP // 10) + SENTENCE + "</td></tr></table>" * (DEEP // 10)
         + "</body></html>"),
    ],
)
def test_deeply_nested_html_keeps_its_text(name: str, html: str) -> None:
    start = time.perf_counter()
    article = parse_bytes(html.encode("utf-8"), f"{name}.html")
    seconds = time.perf_counter() - start
    assert SENTENCE in article.body or SENTENCE == article.title or SENTENCE in f"{article.title} {article.body}"
    assert seconds < 15, f"{name}: {seconds:.1f} s"


def test_deeply_nested_html_without_text_is_skipped_with_a_reason() -> None:
    html = "<html><body>" + "<div>" * DEEP + "</div>" * DEEP + "</body></html>"
    with pytest.raises(ImportSkipped, match="no article text"):
        parse_bytes(html.encode(), "empty-deep.html")


def test_deep_html_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * DEEP + f"<p>{SENTENCE}</p>" + "</div>" * DEEP + "</body></html>",
                    encoding="utf-8")
    db = tmp_path / "library.db"
    assert main(["--db", str(db), "import", str(page)]) == 0
    out, _ = capsys.readouterr()
    assert ": imported #" in out
    with Library(db) as lib:
        assert lib.search("buried")


# --- invalid UTF-8 -------------------------------------------------------------------------------


def _good(start: str, count: int) -> bytes:
    return "".join(f"{start} {i}: diacritice ăâîșț ĂÂÎȘȚ, țară, știință, învățământ și încă o propoziție.\n\n"
                   for i in range(count)).encode()


@pytest.mark.parametrize("ext", [".txt", ".md", ".html"])
@pytest.mark.parametrize("garbage", [b"\xff\xfe", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                                     b"\x80\x81\x8d\x8f\x90\x9d"])
def test_invalid_utf8_in_the_middle_keeps_the_rest(ext: str, garbage: bytes) -> None:
    data = b"Titlul articolului\n\n" + _good("Prima parte", 40) + b"Mijloc " + garbage + b" stricat.\n\n" + _good("Final", 40)
    if ext == ".html":
        data = b"<html><head><meta charset=\"utf-8\"><title>Titlul articolului</title></head><body><article>" + \
            b"".join(b"<p>" + p + b"</p>" for p in data.split(b"\n\n") if p) + b"</article></body></html>"
    article = parse_bytes(data, f"broken{ext}")
    body = article.body
    # the valid text on both sides is intact (not mis-decoded as a legacy code page)
    assert "Prima parte 0: diacritice ăâîșț ĂÂÎȘȚ, țară, știință, învățământ" in body
    assert "Final 39: diacritice ăâîșț ĂÂÎȘȚ, țară, știință, învățământ" in body
    assert body.count("învățământ") == 80
    assert "Mijloc" in body and "stricat." in body
    assert not (set(body) & BIDI_AND_CONTROLS - {"\n", "\t"})


@pytest.mark.parametrize("ext", [".txt", ".md", ".html"])
def test_mostly_invalid_bytes_are_refused_with_a_reason(ext: str) -> None:
    data = bytes(range(0x80, 0x100)) * 200 + b"\x00" * 10 + "a little text ăîș".encode()
    with pytest.raises(ImportSkipped) as info:
        parse_bytes(data, f"garbage{ext}")
    assert str(info.value) and "\n" not in str(info.value)


def test_hostile_folder_import_writes_only_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All of the above in one folder through the import pipeline: outcomes, and no stray files."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, title in enumerate(HOSTILE_TITLES):
        _write_hostile(folder, i, title, (".txt", ".md", ".html")[i % 3])
    (folder / "deep.html").write_text("<html><body>" + "<div>" * DEEP + f"<p>{SENTENCE}</p>", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"Title\n\n" + _good("Prima parte", 40) + b"\xff\xfe" + _good("Final", 40))
    (folder / "garbage.md").write_bytes(bytes(range(256)) * 50)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "../escape.txt").write_text("not imported: outside the folder\n\nbody", encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    db = tmp_path / "lib.db"
    before = snapshot(tmp_path)
    with Library(db) as lib:
        outcomes = import_paths(lib, [folder], workers=1)
        statuses = {Path(o.path).name: (o.status, o.reason) for o in outcomes}
        assert lib.integrity_ok()
    assert "escape.txt" not in statuses
    assert statuses["garbage.md"][0] == "skipped" and statuses["empty.txt"] == ("skipped", "empty file")
    assert statuses["deep.html"][0] == "imported" and statuses["bad.txt"][0] == "imported"
    for name, (status, reason) in statuses.items():
        assert status in {"imported", "skipped"}, name
        assert status == "imported" or (reason and "\n" not in reason), name
    assert snapshot(tmp_path, skip=(db,)) == before
