"""The statistics judge relation suggestions as they judge entities (issue 27): in
approved articles, per model and type, how many suggestions reviewers kept, retyped or
rejected (itself or by rejecting an end) and how many relations they drew; in
``assay-cli stats`` (text and JSON) and in the statistics window's Relations tab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.jobs.annotate import annotate_project
from core.models import ArticleIn
from core.nlp.pipeline import load_annotator
from core.nlp.store_rules import store_rules
from core.review.edits import SetStatus, UpdateSpan
from core.review.history import History
from core.review.relation_edits import AddRelation, UpdateRelation
from core.store import Project
from tests.relations_corpus import assay_cli

TEXT = ("Kenya banned exports of titanium to Italy.\n"
        "Brazil mines niobium and tin.\n"
        "Rio Tinto signed an agreement with Glencore.")


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> tuple[Path, str]:
    """A project pre-annotated by the real pipeline, whose one article a reviewer
    reviewed and approved: one suggestion kept, one retyped, one rejected, one gone with
    its rejected entity, one drawn; the last suggestion accepted by the approval."""
    path = tmp_path_factory.mktemp("judged") / "p.assay"
    annotator = load_annotator()
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="t")])
        report = annotate_project(project, annotator)
        assert report.relations == 5
        history = History(project, "ana")
        rels = {project.relation_text(r): r for r in project.relations(1)}
        spans = {s.text: s for s in project.spans(1)}
        history.do(UpdateRelation(rels["Kenya RESTRICTS Italy"].id, "reject",
                                  state="rejected"))
        history.do(UpdateRelation(rels["Kenya RESTRICTS titanium"].id, "retype",
                                  type="SUPPLIES", state="accepted"))
        history.do(UpdateSpan(spans["tin"].id, "reject", state="rejected"))
        history.do(UpdateRelation(rels["Brazil PRODUCES niobium"].id, "accept",
                                  state="accepted"))
        history.do(AddRelation(1, spans["Kenya"].id, spans["Italy"].id, "SUPPLIES"))
        history.do(SetStatus(1, "approved"))
    return path, annotator.model_id


@pytest.mark.slow
def test_stats_counts_kept_retyped_rejected_and_added_per_type_and_model(judged):
    path, model = judged
    done = assay_cli("stats", str(path), "--json")
    assert done.returncode == 0, done.stderr
    per_type = json.loads(done.stdout)["relation_suggestions"][model]
    zero = {"kept": 0, "corrected": 0, "rejected": 0, "added": 0}
    assert per_type == {
        "RESTRICTS": {**zero, "corrected": 1, "rejected": 1},
        "PRODUCES": {**zero, "kept": 1, "rejected": 1},
        "PARTNERS_WITH": {**zero, "kept": 1},  # accepted by the approval
        "SUPPLIES": {**zero, "added": 1},
    }
    text = assay_cli("stats", str(path))
    assert ("Relation suggestions as reviewers judged them (approved articles):\n"
            f"  {model}: 5 suggestion(s): kept 40%, corrected 20%, rejected 40%; "
            "1 added by reviewers") in text.stdout


@pytest.mark.slow
def test_the_statistics_window_lists_judged_relation_suggestions(qtbot, judged, tmp_path):
    from tests.gui_helpers import open_window

    path, model = judged
    win = open_window(qtbot, tmp_path, path)
    win.act_statistics.trigger()
    dialog = win.statistics_window
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30_000)
    dialog.tabs.setCurrentWidget(dialog.relations_pane)
    table = dialog.relation_judged
    assert table.isVisible()
    rows = [[table.table.item(r, c).text() for c in range(6)]
            for r in range(table.table.rowCount())]
    assert [model, "RESTRICTS", "0", "1", "1", "0"] in rows
    assert [model, "SUPPLIES", "0", "0", "0", "1"] in rows
    assert len(rows) == 4
