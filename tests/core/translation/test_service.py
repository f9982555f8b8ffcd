"""TranslationService: the paragraph cache over a real library file, against fake servers."""

from __future__ import annotations

import threading

import pytest

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.settings import Settings
from reader.core.storage import Library
from reader.core.storage.translations import TranslationStore, source_hash
from reader.core.translation import TITLE, TranslationService
from reader.core.translation.providers import GoogleProvider, MyMemoryProvider, RetryPolicy

RO = (
    "Pisica este frumoasă și casa este verde.",
    "Câinele este în casa frumoasă, lângă copacul verde.",
    "Marea este frumoasă și verde.",
)
EN_PARAGRAPH = ("The weather in the mountains was cold and windy all week, and the hikers stayed "
                "inside the cabin reading books and drinking tea by the fire.")
#: ~300 characters each: at MyMemory's 499 limit the title packs with the first, then one per request.
RO_300 = tuple(" ".join([p] * 7) for p in RO)
RO_LONG = ("Guvernul a anunțat astăzi că va investi în școlile din orașele mici, iar primarii au "
           "spus că banii vor ajunge la copii până la sfârșitul anului.")


def no_retry() -> RetryPolicy:
    return RetryPolicy(retries=0, sleep=lambda s: None)


@pytest.fixture
def library(db_path):
    lib = Library(db_path)
    yield lib
    lib.close()


def add(lib: Library, title: str, paragraphs: tuple[str, ...], lang: str = "ro") -> int:
    out = lib.add_article(ParsedArticle(title=title, paragraphs=paragraphs), LanguageGuess(lang, 0.99))
    assert out.article_id
    return out.article_id


def service_for(lib, server, kind="google", **settings) -> TranslationService:
    prov = (GoogleProvider(base_url=server.endpoint, timeout=5.0, retry=no_retry()) if kind == "google"
            else MyMemoryProvider(base_url=server.endpoint, timeout=5.0, retry=no_retry()))
    return TranslationService(lib, Settings(provider=kind, **settings), providers={kind: prov})


def test_translates_title_and_paragraphs_with_progress(library, fake_google):
    aid = add(library, "Casa verde", RO)
    events = []
    report = service_for(library, fake_google).translate_article(aid, "en", on_event=events.append)
    assert report.title == "house green"
    assert report.paragraphs[0] == "cat is beautiful and house is green."
    assert (report.translated, report.from_cache, report.failed) == (4, 0, 0)
    assert report.complete
    assert sorted(e.index for e in events) == [TITLE, 0, 1, 2]
    assert events[-1].done == events[-1].total == 4
    assert fake_google.hits == 1  # title and 3 paragraphs packed into one request


def test_second_run_is_served_from_cache_with_zero_requests(library, fake_google):
    aid = add(library, "Casa verde", RO)
    service_for(library, fake_google).translate_article(aid, "en")
    hits = fake_google.hits
    events = []
    report = service_for(library, fake_google).translate_article(aid, "en", on_event=events.append)
    assert fake_google.hits == hits
    assert (report.from_cache, report.translated) == (4, 0)
    assert all(e.from_cache for e in events)


def test_cache_survives_reopening_the_library(db_path, fake_google):
    with Library(db_path) as lib:
        aid = add(lib, "Casa verde", RO)
        first = service_for(lib, fake_google).translate_article(aid, "en")
    fake_google.stop()
    with Library(db_path) as lib:
        svc = TranslationService(lib, Settings(provider="google"),
                                 providers={"google": GoogleProvider(base_url=fake_google.endpoint,
                                                                     timeout=1.0, retry=no_retry())})
        again = svc.translate_article(aid, "en")
        cached = svc.cached_translation(aid, "en")
    assert again.paragraphs == first.paragraphs and again.from_cache == 4 and again.failed == 0
    assert cached.complete and cached.status() == "3 of 3 paragraphs cached"
    assert cached.title == "house green"


