"""Issue 15, importers and packs: YAML bombs, capped fields, invalid dates, quadratic inputs, bad file
names and hostile pack archives. Real files; the run-time checks run in a subprocess with a timeout
so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import pytest

import reader.core.importers as importers
import reader.core.importing as importing
from reader.core.errors import PackError
from reader.core.importers import parse_bytes
from reader.core.importing import iter_import_files, prepare

ROOT = Path(__file__).resolve().parents[2]

# --- item 6: YAML alias bombs, capped fields ---------------------------------------------------
BILLION_LAUGHS = textwrap.dedent(
    """\
    ---
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    title: *i
    tags: *i
    ---
    The body survives the bomb.
    """
)


def test_yaml_alias_bomb_is_refused_quickly_and_the_body_imported() -> None:
    start = time.perf_counter()
    article = parse_bytes(BILLION_LAUGHS.encode(), "bomb.md")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, elapsed
    assert article.paragraphs == ("The body survives the bomb.",)
    assert len(article.title) <= importers.MAX_TITLE_CHARS
    assert article.tags == ()


def test_yaml_string_alias_bomb_does_not_make_a_huge_title() -> None:
    # 423 bytes that imported with a 34.7 MB title: a string repeated through anchors and merge keys
    lines = ["---", "x0: &x0 " + "A" * 60]
    for i in range(1, 8):
        lines.append(f"x{i}: &x{i} [" + ",".join([f"*x{i - 1}"] * 10) + "]")
    lines += ["title: *x7", "source: *x7", "---", "Body text."]
    start = time.perf_counter()
    article = parse_bytes("\n".join(lines).encode(), "bomb2.md")
    assert time.perf_counter() - start < 1.0
    assert len(article.title) <= importers.MAX_TITLE_CHARS and (article.source or "") == ""
    assert article.paragraphs == ("Body text.",)


def test_long_front_matter_fields_are_capped() -> None:
    tags = ", ".join(f"tag{i}" for i in range(500))
    text = f"---\ntitle: {'Word ' * 5000}\nsource: {'S' * 10000}\ntags: [{tags}, {'t' * 5000}]\n---\nBody.\n"
    article = parse_bytes(text.encode(), "long.md")
    assert 0 < len(article.title) <= importers.MAX_TITLE_CHARS
    assert article.source is not None and len(article.source) <= importers.MAX_SOURCE_CHARS
    assert 0 < len(article.tags) <= importers.MAX_TAGS and all(len(t) <= importers.MAX_TAG_CHARS for t in article.tags)


def test_long_html_title_is_capped() -> None:
    page = f"<html><head><title>{'Headline ' * 20000}</title></head><body><p>Some text of the page.</p></body></html>"
    article = parse_bytes(page.encode(), "long.html")
    assert len(article.title) <= importers.MAX_TITLE_CHARS


@pytest.mark.parametrize("yaml_text", [
    "title: !!python/object/apply:os.system ['true']",
    "title: !!binary aGVsbG8=",
    "base: &b {title: Merged}\n<<: *b",
    "title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "title: " + "[" * 5000 + "]" * 5000,
    "title: " + "9" * 10000,
    "? [a, b]\n: c",
])
def test_hostile_yaml_features_never_stop_the_import(yaml_text: str) -> None:
    article = parse_bytes(f"---\n{yaml_text}\n---\nThe body.\n".encode(), "y.md")
    assert article.paragraphs == ("The body.",)
    assert len(article.title) <= importers.MAX_TITLE_CHARS


# --- item 13: invalid front-matter dates drop the field, not the file ---------------------------
@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "2026-01-01T25:61:00", "!!timestamp 2026-02-30"])
def test_invalid_front_matter_date_drops_only_the_field(value: str) -> None:
    article = parse_bytes(f"---\ntitle: Kept title\ndate: {value}\ntags: [kept]\n---\nThe body.\n".encode(), "d.md")
    assert article.published is None
    assert article.title == "Kept title" and article.tags == ("kept",)
    assert article.paragraphs == ("The body.",)


def test_valid_front_matter_dates_still_parse() -> None:
    for value, expected in (("2026-02-28", "2026-02-28"), ("2026-01-01T10:00:00", "2026-01-01"),
                            ("'2025-12-31'", "2025-12-31")):
        article = parse_bytes(f"---\ndate: {value}\n---\nBody.\n".encode(), "d.md")
        assert article.published == expected


# --- item 11: every importer bounded on files under the 20 MB cap -------------------------------
def _time_parse_in_subprocess(tmp_path: Path, name: str, data: bytes, limit: float) -> float:
    path = tmp_path / name
    path.write_bytes(data)
    code = (
        "import sys, time\nfrom reader.core.importers import parse_file\nfrom reader.core.errors import ImportSkipped\n"
        "t = time.perf_counter()\ntry:\n    a = parse_file(sys.argv[1]); print(len(a.paragraphs))\n"
        "except ImportSkipped as e:\n    print('skipped', e)\nprint(time.perf_counter() - t)\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              timeout=limit + 20, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still parsing after {limit + 20:.0f} s")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    elapsed = float(lines[-1])
    assert elapsed <= limit, f"{name}: {elapsed:.1f} s ({lines[0]})"
    return elapsed


def test_markdown_with_200k_links_is_bounded(tmp_path: Path) -> None:
    body = " ".join(f"[link {i}](http://example.org/{i})" for i in range(200_000))
    _time_parse_in_subprocess(tmp_path, "links.md", f"# Links\n\n{body}\n".encode(), 10.0)


def test_html_with_200k_attributes_on_one_paragraph_is_bounded(tmp_path: Path) -> None:
    attrs = " ".join(f'a{i}="v"' for i in range(200_000))
    page = f"<html><body><p {attrs}>Text of the paragraph with words.</p></body></html>"
    _time_parse_in_subprocess(tmp_path, "attrs.html", page.encode(), 10.0)


def test_markdown_fallback_keeps_the_text() -> None:
    body = " ".join(f"[w{i}](http://example.org/{i}) *and* `c{i}`" for i in range(30_000))
    article = parse_bytes(f"---\ntitle: Many\n---\n\n## Head\n\n{body}\n\nLast paragraph.\n".encode(), "m.md")
    text = article.body
    assert "w0 and c0" in text and "w29999 and c29999" in text and "Last paragraph." in text
    assert "http://example.org" not in text and "](" not in text
    assert article.title == "Many"


def test_html_keeps_the_first_attributes_of_a_huge_tag() -> None:
    attrs = " ".join(f'data-x{i}="v"' for i in range(50_000))
    page = (f'<html lang="ro"><head><meta property="og:title" content="Titlu" {attrs}></head>'
            f"<body><p {attrs}>Un text în limba română.</p></body></html>")
    article = parse_bytes(page.encode(), "attrs.html")
    assert article.title == "Titlu" and article.lang == "ro"
    assert "Un text în limba română." in article.body


# --- item 7: file names that are not UTF-8, have newlines, are too long, or cannot be reached ----
def _make_bad_names(folder: Path) -> list[bytes]:
    names = [b"good1.txt", b"bad\xff\xfename.txt", b"new\nline.txt", b"tab\there.md", b"esc\x1b[2J.txt",
             b"caf\xe9-latin1.md", b"good2.md", "ok-ș-ž.txt".encode()]
    for i, name in enumerate(names):
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(f"Title {i}\n\nParagraph {i} of a file with an odd name.\n".encode())
    return names


def test_printable_path_escapes_invalid_bytes_and_newlines() -> None:
    shown = importing.printable_path(os.fsdecode(b"/x/bad\xffname\nnext\x1b.txt"))
    assert shown == "/x/bad\\xffname\\nnext\\x1b.txt"
    assert shown.isprintable()
    assert importing.printable_path("/x/ok-ș.txt") == "/x/ok-ș.txt"


def test_every_oddly_named_file_is_prepared(tmp_path: Path) -> None:
    names = _make_bad_names(tmp_path)
    files = list(iter_import_files([tmp_path]))
    assert len(files) == len(names)
    prepared = [prepare(p) for p in files]
    assert all(p.ok for p in prepared), [p.reason for p in prepared if not p.ok]
    for p in prepared:
        assert p.path.isprintable() and "\n" not in p.path
        assert p.parsed is not None and (p.parsed.file_name or "").isprintable()


def test_names_too_long_or_missing_are_one_reason_each(tmp_path: Path) -> None:
    long_name = tmp_path / ("x" * 300 + ".txt")
    inside_file = tmp_path / "plain.txt" / "child.txt"
    (tmp_path / "plain.txt").write_text("Title\n\nBody.\n")
    results = [prepare(p) for p in iter_import_files([long_name, inside_file, tmp_path / "plain.txt"])]
    assert [r.ok for r in results] == [False, False, True]
    assert "name too long" in (results[0].reason or "").lower()
    assert all(r.path.isprintable() for r in results)


# --- items 9 and 12: hostile pack archives ------------------------------------------------------
def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w") as tf:
        for info, data in members:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def test_pack_tar_with_2000_nested_folders_is_refused_with_one_line(tmp_path: Path) -> None:
    from reader.core.translation.packs import install_pack

    deep = "/".join(["d"] * 2000)
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    info = tarfile.TarInfo(deep)
    info.type = tarfile.DIRTYPE
    members.append((info, None))
    data = b"\x0a" + b"x" * 2000
    info = tarfile.TarInfo(deep + "/vocab.roen.spm")
    info.size = len(data)
    members.append((info, data))
    archive = _tar(tmp_path / "nested.tar", members)
    root = tmp_path / "packs"
    with pytest.raises(PackError) as caught:
        install_pack(archive, root)
    assert "\n" not in str(caught.value) and "nested" in str(caught.value)
    assert [p.name for p in root.iterdir()] == []


def test_pack_folder_nested_2000_deep_is_refused(tmp_path: Path) -> None:
    from reader.core.translation.packs import install_pack

    folder = tmp_path / "src"
    folder.mkdir()
    here = os.getcwd()
    try:
        os.chdir(folder)
        for _ in range(2000):
            os.mkdir("d")
            os.chdir("d")
        Path("vocab.roen.spm").write_bytes(b"\x0a" + b"v" * 2000)
        os.chdir(here)
        root = tmp_path / "packs"
        with pytest.raises(PackError) as caught:
            install_pack(folder, root)
        assert "nested" in str(caught.value) and "\n" not in str(caught.value)
        assert [p.name for p in root.iterdir()] == []
    finally:  # without recursion: pytest's own cleanup would hit Python's recursion limit here
        os.chdir(folder)
        depth = 0
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        if os.path.exists("vocab.roen.spm"):
            os.remove("vocab.roen.spm")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
        os.chdir(here)


def test_pack_tar_with_a_fifo_member_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo_info = tarfile.TarInfo("model.roen.intgemm.alphas.bin")
    fifo_info.type = tarfile.FIFOTYPE
    vocab = tarfile.TarInfo("vocab.roen.spm")
    vocab.size = 2000
    archive = _tar(tmp_path / "fifo.tar", [(vocab, b"\x0a" + b"v" * 1999), (fifo_info, None)])
    root = tmp_path / "packs"
    code = ("import sys\nfrom pathlib import Path\nfrom reader.core.translation.packs import install_pack\n"
            "from reader.core.errors import PackError\n"
            "try:\n    install_pack(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except PackError as e:\n    print('refused:', e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(archive), str(root)], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:") and "special file" in done.stdout
    assert [p.name for p in root.iterdir()] == []


def test_pack_folder_with_a_fifo_does_not_block(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    os.mkfifo(src / "model.roen.intgemm.alphas.bin")
    (src / "vocab.roen.spm").write_bytes(b"\x0a" + b"v" * 2000)
    (src / "lex.50.50.roen.s2t.bin").write_bytes(b"x" * 100)
    root = tmp_path / "packs"
    code = ("import sys\nfrom pathlib import Path\nfrom reader.core.translation.packs import install_pack\n"
            "from reader.core.errors import PackError\n"
            "try:\n    install_pack(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except PackError as e:\n    print('refused:', e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(src), str(root)], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:")
    assert [p.name for p in root.iterdir()] == []


def test_stale_staging_folders_are_swept(tmp_path: Path) -> None:
    from reader.core.translation.packs import install_pack

    root = tmp_path / "packs"
    stale = root / ".staging-killed"
    (stale / "raw").mkdir(parents=True)
    old = time.time() - 3 * 3600
    os.utime(stale, (old, old))
    fresh = root / ".staging-running"
    fresh.mkdir()
    (tmp_path / "empty.tar").write_bytes(b"not an archive")
    with pytest.raises(PackError):
        install_pack(tmp_path / "empty.tar", root)
    assert not stale.exists() and fresh.exists()


def test_a_fifo_given_as_the_pack_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pack.tar"
    os.mkfifo(fifo)
    root = tmp_path / "packs"
    code = ("import sys\nfrom pathlib import Path\nfrom reader.core.translation.packs import install_pack\n"
            "from reader.core.errors import PackError\n"
            "try:\n    install_pack(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except PackError as e:\n    print('refused:', e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo), str(root)], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:")
