"""justext has no hook. trafilatura runs it as a second opinion when its own extraction finds
little text (trafilatura.core, justext_rescue), and it then loads all ``stoplists/*.txt`` from
justext's package folder; without them that step fails and its result is lost."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("justext")
