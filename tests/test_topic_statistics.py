"""Articles per topic over time (issue 29): the counts in core (both ways of reading the
months agree), ``assay-cli stats`` and ``report`` through the real CLI (the report in
headless Chromium too), and the Topics tab of Review → Statistics in the real window."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store import topic_statistics as counting
from core.store.topic_statistics import NO_DATE
from tests.gui_helpers import open_window
from tests.test_report import chromium, headless, keyed, parse

ROOT = Path(__file__).parents[1]
HOSTILE = '<b>$x$</b> & =1,"q"'
EXPORT, TRADE, POLICY = "export controls", "trade and supply", "policy and law"
# (published, accepted topics, suggested topics, rejected topics) per article
ARTICLES = [
    ("2024-01-05", [EXPORT], [], []),
    ("2024-01-20", [EXPORT, TRADE], [], [POLICY]),
    ("2024-02-11", [HOSTILE], [POLICY], []),
    ("2024-03-30", [], [EXPORT], [TRADE]),
    ("", [TRADE], [], []),  # no date
    ("soon", [EXPORT], [], []),  # a date that is not one
    ("2024-03-01", [], [], []),  # no topic at all
]


def build(path: Path) -> Path:
    with Project.create(path, rules=store_rules()) as p:
        p.add_topic(HOSTILE, "ann")
        p.add_articles([ArticleIn(text=f"Article {i} about minerals.", title=f"A{i}",
                                  published=day)
                        for i, (day, *_rest) in enumerate(ARTICLES, 1)])
        for article_id, (_day, accepted, suggested, rejected) in enumerate(ARTICLES, 1):
            for topic in accepted:
                p.set_article_topic(article_id, topic, True, "ann")
            for topic in rejected:
                p.set_article_topic(article_id, topic, False, "ann")
            if suggested:
                p.suggest_topics(article_id, dict.fromkeys(suggested, 0.9), "topics-v1")
    return path


@pytest.fixture
def topical(tmp_path) -> Path:
    return build(tmp_path / "topical.assay")


EXPECTED_MONTHS = {
    EXPORT: {"2024-01": 2, "2024-03": 1, NO_DATE: 1},
    TRADE: {"2024-01": 1, NO_DATE: 1},
    HOSTILE: {"2024-02": 1},
    POLICY: {"2024-02": 1},
}


@pytest.mark.parametrize("few", [0, 10**9])  # each way of reading the months
def test_articles_per_topic_and_month_are_counted_once_in_core(topical, monkeypatch, few):
    monkeypatch.setattr(counting, "_FEW", few)
    with Project.open_for_reading(topical, rules=store_rules()) as project:
        tc = project.statistics.topics()
    assert tc.topics[:3] == [EXPORT, "investment and finance", "production and capacity"]
    assert tc.topics[-1] == HOSTILE  # added last: the scheme's order
    assert {t: by for t, by in tc.per_month.items() if by} == EXPECTED_MONTHS
    assert tc.by_state[EXPORT] == {"accepted": 3, "suggested": 1, "rejected": 0}
    assert tc.by_state[TRADE] == {"accepted": 2, "suggested": 0, "rejected": 1}
    assert tc.live(POLICY) == 1 and tc.by_state[POLICY]["rejected"] == 1
    assert (tc.articles, tc.total) == (6, 7)
    assert tc.months() == ["2024-01", "2024-02", "2024-03"] and tc.undated() == 2


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


@pytest.mark.slow  # assay-cli in a process of its own
def test_assay_cli_stats_prints_articles_per_topic(topical):
    done = _cli("stats", str(topical))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Articles per topic"))
    assert lines[head] == ("Articles per topic (live: suggested + accepted; 6 of 7 articles "
                           "have a topic; 6 accepted, 2 suggested and undecided, 2 rejected)")
    rows = {line.split("  ")[1].strip(): line.split() for line in lines[head + 1:head + 11]}
    assert rows[EXPORT][-7:] == ["4", "accepted", "3", "suggested", "1", "rejected", "0"]
    assert rows[HOSTILE][-7:] == ["1", "accepted", "1", "suggested", "0", "rejected", "0"]
    as_json = json.loads(_cli("stats", str(topical), "--json").stdout)["topics"]
    assert as_json[EXPORT] == {"accepted": 3, "suggested": 1, "rejected": 0, "articles": 4,
                               "per_month": {"2024-01": 2, "2024-03": 1, "no date": 1}}
    assert as_json[HOSTILE]["per_month"] == {"2024-02": 1}


@pytest.mark.slow  # assay-cli and Chromium in processes of their own
def test_the_report_has_a_topics_section_chromium_draws(topical, tmp_path):
    out = tmp_path / "report.html"
    done = _cli("report", str(topical), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    tables = parse(page).tables
    counts = keyed(tables["topic-counts"]["body"])
    assert counts[HOSTILE] == ["1", "1", "0", "0"]  # the name escaped, shown as it is
    assert counts[EXPORT] == ["4", "3", "1", "0"] and counts[POLICY] == ["1", "0", "1", "1"]
    months = keyed(tables["topic-periods"]["body"])
    assert months[EXPORT] == ["2", "0", "1", "1"] and months[HOSTILE] == ["0", "1", "0", "0"]
    assert "<b>$x$</b>" not in page
    browser = chromium()
    dom = headless(browser, tmp_path / "profile", "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = parse(dom.stdout)
    assert "Articles per topic" in parsed.headings
    assert any('alt="Articles per topic' in line for line in dom.stdout.splitlines())


def test_a_project_without_topics_reports_so(tmp_path):
    with Project.create(tmp_path / "plain.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Cobalt.")])
        tc = project.statistics.topics()
    from core.stats.topic_charts import topics_figure, topics_summary

    assert topics_summary(tc) == ("0 of 1 article have a topic; 0 accepted, 0 suggested "
                                  "and undecided, 0 rejected")
    fig = topics_figure(tc)
    assert [t.get_text() for ax in fig.axes for t in ax.texts] == [
        "No article has a topic yet. Press T in the review window to give the article open "
        "there its topics."]


@pytest.mark.slow  # the real window
def test_the_statistics_window_has_a_topics_tab_that_follows_a_refresh(qtbot, tmp_path,
                                                                       topical):
    win = open_window(qtbot, tmp_path, topical)
    win.act_statistics.trigger()
    dialog = win.statistics_window
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30_000)
    tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Topics")
    dialog.tabs.setCurrentIndex(tab)
    pane = dialog.topics_pane
    qtbot.waitUntil(lambda: pane.drawn, timeout=10_000)
    assert pane.summary.text().startswith("6 of 7 articles have a topic; 6 accepted, 2 "
                                          "suggested and undecided, 2 rejected.")
    titles = [ax.get_title() for ax in pane.figure.axes]
    assert titles == ["Articles per topic: 6 of 7 have one",
                      "Articles per topic and month of their date"]
    bars, heat = pane.figure.axes
    assert [t.get_text() for t in bars.get_yticklabels()][-1] == HOSTILE.replace("$", r"\$")
    assert [t.get_text() for t in heat.get_xticklabels()] == [
        "Jan 2024", "Feb 2024", "Mar 2024", "no date"]
    # A reviewer gives article 7 (March, no topic) one; Refresh counts it.
    win.project.set_article_topic(7, POLICY, True, "ana")
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: dialog.done_reading() and pane.summary.text().startswith("7 of 7"),
                    timeout=30_000)
    assert dialog.numbers is not None and dialog.numbers.topics is not None
    assert dialog.numbers.topics.per_month[POLICY] == {"2024-02": 1, "2024-03": 1}
    png = pane.save_png(str(tmp_path / "topics.png"))
    assert png and Path(png).read_bytes().startswith(b"\x89PNG")
    dialog.close()


def test_the_heat_maps_columns_are_evenly_spaced_in_time(tmp_path):
    """Empty months between dated articles get a column; more than 36 months of range (not
    of distinct months) go per year; a month that is not one counts under no date."""
    from core.stats.topic_charts import periods

    def columns(dates: list[str]) -> tuple[list[str], dict]:
        path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.assay"
        with Project.create(path, rules=store_rules()) as project:
            project.add_articles([ArticleIn(text=f"Cobalt {i}.", published=d)
                                  for i, d in enumerate(dates)])
            for article in range(1, len(dates) + 1):
                project.set_article_topic(article, EXPORT, True, "ana")
            return periods(project.statistics.topics())

    cols, table = columns(["2023-11-02", "2024-02-10", "2024-02-11"])
    assert cols == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert table[EXPORT] == {"2023-11": 1, "2024-02": 2}
    cols, table = columns(["2020-01-01", "2023-02-01", "2024-19-01"])  # 38 months: years
    assert cols == ["2020", "2021", "2022", "2023", "no date"]
    assert table[EXPORT] == {"2020": 1, "2023": 1, "no date": 1}
