"""Teams: hand out copies, review them separately, merge them back as versions, measure
agreement; copies are untrusted input. Expected values are computed by hand for small
cases, and the measures agree with scikit-learn's."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from sklearn.metrics import cohen_kappa_score

from core.cli import main as cli
from core.errors import AssayError
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.teams.agreement import agreement, cohen_kappa, f1_overlap, token_labels
from core.teams.assign import hand_out, plan
from core.teams.merge import merge_copy

TEXTS = [f"Report {i}: Chile and Peru sell lithium to Japan, the IEA said." for i in range(10)]


def find(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def origin(tmp_path):
    path = tmp_path / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=t, title=f"R{i}", spans=(
            SpanIn(*find(t, "Chile"), "GPE"), SpanIn(*find(t, "lithium"), "MINERAL")))
            for i, t in enumerate(TEXTS)])
        project.approve_article(10, "lead")  # decided: not handed out
    return path


def test_the_plan_shares_the_overlap_and_splits_the_rest():
    p = plan(list(range(1, 21)), ["ana", "ben", "cy"], 0.2, seed=1)
    assert len(p.shared) == 4
    own = [set(p.own[r]) for r in ("ana", "ben", "cy")]
    assert [len(o) for o in own] == [6, 5, 5]
    assert set.union(*own) | set(p.shared) == set(range(1, 21))
    assert not (own[0] & own[1]) and not (own[0] & set(p.shared))
    assert plan(list(range(1, 21)), ["ana", "ben", "cy"], 0.2, seed=1) == p  # seeded


def review(copy_path, reviewer: str, relabel_peru: bool = False, add_japan: bool = False):
    """A reviewer's work in their copy, through the store (as the window does)."""
    with Project.open(copy_path, rules=store_rules()) as copy:
        for article_id in copy.article_ids():
            text = copy.article_text(article_id)
            if add_japan:
                copy.add_span(article_id, *find(text, "Japan"), "GPE", reviewer)
            if relabel_peru:
                copy.add_span(article_id, *find(text, "Peru"), "LOC", reviewer)
            copy.approve_article(article_id, reviewer)


def two_reviewers_merged(origin, tmp_path) -> None:
    """Every pending article to ana and ben; ana also marks Japan; both copies merged."""
    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, ["ana", "ben"], tmp_path / "out", overlap=1.0)
    review(paths["ana"], "ana", add_japan=True)
    review(paths["ben"], "ben")
    with Project.open(origin, rules=store_rules()) as project:
        for path in paths.values():
            merge_copy(project, path)


def test_a_team_of_three_hands_out_reviews_merges_and_agrees(origin, tmp_path):
    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, ["ana", "ben", "cy"], tmp_path / "out", overlap=0.4,
                         seed=0)
        before = [(s.id, s.state, s.label) for a in project.article_ids()
                  for s in project.spans(a)]
    assert sorted(p.name for p in paths.values()) == [
        "team-ana.assay", "team-ben.assay", "team-cy.assay"]
    with Project.open(paths["ana"], rules=store_rules()) as copy:
        # 4 of the 9 pending articles to everyone, the other 5 dealt: 2, 2, 1.
        assert copy.meta("copy_reviewer") == "ana" and len(copy.article_ids()) == 6
        assert [lb.name for lb in copy.labels()][:2] == ["MINERAL", "GPE"]
    review(paths["ana"], "ana", add_japan=True)
    review(paths["ben"], "ben", add_japan=True)
    review(paths["cy"], "cy", relabel_peru=True)
    with Project.open(origin, rules=store_rules()) as project:
        reports = [merge_copy(project, paths[r]) for r in ("ana", "ben", "cy")]
        assert [(r.reviewer, r.added) for r in reports] == [("ana", 6), ("ben", 6), ("cy", 5)]
        again = merge_copy(project, paths["ana"])
        assert (again.added, again.replaced, again.unchanged) == (0, 0, 6)
        # The project's own spans are untouched: versions sit beside them.
        assert [(s.id, s.state, s.label) for a in project.article_ids()
                for s in project.spans(a)] == before
        report = agreement(project)
    assert report["articles"] == 4  # the shared 40 % of the nine pending articles
    pairs = {tuple(p["reviewers"]): p for p in report["pairs"]}
    # ana and ben agree exactly; cy lacks Japan and adds Peru on each shared article.
    assert pairs[("ana", "ben")]["span_f1"] == 1.0
    assert pairs[("ana", "ben")]["token_kappa"] == 1.0
    # ana: Chile, lithium, Japan (3); cy: Chile, lithium, Peru (3); 2 matches → 2·2/6.
    assert pairs[("ana", "cy")]["span_f1"] == pytest.approx(2 / 3)
    # GPE: ana has Chile and Japan, cy Chile (its Peru is LOC): 2·1/3.
    assert pairs[("ana", "cy")]["per_label"] == {
        "GPE": pytest.approx(2 / 3), "LOC": 0.0, "MINERAL": 1.0}
    # Micro over the three pairs: matches 12 + 8 + 8, spans 12 + 12 on each side of each.
    assert report["overall"]["span_f1"] == pytest.approx(2 * 28 / 72)
    assert report["articles_worst_first"][0]["span_f1"] == pytest.approx((1 + 2 / 3 + 2 / 3)
                                                                         / 3)


