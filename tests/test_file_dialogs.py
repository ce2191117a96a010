"""Showing the project's folder in a file dialog keeps every decision (issue 23, §1).

Qt's own file dialog read each listed file to guess its type; closing that descriptor
dropped the window's POSIX locks on the open project, the next process to close the
project deleted the WAL, and the window's later decisions went into a deleted file:
invisible to other processes and lost on kill -9. These tests use the real window in a
process of its own, open each of its file dialogs on the project's folder (waiting until
the dialog has listed the file and filled in its Type), let another process open and
close the project, make a decision with the window's key, read it from a third process,
and kill the window with SIGKILL.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.common import file_dialogs
from tests.gui_helpers import window_process
from tests.test_posix_locks import my_locks, needs_proc_locks, read_in_child

# The real window in a child process. A timer finds each file dialog as it opens, shows
# it the project's folder, waits until it has listed the project and filled in the Type
# column (or 1.5 s where its filter hides the project), and cancels it. It reports the
# POSIX locks it holds on the project after each dialog, then approves article 1 with the
# A key when told, and waits to die.
WINDOW_WITH_DIALOGS = r"""
import json, os, sys, time
from pathlib import Path
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from gui.window.main_window import MainWindow
from tests.test_posix_locks import my_locks

project = Path(sys.argv[1])
app = QApplication([])
win = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat), "ana")
assert win.open_project(str(project))
win.show()
win.project.spans(1)
seen = []

def poll():
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, QFileDialog):
        return
    if not dialog.property("assay_test_started"):
        dialog.setProperty("assay_test_started", time.monotonic())
        dialog.setDirectory(str(project.parent))
        return
    model = dialog.findChild(QFileSystemModel)
    index = model.index(str(project))
    kind = model.index(index.row(), 2, index.parent()).data() if index.isValid() else None
    waited = time.monotonic() - dialog.property("assay_test_started")
    if (kind and kind != "Unknown") or waited > 1.5:
        if waited < 0.5:  # let the gatherer thread go over every file of the folder
            return
        seen.append({"dialog": dialog.windowTitle(), "type": kind, "locks": my_locks(project)})
        dialog.reject()

timer = QTimer()
timer.timeout.connect(poll)
timer.start(20)
win.act_open.trigger()
win.act_new.trigger()
win.act_import_files.trigger()
win.act_import_folder.trigger()
win.act_merge.trigger()
win.act_export.trigger()
win.jobs._export_dialog._browse()
win.jobs._export_dialog.reject()
win.show_hand_out()
win.hand_out_dialog._browse()
win.hand_out_dialog.reject()
win.show_labels()
win.labels_dialog.export_scheme()
win.labels_dialog.import_scheme()
win.labels_dialog.reject()
win.act_import_web.trigger()
win.jobs.web_dialog._choose()
win.jobs.web_dialog.reject()
print(json.dumps(seen), flush=True)
sys.stdin.readline()  # meanwhile another process opens and closes the project
win.activateWindow()
win.raise_()
QApplication.processEvents()
win.show_article(1)
QTest.keyClick(win.view, Qt.Key.Key_A)
QApplication.processEvents()
print(json.dumps(win.project.article(1).status), flush=True)
sys.stdin.readline()  # SIGKILL comes here
"""


@pytest.fixture
def project_path(tmp_path) -> Path:
    path = tmp_path / "folder" / "p.assay"
    path.parent.mkdir()
    with Project.create(path, name="p", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Cobalt from the DRC.", title="One"),
                              ArticleIn(text="Lithium from Chile.", title="Two")])
    (path.parent / "notes.txt").write_text("a neighbour", encoding="utf-8")
    return path


@pytest.mark.slow
@needs_proc_locks
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_every_file_dialog_on_the_projects_folder_keeps_the_decisions(tmp_path, project_path):
    window = window_process(WINDOW_WITH_DIALOGS, project_path, tmp_path / "s.ini")
    try:
        line = window.stdout.readline()
        if not line:
            window.kill()
            pytest.fail(window.communicate(timeout=30)[1][-3000:])
        seen = json.loads(line)
        # Each dialog listed the project with its type read from the name (or hid it by
        # its filter: folders, articles, label schemes) …
        assert {d["dialog"]: d["type"] for d in seen} == {
            "Open project": "Assay project", "New project": "Assay project",
            "Import articles": None, "Import a folder": None,
            "Merge reviewers' copies": "Assay project", "Export to": "Assay project",
            "Folder for the copies": None, "Export the label scheme": None,
            "Import a label scheme": None, "Choose a feed file or a list of links": None}
        # … and after each the window still held the file: nothing closed a descriptor on it.
        assert all(dialog["locks"] > 0 for dialog in seen), seen
        # Another process opens and closes the project (assay-cli, sqlite3, a second window).
        assert read_in_child(project_path, "SELECT count(*) FROM articles") == [[2]]
        window.stdin.write("\n")
        window.stdin.flush()
        assert json.loads(window.stdout.readline()) == "approved"
        # A third process sees the window's decision at once …
        assert read_in_child(project_path, "SELECT status, reviewed_by FROM articles "
                             "WHERE id = 1") == [["approved", "ana"]]
    finally:
        window.send_signal(signal.SIGKILL)  # … and it outlives the window's death
        window.communicate(timeout=30)
    with Project.open(project_path, rules=store_rules()) as after:
        assert after.article(1).status == "approved"
        assert after.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@needs_proc_locks
@pytest.mark.parametrize("mode", [QFileDialog.FileMode.ExistingFiles,
                                  QFileDialog.FileMode.Directory])
def test_the_dialog_lists_the_projects_folder_without_reading_the_project(
        qtbot, project_path, mode):
    with Project.open(project_path, rules=store_rules()) as window:
        window.spans(1)
        before = my_locks(project_path)
        assert before > 0
        dialog = file_dialogs.make_dialog(None, "Pick", project_path.parent)
        dialog.setFileMode(mode)
        qtbot.addWidget(dialog)
        dialog.show()
        model = dialog.findChild(QFileSystemModel)

        def listed_with_its_type() -> None:
            index = model.index(str(project_path))
            assert model.index(index.row(), 2, index.parent()).data() == "Assay project"
            other = model.index(str(project_path.parent / "notes.txt"))
            assert model.index(other.row(), 2, other.parent()).data() == "TXT file"

        qtbot.waitUntil(listed_with_its_type, timeout=5000)
        qtbot.wait(300)
        dialog.reject()
        assert my_locks(project_path) == before
