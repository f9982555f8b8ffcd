"""Which service is in force, and why (issue 13 item 11), and whether the person chose one (item 12)."""

from __future__ import annotations

from reader.core.settings import Settings
from reader.core.translation.config import provider_in_force, service_chosen

URL = "http://127.0.0.1:5000/"


def test_the_default_is_google_and_nobody_chose_it() -> None:
    info = provider_in_force(Settings(), {})
    assert (info.provider, info.online, info.set_by, info.chosen) == ("auto", "google", (), False)
    assert not service_chosen(Settings())


def test_reader_libre_url_makes_libretranslate_the_service_and_says_so() -> None:
    info = provider_in_force(Settings(), {"READER_LIBRE_URL": URL})
    assert (info.provider, info.online, info.libre_url) == ("auto", "libre", URL)
    assert info.set_by == ("READER_LIBRE_URL",) and info.chosen and info.overridden


def test_a_chosen_provider_is_not_overridden_by_the_url_alone() -> None:
    info = provider_in_force(Settings(provider="google"), {"READER_LIBRE_URL": URL})
    assert (info.provider, info.online, info.set_by, info.chosen) == ("google", "google", (), True)


def test_reader_translator_decides_and_is_named() -> None:
    info = provider_in_force(Settings(), {"READER_TRANSLATOR": "deepl"})
    assert (info.provider, info.online, info.set_by) == ("deepl", "deepl", ("READER_TRANSLATOR",))
    both = provider_in_force(Settings(), {"READER_TRANSLATOR": "libre", "READER_LIBRE_URL": URL})
    assert both.set_by == ("READER_TRANSLATOR", "READER_LIBRE_URL") and both.libre_url == URL
    offline = provider_in_force(Settings(), {"READER_TRANSLATOR": "offline"})
    assert (offline.provider, offline.online) == ("offline", "")


def test_a_bad_override_is_ignored() -> None:
    info = provider_in_force(Settings(), {"READER_TRANSLATOR": "babelfish"})
    assert (info.provider, info.online, info.set_by, info.chosen) == ("auto", "google", (), False)


def test_what_counts_as_chosen() -> None:
    assert service_chosen(Settings(service_chosen=True))  # the question's answer (even auto + Google)
    assert service_chosen(Settings(provider="offline"))
    assert service_chosen(Settings(online_provider="mymemory"))  # saved before the question existed
    assert Settings.from_dict(Settings(service_chosen=True).to_dict()).service_chosen
