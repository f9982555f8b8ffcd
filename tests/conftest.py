"""Shared test set-up: headless Qt, an isolated user data/config dir, and the seed files.

QT_QPA_PLATFORM is set before anything can import Qt. Every test gets its own READER_DATA_DIR and
READER_CONFIG_DIR so nothing touches the real user library or settings.
"""

from __future__ import annotations

import os
import shutil
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
