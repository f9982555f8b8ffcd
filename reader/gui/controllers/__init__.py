"""Controllers: the only GUI code that calls the core or the task runner.

One module per feature, each a QObject built once in :mod:`reader.gui.app` (the composition root)
and handed to the window: :mod:`.library` (list, articles, imports), :mod:`.translation`,
:mod:`.annotations` (highlights, notes, saved searches), :mod:`.tags` (tag management) and
:mod:`.undo` (the window's one ordered undo history); :class:`.bundle.Controllers` hands them
to the window together. Widgets never import them; they emit intents
that the window forwards here, and these emit signals that the window routes back to widgets.
"""
