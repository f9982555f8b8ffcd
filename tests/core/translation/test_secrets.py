"""API keys: keyring where usable, else a user-only file; redaction of keys in messages."""

from __future__ import annotations

import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties

from reader.core import secrets
from reader.core.errors import ValidationError


class MemoryKeyring(KeyringBackend):
    """A working keyring backend kept in memory (the machine has none); never chosen automatically."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - keyring's classproperty
        raise RuntimeError("test-only backend")

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_without_a_keyring_keys_go_to_a_0600_file():
    where = secrets.set_key("libre", "libre-key-0001")
    path = secrets.secrets_file()
    assert where == str(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secrets.get_key("libre") == "libre-key-0001"
    assert secrets.clear_key("libre") and secrets.get_key("libre") is None
    assert not secrets.clear_key("libre")


def test_keyring_is_used_when_one_exists(memory_keyring):
    where = secrets.set_key("deepl", "deepl-key-0002:fx")
    assert "keyring" in where
    assert memory_keyring.data[(secrets.SERVICE, "deepl")] == "deepl-key-0002:fx"
    assert not secrets.secrets_file().exists()
    assert secrets.get_key("deepl") == "deepl-key-0002:fx"
    secrets.clear_key("deepl")
    assert memory_keyring.data == {}


def test_environment_overrides_the_stored_key(monkeypatch):
    secrets.set_key("deepl", "stored-key-0003")
    monkeypatch.setenv("READER_DEEPL_KEY", "env-key-0004")
    assert secrets.get_key("deepl") == "env-key-0004"


def test_bad_input_is_refused():
    with pytest.raises(ValidationError, match="does not use a key"):
        secrets.set_key("google", "x")
    with pytest.raises(ValidationError, match="cannot be empty"):
        secrets.set_key("deepl", "  ")


def test_redact_masks_known_keys_and_key_parameters():
    secrets.remember("sk-live-abcdef")
    text = secrets.redact("failed: sk-live-abcdef at https://h/translate?q=x&api_key=other123&x=1")
    assert "sk-live-abcdef" not in text and "other123" not in text
    assert "api_key=***" in text
    assert secrets.redact("token: zz-9999", extra=["zz-9999"]) == "token: ***"
