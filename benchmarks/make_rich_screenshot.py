"""Make ``docs/screenshot-rich.png``: an article with a heading, a list, a quote and a picture, through
``reader --db LIB --screenshot OUT`` (the real command; it waits for the pictures to be decoded).

    Xvfb :98 & DISPLAY=:98 python benchmarks/make_rich_screenshot.py [--out docs/screenshot-rich.png]
    python benchmarks/make_rich_screenshot.py --offscreen          # no display: Qt's offscreen platform

The library is made here, in a temporary folder: the article is stored the way an importer stores a
saved page (blocks and a picture, :class:`~reader.core.models.ParsedBlock`), the picture drawn here
(a harbour at dawn: no photo of unknown licence in the repository).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TITLE = "A morning in the harbour"
PARAGRAPHS = (
    "The boats leave before the sun is up. By the time the light reaches the water, the quay is empty "
    "except for the nets drying on their frames.",
    "Dawn over the harbour: the fishing boats have already left.",
    "What the harbour keeps",
    "Nets mended by hand, some older than the boats",
    "A chapel for the ones who did not come back",
    "The tide table painted on the harbour master's door",
    "The sea gives and the sea takes; the harbour only keeps count.",
    "In the afternoon the boats come home one by one, and the quay fills again with voices, crates and "
    "the smell of diesel and salt.",
)


def harbour_png(width: int = 1200, height: int = 700) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import (
        QBrush,
        QColor,
        QGuiApplication,
        QImage,
        QLinearGradient,
        QPainter,
        QPainterPath,
        QPen,
    )

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(width, height, QImage.Format.Format_RGB32)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    sky = QLinearGradient(0, 0, 0, height * 0.62)
    sky.setColorAt(0, QColor("#2b3a67"))
    sky.setColorAt(0.55, QColor("#e07a5f"))
    sky.setColorAt(1, QColor("#f2cc8f"))
    p.fillRect(QRectF(0, 0, width, height * 0.62), sky)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffe8a3"))
    p.drawEllipse(QPointF(width * 0.68, height * 0.6), 70, 70)
    sea = QLinearGradient(0, height * 0.6, 0, height)
    sea.setColorAt(0, QColor("#3d5a80"))
    sea.setColorAt(1, QColor("#1b263b"))
    p.fillRect(QRectF(0, height * 0.6, width, height * 0.4), sea)
    p.setPen(QPen(QColor(255, 232, 163, 120), 3))
    for k in range(14):  # the sun's path on the water
        y = height * 0.64 + k * 16
        half = 90 - k * 5
        p.drawLine(QPointF(width * 0.68 - half, y), QPointF(width * 0.68 + half, y))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#14213d"))
    quay = QPainterPath()
    quay.moveTo(0, height * 0.78)
    quay.lineTo(width * 0.42, height * 0.74)
    quay.lineTo(width * 0.42, height)
    quay.lineTo(0, height)
    p.drawPath(quay)
    p.drawRect(QRectF(width * 0.12, height * 0.48, 46, height * 0.3))  # the lighthouse
    p.setBrush(QColor("#ffd166"))
    p.drawRect(QRectF(width * 0.12 + 8, height * 0.5, 30, 22))
    p.setBrush(QBrush(QColor("#0b132b")))
    for x, s in ((0.55, 1.0), (0.83, 0.7), (0.93, 0.5)):  # boats far out
        hull = QPainterPath()
        cx, cy = width * x, height * 0.66
        hull.moveTo(cx - 50 * s, cy)
        hull.lineTo(cx + 50 * s, cy)
        hull.lineTo(cx + 36 * s, cy + 16 * s)
        hull.lineTo(cx - 36 * s, cy + 16 * s)
        p.drawPath(hull)
        p.drawRect(QRectF(cx - 2 * s, cy - 60 * s, 4 * s, 60 * s))
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def build_library(db: Path) -> None:
    from reader.core.models import LanguageGuess, ParsedArticle, ParsedBlock, ParsedImage
    from reader.core.storage import Library

    png = harbour_png()
    blocks = (
        ParsedBlock("paragraph", PARAGRAPHS[0]),
        ParsedBlock("image", PARAGRAPHS[1], image=0, alt="The harbour at dawn"),
        ParsedBlock("heading", PARAGRAPHS[2], level=2),
        ParsedBlock("list_item", PARAGRAPHS[3]),
        ParsedBlock("list_item", PARAGRAPHS[4]),
        ParsedBlock("list_item", PARAGRAPHS[5]),
        ParsedBlock("quote", PARAGRAPHS[6]),
        ParsedBlock("paragraph", PARAGRAPHS[7]),
    )
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)
        lib.add_article(ParsedArticle(
            title=TITLE, paragraphs=PARAGRAPHS, source="Harbour Notes", published="2026-11-28",
            file_name="harbour.html", blocks=blocks,
            images=(ParsedImage("harbour_files/dawn.png", png, "image/png", 1200, 700, "The harbour at dawn"),)),
            LanguageGuess("en", 0.99))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot-rich.png")
    parser.add_argument("--offscreen", action="store_true")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="rich-shot-"))
    env = dict(os.environ, READER_CONFIG_DIR=str(home / "config"), READER_DATA_DIR=str(home / "data"))
    if args.offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    db = home / "harbour.db"
    build_library(db)
    cmd = [sys.executable, "-m", "reader", "--db", str(db), "--screenshot", str(args.out)]
    done = subprocess.run(cmd, env=env, cwd=REPO, timeout=180)
    if done.returncode == 0:
        print(f"wrote {args.out}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
