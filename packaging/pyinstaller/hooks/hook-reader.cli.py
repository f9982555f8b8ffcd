"""reader-cli registers its commands with importlib.import_module(name) over the names in
reader.cli.COMMAND_MODULES: strings that PyInstaller's import scan cannot see."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("reader.cli")
