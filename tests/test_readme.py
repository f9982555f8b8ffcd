"""The README's set-up promise stays true: CI runs exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_has_two_setup_commands_and_ci_runs_the_test_one() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    install_and_run, test = commands
    assert install_and_run.rstrip().endswith(".venv/bin/reader")
    assert "pytest" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci, "the README's test command must appear verbatim in .ci/run"


def test_seeds_are_the_shared_samples_unchanged() -> None:
    shared = REPO.parent / "shared" / "seeds"
    ours = sorted((REPO / "seeds").glob("*.txt"))
    assert len(ours) == 5
    if shared.is_dir():  # beside the checkout in CI and on developer machines
        for f in ours:
            assert f.read_bytes() == (shared / f.name).read_bytes(), f.name
