"""reader-cli feeds / opml / save, run as a user would against servers on 127.0.0.1 (never the internet):
the issue's done-whens for the command line, the JSON shape, one-line errors and exit codes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from tests.core.feeds.conftest import FakeServer, Reply
from tests.helpers.feed_sites import FOOTER_TEXT, PARAGRAPHS, DeadServer, article_page, serve_site

FEED_JSON_KEYS = {"id", "title", "url", "site_url", "folder", "full_text", "translate_to", "keep_days",
                  "interval_minutes", "unread", "last_fetched", "last_ok", "last_error", "failures"}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # the CLI's client honours proxies: none may be used here
    fake = FakeServer()
    # A client closing its kept-alive connection when a command ends is not the command's output:
    # the server must not print socketserver's report of it into the captured stderr.
    fake.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
    fake.start()
    try:
        yield fake
    finally:
        fake.close()


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_feeds_add_a_site_list_json_and_refresh_gets_304(capsys: pytest.CaptureFixture[str], db_path: Path,
                                                         server: FakeServer) -> None:
    site = serve_site(server)
    code, out, err = run(capsys, db_path, "feeds", "add", site.page, "--folder", "News")
    assert code == 0, err
    assert out.splitlines() == [f"subscribed #1 Example Daily <{site.feed}>", "#1 Example Daily: 2 new, 0 updated"]
    code, out, _ = run(capsys, db_path, "feeds", "list", "--json")
    (row,) = json.loads(out)
    assert set(row) == FEED_JSON_KEYS
    assert (row["folder"], row["unread"], row["last_error"], row["site_url"]) == ("News", 2, None, site.page)
    code, out, _ = run(capsys, db_path, "list", "--json", "--query", "feed:1")
    rows = json.loads(out)
    assert {r["url"] for r in rows} == set(site.links) and {r["feed_id"] for r in rows} == {1}
    assert {r["source"] for r in rows} == {"Example Daily"}
    code, out, _ = run(capsys, db_path, "show", str(rows[0]["id"]))
    assert PARAGRAPHS[1] in out and FOOTER_TEXT not in out
    code, out, _ = run(capsys, db_path, "search", "bridge", "feed:Example", "--json")
    assert len(json.loads(out)) == 2
    pages_before = sum(len(server.requests_to(p)) for p in site.page_paths)
    code, out, _ = run(capsys, db_path, "feeds", "refresh")
    assert (code, out) == (0, "#1 Example Daily: not modified\n")
    assert server.seen[-1].headers["if-none-match"] == site.etag
    assert server.seen[-1].headers["if-modified-since"] == site.last_modified
    assert sum(len(server.requests_to(p)) for p in site.page_paths) == pages_before
    code, out, _ = run(capsys, db_path, "list", "--json")
    assert len(json.loads(out)) == 2
    code, out, _ = run(capsys, db_path, "feeds", "list")
    assert out.startswith("#1    News/ Example Daily") and "(2 unread)" in out


@pytest.mark.slow
def test_opml_import_two_folders_dead_server_with_the_default_limits_then_export(
        capsys: pytest.CaptureFixture[str], db_path: Path, server: FakeServer, tmp_path: Path) -> None:
    site = serve_site(server)
    with DeadServer() as dead:
        opml = tmp_path / "subs.opml"
        opml.write_text(f"""<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
            <outline title="News"><outline type="rss" text="Daily" xmlUrl="{site.feed}"/></outline>
            <outline title="Gone"><outline type="rss" text="Dead one" xmlUrl="{dead.url('/feed')}"/></outline>
            </body></opml>""", encoding="utf-8")
        start = time.monotonic()
        code, out, err = run(capsys, db_path, "opml", "import", str(opml))
        elapsed = time.monotonic() - start
    assert elapsed < 90, elapsed  # the default read timeout (30 s) ends the silent server
    assert code == 1 and err == ""  # a feed failed: said on its line, exit 1
    lines = out.splitlines()
    assert "#1 Daily: 2 new, 0 updated" in lines and lines[-1] == "2 feeds added, 1 failed to fetch"
    assert any(line.startswith("#2 Dead one: failed: ") and "30 s" in line for line in lines)
    code, out, _ = run(capsys, db_path, "feeds", "list", "--json")
    feeds = {f["title"]: f for f in json.loads(out)}
    assert feeds["Daily"]["folder"] == "News" and feeds["Dead one"]["folder"] == "Gone"
    assert feeds["Dead one"]["last_error"] and feeds["Dead one"]["failures"] == 1
    target = tmp_path / "out.opml"
    code, out, _ = run(capsys, db_path, "opml", "export", "-o", str(target))
    assert code == 0 and out == f"wrote 2 feeds to {target}\n"
    text = target.read_text(encoding="utf-8")
    assert 'text="News"' in text and 'text="Gone"' in text and site.feed in text
    code, out, _ = run(capsys, db_path, "opml", "export")
    assert out == text.replace(text.split("<dateCreated>")[1].split("<")[0],
                               out.split("<dateCreated>")[1].split("<")[0])


def test_refresh_prints_a_line_per_feed_and_exits_1_if_any_failed(
        capsys: pytest.CaptureFixture[str], db_path: Path, server: FakeServer) -> None:
    site = serve_site(server)
    assert run(capsys, db_path, "feeds", "add", site.feed, "--full-text", "never")[0] == 0
    server.route("/gone.xml", Reply(body=b"<rss><channel><title>G</title></channel></rss>"))
    assert run(capsys, db_path, "feeds", "add", server.url("/gone.xml"), "--title", "Soon gone")[0] == 0
    server.route("/gone.xml", Reply(410, b"gone", content_type="text/plain"))
    code, out, err = run(capsys, db_path, "feeds", "refresh")
    assert code == 1 and err == ""
    assert sorted(out.splitlines()) == ["#1 Example Daily: not modified",
                                        f"#2 Soon gone: failed: {server.url('/gone.xml')}: the server answered 410 Gone"]
    code, out, _ = run(capsys, db_path, "feeds", "refresh", "1")
    assert (code, out) == (0, "#1 Example Daily: not modified\n")
    code, _, err = run(capsys, db_path, "feeds", "refresh", "7")
    assert code == 1 and err == "reader-cli: no feed #7\n"


def test_not_a_feed_and_bad_input_are_one_line(capsys: pytest.CaptureFixture[str], db_path: Path,
                                              server: FakeServer, tmp_path: Path) -> None:
    page = server.route("/blog/", Reply(body=b"<html><body><p>just a page</p></body></html>", content_type="text/html"))
    code, out, err = run(capsys, db_path, "feeds", "add", page)
    assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("reader-cli: no feed found at ")
    code, _, err = run(capsys, db_path, "feeds", "add", "ftp://127.0.0.1/x")
    assert code == 1 and err.count("\n") == 1
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"\x00\x01 not xml")
    code, _, err = run(capsys, db_path, "opml", "import", str(bad))
    assert code == 1 and err.count("\n") == 1 and "OPML" in err
    with pytest.raises(SystemExit) as exited:
        run(capsys, db_path, "feeds", "add", server.url("/blog/"), "--full-text", "sometimes")
    assert exited.value.code == 2 and "invalid choice" in capsys.readouterr().err
    code, out, _ = run(capsys, db_path, "feeds", "list", "--json")
    assert json.loads(out) == []
    for bare in ("feeds", "opml"):
        code, out, err = run(capsys, db_path, bare)
        assert code == 2 and out == "" and err.startswith(f"usage: reader-cli {bare} ")


def test_save_stores_a_page_then_reports_a_duplicate(capsys: pytest.CaptureFixture[str], db_path: Path,
                                                     server: FakeServer) -> None:
    url = server.route("/post.html", Reply(body=article_page("A saved post", PARAGRAPHS), content_type="text/html"))
    code, out, err = run(capsys, db_path, "save", url)
    assert code == 0, err
    assert out == f"{url}: imported #1 [en] A saved post\n"
    code, out, _ = run(capsys, db_path, "save", url, server.url("/missing.html"))
    assert code == 1
    first, second = out.splitlines()
    assert first == f"{url}: duplicate of #1"
    assert second.startswith(f"{server.url('/missing.html')}: skipped: ") and "404" in second
    assert len(server.requests_to("/post.html")) == 1
    code, out, _ = run(capsys, db_path, "show", "1", "--json")
    shown = json.loads(out)
    assert shown["url"] == url and shown["feed_id"] is None and FOOTER_TEXT not in shown["body"]


def test_feeds_edit_and_remove(capsys: pytest.CaptureFixture[str], db_path: Path, server: FakeServer) -> None:
    site = serve_site(server)
    run(capsys, db_path, "feeds", "add", site.feed, "--full-text", "never", "--folder", "Old")
    code, out, err = run(capsys, db_path, "feeds", "edit", "1", "--title", "Mine", "--folder", "",
                         "--keep-days", "14", "--interval", "120", "--full-text", "always")
    assert code == 0, err
    code, out, _ = run(capsys, db_path, "feeds", "list", "--json")
    (row,) = json.loads(out)
    assert (row["title"], row["folder"], row["keep_days"], row["interval_minutes"], row["full_text"]) == (
        "Mine", None, 14, 120, "always")
    code, _, err = run(capsys, db_path, "feeds", "edit", "1", "--interval", "2")
    assert code == 1 and "interval" in err and err.count("\n") == 1
    run(capsys, db_path, "star", "1")
    code, out, _ = run(capsys, db_path, "feeds", "remove", "1", "--delete-articles")
    assert (code, out) == (0, "unsubscribed #1 Mine: 1 article deleted; 1 starred or annotated kept\n")
    code, out, _ = run(capsys, db_path, "list", "--json")
    (kept,) = json.loads(out)
    assert kept["id"] == 1 and kept["feed_id"] is None


def test_opml_export_never_overwrites_the_library(capsys: pytest.CaptureFixture[str], db_path: Path,
                                                 server: FakeServer, tmp_path: Path) -> None:
    site = serve_site(server)
    run(capsys, db_path, "feeds", "add", site.feed, "--full-text", "never")
    before = db_path.read_bytes()
    code, out, err = run(capsys, db_path, "opml", "export", "-o", str(db_path))
    assert code == 1 and out == "" and err.count("\n") == 1 and "library" in err
    assert db_path.read_bytes() == before
    (tmp_path / "folder.opml").mkdir()
    code, _, err = run(capsys, db_path, "opml", "export", "-o", str(tmp_path / "folder.opml"))
    assert code == 1 and err.count("\n") == 1
