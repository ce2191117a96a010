"""The progress heading and its chart count the same thing, and say which (issue 25: the
report stacked 15 approvals, the lead's and two merged reviewers', under "5 approved")."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core.nlp.store_rules import store_rules
from core.stats.charts import APPROVALS_NOTE
from core.store import Project
from tests.gui_helpers import REPO, open_window
from tests.test_report import parse
from tests.test_teams import origin as origin  # a fixture, shared
from tests.test_teams import two_reviewers_merged


@pytest.fixture
def lead(origin, tmp_path):
    """Ten articles: ana and ben approved the nine handed out (merged as versions); the
    lead approved five in the project: 5 articles approved, 5 + 9 + 9 = 23 approvals."""
    two_reviewers_merged(origin, tmp_path)
    with Project.open(origin, rules=store_rules()) as project:
        for article_id in (1, 2, 3, 4):
            project.approve_article(article_id, "lead")
    return origin


def first_number(text: str) -> int:
    return int(re.search(r"\d[\d,]*", text).group().replace(",", ""))


def bars_total(ax, across: bool = False) -> int:
    """What the bars of ``ax`` add up to (``across``: horizontal bars)."""
    return round(sum(bar.get_width() if across else bar.get_height() for bar in ax.patches))


def test_the_statistics_heading_is_the_charts_total_and_approvals_are_labelled(
        qtbot, lead, tmp_path):
    win = open_window(qtbot, tmp_path, lead, reviewer="lead")
    win.act_statistics.trigger()
    dialog = win.statistics_window
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30_000)
    figure = dialog.progress_pane.figure
    heading = figure._suptitle.get_text()
    assert heading.startswith("5 articles approved")
    days, who = figure.axes[0], figure.axes[1]
    assert days.get_title().startswith("Articles approved per day")
    assert days.get_ylabel() == "articles approved"
    assert bars_total(days) == first_number(heading) == 5
    assert " ".join(who.get_title().split()) == f"Approvals by reviewer: 23 ({APPROVALS_NOTE})"
    assert bars_total(who, across=True) == 23
    assert "Approvals by reviewer (an article approved by 3 reviewers counts 3 times): " \
        in dialog.progress_pane.summary.text()
    dialog.close()


def test_the_reports_heading_is_its_per_day_total_and_says_what_it_counts(lead, tmp_path):
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "core.cli", "report", str(lead), "-o",
                           str(out)], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    progress = re.search(r'<section id="progress">\s*<h2>[^<]*</h2>\s*<p>(.*?)</p>', page,
                         re.S).group(1)
    assert progress.startswith("5 articles approved")
    assert f"merged versions included: 23 ({APPROVALS_NOTE})" in progress
    tables = parse(page).tables
    assert tables["per-day"]["foot"][0][:2] == ["all days", "5"]
    assert first_number(progress) == first_number(tables["per-day"]["foot"][0][1])
    reviewers = tables["reviewers"]
    assert first_number(reviewers["foot"][0][1]) == 23  # approvals, labelled as such
    assert APPROVALS_NOTE in page[page.index('<table id="reviewers">'):][:400]
