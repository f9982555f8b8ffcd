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


# --- no import cycles (issue 10) -------------------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: str = "reader") -> dict[str, set[str]]:
    """``{module: modules it imports}`` inside ``package``, from every import statement in each file:
    top level, inside functions and under ``if TYPE_CHECKING`` alike (a lazy import is still a
    dependency). ``from a.b import c`` points at ``a.b.c`` when that is a module, else at ``a.b``."""
    import ast

    files = {_module_name(p): p for p in (REPO / package).rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in files else module for a in node.names]
            for target in targets:
                while target and target not in files:  # ``import a.b.c`` of a non-module name: its module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]], prefix: str) -> list[list[str]]:
    """The strongly connected components (Tarjan) with more than one module, among ``prefix*``."""
    nodes = {n for n in graph if n == prefix or n.startswith(prefix + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v] & nodes:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return cycles


def test_import_graph_sees_lazy_and_type_checking_imports() -> None:
    graph = import_graph()
    # a function-level import and an ``if TYPE_CHECKING`` import are both edges
    assert "reader.core.storage.library" in graph["reader.core.storage.translations"]  # TYPE_CHECKING
    assert "reader.core.storage.migrations.m001_core" in graph["reader.core.storage.migrations"]


def test_no_import_cycle_in_the_core() -> None:
    """No cycle between modules of ``reader.core``, counting lazy and TYPE_CHECKING imports."""
    assert find_cycles(import_graph(), "reader.core") == []


def test_no_import_cycle_anywhere_in_reader() -> None:
    """The same over the whole package (GUI and CLI included)."""
    assert find_cycles(import_graph(), "reader") == []


def test_one_folding_module_and_one_detector_module() -> None:
    """Unicode decomposition (the basis of every diacritic folding) only in reader/core/text.py;
    langdetect imported only by reader/core/language.py."""
    import re

    folding, detector = [], []
    for path in (REPO / "reader").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(REPO).as_posix()
        if re.search(r"NFK?D", source):
            folding.append(rel)
        if re.search(r"^\s*(from|import) langdetect", source, re.MULTILINE):
            detector.append(rel)
    assert folding == ["reader/core/text.py"]
    assert detector == ["reader/core/language.py"]


def test_import_contracts_are_declared_and_the_old_locations_are_gone() -> None:
    """pyproject.toml declares the import-linter contracts (.ci/run runs ``lint-imports``) and mypy
    covers the whole package; the compatibility shims of the split (issue 10) no longer exist."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    assert linter["root_package"] == "reader"
    assert len(linter["contracts"]) >= 3
    assert config["tool"]["mypy"]["packages"] == ["reader"]
    test_extra = " ".join(config["project"]["optional-dependencies"]["test"])
    assert "import-linter" in test_extra and "mypy" in test_extra
    gone = ["repository", "annotations", "schema_core", "schema_translation", "schema_annotation",
            "schema_annotation2"]
    assert [m for m in gone if (REPO / "reader" / "core" / "storage" / f"{m}.py").exists()] == []
