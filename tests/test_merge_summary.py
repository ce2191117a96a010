"""After a merge the lead sees, per copy, what came in and what was refused and why
(issue 25: a status-bar line was all). The window's summary and ``assay-cli merge`` print
the same lines, ``core.teams.merge.MergeReport.line``."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from core.nlp.store_rules import store_rules
from core.store import Project
from core.teams.assign import hand_out
from tests.gui_helpers import REPO, open_window
from tests.test_teams import origin as origin  # a fixture, shared
from tests.test_teams import review

ANA = ("team-ana.assay: ana's 9 articles (9 new, 0 updated, 0 unchanged): 9 approved; "
       "27 accepted entities, 0 accepted claims.")
FORGED = ("Cannot merge forged.assay: it holds a decision by \u201cmallory\u201d, not by ben, "
          "whose copy it is. Nothing was merged.")


@pytest.fixture
def copies(origin, tmp_path):
    """ana's copy reviewed (Japan added everywhere), and a copy of ben's with a decision
    by someone else in it."""
    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, ["ana", "ben"], tmp_path / "out", overlap=1.0)
    review(paths["ana"], "ana", add_japan=True)
    forged = tmp_path / "forged.assay"
    shutil.copy(paths["ben"], forged)
    with Project.open(forged, rules=store_rules()) as copy:
        copy.set_article_status(copy.article_ids()[0], "approved", "mallory")
    return [paths["ana"], forged]


def test_the_window_shows_what_came_in_per_copy_and_why_one_was_refused(
        qtbot, origin, copies, tmp_path):
    from gui.teams.dialogs import merge_copies

    win = open_window(qtbot, tmp_path, origin)
    job = merge_copies(win, [str(p) for p in copies])  # as File → Merge… hands them over
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    summary = win.merge_summary
    qtbot.waitUntil(summary.isVisible)
    assert summary.headline.text() == (
        "Merged 1 of 2 copies; 1 copy was refused (nothing of it was written).")
    assert summary.rows == [ANA, FORGED]
    assert summary.text.toPlainText() == f"{ANA}\n\n{FORGED}"
    assert {v.reviewer for v in win.project.versions()} == {"ana"}  # ana's still came in
    assert summary.width() <= 1024 and summary.height() <= 640
    summary.close()


def test_the_cli_prints_the_same_line_per_copy(origin, copies):
    done = subprocess.run([sys.executable, "-m", "core.cli", "merge", str(origin),
                           *map(str, copies), "--reviewer", "lead"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # a copy was refused
    assert done.stdout.splitlines() == [ANA]
    assert done.stderr.splitlines() == [f"error: {FORGED}"]
