"""Which translation service is in force: the settings with the scripting overrides applied
(READER_TRANSLATOR, READER_TARGET_LANG, READER_LIBRE_URL), and why (what Preferences shows), and
whether the person ever chose one (the window asks before the first translation otherwise).

No storage and no network here: the GUI's widgets use it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from reader.core.errors import ValidationError
from reader.core.settings import PROVIDERS, Settings
from reader.core.translation.providers import ONLINE, base_lang


def settings_with_env(settings: Settings | None = None, env: dict[str, str] | None = None) -> Settings:
    """``settings`` with the scripting overrides applied: READER_TRANSLATOR, READER_TARGET_LANG,
    READER_LIBRE_URL (which also makes LibreTranslate the online provider unless READER_TRANSLATOR
    names another). Keys (READER_LIBRE_KEY, READER_DEEPL_KEY) are read by :mod:`reader.core.secrets`."""
    env = dict(os.environ) if env is None else env
    s = replace(settings) if settings is not None else Settings()
    translator = env.get("READER_TRANSLATOR", "").strip().lower()
    if translator:
        if translator not in PROVIDERS:
            raise ValidationError(f"READER_TRANSLATOR={translator!r} is not one of: {', '.join(PROVIDERS)}")
        s.provider = translator
        if translator in ONLINE:
            s.online_provider = translator
    if env.get("READER_TARGET_LANG", "").strip():
        s.target_lang = base_lang(env["READER_TARGET_LANG"])
    if env.get("READER_LIBRE_URL", "").strip():
        s.libre_url = env["READER_LIBRE_URL"].strip()
        if translator not in ONLINE:
            s.online_provider = "libre"
    return s


def service_chosen(settings: Settings) -> bool:
    """Whether the person chose a translation service: answered the first-translation question or
    picked one in Preferences (a provider other than Automatic, or an online service other than the
    default Google, counts too: settings saved before the question existed)."""
    return settings.service_chosen or settings.provider != "auto" or settings.online_provider != "google"


@dataclass(frozen=True, slots=True)
class ProviderInForce:
    """Which service translates now, and why (what Preferences shows, what decides the question)."""

    provider: str  #: auto | google | mymemory | libre | deepl | offline, overrides applied
    online: str  #: the online service used ("" when only offline packs are)
    libre_url: str
    set_by: tuple[str, ...]  #: the environment variables that decided it (empty: the settings)
    chosen: bool  #: an override or the person decided: no first-translation question

    @property
    def overridden(self) -> bool:
        return bool(self.set_by)


def provider_in_force(settings: Settings, env: Mapping[str, str] | None = None) -> ProviderInForce:
    """The service ``settings`` (as saved) translate with once the environment overrides apply
    (:func:`settings_with_env`; a bad override is ignored, as the window does), and what decided it."""
    env = os.environ if env is None else env
    try:
        eff = settings_with_env(settings, dict(env))
    except ValidationError:
        eff = settings
    if eff.provider in ONLINE:
        online = eff.provider
    elif eff.provider == "auto":
        online = eff.online_provider or "google"
    else:
        online = ""
    set_by: list[str] = []
    if env.get("READER_TRANSLATOR", "").strip().lower() in PROVIDERS:
        set_by.append("READER_TRANSLATOR")
    if online == "libre" and env.get("READER_LIBRE_URL", "").strip():
        set_by.append("READER_LIBRE_URL")
    return ProviderInForce(eff.provider, online, eff.libre_url if online == "libre" else "", tuple(set_by),
                           bool(set_by) or service_chosen(settings))
