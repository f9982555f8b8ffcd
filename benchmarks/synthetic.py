"""Synthetic multilingual articles for benchmarks: ~3 KB each, in Romanian, Lithuanian, English,
Russian and German, built from word pools (the seeds' own vocabulary for ro/lt/en), deterministic
for a given seed. Text reads as word salad but has each language's real letter statistics, so
language detection and diacritic-folding search behave as on real articles.
"""

from __future__ import annotations

import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

EXTRA = {
    "ru": (
        "Президент России Владимир Путин заявил в четверг что Москва и Минск будут укреплять союз "
        "и стратегическое партнёрство в условиях напряжённой международной обстановки особенно на "
        "западных границах Белорусский лидер Александр Лукашенко подчеркнул что две страны должны "
        "быть готовы вместе ответить на любые вызовы Совместные учения армии пройдут осенью на "
        "территории республики Эксперты считают что экономическая интеграция продолжится несмотря "
        "на санкции западных стран и давление на союзное государство правительство министр "
        "переговоры безопасность граница выборы оппозиция журналисты сообщили агентство новостей"
    ),
    "de": (
        "Der russische Präsident Wladimir Putin hat am Donnerstag erklärt dass Moskau und Minsk ihre "
        "Zusammenarbeit in der Verteidigung und Sicherheit weiter ausbauen wollen Der belarussische "
        "Machthaber Alexander Lukaschenko betonte die Bedeutung des Bündnisses angesichts der "
        "angespannten Lage an den westlichen Grenzen Beobachter erwarten dass die wirtschaftliche "
        "Integration trotz der Sanktionen der Europäischen Union fortgesetzt wird Regierung Minister "
        "Verhandlungen Opposition Wahlen Journalisten berichteten die Nachrichtenagentur zufolge"
    ),
}
SEED_LANG = {"000": "ro", "001": "ro", "002": "lt", "003": "en", "004": "ro"}
LANG_WEIGHTS = {"ro": 0.35, "lt": 0.25, "en": 0.2, "ru": 0.12, "de": 0.08}
SOURCES = ["Agerpres", "Reuters", "LRT", "BBC", "Digi24", "Delfi", "TASS", "DW", "Euronews", "HotNews"]
TAGS = ["region/belarus", "region/russia", "region/ukraine", "topic/security", "topic/economy",
        "topic/diplomacy", "to-read", "sources/agency"]


def _word_pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for f in sorted(SEEDS.glob("*.txt")):
        lang = SEED_LANG.get(f.name[:3])
        if not lang:
            continue
        words = [w.strip("„“”\"'()[],.;:!?«»—–-") for w in f.read_text(encoding="utf-8").split()]
        pools.setdefault(lang, []).extend(w for w in words if w and not w.isdigit())
    for lang, text in EXTRA.items():
        pools[lang] = text.split()
    return pools


class Generator:
    """Deterministic article generator: ``article(i)`` is always the same for the same seed."""

    def __init__(self, seed: int = 42) -> None:
        self.seed = seed
        self.pools = _word_pools()
        self.langs = list(LANG_WEIGHTS)
        self.weights = [LANG_WEIGHTS[k] for k in self.langs]

    def _sentence(self, rng: random.Random, pool: list[str]) -> str:
        words = [rng.choice(pool) for _ in range(rng.randint(8, 22))]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def article(self, i: int, size: int = 3000) -> dict[str, object]:
        """One article as a dict: title, paragraphs, lang, published, source, tags."""
        rng = random.Random(self.seed * 1_000_003 + i)
        lang = rng.choices(self.langs, self.weights)[0]
        pool = self.pools[lang]
        title = self._sentence(rng, pool).rstrip(".")[:110]
        paragraphs: list[str] = []
        total = 0
        while total < size:
            para = " ".join(self._sentence(rng, pool) for _ in range(rng.randint(2, 5)))
            paragraphs.append(para)
            total += len(para) + 2
        year = rng.choice([2023, 2024, 2025, 2026])
        published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.9 else None
        tags = rng.sample(TAGS, rng.randint(0, 2))
        return {
            "title": f"{title} ({i})",
            "paragraphs": paragraphs,
            "lang": lang,
            "published": published,
            "source": rng.choice(SOURCES),
            "tags": tags,
        }

    def write_file(self, i: int, folder: Path) -> Path:
        """The article as a seeds-style .txt file (date marker, headline, paragraphs)."""
        art = self.article(i)
        lines = []
        if art["published"]:
            lines.append(f"date {art['published']}")
        lines.append(str(art["title"]))
        text = "\n".join(lines) + "\n\n" + "\n\n".join(art["paragraphs"]) + "\n"  # type: ignore[arg-type]
        path = folder / f"{i // 1000:03d}" / f"article_{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
