"""First start seeding, importing files (with a bad one), and the --screenshot / --smoke entry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from reader.core.storage import Library
from tests.helpers.gui import wait_idle

REPO = Path(__file__).resolve().parents[2]


def test_first_start_seeds_the_library(make_window, qtbot, tmp_path: Path, seeds_dir: Path) -> None:  # noqa: ANN001
    db = tmp_path / "new.db"
    parts = make_window(db)  # waits for `ready`: seeding included
    w = parts.window
    n_seeds = len([p for p in seeds_dir.iterdir() if p.is_file()])
    assert n_seeds == 5
    assert w.model.total() == 5
    assert w.reader_pane.article_id() == w.model.id_at(0)
    assert w.reader_pane.plain_text().strip()
    assert w.last_import_summary is None  # seeding is quiet
    with Library(db) as lib:
        assert lib.article_count() == 5
        assert lib.get_setting("gui.seeded") is True
    # not seeded again on the next start, even when the user deleted everything
    w.article_list.selectAll()
    parts.controller.delete(w.model.ids(), None)
    wait_idle(qtbot, parts)
    assert w.model.total() == 0
    assert w.reader_pane.article_id() is None
    w.close()
    parts2 = make_window(db)
    assert parts2.window.model.total() == 0


def test_import_with_a_bad_file_lists_the_skip_reason(make_window, qtbot, tmp_path: Path,
                                                      seeds_copy: Path) -> None:  # noqa: ANN001
    from tests.helpers.library import populate

    db = tmp_path / "lib.db"
    populate(db, 2)
    batch = tmp_path / "batch"
    batch.mkdir()
    for p in sorted(seeds_copy.iterdir())[:3]:
        (batch / p.name).write_bytes(p.read_bytes())
    (batch / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (batch / "empty.txt").write_text("", encoding="utf-8")
    parts = make_window(db)
    w = parts.window
    with qtbot.waitSignal(parts.controller.import_finished, timeout=120_000) as blocker:
        # named files (as from the file dialog or a drop) are all tried, so the .pdf gets a reason
        parts.controller.import_paths(sorted(str(p) for p in batch.iterdir()))
    outcomes, cancelled, quiet = blocker.args
    assert not cancelled and not quiet
    statuses = sorted(o.status for o in outcomes)
    assert statuses.count("imported") == 3
    assert statuses.count("skipped") == 2
    dialog = w.last_import_summary
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    for o in outcomes:
        if o.status == "skipped":
            assert o.reason and o.reason in text
    assert "broken.pdf" in text and "empty.txt" in text
    wait_idle(qtbot, parts)
    assert w.model.total() == 5
    dialog.close()


def test_command_line_files_are_imported_and_the_first_shown(make_window, qtbot, tmp_path: Path,
                                                             seeds_copy: Path) -> None:  # noqa: ANN001
    from tests.helpers.library import populate

    db = tmp_path / "lib.db"
    populate(db, 3)
    files = sorted(str(p) for p in seeds_copy.iterdir())[:2]
    parts = make_window(db, files)
    w = parts.window
    assert w.model.total() == 5
    with Library(db) as lib:
        shown = lib.get_article(w.reader_pane.article_id())
    assert shown.file_name and Path(files[0]).name in shown.file_name


def _run_reader(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READER_DATA_DIR=str(tmp_path / "data"),
               READER_CONFIG_DIR=str(tmp_path / "config"))
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=180)


def test_screenshot_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    proc = _run_reader(["--db", str(tmp_path / "s.db"), "--screenshot", str(out), "--theme", "dark"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    with Library(tmp_path / "s.db") as lib:
        assert lib.article_count() == 5  # first-run seeding happened before the shot
    assert "Traceback" not in proc.stderr


def test_screenshot_neither_reads_nor_writes_the_persons_window_state(tmp_path: Path) -> None:
    """A screenshot shows the default layout (not the person's open panel or two-line rows) and
    leaves their window.ini byte for byte as it was (it used to save its 1280x800 geometry there)."""
    config = tmp_path / "config"
    config.mkdir()
    ini = config / "window.ini"
    ini.write_text("[annotations]\npanel_visible=true\n\n[list]\ntwo_line=true\n", encoding="utf-8")
    before = ini.read_bytes()
    out = tmp_path / "shot.png"
    proc = _run_reader(["--db", str(tmp_path / "s.db"), "--screenshot", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert ini.read_bytes() == before
    image = QImage(str(out))
    # the default layout: no panel at the right edge, so the reader pane's white page reaches it
    right = image.pixelColor(image.width() - 30, image.height() // 2)
    assert right.lightness() > 200


def test_smoke_exits_zero(tmp_path: Path) -> None:
    proc = _run_reader(["--smoke"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "smoke ok: 5 articles" in proc.stdout


def test_unusable_library_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-library.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    proc = _run_reader(["--db", str(bad), "--smoke"], tmp_path)  # --smoke uses its own temp library
    assert proc.returncode == 0
    proc = _run_reader(["--db", str(bad), "--screenshot", str(tmp_path / "x.png")], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("reader: ") and "Traceback" not in proc.stderr


def _many_files(folder: Path, seeds: Path, count: int) -> list[str]:
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())]
    out = []
    for i in range(count):
        path = folder / f"article_{i:04d}.txt"
        path.write_text(f"Article {i}\n\n{texts[i % len(texts)]}\n\nVersion {i}.", encoding="utf-8")
        out.append(str(path))
    return out


def test_import_can_be_cancelled_from_the_status_bar(make_window, qtbot, tmp_path: Path,
                                                     seeds_dir: Path) -> None:  # noqa: ANN001
    from tests.helpers.library import populate

    db = tmp_path / "lib.db"
    populate(db, 1)
    files = _many_files(tmp_path / "many", seeds_dir, 300)
    parts = make_window(db)
    w = parts.window
    with qtbot.waitSignal(parts.controller.import_finished, timeout=120_000) as blocker:
        parts.controller.import_paths(files)
        assert w.import_progress.isVisible()
        qtbot.waitUntil(lambda: "Importing" in w.import_progress.label.text() and w.import_progress.bar.value() > 0,
                        timeout=60_000)
        w.import_progress.cancel.click()
    outcomes, cancelled, _quiet = blocker.args
    assert cancelled
    assert 0 < len(outcomes) < 300
    assert not w.import_progress.isVisible()
    assert "cancelled" in w.last_import_summary.windowTitle().lower()
    wait_idle(qtbot, parts)
    with Library(db) as lib:
        assert lib.article_count() == 1 + sum(o.status == "imported" for o in outcomes)
    w.last_import_summary.close()


def test_drop_files_onto_the_window_imports_them(make_window, qtbot, tmp_path: Path,
                                                 seeds_dir: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from tests.helpers.library import populate

    db = tmp_path / "lib.db"
    populate(db, 1)
    files = _many_files(tmp_path / "drop", seeds_dir, 2)
    parts = make_window(db)
    w = parts.window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(f) for f in files])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(parts.controller.import_finished, timeout=60_000):
        w.dropEvent(event)
    wait_idle(qtbot, parts)
    assert w.model.total() == 3
    w.last_import_summary.close()


def test_version_and_help_do_not_load_qt(tmp_path: Path) -> None:
    code = ("import sys, contextlib, io; import reader.__main__ as m\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): m.main(['--version'])\n"
            "print('PySide6' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
