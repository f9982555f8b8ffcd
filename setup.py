"""Packaging hook: ship the top-level ``seeds/`` and ``resources/`` inside the wheel.

They live at the top of the repository (the project layout) and are copied to
``reader/_data/`` at build time, where :mod:`reader.paths` finds them in an installed copy.
Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "reader" / "_data"
        for name in ("seeds", "resources"):
            src = HERE / name
            if src.is_dir():
                shutil.copytree(src, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
