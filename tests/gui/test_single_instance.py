"""One window per library (issue 13, item 13): a second launch hands its files to the running window.

The protocol and the server are tested in one process (the blocking client runs in a thread, the
server on the GUI thread, as in real use); the whole thing with two real ``python -m reader``
processes on one library, and a third on another library.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtNetwork import QLocalServer

from reader.gui import single_instance as si
from reader.gui.app import serve_instance

REPO = Path(__file__).resolve().parents[2]
PING = {"v": si.PROTOCOL_VERSION, "cmd": "ping"}


@pytest.fixture
def short_tmpdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Qt keeps local sockets in TMPDIR on Unix: a short private one (AF_UNIX paths are <= 107 bytes),
    removed with whatever a killed process left there."""
    path = Path(tempfile.mkdtemp(prefix="rsi-"))
    monkeypatch.setenv("TMPDIR", str(path))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def name(short_tmpdir: Path, tmp_path: Path) -> str:
    return si.server_name(tmp_path / "library.db")


#: A second launch's end, in its own process (as in real use: PySide6 keeps the GIL inside
#: QLocalSocket.waitFor*, so a blocking client in a thread of this process would stall its server).
CLIENT = """
import json, sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtNetwork import QLocalSocket
from reader.gui import single_instance as si

app = QCoreApplication([])
mode, arg = sys.argv[1], json.loads(sys.argv[2])
if mode == "hand_over":
    print(si.hand_over(arg["db"], arg["files"], **arg.get("timeouts", {})).name)
elif mode == "request":
    try:
        print(json.dumps(si.request(arg["name"], arg["message"])))
    except ConnectionError:
        print("refused")
elif mode == "misbehave":  # a client that never sends, one that sends garbage, then a good one
    silent = QLocalSocket()
    silent.connectToServer(arg["name"])
    assert silent.waitForConnected(1000)
    garbage = QLocalSocket()
    garbage.connectToServer(arg["name"])
    assert garbage.waitForConnected(1000)
    garbage.write(b"hello there\\n")
    garbage.waitForBytesWritten(1000)
    answer = b""
    while b"\\n" not in answer and garbage.waitForReadyRead(2000):
        answer += bytes(garbage.readAll().data())
    garbage.abort()
    ping = si.request(arg["name"], {"v": 1, "cmd": "ping"})  # served while the silent one hangs on
    dropped = silent.waitForDisconnected(3000)  # then the silent one is dropped
    print(json.dumps({"garbage": answer.decode(), "ping": ping, "silent_dropped": dropped}))
"""


