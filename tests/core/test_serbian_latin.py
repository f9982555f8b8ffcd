"""Serbian in Latin script is told from Croatian by ekavian forms, Serbian-only vocabulary and the
"želi da se vrati" construction; the Croatian counterparts stay Croatian (issue 14)."""

from __future__ import annotations

import pytest

from reader.core.language import detect_language

SERBIAN = [
    "Ona studira u Beču i želi da se vrati kući posle diplomiranja.",
    "Predsednik opštine obišao je radove na novom mostu i rekao da će biti završen do kraja leta.",
    "Fudbaleri su pobedili sinoć, a trener veruje u prolazak u sledeću fazu takmičenja.",
    "Narodna skupština raspravljala je o zakonu o bezbednosti saobraćaja.",
    "Ove reči pojavile su se na zidovima mnogih kuća u centru grada.",
]
CROATIAN = [
    "Ona studira u Beču i želi se vratiti kući nakon diplome.",
    "Gradonačelnik je obišao radove na novom mostu i rekao da će biti gotov do kraja ljeta.",
    "Nogometaši su pobijedili sinoć, a trener vjeruje u prolazak u sljedeću fazu natjecanja.",
    "Sabor je raspravljao o zakonu o sigurnosti prometa i o novom proračunu.",
    "Ove riječi pojavile su se na zidovima mnogih kuća u središtu grada.",
]


@pytest.mark.parametrize("text", SERBIAN)
def test_serbian_latin_is_serbian(text: str) -> None:
    assert detect_language(text).lang == "sr"


@pytest.mark.parametrize("text", CROATIAN)
def test_croatian_stays_croatian(text: str) -> None:
    assert detect_language(text).lang == "hr"
