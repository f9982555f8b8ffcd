"""Deprecated location (shim until the lead removes it): see :mod:`reader.core.storage.migrations.m003_annotations`."""

from reader.core.storage.migrations.m003_annotations import m003_annotations  # noqa: F401