def client(qtbot, mode: str, arg: dict[str, Any], cwd: Path | None = None) -> str:  # noqa: ANN001
    """Run the client ``mode`` in another process while this GUI thread keeps serving; its output."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", CLIENT, mode, json.dumps(arg)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
        out, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    return out.strip()


def started_server(qtbot, name: str) -> si.InstanceServer:  # noqa: ANN001
    server = si.InstanceServer(name)
    with qtbot.waitSignal(server.started, timeout=5000) as blocker:
        server.start()
    assert blocker.args == [True]
    return server


# --- names --------------------------------------------------------------------------------------
def test_one_name_per_library_whatever_its_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = tmp_path / "lib" / "library.db"
    lib.parent.mkdir()
    (tmp_path / "link").symlink_to(lib.parent)
    monkeypatch.chdir(tmp_path)
    name = si.server_name(lib)
    assert si.server_name("lib/library.db") == name
    assert si.server_name(tmp_path / "lib" / ".." / "lib" / "library.db") == name
    assert si.server_name(tmp_path / "link" / "library.db") == name
    assert si.server_name(tmp_path / "other.db") != name
    assert len(name) <= 40 and name.startswith(si.NAME_PREFIX)


# --- protocol -----------------------------------------------------------------------------------
@pytest.mark.parametrize("line, reason", [
    (b"not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"cmd": "open", "files": []}', "version"),
    (b'{"v": 2, "cmd": "open", "files": []}', "version"),
    (b'{"v": 1, "cmd": "format_disk"}', "unknown command"),
    (b'{"v": 1, "cmd": "open", "files": "/etc/passwd"}', "list of paths"),
    (b'{"v": 1, "cmd": "open", "files": [1]}', "list of paths"),
    (b'{"v": 1, "cmd": "open", "files": ["a\\u0000b"]}', "list of paths"),
    (b"\xff\xfe", "not JSON"),
])
def test_bad_requests_are_refused_with_a_reason(line: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        si.parse_request(line)


def test_requests_round_trip() -> None:
    files = ["/tmp/ă ș.txt", "/x/y.md"]
    assert si.parse_request(si.encode({"v": 1, "cmd": "open", "files": files}).rstrip(b"\n")) == ("open", files)
    assert si.parse_request(si.encode(PING).rstrip(b"\n")) == ("ping", [])


def test_nobody_listening_means_start_normally(qapp, name: str) -> None:  # noqa: ANN001
    started = time.monotonic()
    assert si.hand_over(Path("unused"), []) is si.Handoff.NOT_RUNNING
    with pytest.raises(ConnectionError):
        si.request(name, PING)
    assert time.monotonic() - started < 1.0


def test_files_reach_the_server_as_absolute_paths(qtbot, short_tmpdir: Path, tmp_path: Path,  # noqa: ANN001
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "library.db"
    server = started_server(qtbot, si.server_name(db))
    with qtbot.waitSignal(server.files_received, timeout=20_000) as blocker:
        outcome = client(qtbot, "hand_over", {"db": str(db), "files": ["a.txt", "sub/b.md"]}, cwd=tmp_path)
    assert outcome == "DELIVERED"
    assert blocker.args == [[str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")]]
    other = client(qtbot, "hand_over", {"db": str(tmp_path / "other.db"), "files": ["a.txt"]}, cwd=tmp_path)
    assert other == "NOT_RUNNING"
    server.close()


def test_garbage_and_silent_clients_do_not_block_the_server(qtbot, name: str,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(si, "REQUEST_TIMEOUT_MS", 300)
    server = started_server(qtbot, name)
    received: list[list[str]] = []
    server.files_received.connect(received.append)

    result = json.loads(client(qtbot, "misbehave", {"name": name}))
    assert si.decode(result["garbage"].strip().encode()) == {"ok": False, "error": "not JSON"}
    assert result["ping"] == {"ok": True}
    assert result["silent_dropped"]
    assert received == []
    server.close()


def test_a_window_that_accepts_but_never_answers_is_waited_for_a_bounded_time(  # noqa: ANN001
        qtbot, short_tmpdir: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    mute = QLocalServer()  # accepts connections (the kernel does), never reads or answers
    assert mute.listen(si.server_name(db))
    started = time.monotonic()
    arg = {"db": str(db), "files": ["x.txt"], "timeouts": {"answer_timeout_ms": 500}}
    assert client(qtbot, "hand_over", arg) == "NO_ANSWER"
    assert time.monotonic() - started < 10
    mute.close()


def test_the_launch_gives_up_with_a_message_and_builds_no_window(  # noqa: ANN001
        qapp, short_tmpdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from PySide6.QtWidgets import QApplication, QMainWindow

    from reader.gui.app import run

    db = tmp_path / "library.db"
    mute = QLocalServer()
    assert mute.listen(si.server_name(db))
    monkeypatch.setattr(si, "ANSWER_TIMEOUT_MS", 300)
    handlers = list(logging.getLogger("reader").handlers)
    try:
        assert run(str(db), ["x.txt"]) == 1
    finally:
        for h in logging.getLogger("reader").handlers:
            if h not in handlers:
                logging.getLogger("reader").removeHandler(h)
                h.close()
        mute.close()
    assert "did not answer" in capsys.readouterr().err
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
    assert not db.exists()  # the library was not even opened


def _crashed_server(name: str, env: dict[str, str]) -> None:
    """A process that listens on ``name`` and is killed: on Unix its socket file stays behind."""
    code = ("import sys\nfrom PySide6.QtCore import QCoreApplication\nfrom PySide6.QtNetwork import QLocalServer\n"
            "app = QCoreApplication([])\ns = QLocalServer()\nassert s.listen(sys.argv[1])\nprint('up', flush=True)\n"
            "app.exec()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, name], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "up"
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_crashed_windows_socket_does_not_block_the_next_start(qtbot, name: str,  # noqa: ANN001
                                                                short_tmpdir: Path) -> None:
    _crashed_server(name, dict(os.environ))
    if sys.platform != "win32":
        assert (short_tmpdir / name).exists()  # stale: nobody accepts on it
    with pytest.raises(ConnectionError):
        si.request(name, PING)
    server = started_server(qtbot, name)  # removes the stale file, then listens
    assert client(qtbot, "request", {"name": name, "message": PING}) == '{"ok": true}'
    server.close()
    if sys.platform != "win32":
        assert not (short_tmpdir / name).exists()  # a clean exit leaves nothing behind


def test_a_live_window_is_not_taken_over(qtbot, name: str) -> None:  # noqa: ANN001
    first = started_server(qtbot, name)
    second = si.InstanceServer(name)
    with qtbot.waitSignal(second.started, timeout=5000) as blocker:
        second.start()
    assert blocker.args == [False] and not second.is_listening()
    with qtbot.waitSignal(first.files_received, timeout=5000):
        message = {"v": 1, "cmd": "open", "files": ["/x"]}
        assert client(qtbot, "request", {"name": name, "message": message}) == '{"ok": true}'
    first.close()
    second.close()


# --- the window ---------------------------------------------------------------------------------
def test_handed_files_are_imported_as_if_dropped_and_the_window_comes_back(  # noqa: ANN001
        make_window, qtbot, short_tmpdir: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    parts = make_window(db)
    window = parts.window
    server = serve_instance(window, db)
    qtbot.waitUntil(server.is_listening, timeout=5000)
    note = tmp_path / "handed.txt"
    note.write_text("Handed over\n\nA note that a second launch handed to the window.\n", encoding="utf-8")
    window.showMinimized()
    with qtbot.waitSignal(parts.controller.import_finished, timeout=30_000):
        assert client(qtbot, "hand_over", {"db": str(db), "files": [str(note)]}) == "DELIVERED"
    assert not window.isMinimized()
    qtbot.waitUntil(lambda: window.last_import_summary is not None, timeout=5000)  # as a drop: a summary
    titles = [row[0] for row in sqlite3.connect(db).execute("SELECT title FROM articles")]
    assert "Handed over" in titles
    server.close()


# --- two real processes -------------------------------------------------------------------------
@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def _wait_listening(qapp, name: str, proc: subprocess.Popen[bytes], timeout_s: float = 60) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the window exited with {proc.returncode}"
        try:
            if si.request(name, PING, connect_timeout_ms=200) == {"ok": True}:
                return
        except ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("the window never listened")


def _titles(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT title FROM articles")]


@pytest.mark.slow
def test_second_launch_hands_its_file_to_the_running_window(  # noqa: ANN001
        qapp, processes, short_tmpdir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    lib, other = tmp_path / "lib.db", tmp_path / "other.db"
    first = subprocess.Popen([sys.executable, "-m", "reader", "--db", str(lib)], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes.append(first)
    _wait_listening(qapp, si.server_name(lib), first)

    (tmp_path / "file.txt").write_text("Handed over between processes\n\nThe second launch gave this file "
                                       "to the window that was already open.\n", encoding="utf-8")
    started = time.monotonic()
    second = subprocess.run([sys.executable, "-m", "reader", "--db", "lib.db", "file.txt"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=10)
    elapsed = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert elapsed < 10
    assert "handed 1 file to the window already open" in second.stdout

    deadline = time.monotonic() + 30
    while "Handed over between processes" not in _titles(lib):
        assert time.monotonic() < deadline, "the handed file never reached the library"
        assert first.poll() is None
        time.sleep(0.2)

    # another library: its own, independent window, while the first one keeps running
    third = subprocess.Popen([sys.executable, "-m", "reader", "--db", str(other)], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes.append(third)
    _wait_listening(qapp, si.server_name(other), third)
    assert first.poll() is None and third.poll() is None
