"""The desktop build: build.spec produces a one-folder bundle whose programs run without Python.

The bundle is built once per module (``pyinstaller --noconfirm --distpath TMP/dist --workpath
TMP/build build.spec``, about two minutes on two cores), then its programs are run the way a user's
machine would: no Python on the PATH, no PYTHONPATH/PYTHONHOME, a working directory outside the
checkout, fresh data and config folders. Select with ``-m build``; deselect with ``-m "not build"``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parent.parent.parent
BUNDLE_NAME = "PolyglotReader"
CONTENTS = "_internal"  # PyInstaller >= 6 puts everything but the executables here (sys._MEIPASS)
SIZE_TARGET_MB = 200
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def repo_version() -> str:
    """``reader.__version__`` as written in reader/__init__.py."""
    tree = ast.parse((REPO / "reader" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("no __version__ in reader/__init__.py")


def tree_size_mb(folder: Path) -> float:
    """Unpacked size of a folder: the sum of its files' sizes (symlinks not followed), in MB."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    return total / 1_000_000


@dataclass(frozen=True)
class Bundle:
    """A built bundle and a clean environment to run its programs in."""

    root: Path
    build_seconds: float
    work: Path  # scratch space for libraries, data folders and inputs

    @property
    def contents(self) -> Path:
        return self.root / CONTENTS

    def program(self, name: str) -> Path:
        return self.root / f"{name}{EXE_SUFFIX}"

    def env(self, name: str) -> dict[str, str]:
        """An environment with no Python in reach: only an empty folder on the PATH."""
        home = self.work / f"home-{name}"
        empty_bin = self.work / "empty-bin"
        for folder in (home, empty_bin):
            folder.mkdir(exist_ok=True)
        env = {
            "PATH": str(empty_bin),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "READER_DATA_DIR": str(home / "data"),
            "READER_CONFIG_DIR": str(home / "config"),
            "TMPDIR": str(self.work),
        }
        if sys.platform == "win32":  # Windows cannot start a process without these
            env.update({k: os.environ[k] for k in ("SYSTEMROOT", "SYSTEMDRIVE") if k in os.environ})
        return env

    def run(self, name: str, *args: str, env_name: str = "default", timeout: float = 180) -> subprocess.CompletedProcess[str]:
        env = self.env(env_name)
        assert shutil.which("python", path=env["PATH"]) is None
        assert shutil.which("python3", path=env["PATH"]) is None
        assert not {"PYTHONPATH", "PYTHONHOME"} & env.keys()
        return subprocess.run(
            [str(self.program(name)), *args],
            env=env,
            cwd=self.work,  # not the checkout: nothing may be picked up from the source tree
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Bundle:
    """Build the bundle once for this module."""
    if importlib.util.find_spec("PyInstaller") is None:
        message = "PyInstaller is not installed (pip install '.[build]')"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the build test must run in CI")
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("bundle")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm",
               "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "build"), str(REPO / "build.spec")]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        pytest.fail(f"pyinstaller failed ({result.returncode}):\n{result.stderr[-6000:]}")
    work = tmp / "work"
    work.mkdir()
    built = Bundle(root=tmp / "dist" / BUNDLE_NAME, build_seconds=seconds, work=work)
    # Shown in the run's output (CI logs) even though output is captured, as capsys.disabled() does.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"build.spec: bundle built in {seconds:.0f} s, {tree_size_mb(built.root):.0f} MB unpacked")
    return built


def test_bundle_has_both_programs_resources_and_seeds(bundle: Bundle) -> None:
    for name in ("reader", "reader-cli"):
        assert os.access(bundle.program(name), os.X_OK), name
    assert sorted(p.name for p in (bundle.contents / "seeds").iterdir()) == sorted(
        p.name for p in (REPO / "seeds").iterdir())
    assert (bundle.contents / "resources" / "styles" / "light.qss").is_file()
    assert (bundle.contents / "resources" / "icons" / "icon-256.png").is_file()
    # One copy of Qt for both programs (COLLECT shares what both analyses found); on Linux,
    # PyInstaller adds a symlink to it at the top of _internal, which is no copy.
    copies = [p for p in bundle.root.rglob("libQt6Core*") if not p.is_symlink()]
    assert len(copies) == 1, copies


def test_bundle_stays_within_the_size_target(bundle: Bundle) -> None:
    size = tree_size_mb(bundle.root)
    assert size <= SIZE_TARGET_MB, f"unpacked bundle is {size:.0f} MB (target <= {SIZE_TARGET_MB} MB)"


def test_cli_version(bundle: Bundle) -> None:
    result = bundle.run("reader-cli", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"reader-cli {repo_version()}"


def test_cli_imports_the_bundled_seeds(bundle: Bundle) -> None:
    db = bundle.work / "seeds.db"
    result = bundle.run("reader-cli", "--db", str(db), "import", str(bundle.contents / "seeds"))
    assert result.returncode == 0, result.stderr
    imported = re.findall(r": imported #(\d+) \[(\w+)\] ", result.stdout)
    assert [lang for _, lang in imported] == ["ro", "ro", "lt", "en", "ro"], result.stdout

    listed = bundle.run("reader-cli", "--db", str(db), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    articles = json.loads(listed.stdout)
    assert sorted(a["lang"] for a in articles) == ["en", "lt", "ro", "ro", "ro"]
    found = bundle.run("reader-cli", "--db", str(db), "search", "lukasenko", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout), "diacritic-folded search found nothing in the frozen build"


def test_cli_parallel_import_uses_frozen_worker_processes(bundle: Bundle) -> None:
    """More files than are parsed in-process: the frozen executable must work as a spawn worker."""
    folder = bundle.work / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"note-{i:02}.txt").write_text(
            f"Nota {i}\n\nAcesta este un text românesc, numărul {i}, despre vremea din București și "
            "despre drumurile de munte, scris ca să verifice importul în paralel.\n", encoding="utf-8")
    result = bundle.run("reader-cli", "--db", str(bundle.work / "many.db"), "import", "--workers", "2",
                        str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": imported #") == 60, result.stdout
    # A worker that is not set up for the frozen app re-runs reader-cli with multiprocessing's own
    # arguments: argparse's usage errors show up here, and the pool breaks.
    assert result.stderr == "", result.stderr


def test_cli_imports_html_with_trafilatura_and_markdown(bundle: Bundle) -> None:
    """The importers whose libraries read data files at run time.

    The page's menu and comment section sit in plain ``<div>``s: trafilatura leaves them out, the
    importer's plain lxml fallback (what runs when trafilatura cannot load its settings) keeps them.
    """
    folder = bundle.work / "formats"
    folder.mkdir()
    paragraph = ("Vilniaus senamiestis yra vienas didžiausių išlikusių viduramžių senamiesčių Rytų "
                 "Europoje, ir kiekvieną vasarą jame lankosi tūkstančiai keliautojų iš viso pasaulio. ")
    (folder / "page.html").write_text(
        "<!doctype html><html lang='lt'><head><meta charset='utf-8'><title>Senamiestis | Naujienos</title>"
        "</head><body><div class='menu'><p>Pradžia · Politika · Sportas</p></div>"
        "<div class='article'><h1>Senamiestis</h1>"
        + "".join(f"<p>{paragraph * 2}</p>" for _ in range(4))
        + "</div><div id='comments' class='comments'><h3>Komentarai</h3>"
        "<p>Jonas rašo: puikus straipsnis, ačiū!</p></div></body></html>", encoding="utf-8")
    (folder / "note.md").write_text(f"# Vasara\n\n{paragraph}\n\n* pirmas\n* antras\n", encoding="utf-8")
    db = bundle.work / "formats.db"
    result = bundle.run("reader-cli", "--db", str(db), "import", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    ids = dict((name, int(i)) for name, i in re.findall(r"(\w+\.\w+): imported #(\d+)", result.stdout))
    assert ids.keys() == {"page.html", "note.md"}, result.stdout

    page = json.loads(bundle.run("reader-cli", "--db", str(db), "show", str(ids["page.html"]), "--json").stdout)
    assert (page["title"], page["lang"]) == ("Senamiestis", "lt")
    assert page["body"].startswith("Vilniaus senamiestis")
    assert "Jonas" not in page["body"] and "Pradžia" not in page["body"], "trafilatura did not run"
    note = json.loads(bundle.run("reader-cli", "--db", str(db), "show", str(ids["note.md"]), "--json").stdout)
    assert (note["title"], note["lang"]) == ("Vasara", "lt")
    assert "pirmas" in note["body"]


def test_gui_smoke_offscreen(bundle: Bundle) -> None:
    version = bundle.run("reader", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"reader {repo_version()}"

    result = bundle.run("reader", "--smoke", env_name="smoke")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"smoke ok: 5 articles, showing #\d+", result.stdout), result.stdout
