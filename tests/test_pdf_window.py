"""PDF import as users do it (issue 29): File → Import folder… in the window, and
``assay-cli import`` in a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import drag_select, open_window, where
from tests.pdf_helpers import REPORT_TEXT, write_report, write_scanned


def test_a_folder_with_a_pdf_imports_in_the_window_and_the_header_names_the_page(
        qtbot, tmp_path):
    path = tmp_path / "window.assay"
    Project.create(path, rules=store_rules()).close()
    folder = tmp_path / "reports"
    folder.mkdir()
    write_report(folder / "cobalt.pdf")
    window = open_window(qtbot, tmp_path, path)
    job = window.jobs.start_import([str(folder)])  # what File → Import folder… starts
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert "Imported 1 article(s)" in window.statusBar().currentMessage()
    assert window.article is not None  # the first article opened by itself
    assert window.view.toPlainText() == REPORT_TEXT
    assert window.title.text() == "Cobalt Supply Review"
    assert window.header.meta.text() == "cobalt.pdf  ·  2026-03-15  ·  3 pages"

    # Offscreen Qt has no window manager to give activation back after the progress dialog.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    drag_select(window.view, *where(REPORT_TEXT, "Gabon"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # GPE: the new entity is selected
    assert [s.text for s in window.view.spans] == ["Gabon"]
    assert window.header.meta.text() == "cobalt.pdf  ·  2026-03-15  ·  page 2 of 3"


@pytest.mark.slow
def test_the_cli_imports_a_pdf_and_says_why_a_scan_was_not(tmp_path):
    project = tmp_path / "cli.assay"
    write_report(tmp_path / "cobalt.pdf")
    write_scanned(tmp_path / "scan.pdf")
    root = Path(__file__).parents[1]

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True,
                              text=True, cwd=root, timeout=120)

    assert cli("new", str(project)).returncode == 0
    done = cli("import", str(project), str(tmp_path / "cobalt.pdf"), str(tmp_path / "scan.pdf"))
    assert done.returncode == 0, done.stderr
    assert "Imported 1 article(s) from 2 file(s)" in done.stdout
    assert (f"problem: {tmp_path / 'scan.pdf'}: has no text layer; it looks scanned \u2014 "
            "run OCR first") in done.stderr
    assert "Traceback" not in done.stderr
    with Project.open(project, rules=store_rules()) as proj:
        article = proj.article(1)
        assert article.text == REPORT_TEXT and len(article.page_starts) == 3
    refused = cli("import", str(project), str(tmp_path / "scan.pdf"))
    assert refused.returncode == 1 and "Imported 0 article(s)" in refused.stdout


def test_the_import_files_dialog_offers_every_format_assay_reads(qtbot, tmp_path, monkeypatch):
    """File → Import files… showed no .json (Label Studio), though the importer reads it:
    a user filtering by "Articles" could not see such a file."""
    import gui.window.project_jobs as project_jobs
    from core.store import Project
    from tests.gui_helpers import open_window

    path = tmp_path / "p.assay"
    Project.create(path, rules=store_rules()).close()
    win = open_window(qtbot, tmp_path, path)
    offered: list[str] = []
    monkeypatch.setattr(project_jobs, "open_file_names",
                        lambda parent, title, folder, filters: offered.append(filters) or [])
    win.act_import_files.trigger()
    articles = offered[0].split(";;")[0]
    for suffix in ("*.txt", "*.md", "*.html", "*.htm", "*.pdf", "*.jsonl", "*.csv", "*.json"):
        assert f"{suffix} " in articles + " " or f"{suffix})" in articles, (suffix, articles)
