"""Plain-text articles (``.txt``), as saved from news sites (see ``seeds/``).

Rules, in the order they apply:

* **Date marker.** A leading ``date YYYY-MM-DD`` (``date:`` also accepted) sets the published date.
  Text after it on the same line is the lead paragraph; such a file has no headline line.
* **Paragraphs.** Blank lines separate blocks. Inside a block every line is a paragraph (files
  saved from the web put one paragraph per line), except that a line continuing a sentence is
  joined to the previous one with a space: the previous line does not end with ``. ! ? … :`` or a
  closing quote, and the line starts in lower case or the block is hard-wrapped (three or more
  lines of at most :data:`WRAP_MAX` characters, most about as long as the longest). In a
  hard-wrapped block a short line ending a sentence ends its paragraph.
* **Site clutter.** A *trailing* run of recommended/related-article teasers is cut: it starts at a
  teaser marker ("Citește și", "Articol recomandat", "Recomandări", "Taip pat skaitykite",
  "Read more", "Related", "Читайте также"...) or at a headline repeated twice in a row, and holds
  only markers, their teaser titles, repeated headlines and the single lead paragraph that follows a
  repeated headline. An *inline* teaser (a marker with its teaser titles in one block, in the middle
  of the article) is removed and the article around it kept. Lines such as "Publicitate" or
  "Advertisement" alone are dropped; a paragraph repeated twice in a row is kept once.
* **Photo captions and credits.** Credit lines ("… EPA-EFE nuotr", "Foto: …", "© …", "IMAGO IMAGES",
  "Name/AFP", "Getty Images") are dropped wherever they are, and so is a caption line that shares
  a two-line block with its credit. They never become the title or the lead.
* **Title.** A first paragraph that reads like a headline (at most 200 characters and 30 words,
  not ending like a sentence with ``.`` ``,`` ``;`` ``:``) is the title and leaves the body.
  Otherwise the title is the first sentence of the text (a dateline such as ``MOSCOW (Reuters) —``
  left out), trimmed at a clause or word boundary to :data:`TITLE_MAX` characters with an ellipsis;
  that paragraph stays in the body. Section subheadings inside the article stay as paragraphs.
* **Budget.** Files of more than :data:`MAX_CLUTTER_LINES` lines skip the clutter rules (every line
  kept), so the time stays linear and small for any file under the size cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reader.core.errors import ImportSkipped
from reader.core.models import ParsedArticle
from reader.core.text import phrase_fold

#: Budget for the clutter stages (teasers, boilerplate, credits: ~12 µs a line): a file with more
#: lines than this (no article has them; 2 million "Read more" lines took 30 s) keeps every line.
MAX_CLUTTER_LINES = 100_000
#: Longest title made from a sentence (a headline line is kept whole up to HEADLINE_MAX).
TITLE_MAX = 110
HEADLINE_MAX = 200
HEADLINE_MAX_WORDS = 30

_DATE_MARKER = re.compile(r"^\s*date\s*:?\s*(\d{4}-\d{2}-\d{2})(?=\s|$)[ \t]*(.*)$", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»’)\]]*(?=\s)")


#: Lower-case, diacritics-free form used to compare marker phrases (ș, ş and s alike).
fold = phrase_fold


# --- clutter markers -------------------------------------------------------------------------------
#: Lines that introduce teasers of other articles (compared folded: case and diacritics ignored).
TEASER_MARKERS: tuple[str, ...] = (
    # Romanian
    "Citește și", "Citeste si", "Citiți și", "Citește mai mult", "Citește și:", "Vezi și", "Vezi si",
    "Articol recomandat", "Articole recomandate", "Recomandări", "Recomandarea editorului",
    "Recomandarea redacției", "Alte știri", "Știri similare", "Articole similare", "Te-ar putea interesa",
    # Lithuanian
    "Taip pat skaitykite", "Skaitykite taip pat", "Susiję straipsniai", "Daugiau naujienų",
    "Rekomenduojame", "Kiti straipsniai",
    # English
    "Read more", "Read also", "See also", "Related", "Related articles", "Related stories",
    "Related news", "Recommended", "Recommended for you", "More from", "More stories",
    "You may also like", "You might also like", "Most read", "Trending",
    # Russian / Ukrainian
    "Читайте также", "Смотрите также", "Похожие статьи", "По теме", "Еще по теме", "Ещё по теме",
    "Читайте також", "Дивіться також", "Рекомендуем",
)
_MARKERS_FOLDED = tuple(sorted({fold(m).rstrip(":") for m in TEASER_MARKERS}, key=len, reverse=True))
_MARKER_START = re.compile("|".join(re.escape(m) for m in _MARKERS_FOLDED))
_MARKER_TAIL = re.compile(r"^(?:\s+(?:de|by|from|de la|iš|от|від)\s+\S.{0,40})?[\s.:…»>›\-–—]*$")

#: Lines of site furniture dropped wherever they stand alone (compared folded).
BOILERPLATE_LINES = frozenset(
    fold(s)
    for s in (
        "Publicitate", "Reclamă", "Advertisement", "Advertising", "Sponsored", "Reklama", "Реклама",
        "Share", "Distribuie", "Dalintis", "Tweet", "Comentarii", "Comments", "Komentarai",
        "Комментарии", "Abonează-te", "Subscribe", "Prenumeruokite", "Подписаться", "Galerie foto",
        "Foto", "Video", "Print", "Printează", "Spausdinti",
    )
)

# --- photo captions and credits --------------------------------------------------------------------
#: Words that make up picture-agency credits ("IMAGO IMAGES", "AFP/Getty Images", "EPA-EFE").
AGENCY_WORDS = frozenset(
    "imago images epa efe afp ap reuters getty shutterstock profimedia inquam photos photo agerpres "
    "mediafax news.ro hepta sputnik tass ria novosti pool scanpix bns elta xinhua anadolu dpa alamy "
    "corbis ansa pap ctk mti vida press kommersant interfax unian ukrinform ukrafoto lrt "
    "vyriausybes kanceliarija kremlin.ru kremlin".split()
)
_AGENCY_TAIL = re.compile(
    r"/\s*(?:EPA(?:-EFE)?|AFP|AP|Reuters|Getty(?: Images)?|IMAGO(?: IMAGES)?|Shutterstock|Profimedia|"
    r"Inquam(?: Photos)?|Agerpres|Mediafax|Sputnik|TASS|Scanpix|BNS|ELTA|Hepta|Alamy|Xinhua|dpa)\s*\.?$",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(r"\b(?:foto|photo|фото)$", re.IGNORECASE)
_NUOTR_END = re.compile(r"\bnuotr(?:\.|auka)?\s*\.?$", re.IGNORECASE)
_CREDIT_START = re.compile(
    r"^(?:©|\(c\)\s|foto\s*[:/]|photo\s*[:/]|photo credit|photo by\b|sursa foto|fotografie\s*:|"
    r"credit\s*:|image\s*:|imagine\s*:|фото\s*:|nuotr\.?\s*:|nuotrauka\s*:)",
    re.IGNORECASE,
)
_CREDIT_INLINE = re.compile(r"(?:\b(?:foto|photo|фото)\s*:|©)\s*[^.!?]{2,80}$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s/|,;·•–—]+")

#: Abbreviations after which a period does not end a sentence (compared folded).
_ABBREVIATIONS = frozenset(
    "d nr dr mr mrs ms st sf prof gen col lt sgt jr sr vs etc ing ec str pvz tt kt val min mln mlrd "
    "km kg sec no fig art alin lit pct ex resp jan feb mar apr jun jul aug sep sept oct nov dec "
    "ian iun iul oct noi g gg ul im t.e t.k dr pr sm tel tys mil".split()
)


@dataclass(slots=True)
class _Line:
    text: str
    block: int


def parse_text(text: str, *, file_name: str | None = None) -> ParsedArticle:
    """Parse a decoded ``.txt`` article. Raises :class:`ImportSkipped` when no text is left."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw_lines = text.split("\n")
    published: str | None = None
    lead_on_marker_line = False
    for i, raw in enumerate(raw_lines):
        if not raw.strip():
            continue
        m = _DATE_MARKER.match(raw)
        if m and _valid_date(m.group(1)):
            published = m.group(1)
            raw_lines[i] = m.group(2)
            lead_on_marker_line = bool(m.group(2).strip())
        break

    lines = _unwrap(_to_lines(raw_lines))
    if len(lines) <= MAX_CLUTTER_LINES:  # past the budget every line is kept as it is
        lines = _cut_trailing_clutter(lines)
        lines = _drop_inline_clutter(lines)
        lines = _drop_credits(lines)
    paragraphs = [ln.text for ln in lines]
    if not paragraphs:
        raise ImportSkipped("no article text in the file")

    if not lead_on_marker_line and len(paragraphs) > 1 and is_headline(paragraphs[0]):
        title, body = paragraphs[0], paragraphs[1:]
    else:
        title, body = title_from_text(paragraphs[0]), paragraphs
    return ParsedArticle(
        title=title,
        paragraphs=tuple(body),
        published=published,
        file_name=file_name,
    )


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _to_lines(raw_lines: list[str]) -> list[_Line]:
    """Non-blank lines, whitespace-normalised, each with the number of its blank-line block."""
    out: list[_Line] = []
    block = 0
    previous_blank = True
    for raw in raw_lines:
        clean = _SPACES.sub(" ", raw).strip()
        if not clean:
            if not previous_blank:
                block += 1
            previous_blank = True
            continue
        previous_blank = False
        out.append(_Line(clean, block))
    return out