def test_token_kappa_counts_every_token_and_matches_scikit_learn():
    text = "Chile and Peru sell lithium ."
    a = token_labels(text, [(0, 5, "GPE"), (20, 27, "MINERAL")])
    b = token_labels(text, [(0, 5, "GPE"), (10, 14, "GPE")])
    assert a == ["GPE", "O", "O", "O", "MINERAL", "O"]
    assert b == ["GPE", "O", "GPE", "O", "O", "O"]
    # By hand: po = 4/6; pe = (1·2 + 4·4 + 1·0)/36 = 18/36; κ = (4/6 - 1/2) / (1/2) = 1/3.
    assert cohen_kappa(a, b) == pytest.approx(1 / 3)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert cohen_kappa(["O"] * 5, ["O"] * 5) == 1.0


def test_overlap_f1_by_hand():
    a = [(0, 10, "ORG"), (20, 25, "GPE")]
    b = [(5, 12, "ORG"), (30, 35, "GPE")]
    # a finds a partner for 1 of 2, b for 1 of 2: P = R = 1/2, F1 = 1/2.
    assert f1_overlap(a, b) == 0.5
    assert f1_overlap(a, [(5, 12, "GPE")]) == 0.0  # overlap needs the same label


def test_merging_refuses_what_a_copy_could_not_have_made(origin, tmp_path):
    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, ["ana", "ben"], tmp_path / "out", overlap=0.0)
    review(paths["ana"], "ana")
    # Another reviewer's decision inside ana's copy.
    forged = tmp_path / "forged.assay"
    shutil.copy(paths["ana"], forged)
    with Project.open(forged, rules=store_rules()) as copy:
        copy.set_article_status(copy.article_ids()[0], "rejected", "ben")
    # An article ana was not given.
    extra = tmp_path / "extra.assay"
    shutil.copy(paths["ana"], extra)
    with Project.open(extra, rules=store_rules()) as copy:
        copy.add_articles([ArticleIn(text="Smuggled text about cobalt.", title="Smuggled")])
        copy.approve_article(copy.article_ids()[-1], "ana")
    # A trigger: would run on every write.
    trigger = tmp_path / "trigger.assay"
    shutil.copy(paths["ana"], trigger)
    conn = sqlite3.connect(trigger)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON spans BEGIN DELETE FROM spans; END")
    conn.commit()
    conn.close()
    # A copy of another project.
    other = tmp_path / "other.assay"
    Project.create(other, rules=store_rules()).close()
    with Project.open(origin, rules=store_rules()) as project:
        for bad, why in ((forged, "a decision by “ben”"), (extra, "not given"),
                         (trigger, "schema objects"), (other, "not a copy of this project")):
            with pytest.raises(AssayError, match=why):
                merge_copy(project, bad)
        assert project.versions() == []
        merge_copy(project, paths["ana"])
        assert {v.reviewer for v in project.versions()} == {"ana"}


