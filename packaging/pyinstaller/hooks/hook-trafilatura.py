"""trafilatura (the HTML importer's extractor) has no hook in PyInstaller or
pyinstaller-hooks-contrib (2026.9).

It reads its defaults from ``settings.cfg`` next to its modules (and the TEI DTD from ``data/``).
Without the file its config is empty, every extraction raises, and the importer silently falls back
to its plain lxml pass: pages come in with their comment sections and menus
(tests/bundle/test_bundle.py checks for exactly that). Its dist-info, which it reads for its
version, PyInstaller collects by itself.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("trafilatura")
