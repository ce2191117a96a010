"""Two windows on one project, and a window facing bad files, a full disk or a damaged page.

The first window to open a project holds ``<project>.assay.lock``; a second one
(another MainWindow here, or a real second Assay process) opens it read-only,
says who has it, refuses every change through the same keys and menus a
reviewer uses, and still exports. A lock left by a killed process is taken over.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project
from gui.window.main_window import MainWindow
from tests.file_helpers import skip_unless_chmod_binds
from tests.gui_helpers import click_offset, drag_select, where, window_process
from tests.test_faults import big_damaged as big_damaged  # a fixture, shared
from tests.test_faults import corrupt_middle

TEXTS = [
    "Lithium prices fell in Chile.\nThe U.S. Department of Energy granted $200 million.",
    "Cobalt output in the DRC rose 30% in 2024, the IEA said.",
    "Japan bought graphite from Mozambique, Reuters reported.",
]


@pytest.fixture
def project_path(tmp_path) -> Path:
    path = tmp_path / "shared.assay"
    with Project.create(path, name="shared", rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text=text, title=f"Article {i}", spans=(
                (SpanIn(*where(text, "Cobalt"), "MINERAL"), SpanIn(*where(text, "DRC"), "ORG"))
                if i == 2 else ()))
            for i, text in enumerate(TEXTS, 1)])
    return path


class Modals:
    """Closes each message box or file dialog that opens (they block) and keeps its text."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            self.seen.append(widget.text())
            widget.close()
        elif isinstance(widget, QFileDialog):
            self.seen.append("file dialog")
            widget.reject()


@pytest.fixture
def modals():
    watcher = Modals()
    yield watcher
    watcher.timer.stop()


def make_window(qtbot, tmp_path: Path, reviewer: str, path: Path | None = None) -> MainWindow:
    settings = QSettings(str(tmp_path / f"settings-{reviewer}.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, reviewer)
    win.act_popup.setChecked(False)
    win._toggle_popup()
    qtbot.addWidget(win)
    if path is not None:
        assert win.open_project(path)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def contents(path: Path) -> tuple:
    """Everything a reviewer could change, read straight from the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return tuple(conn.execute(sql).fetchall() for sql in (
            "SELECT id, status, note, reviewed_by, model FROM articles ORDER BY id",
            'SELECT id, article_id, start, "end", label, state, kb_id FROM spans ORDER BY id',
            "SELECT count(*) FROM events"))
    finally:
        conn.close()


def open_article(win: MainWindow, article_id: int) -> None:
    """Bring the window to the front (its shortcuts act only then) and open the article."""
    win.activateWindow()
    win.raise_()
    QApplication.processEvents()
    assert QApplication.activeWindow() is win
    win.show_article(article_id)
    win.list_panel.select_article(article_id)
    win.view.setFocus()


def message(win: MainWindow) -> str:
    return win.statusBar().currentMessage()


# --------------------------------------------------------------------------- two windows


def test_second_window_is_read_only_and_refuses_every_edit(qtbot, tmp_path, project_path,
                                                           modals):
    first = make_window(qtbot, tmp_path, "ana", project_path)
    assert not first.project.read_only and not first.lock_banner.isVisible()
    assert Path(str(project_path) + ".lock").exists()

    second = make_window(qtbot, tmp_path, "bo", project_path)
    assert second.project.read_only
    assert second.windowTitle().endswith("(read-only)")
    banner = second.lock_banner.text()
    assert second.lock_banner.isVisible()
    assert banner.startswith(f"Read-only: another Assay window (process {os.getpid()} on ")
    assert "has this project open" in banner and "close the other window" in banner
    before = contents(project_path)

    open_article(second, 2)
    view = second.view
    text = view.text
    refused = "Read-only, nothing was changed: cannot"
    click_offset(view, where(text, "DRC")[0] + 1)
    assert view.selected_span().text == "DRC"
    for key, modifier in ((Qt.Key.Key_2, Qt.KeyboardModifier.NoModifier),  # relabel
                          (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),  # reject
                          (Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier),  # move edge
                          (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)):  # accept
        second.statusBar().clearMessage()
        click_offset(view, where(text, "DRC")[0] + 1)
        qtbot.keyClick(view, key, modifier)
        assert message(second).startswith(refused), (key, message(second))
        assert "another Assay window (process" in message(second)
    view.select_span(None)
    drag_select(view, *where(text, "IEA"))  # label new text
    qtbot.keyClick(view, Qt.Key.Key_5)
    assert message(second).startswith(refused + " add ")
    for key in (Qt.Key.Key_A, Qt.Key.Key_X, Qt.Key.Key_S):  # approve, reject, skip
        second.statusBar().clearMessage()
        qtbot.keyClick(view, key)
        assert message(second).startswith(refused + " mark the article ")
        assert second.article.id == 2  # stayed on the article
    qtbot.keyClick(view, Qt.Key.Key_N)  # note
    assert message(second).startswith(refused + " edit the note")
    assert second.note.isReadOnly()
    qtbot.keyClicks(second.note, "typed anyway")
    qtbot.keyClick(second.note, Qt.Key.Key_Return)
    assert second.note.text() == ""
    jobs = second.jobs
    for start in (lambda: jobs.start_import([str(tmp_path)]), jobs.import_files_dialog,
                  jobs.import_folder_dialog, jobs.pre_annotate):
        second.statusBar().clearMessage()
        assert start() is None and second.jobs.job is None
        assert refused in message(second)
    for keys in (Qt.KeyboardModifier.ControlModifier,
                 Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
        second.statusBar().clearMessage()
        qtbot.keyClick(view, Qt.Key.Key_Z, keys)
        assert message(second).startswith(refused + " undo or redo")
    assert len(second.history.done) == 0
    assert modals.seen == []  # no file dialog was even offered
    assert contents(project_path) == before

    # Export still works, from the read-only window.
    dest = tmp_path / "export.jsonl"
    job = second.jobs.start_export({"fmt": "assay", "dest": dest, "flt": ArticleFilter()})
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert len(dest.read_text(encoding="utf-8").splitlines()) == len(TEXTS)

    # The writer goes on; the reader sees its work; when it closes, the lock is free.
    open_article(first, 2)
    click_offset(first.view, where(text, "DRC")[0] + 1)
    qtbot.keyClick(first.view, Qt.Key.Key_2)
    assert ("DRC", "GPE") in {(s.text, s.label) for s in second.project.spans(2)}
    first.close()
    assert not Path(str(project_path) + ".lock").exists()
    assert second.open_project(project_path)  # opening it again now takes the lock
    assert not second.project.read_only and not second.lock_banner.isVisible()
    open_article(second, 2)
    qtbot.keyClick(second.view, Qt.Key.Key_A)
    assert second.project.article(2).status == "approved"
    assert len(second.history.done) == 1


WINDOW_CHILD = """
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from gui.window.main_window import MainWindow

app = QApplication([])
win = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat), "bo")
opened = win.open_project(sys.argv[1])
print(json.dumps({"opened": opened, "read_only": win.project.read_only,
                  "banner": win.lock_banner.text()}), flush=True)