def test_the_cli_assigns_merges_and_reports_json(origin, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(["assign", str(origin), "--reviewers", "ana,ben", "--overlap", "1",
                "-o", str(out)]) == 0
    for reviewer in ("ana", "ben"):
        review(out / f"team-{reviewer}.assay", reviewer, add_japan=reviewer == "ana")
    assert cli(["merge", str(origin), str(out / "team-ana.assay"),
                str(out / "team-ben.assay")]) == 0
    capsys.readouterr()
    assert cli(["agreement", str(origin), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 9
    (pair,) = report["pairs"]
    assert pair["reviewers"] == ["ana", "ben"] and pair["articles"] == 9
    # ana: 3 spans an article, ben 2, 2 shared: F1 = 2·2/5 on every article.
    assert pair["span_f1"] == pytest.approx(0.8)
    assert pair["per_label"] == {"GPE": pytest.approx(2 / 3), "MINERAL": 1.0}
    assert set(report["overall"]) >= {"span_f1", "token_kappa"}
    assert cli(["agreement", str(origin)]) == 0
    assert "ana / ben: 9 article(s), span F1 0.800" in capsys.readouterr().out


@pytest.mark.slow
def test_the_agreement_view_shows_the_heat_map_and_saves_a_png(qtbot, origin, tmp_path):
    from PySide6.QtGui import QImage

    from tests.gui_helpers import open_window

    out = tmp_path / "out"
    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, ["ana", "ben", "cy"], out, overlap=1.0)
    for reviewer, path in paths.items():
        review(path, reviewer, add_japan=reviewer != "cy", relabel_peru=reviewer == "cy")
    with Project.open(origin, rules=store_rules()) as project:
        for path in paths.values():
            merge_copy(project, path)
    win = open_window(qtbot, tmp_path, origin)
    win.act_agreement.trigger()  # computed in a thread, then shown
    qtbot.waitUntil(lambda: getattr(win, "agreement_dialog", None) is not None
                    and win.agreement_dialog.isVisible(), timeout=30_000)
    dialog = win.agreement_dialog
    assert dialog.summary.text().startswith("9 article(s) approved by two or more reviewers")
    heat = dialog.figure.axes[0]
    assert [t.get_text() for t in heat.get_xticklabels()] == ["ana", "ben", "cy"]
    assert "1.00" in [t.get_text() for t in heat.texts] and "0.67" in [
        t.get_text() for t in heat.texts]
    png = dialog.save_png(str(tmp_path / "agreement.png"))
    image = QImage(png)
    assert not image.isNull() and image.width() > 800
    dialog.close()


def test_the_window_hands_out_and_merges_in_the_background(qtbot, origin, tmp_path):
    from gui.teams.dialogs import merge_copies
    from tests.gui_helpers import open_window

    win = open_window(qtbot, tmp_path, origin)
    win.act_hand_out.trigger()
    dialog = win.hand_out_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reviewers, "ana, ben")
    dialog.folder.setText(str(tmp_path / "handed"))
    dialog.hand_out()
    assert sorted(p.name for p in dialog.paths.values()) == ["team-ana.assay",
                                                             "team-ben.assay"]
    assert "Handed out 2 copies" in win.statusBar().currentMessage()
    for reviewer, path in dialog.paths.items():
        review(path, reviewer)
    job = merge_copies(win, [str(p) for p in dialog.paths.values()])
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert "ana: " in win.statusBar().currentMessage()
    assert {v.reviewer for v in win.project.versions()} == {"ana", "ben"}


def test_adjudication_takes_what_all_agree_on_then_a_version_and_exports_it(
        origin, tmp_path, capsys):
    from core.review.history import History
    from core.teams.adjudicate import AdoptSpans, agreed, by_article, to_adjudicate

    two_reviewers_merged(origin, tmp_path)
    with Project.open(origin, rules=store_rules()) as project:
        worst = to_adjudicate(project)
        assert len(worst) == 9 and worst[0][1] == pytest.approx(0.8)
        # Undoable: the agreed spans replace the article's, and come off again.
        history = History(project, "lead")
        before = [(s.start, s.end, s.label, s.state) for s in project.spans(1)]
        history.do(AdoptSpans(1, agreed(by_article(project)[1]), "take the agreed spans"))
        assert [(s.text, s.label, s.state) for s in project.spans(1)] == [
            ("Chile", "GPE", "accepted"), ("lithium", "MINERAL", "accepted")]
        history.undo()
        assert [(s.start, s.end, s.label, s.state) for s in project.spans(1)] == before
    assert cli(["adjudicate", str(origin), "auto", "--reviewer", "lead"]) == 0
    assert "Settled 9 article(s): 0 all reviewers agree on entirely" in capsys.readouterr().out
    assert cli(["adjudicate", str(origin), "take", "1", "ana", "--reviewer", "lead"]) == 0
    with Project.open(origin, rules=store_rules()) as project:
        article = project.article(1)
        assert (article.status, article.reviewed_by) == ("approved", "lead")
        assert {s.text for s in project.spans(1)} == {"Chile", "lithium", "Japan"}
        assert any(e["action"] == "span.replace" and e["reviewer"] == "lead"
                   for e in project.events(1))
    out = tmp_path / "curated.jsonl"
    assert cli(["export", str(origin), "-f", "assay", "-o", str(out)]) == 0
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert {s["text"] for s in records[1]["spans"]} == {"Chile", "lithium", "Japan"}
    assert 2 not in records  # still pending: only its agreed spans are curated so far



def test_every_reviewers_version_exports_with_its_reviewer(origin, tmp_path, capsys):
    two_reviewers_merged(origin, tmp_path)
    out = tmp_path / "versions.jsonl"
    assert cli(["export", str(origin), "-f", "versions", "--status", "all", "-o", str(out)]) == 0
    assert "18 versions" in capsys.readouterr().out
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    first = {r["reviewer"]: r for r in lines if r["article_id"] == 1}
    assert set(first) == {"ana", "ben"}
    assert {s["text"] for s in first["ana"]["spans"]} == {"Chile", "lithium", "Japan"}
    assert {s["text"] for s in first["ben"]["spans"]} == {"Chile", "lithium"}
    assert all(s["text"] == r["text"][s["start"]:s["end"]] for r in lines for s in r["spans"])