def test_failed_paragraphs_are_not_cached_and_are_retried_later(library, fake_mymemory):
    # MyMemory's 499-character limit: requests [title + p0], [p1], [p2]; the 2nd gets the quota text.
    aid = add(library, "Marea", RO_300)
    fake_mymemory.state.script = ["ok", "quota"]
    svc = service_for(library, fake_mymemory, kind="mymemory")
    first = svc.translate_article(aid, "en")
    assert first.failed == 1 and not first.complete
    assert "free quota" in next(iter(first.errors.values()))
    store = TranslationStore(library)
    assert store.count() == 3
    assert all("MYMEMORY" not in row[0] for row in library.conn.execute("SELECT text FROM translations"))
    before = fake_mymemory.hits
    second = svc.translate_article(aid, "en")
    assert (second.from_cache, second.translated, second.failed) == (3, 1, 0)
    assert fake_mymemory.hits == before + 1


def test_provider_down_reports_every_paragraph_failed_and_stores_nothing(library, fake_google):
    aid = add(library, "Marea", RO)
    fake_google.state.script = ["500"]
    report = service_for(library, fake_google).translate_article(aid, "en")
    assert report.failed == 4 and report.translated == 0
    assert TranslationStore(library).count() == 0
    assert TranslationStore(library).get_article(aid, "en") is None


def test_paragraphs_already_in_target_language_are_not_sent(library, fake_google):
    aid = add(library, "Știri", (RO_LONG, EN_PARAGRAPH), lang="und")
    report = service_for(library, fake_google).translate_article(aid, "en")
    assert report.paragraphs[1] == EN_PARAGRAPH and report.skipped == 1
    sent = " ".join(s.text for s in fake_google.state.seen)
    assert "weather" not in sent and "Guvernul" in sent


def test_article_in_target_language_makes_no_request(library, fake_google):
    aid = add(library, "Weather", (EN_PARAGRAPH,), lang="en")
    report = service_for(library, fake_google).translate_article(aid, "en")
    assert report.skipped == 2 and fake_google.hits == 0 and report.complete


def test_search_finds_article_by_a_word_only_its_translation_has(library, fake_google):
    aid = add(library, "Casa verde", RO)
    assert library.search("cat") == []
    service_for(library, fake_google).translate_article(aid, "en")
    hits = library.search("cat")
    assert [h.article.id for h in hits] == [aid] and hits[0].matched_in == "translation"
    row = TranslationStore(library).get_article(aid, "en")
    assert row is not None and row.complete and row.paragraphs[2] == "the sea is beautiful and green."


def test_retranslate_one_paragraph_bypasses_the_cache(library, fake_google):
    aid = add(library, "Casa verde", RO)
    svc = service_for(library, fake_google)
    svc.translate_article(aid, "en")
    fake_google.state.seen.clear()
    report = svc.retranslate(aid, paragraph=1, target="en")
    assert [s.text for s in fake_google.state.seen] == [RO[1]]
    assert (report.translated, report.from_cache) == (1, 3)


def test_retranslate_everything(library, fake_google):
    aid = add(library, "Casa verde", RO)
    svc = service_for(library, fake_google)
    svc.translate_article(aid, "en")
    report = svc.retranslate(aid, target="en")
    assert (report.translated, report.from_cache) == (4, 0) and fake_google.hits == 2


def test_cancel_keeps_what_was_done(library, fake_mymemory):
    aid = add(library, "Marea", RO_300)
    stop = threading.Event()
    events = []

    def on_event(event):
        events.append(event)
        stop.set()  # cancel as soon as the first result (title + p0, one request) arrives

    report = service_for(library, fake_mymemory, kind="mymemory").translate_article(
        aid, "en", on_event=on_event, cancel=stop)
    assert report.cancelled and not report.complete
    assert report.translated == 2 and fake_mymemory.hits == 1
    assert TranslationStore(library).count() == 2
    cached = TranslationStore(library).get_article(aid, "en")
    assert cached is not None and not cached.complete


def test_cached_translation_shows_partial_status(library, fake_mymemory):
    aid = add(library, "Marea", RO_300)
    fake_mymemory.state.script = ["ok", "500", "500"]
    svc = service_for(library, fake_mymemory, kind="mymemory")
    svc.translate_article(aid, "en")
    view = svc.cached_translation(aid, "en")
    assert view.status() == "1 of 3 paragraphs cached" and view.paragraphs[1:] == [None, None]


