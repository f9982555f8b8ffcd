"""Human language names for codes (``ro`` -> ``Romanian``), through QLocale: no extra data files."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QLocale

from reader.core.models import UNDETERMINED


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """``Romanian`` for ``ro``; ``Undetermined`` for ``und``; the code itself when unknown."""
    if not code or code == UNDETERMINED:
        return "Undetermined"
    locale = QLocale(code.split("-")[0])
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())


def language_label(code: str) -> str:
    """``Romanian (ro)``, as the sidebar and the byline show it."""
    name = language_name(code)
    return name if name == code else f"{name} ({code})"
