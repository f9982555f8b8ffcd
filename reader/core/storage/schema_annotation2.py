"""Deprecated location (shim until the lead removes it): see :mod:`reader.core.storage.migrations.m004_annotation_indexes`."""

from reader.core.storage.migrations.m004_annotation_indexes import m004_annotation_indexes  # noqa: F401
