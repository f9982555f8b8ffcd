"""The offline engine: Firefox Translations (Bergamot) models run on the CPU by ``fxtranslate``.

An ``fxtranslate.Translator`` is bound to the thread that built it, so each worker thread gets its own
(kept in a thread-local, loaded from the installed pack on first use: ~0.1 s). When no pack exists for
a pair, the text is pivoted through English (``ro -> en -> lt``) if both halves are installed.
fxtranslate's own ``load()`` (which downloads) is never called.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.core.errors import PackError, TranslationError
from reader.core.translation.packs import Pack, list_packs
from reader.core.translation.providers import Provider, base_lang

PIVOT = "en"


def load_translator(pack: Pack) -> Any:
    """A new ``fxtranslate.Translator`` for ``pack`` (use it only on the calling thread)."""
    try:
        import fxtranslate
    except ImportError as exc:
        raise PackError("the offline engine (fxtranslate) is not installed") from exc
    try:
        vocab = pack.files.get("vocab")
        return fxtranslate.Translator(
            model=pack.file("model").read_bytes(),
            src_vocab=pack.path.joinpath(vocab or pack.files["src_vocab"]).read_bytes(),
            trg_vocab=pack.path.joinpath(vocab or pack.files["trg_vocab"]).read_bytes(),
            shortlist=pack.file("lex").read_bytes() if "lex" in pack.files else None,
        )
    except (OSError, KeyError, ValueError, RuntimeError) as exc:
        raise PackError(f"offline pack {pack.pair} cannot be loaded ({exc}); reinstall it") from exc


class OfflineProvider(Provider):
    """Translation with installed language packs; no network. Direct pair, else pivot via English."""

    name = "offline"
    label = "Offline (Firefox Translations)"
    max_chars = 100_000  # no request limit: one paragraph at a time

    def __init__(self, root: Path | None = None, packs: Sequence[Pack] | None = None) -> None:
        self.root = root
        self._packs = list(packs) if packs is not None else None
        self._local = threading.local()
        self._scan: tuple[int, list[Pack]] | None = None

    def packs(self) -> list[Pack]:
        """Installed packs; re-read only when the packs folder changed (install/remove rename in it)."""
        if self._packs is not None:
            return list(self._packs)
        from reader.core.translation.packs import default_root

        root = self.root or default_root()
        try:
            stamp = root.stat().st_mtime_ns
        except OSError:
            return []
        if self._scan is None or self._scan[0] != stamp:
            self._scan = (stamp, list_packs(root))
        return list(self._scan[1])

    def route(self, source: str, target: str) -> list[Pack] | None:
        """The packs to chain for ``source -> target``: one (direct), two (pivot via English), or None."""
        source, target = base_lang(source), base_lang(target)
        by_pair = {(p.source, p.target): p for p in self.packs()}
        if (source, target) in by_pair:
            return [by_pair[(source, target)]]
        if PIVOT not in (source, target) and (source, PIVOT) in by_pair and (PIVOT, target) in by_pair:
            return [by_pair[(source, PIVOT)], by_pair[(PIVOT, target)]]
        return None

    def supports(self, source: str, target: str) -> bool:
        return self.route(source, target) is not None

    def engine_for(self, source: str, target: str) -> str:
        chain = self.route(source, target)
        if not chain:
            return self.name
        return "offline:" + "+".join(p.engine for p in chain)

    def _translator(self, pack: Pack) -> Any:
        cache: dict[str, Any] | None = getattr(self._local, "translators", None)
        if cache is None:
            cache = self._local.translators = {}
        key = f"{pack.path}|{pack.model_id}"
        if key not in cache:
            cache[key] = load_translator(pack)
        return cache[key]

    def translate(self, text: str, source: str, target: str) -> str:
        chain = self.route(source, target)
        if not chain:
            raise PackError(
                f"no offline pack for {base_lang(source)} -> {base_lang(target)}"
                f" (nor via {PIVOT}); install one with `reader-cli packs install PATH`")
        if not text.strip():
            return ""
        result = text.strip()
        try:
            for pack in chain:
                result = self._translator(pack).translate_long(result)
        except PackError:
            raise
        except Exception as exc:  # the engine is native code: anything it raises is a failed translation
            raise TranslationError(f"offline translation failed ({type(exc).__name__})") from exc
        if not result.strip():
            raise TranslationError("offline translation returned nothing")
        return result.strip()
