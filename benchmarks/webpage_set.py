"""A generated set of news-site pages for the HTML importer's titles and leads (issue 14).

Each page is an article (a headline written for this set and a body of sentences from
:mod:`benchmarks.language_texts`, in ro, lt, en, ru, be) put into one of eight site templates that
vary what real news sites do: ``<title>`` with `` | Site`` / `` - Site`` / ``Site: `` around the
headline, ``og:title`` (sometimes with the site suffix), JSON-LD ``headline``, an ``<h1>`` for the
site logo, the headline in an ``<h1>`` or ``<h2>`` inside the article or nowhere in the body,
bylines ("By X", "Autor: X", "Автор: X"), datelines on their own line, photo credits ("Foto: X /
EPA") with captions, share buttons, related links, cookie banners and breadcrumbs.

Templates 0-3 are half ``A`` (looked at while working on the importer), 4-7 are half ``B`` (held
out: a different template for every page). Expected: the exact headline, and the body's first
sentence.

    python -m benchmarks.webpage_set            # before/after rates of both halves
"""

from __future__ import annotations

import html
import json
import random
import sys
from dataclasses import dataclass

from benchmarks.language_texts import SENTENCES

HEADLINES: dict[str, list[str]] = {
    "en": [
        "Belarus and Russia sign a new security directive in Moscow",
        "Opposition leaders meet diplomats in Vilnius to discuss sanctions",
        "Prices of food rise again as the rouble weakens",
        "New museum opens in the centre of Vitebsk",
        "Railway station crowded before the holidays",
    ],
    "ro": [
        "Lukașenko spune că relațiile cu Rusia rămân strânse",
        "Guvernul anunță noi taxe pentru firmele mici",
        "Minsk și Moscova semnează un acord privind securitatea",
        "Prețurile la alimente au crescut din nou luna trecută",
        "Un nou muzeu s-a deschis în centrul orașului",
    ],
    "lt": [
        "Lukašenka sako, kad santykiai su Rusija išliks glaudūs",
        "Vyriausybė paskelbė naujus mokesčius smulkiajam verslui",
        "Vilniuje susitiko opozicijos atstovai ir diplomatai",
        "Maisto kainos vėl pakilo praėjusį mėnesį",
        "Naujas muziejus atidarytas miesto centre",
    ],
    "ru": [
        "Лукашенко заявил, что не собирается уходить с поста",
        "Цены на продукты снова выросли за месяц",
        "В Минске открылся новый музей современного искусства",
        "Правозащитники требуют освободить политзаключённых",
        "Вокзал переполнен пассажирами перед праздниками",
    ],
    "be": [
        "Лукашэнка зноў заявіў, што не пакіне пасаду",
        "Цэны на прадукты ў крамах зноў выраслі",
        "Новы музей адкрыўся ў цэнтры Віцебска",
        "Праваабаронцы патрабуюць вызваліць палітвязняў",
        "Студэнты арганізавалі канцэрт на падтрымку палітвязняў",
    ],
}
SITES = {"en": "The Minsk Herald", "ro": "Știri de Est", "lt": "Rytų naujienos", "ru": "Новости Востока",
         "be": "Наша Ніва Навін"}
AUTHORS = {"en": "By Anna Kovalenko", "ro": "Autor: Ion Popescu", "lt": "Autorius: Jonas Petraitis",
           "ru": "Автор: Иван Петров", "be": "Аўтар: Алесь Каваль"}
DATELINES = {"en": "MINSK, Feb 26 (Reuters) -", "ro": "Chișinău, 26 februarie 2026", "lt": "Vilnius, 2026 m. balandžio 6 d.",
             "ru": "МИНСК, 26 февраля 2026", "be": "Мінск, 26 лютага 2026"}
CREDITS = {"en": "Photo: Sergei Grits / AP", "ro": "Foto: Inquam Photos / Octav Ganea", "lt": "Mikhail Klimentyev/Sputnik/EPA-EFE nuotr.",
           "ru": "Фото: Михаил Метцель / ТАСС", "be": "Фота: Уладзімір Гардзееў / EPA"}
CAPTIONS = {"en": "The two leaders at the Kremlin on Thursday", "ro": "Cei doi lideri la Kremlin, joi",
            "lt": "Abu lyderiai Kremliuje ketvirtadienį", "ru": "Два лидера в Кремле в четверг",
            "be": "Два лідары ў Крамлі ў чацвер"}
SHARE = ["Share", "Facebook", "Twitter", "WhatsApp", "Copy link"]
COOKIE = "We use cookies to improve your experience. By continuing you agree to our cookie policy. Accept"
RELATED = {"en": "Read more", "ro": "Citește și", "lt": "Taip pat skaitykite", "ru": "Читайте также",
           "be": "Чытайце таксама"}


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    half: str
    lang: str
    template: int
    html: str
    title: str
    first_sentence: str


def _ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)


