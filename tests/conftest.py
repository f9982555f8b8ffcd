"""Shared test set-up: headless Qt, an isolated user data/config dir, and the seed files.

QT_QPA_PLATFORM is set before anything can import Qt. Every test gets its own READER_DATA_DIR and
READER_CONFIG_DIR so nothing touches the real user library or settings. Every GUI test (anything
under tests/gui, and any test that uses ``qtbot``/``qapp``, e.g. in tests/hardening) fails when it
leaves a background thread running; every test fails when it changes an interpreter-wide setting
(the GIL switch interval, ``gc.freeze``) that would leak into the next one.
Shared fakes are in :mod:`tests.helpers`.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("READER_DB", None)

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("READER_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("READER_DB", raising=False)
    for var in ("READER_TRANSLATOR", "READER_TARGET_LANG", "READER_LIBRE_URL", "READER_LIBRE_KEY",
                "READER_DEEPL_KEY"):
        monkeypatch.delenv(var, raising=False)


#: A test that uses one of these fixtures is a GUI test (wherever it lives).
_QT_FIXTURES = frozenset({"qtbot", "qapp", "qtmodeltester"})


def _is_gui_test(request: pytest.FixtureRequest) -> bool:
    path = str(request.node.path).replace("\\", "/")
    return "/tests/gui/" in path or not _QT_FIXTURES.isdisjoint(request.fixturenames)


@pytest.fixture(autouse=True)
def _no_leaked_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a GUI test that leaves background threads running (task runner workers, pools...).

    Autouse, so it is set up before ``qtbot`` and the window fixtures and checks after they are
    torn down (windows closed, runners joined).
    """
    if not _is_gui_test(request):
        yield
        return
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leaked:
        t.join(2.0)
    leaked = [t for t in leaked if t.is_alive()]
    if leaked:
        pytest.fail(f"threads left running: {[t.name for t in leaked]}")


@pytest.fixture(autouse=True)
def _no_process_wide_changes() -> Iterator[None]:
    """Fail a test that changes interpreter-wide settings (``app.tune_process`` is for ``run`` only)."""
    interval, frozen = sys.getswitchinterval(), gc.get_freeze_count()
    yield
    changed = []
    if sys.getswitchinterval() != interval:
        changed.append(f"switch interval {interval} -> {sys.getswitchinterval()}")
        sys.setswitchinterval(interval)
    if gc.get_freeze_count() != frozen:
        changed.append(f"gc.freeze() count {frozen} -> {gc.get_freeze_count()}")
        gc.unfreeze()
    if changed:
        pytest.fail("the test changed process-wide settings: " + "; ".join(changed))


@pytest.fixture
def seeds_dir() -> Path:
    """The five sample articles shipped in seeds/ (read-only: copy before changing)."""
    return SEEDS


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of seeds/."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh library file."""
    return tmp_path / "library.db"
