"""GUI test fixtures: real library files, a real window with its task runner, a thread-leak guard.

tests/conftest.py (the lead's) already sets QT_QPA_PLATFORM=offscreen and isolates the user dirs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library

# The offscreen platform plugin warns on every top-level show(); it is not our warning.
_QT_NOISE = r"This plugin does not support propagateSizeHints\(\)"

LANGS = ("ro", "lt", "en", "uk")
WORDS = {
    "ro": "președintele belarus lukașenko a declarat joi la moscova relațiile de alianță",
    "lt": "prezidentas lukašenka ketvirtadienį maskvoje pareiškė kad santykiai stiprėja",
    "en": "the president said on thursday in moscow that relations with the alliance matter",
    "uk": "президент заявив у четвер у москві що відносини з союзником важливі",
}


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


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves background threads running (task runner workers, pools...)."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leaked:
        t.join(2.0)
    leaked = [t for t in leaked if t.is_alive()]
    if leaked:
        pytest.fail(f"threads left running: {[t.name for t in leaked]}")


def populate(db: Path, count: int, *, tags: bool = True) -> list[int]:
    """Fill a real library with ``count`` small articles in four languages; returns their ids."""
    ids: list[int] = []
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)  # not a first start: no seeding
        for i in range(count):
            lang = LANGS[i % len(LANGS)]
            paragraphs = tuple(f"{WORDS[lang]} numărul {i} paragraf {p}." for p in range(6))
            parsed = ParsedArticle(
                title=f"Article {i:05d} {lang}",
                paragraphs=paragraphs,
                published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                source=f"Source {i % 7}",
                url=f"https://example.org/{i}",
                tags=(("region/belarus",) if i % 3 == 0 else ()) + (("economy",) if i % 5 == 0 else ()) if tags else (),
            )
            outcome = lib.add_article(parsed, LanguageGuess(lang, 0.9))
            assert outcome.article_id is not None
            ids.append(outcome.article_id)
    return ids


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


def wait_idle(qtbot, parts) -> None:  # noqa: ANN001
    """Wait until every background job of the window has been delivered."""
    qtbot.waitUntil(lambda: parts.runner.pending() == 0, timeout=30_000)
