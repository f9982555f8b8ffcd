"""`reader-cli import --encoding`, run as a user would (issue 14): close-call warning, re-import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "import sys; from reader.cli import main; sys.exit(main())"]
TEXT = (
    "Quoted in Vilnius\n\n"
    'The phrase quoted most often was "Balandžio 6 d. (UPI) - Rusijos prezidentas", they said.\n'
)


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DB": str(tmp_path / "lib.db"), "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)


def test_close_call_warning_and_reimport_with_encoding(tmp_path: Path) -> None:
    path = tmp_path / "close.txt"
    path.write_bytes(TEXT.encode("iso-8859-13"))
    out = cli(tmp_path, "import", str(path))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and ": imported #1 [" in lines[0]
    assert lines[1].startswith(f"{path}: warning: encoding guessed as ")
    assert "; could also be " in lines[1] and " — re-import with --encoding " in lines[1]

    out = cli(tmp_path, "import", "--encoding", "iso-8859-13", str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [f"{path}: updated #1 [en] Quoted in Vilnius"]
    shown = json.loads(cli(tmp_path, "show", "1", "--json").stdout)
    assert "Balandžio 6 d." in shown["body"]
    assert len(json.loads(cli(tmp_path, "list", "--json").stdout)) == 1
    # the guessed reading does not come back, and the same override again changes nothing
    assert ": duplicate of #1" in cli(tmp_path, "import", str(path)).stdout
    assert ": duplicate of #1" in cli(tmp_path, "import", "--encoding", "iso-8859-13", str(path)).stdout


def test_unknown_encoding_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Some text here.\n", encoding="utf-8")
    for name in ("no-such-codec", "rot13", ""):
        out = cli(tmp_path, "import", "--encoding", name, str(path))
        assert out.returncode == 2
        assert out.stdout == "" and out.stderr.count("\n") == 1 and "unknown encoding" in out.stderr
    assert not (tmp_path / "lib.db").exists()


def test_encoding_override_for_html_and_help(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(('<html><head><meta charset="utf-8"><title>Derybos</title></head><body><article>'
                      "<p>Lukašenka sakė, kad derybos su Lietuva tęsis ir kitą mėnesį, o sprendimas bus "
                      "vėliau.</p></article></body></html>").encode("cp1257"))
    out = cli(tmp_path, "import", "--encoding", "windows-1257", str(page))
    assert out.returncode == 0 and ": imported #1 " in out.stdout, out.stdout + out.stderr
    assert "Lukašenka sakė" in json.loads(cli(tmp_path, "show", "1", "--json").stdout)["body"]
    help_text = cli(tmp_path, "import", "--help").stdout
    assert "--encoding NAME" in help_text and "close call" in help_text
