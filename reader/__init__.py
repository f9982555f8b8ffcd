"""Polyglot Reader: a desktop reader for articles in any language, with a kept translation cache."""

__version__ = "0.1.0"
