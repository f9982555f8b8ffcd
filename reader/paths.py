"""Where things live: the user's data directory, the default library, bundled resources and seeds.

Works from a source checkout, an installed wheel and a frozen (PyInstaller) bundle alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "PolyglotReader"
APP_AUTHOR = "PolyglotReader"


def _bundle_root() -> Path:
    """The folder that holds ``resources/`` and ``seeds/``.

    Frozen (PyInstaller): the bundle. Installed from a wheel: ``reader/_data`` (setup.py copies the
    folders there). Source checkout or editable install: the repository root.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    if (installed / "seeds").is_dir():
        return installed
    return package.parent


def data_dir() -> Path:
    """Per-user data directory (created on demand); ``READER_DATA_DIR`` overrides it."""
    override = os.environ.get("READER_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Per-user config directory (created on demand); ``READER_CONFIG_DIR`` overrides it."""
    override = os.environ.get("READER_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The library file used when no ``--db`` is given: ``READER_DB``, else ``<data dir>/library.db``."""
    override = os.environ.get("READER_DB")
    if override:
        return Path(override).expanduser()
    return data_dir() / "library.db"


def packs_dir() -> Path:
    """Where offline translation packs are installed."""
    path = data_dir() / "packs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """Bundled icons and styles."""
    return _bundle_root() / "resources"


def resource(name: str) -> Path:
    """One file under ``resources/``."""
    return resources_dir() / name


def seeds_dir() -> Path:
    """The sample articles a new library is seeded from."""
    return _bundle_root() / "seeds"
