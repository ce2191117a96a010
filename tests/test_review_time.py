"""Time spent on an article is kept as it accrues, and counted once by the decision.

Written the way it broke: the window was killed (SIGKILL) before the decision, and the
time spent reading the article was gone; reopened, the decision recorded only the
seconds since the new start.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.review.edits import AddSpan
from core.review.session import ReviewSession
from core.store import Project
from tests.gui_helpers import window_process

# Text we wrote for these tests.
TEXTS = ["Chile mined lithium in 2024.", "Cobalt output in the DRC rose.",
         "Graphite from Mozambique."]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def kept(path: Path, article_id: int) -> tuple[str, float | None]:
    """The article's status and seconds as another process reads the file."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT status, review_seconds FROM articles WHERE id = ?",
                            (article_id,)).fetchone()


@pytest.fixture
def path(tmp_path) -> Path:
    path = tmp_path / "time.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=t, title=f"A{i}") for i, t in enumerate(TEXTS, 1)])
    return path


def test_time_is_kept_on_each_edit_and_on_leaving_and_counted_once(path):
    clock = Clock()
    session = ReviewSession(Project.open(path, rules=store_rules()), "ana", clock=clock)
    session.open_article(1)
    clock.now += 40
    session.push(AddSpan(1, 0, 5, "GPE"))
    assert kept(path, 1) == ("pending", 40.0)
    clock.now += 7
    session.open_article(2)  # leaving article 1 keeps its time
    assert kept(path, 1) == ("pending", 47.0)
    clock.now += 3
    session.project.conn.close()  # as if killed: no close(), nothing more is saved

    clock = Clock()
    session = ReviewSession(Project.open(path, rules=store_rules()), "ana", clock=clock)
    session.open_article(1)
    clock.now += 5
    session.decide("approved")
    assert kept(path, 1) == ("approved", 52.0)  # 47 kept + 5 now, not 47 twice
    session.undo()
    assert kept(path, 1) == ("pending", 52.0)  # undecided again, the time stays
    session.redo()
    assert kept(path, 1) == ("approved", 52.0)
    clock.now += 30  # time on a decided article does not change its decision's time
    session.open_article(3)
    assert kept(path, 1) == ("approved", 52.0)
    session.close()


WINDOW_CHILD = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
import gui.window.main_window as main_window

main_window.TIME_KEPT_EVERY_MS = 300
app = QApplication([])
win = main_window.MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat), "bo")
win.open_project(sys.argv[1])
win.show_article(2)
win.show()
QTest.qWait(2000)  # reading article 2, no edit
print("ready", flush=True)
sys.stdin.readline()
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_window_keeps_the_time_spent_and_the_decision_counts_it_once(path, tmp_path):
    child = window_process(WINDOW_CHILD, path, tmp_path / "child.ini")
    try:
        line = child.stdout.readline()
        assert line == "ready\n", child.communicate(timeout=30)[1]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    status, seconds = kept(path, 2)
    assert status == "pending" and seconds is not None and 1.0 <= seconds <= 30.0

    clock = Clock()
    session = ReviewSession(Project.open(path, rules=store_rules()), "ana", clock=clock)
    session.open_article(2)
    clock.now += 4
    session.decide("rejected")
    assert kept(path, 2) == ("rejected", round(seconds + 4, 1))
    session.close()
