"""Shared test helpers, imported normally (``from tests.helpers.fakes import FakeServer``).

* :mod:`tests.helpers.fakes` — fake Google, MyMemory, LibreTranslate and DeepL servers on 127.0.0.1;
* :mod:`tests.helpers.library` — ``populate``: a real library of small articles in four languages;
* :mod:`tests.helpers.gui` — ``wait_idle``: wait until a window's task runner has delivered everything.
"""
