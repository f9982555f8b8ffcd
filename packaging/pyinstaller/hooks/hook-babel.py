"""Replaces PyInstaller's own hook-babel (hooks in our hookspath take precedence), which collects
all 1,084 CLDR locale files: 32 MB, a sixth of the bundle.

babel is here only because courlan.filters imports it (courlan comes with trafilatura); courlan
calls ``Locale.parse`` solely in its URL language filter, which trafilatura uses for sitemaps and
crawling, never for the local files our importers hand it. So the bundle keeps babel's code, the
global data and the root and English locales; ``Locale.parse`` of any other locale raises
``UnknownLocaleError``, which courlan catches.
"""

from PyInstaller.utils.hooks import collect_data_files

KEPT_LOCALES = ("root", "en")

datas = collect_data_files(
    "babel",
    includes=["global.dat", *(f"locale-data/{name}.dat" for name in KEPT_LOCALES)],
)

# The same hidden imports as PyInstaller's hook: babel loads these lazily.
hiddenimports = ["babel.dates", "babel.localedata", "babel.plural", "babel.numbers"]