def test_selection_is_cached(library, fake_google):
    svc = service_for(library, fake_google)
    first = svc.translate_selection("Pisica este frumoasă", "ro", "en")
    second = svc.translate_selection("Pisica este frumoasă", "ro", "en")
    assert first.text == second.text == "cat is beautiful"
    assert not first.from_cache and second.from_cache and fake_google.hits == 1


def test_cache_key_is_nfc_source_text_and_pair_and_engine(library, fake_google):
    import unicodedata

    svc = service_for(library, fake_google)
    svc.translate_selection("frumoasă", "ro", "en")
    nfd = unicodedata.normalize("NFD", "frumoasă")
    assert svc.translate_selection(nfd, "ro", "en").from_cache
    store = TranslationStore(library)
    assert store.get(source_hash("frumoasă"), "ro", "en", "google") == "beautiful"
    assert store.get(source_hash("frumoasă"), "ro", "de", "google") is None
    assert not store.put(source_hash("x"), "ro", "en", "google", "  ")  # empty is never stored


def test_service_from_path_opens_a_library_per_thread(db_path, fake_google):
    with Library(db_path) as lib:
        aid = add(lib, "Casa verde", RO)
    svc = TranslationService(db_path, Settings(provider="google"), providers={
        "google": GoogleProvider(base_url=fake_google.endpoint, timeout=5.0)})
    reports = []
    worker = threading.Thread(target=lambda: reports.append(svc.translate_article(aid, "en")))
    worker.start()
    worker.join(30)
    assert reports and reports[0].translated == 4
    assert svc.cached_translation(aid, "en").complete  # read from this thread's own connection
    svc.close()


def test_automatic_uses_offline_pack_when_installed(library, fake_google, pten_model_dir, tmp_path):
    from reader.core.translation.packs import install_pack

    root = tmp_path / "packs"
    install_pack(pten_model_dir, root)
    aid = add(library, "O gato", ("O gato está em cima da mesa.",), lang="pt")
    svc = TranslationService(library, Settings(provider="auto", online_provider="google"), packs_root=root,
                             providers={"google": GoogleProvider(base_url=fake_google.endpoint, timeout=5.0)})
    report = svc.translate_article(aid, "en")
    assert report.engine.startswith("offline:pten-")
    assert "cat" in (report.paragraphs[0] or "").lower() and fake_google.hits == 0
    # no pack for ro->en: Automatic falls back to the online provider
    aid2 = add(library, "Casa verde", RO)
    assert svc.translate_article(aid2, "en").engine == "google" and fake_google.hits == 1


def test_update_settings_rebuilds_providers(library, fake_libre):
    svc = TranslationService(library, Settings(provider="libre", libre_url="http://127.0.0.1:9/"))
    aid = add(library, "Casa verde", RO)
    assert svc.translate_article(aid, "en").failed == 4
    svc.update_settings(Settings(provider="libre", libre_url=fake_libre.url))
    assert svc.translate_article(aid, "en").translated == 4


def test_auto_translate_preferences(library):
    svc = TranslationService(library, Settings(target_lang="en", always_translate=["ro", "en"],
                                               never_translate=["lt"]))
    assert svc.auto_translate("ro") and not svc.auto_translate("en") and not svc.auto_translate("lt")


def test_never_translate_language_is_not_sent(library, fake_google):
    aid = add(library, "Casa verde", RO)
    report = service_for(library, fake_google, never_translate=["ro"]).translate_article(aid, "en")
    assert report.skipped == 4 and fake_google.hits == 0


def test_two_worker_threads_share_one_service(db_path, fake_google):
    with Library(db_path) as lib:
        ids = [add(lib, f"Casa {n}", tuple(f"{p} Numărul {n}." for p in RO)) for n in range(4)]
    svc = TranslationService(db_path, Settings(provider="google"), providers={
        "google": GoogleProvider(base_url=fake_google.endpoint, timeout=5.0)})
    reports = {}
    errors = []

    def work(article_ids):
        try:
            for aid in article_ids:
                reports[aid] = svc.translate_article(aid, "en")
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(ids[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and sorted(reports) == ids
    assert all(r.complete and r.translated == 4 for r in reports.values())
    with Library(db_path) as lib:
        assert TranslationStore(lib).count() == 16
    svc.close()
