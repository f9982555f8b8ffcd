"""The one table of commands: it drives the QActions (menus, shortcuts) AND the shortcuts help.

Each :class:`ActionSpec` names a command; the window creates one QAction per spec and connects it
to its handler by name (``_on_action_<name>``), so a key listed in Help is a key that works.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    """A command: its name, menu text, keys (first is primary), help text and menu."""

    name: str
    text: str
    keys: tuple[str, ...]
    help: str
    menu: str  # file | edit | feeds | article | view | go | help | "" (no menu: a key only)
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import_files", "&Import Files…", ("Ctrl+I",), "Import files", "file"),
    ActionSpec("import_folder", "Import &Folder…", ("Ctrl+Shift+I",), "Import a folder", "file"),
    ActionSpec("save_link", "Save &Link…", ("Ctrl+L",),
               "Save a web page as an article (fetched once, kept offline); or paste / drop its address", "file"),
    ActionSpec("import_opml", "Import &OPML…", (), "Subscribe to the feeds of an OPML file (folders kept)", "file"),
    ActionSpec("export_opml", "Export O&PML…", (), "Write every subscription to an OPML file", "file"),
    ActionSpec("export", "&Export…", ("Ctrl+Shift+E",),
               "Export articles with their highlights and notes (Markdown or JSON)", "file"),
    ActionSpec("backup", "&Back Up Library…", (), "Back up the whole library and settings to a .zip file", "file"),
    ActionSpec("restore", "&Restore…", (), "Restore a backup into a new library file", "file"),
    ActionSpec("preferences", "&Preferences…", ("Ctrl+,",), "Preferences", "file"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "Quit", "file"),
    ActionSpec("add_feed", "&Add Feed…", ("Ctrl+Shift+A",), "Subscribe to a feed or a site", "feeds"),
    ActionSpec("refresh_feeds", "&Refresh All Feeds", ("F5",), "Fetch every feed now (Cancel in the status bar)",
               "feeds"),
    ActionSpec("paste_link", "Paste Link", ("Ctrl+V",),
               "Save the web address on the clipboard as an article (when not typing)", ""),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Undo the last delete or Mark All as Read", "edit"),
    ActionSpec("find", "&Find…", ("/", "Ctrl+F"), "Search the library", "edit"),
    ActionSpec("next", "&Next Article", ("J",), "Next article", "go"),
    ActionSpec("previous", "&Previous Article", ("K",), "Previous article", "go"),
    ActionSpec("next_unread", "Next &Unread", ("U",), "Next unread article (wraps to the top of the list)", "go"),
    ActionSpec("page_down", "Page &Down", ("Space",), "Page the article down; at its end, the next unread", "go"),
    ActionSpec("page_up", "Page &Up", ("Shift+Space",), "Page the article up", "go"),
    ActionSpec("toggle_star", "&Star", ("S",), "Star / unstar", "article"),
    ActionSpec("toggle_read", "Mark &Read / Unread", ("M",), "Mark read / unread", "article"),
    ActionSpec("mark_all_read", "Mark &All as Read", ("Shift+M",), "Mark every article in the list read (with Undo)",
               "article"),
    ActionSpec("archive", "&Archive", ("E",), "Archive / unarchive", "article"),
    ActionSpec("add_tags", "Add &Tags…", ("Ctrl+T",), "Add tags to the selected articles", "article"),
    ActionSpec("edit_details", "&Details…", ("Ctrl+E",), "Edit title, date, source, URL, language", "article"),
    ActionSpec("delete", "&Delete", ("Delete",), "Delete (with Undo)", "article"),
    ActionSpec("translate_toggle", "&Translate Mode", ("T",), "Cycle Original / Translation / Side by side",
               "view"),
    ActionSpec("retranslate", "&Re-translate Article", ("Shift+T",),
               "Translate the article again, bypassing the cache", "view"),
    ActionSpec("highlight", "&Highlight Selection", ("H",), "Highlight the selected text (yellow)", "article"),
    ActionSpec("highlight_yellow", "Highlight Yellow", ("1",), "Highlight the selection yellow", ""),
    ActionSpec("highlight_green", "Highlight Green", ("2",), "Highlight the selection green", ""),
    ActionSpec("highlight_blue", "Highlight Blue", ("3",), "Highlight the selection blue", ""),
    ActionSpec("highlight_pink", "Highlight Pink", ("4",), "Highlight the selection pink", ""),
    ActionSpec("highlight_purple", "Highlight Purple", ("5",), "Highlight the selection purple", ""),
    ActionSpec("note", "Highlight with &Note…", ("N",),
               "Note on the selection (highlights it first), else on the article", "article"),
    ActionSpec("manage_tags", "&Manage Tags…", ("Ctrl+Shift+G",), "Create, rename, merge, delete, colour tags",
               "article"),
    ActionSpec("save_search", "&Save Search…", ("Ctrl+Shift+S",), "Save the search as a smart view", "edit"),
    ActionSpec("zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), "Larger text in the reader pane", "view"),
    ActionSpec("zoom_out", "Zoom &Out", ("Ctrl+-",), "Smaller text in the reader pane", "view"),
    ActionSpec("zoom_reset", "&Actual Size", ("Ctrl+0",), "Text at the size chosen in Preferences", "view"),
    ActionSpec("focus_mode", "&Focus Mode", ("Ctrl+Shift+F",), "Hide / show the sidebar and the list", "view",
               checkable=True),
    ActionSpec("two_line_rows", "&Two-Line Rows", ("Ctrl+Shift+L",),
               "Show the first words of each article under its title in the list", "view", checkable=True),
    ActionSpec("all_highlights", "All &Highlights", ("Ctrl+Shift+H",), "All highlights of the library", "view"),
    ActionSpec("toggle_annotations", "Highlights && &Notes Panel", ("Ctrl+Shift+N",),
               "Show / hide the highlights and notes panel", "view"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", ("F1", "?"), "This list", "help"),
    ActionSpec("about", "&About Polyglot Reader", (), "About", "help"),
)

#: Commands that begin a group in their menu (a separator goes above them).
SEPARATED = frozenset({"save_link", "export", "preferences", "quit", "undo", "delete", "shortcuts", "zoom_in"})
MENUS = (("file", "&File"), ("edit", "&Edit"), ("go", "&Go"), ("feeds", "Fee&ds"), ("article", "&Article"),
         ("view", "&View"),
         ("help", "&Help"))


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what) for the help dialog, in table order; commands without keys are left out."""
    return [(" or ".join(spec.keys), spec.help) for spec in ACTIONS if spec.keys]
