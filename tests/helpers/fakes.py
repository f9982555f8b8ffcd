"""Fake Google, MyMemory, LibreTranslate and DeepL servers on 127.0.0.1 for the translation tests.

The real deep-translator code talks to these over real HTTP. Each server records every request
(method, path, query and the text it carried) and follows a script of actions for its next requests:
``ok`` (default), ``429``, ``500``, ``403``, ``slow`` (sleeps longer than the client's timeout),
``garbage`` (a body that is not the wire format) and ``quota`` (MyMemory's quota message as the
translated text). The "translation" is a fixed word list plus upper-casing, so results are checkable
and paragraph breaks survive (like the real services).
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WORDS = {
    "pisica": "cat", "pisică": "cat", "câinele": "the dog", "casa": "house", "frumoasă": "beautiful",
    "marea": "the sea", "este": "is", "și": "and", "copacul": "the tree", "verde": "green",
}
QUOTA_TEXT = ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  "
              "10 HOURS 20 MINUTES 11 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP "
              "TO TRANSLATE MORE")


def fake_translate(text: str) -> str:
    """Known words translated, everything else upper-cased; whitespace (paragraph breaks) kept."""
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        return WORDS.get(w.lower(), w.upper())
    return re.sub(r"\w+", word, text)


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, str]
    text: str


@dataclass
class FakeState:
    kind: str
    script: list[str] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    slow_seconds: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self) -> str:
        with self.lock:
            return self.script.pop(0) if self.script else "ok"


class _Handler(BaseHTTPRequestHandler):
    state: FakeState

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: str, ctype: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length).decode("utf-8", "replace")
            params.update({k: v[-1] for k, v in parse_qs(body).items()})
        kind = self.state.kind
        text = params.get("q", params.get("text", ""))
        with self.state.lock:
            self.state.seen.append(Seen(method, parts.path, params, text))
        action = self.state.next_action()
        if action == "slow":
            time.sleep(self.state.slow_seconds)
        if action == "429":
            return self._send(429, json.dumps({"error": "Too many requests"}), "application/json")
        if action in ("500", "403"):
            return self._send(int(action), json.dumps({"error": f"fake error {action} key=secret-in-body"}),
                              "application/json")
        if action == "garbage":
            return self._send(200, "<html>\x00 not what you expected {", "text/html")
        translated = QUOTA_TEXT if action == "quota" else fake_translate(text)
        if kind == "google":
            if parts.path != "/m":
                return self._send(404, "not found", "text/plain")
            page = f'<html><body><div class="result-container">{html.escape(translated)}</div></body></html>'
            return self._send(200, page, "text/html; charset=utf-8")
        if kind == "mymemory":
            data = {"responseData": {"translatedText": translated, "match": 1},
                    "responseStatus": 200, "matches": []}
            return self._send(200, json.dumps(data), "application/json")
        if kind == "deepl":
            if parts.path != "/translate":
                return self._send(404, json.dumps({"message": "Not Found"}), "application/json")
            data = {"translations": [{"detected_source_language": params.get("source_lang", ""),
                                      "text": translated}]}
            return self._send(200, json.dumps(data), "application/json")
        if kind == "libre":
            if parts.path != "/translate":
                return self._send(404, json.dumps({"error": "Not Found"}), "application/json")
            return self._send(200, json.dumps({"translatedText": translated}), "application/json")
        return self._send(500, "unknown fake", "text/plain")

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")


class FakeServer:
    """A running fake provider: ``url``, ``state`` (script, seen); ``stop()`` shuts it down."""

    def __init__(self, kind: str) -> None:
        self.state = FakeState(kind)
        handler = type(f"{kind.title()}Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), name=f"fake-{kind}",
                                       daemon=True)
        self.thread.start()

    @property
    def hits(self) -> int:
        return len(self.state.seen)

    @property
    def endpoint(self) -> str:
        """The URL a deep-translator instance is pointed at."""
        return {"google": self.url + "m", "mymemory": self.url + "get", "libre": self.url,
                "deepl": self.url}[self.state.kind]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
