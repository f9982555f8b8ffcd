"""Issue 13 item 16: without a library Qt's xcb plugin needs, or without a display, ``reader`` says so in
one line and exits; it does not abort (SIGABRT) inside Qt.

The end-to-end tests run ``python -m reader`` in a subprocess. A missing library is made real by a
folder on LD_LIBRARY_PATH holding unusable (empty) files under the sonames: the dynamic loader finds
those first, for Qt as for the check, and refuses them, which is what Qt sees on a system without the
package (checked below: Qt itself fails to start in that environment).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader import preflight
from reader.preflight import QT_GUI_LIBRARIES, XCB_LIBRARIES, problems, qt_platform

REPO = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")
linux_only = pytest.mark.skipif(not LINUX, reason="the check only runs on Linux")
ALL = {lib.soname for lib in QT_GUI_LIBRARIES + XCB_LIBRARIES}
PYSIDE = Path(__import__("importlib.util").util.find_spec("PySide6").origin).parent
QXCB = PYSIDE / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def _no_core() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def clean_env(**changes: str | None) -> dict[str, str]:
    """os.environ without display or platform variables, then ``changes`` (None removes)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE",
                        "READER_NO_PREFLIGHT", "LD_LIBRARY_PATH")}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_reader(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", "--db", str(tmp_path / "lib.db"), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
                          preexec_fn=_no_core)


def assert_clean_exit(out: subprocess.CompletedProcess[str]) -> list[str]:
    text = out.stdout + out.stderr
    lines = [line for line in text.splitlines() if line.strip()]
    assert out.returncode != -signal.SIGABRT, text
    assert out.returncode > 0, (out.returncode, text)
    assert "Traceback" not in text, text
    assert len(lines) <= 3, text
    return lines


