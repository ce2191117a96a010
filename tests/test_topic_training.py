"""Topic suggestions (issue 29): ``assay-cli train`` trains a ``textcat_multilabel`` beside
NER on the approved articles' topics (one small training, run once for the module, through
the real CLI), says in one sentence why it trains none when too few topics have examples,
scores it per topic (P/R/F1, macro and micro) once in core, which ``train``, ``models
list`` and the Models dialog show, and pre-annotation suggests topics for pending articles
without touching what a reviewer decided; the default pipeline suggests none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.nlp.topic_scores import score_topics
from core.nlp.topic_training import topics_refusal, trainable_topics
from core.nlp.training import META_FILE, models_dir, saved_models
from core.store import Project
from tests.topic_corpus import BAN, PRICES, approve_with_topics, article

REPO = Path(__file__).parents[1]


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=600)


# ---------------------------------------------------------------- the rules, by hand


def test_topic_scores_per_topic_macro_and_micro_by_hand():
    gold = [{"a"}, {"a", "b"}, {"b"}, set()]
    guess = [{"a"}, {"a"}, {"a", "b"}, {"c"}]
    report = score_topics(gold, guess, ["a", "b", "c"])
    # a: 2 of 3 guesses right, both golds found: P 2/3, R 1, F1 = 4/5.
    # b: 1 guess, right; 2 golds: P 1, R 1/2, F1 = 2/3. c: 1 guess, wrong, no gold: F1 0.
    assert report["labels"]["a"] == {"p": pytest.approx(2 / 3), "r": 1.0,
                                     "f": pytest.approx(0.8), "gold": 2, "predicted": 3}
    assert report["labels"]["b"]["f"] == pytest.approx(2 / 3)
    assert report["labels"]["c"]["f"] == 0.0
    # micro: 3 right of 5 guesses and 4 golds: F1 = 6/9. macro F1: (4/5 + 2/3 + 0) / 3.
    assert report["micro"]["f"] == pytest.approx(6 / 9)
    assert report["macro"]["f"] == pytest.approx((0.8 + 2 / 3) / 3)


def test_too_few_topics_with_examples_train_no_classifier_and_say_why():
    articles = [[BAN]] * 3 + [[PRICES]] * 2
    assert trainable_topics(articles, [BAN, PRICES]) == [BAN]
    assert topics_refusal([BAN]) == (
        "Topics are not trained: it takes at least 2 topics with 3 approved articles each, "
        "and this project has 1 such topic (export controls); the model finds entities "
        "only.")
    assert topics_refusal([BAN, PRICES]) is None


def fake_model(project: Path, model_id: str, meta: dict) -> None:
    folder = models_dir(project) / model_id
    folder.mkdir(parents=True)
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


SCORED = {"id": "20261207-100000", "train": [{}] * 9, "dev": [{}] * 3, "labels": ["GPE"],
          "scores": {"model": {"labels": {}, "micro": {"f": 0.5}}},
          "topics": [BAN, PRICES],
          "topic_scores": {"model": {
              "labels": {BAN: {"p": 1.0, "r": 0.5, "f": 2 / 3, "gold": 2, "predicted": 1},
                         PRICES: {"p": 0.5, "r": 1.0, "f": 2 / 3, "gold": 1, "predicted": 2}},
              "macro": {"p": 0.75, "r": 0.75, "f": 2 / 3, "gold": 3, "predicted": 3},
              "micro": {"p": 0.625, "r": 0.625, "f": 0.625, "gold": 3, "predicted": 3},
              "articles": 3}}}


def test_the_models_dialog_and_the_cli_show_the_same_topic_scores(qtbot, tmp_path):
    from gui.models.dialog import ModelsDialog

    path = tmp_path / "m.assay"
    Project.create(path, name="m", rules=store_rules()).close()
    fake_model(path, "20261207-100000", SCORED)
    fake_model(path, "20261201-100000", {**SCORED, "id": "20261201-100000",
                                         "topic_scores": {}, "topics": [],
                                         "topics_note": "Topics are not trained: because."})
    dialog = ModelsDialog(None, str(path), "default", select="20261207-100000")
    qtbot.addWidget(dialog)
    topics = dialog.topics
    rows = [[topics.cell(r, c) for c in range(5)] for r in range(topics.table.rowCount())]
    assert rows == [[BAN, "2", "1.00", "0.50", "0.67"], [PRICES, "1", "0.50", "1.00", "0.67"],
                    ["macro", "3", "0.75", "0.75", "0.67"],
                    ["micro", "3", "0.62", "0.62", "0.62"]]
    assert "macro F1 0.67 and micro F1 0.62" in topics.summary.text()
    dialog.list.setCurrentRow(2)  # the older model: trained without topics, and why
    assert topics.table.rowCount() == 0
    assert topics.summary.text() == "Topics are not trained: because."
    dialog.list.setCurrentRow(0)  # the default
    assert "The default pre-annotator suggests no topics" in topics.summary.text()
    assert "no topics" in dialog.list.item(0).text()
    listed = cli("models", path, "list").stdout
    assert "default  (the stock model with the gazetteers; suggests no topics)" in listed
    assert "20261207-100000  9 articles, dev F1 0.500; topics: 2, dev macro F1 0.667, " \
           "micro F1 0.625" in listed
    assert "20261201-100000  9 articles, dev F1 0.500; suggests no topics" in listed


# ---------------------------------------------------------------- real training (slow)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """12 approved articles (6 about an export ban, 6 about prices), two pending ones of
    each kind, and a pending ban article on which ana already said "not export controls";
    trained once, 4 epochs, through the CLI."""
    path = tmp_path_factory.mktemp("topics") / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as project:
        approve_with_topics(project, 12)
        project.add_articles([ArticleIn(text=article(i)[0], title=f"pending {i}")
                              for i in (100, 101, 102)])
        decided = project.article_ids()[-1]
        project.set_article_topic(decided, BAN, False, "ana")
    done = cli("train", path, "--epochs", "4", "--dev", "0.25")
    assert done.returncode == 0, done.stderr
    return path, done.stdout


@pytest.mark.slow
def test_training_adds_a_topic_classifier_to_the_model_and_scores_it(trained):
    import spacy

    path, out = trained
    (model,) = saved_models(path)
    assert model.meta["topics"] == [BAN, PRICES] and model.meta["topics_note"] == ""
    report = model.meta["topic_scores"]["model"]
    assert set(report["labels"]) == {BAN, PRICES} and report["macro"]["f"] is not None
    assert "Topics (2 trained), on the same dev split, the trained model:" in out
    assert "| macro |" in out and "| micro |" in out
    # One pipeline: whoever loads it with spaCy gets entities and doc.cats.
    nlp = spacy.load(model.path)
    assert "textcat_multilabel" in nlp.pipe_names and "ner" in nlp.pipe_names
    assert set(nlp("Chile announced an export ban on lithium.").cats) == {BAN, PRICES}


@pytest.mark.slow
def test_the_trained_model_suggests_topics_for_pending_articles_only(trained):
    path, _out = trained
    (model,) = saved_models(path)
    with Project.open(path, read_only=True, rules=store_rules()) as project:
        approved = {a: project.article_topics(a) for a in project.article_ids()
                    if project.article(a).status == "approved"}
    assert cli("models", path, "use", model.id).returncode == 0
    done = cli("annotate", path)
    assert done.returncode == 0, done.stderr
    assert "topic suggestion(s)" in done.stdout
    with Project.open(path, read_only=True, rules=store_rules()) as project:
        ban, prices, decided = project.article_ids()[-3:]
        (row,) = project.article_topics(ban)
        assert (row.topic, row.state, row.origin, row.model) == (BAN, "suggested", "model",
                                                                 model.meta["annotator"])
        assert row.score >= 0.5
        assert [(r.topic, r.state) for r in project.article_topics(prices)] == [
            (PRICES, "suggested")]
        # ana's "not export controls" stands, as she left it.
        rows = project.article_topics(decided)
        assert [(r.topic, r.state, r.updated_by) for r in rows if r.topic == BAN] == [
            (BAN, "rejected", "ana")]
        # Approved articles are decisions: not one of their topics changed.
        assert {a: project.article_topics(a) for a in approved} == approved


@pytest.mark.slow
def test_too_few_topics_train_entities_only_and_the_default_suggests_none(tmp_path):
    path = tmp_path / "few.assay"
    with Project.create(path, name="few", rules=store_rules()) as project:
        approve_with_topics(project, 4)  # 2 articles per topic: fewer than 3
        project.add_articles([ArticleIn(text=article(50)[0], title="pending")])
    done = cli("train", path, "--epochs", "1", "--dev", "0.25")
    assert done.returncode == 0, done.stderr
    assert ("Topics are not trained: it takes at least 2 topics with 3 approved articles "
            "each, and this project has 0 such topics; the model finds entities only."
            ) in done.stdout
    (model,) = saved_models(path)
    assert model.meta["topics"] == [] and "topic_scores" not in model.meta
    done = cli("annotate", path)  # the default pipeline
    assert "0 topic suggestion(s)" in done.stdout
    with Project.open(path, read_only=True, rules=store_rules()) as project:
        assert project.article_topics(project.article_ids()[-1]) == []


def test_a_text_longer_than_spacy_takes_gets_topic_scores_from_its_beginning():
    """spaCy refuses texts over nlp.max_length (E088); the classifier reads an article's
    first TOPIC_TEXT_LIMIT characters, in training and in pre-annotation alike."""
    import spacy

    from core.nlp.pipeline import Annotator

    nlp = spacy.blank("en")
    classifier = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
        "ngram_size": 1, "no_output_layer": False}})
    for topic in (BAN, PRICES):
        classifier.add_label(topic)
    nlp.initialize()
    annotator = Annotator(nlp, "test", "0", False, None)
    huge = "Chile bans lithium exports. " * 50_000  # 1,400,000 characters
    assert len(huge) > nlp.max_length
    (scores,) = annotator.topic_scores([huge])
    assert set(scores) == {BAN, PRICES} and all(0.0 <= s <= 1.0 for s in scores.values())
    assert annotator.topic_labels == (BAN, PRICES)
