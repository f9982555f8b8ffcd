"""User settings, declared once (STYLE.md practice 8). Persisted as JSON in the user's config dir.

Window geometry and splitter state are not here: the GUI keeps those in QSettings. Secrets (API
keys) are never here either: see :mod:`reader.core.secrets` (keyring or a user-only file).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reader.core.errors import DiskFullError, StorageError

THEMES = ("system", "light", "dark")
PROVIDERS = ("auto", "google", "mymemory", "libre", "deepl", "offline")


@dataclass
class Settings:
    """Every user preference, with its default."""

    theme: str = "system"  # system | light | dark
    reading_font: str = ""  # "" = the platform's default serif
    reading_font_size: int = 13  # points
    target_lang: str = "en"
    provider: str = "auto"  # auto: offline pack if installed for the pair, else online_provider
    online_provider: str = "google"
    service_chosen: bool = False  # the person chose the service (first-translation question, Preferences)
    libre_url: str = ""
    mymemory_email: str = ""
    always_translate: list[str] = field(default_factory=list)  # languages translated on open
    never_translate: list[str] = field(default_factory=list)  # languages never sent
    request_timeout: float = 15.0  # seconds, per provider request (connect and read)
    mark_read_after_ms: int = 1500  # dwell before an opened article counts as read
    refresh_feeds_on_start: bool = True  # the window refreshes the due feeds when it opens
    refresh_feeds_minutes: int = 30  # and every this many minutes while it is open (0: never)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Known keys with the right type are taken; anything else falls back to the default."""
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            if isinstance(default, bool) or type(value) is type(default):
                kwargs[f.name] = value
            elif isinstance(default, float) and isinstance(value, int):
                kwargs[f.name] = float(value)
        settings = cls(**kwargs)
        if settings.theme not in THEMES:
            settings.theme = "system"
        if settings.provider not in PROVIDERS:
            settings.provider = "auto"
        if settings.refresh_feeds_minutes < 0:
            settings.refresh_feeds_minutes = defaults.refresh_feeds_minutes
        return settings

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def settings_path() -> Path:
    from reader.paths import config_dir

    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults when the file is missing or unreadable (never raises)."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return Settings.from_dict(data) if isinstance(data, dict) else Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically (temp file + rename), so a crash or a full disk never leaves half a file."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(settings.to_dict(), fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:  # never leave a half-written temp file behind (e.g. on a full disk)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(
                f"the disk is full; could not save settings to {path} (the old settings are kept)"
            ) from exc
        raise StorageError(f"could not save settings to {path}: {exc.strerror or exc}") from exc
