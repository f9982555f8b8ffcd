"""Secrets: an API key never appears in logs, exports, backups, settings, the library file or messages.

A distinctive key is stored through :mod:`reader.core.secrets` (the user-only file) and given through
READER_LIBRE_KEY / READER_DEEPL_KEY. Translation runs against the fake LibreTranslate and DeepL
servers of tests/helpers/fakes.py, with their error answers replaced by ones that ECHO the
key the client sent (as real services sometimes do). Then every file produced (library, WAL, exports,
backup zip and each member, settings.json, the GUI log), the CLI's stdout/stderr and every log record
are searched for the key: zero occurrences. The only place the key may be is the secrets store itself.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main as cli_main
from reader.core import secrets
from reader.core.errors import ReaderError
from reader.core.settings import Settings, load_settings, save_settings, settings_path
from reader.core.storage import Library
from reader.core.translation.providers import make_online_provider
from reader.core.translation.service import TranslationService
from reader.paths import config_dir, data_dir
from tests.helpers import fakes

KEY = "sk-TEST-SECRET-12345"
ENV_KEY = "env-TEST-SECRET-67890:fx"
REPO = Path(__file__).resolve().parents[2]



class _EchoKeyHandler(fakes._Handler):
    """The fakes' handler, but an error answer quotes the key the client sent (param or header)."""

    def _send(self, status: int, body: str, ctype: str) -> None:
        if status >= 400:
            seen = self.state.seen[-1].params if self.state.seen else {}
            key = seen.get("api_key") or seen.get("auth_key") or self.headers.get("Authorization", "")
            body = json.dumps({"error": f"Invalid API key: {key}", "message": f"key={key} rejected",
                               "detail": f"POST /translate?api_key={key} -> {status}"})
        super()._send(status, body, ctype)


def echo_server(kind: str) -> fakes.FakeServer:
    server = fakes.FakeServer(kind)
    server.httpd.RequestHandlerClass = type(f"Echo{kind.title()}", (_EchoKeyHandler,), {"state": server.state})
    return server


