"""The controllers of one window, handed from the composition root to the window in one value."""

from __future__ import annotations

from dataclasses import dataclass

from reader.gui.controllers.annotations import AnnotationsController
from reader.gui.controllers.feeds import FeedsController
from reader.gui.controllers.library import LibraryController
from reader.gui.controllers.library_files import LibraryFilesController
from reader.gui.controllers.tags import TagsController
from reader.gui.controllers.translation import TranslationController
from reader.gui.controllers.undo import UndoHistory


@dataclass(frozen=True)
class Controllers:
    """The controllers of one window, as :func:`reader.gui.app.build` made them."""

    library: LibraryController
    translation: TranslationController
    annotations: AnnotationsController
    tags: TagsController
    undo: UndoHistory
    files: LibraryFilesController
    feeds: FeedsController
