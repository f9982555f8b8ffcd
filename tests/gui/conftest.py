"""GUI test fixtures: real library files, a real window with its task runner.

tests/conftest.py already sets QT_QPA_PLATFORM=offscreen, isolates the user dirs and holds the
thread-leak guard (for every GUI test, these and the ones in tests/hardening).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The offscreen platform plugin warns on every top-level show() (and raise(), and a popup menu's
# keyboard grab); it is not our warning.
_QT_NOISE = r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(_QT_NOISE))


@pytest.fixture(autouse=True)
def _no_internet_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's default provider is online (Google): point every GUI test at a closed local
    port instead, so pressing ``t`` fails fast and plainly and never reaches the internet.
    Tests of translation set READER_LIBRE_URL to their fake server."""
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("READER_LIBRE_URL", f"http://127.0.0.1:{port}/")


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """Build, show and start windows; everything is closed and joined at the end of the test."""
    from reader.gui.app import build

    built: list[object] = []

    def make(db: Path | None = None, files: list[str] | None = None, *, wait: bool = True):  # noqa: ANN202
        parts = build(db or tmp_path / "library.db", theme="light")
        built.append(parts)
        window = parts.window
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        if wait:
            with qtbot.waitSignal(window.ready, timeout=60_000):
                window.start(files or [])
        else:
            window.start(files or [])
        return parts

    yield make
    for parts in built:
        parts.window.close()  # type: ignore[attr-defined]
        parts.close()  # type: ignore[attr-defined]

