"""File → Import from feed or links… in the real window, and ``assay-cli import`` with web
addresses in a process of its own: both show the lines of one report (issue 29). Pages are
served on 127.0.0.1 only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from core.nlp.store_rules import store_rules
from core.store import Project
from core.web.fetch import FetchOptions
from gui.window.main_window import MainWindow
from tests.web_site import article_html, guarded_env, paragraphs, rss, serving

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def site(monkeypatch):
    yield from serving(monkeypatch)


@pytest.fixture
def window(qtbot, tmp_path, site):
    path = tmp_path / "web.assay"
    Project.create(path, rules=store_rules()).close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, "ana")
    qtbot.addWidget(win)
    win.open_project(path)
    win.show()
    qtbot.waitExposed(win)
    return win


def start_from_the_menu(qtbot, window, text: str) -> None:
    """File → Import from feed or links…, ``text`` typed into the box, Import pressed."""
    window.act_import_web.trigger()
    dialog = window.jobs.web_dialog
    qtbot.waitExposed(dialog)
    for n, line in enumerate(text.splitlines()):
        if n:
            qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.box, line)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_a_feed_imported_from_the_window_shows_what_became_of_each_address(
        qtbot, window, site):
    a1 = site.add("/a1.html", article_html("Lithium deal signed", paragraphs("lithium")))
    a2 = site.add("/a2.html", article_html("Cobalt quota", paragraphs("cobalt")))
    feed = site.add("/feed.rss", rss([("Lithium deal signed", a1, ""), ("Cobalt quota", a2, ""),
                                      ("Gone", site.url("/gone.html"), "")]),
                    "application/rss+xml")
    window.jobs.fetch_options = FetchOptions(timeout=5, host_delay=0)
    window.act_import_web.trigger()
    dialog = window.jobs.web_dialog
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # nothing typed yet
    assert dialog.isVisible() and dialog.problem.text() == (
        "Nothing to import yet: give an address or a file.")
    dialog.reject()
    start_from_the_menu(qtbot, window, feed)
    qtbot.waitUntil(lambda: window.jobs.web_summary is not None, timeout=30_000)
    summary = window.jobs.web_summary
    assert summary.isVisible()
    assert summary.headline.text() == "Imported 2 articles, skipped 0 duplicates, 1 failed."
    assert summary.details.toPlainText().splitlines() == [
        f"failed: {site.url('/gone.html')}: HTTP error 404 (Not Found)",
        f"imported: {a1}  (Lithium deal signed)", f"imported: {a2}  (Cobalt quota)"]
    assert window.list_panel.model.rowCount() == 2  # the list follows
    assert window.article is not None and window.article.url == a1


def test_cancel_in_the_window_keeps_what_was_imported(qtbot, window, site):
    done = [site.add(f"/c{i}.html", article_html(f"Copper {i}", paragraphs(f"copper {i}")))
            for i in (1, 2)]
    blocked = site.slow("/blocked.html", 30)  # answers only when released
    after = site.add("/c3.html", article_html("Copper 3", paragraphs("copper 3")))
    window.jobs.fetch_options = FetchOptions(timeout=30, host_delay=0)
    start_from_the_menu(qtbot, window, "\n".join([*done, blocked, after]))
    qtbot.waitUntil(lambda: "/blocked.html" in site.hits, timeout=30_000)
    progress = window.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible, timeout=5_000)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    site.release.set()  # the page being downloaded arrives after the cancel: dropped
    qtbot.waitUntil(lambda: window.jobs.web_summary is not None, timeout=30_000)
    assert window.jobs.web_summary.headline.text() == (
        "Cancelled; what was imported before is kept. "
        "Imported 2 articles, skipped 0 duplicates, 0 failed.")
    with Project.open(window.project.path, rules=store_rules()) as project:
        assert sorted(a.title for a in map(project.article, project.article_ids())) == [
            "Copper 1", "Copper 2"]
    assert "/c3.html" not in site.hits
    assert window.list_panel.model.rowCount() == 2


@pytest.mark.slow
def test_the_cli_imports_addresses_feeds_and_lists_and_fails_when_one_failed(
        site, tmp_path):
    a1 = site.add("/a1.html", article_html("Manganese output", paragraphs("manganese")))
    a2 = site.add("/a2.html", article_html("Vanadium mine", paragraphs("vanadium")))
    feed = site.add("/feed.rss", rss([("Vanadium mine", a2, "Mon, 01 Jan 2024 00:00:00 GMT")]),
                    "application/rss+xml")
    links = tmp_path / "links.txt"
    links.write_text(f"{a1}\n{site.url('/missing.html')}\n", encoding="utf-8")
    article = tmp_path / "note.txt"  # a .txt that is an article, not a list of links
    article.write_text("Tin smelter opens\n\nThe smelter in Penang opened.", encoding="utf-8")
    project = tmp_path / "cli.assay"
    env = guarded_env(tmp_path / "guard")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "core.cli", "import", str(project), *args,
             "--timeout", "5", "--host-delay", "0"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)

    subprocess.run([sys.executable, "-m", "core.cli", "new", str(project)], check=True,
                   cwd=ROOT, env=env, capture_output=True)
    first = cli(str(links), feed, str(article))
    assert first.returncode == 1, first.stderr
    assert "test guard" not in first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("Imported 1 article(s) from 1 file(s)")  # the .txt article
    assert lines[1:] == [
        "Imported 2 articles, skipped 0 duplicates, 1 failed.",
        f"failed: {site.url('/missing.html')}: HTTP error 404 (Not Found)",
        f"imported: {a1}  (Manganese output)", f"imported: {a2}  (Vanadium mine)"]
    again = cli(a1, feed)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "Imported 0 articles, skipped 2 duplicates, 0 failed."
    with Project.open(project, rules=store_rules()) as opened:
        dates = {a.url: a.published for a in map(opened.article, opened.article_ids())}
    assert dates[a2] == "2024-01-01" and len(dates) == 3
