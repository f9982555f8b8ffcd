"""Light and dark themes: the Fusion style, a palette, and a small .qss from ``resources/``.

``system`` follows the platform's colour scheme (``QStyleHints.colorScheme``) and keeps following it.

The .qss is applied to a few named widgets (:data:`STYLED`), never application-wide: any app-level
style sheet routes every paint through QStyleSheetStyle, which made scrolling the 100k-row article
list ~40% slower here. The article list is styled by the palette alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from reader.paths import resource

LIGHT = {
    "window": "#f6f6f4", "base": "#ffffff", "alt": "#f2f2ef", "text": "#1f1f1f", "muted": "#6b6b6b",
    "button": "#efefec", "highlight": "#2f6fd6", "highlighted_text": "#ffffff", "link": "#1f5fbf",
    "tooltip": "#fffbe6",
}
DARK = {
    "window": "#1f2023", "base": "#17181a", "alt": "#232428", "text": "#e4e4e2", "muted": "#9a9a98",
    "button": "#2a2b2f", "highlight": "#3d6fc4", "highlighted_text": "#ffffff", "link": "#8ab4f8",
    "tooltip": "#2a2b2f",
}


def resolve(theme: str) -> str:
    """``light`` or ``dark`` for a setting value (``system`` asks the platform)."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def palette_for(name: str) -> QPalette:
    c = DARK if name == "dark" else LIGHT
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c["window"]))
    p.setColor(role.WindowText, QColor(c["text"]))
    p.setColor(role.Base, QColor(c["base"]))
    p.setColor(role.AlternateBase, QColor(c["alt"]))
    p.setColor(role.Text, QColor(c["text"]))
    p.setColor(role.PlaceholderText, QColor(c["muted"]))
    p.setColor(role.Button, QColor(c["button"]))
    p.setColor(role.ButtonText, QColor(c["text"]))
    p.setColor(role.Highlight, QColor(c["highlight"]))
    p.setColor(role.HighlightedText, QColor(c["highlighted_text"]))
    p.setColor(role.Link, QColor(c["link"]))
    p.setColor(role.ToolTipBase, QColor(c["tooltip"]))
    p.setColor(role.ToolTipText, QColor(c["text"]))
    p.setColor(role.BrightText, QColor("#ff5c5c"))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["muted"]))
    return p


_current = {"setting": "system"}


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply a theme setting (light | dark | system); returns the resolved name."""
    _current["setting"] = theme
    name = resolve(theme)
    app.setStyle("Fusion")
    app.setPalette(palette_for(name))
    qss = resource(f"styles/{name}.qss")
    app.setStyleSheet("")
    app.setProperty("reader_theme", name)
    app.setProperty("reader_qss", qss.read_text(encoding="utf-8") if qss.exists() else "")
    for window in app.topLevelWidgets():
        style_widgets(window)
    if not app.property("reader_theme_hooked"):
        app.setProperty("reader_theme_hooked", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda _scheme: apply_theme(app, _current["setting"]) if _current["setting"] == "system" else None
        )
    return name


#: objectNames of the widgets that get the theme's .qss (each with its children).
STYLED = ("sidebar", "searchBox", "readerPane", "messageBar", "statusBar", "menuBar")


def style_widgets(root: QWidget) -> None:
    """Give the named widgets under ``root`` the current theme's style sheet."""
    app = QApplication.instance()
    qss = str(app.property("reader_qss") or "") if app is not None else ""
    for name in STYLED:
        for widget in root.findChildren(QWidget, name):
            if widget.styleSheet() != qss:
                widget.setStyleSheet(qss)
    dark = app is not None and app.property("reader_theme") == "dark"
    for widget in root.findChildren(QWidget, "articleList"):  # a calm selection, palette only
        pal = widget.palette()
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#2e3a52" if dark else "#d9e4f7"))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor(DARK["text"] if dark else LIGHT["text"]))
        widget.setPalette(pal)


def window_icon() -> QIcon:
    """The app icon: the PNG sizes under resources/icons, else the SVG."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = resource(f"icons/icon-{size}.png")
        if png.exists():
            icon.addFile(str(png))
    if icon.isNull():
        icon = QIcon(str(resource("icon.svg")))
    return icon
