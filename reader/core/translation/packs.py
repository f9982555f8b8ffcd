"""Offline language packs (Firefox Translations / Bergamot models): check, install, list, remove, download.

A pack is a folder or an archive (``.zip``, ``.tar.gz``, ``.tgz``, ``.tar``) holding, gzipped or not:

* ``model.<pair>.intgemm.alphas.bin`` — the model (Marian binary format),
* ``vocab.<pair>.spm`` — a shared SentencePiece vocabulary (or ``srcvocab.<pair>.spm`` and
  ``trgvocab.<pair>.spm`` for split vocabularies),
* ``lex.<...>.<pair>.s2t.bin`` — the lexical shortlist,

where ``<pair>`` is source and target codes run together (``roen``). Before install every file is
checked (name, magic bytes, size); gzipped files whose official sha256 we know are verified against
it; and the model is loaded once to prove it works. A pack is installed decompressed into
``packs_dir()/<pair>/`` with a ``manifest.json``, by renaming a finished staging folder into place.
Archive extraction refuses absolute paths, ``..``, links, devices, FIFOs, names nested deeper than
:data:`MAX_DEPTH` folders and decompression bombs; a source that is neither a regular file nor a
folder (a FIFO would block the reader) is refused before it is opened. Staging folders left by a
killed install are swept by the next one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from reader.core.errors import PackError
from reader.core.text import plural

#: Files larger than this (decompressed) are refused: the largest official "base" models are ~60 MB.
MAX_FILE_BYTES = 400 * 1024 * 1024
#: The whole archive, decompressed.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 64
#: Folders a pack file may sit under (in an archive or a pack folder), and the longest member name.
MAX_DEPTH = 8
MAX_NAME_CHARS = 1024
#: Staging and download folders older than this are leftovers of a killed install: swept on the next.
STALE_SECONDS = 3600
_CHUNK = 1024 * 1024

MODEL_MAGIC = (1).to_bytes(8, "little")  # Marian binary model: format version 1
SHORTLIST_MAGIC = (0xF11A48D5013417F5).to_bytes(8, "little")
GZIP_MAGIC = b"\x1f\x8b"

_PAIR = r"(?P<pair>[a-z]{4,6})"
PATTERNS: dict[str, re.Pattern[str]] = {
    "model": re.compile(rf"^model\.{_PAIR}\.intgemm8?\.alphas\.bin(?P<gz>\.gz)?$"),
    "vocab": re.compile(rf"^vocab\.{_PAIR}\.spm(?P<gz>\.gz)?$"),
    "src_vocab": re.compile(rf"^srcvocab\.{_PAIR}\.spm(?P<gz>\.gz)?$"),
    "trg_vocab": re.compile(rf"^trgvocab\.{_PAIR}\.spm(?P<gz>\.gz)?$"),
    "lex": re.compile(rf"^lex\.(?:[\d.]+\.)?{_PAIR}\.s2t\.bin(?P<gz>\.gz)?$"),
}
MIN_SIZE = {"model": 1024 * 1024, "vocab": 1024, "src_vocab": 1024, "trg_vocab": 1024, "lex": 64}

#: Public sha256 and size of official gzipped "tiny" files (docs/notes/offline-translation.md).
KNOWN_FILES: dict[str, tuple[str, int]] = {
    "model.roen.intgemm.alphas.bin.gz":
        ("217b5a3bf0aed1a2c9c47259159a4ec09fa673bf10049d23fe15902147e66785", 12_722_200),
    "vocab.roen.spm.gz": ("0f7ce73533f0c8549d8498c67e2db7502654a462ed81de687ba666dc4cf64706", 396_717),
    "lex.50.50.roen.s2t.bin.gz":
        ("3b3fdee9bb65fe9053c4a1a5ae2bdfe6a4c251a329bd49b45ea9af8864baf7ea", 2_159_556),
    "model.lten.intgemm.alphas.bin.gz":
        ("88fa4bb09798d0f52d67f4f45a8540fdd4727bc1481cedc153dec4dc70ab892b", 12_571_257),
    "vocab.lten.spm.gz": ("3be489b994ec61caa9ab9a0bd5cd6d5253daacf45f0cf7dcbc2bb56a8c25391c", 403_960),
    "lex.50.50.lten.s2t.bin.gz":
        ("1851b00216bd8f6bac64223757fd547bb79e0b99b3a032078dab12f5f27a195e", 2_308_876),
}

Progress = Callable[[int, int | None, str], Any]

#: Where ``packs download`` fetches from by default: ``<base>/<pair>/<file>.gz`` — the Git LFS media
#: URLs of mozilla/firefox-translations-models' "tiny" models (not reachable from the build machines,
#: so this default is untested here; ``--url`` points elsewhere, e.g. a local mirror).
DEFAULT_PACKS_URL = (
    "https://media.githubusercontent.com/media/mozilla/firefox-translations-models/main/models/tiny"
)


def split_pair(pair: str) -> tuple[str, str]:
    """``roen`` or ``ro-en`` -> (``ro``, ``en``)."""
    pair = pair.strip().lower()
    if "-" in pair:
        src, _, trg = pair.partition("-")
    elif len(pair) == 4:
        src, trg = pair[:2], pair[2:]
    else:
        raise PackError(f"cannot tell the languages of pack {pair!r}; name it like 'roen' or 'ro-en'")
    if not (src.isalpha() and trg.isalpha()) or src == trg:
        raise PackError(f"not a language pair: {pair!r}")
    return src, trg


def pair_name(source: str, target: str) -> str:
    """The folder name of a pack: ``roen`` for two-letter codes, else ``src-trg``."""
    return f"{source}{target}" if len(source) == 2 and len(target) == 2 else f"{source}-{target}"


@dataclass(frozen=True)
class Pack:
    """An installed pack: where it is, its languages and files (plain, decompressed)."""

    pair: str
    source: str
    target: str
    path: Path
    files: dict[str, str]  # kind -> file name inside path
    verified: bool
    model_id: str  # short sha256 of the model file: part of the cache's engine key
    size: int = 0
    installed_at: str = ""
    origin: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def file(self, kind: str) -> Path:
        return self.path / self.files[kind]

    @property
    def engine(self) -> str:
        return f"{self.pair}-{self.model_id}"


# --- reading packs -----------------------------------------------------------------------------
def default_root() -> Path:
    from reader.paths import packs_dir

    return packs_dir()


def _load_manifest(folder: Path) -> Pack | None:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = {str(k): str(v) for k, v in data["files"].items()}
        if not all((folder / name).is_file() for name in files.values()):
            return None
        return Pack(
            pair=str(data["pair"]), source=str(data["source"]), target=str(data["target"]), path=folder,
            files=files, verified=bool(data.get("verified")), model_id=str(data["model_id"]),
            size=int(data.get("size", 0)), installed_at=str(data.get("installed_at", "")),
            origin=str(data.get("origin", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def list_packs(root: Path | None = None) -> list[Pack]:
    """Installed, usable packs, by pair name (staging and damaged folders are ignored)."""
    root = root or default_root()
    if not root.is_dir():
        return []
    packs = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.name.startswith("."):
            pack = _load_manifest(folder)
            if pack is not None:
                packs.append(pack)
    return packs


def find_pack(source: str, target: str, root: Path | None = None) -> Pack | None:
    """The installed pack for exactly ``source`` -> ``target``, if any."""
    for pack in list_packs(root):
        if pack.source == source and pack.target == target:
            return pack
    return None


def remove_pack(pair: str, root: Path | None = None) -> Pack:
    """Uninstall a pack (by ``roen`` / ``ro-en``); raises :class:`PackError` if it is not installed."""
    root = root or default_root()
    source, target = split_pair(pair)
    pack = find_pack(source, target, root)
    if pack is None:
        raise PackError(f"no offline pack {pair} is installed (see `reader-cli packs list`)")
    trash = root / f".removing-{pack.pair}-{os.getpid()}"
    try:
        os.replace(pack.path, trash)
        shutil.rmtree(trash, ignore_errors=True)
    except OSError as exc:
        raise PackError(f"could not remove pack {pack.pair}: {exc.strerror or exc}") from exc
    return pack


# --- checking files ----------------------------------------------------------------------------
def classify(name: str) -> tuple[str, str, bool] | None:
    """(kind, pair, gzipped) for a pack file name, or None when the name is not a pack file."""
    for kind, pattern in PATTERNS.items():
        m = pattern.match(name)
        if m:
            return kind, m.group("pair"), bool(m.group("gz"))
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_magic(kind: str, path: Path, shown: str) -> None:
    size = path.stat().st_size
    if size < MIN_SIZE[kind]:
        raise PackError(f"{shown} is too small to be a {kind.replace('_', ' ')} file ({plural(size, 'byte')})")
    with path.open("rb") as fh:
        head = fh.read(8)
    if kind == "model" and head != MODEL_MAGIC:
        raise PackError(f"{shown} is not a Bergamot model (wrong header)")
    if kind == "lex" and head != SHORTLIST_MAGIC:
        raise PackError(f"{shown} is not a lexical shortlist (wrong header)")
    if kind in ("vocab", "src_vocab", "trg_vocab") and head[:1] != b"\x0a":
        raise PackError(f"{shown} is not a SentencePiece vocabulary (wrong header)")


def _gunzip(src: Path, dest: Path, shown: str) -> None:
    written = 0
    try:
        with gzip.open(src, "rb") as fin, dest.open("wb") as fout:
            for chunk in iter(lambda: fin.read(_CHUNK), b""):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise PackError(f"{shown} decompresses to more than {MAX_FILE_BYTES // 2**20} MB: refused "
                                    "(decompression bomb?)")
                fout.write(chunk)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise PackError(f"{shown} is not a valid gzip file ({exc})") from exc


def _try_load(files: dict[str, Path]) -> None:
    """Build a translator once from the files: the definitive format check."""
    try:
        import fxtranslate
    except ImportError as exc:
        raise PackError("the offline engine (fxtranslate) is not installed") from exc
    vocab = files.get("vocab")
    try:
        fxtranslate.Translator(
            model=files["model"].read_bytes(),
            src_vocab=(vocab or files["src_vocab"]).read_bytes(),
            trg_vocab=(vocab or files["trg_vocab"]).read_bytes(),
            shortlist=files["lex"].read_bytes(),
        )
    except (ValueError, RuntimeError, OSError) as exc:
        raise PackError(f"the model files do not load together: {exc}") from exc


# --- safe extraction ---------------------------------------------------------------------------
def _shown(name: str, limit: int = 80) -> str:
    """A member name for a one-line message: quoted, escaped, and cut when long."""
    text = repr(name[:limit])
    return text + "…" if len(name) > limit else text


def _safe_member_name(name: str) -> str:
    """Reject absolute paths, ``..`` and deep nesting; returns the normalised relative POSIX name."""
    if not name or "\x00" in name:
        raise PackError("archive rejected: a member has an empty or invalid name")
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise PackError(f"archive rejected: member {_shown(name)} has an absolute path")
    if ".." in posix.parts:
        raise PackError(f"archive rejected: member {_shown(name)} points outside the archive ('..')")
    if len(posix.parts) > MAX_DEPTH + 1:
        raise PackError(f"archive rejected: member {_shown(name)} is nested {len(posix.parts) - 1} folders "
                        f"deep (at most {MAX_DEPTH})")
    if len(name) > MAX_NAME_CHARS:
        raise PackError(f"archive rejected: member {_shown(name)} has a name of {len(name)} characters")
    return str(posix)


def _copy_capped(fin: Any, dest: Path, limit: int, total: list[int], shown: str) -> None:
    with dest.open("wb") as fout:
        for chunk in iter(lambda: fin.read(_CHUNK), b""):
            total[0] += len(chunk)
            if total[0] > limit:
                raise PackError(f"archive rejected: {shown} expands to more than {limit // 2**20} MB "
                                "(decompression bomb?)")
            fout.write(chunk)


def safe_extract(archive: Path, dest: Path) -> None:
    """Extract a .zip/.tar(.gz) into ``dest``, refusing anything hostile (with the reason)."""
    name = archive.name.lower()
    total = [0]
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise PackError(f"archive rejected: {len(members)} files (a pack has a handful)")
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise PackError("archive rejected: it expands to more than 1 GB (decompression bomb?)")
            for m in members:
                rel = _safe_member_name(m.filename)
                mode = m.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise PackError(f"archive rejected: member {_shown(m.filename)} is a symbolic link")
                if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise PackError(f"archive rejected: member {_shown(m.filename)} is a special file")
                target = dest / rel
                if m.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as fin:
                    _copy_capped(fin, target, MAX_ARCHIVE_BYTES, total, archive.name)
        return
    if name.endswith((".tar.gz", ".tgz", ".tar", ".tar.xz", ".tar.bz2")) or tarfile.is_tarfile(archive):
        try:
            with tarfile.open(archive, "r:*") as tf:
                count = 0
                for t in tf:
                    count += 1
                    if count > MAX_MEMBERS:
                        raise PackError("archive rejected: too many files (a pack has a handful)")
                    rel = _safe_member_name(t.name)
                    if t.issym() or t.islnk():
                        raise PackError(f"archive rejected: member {_shown(t.name)} is a link")
                    if t.isdir():
                        (dest / rel).mkdir(parents=True, exist_ok=True)
                        continue
                    if not t.isfile():
                        kind = "a FIFO" if t.isfifo() else "a device or special file"
                        raise PackError(f"archive rejected: member {_shown(t.name)} is {kind} (special file)")
                    if t.size > MAX_FILE_BYTES:
                        raise PackError(f"archive rejected: member {_shown(t.name)} is too large")
                    target = dest / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    member = tf.extractfile(t)
                    if member is None:
                        raise PackError(f"archive rejected: member {_shown(t.name)} cannot be read")
                    with member:
                        _copy_capped(member, target, MAX_ARCHIVE_BYTES, total, archive.name)
        except (tarfile.TarError, EOFError, OSError) as exc:
            if isinstance(exc, PackError):
                raise
            raise PackError(f"{archive.name} is not a readable archive ({exc})") from exc
        return
    raise PackError(f"{archive.name}: not a pack folder or a .zip/.tar.gz/.tgz archive")


# --- installing --------------------------------------------------------------------------------
def _walk_files(folder: Path) -> list[Path]:
    """The regular files under ``folder`` (not following links; FIFOs and devices left out), sorted;
    iterative, and refusing a tree deeper than :data:`MAX_DEPTH` or with too many entries."""
    out: list[Path] = []
    pending: list[tuple[Path, int]] = [(folder, 0)]
    seen = 0
    while pending:
        current, depth = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            raise PackError(f"cannot read the pack folder {current.name}: {exc.strerror or exc}") from exc
        for entry in entries:
            seen += 1
            if seen > MAX_MEMBERS * 16:
                raise PackError(f"{folder.name}: too many files for a language pack")
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 > MAX_DEPTH:
                    raise PackError(f"{folder.name}: folders nested more than {MAX_DEPTH} deep: not a language pack")
                pending.append((Path(entry.path), depth + 1))
            elif entry.is_file(follow_symlinks=False):
                out.append(Path(entry.path))
    return sorted(out)


def sweep_stale(root: Path, *, max_age: float = STALE_SECONDS) -> None:
    """Remove ``.staging-*`` / ``.download-*`` / ``.removing-*`` folders older than ``max_age``:
    leftovers of an install that was killed (never a running one's: those are younger)."""
    import time

    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not entry.name.startswith((".staging-", ".download-", ".removing-")):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > max_age:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue


def _collect(folder: Path) -> dict[str, tuple[Path, str, bool]]:
    """kind -> (path, pair, gzipped) for the pack files under ``folder`` (searched recursively)."""
    found: dict[str, tuple[Path, str, bool]] = {}
    for path in _walk_files(folder):
        info = classify(path.name)
        if info is None:
            continue
        kind, pair, gz = info
        if kind in found:
            raise PackError(f"more than one {kind.replace('_', ' ')} file ({found[kind][0].name}, "
                            f"{path.name}); put one pack per folder or archive")
        found[kind] = (path, pair, gz)
    return found


def install_pack(source: Path | str, root: Path | None = None, *, origin: str | None = None,
                 verified: bool = False) -> Pack:
    """Check and install a pack from a folder or an archive; replaces an installed pack of that pair."""
    src = Path(source).expanduser()
    root = root or default_root()
    root.mkdir(parents=True, exist_ok=True)
    sweep_stale(root)
    try:
        if not src.exists():
            raise PackError(f"{src} does not exist")
        if not (src.is_dir() or src.is_file()):
            raise PackError(f"{src.name} is not a regular file or a folder (a FIFO or device?): not a pack")
    except OSError as exc:
        raise PackError(f"cannot read {src.name}: {exc.strerror or exc}") from exc
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".staging-"))
    try:
        if src.is_dir():
            inbox = src
        else:
            inbox = staging / "raw"
            inbox.mkdir()
            safe_extract(src, inbox)
        found = _collect(inbox)
        missing = [k for k in ("model", "lex") if k not in found]
        if "vocab" not in found and not ("src_vocab" in found and "trg_vocab" in found):
            missing.append("vocab")
        if missing:
            raise PackError(f"{src.name}: not a language pack — missing the {', '.join(missing)} file{'s' if len(missing) > 1 else ''} "
                            "(model.*.intgemm.alphas.bin, vocab.*.spm, lex.*.s2t.bin)")
        pairs = {pair for _, pair, _ in found.values()}
        if len(pairs) != 1:
            raise PackError(f"{src.name}: files of different language pairs ({', '.join(sorted(pairs))})")
        pair = pairs.pop()
        lang_src, lang_trg = split_pair(pair)
        out = staging / "pack"
        out.mkdir()
        files: dict[str, Path] = {}
        known_flags: list[bool] = []
        for kind, (path, _, gz) in found.items():
            known = KNOWN_FILES.get(path.name)
            if known is not None:
                digest = sha256_file(path)
                if digest != known[0]:
                    raise PackError(f"{path.name} does not match the official file (sha256 {digest[:12]}… "
                                    f"expected {known[0][:12]}…): damaged or altered, not installed")
            known_flags.append(known is not None)
            plain = out / (path.name[:-3] if gz else path.name)
            if gz:
                with path.open("rb") as fh:
                    if fh.read(2) != GZIP_MAGIC:
                        raise PackError(f"{path.name} is named .gz but is not gzip data")
                _gunzip(path, plain, path.name)
            else:
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise PackError(f"{path.name} is too large for a pack file")
                shutil.copyfile(path, plain)
            _check_magic(kind, plain, path.name)
            files[kind] = plain
        _try_load(files)
        model_sha = sha256_file(files["model"])
        manifest = {
            "pair": pair, "source": lang_src, "target": lang_trg,
            "files": {kind: p.name for kind, p in files.items()},
            "sha256": {p.name: sha256_file(p) if kind != "model" else model_sha for kind, p in files.items()},
            "verified": verified or (bool(known_flags) and all(known_flags)),
            "model_id": model_sha[:12],
            "size": sum(p.stat().st_size for p in files.values()),
            "installed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "origin": origin or src.name,
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        dest = root / pair
        old = None
        if dest.exists():
            old = root / f".old-{pair}-{os.getpid()}"
            os.replace(dest, old)
        try:
            os.replace(out, dest)
        except OSError:
            if old is not None:
                os.replace(old, dest)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        pack = _load_manifest(dest)
        if pack is None:  # pragma: no cover - we just wrote it
            raise PackError(f"pack {pair} was installed but cannot be read back")
        return pack
    except OSError as exc:
        raise PackError(f"could not install the pack: {exc.strerror or exc}") from exc
    except RecursionError:
        raise PackError(f"{src.name}: nested too deeply to be a language pack") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- downloading -------------------------------------------------------------------------------
def official_file_names(pair: str) -> list[str]:
    """The gzipped files of a "tiny" pack as published: model, vocabulary and shortlist."""
    return [f"model.{pair}.intgemm.alphas.bin.gz", f"vocab.{pair}.spm.gz", f"lex.50.50.{pair}.s2t.bin.gz"]


def download_pack(pair: str, base_url: str, progress: Progress | None = None, *,
                  checksums: dict[str, str] | None = None, timeout: float = 30.0,
                  root: Path | None = None, cancel: Callable[[], bool] | None = None) -> Pack:
    """Fetch a pack's official files from ``<base_url>/<pair>/<file>``, verify, install.

    Every file must match a sha256 — from :data:`KNOWN_FILES` or ``checksums`` (file name -> hex) — or
    the download is refused before it starts. ``progress(done_bytes, file_bytes_or_None, file_name)``
    is called as data arrives; ``cancel()`` returning True stops between chunks. Nothing is installed
    unless every file arrived whole and verified.
    """
    import requests

    source, target = split_pair(pair)
    pair = pair_name(source, target)
    names = official_file_names(pair)
    expected: dict[str, str] = {}
    for name in names:
        digest = (checksums or {}).get(name) or (KNOWN_FILES[name][0] if name in KNOWN_FILES else None)
        if not digest:
            raise PackError(f"no known checksum for {name}: refusing an unverified download "
                            "(install files you trust with `reader-cli packs install PATH`)")
        expected[name] = digest.lower()
    root = root or default_root()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=".download-"))
    base = base_url.rstrip("/")
    try:
        with requests.Session() as session:
            for name in names:
                _download_one(session, f"{base}/{pair}/{name}", tmp / name, expected[name],
                              KNOWN_FILES.get(name, (None, None))[1], timeout, progress, cancel)
        return install_pack(tmp, root, origin=f"{base}/{pair}/", verified=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _download_one(session: Any, url: str, dest: Path, sha256: str, known_size: int | None,
                  timeout: float, progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
    import requests

    name = dest.name
    try:
        with session.get(url, stream=True, timeout=(min(timeout, 10.0), timeout)) as resp:
            if resp.status_code != 200:
                raise PackError(f"download of {name} failed (HTTP {resp.status_code})")
            length = resp.headers.get("Content-Length")
            size = int(length) if length and length.isdigit() else None
            if known_size is not None and size is not None and size != known_size:
                raise PackError(f"{name} has the wrong size ({size} bytes, expected {known_size}): not installed")
            digest = hashlib.sha256()
            got = 0
            with dest.open("wb") as fh:
                for chunk in resp.iter_content(_CHUNK):
                    if cancel and cancel():
                        raise PackError("download cancelled")
                    got += len(chunk)
                    if got > MAX_FILE_BYTES:
                        raise PackError(f"{name} is larger than any pack file: download stopped")
                    digest.update(chunk)
                    fh.write(chunk)
                    if progress:
                        progress(got, size, name)
    except requests.exceptions.Timeout as exc:
        raise PackError(f"download of {name} timed out after {timeout:g} s; try again later") from exc
    except requests.exceptions.RequestException as exc:
        raise PackError(f"cannot download {name}: the server cannot be reached ({type(exc).__name__})") from exc
    except OSError as exc:
        raise PackError(f"cannot save {name}: {exc.strerror or exc}") from exc
    if digest.hexdigest() != sha256:
        raise PackError(f"{name} failed verification (sha256 mismatch): not installed")
