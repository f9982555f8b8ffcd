"""Legacy-encoding benchmark: real text in every code page our languages used, decoded back.

Each sample is real text (the paragraphs in :mod:`benchmarks.encoding_texts` and the repository's
seeds for Romanian, Lithuanian and English) encoded in one of the code pages its language was
written in, and in UTF-8 / UTF-16 with and without a byte-order mark. "Decoded right" means the
decoded text equals the original (both NFC). Variants:

* ``short``: one paragraph cut at a word to at most ~300 characters;
* ``long``: paragraphs of the half joined up to ~3 KB;
* ``few``: an English text quoting ~50 characters of the language (few non-ASCII characters).

Two halves that share no paragraph: half A takes each language's even paragraphs, half B (held
out: nothing in the decoder was tuned on it) the odd ones; each half also draws with its own
random seed. Legacy files are written the way legacy editors wrote them: characters the code page
lacks are replaced as people did (Romanian comma-below ș ț by cedilla ş ţ, typographic quotes and
dashes by ASCII where the code page has none); a paragraph that still does not fit is left out.

Measured 2026-12-02 (1,176 samples, 456 of them in legacy code pages; "legacy" = only those):

======================================  ===============  ===============
decoder                                 half A           half B (held out)
======================================  ===============  ===============
previous decode_bytes (git HEAD)        84.2 % (59.2 %)  80.8 % (50.4 %)
charset-normalizer alone                90.6 % (75.9 %)  90.5 % (75.4 %)
decode_bytes now                        99.0 % (97.4 %)  99.0 % (97.4 %)
======================================  ===============  ===============

(overall, legacy in brackets). What is still wrong: Romanian ISO-8859-16 without „ ” « » (read as
cp1250, cedilla ş ţ instead of ș ț: the same bytes), Slovene ISO-8859-2 texts whose only
letters are š č (cp1250 reads š as Lithuanian ą) and a few ``few`` samples with one or two
letters that fit two languages; all but the Romanian ones are flagged as close calls.

Usage::

    python -m benchmarks.encoding_set                 # new decoder, both halves
    python -m benchmarks.encoding_set --compare       # also the previous decoder and
                                                      # charset-normalizer alone
    python -m benchmarks.encoding_set --failures      # list what was decoded wrong
"""

from __future__ import annotations

import argparse
import codecs
import random
import subprocess
import sys
import time
import types
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.encoding_texts import ENGLISH_FRAMES, EXTRA, TEXTS  # noqa: E402

SEEDS = REPO / "seeds"
SEED_FILES = {"ro": ("000", "001", "004"), "lt": ("002",), "en": ("003",)}

#: The code pages each language was written in (besides UTF-8 and UTF-16).
CODEPAGES: dict[str, tuple[str, ...]] = {
    "ro": ("cp1250", "iso-8859-2", "iso-8859-16"),
    "lt": ("cp1257", "iso-8859-13", "iso-8859-4"),
    "lv": ("cp1257", "iso-8859-13", "iso-8859-4"),
    "et": ("cp1257", "iso-8859-13", "iso-8859-4", "iso-8859-15"),
    "ru": ("cp1251", "koi8-r", "iso-8859-5", "cp866", "mac-cyrillic"),
    "uk": ("cp1251", "koi8-u", "iso-8859-5", "mac-cyrillic"),
    "be": ("cp1251", "iso-8859-5", "mac-cyrillic"),
    "bg": ("cp1251", "koi8-r", "iso-8859-5", "cp866", "mac-cyrillic"),
    "sr": ("cp1251", "iso-8859-5", "mac-cyrillic"),
    "pl": ("cp1250", "iso-8859-2"),
    "cs": ("cp1250", "iso-8859-2"),
    "sk": ("cp1250", "iso-8859-2"),
    "hu": ("cp1250", "iso-8859-2"),
    "sl": ("cp1250", "iso-8859-2"),
    "hr": ("cp1250", "iso-8859-2"),
    "de": ("cp1252", "iso-8859-1", "iso-8859-15"),
    "fr": ("cp1252", "iso-8859-1", "iso-8859-15"),
    "en": ("cp1252", "iso-8859-1"),
    "el": ("cp1253", "iso-8859-7"),
    "tr": ("cp1254", "iso-8859-9"),
}
#: Unicode forms: name -> (codec, byte-order mark).
UNICODE_FORMS: dict[str, tuple[str, bytes]] = {
    "utf-8": ("utf-8", b""),
    "utf-8-sig": ("utf-8", codecs.BOM_UTF8),
    "utf-16-le": ("utf-16-le", b""),
    "utf-16-be": ("utf-16-be", b""),
    "utf-16-le-bom": ("utf-16-le", codecs.BOM_UTF16_LE),
    "utf-16-be-bom": ("utf-16-be", codecs.BOM_UTF16_BE),
}
#: Languages whose every file must decode right.
MUST = ("ro", "lt", "ru", "uk", "be")

