"""Pictures an importer finds: checked from their bytes, read only from where they may be read.

:func:`check_image` decides whether some bytes are a picture the library keeps: the type is sniffed
from the bytes (never from the name or the declared type): PNG, JPEG, GIF and WebP through Pillow's
``Image.open``, which reads the header only (the pixels are decoded later, by the reader pane), and
SVG only without scripts, event handlers, embedded HTML or references to anything but ``#fragment``
and ``data:``. Width and height come from the header and are checked before anything is decoded
(decompression bombs): at most :data:`MAX_SIDE` pixels a side and :data:`MAX_PIXELS` in all. A file
that is cut off (no PNG ``IEND``, no JPEG end marker, no GIF trailer, a WebP shorter than its RIFF
size) is refused too. A refused picture is a :class:`~reader.core.models.ParsedImage` with
``data=None`` and a one-line ``reason``.

:class:`ArticleImages` is what the HTML and Markdown importers collect an article's pictures with:
``data:`` URIs (base64 and percent-encoded), files under the document's folder (a saved page's
``<name>_files/`` or any relative path; never outside the folder: ``../`` and symlinks out are
refused) and remote ``http(s)`` pictures, kept as "not available" with their alt text. A local
import never fetches anything; a page fetched by the feeds (``base_url``) gets absolute URLs, which
the feeds then fetch. Caps: :data:`MAX_IMAGE_BYTES` a picture, :data:`MAX_ARTICLE_IMAGE_BYTES` and
:data:`MAX_ARTICLE_IMAGES` an article (counted before a file is read), and at most
:data:`MAX_IMAGE_BLOCKS` picture blocks (past that, pictures are left out of the structure). A
picture of at most :data:`TRACKER_SIDE` pixels a side (declared in the markup or read from the file)
is a tracker or a spacer: it gets no block and is neither fetched nor stored.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import stat
import struct
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from reader.core.models import ParsedImage

#: Largest picture kept (bytes).
MAX_IMAGE_BYTES = 15 * 1024 * 1024
#: Most pixels a picture may declare (width x height), and the longest side.
MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
#: Per article: most bytes of pictures kept, most pictures read, most picture blocks made.
MAX_ARTICLE_IMAGE_BYTES = 60 * 1024 * 1024
MAX_ARTICLE_IMAGES = 200
MAX_IMAGE_BLOCKS = 1000
#: A picture this small (a side of at most this many pixels, both sides) is a tracker or spacer.
TRACKER_SIDE = 2
#: Longest ``data:`` URI decoded (base64 of :data:`MAX_IMAGE_BYTES`, with room for line breaks).
MAX_DATA_URI_CHARS = MAX_IMAGE_BYTES * 4 // 3 + 1024 * 1024

MIME_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SVG_MIME = "image/svg+xml"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def sniff_image(data: bytes) -> str | None:
    """The picture format the bytes begin with (``PNG``, ``JPEG``, ``GIF``, ``WEBP``, ``SVG``), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if _looks_like_svg(data):
        return "SVG"
    return None


_XML_PROLOGUE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s++|<\?xml[^>]*+>|<!--.*?-->|<!DOCTYPE[^>\[]*+(?:\[[^\]]*+\])?\s*+>)*+<svg[\s>]",
                           re.DOTALL | re.IGNORECASE)


def _looks_like_svg(data: bytes) -> bool:
    return bool(_XML_PROLOGUE.match(data[:65536]))


def _not_a_picture(data: bytes) -> str:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "not a picture: the file is an HTML page"
    if head.startswith(b"<"):
        return "not a picture: the file is XML or markup that is not SVG"
    return "not a picture in a supported format (PNG, JPEG, GIF, WebP, SVG)"


def _refused(src: str, alt: str, reason: str) -> ParsedImage:
    return ParsedImage(src=src, alt=alt, reason=reason)


