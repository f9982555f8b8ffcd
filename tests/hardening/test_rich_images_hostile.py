"""Issue 11, hostile pictures: every one is refused with a clear one-line reason, none crashes or
hangs the import, and nothing outside the page's folder is ever read."""

from __future__ import annotations

import base64
import io
import os
import random
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from reader.core.importers import images as images_module
from reader.core.importers import parse_bytes, parse_file
from reader.core.importers.images import (
    MAX_ARTICLE_IMAGES,
    MAX_IMAGE_BLOCKS,
    MAX_IMAGE_BYTES,
    ArticleImages,
    check_image,
)
from reader.core.models import ParsedArticle, ParsedImage

TEXT = ("The committee published its report on Monday, after two years of hearings in which more than "
        "a hundred witnesses described how the programme had been run and where the money had gone.")


def picture(fmt: str = "PNG", size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "olive").save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 4096))
            + _chunk(b"IEND", b""))


def jpeg_declaring(width: int, height: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0" + sof + b"\xff\xd9"


def gif_declaring(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b",\0\0\0\0" + struct.pack(
        "<HH", width, height) + b"\x00\x02\x02\x44\x01\x00;"


def webp_declaring(width: int, height: int) -> bytes:
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (
        height - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def refused(image: ParsedImage) -> str:
    assert image.data is None, image
    assert image.reason and "\n" not in image.reason and len(image.reason) < 200, image.reason
    return image.reason


@pytest.mark.parametrize("data", [
    png_declaring(100_000, 100_000), png_declaring(8_000, 8_000), png_declaring(30_000, 10),
    jpeg_declaring(65_000, 65_000), jpeg_declaring(9_000, 9_000),
    gif_declaring(65_535, 65_535), webp_declaring(16_383, 16_383),
], ids=["png-10G", "png-64M", "png-wide", "jpeg-4G", "jpeg-81M", "gif-4G", "webp-268M"])
def test_decompression_bombs_are_refused_from_the_header(data: bytes) -> None:
    start = time.perf_counter()
    reason = refused(check_image(data, "bomb", "a bomb"))
    assert "too" in reason and "pixels" in reason
    assert time.perf_counter() - start < 1.0  # nothing was decoded


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_truncated_pictures_are_refused(fmt: str) -> None:
    whole = picture(fmt, (64, 64))
    assert check_image(whole, "ok").data == whole
    for cut in (len(whole) // 2, len(whole) - 3, 20, 9):
        reason = refused(check_image(whole[:cut], "cut"))
        assert "truncated" in reason or "unreadable" in reason or "not a picture" in reason, reason


def test_a_png_that_is_really_html(tmp_path: Path) -> None:
    reason = refused(check_image(b"<!DOCTYPE html><html><body>Not found</body></html>", "pic.png"))
    assert reason == "not a picture: the file is an HTML page"
    assert "supported format" in refused(check_image(b"GIF88 what", "x.gif"))
    assert "empty" in refused(check_image(b"", "x.png"))


@pytest.mark.parametrize(("svg", "words"), [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>', "event handler"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<image xlink:href="https://tracker.example/p.png"/></svg>', "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#a"/></svg>', "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(\'http://e.example/x\')"/></svg>',
     "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://e.example/a.css);</style></svg>', "imports"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(//e.example/x) }</style></svg>',
     "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>', "HTML"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>', "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="http://e.example"/></svg>', "animates"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;&b;&b;</text></svg>', "entities"),
    ('<?xml-stylesheet href="http://e.example/s.css"?><svg xmlns="http://www.w3.org/2000/svg"/>', "style sheet"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect', "unreadable SVG"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="90000" height="90000"/>', "too large"),
])
def test_svg_with_scripts_or_external_references_is_refused(svg: str, words: str) -> None:
    assert words in refused(check_image(svg.encode(), "drawing.svg"))


def test_a_safe_svg_is_kept_with_its_size() -> None:
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
           b'<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="200" height="100"/>'
           b'<image href="data:image/png;base64,AAAA"/></svg>')
    image = check_image(svg, "ok.svg", "diagram")
    assert (image.mime, image.width, image.height, image.alt, image.reason) == ("image/svg+xml", 200, 100, "diagram", None)


def _page(body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>Report</title></head><body><article><h1>Report</h1>"
            f"<p>{TEXT}</p>{body}<p>{TEXT} The end.</p></article></body></html>").encode()


def _images(parsed: ParsedArticle) -> dict[str, ParsedImage]:
    """Each picture block's picture, by the block's alt text."""
    return {b.alt: parsed.images[b.image] for b in parsed.blocks if b.kind == "image" and b.image is not None}


def test_path_escapes_are_refused_and_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(picture())
    folder = tmp_path / "pages"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page_files" / "ok.png").write_bytes(picture("PNG", (30, 30)))
    os.symlink(outside, folder / "page_files" / "link.png")
    os.symlink(tmp_path, folder / "page_files" / "up")
    page = folder / "page.html"
    page.write_bytes(_page(
        '<img src="../secret.png" alt="dotdot">'
        '<img src="page_files/../../secret.png" alt="nested dotdot">'
        '<img src="%2e%2e/secret.png" alt="encoded">'
        '<img src="..\\secret.png" alt="backslash">'
        f'<img src="{outside}" alt="absolute">'
        f'<img src="file://{outside}" alt="file url">'
        '<img src="page_files/link.png" alt="symlink out">'
        '<img src="page_files/up/secret.png" alt="symlinked folder">'
        '<img src="page_files/missing.png" alt="missing">'
        '<img src="page_files/ok.png" alt="fine">'))
    parsed = parse_file(page)
    got = _images(parsed)
    assert got["fine"].data is not None and got["fine"].width == 30
    for alt in ("dotdot", "nested dotdot", "encoded", "backslash", "symlink out", "symlinked folder"):
        assert "outside the page's folder" in refused(got[alt]), alt
    assert "absolute path" in refused(got["absolute"])
    assert "file:" in refused(got["file url"])
    assert "missing" in refused(got["missing"])


def test_ten_thousand_pictures_in_one_page_are_capped(tmp_path: Path) -> None:
    files = tmp_path / "big_files"
    files.mkdir()
    for n in range(MAX_ARTICLE_IMAGES + 50):
        (files / f"{n}.png").write_bytes(picture("PNG", (8, 8 + n % 50)))
    tags = "".join(f'<img src="big_files/{n % (MAX_ARTICLE_IMAGES + 50)}.png" alt="n{n}">'
                   if n < 2 * MAX_ARTICLE_IMAGES else f'<img src="big_files/none-{n}.png" alt="n{n}">'
                   for n in range(10_000))
    page = tmp_path / "big.html"
    page.write_bytes(_page(f"<p>{tags}</p>"))
    start = time.perf_counter()
    parsed = parse_file(page)
    elapsed = time.perf_counter() - start
    stored = [image for image in parsed.images if image.data is not None]
    assert len(stored) == MAX_ARTICLE_IMAGES
    over = [image for image in parsed.images if image.data is None]
    assert over and all(f"more than {MAX_ARTICLE_IMAGES} pictures" in refused(image) for image in over)
    assert sum(1 for b in parsed.blocks if b.kind == "image") <= MAX_IMAGE_BLOCKS
    assert TEXT in parsed.paragraphs
    assert elapsed < 30, elapsed


def test_the_article_byte_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images_module, "MAX_ARTICLE_IMAGE_BYTES", 3 * len(picture("BMP", (100, 100))))
    for n in range(6):
        out = io.BytesIO()
        Image.effect_noise((100, 100), 40 + n).convert("RGB").save(out, "PNG")
        (tmp_path / f"{n}.png").write_bytes(out.getvalue())
    collector = ArticleImages(tmp_path)
    for n in range(6):
        collector.add([f"{n}.png"], f"p{n}")
    kept = [image for image in collector.images if image.data is not None]
    assert 0 < len(kept) < 6
    assert all("MB" in refused(image) for image in collector.images if image.data is None)


def test_an_oversized_picture_file_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:
        handle.write(picture())
        handle.truncate(MAX_IMAGE_BYTES + 1)  # sparse: the check must stat, not read
    collector = ArticleImages(tmp_path)
    index = collector.add(["huge.png"], "huge")
    assert index is not None and "too large" in refused(collector.images[index])
    assert "too large" in refused(check_image(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES, "x"))


@pytest.mark.parametrize(("uri", "words"), [
    ("data:image/png;base64,!!!not base64!!!", "not valid base64"),
    ("data:image/png;base64", "no comma"),
    ("data:image/png;base64," + base64.b64encode(b"<html><body>hi</body></html>").decode(), "HTML page"),
    ("data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").decode(), "unreadable PNG"),
    ("data:image/gif,GIF89a%ff%ff", "unreadable GIF"),
    ("data:,", "empty"),
    ("data:text/html,<script>alert(1)</script>", "not a picture"),
])
def test_data_uri_garbage(uri: str, words: str) -> None:
    collector = ArticleImages()
    index = collector.add([uri], "x")
    assert index is not None
    assert words in refused(collector.images[index]), refused(collector.images[index])