#: How legacy editors wrote characters a code page lacks.
_FALLBACKS = {
    "ș": "ş", "Ș": "Ş", "ț": "ţ", "Ț": "Ţ",
    "„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‚": "'", "‘": "'", "’": "'",
    "–": "-", "—": "-", "…": "...", "\u00a0": " ", "œ": "oe", "Œ": "OE", "€": "EUR",
}


@dataclass(frozen=True, slots=True)
class Sample:
    lang: str
    form: str  # code page or Unicode form
    variant: str  # short / long / few
    half: str  # "A" (tuning) or "B" (held out)
    data: bytes
    text: str  # the original, NFC

    @property
    def legacy(self) -> bool:
        return self.form not in UNICODE_FORMS

    @property
    def name(self) -> str:
        return f"{self.half}/{self.lang}/{self.form}/{self.variant}"


def _seed_paragraphs(prefix: str) -> list[str]:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith("date "):
            line = line.split(" ", 2)[2] if line.count(" ") >= 2 else ""
        if len(line) >= 100 and line not in out:
            out.append(line)
    return out


def paragraphs(lang: str) -> list[str]:
    """All paragraphs of a language, in a fixed order."""
    if lang in SEED_FILES:
        paras = [p for prefix in SEED_FILES[lang] for p in _seed_paragraphs(prefix)]
        return paras + EXTRA[lang]
    return list(TEXTS[lang])


def half_paragraphs(lang: str, half: str) -> list[str]:
    paras = paragraphs(lang)
    return paras[0::2] if half == "A" else paras[1::2]


def legacy_text(text: str, codec: str) -> str | None:
    """``text`` as a legacy editor would have saved it in ``codec``, or None when it cannot be."""
    try:
        text.encode(codec)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode(codec)
            out.append(ch)
        except UnicodeEncodeError:
            out.append(_FALLBACKS.get(ch, ch))
    fixed = "".join(out)
    try:
        fixed.encode(codec)
    except UnicodeEncodeError:
        return None
    return fixed


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")].rstrip(",;:") if " " in cut else cut


def _variants(paras: list[str], rnd: random.Random) -> Iterator[tuple[str, str]]:
    """(variant, text) pairs from the paragraphs of one half (already fitted to the code page)."""
    picks = rnd.sample(paras, min(2, len(paras)))
    for p in picks:
        yield "short", _cut(p, 300)
    order = paras[:]
    rnd.shuffle(order)
    long: list[str] = []
    while sum(len(p) + 2 for p in long) < 3000:
        long.append(order[len(long) % len(order)])
    yield "long", "\n\n".join(long)
    quote = _cut(rnd.choice(paras), 50)
    yield "few", rnd.choice(ENGLISH_FRAMES).format(q=quote)


def generate(halves: tuple[str, ...] = ("A", "B")) -> list[Sample]:
    """The whole benchmark set, deterministic."""
    samples: list[Sample] = []
    for half in halves:
        for lang in CODEPAGES:
            base = half_paragraphs(lang, half)
            forms = [*CODEPAGES[lang], *UNICODE_FORMS]
            for form in forms:
                rnd = random.Random(f"{half}:{lang}:{form}")
                if form in UNICODE_FORMS:
                    codec, bom = UNICODE_FORMS[form]
                    paras = base
                else:
                    codec, bom = form, b""
                    paras = [t for t in (legacy_text(p, form) for p in base) if t is not None]
                if not paras:
                    continue
                for variant, text in _variants(paras, rnd):
                    if form in UNICODE_FORMS and variant == "few":
                        continue
                    text = unicodedata.normalize("NFC", text)
                    samples.append(Sample(lang, form, variant, half, bom + text.encode(codec), text))
    return samples


# --- decoders to compare --------------------------------------------------------------------------
Decoder = Callable[[bytes], object]  # returns the text, or a DecodedText (text + close-call flag)


def new_decoder() -> Decoder:
    from reader.core.importers.encoding import decode_bytes

    return decode_bytes


