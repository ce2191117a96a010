"""Topics in team work (issue 29): a copy carries the project's topics and the topics it
may show (a blind copy a model's suggestions, a second opinion the lead's), merge brings
each reviewer's topic decisions back as their version and refuses a copy whose topic
decisions claim another reviewer, the agreement report gives Cohen's κ per topic and
overall (numbers worked out by hand below), and the curator takes one reviewer's decision
on a topic they differ on, in the window with a key and with the CLI, to the same end.

Copies are handed out with the real CLI, reviewed through the store as the window does,
forged with the store in another reviewer's name, merged with the real CLI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main as cli
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.teams.agreement import agreement

REPO = Path(__file__).parents[1]
BAN, PRICES, DEALS = "export controls", "prices and markets", "partnerships"
TEXTS = [f"Note {i}: Chile and Peru talk about lithium, copper and the rules of trade."
         for i in range(1, 5)]
# What each reviewer sets (on top of the suggestion they keep in article 1), by article:
# export controls: ana yes yes no no, ben yes no no no; prices and markets: both no no yes yes.
PLANS = {"ana": {2: [BAN], 3: [PRICES], 4: [PRICES]},
         "ben": {3: [PRICES], 4: [PRICES]}}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def origin(tmp_path) -> Path:
    """Four pending articles; a model suggested export controls (0.8) for article 1, where
    the lead then accepted partnerships by hand."""
    path = tmp_path / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=t, title=f"N{i}") for i, t in enumerate(TEXTS, 1)])
        p.suggest_topics(1, {BAN: 0.8, PRICES: 0.1}, "topics==1")
        p.set_article_topic(1, DEALS, True, "lead")
    return path


def hand_out(origin: Path, out: Path, reviewers: str, *extra: str) -> dict[str, Path]:
    assert cli(["assign", str(origin), "--reviewers", reviewers, "--overlap", "1",
                "-o", str(out), *extra]) == 0
    return {r: out / f"team-{r}.assay" for r in reviewers.split(",")}


def by_title(copy: Project) -> dict[int, int]:
    """The copy's article ids by the origin's (N1 → 1 …)."""
    return {int(copy.article(a).title[1:]): a for a in copy.article_ids()}


def review(path: Path, reviewer: str) -> None:
    """The reviewer's topics as the window's keys set them, then every article approved."""
    with Project.open(path, rules=store_rules()) as copy:
        ids = by_title(copy)
        for number, topics in PLANS[reviewer].items():
            for topic in topics:
                copy.set_article_topic(ids[number], topic, True, reviewer)
        for article_id in ids.values():
            copy.approve_article(article_id, reviewer)


@pytest.fixture
def merged(origin, tmp_path, capsys) -> Path:
    paths = hand_out(origin, tmp_path / "copies", "ana,ben")
    for reviewer, path in paths.items():
        review(path, reviewer)
    capsys.readouterr()
    assert cli(["merge", str(origin), *map(str, paths.values())]) == 0
    # Each copy's line counts the topics it brought back (ana 4, ben 3).
    assert ("team-ana.assay: ana's 4 articles (4 new, 0 updated, 0 unchanged): 4 approved; "
            "0 accepted entities, 0 accepted claims, 4 topics.") in capsys.readouterr().out
    return origin


def test_a_blind_copy_carries_the_topics_and_a_models_suggestions_never_the_leads(
        origin, tmp_path):
    paths = hand_out(origin, tmp_path / "copies", "ana")
    with Project.open(paths["ana"], rules=store_rules()) as copy, \
            Project.open(origin, read_only=True, rules=store_rules()) as project:
        assert copy.topics() == project.topics()
        rows = copy.article_topics(by_title(copy)[1])
        assert [(r.topic, r.state, r.origin, r.model, r.score) for r in rows] == [
            (BAN, "suggested", "model", "topics==1", 0.8)]  # the lead's partnerships: no


def test_a_second_opinion_copy_carries_the_leads_topics_and_merges(origin, tmp_path):
    paths = hand_out(origin, tmp_path / "copies", "cy", "--show-decisions")
    with Project.open(paths["cy"], rules=store_rules()) as copy:
        first = by_title(copy)[1]
        assert {(r.topic, r.state) for r in copy.article_topics(first)} == {
            (BAN, "suggested"), (DEALS, "accepted")}
        copy.approve_article(first, "cy")
    assert cli(["merge", str(origin), str(paths["cy"])]) == 0
    with Project.open(origin, read_only=True, rules=store_rules()) as project:
        (version,) = project.versions([1])
        assert {(t.topic, t.state) for t in version.topics} == {(BAN, "accepted"),
                                                              (DEALS, "accepted")}


def test_merge_brings_each_reviewers_topics_back_as_their_version(merged):
    with Project.open(merged, read_only=True, rules=store_rules()) as project:
        said = {(v.reviewer, v.article_id): sorted(t.topic for t in v.topics
                                                   if t.state == "accepted")
                for v in project.versions()}
        assert said == {("ana", 1): [BAN], ("ana", 2): [BAN], ("ana", 3): [PRICES],
                        ("ana", 4): [PRICES], ("ben", 1): [BAN], ("ben", 2): [],
                        ("ben", 3): [PRICES], ("ben", 4): [PRICES]}
        ana_2 = next(v for v in project.versions([2]) if v.reviewer == "ana")
        (topic,) = ana_2.topics
        assert (topic.origin, topic.stamp[0]) == ("reviewer", "ana")
        # The curated topics are the project's own: merging changed none of them.
        assert [(r.topic, r.state) for r in project.article_topics(1)] == [
            (BAN, "suggested"), (DEALS, "accepted")]


@pytest.mark.slow
def test_a_copy_whose_topic_decision_claims_another_reviewer_is_refused(origin, tmp_path):
    paths = hand_out(origin, tmp_path / "copies", "ana")
    review(paths["ana"], "ana")
    with Project.open(paths["ana"], rules=store_rules()) as copy:
        # Ana's copy, with a topic decided in ben's name (as ben's window would stamp it).
        copy.set_article_topic(by_title(copy)[3], BAN, True, "ben")
    before = digest(origin)
    done = subprocess.run([sys.executable, "-m", "core.cli", "merge", str(origin),
                           str(paths["ana"])], capture_output=True, text=True, cwd=REPO,
                          timeout=180)
    assert done.returncode != 0
    assert ("Cannot merge team-ana.assay: it holds a topic decision by \u201cben\u201d, not "
            "by ana, whose copy it is. Nothing was merged.") in done.stderr
    assert digest(origin) == before
    with Project.open(origin, read_only=True, rules=store_rules()) as project:
        assert project.versions() == []


FORGERIES = {  # a value no topic edit could have written, and what the refusal says
    "topic": ("topic = 'smuggled'", "the topic 'smuggled', which this project does not have"),
    "state": ("state = 'bogus'", "has an unknown state or origin: 'bogus'/'reviewer'"),
    "score": ("score = 2.5", "has a score that is not a number from 0 to 1"),
    "stamp": ("updated_by = NULL", "who decided its topic prices and markets, or when, is "
              "not text"),
}


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_a_copy_with_a_topic_value_no_edit_makes_is_refused(origin, tmp_path, what):
    import sqlite3

    from core.teams.merge import merge_copies

    paths = hand_out(origin, tmp_path / "copies", "ana")
    review(paths["ana"], "ana")
    change, why = FORGERIES[what]
    conn = sqlite3.connect(paths["ana"])
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"UPDATE article_topics SET {change} WHERE topic = ?", (PRICES,))
    conn.commit()
    conn.close()
    with Project.open(origin, rules=store_rules()) as project:
        (report,) = merge_copies(project, [paths["ana"]])
        assert why in report.refused and report.refused.endswith("Nothing was merged.")
        assert project.versions() == []


def test_topic_kappa_per_topic_and_overall_as_worked_out_by_hand(merged, capsys, qtbot):
    # export controls over the 4 shared articles: ana y y n n, ben y n n n.
    #   po = 3/4; P(ana yes) = 1/2, P(ben yes) = 1/4; pe = 1/2·1/4 + 1/2·3/4 = 1/2;
    #   κ = (3/4 − 1/2) / (1 − 1/2) = 1/2.
    # prices and markets: both n n y y: κ = 1.
    # Over all 8 (article, topic) units: yy 3, yn 1, nn 4; po = 7/8; P(ana yes) = 4/8,
    #   P(ben yes) = 3/8; pe = 4/8·3/8 + 4/8·5/8 = 1/2; κ = (7/8 − 1/2) / (1/2) = 3/4.
    with Project.open(merged, read_only=True, rules=store_rules()) as project:
        report = agreement(project)
    (pair,) = report["pairs"]
    assert pair["topic_per_topic"] == {BAN: pytest.approx(0.5), PRICES: pytest.approx(1.0)}
    assert pair["topic_kappa"] == pytest.approx(0.75)
    assert pair["topic_units"] == 8
    assert report["overall"]["topic_kappa"] == pytest.approx(0.75)
    assert report["overall"]["topic_per_topic"][BAN] == pytest.approx(0.5)
    sklearn = pytest.importorskip("sklearn.metrics")
    assert sklearn.cohen_kappa_score([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    capsys.readouterr()
    assert cli(["agreement", str(merged)]) == 0
    out = capsys.readouterr().out
    assert "Topic kappa 0.750." in out
    assert "export controls          topic kappa 0.500" in out
    assert "topics: kappa 0.750 over 8 (article, topic) unit(s)" in out
    from gui.teams.agreement_view import AgreementDialog  # the window shows the same

    dialog = AgreementDialog(None, report)
    qtbot.addWidget(dialog)
    assert "topic κ 0.750" in dialog.summary.text()
    assert "Topic κ by topic: export controls 0.500 · prices and markets 1.000" in \
        dialog.summary.text()


def test_the_worklist_holds_an_article_the_reviewers_differ_on_only_in_topics(merged):
    from core.teams.adjudicate import to_adjudicate

    with Project.open(merged, read_only=True, rules=store_rules()) as project:
        assert [article_id for article_id, _f1 in to_adjudicate(project)] == [2]


def test_the_cli_lists_and_takes_a_topic_difference(merged, capsys):
    capsys.readouterr()
    assert cli(["adjudicate", str(merged), "topics", "2"]) == 0
    assert capsys.readouterr().out.strip() == (
        "export controls: set by ana; not by ben; curated: off")
    assert cli(["adjudicate", str(merged), "topic", "2", BAN, "ben", "--reviewer",
                "lead"]) == 0
    assert "the topic export controls is off, as ben decided" in capsys.readouterr().out
    assert cli(["adjudicate", str(merged), "topic", "2", BAN, "ana", "--reviewer",
                "lead"]) == 0
    with Project.open(merged, read_only=True, rules=store_rules()) as project:
        row = project.article_topic(2, BAN)
        assert (row.state, row.origin, row.updated_by) == ("accepted", "reviewer", "lead")
    assert cli(["adjudicate", str(merged), "topic", "2", BAN, "nobody"]) != 0
    assert "Article 2 has no version by nobody." in capsys.readouterr().err


def test_taking_a_version_takes_its_topics_in_one_undoable_step(merged):
    from core.review.history import History
    from core.teams.adjudicate import take_version

    with Project.open(merged, rules=store_rules()) as project:
        ben = next(v for v in project.versions([1]) if v.reviewer == "ben")
        history = History(project, "lead")
        for edit in take_version(ben, approve=False):
            history.do(edit)
        # ben kept the model's suggestion and never set partnerships: the lead's goes off.
        assert {(r.topic, r.state) for r in project.article_topics(1)} == {
            (BAN, "accepted"), (DEALS, "rejected")}
        history.undo()
        assert {(r.topic, r.state, r.updated_by) for r in project.article_topics(1)} == {
            (BAN, "suggested", "topics==1"), (DEALS, "accepted", "lead")}


def test_adjudicating_a_topic_difference_in_the_window_matches_the_cli(qtbot, merged,
                                                                       tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.gui_helpers import open_window

    twin = tmp_path / "twin.assay"
    twin.write_bytes(merged.read_bytes())  # the same project, for the CLI to settle
    win = open_window(qtbot, tmp_path, merged, reviewer="lead")
    win.show_article(2)
    win.adjudication.act_mode.trigger()
    qtbot.waitUntil(lambda: win.jobs.job is None)
    topics = win.adjudication.panel.topics
    assert topics.isVisible()
    row = topics.list.topLevelItem(0)
    assert [row.text(i) for i in range(4)] == [BAN, "on", "off", "off"]  # ana, ben, now
    topics.list.setFocus()
    QTest.keyClick(topics.list, Qt.Key.Key_1)  # lane 1: ana's decision
    assert topics.list.topLevelItem(0).text(3) == "on"
    assert [(t.topic, t.state) for t in win.session.topics] == [(BAN, "accepted")]
    assert win.history.undo_title == f"take ana's topic {BAN}"
    in_window = win.project.article_topic(2, BAN)
    win.close()
    assert cli(["adjudicate", str(twin), "topic", "2", BAN, "ana", "--reviewer", "lead"]) == 0
    with Project.open(twin, read_only=True, rules=store_rules()) as project:
        by_cli = project.article_topic(2, BAN)
    assert (by_cli.state, by_cli.origin, by_cli.updated_by) == (
        in_window.state, in_window.origin, in_window.updated_by) == ("accepted", "reviewer",
                                                                     "lead")


def test_auto_takes_the_topics_every_reviewer_set_and_keeps_the_curators(merged, capsys):
    assert cli(["adjudicate", str(merged), "auto", "--reviewer", "lead"]) == 0
    with Project.open(merged, read_only=True, rules=store_rules()) as project:
        # Articles 3 and 4: both set prices and markets, nothing else differs: approved
        # with it, as the curated version.
        for article_id in (3, 4):
            assert project.article(article_id).status == "approved"
            assert [(r.topic, r.state, r.updated_by) for r in
                    project.article_topics(article_id)] == [(PRICES, "accepted", "lead")]
        # Article 1: the lead decided partnerships there: kept, nothing replaced.
        assert [(r.topic, r.state) for r in project.article_topics(1)] == [
            (BAN, "suggested"), (DEALS, "accepted")]
        # Article 2: they differ on export controls: left to the curator.
        assert project.article(2).status == "pending"
        assert project.article_topics(2) == []