sys.stdin.readline()
win.close()
"""


def start_window_process(path: Path, tmp_path: Path, name: str) -> tuple[subprocess.Popen, dict]:
    child = window_process(WINDOW_CHILD, path, tmp_path / f"{name}.ini")
    line = child.stdout.readline()
    if not line:
        child.kill()
        pytest.fail(child.communicate()[1])
    return child, json.loads(line)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_another_assay_process_holds_the_lock_until_it_dies(qtbot, tmp_path, project_path):
    other, state = start_window_process(project_path, tmp_path, "other")
    try:
        assert state == {"opened": True, "read_only": False, "banner": ""}
        win = make_window(qtbot, tmp_path, "ana", project_path)
        assert win.project.read_only
        assert f"another Assay window (process {other.pid} on " in win.lock_banner.text()
        open_article(win, 1)
        qtbot.keyClick(win.view, Qt.Key.Key_A)
        assert win.project.article(1).status == "pending"
        assert f"(process {other.pid}" in message(win)
    finally:
        other.send_signal(signal.SIGKILL)  # no cleanup: its lock file stays behind
        other.communicate(timeout=30)
    assert Path(str(project_path) + ".lock").exists()

    assert win.open_project(project_path)  # the dead process's lock is taken over
    assert not win.project.read_only and not win.lock_banner.isVisible()
    open_article(win, 1)
    qtbot.keyClick(win.view, Qt.Key.Key_A)
    assert win.project.article(1).status == "approved"

    third, state = start_window_process(project_path, tmp_path, "third")
    try:  # and a real second process is now told that this window has it
        assert state["opened"] and state["read_only"]
        assert f"another Assay window (process {os.getpid()} on " in state["banner"]
    finally:
        third.communicate("\n", timeout=30)  # it closes its window and ends
    assert third.returncode == 0
    win.close()
    assert not Path(str(project_path) + ".lock").exists()


# --------------------------------------------------------------------------- bad files


def text_file(path: Path) -> None:
    path.write_text("Lithium prices fell.\n", encoding="utf-8")


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def damaged(path: Path) -> None:
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=f"Article {i}: " + TEXTS[i % 3] * 4)
                              for i in range(300)])
    corrupt_middle(path)


def not_assay(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, expected", [
    (text_file, "it is not a SQLite database"),
    (zero_bytes, "is empty (0 bytes)"),
    (damaged, "is damaged ("),
    (not_assay, "a SQLite database but not an Assay project"),
], ids=["text", "zero-bytes", "damaged", "not-assay"])
def test_opening_a_bad_file_says_why_and_keeps_the_current_project(
        qtbot, tmp_path, project_path, modals, make, expected):
    win = make_window(qtbot, tmp_path, "ana", project_path)
    open_article(win, 2)
    bad = tmp_path / "bad.assay"
    make(bad)
    before = bad.read_bytes()
    assert not win.open_project(bad)
    assert len(modals.seen) == 1 and expected in modals.seen[0]
    assert str(bad) in modals.seen[0]
    assert bad.read_bytes() == before
    assert not Path(str(bad) + ".lock").exists()
    # The project that was open stays open, writable and where it was.
    assert win.project.path == project_path and not win.project.read_only
    assert win.article.id == 2 and win.windowTitle() == "shared — Assay"
    open_article(win, 2)
    qtbot.keyClick(win.view, Qt.Key.Key_A)
    assert win.project.article(2).status == "approved"


@pytest.mark.slow
def test_full_disk_during_an_edit_says_so_and_keeps_undo_clean(qtbot, tmp_path, project_path):
    win = make_window(qtbot, tmp_path, "ana", project_path)
    open_article(win, 1)
    pages = win.project.conn.execute("PRAGMA page_count").fetchone()[0]
    win.project.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    before = contents(project_path)
    note = "Check the DOE figure against the press release. " * 600  # pasted in: 29 kB
    win.note.setText(note)
    qtbot.keyClick(win.note, Qt.Key.Key_Return)
    assert message(win).startswith("Not saved: The disk holding ")
    assert "is full" in message(win)
    assert len(win.history.done) == 0  # the failed edit is not on the undo stack
    assert contents(project_path) == before
    assert win.note.text() == note  # kept, to save again when there is room

    win.project.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    qtbot.keyClick(win.note, Qt.Key.Key_Return)
    assert win.project.article(1).note == note
    assert len(win.history.done) == 1
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.project.article(1).note == ""


def test_damage_found_after_opening_is_a_message_not_a_crash(qtbot, tmp_path, big_damaged,
                                                             modals):
    source, bad_id = big_damaged
    path = tmp_path / "big.assay"
    shutil.copy(source, path)
    win = make_window(qtbot, tmp_path, "ana", path)  # the cheap check on open passes
    open_article(win, 1)
    win.show_article(bad_id)
    assert "is damaged" in message(win) and "restore it from a backup" in message(win)
    assert win.article.id == 1  # still on the article that reads

    job = win.jobs.check_project()  # File → Check project file
    qtbot.waitUntil(lambda: win.jobs.job is None and bool(modals.seen), timeout=60_000)
    assert job is not None
    assert modals.seen[0].startswith(f"SQLite's integrity check found problems in {path}")


def test_check_project_on_a_sound_file(qtbot, tmp_path, project_path, modals):
    win = make_window(qtbot, tmp_path, "ana", project_path)
    win.jobs.check_project()
    qtbot.waitUntil(lambda: win.jobs.job is None, timeout=30_000)
    assert "no damage found" in message(win) and modals.seen == []


def test_a_chmod_444_project_opens_read_only(qtbot, tmp_path, project_path):
    project_path.chmod(0o444)
    try:
        skip_unless_chmod_binds(project_path,
                                "the read-only window is covered by the two-window tests")
        win = make_window(qtbot, tmp_path, "ana", project_path)
        assert win.project.read_only
        assert win.lock_banner.text().startswith(
            "Read-only: the project file is read-only (its permissions")
        open_article(win, 2)
        qtbot.keyClick(win.view, Qt.Key.Key_A)
        assert "nothing was changed" in message(win)
        assert win.project.article(2).status == "pending"
        win.close()
    finally:
        project_path.chmod(0o644)
