"""Online providers: the real deep-translator code against fake servers on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import pytest

from reader.core.errors import ProviderRejected, ProviderUnavailable, RateLimited, TranslationError
from reader.core.translation.providers import (
    GoogleProvider,
    LibreProvider,
    MyMemoryProvider,
    RetryPolicy,
)

RO_SENTENCE = "Pisica este frumoasă și casa este verde. "


def article(chars: int) -> list[str]:
    """Paragraphs of Romanian-looking text adding up to about ``chars`` characters."""
    paragraphs, size, n = [], 0, 0
    while size < chars:
        n += 1
        para = (RO_SENTENCE * (3 + n % 7)).strip() + f" Paragraful {n}."
        paragraphs.append(para)
        size += len(para) + 2
    return paragraphs


def no_sleep() -> tuple[RetryPolicy, list[float]]:
    slept: list[float] = []
    return RetryPolicy(retries=2, backoff=0.5, sleep=slept.append), slept


def google(server, **kw) -> GoogleProvider:
    return GoogleProvider(base_url=server.endpoint, timeout=kw.pop("timeout", 5.0),
                          retry=kw.pop("retry", no_sleep()[0]), **kw)


def test_google_packs_paragraphs_into_one_request(fake_google):
    prov = google(fake_google)
    out = prov.translate_many(["Pisica este frumoasă.", "Casa este verde.", "Marea."], "ro", "en")
    assert out == ["cat is beautiful.", "house is green.", "the sea."]
    assert fake_google.hits == 1
    seen = fake_google.state.seen[0]
    assert seen.path == "/m" and seen.params["sl"] == "ro" and seen.params["tl"] == "en"


@pytest.mark.parametrize("kind,limit", [("google", 4999), ("mymemory", 499), ("libre", 5000)])
def test_20000_character_article_is_split_within_limits(kind, limit, request):
    server = request.getfixturevalue(f"fake_{kind}")
    paragraphs = article(20_000)
    assert sum(len(p) for p in paragraphs) >= 19_000
    # one paragraph longer than every limit, so sentence splitting is exercised too
    paragraphs.append((RO_SENTENCE * 150).strip())
    if kind == "google":
        prov = google(server)
    elif kind == "mymemory":
        prov = MyMemoryProvider(base_url=server.endpoint, timeout=5.0, retry=no_sleep()[0])
    else:
        prov = LibreProvider(url=server.url, timeout=5.0, retry=no_sleep()[0])
    out = prov.translate_many(paragraphs, "ro", "en")
    assert len(out) == len(paragraphs)
    assert all(o and "cat" in o for o in out)
    sizes = [len(s.text) for s in server.state.seen]
    assert max(sizes) <= limit
    total = sum(len(p) for p in paragraphs)
    # packing: close to the minimum number of requests, far fewer than one per paragraph
    minimum = -(-total // limit)
    assert minimum <= len(sizes) <= minimum * 2 + 2
    assert prov.requests_made == len(sizes)
    if kind != "mymemory":
        assert len(sizes) < len(paragraphs)
    # words are never cut: every request ends on a word (or sentence) boundary
    for s in server.state.seen:
        assert not s.text.endswith(("Pisic", "frumoas", "vird"))


def test_429_then_success_retries_with_backoff(fake_google):
    fake_google.state.script = ["429"]
    retry, slept = no_sleep()
    prov = google(fake_google, retry=retry)
    assert prov.translate("Pisica", "ro", "en") == "cat"
    assert fake_google.hits == 2
    assert slept == [0.0]  # Retry-After: 0 from the server wins over the backoff


def test_429_until_retries_run_out_is_rate_limited(fake_libre):
    fake_libre.state.script = ["429"] * 5
    retry, slept = no_sleep()
    prov = LibreProvider(url=fake_libre.url, timeout=5.0, retry=retry)
    with pytest.raises(RateLimited, match="LibreTranslate: too many requests"):
        prov.translate("Pisica", "ro", "en")
    assert fake_libre.hits == 3 and len(slept) == 2


def test_500_is_retried_then_unavailable(fake_google):
    fake_google.state.script = ["500"] * 3
    retry, slept = no_sleep()
    with pytest.raises(ProviderUnavailable, match=r"HTTP 500"):
        google(fake_google, retry=retry).translate("Pisica", "ro", "en")
    assert fake_google.hits == 3
    assert slept == [0.5, 1.0]  # exponential backoff


def test_500_once_then_success(fake_mymemory):
    fake_mymemory.state.script = ["500"]
    prov = MyMemoryProvider(base_url=fake_mymemory.endpoint, timeout=5.0, retry=no_sleep()[0])
    assert prov.translate("Pisica", "ro", "en") == "cat"


@pytest.mark.parametrize("kind", ["google", "libre", "mymemory"])
def test_server_slower_than_timeout_fails_fast(kind, request):
    server = request.getfixturevalue(f"fake_{kind}")
    server.state.script = ["slow"]
    server.state.slow_seconds = 3.0
    kw = {"timeout": (1.0, 0.3), "retry": no_sleep()[0]}
    prov = {"google": lambda: GoogleProvider(base_url=server.endpoint, **kw),
            "libre": lambda: LibreProvider(url=server.url, **kw),
            "mymemory": lambda: MyMemoryProvider(base_url=server.endpoint, **kw)}[kind]()
    start = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="timed out"):
        prov.translate("Pisica", "ro", "en")
    assert time.monotonic() - start < 1.5
    assert server.hits == 1  # a timeout is not retried


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    for prov in (GoogleProvider(base_url=f"http://127.0.0.1:{port}/m", timeout=2.0),
                 LibreProvider(url=f"http://127.0.0.1:{port}", timeout=2.0)):
        with pytest.raises(ProviderUnavailable, match="cannot connect"):
            prov.translate("Pisica", "ro", "en")


@pytest.mark.parametrize("kind", ["google", "libre", "mymemory"])
def test_garbage_body_is_rejected(kind, request):
    server = request.getfixturevalue(f"fake_{kind}")
    server.state.script = ["garbage"]
    prov = {"google": lambda: google(server),
            "libre": lambda: LibreProvider(url=server.url, timeout=5.0),
            "mymemory": lambda: MyMemoryProvider(base_url=server.endpoint, timeout=5.0)}[kind]()
    with pytest.raises(ProviderRejected, match="could not be read"):
        prov.translate("Pisica", "ro", "en")


def test_mymemory_quota_message_is_an_error_not_a_translation(fake_mymemory):
    fake_mymemory.state.script = ["quota"]
    prov = MyMemoryProvider(base_url=fake_mymemory.endpoint, timeout=5.0)
    with pytest.raises(RateLimited, match="free quota is used up"):
        prov.translate("Pisica", "ro", "en")


def test_mymemory_uses_locale_codes_and_email(fake_mymemory):
    prov = MyMemoryProvider(base_url=fake_mymemory.endpoint, timeout=5.0, email="me@example.org")
    assert prov.translate("Pisica", "ro", "en") == "cat"
    params = fake_mymemory.state.seen[0].params
    assert params["langpair"] == "ro-RO|en-GB"
    assert params["de"] == "me@example.org"
    assert prov.code("lt", role="source") == "lt-LT"


def test_libre_accepts_languages_missing_from_deep_translators_list(fake_libre):
    prov = LibreProvider(url=fake_libre.url.rstrip("/"), api_key="k-123456", timeout=5.0)
    assert prov.translate("Câinele", "lt", "uk") == "the dog"
    seen = fake_libre.state.seen[0]
    assert seen.method == "POST" and seen.path == "/translate"
    assert (seen.params["source"], seen.params["target"], seen.params["api_key"]) == ("lt", "uk", "k-123456")


def test_libre_without_key_sends_none(fake_libre):
    LibreProvider(url=fake_libre.url, timeout=5.0).translate("Casa", "ro", "en")
    assert "api_key" not in fake_libre.state.seen[0].params


def test_refused_key_is_redacted_from_the_message(fake_libre):
    fake_libre.state.script = ["403"]
    prov = LibreProvider(url=fake_libre.url, api_key="very-secret-key-42", timeout=5.0)
    with pytest.raises(ProviderRejected) as info:
        prov.translate("Casa", "ro", "en")
    assert "very-secret-key-42" not in str(info.value)
    assert "key was refused" in str(info.value)


def test_empty_input_makes_no_request(fake_google):
    assert google(fake_google).translate_many(["", "  "], "ro", "en") == ["", ""]
    assert fake_google.hits == 0


def test_errors_are_translation_errors(fake_google):
    fake_google.state.script = ["500"] * 3
    outcomes = list(google(fake_google).iter_translate(["a b", "c d"], "ro", "en"))
    assert [i for i, _ in outcomes] == [0, 1]
    assert all(isinstance(o, TranslationError) for _, o in outcomes)


def test_separator_lost_falls_back_to_one_request_per_paragraph(fake_libre):
    from tests.helpers import fakes as translation_fakes

    original = translation_fakes.fake_translate
    translation_fakes.fake_translate = lambda text: " ".join(original(text).split())  # merges paragraphs
    try:
        prov = LibreProvider(url=fake_libre.url, timeout=5.0)
        out = prov.translate_many(["Pisica este.", "Casa este.", "Marea."], "ro", "en")
    finally:
        translation_fakes.fake_translate = original
    assert out == ["cat is.", "house is.", "the sea."]
    assert fake_libre.hits == 4  # the packed request, then one per paragraph


def test_cancel_between_requests(fake_mymemory):
    prov = MyMemoryProvider(base_url=fake_mymemory.endpoint, timeout=5.0)
    texts = ["x " * 200] * 5  # 400 chars each: one request per paragraph at MyMemory's 499 limit
    got = []
    for index, result in prov.iter_translate(texts, "ro", "en", cancel=lambda: len(got) >= 2):
        got.append((index, result))
    assert len(got) == 2 and fake_mymemory.hits == 2


def test_deepl_with_key_and_target_variant(request):
    from reader.core.translation.providers import DeeplProvider
    from tests.helpers.fakes import FakeServer

    server = FakeServer("deepl")
    request.addfinalizer(server.stop)
    prov = DeeplProvider(api_key="deepl-secret-77:fx", base_url=server.url, timeout=5.0)
    assert prov.translate_many(["Pisica.", "Casa."], "ro", "en") == ["cat.", "house."]
    params = server.state.seen[0].params
    assert (params["source_lang"], params["target_lang"], params["auth_key"]) == ("RO", "EN-GB",
                                                                                  "deepl-secret-77:fx")
    server.state.script = ["403"]
    with pytest.raises(ProviderRejected) as info:
        prov.translate("Casa", "ro", "en")
    assert "deepl-secret-77" not in str(info.value)


def test_retry_after_header_forms():
    import requests

    policy = RetryPolicy(backoff=0.5, max_delay=8.0)
    resp = requests.Response()
    resp.headers["Retry-After"] = "3"
    assert policy.delay(0, resp) == 3.0
    resp.headers["Retry-After"] = "not a date"
    assert policy.delay(1, resp) == 1.0  # unreadable: the backoff
    resp.headers["Retry-After"] = "600"
    assert policy.delay(0, resp) == 8.0  # capped


def test_mymemory_refuses_auto_source_clearly(fake_mymemory):
    prov = MyMemoryProvider(base_url=fake_mymemory.endpoint, timeout=5.0)
    with pytest.raises(ProviderRejected, match="MyMemory: needs a known source language"):
        prov.translate("Pisica", "auto", "en")
    assert fake_mymemory.hits == 0