def _page(template: int, lang: str, headline: str, paragraphs: list[str], rng: random.Random) -> str:
    e = html.escape
    site = SITES[lang]
    related = (f'<div class="related"><h3>{e(RELATED[lang])}</h3><ul>'
               + "".join(f'<li><a href="/a{i}">{e(h)}</a></li>' for i, h in enumerate(HEADLINES[lang][:3]))
               + "</ul></div>")
    share = '<div class="share">' + "".join(f"<a href='#'>{s}</a>" for s in SHARE) + "</div>"
    figure = (f'<figure><img src="p.jpg" alt=""><figcaption>{e(CAPTIONS[lang])}'
              f'<span class="credit">{e(CREDITS[lang])}</span></figcaption></figure>')
    nav = f'<header><a class="logo" href="/"><h1>{e(site)}</h1></a><nav><a href="/">Home</a><a href="/w">World</a></nav></header>'
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
                     "author": {"@type": "Person", "name": AUTHORS[lang].split(": ")[-1].removeprefix("By ")}},
                    ensure_ascii=False)
    head_extra, title, body = "", f"{headline} | {site}", ""
    text = _ps(paragraphs)
    if template == 0:
        head_extra = f'<meta property="og:title" content="{e(headline)}">'
        body = (f"{nav}<main><article><h1>{e(headline)}</h1><p class='byline'>{e(AUTHORS[lang])}</p>"
                f"{text}</article>{related}</main>")
    elif template == 1:
        title = f"{headline} - {site}"
        body = (f"{nav}<main><article><h1>{e(headline)}</h1><div class='dateline'>{e(DATELINES[lang])}</div>"
                f"{share}{text}</article></main><footer>© {e(site)}</footer>")
    elif template == 2:
        title = f"{headline} — {site}"
        head_extra = f'<script type="application/ld+json">{ld}</script>'
        body = (f"<div class='cookie'><p>{COOKIE}</p></div>{nav}<article><h1>{e(headline)}</h1>{figure}"
                f"<p>{e(CREDITS[lang])}</p>{text}{share}</article>{related}")
    elif template == 3:
        head_extra = f'<meta property="og:title" content="{e(headline)} | {e(site)}">'
        body = (f"{nav}<div class='breadcrumbs'><a href='/'>Home</a> › <a href='/w'>World</a></div>"
                f"<article><h1>{e(headline)}</h1><p>{e(AUTHORS[lang])}</p><p>26.02.2026, 14:30</p>{text}</article>")
    elif template == 4:
        title = f"{site}: {headline}"
        body = (f"{nav}<ol class='breadcrumb'><li>Home</li><li>World</li></ol><article><header><h1>{e(headline)}</h1>"
                f"<p class='author'>{e(AUTHORS[lang])} | 26.02.2026</p></header>{text}</article>")
    elif template == 5:
        title = f"{headline} | World | {site}"
        head_extra = f'<meta property="og:title" content="{e(headline)}">'
        body = (f"{nav}<article><h1>{e(headline)}</h1><p>{e(CREDITS[lang])}</p><p>{e(CAPTIONS[lang])}</p>"
                f"{text}{related}</article><div class='cookie'>{COOKIE}</div>")
    elif template == 6:
        title = f"{headline} - {site}"
        head_extra = f'<script type="application/ld+json">{ld}</script>'
        body = (f"{nav}<div class='content'><div class='story'><p>{e(DATELINES[lang])}</p>{text}</div>"
                f"{share}{related}</div>")
    else:
        head_extra = f'<meta property="og:site_name" content="{e(site)}">'
        title = f"{site} | {headline}"
        body = (f"{nav}<div class='post'><h2 class='entry-title'>{e(headline)}</h2>"
                f"<p>{e(AUTHORS[lang])}</p><p>Updated 3 hours ago</p>{figure}{text}</div>{share}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"{head_extra}</head><body>{body}</body></html>")


def pages() -> list[Page]:
    """The whole set: every headline in every template of its half (seeded, reproducible)."""
    rng = random.Random(14)
    out: list[Page] = []
    for lang, headlines in HEADLINES.items():
        for i, headline in enumerate(headlines):
            for template in range(8):
                sentences = rng.sample(SENTENCES[lang], 9)
                paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, 9, 3)]
                first = sentences[0]
                out.append(Page(f"{lang}-{i}-t{template}", "A" if template < 4 else "B", lang, template,
                                _page(template, lang, headline, paragraphs, rng), headline, first))
    return out


def measure() -> dict[str, tuple[float, float, int]]:
    """Per half: (exact-title rate, body-starts-with-first-sentence rate, pages)."""
    from reader.core.importers import parse_bytes

    results: dict[str, list[tuple[bool, bool]]] = {"A": [], "B": []}
    for page in pages():
        parsed = parse_bytes(page.html.encode("utf-8"), f"{page.name}.html")
        body = " ".join(parsed.paragraphs)
        results[page.half].append((parsed.title == page.title, body.startswith(page.first_sentence)))
    return {half: (sum(t for t, _ in r) / len(r), sum(s for _, s in r) / len(r), len(r))
            for half, r in results.items()}


def failures(half: str = "A") -> list[str]:
    from reader.core.importers import parse_bytes

    out = []
    for page in pages():
        if page.half != half:
            continue
        parsed = parse_bytes(page.html.encode("utf-8"), f"{page.name}.html")
        body = " ".join(parsed.paragraphs)
        if parsed.title != page.title or not body.startswith(page.first_sentence):
            out.append(f"{page.name}: title={parsed.title!r} body={body[:70]!r}")
    return out


def main() -> int:
    for half, (titles, leads, n) in measure().items():
        print(f"half {half}: {n} pages, exact title {titles:.0%}, body starts with the first sentence {leads:.0%}")
    if "-v" in sys.argv:
        for line in failures("A" if "-b" not in sys.argv else "B"):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
