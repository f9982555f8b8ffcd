"""Deprecated location (shim until the lead removes it): see :mod:`reader.core.storage.migrations.m002_translations`."""

from reader.core.storage.migrations.m002_translations import m002_translations  # noqa: F401
