"""The highlight palette: the backgrounds highlights are painted with (light and dark theme) and the
saturated swatches (dots in the panel, the sidebar and the tag manager). Widgets only; no signals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QWidget

#: Highlight colours as painted: (light theme, dark theme) backgrounds.
PAINT = {
    "yellow": ("#fff0a0", "#6b5a12"),
    "green": ("#c9f2c2", "#2d5a2a"),
    "blue": ("#c8e0ff", "#24466e"),
    "pink": ("#ffd0e4", "#6e2a48"),
    "purple": ("#e3d2ff", "#4b3470"),
}
#: Swatches (the panel's dots and buttons): one saturated tone per colour.
SWATCH = {"yellow": "#f2c200", "green": "#3fae3a", "blue": "#3b82e0", "pink": "#e85a9a", "purple": "#8d5ad6"}


def swatch_icon(color: str, size: int = 12) -> QIcon:
    """A round colour dot (tag colours in the sidebar and the tag manager)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


def paint_color(color: str, widget: QWidget | None = None) -> QColor:
    """The background a highlight of ``color`` gets in the current theme."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    light_c, dark_c = PAINT.get(color, PAINT["yellow"])
    return QColor(dark_c if dark else light_c)


__all__ = ["PAINT", "SWATCH", "paint_color", "swatch_icon"]
