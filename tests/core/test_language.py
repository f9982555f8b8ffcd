"""Language detection: deterministic, bounded samples, ``und`` for text that cannot be told."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from reader.core import language
from reader.core.language import MIN_LETTERS, detect_language, language_code, sample_text, warm_up
from reader.core.models import UNDETERMINED

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
RUSSIAN = (
    "Президент России Владимир Путин в четверг заявил, что Москва и Минск продолжат укреплять военное "
    "сотрудничество. По словам пресс-секретаря Кремля Дмитрия Пескова, переговоры длились долго."
)


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(("prefix", "lang"), [("000", "ro"), ("001", "ro"), ("002", "lt"), ("003", "en"), ("004", "ro")])
def test_seed_languages(prefix: str, lang: str) -> None:
    guess = detect_language(seed_text(prefix))
    assert guess.lang == lang
    assert 0.9 < guess.confidence <= 1.0


def test_russian() -> None:
    assert detect_language(RUSSIAN).lang == "ru"


def test_detection_is_deterministic() -> None:
    text = seed_text("002")[:400]
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(5))
    assert DetectorFactory.seed == 0


@pytest.mark.parametrize("text", ["", "   ", "12345 678 90.12", "!!! ??? ... ---", "Putin", "a b c d e f"])
def test_undetermined(text: str) -> None:
    guess = detect_language(text)
    assert guess.lang == UNDETERMINED and guess.confidence == 0.0


def test_short_threshold() -> None:
    assert detect_language("x" * (MIN_LETTERS - 1)).lang == UNDETERMINED


def test_sample_is_bounded_and_spread_over_the_text() -> None:
    text = " ".join(f"w{i}" for i in range(5000))
    sample = sample_text(text, 2000)
    assert len(sample) <= 2000 + 10
    assert "w0" in sample.split() and "w4999" in sample.split()  # start and end both sampled
    middle = [int(w[1:]) for w in sample.split() if 1500 < int(w[1:]) < 3500]
    assert middle  # and the middle too


def test_sample_keeps_a_minority_language_at_the_end_in_view() -> None:
    text = seed_text("003") * 3 + "\n\n" + seed_text("002") * 3
    sample = sample_text(text, 2000)
    assert "Rusijos" in sample or "Putinas" in sample


def test_fast_detector_matches_langdetect() -> None:
    """Our faster loops give langdetect's own probabilities (same seed, same n-grams)."""
    warm_up()
    for text in (seed_text("001")[:1500], seed_text("002")[:800], RUSSIAN):
        reference = language._factory.create()
        reference.append(text)
        ours = language._make_detector(text)
        reference.cleaning_text()
        ours.cleaning_text()
        assert ours._extract_ngrams() == reference._extract_ngrams()
        reference_langs = [lang.lang for lang in reference.get_probabilities()]
        assert [lang.lang for lang in ours.get_probabilities()] == reference_langs


def test_warm_up_is_thread_safe() -> None:
    language._factory = None
    errors: list[BaseException] = []
    results: list[str] = []

    def run() -> None:
        try:
            results.append(detect_language(seed_text("003")).lang)
        except (BaseException, LangDetectException) as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == ["en"] * 8


@pytest.mark.parametrize(
    ("declared", "code"),
    [("ro", "ro"), ("ro-RO", "ro"), ("lt_LT", "lt"), ("RU", "ru"), ("ron", "ro"), ("xx", None), ("", None),
     (None, None), ("english", None)],
)
def test_language_code(declared: str | None, code: str | None) -> None:
    assert language_code(declared) == code
