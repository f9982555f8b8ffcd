"""Before Qt starts: can it open a window here? One line saying why not, instead of an abort.

On Linux a missing system library or a missing display makes Qt abort the process (SIGABRT) while it
creates the QApplication, with a message that blames the wrong package (``libxcb-cursor0``) or none.
:func:`problems` finds both beforehand, in a few milliseconds, by loading the libraries Qt will load
(``ctypes.CDLL`` on their exact sonames, the same search the dynamic loader does for Qt) and by
opening the X display the way Qt's xcb plugin does (``xcb_connect``). No Qt module is imported here.

* The libraries QtGui needs on any platform are checked on Linux whatever ``QT_QPA_PLATFORM`` says.
* The xcb plugin's libraries and the display only when Qt will use xcb: ``QT_QPA_PLATFORM`` is
  ``xcb`` (first in a ``;`` list), or unset and no Wayland display is there to prefer.
  ``offscreen``, ``wayland``, ``minimal``, ``vnc``, ... skip them.

``READER_NO_PREFLIGHT=1`` turns the check off (should it ever be wrong about a system).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

EXIT_CODE = 1


class Library(NamedTuple):
    soname: str
    debian: str  # apt package (Debian, Ubuntu)
    fedora: str  # dnf package (Fedora, RHEL)


# What the QtGui library itself links against (readelf -d of PySide6 6.11's libQt6Gui, libQt6DBus),
# the ones a minimal system can lack. Without them ``import PySide6.QtGui`` fails on every platform.
QT_GUI_LIBRARIES: tuple[Library, ...] = (
    Library("libGL.so.1", "libgl1", "libglvnd-glx"),
    Library("libEGL.so.1", "libegl1", "libglvnd-egl"),
    Library("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    Library("libfreetype.so.6", "libfreetype6", "freetype"),
    Library("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    Library("libX11.so.6", "libx11-6", "libX11"),
    Library("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)

# What Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6) links against besides those.
XCB_LIBRARIES: tuple[Library, ...] = (
    Library("libxcb.so.1", "libxcb1", "libxcb"),
    Library("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    Library("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    Library("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    Library("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    Library("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    Library("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    Library("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    Library("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    Library("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    Library("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    Library("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    Library("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    Library("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    Library("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    Library("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
)

# Not loaded directly, but a loader error can name them (a dependency of one of the above).
DEPENDENCIES: tuple[Library, ...] = (
    Library("libGLX.so.0", "libglx0", "libglvnd-glx"),
    Library("libGLdispatch.so.0", "libglvnd0", "libglvnd"),
    Library("libXau.so.6", "libxau6", "libXau"),
    Library("libXdmcp.so.6", "libxdmcp6", "libXdmcp"),
    Library("libpng16.so.16", "libpng16-16", "libpng"),
    Library("libexpat.so.1", "libexpat1", "expat"),
)

KNOWN: dict[str, Library] = {lib.soname: lib for lib in QT_GUI_LIBRARIES + XCB_LIBRARIES + DEPENDENCIES}

HEADLESS_HINT = "to run without a display: QT_QPA_PLATFORM=offscreen reader --screenshot out.png"

Loader = Callable[[str], str | None]  # soname -> None if it loads, else the loader's error message
Connector = Callable[[str], str | None]  # DISPLAY -> None if an X server accepts us, else why not


def _bundled_dirs() -> list[Path]:
    """Where a library can sit that the loader finds only through Qt's own RUNPATH: the PyInstaller
    bundle and the PySide6 wheel's Qt/lib (located without importing PySide6)."""
    dirs: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        dirs += [Path(meipass), Path(meipass) / "PySide6" / "Qt" / "lib"]
    try:
        import importlib.util

        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        dirs += [Path(p) / "Qt" / "lib" for p in spec.submodule_search_locations]
    return dirs


def dlopen(soname: str) -> str | None:
    """Load ``soname`` as the dynamic loader would for Qt. None if it loads, else the error text."""
    try:
        ctypes.CDLL(soname)
        return None
    except OSError as exc:
        error = str(exc)
    for folder in _bundled_dirs():
        candidate = folder / soname
        if candidate.exists():
            try:
                ctypes.CDLL(str(candidate))
                return None
            except OSError:
                pass
    return error


