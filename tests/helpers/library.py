"""A real library filled with small articles in four languages, for the GUI tests and others."""

from __future__ import annotations

from pathlib import Path

from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library

LANGS = ("ro", "lt", "en", "uk")
WORDS = {
    "ro": "președintele belarus lukașenko a declarat joi la moscova relațiile de alianță",
    "lt": "prezidentas lukašenka ketvirtadienį maskvoje pareiškė kad santykiai stiprėja",
    "en": "the president said on thursday in moscow that relations with the alliance matter",
    "uk": "президент заявив у четвер у москві що відносини з союзником важливі",
}


def populate(db: Path, count: int, *, tags: bool = True) -> list[int]:
    """Fill a real library with ``count`` small articles in four languages; returns their ids."""
    ids: list[int] = []
    with Library(db) as lib:
        lib.set_setting("gui.seeded", True)  # not a first start: no seeding
        for i in range(count):
            lang = LANGS[i % len(LANGS)]
            paragraphs = tuple(f"{WORDS[lang]} numărul {i} paragraf {p}." for p in range(6))
            parsed = ParsedArticle(
                title=f"Article {i:05d} {lang}",
                paragraphs=paragraphs,
                published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                source=f"Source {i % 7}",
                url=f"https://example.org/{i}",
                tags=(("region/belarus",) if i % 3 == 0 else ()) + (("economy",) if i % 5 == 0 else ()) if tags else (),
            )
            outcome = lib.add_article(parsed, LanguageGuess(lang, 0.9))
            assert outcome.article_id is not None
            ids.append(outcome.article_id)
    return ids
