"""Belarusian/Serbian disambiguation after langdetect (reader.core.cyrillic), on the benchmark's texts."""

from __future__ import annotations

import pytest

from benchmarks.language_texts import EXPECTED, SENTENCES
from reader.core.cyrillic import candidates, lingua_available, refine_cyrillic
from reader.core.language import detect_language


def label(text: str, *, use_lingua: bool = True) -> str:
    guess = detect_language(text)
    return refine_cyrillic(text, guess.lang, guess.confidence, use_lingua=use_lingua)[0]


@pytest.mark.parametrize("use_lingua", [True, False])
def test_belarusian_is_never_ukrainian_or_russian(use_lingua: bool) -> None:
    if use_lingua and not lingua_available():
        pytest.skip("lingua-language-detector not installed")
    sentences = SENTENCES["be"]
    got = [label(s, use_lingua=use_lingua) for s in sentences]
    assert not [s for s, g in zip(sentences, got, strict=True) if g in ("uk", "ru")]
    assert got.count("be") >= len(sentences) - 1
    document = " ".join(sentences[:8])
    assert label(document, use_lingua=use_lingua) == "be"


def test_serbian_cyrillic_is_serbian() -> None:
    got = [label(s) for s in SENTENCES["sr"]]
    assert got.count("sr") >= len(got) - (0 if lingua_available() else 5)
    assert "mk" not in got or not lingua_available()
    assert label(" ".join(SENTENCES["sr"][:8])) == "sr"
    assert refine_cyrillic("Ђорђе ће доћи у среду, ако буде могао да нађе превоз.", "mk", 0.9)[0] == "sr"


def test_alphabet_rules() -> None:
    assert candidates("Гэта вельмі важна для ўсіх нашых людзей")[0] == ["be"]
    assert candidates("Її батько живе в Києві вже багато років")[0] == ["uk"]
    assert "ru" not in candidates("Він і вона")[0]
    assert candidates("Ќе се видиме утре во Скопје")[0] == ["mk"]


def test_accuracy_on_a_fixed_subset() -> None:
    keys = ["be", "uk", "ru", "bg", "mk", "sr", "sr-Latn", "hr", "ro", "lt", "en", "de"]
    samples = [(k, s) for k in keys for s in SENTENCES[k][::2]]
    got = [(EXPECTED[k], label(s)) for k, s in samples]
    right = sum(e == g for e, g in got)
    wrong = sum(e != g and g != "und" for e, g in got)
    floor, wrong_max = (0.96, 0.03) if lingua_available() else (0.93, 0.06)
    assert right / len(got) >= floor, got
    assert wrong / len(got) <= wrong_max


def test_non_cyrillic_answers_are_left_alone() -> None:
    for lang, text in [("ro", "Aceasta a fost o veste foarte bună pentru toți locuitorii."),
                       ("en", "This was very good news for everyone in the city."),
                       ("lt", "Tai buvo labai gera žinia visiems miesto gyventojams."),
                       ("de", "Das war eine sehr gute Nachricht für alle Einwohner.")]:
        assert refine_cyrillic(text, lang, 0.99) == (lang, 0.99)
    assert refine_cyrillic("Зеленський", "uk", 0.9) == ("und", 0.0)  # too short: und, not a guess
    assert refine_cyrillic("", "und", 0.0) == ("und", 0.0)


def test_concurrent_first_calls_build_one_detector() -> None:
    import threading

    from reader.core import cyrillic

    cyrillic._detector, cyrillic._detector_tried = None, False
    results: list[tuple[str, float]] = []
    text = "Гэта была вельмі добрая навіна для ўсіх жыхароў горада і ваколіц."
    ambiguous = "Каб не было праблем, трэба загадзя купіць квіткі на цягнік."
    threads = [threading.Thread(target=lambda t=t: results.append(refine_cyrillic(t, "uk", 0.9)))
               for t in [text, ambiguous] * 4]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(results) == 8 and all(lang == "be" for lang, _ in results)
