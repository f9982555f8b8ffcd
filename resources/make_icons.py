"""Export resources/icon.svg to PNGs (16..512) with Qt's QSvgRenderer: `python resources/make_icons.py`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402, TID251
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402, TID251
from PySide6.QtSvg import QSvgRenderer  # noqa: E402, TID251

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    here = Path(__file__).resolve().parent
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(here / "icon.svg"))
    out = here / "icons"
    out.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(out / f"icon-{size}.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