def test_a_huge_data_uri_is_refused_without_decoding() -> None:
    collector = ArticleImages()
    index = collector.add(["data:image/png;base64," + "A" * (images_module.MAX_DATA_URI_CHARS + 1)], "x")
    assert index is not None and "too large" in refused(collector.images[index])


def test_lazy_page_placeholders_and_tracker_pixels_get_no_block(tmp_path: Path) -> None:
    spacer = base64.b64encode(picture("GIF", (1, 1))).decode()
    (tmp_path / "real.jpg").write_bytes(picture("JPEG", (40, 40)))
    parsed = parse_bytes(_page(
        f'<img src="data:image/gif;base64,{spacer}" data-src="real.jpg" alt="lazy">'
        '<img src="https://t.example/p.gif?u=1" width="1" height="1" alt="pixel">'
        f'<img src="data:image/gif;base64,{spacer}" alt="spacer">'), "lazy.html", folder=tmp_path)
    got = _images(parsed)
    assert got["lazy"].data is not None and got["lazy"].width == 40
    assert "pixel" not in got and "spacer" not in got


def test_random_bytes_behind_picture_signatures_never_crash() -> None:
    rng = random.Random(11)
    heads = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\0\0\0\0WEBP", b"<svg ", b""]
    for _ in range(400):
        data = rng.choice(heads) + rng.randbytes(rng.randint(0, 300))
        image = check_image(data, "fuzz")
        assert image.data is None or image.width and image.height
        if image.data is None:
            refused(image)


def test_a_fifo_or_folder_named_like_a_picture_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")  # opening it for a blocking read would hang the import
    (tmp_path / "dir.png").mkdir()
    collector = ArticleImages(tmp_path)
    for name in ("pipe.png", "dir.png"):
        index = collector.add([name], name)
        assert index is not None and "not a file" in refused(collector.images[index]), name
