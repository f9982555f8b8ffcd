"""Export the application icon to the formats the desktop builds want: ``resources/icon.ico``
(Windows executables) and ``resources/icon.icns`` (the macOS app bundle).

The one source image is ``resources/icon.svg``; ``resources/make_icons.py`` renders it with Qt to
``resources/icons/icon-<size>.png``. This script packs those renderings with Pillow (the ``build``
extra), each size as drawn rather than scaled down from the largest one:

    python resources/make_icons.py && python packaging/make_icons.py

Linux needs neither file: packaging/linux/install.sh installs the PNGs and the SVG themselves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico holds
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # the sizes Pillow's ICNS writer stores (with @2x variants)


def load_renderings(folder: Path, sizes: tuple[int, ...]) -> list[Image.Image]:
    """The square RGBA renderings ``icon-<size>.png`` for ``sizes``, largest first."""
    images = []
    for size in sorted(sizes, reverse=True):
        path = folder / f"icon-{size}.png"
        if not path.is_file():
            raise SystemExit(f"make_icons: {path} is missing; run resources/make_icons.py first")
        image = Image.open(path).convert("RGBA")
        if image.size != (size, size):
            raise SystemExit(f"make_icons: {path} is {image.size[0]}x{image.size[1]}, expected {size}x{size}")
        images.append(image)
    return images


def write_ico(renderings: Path, out: Path) -> None:
    """A multi-size Windows icon, one entry per rendering."""
    images = load_renderings(renderings, ICO_SIZES)
    images[0].save(out, format="ICO", sizes=[im.size for im in images], append_images=images[1:])


def write_icns(renderings: Path, out: Path) -> None:
    """A macOS icon family; Pillow picks the rendering of each size it stores."""
    images = load_renderings(renderings, ICNS_SIZES)
    images[0].save(out, format="ICNS", append_images=images[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renderings", type=Path, default=ROOT / "resources" / "icons",
                        help="folder with icon-<size>.png (default: resources/icons)")
    parser.add_argument("--out", type=Path, default=ROOT / "resources",
                        help="where icon.ico and icon.icns are written (default: resources)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_ico(args.renderings, args.out / "icon.ico")
    write_icns(args.renderings, args.out / "icon.icns")
    for name in ("icon.ico", "icon.icns"):
        print(f"{args.out / name} ({(args.out / name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
