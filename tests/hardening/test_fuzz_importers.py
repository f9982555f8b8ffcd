"""Importer fuzzing (issue 7): random bytes as .txt, .md and .html either import or are skipped
with a one-line reason (:class:`ImportSkipped`), never another exception.

Three kinds of input: raw random bytes; random text in assorted encodings (what real files look
like, so more of it gets past the binary sniffing into the parsers); and random markup built from
Markdown/HTML fragments. Each test runs ~200 examples with no per-example deadline.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from reader.core.errors import ImportSkipped
from reader.core.importers import parse_bytes
from reader.core.models import ParsedArticle

EXTENSIONS = (".txt", ".md", ".html")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}

TOTALS = {"imported": 0, "skipped": 0}


def check(data: bytes, ext: str) -> ParsedArticle | None:
    """Parse; only ImportSkipped may escape, and what imports is clean."""
    try:
        article = parse_bytes(data, f"fuzz{ext}")
    except ImportSkipped as exc:
        reason = str(exc)
        assert reason and "\n" not in reason and len(reason) < 300, reason
        TOTALS["skipped"] += 1
        return None
    TOTALS["imported"] += 1
    assert isinstance(article, ParsedArticle)
    assert article.title and article.title == article.title.strip()
    assert not (set(article.title) & (CONTROLS | BIDI | {"\n", "\t"})), repr(article.title)
    assert article.paragraphs and all(p.strip() for p in article.paragraphs)
    assert not (set(article.body) & CONTROLS - {"\n", "\t"})
    if article.published is not None:
        assert len(article.published) == 10 and article.published[4] == "-"
    return article


@pytest.mark.parametrize("ext", EXTENSIONS)
@FUZZ
@given(data=st.binary(min_size=0, max_size=4096))
@example(data=b"")
@example(data=b"\x00")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe")
@example(data=b"<html>")  # found by this test: lxml's fragment parser asserted on it (.md)
@example(data=b"![i](http://127.0.0.1/x.png)\x07")  # found by fuzzing: lxml ValueError on the control char (.md)
@example(data=b"---\n---\n")
@example(data=b"date 2024-02-30")
@example(data=b"\xfe\xff\x00<\x00h\x00t\x00m\x00l\x00>")
def test_random_bytes(ext: str, data: bytes) -> None:
    check(data, ext)


_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "cp1250", "cp1251", "cp1257", "iso-8859-2", "koi8-r", "utf-8-sig")


@pytest.mark.parametrize("ext", EXTENSIONS)
@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(_ENCODINGS))
def test_random_text_in_assorted_encodings(ext: str, text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    article = check(data, ext)
    if article is not None and encoding.startswith("utf-8") and ext == ".txt":
        # plain UTF-8 text keeps its letters: every letter of the title came from the file
        letters = {c for c in article.title if unicodedata.category(c).startswith("L")}
        assert letters <= set(unicodedata.normalize("NFC", text)) | set(text) | set("Untitled")


_MD = ["# ", "## ", "\n", "\n\n", "---\n", "title: ", "date: 2024-01-02\n", "tags: [a, b]\n", "> ", "- ", "1. ",
       "```", "    ", "*", "_", "[x](javascript:alert(1))", "![i](http://127.0.0.1/x.png)", "<div>", "</div>",
       "<script>alert(1)</script>", "&amp;", "&#0;", "&#x202e;", "\u202e", "\x07", "ș", "ą", "Ж", "word ", "Sentence. ",
       "|a|b|\n|-|-|\n", "<!--", "-->", "\\", "\t", "\r\n"]
_HTML = ["<html>", "</html>", "<head>", "<title>", "</title>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>",
         "<article>", "<h1>", "</h1>", "<meta charset=\"", "koi8-r", "utf-16", "\">", "<meta property=\"og:title\" "
         "content=\"", "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<br/>",
         "&nbsp;", "&#1234567;", "&#x202e;", "<table><tr><td>", "<time datetime=\"2024-13-45\">", "<a href='x'>",
         "<img src=//127.0.0.1/x>", "<svg><foreignObject>", "<?xml version='1.0' encoding='latin-1'?>",
         "<!DOCTYPE html>", "\u202e", "\x00", "\x1b[2J", "ă", "ė", "Я", "Text ", "More words here. ", "<", ">", "\"", "'"]


@pytest.mark.parametrize("ext, pieces", [(".md", _MD), (".html", _HTML), (".txt", _MD + _HTML)])
@FUZZ
@given(data=st.data())
def test_random_markup(ext: str, pieces: list[str], data: st.DataObject) -> None:
    parts = data.draw(st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=30)), max_size=120))
    encoding = data.draw(st.sampled_from(("utf-8", "utf-16", "cp1251")))
    check("".join(parts).encode(encoding, errors="replace"), ext)


def test_fuzzing_reached_both_outcomes() -> None:
    """The fuzz inputs were not all skipped: some got through to the parsers and were imported.

    Runs after the fuzz tests in this file (pytest keeps file order); alone, it fuzzes a little itself.
    """
    if TOTALS["imported"] == 0:
        for i in range(50):
            check(f"Title {i}\n\nSome text here, number {i}.".encode(), ".txt")
    assert TOTALS["imported"] > 0


# --- issue 15: file names, CLI arguments, YAML front matter, run time per MB ----------------------
# Bounded example counts: these add ~30 s to the file on a shared 2-core machine.
SMALL = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

_NAME_BYTES = st.binary(min_size=1, max_size=120).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@SMALL
@given(stem=_NAME_BYTES, ext=st.sampled_from((b".txt", b".md", b".html")))
@example(stem=b"bad\xff\xfe", ext=b".txt")
@example(stem=b"new\nline", ext=b".md")
@example(stem=b"\x1b[2J\xc3", ext=b".txt")
def test_file_names_as_bytes(tmp_path_factory: pytest.TempPathFactory, stem: bytes, ext: bytes) -> None:
    """Any file name the file system takes: the file is tried, its line is printable, one line."""
    import os

    from reader.core.importing import iter_import_files, prepare

    if stem in (b".", b"..") or stem.startswith(b"."):
        stem = b"x" + stem  # hidden files are left out of folder walks on purpose
    folder = tmp_path_factory.mktemp("names")
    path = os.path.join(os.fsencode(folder), stem + ext)
    with open(path, "wb") as fh:
        fh.write(b"<html><body><p>A title here</p><p>Some text of the file.</p></body></html>" if ext == b".html"
                 else b"A title here\n\nSome text of the file.\n")
    found = list(iter_import_files([folder]))
    assert len(found) == 1
    prepared = prepare(found[0])
    assert prepared.ok, prepared.reason
    assert prepared.path.isprintable() and "\n" not in prepared.path
    assert prepared.parsed is not None and (prepared.parsed.file_name or "").isprintable()


@pytest.fixture(scope="module")
def cli_library(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a Path
    from reader.cli import main

    folder = tmp_path_factory.mktemp("cli")
    (folder / "a.txt").write_text("Belarus today\n\nMinsk and Vilnius, Lukașenko and Putin.\n", encoding="utf-8")
    db = folder / "lib.db"
    assert main(["--db", str(db), "import", str(folder / "a.txt")]) == 0
    return db


_COMMANDS = (("search",), ("list", "-q"), ("tag", "1"), ("set", "1", "--title"), ("saved", "add", "x"),
             ("highlights", "-q"), ("list", "--tag"))


@SMALL
@given(raw=st.binary(min_size=1, max_size=40), command=st.sampled_from(_COMMANDS))
@example(raw=b"bel\xffarus", command=("search",))
@example(raw=b"-putin", command=("search",))
@example(raw=b"-\xff", command=("list", "-q"))
def test_cli_arguments_as_bytes(cli_library, capsys: pytest.CaptureFixture[str], raw: bytes,  # noqa: ANN001
                                command: tuple[str, ...]) -> None:
    """Any bytes as an argument: a result, or one line and exit 1/2; never the internal error."""
    import os

    from reader.cli import main

    arg = os.fsdecode(raw.replace(b"\x00", b"_"))
    try:
        code = main(["--db", str(cli_library), *command, arg])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (code, err)
    assert "internal error" not in err and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len([ln for ln in lines if ln.startswith("reader-cli")]) <= 1, err  # one message line at most


_YAML_PIECES = ["title: ", "tags: ", "date: ", "source: ", "&a ", "&b ", "*a", "*b", "<<: *a", "<<: [*a, *b]", "!!str ",
                "!!binary ", "!!timestamp ", "!!python/object:os.system ", "!!set ", "!!omap ", "? ", ": ", "[", "]",
                "{", "}", ", ", "- ", "\n", "\n  ", "'", '"', "2026-02-30", "2026-13-45T25:61:00", "1e999", "0x1F",
                "9" * 50, "~", "null", "yes", "Belarus", "ș", "#", "|\n  ", ">\n  ", "%YAML 1.1\n", "--- "]


@SMALL
@given(parts=st.lists(st.one_of(st.sampled_from(_YAML_PIECES), st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)), max_size=60))
@example(parts=["a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: *c"])
@example(parts=["base: &b {title: T, tags: [a]}\n<<: *b"])
def test_front_matter_with_yaml_features(parts: list[str]) -> None:
    """Anchors, aliases, tags, merge keys, odd scalars: the body is always imported, fast, with
    capped fields."""
    import time

    from reader.core.importers import MAX_TAGS, MAX_TITLE_CHARS

    front = "".join(parts).replace("\n---", "\n -").replace("\n...", "\n .")
    start = time.perf_counter()
    article = check(f"---\n{front}\n---\nThe body of the note.\n".encode(), ".md")
    assert time.perf_counter() - start < 2.0
    assert article is not None and "The body of the note." in article.body
    assert len(article.title) <= MAX_TITLE_CHARS and len(article.tags) <= MAX_TAGS


_HOSTILE = {
    ".md": ["[l](http://x/1) ", "*a* ", "_b_ ", "`c` ", "<b>", "&amp; ", "> ", "- ", "  ", "[", "](", "\n", "\n\n",
            "# h\n", "![i](x) ", "<http://x> ", "word "],
    ".html": ["<p>", "</p>", "<p a=1 b=2 c=3 d=4>", " x=1", "<div>", "</div>", "<", ">", "text ", "<a href=x>",
              "</a>", "<br>", "<li>", "&nbsp;", "<script>", "</script>", "\n"],
    ".txt": ["Read more\n", "Foto: x\n", "word ", "\n", "\n\n", "Sentence one. ", "Citește și\n", "EPA-EFE nuotr\n"],
}


@pytest.mark.parametrize("ext", EXTENSIONS)
# No shrinking: each example costs seconds, and a shrink would re-run hundreds of them.
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=(Phase.explicit, Phase.generate))
@given(data=st.data())
def test_importer_time_per_megabyte_is_bounded(ext: str, data: st.DataObject) -> None:
    """Run time as a property: hostile pieces repeated up to ~1 MB take at most 1 s + 2 s/MB here
    (the cap, 20 MB, then stays under the issue's 10 s with room for a loaded machine)."""
    import time

    pieces = data.draw(st.lists(st.sampled_from(_HOSTILE[ext]), min_size=1, max_size=8))
    unit = "".join(pieces)
    repeat = data.draw(st.integers(min_value=1000, max_value=max(1001, 1_000_000 // max(1, len(unit)))))
    payload = (unit * repeat).encode("utf-8")
    start = time.perf_counter()
    check(payload, ext)
    elapsed = time.perf_counter() - start
    megabytes = len(payload) / 1_000_000
    assert elapsed <= 1.0 + 2.0 * megabytes, f"{elapsed:.2f} s for {megabytes:.1f} MB of {unit!r}"