@pytest.fixture
def libre(monkeypatch: pytest.MonkeyPatch) -> Iterator[fakes.FakeServer]:
    server = echo_server("libre")
    monkeypatch.setenv("READER_LIBRE_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def deepl() -> Iterator[fakes.FakeServer]:
    server = echo_server("deepl")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_NO_KEYRING", "1")  # the user-only file, never this machine's keyring


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of the app's loggers (DEBUG up) and of any library at WARNING and up."""
    caplog.set_level(logging.DEBUG, logger="reader")
    caplog.set_level(logging.WARNING)
    return caplog


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for r in caplog.records:
        if r.name.startswith("reader") or r.levelno >= logging.WARNING:
            parts.append(r.getMessage())
            if r.exc_info:
                parts.append(logging.Formatter().formatException(r.exc_info))
    return "\n".join(parts)


def files_containing(root: Path, needle: str, *, allow: tuple[Path, ...] = ()) -> list[str]:
    """Every file under ``root`` (zip members too) whose bytes contain ``needle`` (UTF-8 or UTF-16)."""
    patterns = [needle.encode("utf-8"), needle.encode("utf-16-le")]
    found: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path in allow:
            continue
        data = path.read_bytes()
        if any(p in data for p in patterns):
            found.append(str(path))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    member = zf.read(name)
                    if any(p in member for p in patterns):
                        found.append(f"{path}!{name}")
    return found


def run(db: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli_main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_echo_server_really_returns_the_key(libre: fakes.FakeServer) -> None:
    """The zero counts below mean something only if the error answers do carry the key."""
    import requests

    libre.state.script = ["403"]
    resp = requests.post(libre.url + "translate", params={"q": "x", "api_key": KEY}, timeout=5)
    assert resp.status_code == 403 and KEY in resp.text


def test_cli_translate_errors_export_backup_never_show_the_key(tmp_path: Path, libre: fakes.FakeServer,
                                                               seeds_dir: Path, all_logs,  # noqa: ANN001
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "library.db"
    outputs: list[str] = []
    code, out, err = run(db, "import", str(seeds_dir), capsys=capsys)
    assert code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY + "\n"))
    code, out, err = run(db, "keys", "set", "libre", capsys=capsys)
    assert code == 0 and "saved the libre key" in out
    outputs += [out, err]
    assert secrets.get_key("libre") == KEY
    save_settings(Settings(libre_url=libre.url, online_provider="libre", provider="libre"))

    with Library(db) as lib:
        ids = [i for i in lib.list_ids() if lib.get_article(i).lang != "en"]  # English needs no provider
    assert len(ids) >= 3
    # 1: a good translation (the key is sent), 2: refused with the key echoed, 3: server errors with
    # the key echoed on every retry, 4: an answer that is not a translation
    code, out, err = run(db, "translate", str(ids[0]), capsys=capsys)
    assert code == 0, err
    outputs += [out, err]
    assert libre.state.seen and all(s.params.get("api_key") == KEY for s in libre.state.seen)
    sent_before = libre.hits
    for script, expect in ((["403"] * 20, "refused"), (["500"] * 40, "server failed"),
                           (["garbage"] * 20, "could not be read")):
        libre.state.script = list(script)
        code, out, err = run(db, "translate", str(ids[1]), "--retranslate", capsys=capsys)
        assert code != 0 and expect in err, err
        outputs += [out, err]
        code, out, err = run(db, "translate", str(ids[1]), "--retranslate", "--json", capsys=capsys)
        outputs += [out, err]
        libre.state.script = []
    assert libre.hits > sent_before + 3
    # the same through the environment variable (overrides the stored key)
    monkeypatch.setenv("READER_LIBRE_KEY", ENV_KEY)
    libre.state.script = ["403"] * 20
    code, out, err = run(db, "translate", str(ids[2]), capsys=capsys)
    assert code != 0 and libre.state.seen[-1].params.get("api_key") == ENV_KEY
    outputs += [out, err]
    libre.state.script = []
    monkeypatch.delenv("READER_LIBRE_KEY")

    # notes, exports, backup
    assert run(db, "highlight", str(ids[0]), "--quote", "a", "--note", "see the api key?", capsys=capsys)[0] in (0, 1)
    export_dir = tmp_path / "exports"
    for argv in (["export", "--all", "-o", str(export_dir / "md")],
                 ["export", "--all", "-o", str(export_dir / "all.md")],
                 ["export", "--all", "-f", "json", "-o", str(export_dir / "all.json")],
                 ["backup", str(export_dir / "backup.zip")],
                 ["show", str(ids[0]), "--translated"],
                 ["list"]):
        code, out, err = run(db, *argv, capsys=capsys)
        assert code == 0, (argv, err)
        outputs += [out, err]
    assert (export_dir / "backup.zip").exists() and (export_dir / "all.json").exists()

    text = "\n".join(outputs) + log_text(all_logs)
    assert KEY not in text and ENV_KEY not in text
    assert "refused" in text  # the errors were shown, just without the key
    for needle in (KEY, ENV_KEY):
        assert files_containing(tmp_path, needle) == []
        assert files_containing(data_dir(), needle) == []
        # the secrets store is the one place the stored key lives (mode 0600)
        assert files_containing(config_dir(), needle) == ([str(secrets.secrets_file())] if needle == KEY else [])
    assert KEY not in settings_path().read_text(encoding="utf-8")
    assert load_settings().libre_url == libre.url


def test_service_with_env_keys_and_echoing_errors(tmp_path: Path, seeds_dir: Path, deepl: fakes.FakeServer,
                                                  libre: fakes.FakeServer, all_logs,  # noqa: ANN001
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "library.db"
    assert cli_main(["--db", str(db), "import", str(seeds_dir)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("READER_DEEPL_KEY", ENV_KEY)
    monkeypatch.setenv("READER_LIBRE_KEY", KEY)
    deepl_provider = make_online_provider("deepl", deepl_key=secrets.get_key("deepl"), base_url=deepl.url,
                                          timeout=5)
    with Library(db) as lib:
        ids = [i for i in lib.list_ids() if lib.get_article(i).lang != "en"]
        service = TranslationService(lib, Settings(libre_url=libre.url, provider="libre"),
                                     providers={"deepl": deepl_provider})
        messages: list[str] = []
        try:
            ok = service.translate_article(ids[0], "en", provider="deepl")
            assert ok.complete, ok.summary()
            assert deepl.state.seen
            for server, provider, article_id in ((deepl, "deepl", ids[1]), (libre, "libre", ids[2])):
                for script in (["403"] * 20, ["500"] * 40, ["429"] * 40):
                    server.state.script = list(script)
                    events: list[str] = []
                    try:
                        report = service.translate_article(article_id, "en", provider=provider, retranslate=True,
                                                           on_event=lambda e, ev=events: ev.append(repr(e)))
                        messages.append(report.summary())
                        messages.append(json.dumps(report.to_json()))
                    except ReaderError as exc:
                        messages.append(str(exc))
                    messages += events
                    try:
                        service.translate_selection("Casa este frumoasă.", "ro", "en", provider=provider)
                    except ReaderError as exc:
                        messages.append(str(exc))
                    server.state.script = []
        finally:
            service.close()
    sent = [s.params.get("auth_key") or s.params.get("api_key") for s in deepl.state.seen + libre.state.seen]
    assert ENV_KEY in sent and KEY in sent  # the keys really went to the servers...
    text = "\n".join(messages) + log_text(all_logs) + "\n".join(capsys.readouterr())
    assert any("key was refused" in m or "refused" in m for m in messages), messages
    for needle in (KEY, ENV_KEY):  # ...and came back in the error bodies, but nowhere in our output
        assert needle not in text
        assert files_containing(tmp_path, needle) == []
        assert files_containing(data_dir(), needle) == []


def test_gui_log_and_crash_handler_never_write_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """reader-gui.log: the app's log records and the unexpected-exception hook's traceback."""
    from reader.gui import app as gui_app

    secrets.remember(KEY)
    logger = logging.getLogger("reader")
    before_handlers, before_level = list(logger.handlers), logger.level
    before_hook = sys.excepthook
    try:
        gui_app._configure_logging()
        gui_app.install_excepthook(lambda: None)
        log = logging.getLogger("reader.gui.translation")
        log.error("translation job failed: %s", f"https://api.example/translate?auth_key={KEY}&q=x")
        log.warning("provider said: Invalid API key: %s", KEY)
        try:
            raise RuntimeError(f"HTTPSConnectionPool: Max retries exceeded with url: /v2?auth_key={KEY}")
        except RuntimeError as exc:
            log.error("background job failed", exc_info=(type(exc), exc, exc.__traceback__))
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        for h in logger.handlers:
            if h not in before_handlers:
                h.close()
        logger.handlers[:] = before_handlers
        logger.setLevel(before_level)
        sys.excepthook = before_hook
    log_file = gui_app.log_path()
    content = log_file.read_text(encoding="utf-8")
    assert "Max retries exceeded" in content and "Invalid API key" in content  # the records are there...
    assert KEY not in content  # ...without the key
    out, err = capsys.readouterr()
    assert "Something went wrong" in err and KEY not in err + out


def test_cli_internal_error_message_is_redacted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception in a command prints one line; a key in its message is masked."""
    monkeypatch.setenv("READER_LIBRE_KEY", KEY)
    assert secrets.get_key("libre") == KEY

    def boom(self: Library, *args: object, **kwargs: object) -> list[object]:
        raise RuntimeError(f"could not reach http://h/translate?api_key={KEY} ({KEY})")

    monkeypatch.setattr(Library, "list_articles", boom)
    code = cli_main(["--db", str(tmp_path / "l.db"), "list"])
    out, err = capsys.readouterr()
    assert code == 70 and "internal error" in err
    assert KEY not in out + err


def test_redact_masks_keys_in_urls_headers_and_json() -> None:
    secrets.remember(KEY)
    for message in (f"Invalid API key: {KEY}", f"?q=a&api_key={KEY}&x=1", f"Authorization: DeepL-Auth-Key {KEY}",
                    json.dumps({"error": KEY}), f"auth_key={KEY.lower()}", f"token={KEY[::-1]}"):
        assert KEY not in secrets.redact(message) and KEY.lower() not in secrets.redact(message)


def test_preferences_keep_keys_out_of_settings_and_the_ui(qtbot, libre: fakes.FakeServer) -> None:  # noqa: ANN001
    """The GUI's preferences page: typed keys go to the secrets store, never to settings.json."""
    from reader.gui.widgets.translation_prefs import TranslationPrefsPage

    page = TranslationPrefsPage(Settings())
    qtbot.addWidget(page)
    page.libre_url.setText(libre.url)
    page.libre_key.setText(KEY)
    page.deepl_key.setText(ENV_KEY)
    save_settings(page.apply(Settings()))
    assert page.store_keys() == []
    assert secrets.get_key("libre") == KEY and secrets.get_key("deepl") == ENV_KEY
    again = TranslationPrefsPage(load_settings())  # reopened: the fields never show a stored key
    qtbot.addWidget(again)
    assert again.libre_key.text() == "" and KEY not in again.libre_key.placeholderText()
    assert "stored" in again.libre_key.placeholderText()
    for needle in (KEY, ENV_KEY):
        assert needle not in settings_path().read_text(encoding="utf-8")
        assert files_containing(config_dir(), needle) == [str(secrets.secrets_file())]
        assert files_containing(data_dir(), needle) == []
    assert oct(secrets.secrets_file().stat().st_mode & 0o777) == "0o600"