def check_image(data: bytes, src: str, alt: str = "") -> ParsedImage:
    """``data`` as a picture the library may keep, or refused (``data=None``) with a reason."""
    if not data:
        return _refused(src, alt, "empty picture file")
    if len(data) > MAX_IMAGE_BYTES:
        return _refused(src, alt, f"picture too large ({_mb(len(data))}; the limit is "
                                  f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB)")
    kind = sniff_image(data)
    if kind is None:
        return _refused(src, alt, _not_a_picture(data))
    if kind == "SVG":
        size_or_reason = check_svg(data)
        if isinstance(size_or_reason, str):
            return _refused(src, alt, size_or_reason)
        width, height = size_or_reason
        return ParsedImage(src=src, data=data, mime=SVG_MIME, width=width, height=height, alt=alt)
    try:
        width, height = _raster_size(data, kind)
    except _Refused as exc:
        return _refused(src, alt, str(exc))
    reason = _dimension_problem(width, height) or _cut_off(data, kind)
    if reason:
        return _refused(src, alt, reason)
    return ParsedImage(src=src, data=data, mime=MIME_TYPES[kind], width=width, height=height, alt=alt)


class _Refused(Exception):
    pass


def _raster_size(data: bytes, kind: str) -> tuple[int, int]:
    """(width, height) from the header, through Pillow (no pixel is decoded)."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # a build that left Pillow out: say so rather than fail the import
        raise _Refused("cannot check pictures here (Pillow is not installed)") from None

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise _Refused(f"picture declares too many pixels (the limit is {MAX_PIXELS:,})") from None
    except UnidentifiedImageError:
        raise _Refused(f"unreadable {kind} picture (a broken header)") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError, struct.error):
        raise _Refused(f"unreadable {kind} picture (broken or cut off before its size)") from None
    return int(width), int(height)


def _dimension_problem(width: int, height: int) -> str | None:
    if width <= 0 or height <= 0:
        return "picture with no size (width or height is 0)"
    if width > MAX_SIDE or height > MAX_SIDE:
        return f"picture too large ({width:,} x {height:,} pixels; at most {MAX_SIDE:,} a side)"
    if width * height > MAX_PIXELS:
        return f"picture too large ({width:,} x {height:,} pixels; at most {MAX_PIXELS:,} in all)"
    return None


def _cut_off(data: bytes, kind: str) -> str | None:
    """A reason when the file ends before the picture does (checked from its last bytes only)."""
    end = data.rfind(b"IEND", max(0, len(data) - 64))
    if kind == "PNG" and (end < 0 or len(data) < end + 8):  # the end chunk and its checksum
        return "truncated PNG picture (no end chunk)"
    if kind == "JPEG" and data.rfind(b"\xff\xd9", max(0, len(data) - 65536)) < 0:
        return "truncated JPEG picture (no end marker)"
    if kind == "GIF" and not data.rstrip(b"\x00\r\n ").endswith(b";"):
        return "truncated GIF picture (no trailer)"
    if kind == "WEBP" and len(data) < int.from_bytes(data[4:8], "little") + 8:
        return "truncated WebP picture (shorter than its header says)"
    return None


# --- SVG -------------------------------------------------------------------------------------------
_SVG_NS = "{http://www.w3.org/2000/svg}"
_URL_REF = re.compile(r"url\(\s*+['\"]?([^'\")]*+)", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$")
_UNITS = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "em": 16.0, "ex": 8.0}
#: Size an SVG without width, height or viewBox is given (the CSS default for a replaced element).
DEFAULT_SVG_SIZE = (300, 150)


def _local_ref(value: str) -> bool:
    value = value.strip()
    return not value or value.startswith("#") or value[:5].lower() == "data:"


def check_svg(data: bytes) -> tuple[int, int] | str:
    """(width, height) of an SVG that may be kept, or the reason it is refused."""
    from lxml import etree

    if b"<!ENTITY" in data or b"<!entity" in data:
        return "SVG refused: it declares XML entities"
    if b"<?xml-stylesheet" in data:
        return "SVG refused: it loads a style sheet"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return f"unreadable SVG picture ({' '.join(str(exc).split())[:80] or 'not well-formed'})"
    if root is None or etree.QName(root).localname != "svg":
        return "not a picture: XML that is not SVG"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name == "script":
            return "SVG refused: it has a script"
        if name == "foreignObject":
            return "SVG refused: it embeds HTML (foreignObject)"
        if name in ("set", "animate") and (el.get("attributeName") or "").split(":")[-1] == "href":
            return "SVG refused: it animates a reference"
        if name == "style" and el.text:
            if "@import" in el.text.lower():
                return "SVG refused: its style sheet imports another"
            for ref in _URL_REF.findall(el.text):
                if not _local_ref(ref):
                    return f"SVG refused: an external reference ({_short(ref)})"
        for key, value in el.attrib.items():
            local = etree.QName(key).localname.lower()
            if local.startswith("on"):
                return f"SVG refused: an event handler ({local})"
            if local == "href" and not _local_ref(value):
                return f"SVG refused: an external reference ({_short(value)})"
            if "url(" in value.lower():
                for ref in _URL_REF.findall(value):
                    if not _local_ref(ref):
                        return f"SVG refused: an external reference ({_short(ref)})"
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    box = _view_box(root.get("viewBox"))
    if width is None or height is None:
        if box is not None:
            bw, bh = box
            if width is None and height is None:
                width, height = bw, bh
            elif width is None and height is not None:
                width = height * bw / bh
            elif width is not None:
                height = width * bh / bw
        else:
            width = width if width is not None else DEFAULT_SVG_SIZE[0]
            height = height if height is not None else DEFAULT_SVG_SIZE[1]
    assert width is not None and height is not None
    w, h = max(1, round(width)), max(1, round(height))
    problem = _dimension_problem(w, h)
    return problem if problem else (w, h)


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "..."


def _svg_length(value: str | None) -> float | None:
    if not value:
        return None
    m = _LENGTH.match(value)
    if not m:
        return None
    number = float(m.group(1)) * _UNITS[m.group(2)]
    return number if 0 < number < 1e9 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    parts = re.split(r"[\s,]+", value.strip())
    if len(parts) != 4:
        return None
    try:
        w, h = float(parts[2]), float(parts[3])
    except ValueError:
        return None
    return (w, h) if 0 < w < 1e9 and 0 < h < 1e9 else None


# --- data: URIs ------------------------------------------------------------------------------------
def decode_data_uri(uri: str) -> bytes | str:
    """The bytes of a ``data:`` URI (base64 or percent-encoded), or the reason they cannot be read."""
    if len(uri) > MAX_DATA_URI_CHARS:
        return f"data: picture too large ({_mb(len(uri))} of text)"
    head, comma, payload = uri[5:].partition(",")
    if not comma:
        return "unreadable data: URI (no comma before the data)"
    if head.lower().rstrip().endswith(";base64"):
        cleaned = re.sub(r"[\s]+", "", unquote(payload) if "%" in payload else payload)
        try:
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
        except (binascii.Error, ValueError):
            return "unreadable data: URI (not valid base64)"
    try:
        return unquote_to_bytes(payload)
    except (ValueError, TypeError):
        return "unreadable data: URI"


# --- an article's pictures -------------------------------------------------------------------------
_SRCSET_ITEM = re.compile(r"\s*+([^\s,][^\s]*+)(?:\s++([0-9.]+)([wx]))?[^,]*+,?")


def srcset_candidates(srcset: str | None) -> list[str]:
    """The URLs of a ``srcset``, largest first (``w`` widths, else ``x`` densities; plain ones last)."""
    if not srcset:
        return []
    found: list[tuple[float, int, str]] = []
    for index, m in enumerate(_SRCSET_ITEM.finditer(srcset[:20_000])):
        url = m.group(1).rstrip(",")
        if not url:
            continue
        try:
            size = float(m.group(2)) if m.group(2) else 0.0
        except ValueError:
            size = 0.0
        if m.group(3) == "x":
            size *= 1000  # densities rank after nothing but compare among themselves
        found.append((-size, index, url))
        if len(found) >= 64:
            break
    return [url for _, _, url in sorted(found)]


@dataclass(frozen=True, slots=True)
class _Source:
    kind: str  # data | remote | file | refused
    key: str  # what identifies the picture (for de-duplication)
    src: str  # what ParsedImage.src keeps
    path: str | None = None  # a file: its real path (symlinks resolved), under the folder
    reason: str | None = None
    uri: str | None = None  # a data: URI


class ArticleImages:
    """An article's pictures as the importer meets them, with the caps applied (see module doc).

    ``folder`` is the document's folder (None: relative pictures are not available); ``base_url``
    a fetched page's address (relative pictures become absolute URLs, ``data=None``)."""

    def __init__(self, folder: Path | None = None, base_url: str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._root: str | None = None
        self.base_url = base_url
        self.images: list[ParsedImage] = []
        self._by_key: dict[str, int] = {}
        self._read = 0
        self._bytes = 0
        self.blocks = 0
        self.left_out = 0  # pictures beyond MAX_IMAGE_BLOCKS or trackers: no block

    def add(self, srcs: Sequence[str | None], alt: str = "", candidates: Sequence[str] = (),
            declared: tuple[str | None, str | None] = (None, None)) -> int | None:
        """The index (into :attr:`images`) of the picture: the largest local one of ``candidates``
        (a ``srcset``, largest first), else the first of ``srcs`` (``src``, ``data-src``...) that is
        local, else the first one at all; None when it gets no block (a tracker, past the caps)."""
        alt = " ".join((alt or "").split())[:1000]
        if _tiny(declared) or self.blocks >= MAX_IMAGE_BLOCKS:
            self.left_out += 1
            return None
        for source in self._order(srcs, candidates)[:4]:
            key = f"{source.kind}:{source.reason or ''}:{source.key}"
            index = self._by_key.get(key)
            if index is None:
                image = self._load(source, alt)
                if image.data is not None and (image.width or 0) <= TRACKER_SIDE \
                        and (image.height or 0) <= TRACKER_SIDE:
                    self._bytes -= len(image.data)
                    self._by_key[key] = -1
                    continue  # a spacer or tracker (a lazy page's placeholder): try the next one
                index = len(self.images)
                self.images.append(image)
                self._by_key[key] = index
            elif index < 0:
                continue
            self.blocks += 1
            return index
        self.left_out += 1
        return None

    def _order(self, srcs: Sequence[str | None], candidates: Sequence[str]) -> list[_Source]:
        """The sources to try, best first (see :meth:`add`)."""
        listed = [s for s in (self._classify(c) for c in candidates[:64]) if s is not None]
        mains = [s for s in (self._classify(c) for c in srcs[:8]) if s is not None]
        local = [s for s in listed if s.kind == "data" or (s.kind == "file" and s.path is not None and os.path.isfile(s.path))]
        ordered = local[:1] + [s for s in mains if s.kind in ("file", "data")] + [s for s in mains if s.kind not in ("file", "data")]
        if not ordered:
            ordered = listed[:1]
        return ordered

    def _classify(self, raw: str | None) -> _Source | None:
        src = (raw or "").strip()
        if not src:
            return None
        lowered = src[:8].lower()
        if lowered.startswith("data:"):
            return _Source("data", src, "data:", uri=src)
        if self.base_url is not None:
            absolute = urljoin(self.base_url, src) if len(src) <= 8192 else src
            if absolute[:8].lower().startswith(("http://", "https://")):
                return _Source("remote", absolute, absolute, reason="not fetched yet (a picture on the web)")
            return _Source("refused", absolute, src[:2048], reason="not a web address the feeds can fetch")
        if lowered.startswith(("http://", "https://")) or src.startswith("//"):
            return _Source("remote", src, src[:4096],
                           reason="not available offline (a picture on the web; a local import never fetches)")
        scheme = urlsplit(src).scheme if len(src) <= 8192 else ""
        if scheme and len(scheme) > 1:  # "c:" alone is a Windows drive, refused below as absolute
            return _Source("refused", src, src[:2048], reason=f"not available ({scheme}: reference)")
        if self.folder is None:
            return _Source("refused", src, src[:2048], reason="not available (no folder to read it from)")
        path_text = unquote(src.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
        if not path_text or path_text.startswith("/") or re.match(r"^[A-Za-z]:", path_text) or "\x00" in path_text:
            return _Source("refused", src, src[:2048], reason="not available (an absolute path, not under the page's folder)")
        try:  # os.path on strings: pathlib's resolve() cost ~0.2 ms a picture
            if self._root is None:
                self._root = os.path.realpath(self.folder)
            path = os.path.realpath(os.path.join(self._root, path_text))
        except (OSError, ValueError, RuntimeError):
            return _Source("refused", src, src[:2048], reason="not available (an unreadable path)")
        if not path.startswith(self._root.rstrip(os.sep) + os.sep):
            return _Source("refused", path, src[:2048], reason="refused: the picture is outside the page's folder")
        return _Source("file", path, src[:2048], path=path)

    def _load(self, source: _Source, alt: str) -> ParsedImage:
        if source.kind in ("remote", "refused"):
            return ParsedImage(src=source.src, alt=alt, reason=source.reason)
        if self._read >= MAX_ARTICLE_IMAGES:
            return ParsedImage(src=source.src, alt=alt,
                               reason=f"left out: more than {MAX_ARTICLE_IMAGES} pictures in the article")
        self._read += 1
        if source.kind == "data":
            assert source.uri is not None
            return self._checked(decode_data_uri(source.uri), source.src, alt)
        assert source.path is not None
        return self._checked(_read_file(source.path), source.src, alt)

    def _checked(self, data: bytes | str, src: str, alt: str) -> ParsedImage:
        if isinstance(data, str):
            return ParsedImage(src=src, alt=alt, reason=data)
        if self._bytes + len(data) > MAX_ARTICLE_IMAGE_BYTES:
            return ParsedImage(src=src, alt=alt, reason=(
                f"left out: the article's pictures would pass {MAX_ARTICLE_IMAGE_BYTES // (1024 * 1024)} MB"))
        image = check_image(data, src, alt)
        if image.data is not None:
            self._bytes += len(image.data)
        return image

    def tuple(self) -> tuple[ParsedImage, ...]:
        return tuple(self.images)


def _tiny(declared: tuple[str | None, str | None]) -> bool:
    sizes = []
    for value in declared:
        m = re.match(r"^\s*(\d{1,6})(?:\.\d*)?\s*(?:px)?\s*$", value or "")
        if not m:
            return False
        sizes.append(int(m.group(1)))
    return all(s <= TRACKER_SIDE for s in sizes)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_file(path: str) -> bytes | str:
    """The file's bytes, or why not. ``path`` is already real (no symlink): it is opened without
    following one (a link put there since is refused), checked to be a regular file of at most
    :data:`MAX_IMAGE_BYTES` on the open descriptor (no FIFO or device is ever read), then read."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return "not available (the file is missing)"
    except OSError as exc:
        return f"not available (cannot read the file: {exc.strerror or exc})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not available (not a file)"
        if info.st_size > MAX_IMAGE_BYTES:
            return f"picture too large ({_mb(info.st_size)}; the limit is {MAX_IMAGE_BYTES // (1024 * 1024)} MB)"
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        return f"not available (cannot read the file: {exc.strerror or exc})"
    finally:
        if fd >= 0:
            os.close(fd)


__all__ = [
    "MAX_ARTICLE_IMAGES", "MAX_ARTICLE_IMAGE_BYTES", "MAX_IMAGE_BLOCKS", "MAX_IMAGE_BYTES", "MAX_PIXELS",
    "MAX_SIDE", "ArticleImages", "check_image", "check_svg", "decode_data_uri", "sniff_image",
    "srcset_candidates",
]
