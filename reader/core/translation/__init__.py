"""Translation: providers (online and offline), segmentation, language packs and the cached service.

The GUI and the CLI use :class:`~reader.core.translation.service.TranslationService`; see its module
for the threading rules.
"""

from reader.core.translation.config import (
    ProviderInForce,
    provider_in_force,
    service_chosen,
    settings_with_env,
)
from reader.core.translation.service import (
    TITLE,
    ArticleReport,
    CachedTranslation,
    ParagraphEvent,
    SelectionResult,
    TranslationService,
)

__all__ = [
    "TITLE",
    "ArticleReport",
    "CachedTranslation",
    "ParagraphEvent",
    "ProviderInForce",
    "SelectionResult",
    "TranslationService",
    "provider_in_force",
    "service_chosen",
    "settings_with_env",
]