def previous_decoder(rev: str = "HEAD") -> Decoder:
    """``decode_bytes`` as it is in git revision ``rev`` (before this change)."""
    source = subprocess.run(
        ["git", "show", f"{rev}:reader/core/importers/encoding.py"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    module = types.ModuleType("previous_encoding")
    module.__dict__["__name__"] = "previous_encoding"
    sys.modules["previous_encoding"] = module
    exec(compile(source, "previous_encoding.py", "exec"), module.__dict__)  # noqa: S102
    return lambda data: module.decode_bytes(data).text


def charset_normalizer_decoder() -> Decoder:
    from charset_normalizer import from_bytes

    def decode(data: bytes) -> str:
        best = from_bytes(data).best()
        if best is None:
            raise ValueError("no match")
        return unicodedata.normalize("NFC", str(best).lstrip("\ufeff"))

    return decode


def evaluate(decoder: Decoder, samples: list[Sample]) -> dict[str, list[tuple[Sample, str]]]:
    """Outcome per sample: "right", "wrong" or "skipped"; and "flagged-right" / "flagged-wrong"
    for results the decoder marked as a close call."""
    out: dict[str, list[tuple[Sample, str]]] = defaultdict(list)
    for s in samples:
        try:
            got = decoder(s.data)
        except Exception as exc:  # noqa: BLE001 - a skip is an outcome
            out["skipped"].append((s, f"{type(exc).__name__}: {exc}"))
            continue
        text = got if isinstance(got, str) else got.text  # type: ignore[attr-defined]
        outcome = "right" if text == s.text else "wrong"
        out[outcome].append((s, text[:80]))
        if getattr(got, "ambiguous", False):
            out[f"flagged-{outcome}"].append((s, ", ".join(got.alternatives)))  # type: ignore[attr-defined]
    return out


def _table(results: dict[str, list[tuple[Sample, str]]], key: Callable[[Sample], str]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome, rows in results.items():
        if outcome.startswith("flagged"):
            continue
        for s, _ in rows:
            counts[key(s)][1] += 1
            if outcome == "right":
                counts[key(s)][0] += 1
    return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


def report(name: str, decoder: Decoder, samples: list[Sample], *, failures: bool = False) -> dict[str, float]:
    rates = {}
    for half in ("A", "B"):
        part = [s for s in samples if s.half == half]
        if not part:
            continue
        t0 = time.perf_counter()
        res = evaluate(decoder, part)
        dt = time.perf_counter() - t0
        right = len(res["right"])
        legacy = [s for s in part if s.legacy]
        legacy_right = sum(1 for s, _ in res["right"] if s.legacy)
        rates[half] = right / len(part)
        print(f"\n== {name}, half {half}{' (held out)' if half == 'B' else ''}: "
              f"{right}/{len(part)} = {100 * right / len(part):.1f} % right "
              f"(legacy code pages {legacy_right}/{len(legacy)} = {100 * legacy_right / len(legacy):.1f} %; "
              f"wrong {len(res['wrong'])}, skipped {len(res['skipped'])}; {dt:.1f} s)")
        by_lang = _table(res, lambda s: s.lang)
        print("  per language: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in by_lang.items()))
        by_form = _table(res, lambda s: s.form)
        print("  per code page: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in by_form.items()))
        by_variant = _table(res, lambda s: s.variant)
        print("  per variant: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in by_variant.items()))
        if "flagged-right" in res or "flagged-wrong" in res:
            print(f"  close calls flagged: {len(res['flagged-wrong'])} of {len(res['wrong'])} wrong, "
                  f"{len(res['flagged-right'])} of {right} right "
                  f"(long texts: {sum(s.variant == 'long' for s, _ in res['flagged-right'])})")
        must_bad = [s.name for outcome in ("wrong", "skipped") for s, _ in res[outcome] if s.lang in MUST]
        print(f"  ro/lt/ru/uk/be wrong or skipped: {len(must_bad)}")
        if failures:
            for outcome in ("wrong", "skipped"):
                for s, got in res[outcome]:
                    print(f"    {outcome}: {s.name}: {got!r}")
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true", help="also the previous decoder and charset-normalizer alone")
    parser.add_argument("--failures", action="store_true", help="list samples decoded wrong or skipped")
    parser.add_argument("--half", choices=("A", "B"), help="only one half")
    parser.add_argument("--rev", default="HEAD", help="git revision of the previous decoder (default HEAD)")
    args = parser.parse_args(argv)
    samples = generate((args.half,) if args.half else ("A", "B"))
    print(f"{len(samples)} samples ({sum(s.legacy for s in samples)} in legacy code pages), "
          f"{len(CODEPAGES)} languages")
    if args.compare:
        report(f"previous decoder ({args.rev})", previous_decoder(args.rev), samples, failures=args.failures)
        report("charset-normalizer alone", charset_normalizer_decoder(), samples, failures=args.failures)
    report("decode_bytes (this tree)", new_decoder(), samples, failures=args.failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
