"""reader-cli on articles with structure and pictures (issue 11): show, show --json, image, and the
done-when checks "export --all -o DIR" and backup then restore into an empty library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.helpers import rich_export
from tests.helpers.rich_export import RichLibrary, sha


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def rich(tmp_path: Path) -> RichLibrary:
    return rich_export.build(tmp_path / "rich.db")


def test_show_json_has_blocks_and_images(capsys: pytest.CaptureFixture[str], rich: RichLibrary) -> None:
    code, out, _ = run(capsys, rich.path, "show", str(rich.rich), "--json")
    assert code == 0
    data = json.loads(out)
    blocks = data["blocks"]
    assert blocks[0] == {"kind": "heading", "text": "Intro", "level": 2}
    assert {"kind": "list_item", "text": "nested item", "ordered": False, "depth": 1} in blocks
    assert {"kind": "list_item", "text": "step two", "ordered": True, "depth": 0} in blocks
    assert {"kind": "quote", "text": "A quoted line"} in blocks or \
        any(b["kind"] == "quote" and b["text"] == "A quoted line" for b in blocks)
    red = next(b for b in blocks if b["kind"] == "image" and b["alt"] == "A red square")
    assert red["image"] == sha(rich.red) and red["text"] == "Figure 1: a red square"
    gone = next(b for b in blocks if b["kind"] == "image" and b["alt"] == "Gone")
    assert gone["image"] is None and gone["src"] == "page_files/missing.png"
    # the texts of the blocks with text are the body's paragraphs, in order
    assert [b["text"] for b in blocks if b["text"]] == data["body"].split("\n\n")
    assert data["images"] == [
        {"sha256": sha(rich.red), "mime": "image/png", "width": 4, "height": 3, "bytes": len(rich.red),
         "alt": "A red square"},
        {"sha256": sha(rich.blue), "mime": "image/png", "width": 2, "height": 2, "bytes": len(rich.blue),
         "alt": "Blue"},
    ]
    code, out, _ = run(capsys, rich.path, "show", str(rich.plain), "--json")
    data = json.loads(out)
    assert data["blocks"] == [{"kind": "paragraph", "text": "One."},
                              {"kind": "paragraph", "text": "Two # not a heading."}]
    assert data["images"] == []


def test_show_prints_the_structure_readably(capsys: pytest.CaptureFixture[str], rich: RichLibrary) -> None:
    code, out, _ = run(capsys, rich.path, "show", str(rich.rich))
    assert code == 0
    text = out.split("\n\n", 1)[1]
    assert text.startswith("## Intro\n\nFirst paragraph with *stars* and a [bracket].\n\n"
                           "- first item\n  - nested item\n- second item\n\n### Steps\n\n1. step one\n2. step two\n\n"
                           "> A quoted line\n\n    def f():\n        return 1\n\n---\n\n| Name | Value |\n| alpha | 1 |\n\n"
                           "[picture: A red square]\nFigure 1: a red square\n\n[picture: Blue]\n\n"
                           "[picture, not stored: Tracker]\n\n[picture, not stored: Gone]\n\nLast paragraph.\n")
    code, out, _ = run(capsys, rich.path, "show", str(rich.plain))
    assert out.endswith("\n\nOne.\n\nTwo # not a heading.\n")  # an article of paragraphs: as before


def test_image_writes_one_picture_out(capsysbinary: pytest.CaptureFixture[bytes], rich: RichLibrary,
                                      tmp_path: Path) -> None:
    target = tmp_path / "red.png"
    code = main(["--db", str(rich.path), "image", sha(rich.red), "-o", str(target)])
    out, err = capsysbinary.readouterr()
    assert code == 0 and err == b"" and target.read_bytes() == rich.red
    assert out.decode().startswith(f"wrote {sha(rich.red)}  image/png  4x3  ")
    # an existing file is kept unless --force
    target.write_bytes(b"mine")
    code = main(["--db", str(rich.path), "image", sha(rich.red), "-o", str(target)])
    out, err = capsysbinary.readouterr()
    assert code == 1 and target.read_bytes() == b"mine"
    assert err.decode().count("\n") == 1 and "exists" in err.decode() and "--force" in err.decode()
    code = main(["--db", str(rich.path), "image", sha(rich.red).upper(), "-o", str(target), "--force"])
    capsysbinary.readouterr()
    assert code == 0 and target.read_bytes() == rich.red
    # the library file itself is never a target
    code = main(["--db", str(rich.path), "image", sha(rich.red), "-o", str(rich.path), "--force"])
    _, err = capsysbinary.readouterr()
    assert code == 1 and b"library" in err
    # -o FOLDER names the file by its sha256 and type
    code = main(["--db", str(rich.path), "image", sha(rich.blue), "-o", str(tmp_path)])
    capsysbinary.readouterr()
    assert code == 0 and (tmp_path / f"{sha(rich.blue)}.png").read_bytes() == rich.blue
    # -o - writes the bytes to standard output
    code = main(["--db", str(rich.path), "image", sha(rich.blue), "-o", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0 and out == rich.blue and err == b""


def test_image_json_and_unknown_sha(capsys: pytest.CaptureFixture[str], rich: RichLibrary, tmp_path: Path) -> None:
    code, out, _ = run(capsys, rich.path, "image", sha(rich.blue), "--json")
    assert code == 0 and json.loads(out) == {"sha256": sha(rich.blue), "mime": "image/png", "width": 2,
                                             "height": 2, "bytes": len(rich.blue), "alt": "Blue"}
    code, out, _ = run(capsys, rich.path, "image", sha(rich.blue))
    assert code == 0 and out == f"{sha(rich.blue)}  image/png  2x2  {len(rich.blue):,} bytes\n"
    for unknown in ("0" * 64, "not-a-sha"):
        code, out, err = run(capsys, rich.path, "image", unknown, "-o", str(tmp_path / "x.png"))
        assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("reader-cli: ")
        assert not (tmp_path / "x.png").exists()


def test_export_all_writes_markdown_with_structure_and_the_picture_files(
        capsys: pytest.CaptureFixture[str], rich: RichLibrary, tmp_path: Path) -> None:
    out_dir = tmp_path / "vault"
    code, out, err = run(capsys, rich.path, "export", "--all", "-o", str(out_dir))
    assert code == 0, err
    assert out == f"exported 3 articles to 3 files in {out_dir} (2 pictures in {out_dir / 'assets'})\n"
    text = (out_dir / "Rich article.md").read_text(encoding="utf-8")
    assert "\n## Intro\n" in text and "\n- first item\n" in text and "\n1. step one\n" in text
    assert "\n> A quoted line\n" in text
    link = f"assets/{sha(rich.red)}.png"
    assert f"\n![A red square]({link})\n" in text
    assert (out_dir / link).read_bytes() == rich.red  # the picture file itself, its bytes


def test_backup_then_restore_into_an_empty_library_keeps_the_images(
        capsys: pytest.CaptureFixture[str], rich: RichLibrary, tmp_path: Path) -> None:
    zip_path = tmp_path / "backup.zip"
    code, out, err = run(capsys, rich.path, "backup", str(zip_path))
    assert code == 0, err
    assert "2 pictures" in out
    fresh = tmp_path / "fresh.db"
    code, out, err = run(capsys, fresh, "restore", str(zip_path))
    assert code == 0, err
    assert "2 pictures" in out
    code, out, _ = run(capsys, fresh, "show", str(rich.rich), "--json")
    images = json.loads(out)["images"]
    assert [i["sha256"] for i in images] == [sha(rich.red), sha(rich.blue)]
    target = tmp_path / "back.png"
    code, _, _ = run(capsys, fresh, "image", sha(rich.red), "-o", str(target))
    assert code == 0 and target.read_bytes() == rich.red
