"""API keys for translation providers: the system keyring where a usable one exists, else a user-only file.

Keys are never written to the library file, exports, settings or logs. The fallback is
``<config dir>/secrets.json`` created with mode 0600. :func:`redact` masks every key this process
knows (and ``api_key=``/``auth_key=`` style parameters) in any message, so an error text that echoes a
key is safe to show or log; :class:`RedactingFormatter` does the same for log handlers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from reader.core.errors import StorageError, ValidationError

SERVICE = "PolyglotReader"
#: Providers that take a key, and the environment variable that overrides the stored key.
KEY_PROVIDERS: dict[str, str] = {"deepl": "READER_DEEPL_KEY", "libre": "READER_LIBRE_KEY"}
MASK = "***"

_known: set[str] = set()
_lock = threading.Lock()
_PARAM_RE = re.compile(r"(?i)\b(api_key|auth_key|key|token|de)=([^&\s\"']+)")


def remember(secret: str | None) -> None:
    """Register a secret so :func:`redact` masks it from now on (keys shorter than 4 are ignored)."""
    if secret and len(secret) >= 4:
        with _lock:
            _known.add(secret)


def redact(message: str, extra: Iterable[str | None] = ()) -> str:
    """``message`` with every known key (and ``extra`` ones) replaced by ``***``."""
    with _lock:
        secrets = set(_known)
    secrets.update(s for s in extra if s and len(s) >= 4)
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, MASK)
    return _PARAM_RE.sub(lambda m: f"{m.group(1)}={MASK}", message)


class RedactingFormatter(logging.Formatter):
    """A log formatter that passes every formatted record (message and traceback) through :func:`redact`.

    Install it on every handler the app writes (the GUI's log file), so a key quoted by a provider, a
    URL with ``api_key=`` or an exception message never reaches a log.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _check_provider(provider: str) -> str:
    provider = provider.strip().lower()
    if provider not in KEY_PROVIDERS:
        raise ValidationError(
            f"{provider!r} does not use a key; keys are kept for: {', '.join(sorted(KEY_PROVIDERS))}"
        )
    return provider


def _usable_keyring():  # -> keyring backend | None
    """The system keyring backend, or None when there is none worth using (headless, fail backend)."""
    if os.environ.get("READER_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring installation is the same as none
        return None
    if isinstance(backend, fail.Keyring):
        return None
    with contextlib.suppress(Exception):
        if float(getattr(backend, "priority", 0)) < 1:
            return None
    return backend


def secrets_file() -> Path:
    """The fallback store: ``<config dir>/secrets.json`` (mode 0600)."""
    from reader.paths import config_dir

    return config_dir() / "secrets.json"


def _read_file() -> dict[str, str]:
    try:
        data = json.loads(secrets_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(data: dict[str, str]) -> None:
    path = secrets_file()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secrets-", suffix=".json")
        os.chmod(tmp, 0o600)  # mkstemp already uses 0600; keep it explicit
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise StorageError(f"could not save the key to {path}: {exc.strerror or exc}") from exc


def backend_name() -> str:
    """Where keys are kept now: the keyring backend's name, or the fallback file's path."""
    backend = _usable_keyring()
    return type(backend).__name__ if backend is not None else str(secrets_file())


def get_key(provider: str) -> str | None:
    """The key for ``provider``: its environment override, else the keyring, else the user-only file."""
    provider = _check_provider(provider)
    key = os.environ.get(KEY_PROVIDERS[provider]) or None
    if key is None:
        backend = _usable_keyring()
        if backend is not None:
            with contextlib.suppress(Exception):
                key = backend.get_password(SERVICE, provider)
        if key is None:
            key = _read_file().get(provider)
    remember(key)
    return key or None


def set_key(provider: str, key: str) -> str:
    """Store ``key`` for ``provider``; returns where it was stored (for a one-line confirmation)."""
    provider = _check_provider(provider)
    key = key.strip()
    if not key or any(c.isspace() for c in key):
        raise ValidationError("an API key cannot be empty or contain spaces")
    remember(key)
    backend = _usable_keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, provider, key)
            return f"the system keyring ({type(backend).__name__})"
        except Exception:  # locked or refusing keyring: fall back to the file
            pass
    data = _read_file()
    data[provider] = key
    _write_file(data)
    return str(secrets_file())


def clear_key(provider: str) -> bool:
    """Forget the stored key of ``provider`` (keyring and file); True when one was removed."""
    provider = _check_provider(provider)
    removed = False
    backend = _usable_keyring()
    if backend is not None:
        with contextlib.suppress(Exception):
            backend.delete_password(SERVICE, provider)
            removed = True
    data = _read_file()
    if provider in data:
        del data[provider]
        _write_file(data)
        removed = True
    return removed