def _unwrap(lines: list[_Line]) -> list[_Line]:
    """Join the lines of a block that continue a sentence (see :func:`_joins`)."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].block == lines[i].block:
            j += 1
        texts = [ln.text for ln in lines[i:j]]
        if len(texts) == 1:
            out.append(lines[i])
        else:
            joins = _joins(texts)
            current = [texts[0]]
            for k in range(1, len(texts)):
                if not joins[k - 1]:
                    out.append(_Line(" ".join(current), lines[i].block))
                    current = []
                current.append(texts[k])
            out.append(_Line(" ".join(current), lines[i].block))
        i = j
    return out


#: Lines longer than this are whole paragraphs (one paragraph per line), never a hard wrap.
WRAP_MAX = 100
_LIST_ITEM = re.compile(r"^(?:[-*•–—]\s|\d{1,3}[.)]\s)")


def _ends_line(text: str) -> bool:
    """A line that ends a sentence or introduces what follows (. ! ? … : and closing quotes)."""
    return text.rstrip(" ").endswith((".", "!", "?", "…", ":", "”", "»", '"', "“", "’"))


def _joins(texts: list[str]) -> list[bool]:
    """For each pair of consecutive lines of one block: whether the second continues the first.

    A line is joined to the previous one when the previous one does not end a sentence and either
    the line starts in lower case, or the block is hard-wrapped (at least three lines, none longer
    than :data:`WRAP_MAX`, most of them about as long as the longest) and the previous line is
    about as long as the longest. In a hard-wrapped block a sentence-ending line that is as long as
    the others is joined too; a short one ends its paragraph. Repeated lines, teaser markers,
    credits and list items are never joined.
    """
    n = len(texts)
    width = max(len(t) for t in texts)
    body = texts[:-1]
    full = [len(t) >= 0.75 * width for t in texts]
    wrapped = (
        n >= 3
        and 30 <= width <= WRAP_MAX
        and sum(full[:-1]) * 2 >= len(body) + 1
        and sum(1 for t in body if not _ends_line(t)) * 2 >= len(body)
    )
    joins: list[bool] = []
    special: dict[int, bool] = {}  # each line checked at most once, and only where a join is due
    for k in range(1, n):
        prev, line = texts[k - 1], texts[k]
        if prev == line or (k + 1 < n and texts[k + 1] == line):
            joins.append(False)
        elif not _ends_line(prev) and line[:1].islower():
            joins.append(True)
        elif wrapped and full[k - 1] and len(prev) <= WRAP_MAX:
            joins.append(not _ends_line(prev) or len(prev) >= 0.9 * width)
        else:
            joins.append(False)
        if joins[-1]:
            for index in (k - 1, k):
                if index not in special:
                    special[index] = _special(texts[index])
            if special[k - 1] or special[k]:
                joins[-1] = False
    return joins


def _special(text: str) -> bool:
    """A line never joined to its neighbours: a teaser marker, a credit or a list item."""
    return bool(_LIST_ITEM.match(text)) or is_teaser_marker(text) or is_credit(text)


# --- clutter ---------------------------------------------------------------------------------------
def is_teaser_marker(line: str) -> bool:
    """A line that introduces teasers of other articles ("Citește și", "Read more:"...)."""
    if len(line) > 200:
        return False
    folded = fold(line).strip()
    if not _MARKER_START.match(folded):
        return False
    for marker in _MARKERS_FOLDED:
        if folded.startswith(marker):
            rest = folded[len(marker) :]
            if rest and rest[0].isalnum():
                continue  # "Relatedly", "Recommendations for..." are words, not markers
            if _MARKER_TAIL.match(rest):
                return True
            if rest.lstrip().startswith(":") and len(line) <= 200:
                return True  # "Citește și: Titlul unui alt articol"
    return False


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”»’)").endswith((".", "!", "?"))


def _kinds(lines: list[_Line]) -> list[str]:
    """Per line: M (teaser marker), D (repeated headline), T (teaser title under a marker), X (text)."""
    kinds = ["X"] * len(lines)
    for i, ln in enumerate(lines):
        if is_teaser_marker(ln.text):
            kinds[i] = "M"
    for i in range(1, len(lines)):
        if lines[i].text == lines[i - 1].text and len(lines[i].text) <= 300 and kinds[i] != "M":
            kinds[i] = kinds[i - 1] = "D"
    for i, kind in enumerate(kinds):
        if kind != "M":
            continue
        j, taken = i + 1, 0
        while (
            j < len(lines)
            and taken < 5
            and kinds[j] == "X"
            and lines[j].block == lines[i].block
            and len(lines[j].text) <= 200
            and not _ends_sentence(lines[j].text)
        ):
            kinds[j] = "T"
            j += 1
            taken += 1
    return kinds


def _cut_trailing_clutter(lines: list[_Line]) -> list[_Line]:
    """Cut the trailing run of teasers (see the module docstring). Linear in the number of lines."""
    kinds = _kinds(lines)
    n = len(lines)
    # ok[i]: lines i.. are all clutter (markers, teaser titles, repeated headlines, or one lead
    # paragraph right after a repeated headline); markers/repeats: counts from i to the end.
    ok = [True] * (n + 1)
    markers = [0] * (n + 1)
    repeats = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        kind = kinds[i]
        markers[i] = markers[i + 1] + (kind == "M")
        repeats[i] = repeats[i + 1] + (kind == "D")
        if kind == "X":
            lead = i > 0 and kinds[i - 1] == "D" and (i + 1 == n or kinds[i + 1] != "X")
            ok[i] = ok[i + 1] and lead
        else:
            ok[i] = ok[i + 1]
    for start in range(1, n):
        if kinds[start] in ("M", "D") and ok[start] and (markers[start] or repeats[start] >= 4):
            return lines[:start]
    return lines


def _drop_inline_clutter(lines: list[_Line]) -> list[_Line]:
    """Drop inline teaser markers with their titles, boilerplate lines and repeated paragraphs."""
    kinds = _kinds(lines)
    out: list[_Line] = []
    for ln, kind in zip(lines, kinds, strict=True):
        if kind in ("M", "T"):
            continue
        if len(ln.text) <= 40 and fold(ln.text).strip(" .:!") in BOILERPLATE_LINES:
            continue
        if out and out[-1].text == ln.text:
            continue
        out.append(ln)
    return out


# --- captions and credits --------------------------------------------------------------------------
def is_credit(line: str) -> bool:
    """A photo credit ("EPA-EFE nuotr", "Foto: Inquam Photos", "IMAGO IMAGES", "Name/AFP")."""
    text = line.strip()
    if not text or len(text) > 300:
        return False
    lowered = text.lower()
    if "nuotr" in lowered and _NUOTR_END.search(text):
        return True
    if _CREDIT_START.match(text) and len(text) <= 200:
        return True
    # Each regex below runs only when a cheap necessary condition holds (~5x faster on plain prose).
    if ("©" in text or (":" in text and ("foto" in lowered or "photo" in lowered or "фото" in lowered))) \
            and _CREDIT_INLINE.search(text):
        return True
    head = [w for w in _WORD_SPLIT.split(fold(text[:40]).strip(" .")) if w]
    if not head or head[0] in AGENCY_WORDS:  # every word an agency word: the first one must be
        words = [w for w in _WORD_SPLIT.split(fold(text).strip(" .")) if w]
        if words and all(w in AGENCY_WORDS for w in words):
            return True
    if _AGENCY_TAIL.search(text) and not _ends_sentence(text):
        return True
    if lowered[-4:] in ("foto", "hoto", "фото") and _CREDIT_END.search(text) and not text.endswith("."):
        tail = text[-60:]
        tail_words = [w for w in _WORD_SPLIT.split(fold(tail)) if w]
        return "/" in tail or len(text.split()) <= 8 or any(w in AGENCY_WORDS for w in tail_words)
    return False


def _drop_credits(lines: list[_Line]) -> list[_Line]:
    """Drop credit lines, and the caption sharing a two-line block with a credit."""
    sizes: dict[int, int] = {}
    for ln in lines:
        sizes[ln.block] = sizes.get(ln.block, 0) + 1
    drop: set[int] = set()
    for i, ln in enumerate(lines):
        if not is_credit(ln.text):
            continue
        drop.add(i)
        if (
            sizes[ln.block] == 2
            and i > 0
            and lines[i - 1].block == ln.block
            and len(lines[i - 1].text) <= 250
        ):
            drop.add(i - 1)
    return [ln for i, ln in enumerate(lines) if i not in drop]


# --- titles ----------------------------------------------------------------------------------------
def is_headline(text: str) -> bool:
    """Whether a first paragraph reads like a headline rather than a lead sentence."""
    text = text.strip()
    if not text or len(text) > HEADLINE_MAX or len(text.split()) > HEADLINE_MAX_WORDS:
        return False
    if text.rstrip("\"'”»’)").endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    return any(ch.isalpha() for ch in text)


_DATELINE = re.compile(
    r"^(?:[^()\n]{0,40}?\([A-Z][\w.-]{1,20}(?:[ /][A-Z][\w.-]+)?\)|[A-ZÀ-ÞĂÂÎȘȚА-Я][A-ZÀ-ÞĂÂÎȘȚА-Я .,'-]{2,30})"
    r"\s*[—–-]\s+"
)


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (abbreviations and initials do not end it)."""
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        rest = text[end:].lstrip()
        if not rest:
            break
        nxt = rest[0]
        if not (nxt.isupper() or nxt in "\"'„“«—–-" or nxt.isdigit()):
            continue
        if m.group().startswith(".") and len(m.group().rstrip("\"'”»’)]")) == 1:
            word = re.search(r"(\S+)\.$", text[: m.start() + 1])
            token = fold(word.group(1)).lstrip("(\"'„“«") if word else ""
            if len(token) <= 1 or token in _ABBREVIATIONS or token.rstrip(".") in _ABBREVIATIONS:
                continue
        return text[:end].strip()
    return text.strip()


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """``text`` cut to at most ``limit`` characters at a clause or word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    cut = -1
    for sep in (", ", "; ", ": ", " — ", " – "):
        pos = window.rfind(sep)
        if pos >= limit // 2:
            cut = max(cut, pos)
    if cut == -1:
        cut = window.rfind(" ")
    if cut <= 0:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:—–-") + "…"


def title_from_text(paragraph: str, limit: int = TITLE_MAX) -> str:
    """A title made from the first sentence of ``paragraph`` (dateline dropped, trimmed)."""
    sentence = first_sentence(paragraph)
    stripped = _DATELINE.sub("", sentence, count=1)
    if len(stripped) >= 15:
        sentence = stripped
    sentence = sentence.strip()
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1].rstrip()
    return shorten(sentence, limit)
