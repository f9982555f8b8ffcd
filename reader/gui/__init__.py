"""The Qt desktop GUI of Polyglot Reader. Everything that imports PySide6 lives under this package."""