def _culprit(soname: str, error: str) -> str:
    """The library the loader could not use: ``soname``, or the dependency its error names."""
    head = error.split(": ", 1)[0].strip()
    name = os.path.basename(head)
    return name if name.startswith("lib") and ".so" in name else soname


def missing_libraries(libraries: Iterable[Library], load: Loader = dlopen) -> list[str]:
    """The sonames among ``libraries`` (or their dependencies) that do not load, in order, once each."""
    missing: list[str] = []
    for lib in libraries:
        error = load(lib.soname)
        if error is not None:
            name = _culprit(lib.soname, error)
            if name not in missing:
                missing.append(name)
    return missing


def install_line(sonames: list[str], what: str) -> str:
    """One line: which libraries are missing and the apt-get and dnf commands that install them."""
    debian = list(dict.fromkeys(KNOWN[s].debian for s in sonames if s in KNOWN))
    fedora = list(dict.fromkeys(KNOWN[s].fedora for s in sonames if s in KNOWN))
    line = f"reader: {what} cannot start, missing system libraries: {', '.join(sonames)}."
    if debian:
        line += (f" Install them with: sudo apt-get install {' '.join(debian)} (Debian/Ubuntu)"
                 f" or: sudo dnf install {' '.join(fedora)} (Fedora)")
    return line


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will pick on Linux, as far as it matters here: ``xcb`` or another name.

    Qt tries the ``;``-separated entries of QT_QPA_PLATFORM in turn (``name:options``); unset, it
    prefers Wayland when a Wayland display is there, else xcb. A Wayland entry without a Wayland
    display fails and Qt moves on to the next entry.
    """
    wayland = bool(environ.get("WAYLAND_DISPLAY"))
    spec = environ.get("QT_QPA_PLATFORM", "").strip()
    if not spec:
        return "wayland" if wayland else "xcb"
    names = [entry.split(":", 1)[0].strip().lower() for entry in spec.split(";") if entry.strip()]
    for i, name in enumerate(names):
        if name.startswith("wayland") and not wayland and i < len(names) - 1:
            continue
        return name
    return "xcb"


def xcb_connect(display: str) -> str | None:
    """Open and close a connection to X display ``display`` with libxcb, as Qt's xcb plugin will."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError as exc:
        return str(exc)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    code = xcb.xcb_connection_has_error(connection) if connection else 1
    xcb.xcb_disconnect(connection)  # also right for libxcb's static error connection
    if not code:
        return None
    reasons = {5: "not a valid DISPLAY value", 6: "no such screen"}
    return reasons.get(code, "no X server answers there, or it refused the connection")


def problems(environ: Mapping[str, str] | None = None, *, load: Loader = dlopen,
             connect: Connector = xcb_connect, platform: str = sys.platform) -> list[str]:
    """The lines to print before giving up (at most two), or ``[]`` when Qt can start."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or env.get("READER_NO_PREFLIGHT", "") not in ("", "0"):
        return []
    lines: list[str] = []
    xcb = qt_platform(env) == "xcb"
    wanted = QT_GUI_LIBRARIES + XCB_LIBRARIES if xcb else QT_GUI_LIBRARIES
    missing = missing_libraries(wanted, load)
    if missing:
        lines.append(install_line(missing, "the window (Qt's X11 platform)" if xcb else "the window (Qt)"))
    if xcb:
        display = env.get("DISPLAY", "").strip()
        if not display:
            unset = ("DISPLAY is not set" if env.get("QT_QPA_PLATFORM")
                     else "neither DISPLAY nor WAYLAND_DISPLAY is set")
            lines.append(f"reader: no display to open the window on ({unset}); {HEADLESS_HINT}")
        elif "libxcb.so.1" not in missing:
            why = connect(display)
            if why is not None:
                lines.append(f"reader: cannot open the X display {display!r} ({why}); {HEADLESS_HINT}")
    return lines


def check(environ: Mapping[str, str] | None = None) -> int:
    """Print the problems to stderr and return the exit status to end with, or 0 to go on."""
    lines = problems(environ)
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_CODE if lines else 0
