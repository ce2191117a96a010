"""File → Import runs ``assay-cli import`` as a child process (gui.common.workers.ImportJob):
pdfminer holds the GIL for a whole page, and a file that never ends can only be stopped by
ending the process. Cancel asks the child to stop (it keeps what it read before the PDF,
and nothing of the PDF); a child stuck in a file is killed, and the window goes on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess

import gui.common.workers as workers
from core.formats.importers import PAGE_STEPS
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window
from tests.pdf_helpers import long_report, write_pdf


def new_window(qtbot, tmp_path):
    path = tmp_path / "import.assay"
    Project.create(path, rules=store_rules()).close()
    return open_window(qtbot, tmp_path, path), path


def test_cancel_during_a_pdf_keeps_the_files_before_it_and_nothing_of_the_pdf(qtbot, tmp_path):
    window, path = new_window(qtbot, tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"Note {i}\n\nCobalt from Lualaba, shipment {i}.",
                                          encoding="utf-8")
    write_pdf(folder / "z-report.pdf", long_report(80))
    job = window.jobs.start_import([str(folder)])
    seen: list[tuple[int, int]] = []

    def progressed(done: int, total: int) -> None:
        seen.append((done, total))
        if done > 5 * PAGE_STEPS and not job._cancelled:  # inside the PDF: Cancel
            job.cancel()

    job.progress.connect(progressed)
    with qtbot.waitSignal(job.finished, timeout=120_000) as blocker:
        pass
    report = blocker.args[0]
    assert report.cancelled and report.added == 5
    assert any(5 * PAGE_STEPS < done < 6 * PAGE_STEPS for done, _ in seen)  # page by page
    assert window.statusBar().currentMessage().startswith("Import cancelled. Imported 5")
    with Project.open_for_reading(path, rules=store_rules()) as project:
        assert project.count_articles() == 5 and project.integrity_ok()
    assert window.jobs.job is None and window.list_panel.model.rowCount() == 5


# A child that will not stop: it ignores SIGTERM and waits, as one stuck inside a PDF page
# would (pdfminer looks at nothing between the pages). Everything else is the real window.
STUBBORN = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('{\"event\": \"progress\", \"done\": 0, \"total\": 1}', flush=True); "
            "time.sleep(600)")


def test_a_child_stuck_in_a_file_is_killed_after_cancel_and_the_window_goes_on(
        qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "KILL_AFTER_MS", 300)
    monkeypatch.setattr(workers, "cli_command", lambda: [sys.executable, "-c", STUBBORN])
    window, path = new_window(qtbot, tmp_path)
    (tmp_path / "a.txt").write_text("Cobalt from Lualaba.", encoding="utf-8")
    job = window.jobs.start_import([str(tmp_path / "a.txt")])
    qtbot.waitSignal(job.progress, timeout=60_000).wait()  # the child runs
    with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
        job.cancel()
    assert blocker.args[0].cancelled
    assert job.process.exitStatus() == QProcess.ExitStatus.CrashExit  # killed, not ended
    assert window.jobs.job is None
    assert "Import cancelled" in window.statusBar().currentMessage()
    with Project.open_for_reading(path, rules=store_rules()) as project:
        assert project.integrity_ok()
