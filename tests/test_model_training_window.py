"""Training from the window: Review → Train model… runs in a child process with progress
and Cancel, the Models dialog shows the new model's scores beside the current
pre-annotator's, choosing it re-annotates the pending articles with it (decisions kept),
and "Most uncertain first" opens the article the pre-annotation was least sure about."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.nlp.training import ANNOTATOR_KEY, saved_models
from core.store import Project
from tests.gui_helpers import open_window
from tests.test_training import approve_briefs


def project_with_approvals(tmp_path, approved: int = 8):
    path = tmp_path / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as project:
        approve_briefs(project, approved)
        project.add_articles([
            ArticleIn(text="Pending one: Tamsin Cobalt Inc. mines cobalt in Zambia.",
                      title="pending one"),
            ArticleIn(text="Pending two: Halden Graphite AS ships graphite from Canada.",
                      title="pending two")])
    return path


def answer_reannotate(window) -> None:
    box = window.jobs.prompt
    if box is None:
        QTimer.singleShot(20, lambda: answer_reannotate(window))
        return
    next(b for b in box.buttons() if b.text() == "Re-annotate").click()


@pytest.mark.slow
def test_train_compare_choose_and_reannotate_from_the_window(qtbot, tmp_path):
    path = project_with_approvals(tmp_path)
    window = open_window(qtbot, tmp_path, path)
    controller = window.model_training
    assert controller.act_train in window.menuBar().actions()[2].menu().actions()
    options = controller.train()
    assert options is not None and "8 approved article(s)" in options.findChildren(
        type(options.layout().itemAt(0).widget()))[0].text()
    options.epochs.setValue(2)
    stages: list[str] = []
    options.accept()
    job = window.jobs.job
    assert job is not None
    job.stage.connect(stages.append)
    qtbot.waitUntil(lambda: controller.dialog is not None, timeout=180_000)
    assert any(s.startswith("epoch ") and "dev P" in s for s in stages)  # shown while it ran
    (model,) = saved_models(path)
    dialog = controller.dialog
    assert dialog.selected() == model.id
    labels = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {"LAW", "MINERAL", "ORG", "micro"} <= labels
    assert f"Scored on {len(model.meta['dev'])} dev article(s)" in dialog.summary.text()
    assert dialog.use.isEnabled()
    png = dialog.save_png(str(tmp_path / "scores.png"))
    assert (tmp_path / "scores.png").stat().st_size > 5_000 and png

    QTimer.singleShot(20, lambda: answer_reannotate(window))
    dialog.use.click()
    assert window.project.meta(ANNOTATOR_KEY) == model.id
    job = window.jobs.job
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=120_000) as blocker:
        pass
    assert blocker.args[0].articles == 2 and blocker.args[0].model == model.meta["annotator"]
    rows = window.project.conn.execute(
        "SELECT DISTINCT model FROM spans WHERE state = 'suggested'").fetchall()
    assert [r[0] for r in rows] == [model.meta["annotator"]]
    measured = window.project.conn.execute(
        "SELECT count(*) FROM articles WHERE status = 'pending' AND uncertainty IS NOT NULL"
    ).fetchone()[0]
    assert measured == 2  # the stock model ran beside it to measure each article
    approved = window.project.conn.execute(
        "SELECT count(*) FROM spans s JOIN articles a ON a.id = s.article_id "
        "WHERE a.status = 'approved' AND s.state = 'accepted'").fetchone()[0]
    assert approved == 8 * 5  # what the reviewers decided is untouched


def test_cancelling_training_saves_nothing(qtbot, tmp_path):
    path = project_with_approvals(tmp_path, approved=4)
    window = open_window(qtbot, tmp_path, path)
    options = window.model_training.train()
    options.accept()
    job = window.jobs.job
    qtbot.waitUntil(lambda: bool(saved_models(path)) or job.process.state() != 0,
                    timeout=10_000)
    with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
        job.cancel()
    assert blocker.args[0].cancelled
    assert saved_models(path) == []
    models = path.parent / "team.assay.models"
    assert not models.exists() or list(models.iterdir()) == []  # no half model left
    assert "cancelled" in window.statusBar().currentMessage()


def test_most_uncertain_first_opens_the_least_sure_pending_article(qtbot, tmp_path):
    path = project_with_approvals(tmp_path, approved=2)
    with Project.open(path, rules=store_rules()) as project:
        one, two = project.article_ids()[-2:]
        project.store_annotations([(one, [SpanIn(0, 7, "ORG")], None),
                                   (two, [SpanIn(0, 7, "ORG")], None)], "m==1",
                                  {one: 0.1, two: 0.8})
    window = open_window(qtbot, tmp_path, path)
    window.show_article(one)
    window.model_training.act_uncertain.trigger()
    assert window.session.uncertain_first
    model = window.list_panel.model
    assert model.data(model.index(0, 0)) == "pending two"  # the list leads with it too
    window.act_approve.trigger()  # approve "one": the next is the most uncertain pending
    assert window.article.id == two
    window.model_training.act_uncertain.trigger()
    assert not window.session.uncertain_first
    assert isinstance(window.jobs.prompt, QMessageBox | None)
