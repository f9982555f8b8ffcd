"""Issue 15, export/backup/restore: nothing lost, nothing replaced, nothing unbounded.

Real library files, real ``reader-cli`` runs, real FIFOs and (as root) a real device node.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader.core import export
from reader.core.errors import DiskFullError
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library

CLI = str(Path(sys.executable).with_name("reader-cli"))


def cli(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout)


def make_library(path: Path, titles: list[str]) -> Path:
    with Library(path) as lib:
        for i, title in enumerate(titles):
            lib.add_article(ParsedArticle(title, (f"Paragraph {i} about {title}.", f"Second {i}.")),
                            LanguageGuess("en", 0.99))
    return path


def article_count(path: Path) -> int:
    with Library(path, create=False) as lib:
        return int(lib.conn.execute("SELECT count(*) FROM articles").fetchone()[0])


@pytest.fixture
def lib7(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib.db", [f"Article {i}" for i in range(7)])


# --- item 1: export/backup onto the library -------------------------------------------------------
@pytest.mark.parametrize("target", ["lib.db", "lib.db-wal", "lib.db-shm", "lib.db-journal", "other.db"])
@pytest.mark.parametrize("command", ["json", "md", "backup"])
def test_export_or_backup_onto_a_library_file_is_refused(lib7: Path, target: str, command: str) -> None:
    make_library(lib7.with_name("other.db"), ["Other"])
    # an open WAL: commits not yet checkpointed into lib.db (a second connection keeps it)
    keeper = Library(lib7)
    keeper.set_setting("x", 1)
    try:
        dest = lib7.with_name(target if command != "md" or target.endswith((".db",)) else target)
        before = {p.name: p.read_bytes() for p in lib7.parent.iterdir() if p.is_file()}
        if command == "backup":
            proc = cli(lib7, "backup", str(dest))
        else:
            md_dest = dest if command == "json" else dest  # a non-.md name is a folder for md: refused too
            proc = cli(lib7, "export", "--all", "-f", command, "-o", str(md_dest))
        assert proc.returncode == 1, proc
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "library" in proc.stderr and "internal error" not in proc.stderr
        for name in ("lib.db", "other.db"):
            assert before[name][:16] == (lib7.parent / name).read_bytes()[:16]
    finally:
        keeper.close()
    assert article_count(lib7) == 7
    assert article_count(lib7.with_name("other.db")) == 1


def test_export_to_a_symlink_to_the_library_is_refused(lib7: Path) -> None:
    link = lib7.with_name("innocent.json")
    link.symlink_to(lib7)
    proc = cli(lib7, "export", "--all", "-f", "json", "-o", str(link))
    assert proc.returncode == 1 and "internal error" not in proc.stderr
    assert link.is_symlink() and article_count(lib7) == 7


# --- item 2: Markdown names never collide --------------------------------------------------------
def test_markdown_folder_names_are_unique_case_insensitively(tmp_path: Path) -> None:
    titles = ["Belarus (3)", "belarus", "Belarus", "BELARUS", "Belarus (3)x", "belarus (2)", "Belarus (2)"]
    db = make_library(tmp_path / "lib.db", titles)
    out = tmp_path / "out"
    proc = cli(db, "export", "--all", "-f", "md", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(titles)
    assert len({f.name.casefold() for f in files}) == len(titles)
    ids = sorted(int(f.read_text().split("\nid: ")[1].split("\n")[0]) for f in files)
    assert ids == list(range(1, len(titles) + 1))


# --- item 3: restore --replace of a backup lacking tables -----------------------------------------
@pytest.mark.parametrize("keep", [[], ["settings"], ["articles", "settings"]])
def test_restore_replace_of_a_backup_without_the_tables_is_refused(lib7: Path, tmp_path: Path,
                                                                  keep: list[str]) -> None:
    good = tmp_path / "good.zip"
    assert cli(lib7, "backup", str(good)).returncode == 0
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        manifest["tables"] = {k: v for k, v in manifest["tables"].items() if k in keep}
        for info in zin.infolist():
            if info.filename != "manifest.json":
                zout.writestr(info, zin.read(info))
        zout.writestr("manifest.json", json.dumps(manifest))
    proc = cli(lib7, "restore", "--replace", str(bad))
    assert proc.returncode == 1, proc
    assert "internal error" not in proc.stderr and "nothing was restored" in proc.stderr
    assert article_count(lib7) == 7


# --- item 4: never replace what is not a regular file --------------------------------------------
def _special_targets(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    sock_path = tmp_path / "sock.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    targets = {"fifo": fifo, "dir": folder, "socket": sock_path}
    if os.geteuid() == 0:
        dev = tmp_path / "null.json"
        os.mknod(dev, 0o666 | 0o020000, os.makedev(1, 3))  # a character device like /dev/null
        targets["device"] = dev
    return targets


@pytest.mark.parametrize("command", ["json", "md", "backup"])
def test_special_files_are_never_replaced(lib7: Path, tmp_path: Path, command: str) -> None:
    for kind, target in _special_targets(tmp_path).items():
        mode = os.lstat(target).st_mode
        if command == "backup":
            proc = cli(lib7, "backup", str(target), timeout=10)
        else:
            dest = target if command == "json" else target.with_suffix(".md")
            if command == "md":
                if kind == "dir":
                    continue  # a folder is the normal Markdown destination
                os.rename(target, dest)
            proc = cli(lib7, "export", "--all", "-f", command, "-o", str(dest), timeout=10)
            target = dest
        assert proc.returncode == 1, (kind, proc)
        assert len(proc.stderr.strip().splitlines()) == 1 and "internal error" not in proc.stderr, proc.stderr
        assert os.lstat(target).st_mode == mode, kind
    if os.geteuid() == 0 and command == "json":
        st = os.stat("/dev/null")
        proc = cli(lib7, "export", "1", "-f", "json", "-o", "/dev/null", timeout=10)
        assert proc.returncode == 1 and os.stat("/dev/null").st_rdev == st.st_rdev
        assert Path("/dev/null").is_char_device()


def test_markdown_folder_file_that_is_a_fifo_is_not_replaced(tmp_path: Path) -> None:
    db = make_library(tmp_path / "lib.db", ["Belarus"])
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "Belarus.md")
    proc = cli(db, "export", "--all", "-f", "md", "-o", str(out), timeout=10)
    assert proc.returncode == 1 and "internal error" not in proc.stderr
    assert (out / "Belarus.md").is_fifo()


def test_symlink_target_is_refused_and_left_alone(lib7: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    proc = cli(lib7, "export", "--all", "-f", "json", "-o", str(link))
    assert proc.returncode == 1 and "symbolic link" in proc.stderr
    assert link.is_symlink() and real.read_text() == "keep me"


# --- item 5: zip bombs ---------------------------------------------------------------------------
def _bomb(path: Path, lib: Path, member: str) -> None:
    good = path.with_name("good-for-bomb.zip")
    assert cli(lib, "backup", str(good)).returncode == 0
    big = 2 * 1024**3  # 2 GiB of one line
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename == member:
                with zout.open(zipfile.ZipInfo(member), "w", force_zip64=True) as fh:
                    chunk = b"[" + b"1," * (8 * 1024 * 1024)
                    fh.write(chunk)
                    block = b"1," * (8 * 1024 * 1024)
                    for _ in range(big // len(block)):
                        fh.write(block)
                    fh.write(b"1]\n")
            else:
                zout.writestr(info, zin.read(info))


@pytest.mark.parametrize("member", ["manifest.json", "settings.json", "tables/articles.jsonl"])
def test_backup_bombs_are_refused_fast_and_small(lib7: Path, tmp_path: Path, member: str) -> None:
    bomb = tmp_path / "bomb.zip"
    _bomb(bomb, lib7, member)
    fresh = tmp_path / "fresh.db"
    code = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from reader.core import export\n"
        "from reader.core.errors import ReaderError\n"
        "from reader.core.storage import Library\n"
        "t = time.monotonic()\n"
        "lib = Library(Path(sys.argv[1]))\n"
        "try:\n"
        "    export.restore(lib, Path(sys.argv[2]), settings_path=Path(sys.argv[1] + '.settings.json'))\n"
        "    print('RESTORED')\n"
        "except ReaderError as exc:\n"
        "    print('REFUSED', exc)\n"
        "print('SECONDS', time.monotonic() - t)\n"
        # VmHWM: this process's own peak (ru_maxrss would carry the parent's across exec)
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print('PEAK_MB', int(hwm) / 1024)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(fresh), str(bomb)], capture_output=True,
                          text=True, timeout=60)
    out = dict(line.split(" ", 1) for line in proc.stdout.strip().splitlines())
    assert "REFUSED" in out, proc
    seconds, peak = float(out["SECONDS"]), float(out["PEAK_MB"])
    print(f"bomb in {member}: refused in {seconds * 1000:.0f} ms, peak {peak:.0f} MB")
    assert seconds < 1.0 and peak < 100
    assert article_count(fresh) == 0


# --- item 9: tampered manifests and rows ---------------------------------------------------------
def _tamper(good: Path, dest: Path, *, manifest: object = None, edit=None, member_rows: bytes | None = None,
            encrypt: bool = False) -> Path:
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dest, "w") as zout:
        m = json.loads(zin.read("manifest.json"))
        if edit is not None:
            edit(m)
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = (manifest if isinstance(manifest, bytes) else json.dumps(m).encode())
            elif info.filename == "tables/articles.jsonl" and member_rows is not None:
                data = member_rows
            zout.writestr(zipfile.ZipInfo(info.filename), data)
    if encrypt:  # set the "encrypted" flag of the member in its local header and central record
        raw = bytearray(dest.read_bytes())
        with zipfile.ZipFile(dest) as z:
            info = z.getinfo("tables/articles.jsonl")
        raw[info.header_offset + 6] |= 0x1
        central = raw.find(b"PK\x01\x02" + raw[info.header_offset + 4 : info.header_offset + 6])
        while raw[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
            central = raw.find(b"PK\x01\x02", central + 4)
        raw[central + 8] |= 0x1
        dest.write_bytes(bytes(raw))
    return dest


def _row_sha_fix(m: dict, rows: bytes) -> None:
    import hashlib

    m["tables"]["articles"]["sha256"] = hashlib.sha256(rows).hexdigest()
    m["tables"]["articles"]["rows"] = rows.count(b"\n")


def _tamperings(good: Path) -> dict[str, dict]:
    with zipfile.ZipFile(good) as z:
        row = json.loads(z.read("tables/articles.jsonl").splitlines()[0])
    ncols = len(row)

    def rows_with(value: object) -> bytes:
        r = list(row)
        r[1] = value
        return json.dumps(r).encode() + b"\n"

    deep = b"[" * 100_000 + b"]" * 100_000
    out: dict[str, dict] = {
        "version not a number": {"edit": lambda m: m.update(version="one")},
        "version a list": {"edit": lambda m: m.update(version=[1])},
        "tables a list": {"edit": lambda m: m.update(tables=[1, 2])},
        "columns missing": {"edit": lambda m: m["tables"]["articles"].pop("columns")},
        "columns null": {"edit": lambda m: m["tables"]["articles"].update(columns=None)},
        "columns not strings": {"edit": lambda m: m["tables"]["articles"].update(columns=[1] * ncols)},
        "rows not a number": {"edit": lambda m: m["tables"]["articles"].update(rows="7")},
        "table meta not a dict": {"edit": lambda m: m["tables"].update(articles=5)},
        "schema not strings": {"edit": lambda m: m.update(schema=[1, 2])},
        "deep nesting manifest": {"manifest": b'{"a":' * 50_000 + b"1" + b"}" * 50_000},
        "manifest not utf-8": {"manifest": b"\xff\xfe{}"},
    }
    for name, value in {"huge integer": 10**23, "base64 not text": {"$base64": 5},
                        "base64 invalid": {"$base64": "@@@"}, "a dict value": {"a": 1},
                        "a list value": [1, 2]}.items():
        rows = rows_with(value)
        out[name] = {"member_rows": rows, "edit": lambda m, rows=rows: _row_sha_fix(m, rows)}
    out["deep nesting row"] = {"member_rows": deep + b"\n", "edit": lambda m: _row_sha_fix(m, deep + b"\n")}
    out["row not utf-8"] = {"member_rows": b"\xff\n", "edit": lambda m: _row_sha_fix(m, b"\xff\n")}
    out["encrypted member"] = {"encrypt": True}
    return out


def test_tampered_backups_give_one_line_each(lib7: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    assert cli(lib7, "backup", str(good)).returncode == 0
    failures = []
    for i, (name, how) in enumerate(_tamperings(good).items()):
        bad = _tamper(good, tmp_path / f"bad{i}.zip", **how)
        fresh = tmp_path / f"fresh{i}.db"
        proc = cli(fresh, "restore", str(bad))
        lines = proc.stderr.strip().splitlines()
        if proc.returncode != 1 or len(lines) != 1 or "internal error" in proc.stderr or "backup" not in proc.stderr:
            failures.append((name, proc.returncode, proc.stderr[-300:]))
        elif article_count(fresh) != 0:
            failures.append((name, "restored something"))
    assert not failures, failures


def test_backup_to_an_existing_directory_is_one_line(lib7: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    proc = cli(lib7, "backup", str(folder))
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "folder" in proc.stderr and "internal error" not in proc.stderr
    assert folder.is_dir() and not list(folder.iterdir())


# --- item 14: temp files -------------------------------------------------------------------------
def test_stale_temp_files_are_swept_and_live_ones_kept(lib7: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".export-abc123.tmp", out / ".backup-def456.tmp"]
    for p in stale:
        p.write_bytes(b"half written")
    live = out / ".backup-live99.tmp"
    fh = live.open("wb")
    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run still writing it
    other = out / ".export-notours"  # not our pattern
    other.write_text("x")
    try:
        assert cli(lib7, "backup", str(out / "b.zip")).returncode == 0
        assert cli(lib7, "export", "--all", "-f", "json", "-o", str(out / "a.json")).returncode == 0
        assert not any(p.exists() for p in stale)
        assert live.exists() and other.exists()
    finally:
        fh.close()


def test_failed_export_leaves_no_temp_file(lib7: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "x.json"

    def boom(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    with Library(lib7) as lib:
        monkeypatch.setattr(os, "fsync", boom)  # the data is in the temp file; flushing it fails
        with pytest.raises(DiskFullError, match="x.json"):
            export.export_json(lib, [1], out)
        with pytest.raises(DiskFullError, match="b.zip"):
            export.backup(lib, tmp_path / "b.zip")
    assert not list(tmp_path.glob(".*.tmp")) and not out.exists()


# --- item 14/15: a real full disk ----------------------------------------------------------------
def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, timeout=30)
    return proc.returncode == 0


def test_full_disk_backup_and_export_name_the_destination_and_clean_up(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        import base64

        for i in range(60):
            raw = base64.b64encode(os.urandom(24_000)).decode()
            words = " ".join(raw[j:j + 8] for j in range(0, len(raw), 8))
            lib.add_article(ParsedArticle(f"Big {i}", (words,)), LanguageGuess("en", 0.9))
    full = tmp_path / "full"
    if not _mount_tmpfs(full, "1m"):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        proc = cli(db, "backup", str(full / "b.zip"))
        assert proc.returncode == 1 and "disk is full" in proc.stderr, proc.stderr
        assert str(full) in proc.stderr and str(db) not in proc.stderr
        proc = cli(db, "export", "--all", "-f", "json", "-o", str(full / "a.json"))
        assert proc.returncode == 1 and str(full) in proc.stderr, proc.stderr
        proc = cli(db, "export", "--all", "-f", "md", "-o", str(full / "md"))
        assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stderr
        leftovers = [p.name for p in full.rglob("*") if p.name.endswith(".tmp")]
        assert leftovers == []
    finally:
        subprocess.run(["umount", str(full)], capture_output=True, timeout=30)
    assert article_count(db) == 60
