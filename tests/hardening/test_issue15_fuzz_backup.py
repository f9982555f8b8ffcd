"""Issue 15, fuzzing backups structure-aware: manifests and rows changed field by field (types,
sizes, nesting, numbers out of range, base64 markers), bytes of members flipped. Every restore
either succeeds or raises one of our errors (a ``ReaderError``), never anything else, and a
refused restore leaves the library as it was. Bounded to well under a minute."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import export
from reader.core.errors import ReaderError
from reader.core.models import LanguageGuess, ParsedArticle
from reader.core.storage import Library

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**25), max_value=10**25),
                         st.floats(allow_nan=False), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                              st.dictionaries(st.text(max_size=8), c, max_size=4)),
                           max_leaves=12)
odd_values = st.one_of(json_values, st.builds(lambda v: {"$base64": v}, json_values),
                       st.just({"$base64": "@@notbase64"}), st.just([[[[[]]]]]))


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzb")
    with Library(folder / "lib.db") as lib:
        for i in range(3):
            lib.add_article(ParsedArticle(f"Title {i}", (f"Body {i}.",), tags=("a/b",)), LanguageGuess("en", 0.9))
        lib.set_setting("k", {"v": 1})
        export.backup(lib, folder / "good.zip")
    return folder / "good.zip"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write(dest: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _restore_is_clean(tmp_path: Path, members: dict[str, bytes], n: int) -> None:
    bad = tmp_path / f"b{n}.zip"
    _write(bad, members)
    with Library(tmp_path / f"l{n}.db") as lib:
        try:
            export.restore(lib, bad, settings_path=tmp_path / f"s{n}.json")
        except ReaderError:
            assert export.library_is_empty(lib)
        except Exception as exc:  # anything else would be "internal error"
            raise AssertionError(f"{type(exc).__name__}: {exc}") from exc
    bad.unlink()


_counter = iter(range(10**9))
FUZZ = settings(max_examples=70, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_fuzz_manifest_fields(good_backup: Path, tmp_path: Path, data: st.DataObject) -> None:
    members = _members(good_backup)
    manifest: dict[str, Any] = json.loads(members["manifest.json"])
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(["top", "table"]))
        if where == "top":
            key = data.draw(st.sampled_from(["format", "version", "schema", "tables", "settings_sha256",
                                             "created_at", "app_version"]))
            if data.draw(st.booleans()):
                manifest.pop(key, None)
            else:
                manifest[key] = data.draw(json_values)
        elif isinstance(manifest.get("tables"), dict) and manifest["tables"]:
            table = data.draw(st.sampled_from(sorted(manifest["tables"])))
            meta = manifest["tables"][table]
            if isinstance(meta, dict):
                key = data.draw(st.sampled_from(["columns", "rows", "sha256"]))
                meta[key] = data.draw(json_values)
    members["manifest.json"] = json.dumps(manifest).encode()
    _restore_is_clean(tmp_path, members, next(_counter))


@FUZZ
@given(data=st.data())
def test_fuzz_rows(good_backup: Path, tmp_path: Path, data: st.DataObject) -> None:
    members = _members(good_backup)
    manifest = json.loads(members["manifest.json"])
    table = data.draw(st.sampled_from(["articles", "tags", "article_tags", "settings"]))
    name = f"tables/{table}.jsonl"
    rows = [json.loads(line) for line in members[name].splitlines()]
    if rows:
        i = data.draw(st.integers(0, len(rows) - 1))
        how = data.draw(st.sampled_from(["value", "width", "not a list", "raw"]))
        if how == "value":
            rows[i][data.draw(st.integers(0, len(rows[i]) - 1))] = data.draw(odd_values)
        elif how == "width":
            rows[i] = rows[i][:-1] if data.draw(st.booleans()) else [*rows[i], 1]
        elif how == "not a list":
            rows[i] = data.draw(json_values)
    body = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    if rows and data.draw(st.booleans()):
        body += data.draw(st.binary(max_size=30))
    members[name] = body
    if data.draw(st.booleans()):  # a consistent checksum, so the row itself is what is judged
        manifest["tables"][table]["sha256"] = hashlib.sha256(body).hexdigest()
        manifest["tables"][table]["rows"] = body.count(b"\n") + (0 if body.endswith(b"\n") or not body else 1)
    members["manifest.json"] = json.dumps(manifest).encode()
    _restore_is_clean(tmp_path, members, next(_counter))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member=st.sampled_from(["manifest.json", "settings.json", "tables/articles.jsonl"]),
       flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=5))
def test_fuzz_member_bytes(good_backup: Path, tmp_path: Path, member: str, flips: list[tuple[int, int]]) -> None:
    members = _members(good_backup)
    raw = bytearray(members[member])
    for pos, x in flips:
        raw[pos % len(raw)] ^= x
    members[member] = bytes(raw)
    _restore_is_clean(tmp_path, members, next(_counter))
