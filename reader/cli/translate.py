"""reader-cli sub-commands for translation: ``translate``, ``packs ...`` and ``keys ...``.

Also :func:`render_translated`, which ``show ID --translated`` (in :mod:`reader.cli.library`) calls.
Settings come from the user's settings file with the scripting overrides applied (READER_TRANSLATOR,
READER_TARGET_LANG, READER_LIBRE_URL, READER_LIBRE_KEY, READER_DEEPL_KEY). No Qt here.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from reader.core.errors import TranslationError, ValidationError
from reader.core.text import plural

PROVIDER_CHOICES = ("google", "mymemory", "libre", "deepl", "offline", "auto")


def _service(ctx: Any):  # -> TranslationService
    from reader.core.settings import load_settings
    from reader.core.translation import TranslationService, settings_with_env

    return TranslationService(ctx.library(), settings_with_env(load_settings()))


def _render(report: Any) -> str:
    """Title, a blank line, then the paragraphs; a failed one is marked with its reason."""
    lines = [f"# {report.title if report.title is not None else report.original_title}"]
    for index, text in enumerate(report.paragraphs):
        if text is None:
            reason = report.errors.get(index, "not translated")
            lines.append(f"[not translated: {reason}]\n{report.originals[index]}")
        else:
            lines.append(text)
    return "\n\n".join(lines)


def _first_error(report: Any) -> str:
    return next(iter(report.errors.values()), "not translated")


def render_translated(ctx: Any, article_id: int, to_lang: str | None = None) -> str:
    """``show ID --translated``: the translation (translating what is not cached yet).

    Raises :class:`TranslationError` when not one paragraph could be had (provider down and nothing
    cached); a partial translation is returned with the failed paragraphs marked, and a warning.
    """
    report = _service(ctx).translate_article(int(article_id), to_lang)
    got = report.from_cache + report.translated + report.skipped
    if report.failed and got == 0:
        raise TranslationError(f"could not translate #{article_id}: {_first_error(report)}")
    if report.failed:
        print(f"reader-cli: warning: {report.failed} of {plural(report.total, 'paragraph')} not translated: "
              f"{_first_error(report)}", file=ctx.err)
    return _render(report)


def cmd_translate(args: argparse.Namespace, ctx: Any) -> int:
    service = _service(ctx)
    retranslate: bool | list[int] = False
    if args.retranslate is not None:
        retranslate = True if args.retranslate == -2 else [args.retranslate]
    report = service.translate_article(args.id, args.to, provider=args.provider, retranslate=retranslate)
    if args.json:
        ctx.out.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif report.from_cache + report.translated + report.skipped > 0:
        ctx.out.write(_render(report) + "\n")
    print(f"reader-cli: {report.summary()}", file=ctx.err)
    if report.failed:
        print(f"reader-cli: could not translate #{args.id}"
              f"{' completely' if report.from_cache + report.translated else ''}: {_first_error(report)}",
              file=ctx.err)
        return 1
    return 0


# --- packs -------------------------------------------------------------------------------------
def _pack_line(pack: Any) -> str:
    check = "verified" if pack.verified else "unverified"
    return (f"{pack.pair}  {pack.source} -> {pack.target}  {pack.size / 2**20:.1f} MB  {check}  "
            f"model {pack.model_id}  {pack.path}")


def cmd_packs_install(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.translation.packs import install_pack

    pack = install_pack(Path(args.path))
    ctx.out.write(f"installed {_pack_line(pack)}\n")
    return 0


def cmd_packs_list(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.translation.packs import list_packs

    packs = list_packs()
    if args.json:
        data = [{"pair": p.pair, "source": p.source, "target": p.target, "path": str(p.path),
                 "size": p.size, "verified": p.verified, "model_id": p.model_id,
                 "installed_at": p.installed_at} for p in packs]
        ctx.out.write(json.dumps(data, indent=2) + "\n")
    elif not packs:
        ctx.err.write("no offline packs installed (reader-cli packs install PATH)\n")
    for p in packs if not args.json else ():
        ctx.out.write(_pack_line(p) + "\n")
    return 0


def cmd_packs_remove(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.translation.packs import remove_pack

    pack = remove_pack(args.pair)
    ctx.out.write(f"removed {pack.pair} ({pack.source} -> {pack.target})\n")
    return 0


def cmd_packs_download(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.translation.packs import DEFAULT_PACKS_URL, download_pack

    state = {"name": "", "shown": -1}

    def progress(done: int, total: int | None, name: str) -> None:
        if not ctx.err.isatty():
            if name != state["name"]:
                state["name"] = name
                ctx.err.write(f"downloading {name}\n")
            return
        percent = int(done * 100 / total) if total else -1
        if percent != state["shown"] or name != state["name"]:
            state.update(name=name, shown=percent)
            shown = f"{percent:3d}%" if percent >= 0 else f"{done / 2**20:.1f} MB"
            ctx.err.write(f"\r{name}: {shown}")
            ctx.err.flush()

    pack = download_pack(args.pair, args.url or DEFAULT_PACKS_URL, progress)
    if ctx.err.isatty():
        ctx.err.write("\n")
    ctx.out.write(f"installed {_pack_line(pack)}\n")
    return 0


# --- keys --------------------------------------------------------------------------------------
def cmd_keys_set(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.secrets import set_key

    if sys.stdin.isatty():
        key = getpass.getpass(f"API key for {args.provider} (not shown): ")
    else:
        key = sys.stdin.readline()
    if not key.strip():
        raise ValidationError("no key given (type it at the prompt, or pipe it on standard input)")
    where = set_key(args.provider, key)
    ctx.out.write(f"saved the {args.provider} key in {where}\n")
    return 0


def cmd_keys_clear(args: argparse.Namespace, ctx: Any) -> int:
    from reader.core.secrets import clear_key

    removed = clear_key(args.provider)
    ctx.out.write(f"{'removed' if removed else 'no stored key for'} {args.provider}"
                  f"{' key' if removed else ''}\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``translate``, ``packs`` and ``keys``."""
    p = sub.add_parser(
        "translate", help="translate an article (paragraph by paragraph, through the cache)",
        description="Print an article's translation, then how many paragraphs came from the cache, were "
        "translated, or failed (exit status 1 if any failed). Env: READER_TRANSLATOR, READER_TARGET_LANG, "
        "READER_LIBRE_URL, READER_LIBRE_KEY, READER_DEEPL_KEY.")
    p.add_argument("id", type=int, help="article id")
    p.add_argument("--to", metavar="LANG", default=None, help="target language (default: settings, else en)")
    p.add_argument("--provider", choices=PROVIDER_CHOICES, default=None,
                   help="auto = the offline pack when one is installed for the pair, else the online provider")
    p.add_argument("--retranslate", metavar="N", nargs="?", type=int, const=-2, default=None,
                   help="ignore the cache: for paragraph N (0-based, -1 = title) or, without N, all of them")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_translate)

    packs = sub.add_parser("packs", help="offline translation packs (install, list, remove, download)")
    psub = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    q = psub.add_parser("install", help="install a pack from a folder or a .zip/.tar.gz/.tgz archive")
    q.add_argument("path")
    q.set_defaults(func=cmd_packs_install)
    q = psub.add_parser("list", help="list installed packs")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_packs_list)
    q = psub.add_parser("remove", help="remove an installed pack, e.g. roen")
    q.add_argument("pair")
    q.set_defaults(func=cmd_packs_remove)
    q = psub.add_parser("download", help="download an official pack (verified by sha256), e.g. roen")
    q.add_argument("pair")
    q.add_argument("--url", metavar="BASE", default=None, help="where <pair>/<file>.gz are served from")
    q.set_defaults(func=cmd_packs_download)

    keys = sub.add_parser("keys", help="API keys for DeepL / LibreTranslate (kept in the system keyring)")
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    q = ksub.add_parser("set", help="store a key (read from a prompt or standard input, never the command line)")
    q.add_argument("provider", choices=("deepl", "libre"))
    q.set_defaults(func=cmd_keys_set)
    q = ksub.add_parser("clear", help="forget a stored key")
    q.add_argument("provider", choices=("deepl", "libre"))
    q.set_defaults(func=cmd_keys_clear)
