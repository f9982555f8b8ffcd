"""Qt stays out of the core and the CLI (STYLE.md practice 1), checked at import time as well as by ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_cli_and_core_never_load_qt() -> None:
    code = (
        "import sys, reader.cli, reader.core.storage, reader.core.importing, reader.core.translation, "
        "reader.core.export, reader.core.annotations, reader.core.rendering\n"
        "from reader.cli import build_parser; build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_bans_pyside6_outside_the_gui() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"PySide6".msg' in text and '"reader/gui/**" = ["TID251"]' in text
    probe = REPO / "reader" / "core" / "_qt_probe_for_test.py"
    probe.write_text("import PySide6\n", encoding="utf-8")
    try:
        out = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "TID251", str(probe)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        probe.unlink()
    assert out.returncode == 1 and "TID251" in out.stdout, out.stdout + out.stderr