def shadow(folder: Path, *sonames: str) -> Path:
    """A library folder where ``sonames`` exist but cannot be loaded (empty files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in sonames:
        (folder / name).write_bytes(b"")
    return folder


def ldd_not_found(path: Path) -> set[str]:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=30)
    return set(re.findall(r"^\s*(\S+) => not found", out.stdout, re.MULTILINE))


# --- end to end: python -m reader -----------------------------------------------------------------
@linux_only
@pytest.mark.parametrize("platform", ["xcb", None])
def test_no_display_is_one_line_not_an_abort(tmp_path: Path, platform: str | None) -> None:
    out = run_reader(clean_env(QT_QPA_PLATFORM=platform), tmp_path)
    lines = assert_clean_exit(out)
    display_lines = [line for line in lines if "no display" in line]
    assert len(display_lines) == 1, lines
    assert "QT_QPA_PLATFORM=offscreen" in display_lines[0] and "--screenshot" in display_lines[0]
    assert not (tmp_path / "lib.db").exists()  # stopped before anything was opened


@linux_only
def test_a_display_nobody_serves_is_one_line_not_an_abort(tmp_path: Path) -> None:
    if "libxcb.so.1" in ldd_not_found(QXCB):
        pytest.skip("no libxcb here to connect with")
    out = run_reader(clean_env(QT_QPA_PLATFORM="xcb", DISPLAY=":87"), tmp_path)
    lines = assert_clean_exit(out)
    assert any("cannot open the X display ':87'" in line for line in lines), lines


@linux_only
def test_missing_xcb_libraries_are_named_with_apt_and_dnf_commands(tmp_path: Path) -> None:
    libs = shadow(tmp_path / "libs", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    out = run_reader(clean_env(QT_QPA_PLATFORM="xcb", LD_LIBRARY_PATH=str(libs)), tmp_path)
    lines = assert_clean_exit(out)
    line = next(line for line in lines if "missing" in line)
    assert "libxcb-icccm.so.4" in line and "libxcb-keysyms.so.1" in line
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1" in line
    assert "dnf install xcb-util-wm xcb-util-keysyms" in line
    assert "libxcb-cursor" not in line  # what Qt's own message blames


@linux_only
def test_qt_itself_fails_in_that_environment(tmp_path: Path) -> None:
    """The premise of the test above: to Qt, the shadowed library is as good as missing."""
    libs = shadow(tmp_path / "libs", "libxcb-icccm.so.4")
    code = "from PySide6.QtWidgets import QApplication; QApplication([])"
    out = subprocess.run([sys.executable, "-c", code], env=clean_env(QT_QPA_PLATFORM="xcb", DISPLAY=":87",
                                                                      LD_LIBRARY_PATH=str(libs)),
                         capture_output=True, text=True, timeout=120, preexec_fn=_no_core)
    assert out.returncode != 0, out.stdout + out.stderr


@linux_only
def test_a_library_folder_that_shadows_nothing_adds_no_alarm(tmp_path: Path) -> None:
    """An LD_LIBRARY_PATH of unrelated files changes nothing: offscreen starts with no message, and
    under xcb the only libraries reported are the ones the dynamic loader cannot find for Qt's
    plugin either (``ldd``)."""
    libs = tmp_path / "libs"
    libs.mkdir()
    (libs / "libunrelated.so.1").write_bytes(b"")
    code = ("import json; from reader.preflight import problems, missing_libraries, QT_GUI_LIBRARIES, "
            "XCB_LIBRARIES as X; print(json.dumps([problems(), missing_libraries(QT_GUI_LIBRARIES + X)]))")
    env = clean_env(QT_QPA_PLATFORM="offscreen", LD_LIBRARY_PATH=str(libs))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60)
    import json

    offscreen_problems, missing = json.loads(out.stdout)
    truth = ldd_not_found(QXCB) | ldd_not_found(PYSIDE / "Qt" / "lib" / "libQt6Gui.so.6")
    assert set(missing) == truth
    assert (offscreen_problems == []) == (not truth & {lib.soname for lib in QT_GUI_LIBRARIES})


@linux_only
def test_the_lists_cover_what_qt_links_against() -> None:
    """Every library the xcb plugin and QtGui/QtWidgets/QtDBus/QtCore link against directly is either
    shipped in the wheel, part of the base system, or checked (a PySide6 update adding one fails here)."""
    readelf = shutil.which("readelf")
    if not readelf:
        pytest.skip("readelf (binutils) is not installed")
    base = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2",
            "libpthread.so.0", "libdl.so.2", "librt.so.1", "libz.so.1", "libzstd.so.1",
            "ld-linux-aarch64.so.1"}
    qt_lib = PYSIDE / "Qt" / "lib"
    needed: set[str] = set()
    for path in [QXCB, qt_lib / "libQt6XcbQpa.so.6", qt_lib / "libQt6Gui.so.6", qt_lib / "libQt6Widgets.so.6",
                 qt_lib / "libQt6DBus.so.6", qt_lib / "libQt6Core.so.6"]:
        out = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True, timeout=30)
        needed |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out.stdout))
    assert needed
    unchecked = {name for name in needed if not (qt_lib / name).exists()} - base - ALL
    assert unchecked == set()


@linux_only
def test_the_check_imports_no_qt_and_is_fast() -> None:
    code = (
        "import sys, time, argparse\n"
        "t = time.perf_counter(); import reader.preflight as p; p.problems()\n"
        "ms = (time.perf_counter() - t) * 1000\n"
        "print(ms, [m for m in sys.modules if m.startswith('PySide6')])"
    )
    env = clean_env(QT_QPA_PLATFORM="xcb", DISPLAY=":87")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60)
    ms, qt = out.stdout.split(" ", 1)
    assert qt.strip() == "[]"
    assert float(ms) < 200  # ~10 ms measured (import + check); generous for two busy cores


# --- with a real X server (Xvfb) ------------------------------------------------------------------
@pytest.fixture
def xvfb_display(tmp_path: Path):
    xvfb = shutil.which("Xvfb")
    if not xvfb or not LINUX:
        pytest.skip("Xvfb is not installed")
    number = 150 + os.getpid() % 700
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert proc.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_real_display_raises_no_alarm(xvfb_display: str) -> None:
    assert preflight.xcb_connect(xvfb_display) is None
    lines = problems(clean_env(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display))
    if ldd_not_found(QXCB):
        assert len(lines) == 1 and "missing" in lines[0]  # the libraries, never the display
    else:
        assert lines == []


def test_the_window_starts_under_xvfb(xvfb_display: str, tmp_path: Path) -> None:
    if ldd_not_found(QXCB):
        pytest.skip("Qt's xcb plugin lacks libraries here: " + ", ".join(sorted(ldd_not_found(QXCB))))
    png = tmp_path / "shot.png"
    env = clean_env(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display)
    out = run_reader(env, tmp_path, "--screenshot", str(png))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "reader:" not in out.stderr, out.stderr
    assert png.stat().st_size > 1000


# --- the decisions, with an injected loader and connector -----------------------------------------
XCB_ENV = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}


def fake_loader(missing: dict[str, str], calls: list[str] | None = None):
    def load(soname: str) -> str | None:
        if calls is not None:
            calls.append(soname)
        return missing.get(soname)

    return load


def not_found(soname: str) -> str:
    return f"{soname}: cannot open shared object file: No such file or directory"


def connected(display: str) -> str | None:
    return None


def test_missing_sonames_become_one_line_with_both_commands() -> None:
    load = fake_loader({"libxcb-icccm.so.4": not_found("libxcb-icccm.so.4"),
                        "libxcb-keysyms.so.1": not_found("libxcb-keysyms.so.1")})
    lines = problems(XCB_ENV, load=load, connect=connected, platform="linux")
    assert len(lines) == 1
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in lines[0]
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 (Debian/Ubuntu)" in lines[0]
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms (Fedora)" in lines[0]


def test_every_xcb_library_has_a_package_on_both() -> None:
    everything = {lib.soname: not_found(lib.soname) for lib in QT_GUI_LIBRARIES + XCB_LIBRARIES}
    lines = problems(XCB_ENV, load=fake_loader(everything), connect=connected, platform="linux")
    assert len(lines) == 1
    for lib in QT_GUI_LIBRARIES + XCB_LIBRARIES:
        assert lib.soname in lines[0] and f" {lib.debian} " in lines[0] and f" {lib.fedora} " in lines[0]
    assert lines[0].count("libxcb ") == 1  # one dnf package for its many sonames


def test_a_missing_dependency_is_named_instead_of_the_library_that_needs_it() -> None:
    load = fake_loader({"libxcb-cursor.so.0": not_found("libxcb-util.so.1"),
                        "libxcb-util.so.1": not_found("libxcb-util.so.1")})
    [line] = problems(XCB_ENV, load=load, connect=connected, platform="linux")
    assert "libraries: libxcb-util.so.1." in line and "libxcb-util1" in line and "xcb-util " in line


def test_an_unusable_file_is_named_by_its_soname() -> None:
    load = fake_loader({"libxcb-icccm.so.4": "/opt/x/libxcb-icccm.so.4: file too short"})
    [line] = problems(XCB_ENV, load=load, connect=connected, platform="linux")
    assert "libraries: libxcb-icccm.so.4." in line and "libxcb-icccm4" in line


@pytest.mark.parametrize("env, expected", [
    ({}, "xcb"),
    ({"QT_QPA_PLATFORM": "xcb"}, "xcb"),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, "xcb"),
    ({"QT_QPA_PLATFORM": "offscreen"}, "offscreen"),
    ({"QT_QPA_PLATFORM": "minimal"}, "minimal"),
    ({"QT_QPA_PLATFORM": "wayland"}, "wayland"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
    ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "xcb"),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "xcb"),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "w"}, "wayland"),
])
def test_which_platform_qt_will_use(env: dict[str, str], expected: str) -> None:
    assert qt_platform(env) == expected


@pytest.mark.parametrize("env", [{"QT_QPA_PLATFORM": "offscreen"}, {"QT_QPA_PLATFORM": "wayland"},
                                 {"QT_QPA_PLATFORM": "minimal"}, {"WAYLAND_DISPLAY": "wayland-0"}])
def test_other_platforms_skip_the_xcb_libraries_and_the_display(env: dict[str, str]) -> None:
    calls: list[str] = []
    everything = {lib.soname: not_found(lib.soname) for lib in XCB_LIBRARIES}
    assert problems(env, load=fake_loader(everything, calls), connect=connected, platform="linux") == []
    assert set(calls) == {lib.soname for lib in QT_GUI_LIBRARIES}


def test_a_library_qtgui_needs_is_reported_on_any_platform() -> None:
    load = fake_loader({"libEGL.so.1": not_found("libEGL.so.1")})
    [line] = problems({"QT_QPA_PLATFORM": "offscreen"}, load=load, connect=connected, platform="linux")
    assert "libEGL.so.1" in line and "apt-get install libegl1" in line and "dnf install libglvnd-egl" in line


def test_no_display_and_an_unreachable_one() -> None:
    ok = fake_loader({})
    [line] = problems({"QT_QPA_PLATFORM": "xcb"}, load=ok, connect=connected, platform="linux")
    assert "no display" in line and "DISPLAY is not set" in line and "QT_QPA_PLATFORM=offscreen" in line
    [line] = problems({}, load=ok, connect=connected, platform="linux")
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in line
    [line] = problems({"DISPLAY": ":5"}, load=ok, connect=lambda d: "refused", platform="linux")
    assert "cannot open the X display ':5' (refused)" in line
    assert problems({"DISPLAY": ":5"}, load=ok, connect=connected, platform="linux") == []


def test_libraries_and_display_together_are_two_lines() -> None:
    load = fake_loader({"libxcb-icccm.so.4": not_found("libxcb-icccm.so.4")})
    lines = problems({}, load=load, connect=connected, platform="linux")
    assert len(lines) == 2 and "missing" in lines[0] and "no display" in lines[1]


def test_without_libxcb_no_connection_is_tried() -> None:
    load = fake_loader({"libxcb.so.1": not_found("libxcb.so.1")})

    def connect(display: str) -> str | None:
        raise AssertionError("connect called")

    [line] = problems({"DISPLAY": ":0"}, load=load, connect=connect, platform="linux")
    assert "libxcb.so.1" in line and "libxcb1" in line


def test_other_systems_and_the_opt_out_skip_everything() -> None:
    everything = fake_loader({lib.soname: not_found(lib.soname) for lib in QT_GUI_LIBRARIES + XCB_LIBRARIES})
    assert problems({}, load=everything, connect=connected, platform="win32") == []
    assert problems({}, load=everything, connect=connected, platform="darwin") == []
    assert problems({"READER_NO_PREFLIGHT": "1"}, load=everything, connect=connected, platform="linux") == []


@linux_only
def test_the_real_connector_reports_a_display_nobody_serves() -> None:
    if "libxcb.so.1" in ldd_not_found(QXCB):
        pytest.skip("no libxcb here")
    assert preflight.xcb_connect(":87") is not None
    assert preflight.xcb_connect("not a display") is not None
