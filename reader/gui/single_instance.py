"""One window per library: a second ``reader FILE...`` on the same library hands its files over.

The window that runs on a library listens on a local socket (:class:`InstanceServer`, a
``QLocalServer``) named after a hash of the user and the resolved library path
(:func:`server_name`): short enough for AF_UNIX limits, in the place Qt keeps local sockets (the
temp dir on Unix, a named pipe on Windows), different for every library, so ``--db OTHER`` starts
an independent window. A second launch (:func:`hand_over`, called by ``app.run`` before any window
is built) connects, sends one request and waits a bounded time for the answer; the running window
imports the files as if they had been dropped on it and comes to the front.

Protocol: one JSON object per connection, one line each way (UTF-8, ``\\n``-terminated)::

    -> {"v": 1, "cmd": "open", "files": ["/abs/path", ...]}     <- {"ok": true}
    -> {"v": 1, "cmd": "ping"}                                     <- {"ok": true}
    anything else                                                  <- {"ok": false, "error": "..."}

The server side never blocks the GUI thread: it is driven by signals only, and a connection that
does not finish its request within :data:`REQUEST_TIMEOUT_MS` is dropped. Before listening it
probes the name: a socket file left by a crashed window (connection refused) is removed; a live
window's is left alone (that window keeps the name).
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("reader.gui.single_instance")

PROTOCOL_VERSION = 1
NAME_PREFIX = "polyglot-reader-"
#: a whole request must arrive within this time, or the server drops the connection
REQUEST_TIMEOUT_MS = 5_000
#: the most a request may be (some 100,000 paths); more is refused, not buffered
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
#: a second launch: how long to try to connect, and how long to wait for the running window's answer
CONNECT_TIMEOUT_MS = 1_000
ANSWER_TIMEOUT_MS = 5_000


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): the uid still separates users
        return str(os.getuid()) if hasattr(os, "getuid") else ""


def server_name(db_path: str | Path) -> str:
    """The local socket name for the library at ``db_path`` (the same for every spelling of it)."""
    resolved = os.path.normcase(str(Path(db_path).expanduser().resolve()))
    digest = hashlib.sha256(f"{_user()}\0{resolved}".encode()).hexdigest()
    return NAME_PREFIX + digest[:24]


def encode(message: dict[str, object]) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, object]:
    """One request or answer line as a dict; ValueError when it is not a JSON object."""
    value = json.loads(line.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def parse_request(line: bytes) -> tuple[str, list[str]]:
    """``(command, files)`` of a request line; ValueError (with a short reason) when it is not one."""
    try:
        message = decode(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not JSON") from exc
    if message.get("v") != PROTOCOL_VERSION:
        raise ValueError(f"unsupported protocol version {message.get('v')!r}")
    command = message.get("cmd")
    if command == "ping":
        return "ping", []
    if command != "open":
        raise ValueError(f"unknown command {command!r}")
    files = message.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f and "\0" not in f for f in files):
        raise ValueError("files must be a list of paths")
    return "open", list(files)


class Handoff(enum.Enum):
    """What :func:`hand_over` achieved."""

    NOT_RUNNING = "not running"  # nobody listens (or only a crashed window's socket file): start normally
    DELIVERED = "delivered"      # the running window has the files and comes to the front
    NO_ANSWER = "no answer"      # something listens but did not answer in time (or refused the request)


def request(name: str, message: dict[str, object], *, connect_timeout_ms: int | None = None,
            answer_timeout_ms: int | None = None) -> dict[str, object] | None:
    """Send one request to the server called ``name`` and return its answer.

    Blocking (``waitFor*``): for a second launch, before it has a window. Never from a thread of a
    process that also serves: PySide6 keeps the GIL inside ``waitFor*``, which stalls the server.
    Raises ConnectionError when nothing accepts the connection; returns None when the server
    accepted it but gave no valid answer in time."""
    connect_timeout_ms = CONNECT_TIMEOUT_MS if connect_timeout_ms is None else connect_timeout_ms
    answer_timeout_ms = ANSWER_TIMEOUT_MS if answer_timeout_ms is None else answer_timeout_ms
    sock = QLocalSocket()
    try:
        sock.connectToServer(name)
        if not sock.waitForConnected(connect_timeout_ms):
            raise ConnectionError(sock.errorString())
        sock.write(encode(message))
        deadline = time.monotonic() + answer_timeout_ms / 1000
        buffer = b""
        while b"\n" not in buffer:
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0:
                return None
            if sock.bytesToWrite():
                sock.waitForBytesWritten(remaining)
                continue
            ready = sock.waitForReadyRead(remaining)
            if sock.bytesAvailable():
                buffer += bytes(sock.readAll().data())
            elif not ready and sock.state() != QLocalSocket.LocalSocketState.ConnectedState:
                return None  # closed without an answer
            if len(buffer) > MAX_MESSAGE_BYTES:
                return None
        try:
            return decode(buffer.split(b"\n", 1)[0])
        except (UnicodeDecodeError, ValueError):
            return None
    finally:
        sock.abort()


def hand_over(db_path: str | Path, files: Sequence[str | Path], **timeouts: int | None) -> Handoff:
    """Give ``files`` (made absolute here: the running window has another working directory) to a
    window already running on the library at ``db_path``."""
    paths = [os.path.abspath(os.path.expanduser(str(f))) for f in files]
    try:
        answer = request(server_name(db_path), {"v": PROTOCOL_VERSION, "cmd": "open", "files": paths},
                         **timeouts)
    except ConnectionError:
        return Handoff.NOT_RUNNING
    if answer is not None and answer.get("ok") is True:
        return Handoff.DELIVERED
    return Handoff.NO_ANSWER


class _Connection(QObject):
    """One client: collects its request line (bounded in size and time), answers, closes."""

    def __init__(self, sock: QLocalSocket, owner: InstanceServer) -> None:
        super().__init__(owner)
        self.sock = sock
        self.owner = owner
        self.buffer = bytearray()
        self.done = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        sock.readyRead.connect(self._on_sock_ready_read)
        sock.disconnected.connect(self._on_sock_disconnected)
        self.timer.start(REQUEST_TIMEOUT_MS)
        if sock.bytesAvailable():
            QTimer.singleShot(0, self, self._on_sock_ready_read)

    def _on_sock_ready_read(self) -> None:
        if self.done:
            self.sock.readAll()
            return
        self.buffer += bytes(self.sock.readAll().data())
        if b"\n" in self.buffer:
            line = bytes(self.buffer.split(b"\n", 1)[0])
            try:
                command, files = parse_request(line)
            except ValueError as exc:
                self._answer({"ok": False, "error": str(exc)})
                return
            self._answer({"ok": True})
            if command == "open":
                self.owner.files_received.emit(files)
        elif len(self.buffer) > MAX_MESSAGE_BYTES:
            self._answer({"ok": False, "error": "request too large"})

    def _answer(self, message: dict[str, object]) -> None:
        self.done = True
        self.timer.stop()
        self.sock.write(encode(message))
        self.sock.disconnectFromServer()  # after the answer is written; then `disconnected`

    def _on_timer_timeout(self) -> None:
        log.info("dropped a local connection that sent no complete request")
        self.sock.abort()
        self._close()

    def _on_sock_disconnected(self) -> None:
        self._close()

    def _close(self) -> None:
        self.timer.stop()
        self.owner._forget(self)
        self.sock.deleteLater()
        self.deleteLater()


class InstanceServer(QObject):
    """The running window's end: listens on :func:`server_name` of its library.

    Signals:
        files_received(list): a second launch sent these absolute paths (maybe none: come to the front).
        started(bool): :meth:`start` is settled: listening (a second launch now reaches this
            window), or not (another live window has the name, or the OS refused).
    """

    files_received = Signal(list)
    started = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_server_new_connection)
        self._connections: set[_Connection] = set()
        self._probe: QLocalSocket | None = None

    def is_listening(self) -> bool:
        return self.server.isListening()

    def start(self) -> None:
        """Find out without blocking whether a live window owns the name; listen if none does.

        Probe first: with ``UserAccessOption`` Qt on Unix binds in a private directory and renames
        the socket into place, replacing whatever file is there, a live window's socket included."""
        probe = QLocalSocket(self)
        self._probe = probe
        probe.connected.connect(self._on_probe_connected)
        probe.errorOccurred.connect(self._on_probe_error_occurred)
        probe.connectToServer(self.name)

    def close(self) -> None:
        """Stop listening (removes the socket file) and drop pending clients."""
        self.server.close()
        for conn in list(self._connections):
            conn.sock.abort()

    def _listen(self) -> bool:
        if not self.server.listen(self.name):
            return False
        log.info("listening on %s", self.server.fullServerName())
        self.started.emit(True)
        return True

    def _not_listening(self, why: str) -> None:
        log.warning("not listening on %s: %s", self.name, why)
        self.started.emit(False)

    def _on_probe_connected(self) -> None:
        # another window on this library is alive (it started at the same moment): leave it be
        self._end_probe()
        self._not_listening("another window on this library listens there")

    def _on_probe_error_occurred(self, error: QLocalSocket.LocalSocketError) -> None:
        self._end_probe()
        if error in (QLocalSocket.LocalSocketError.ConnectionRefusedError,
                     QLocalSocket.LocalSocketError.ServerNotFoundError):
            # nobody there, or a socket file left by a window that crashed
            QLocalServer.removeServer(self.name)
            if not self._listen():
                self._not_listening(self.server.errorString())
        else:
            self._not_listening(f"cannot tell whether the name is in use ({error.name})")

    def _end_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.abort()
            probe.deleteLater()

    def _on_server_new_connection(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            if sock is not None:
                self._connections.add(_Connection(sock, self))

    def _forget(self, conn: _Connection) -> None:
        self._connections.discard(conn)
