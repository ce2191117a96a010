"""Training in the loop: a tiny spaCy model trained for a few steps on approvals of text we
wrote, saved beside the project with what it saw and how it scored, chosen as the
pre-annotator, used by annotate, and never touching what reviewers decided."""

from __future__ import annotations

import hashlib
import random
import sqlite3

import pytest

from core.cli import main as cli
from core.errors import AssayError
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.nlp.training import (
    ANNOTATOR_KEY,
    Example,
    TrainingCancelled,
    models_dir,
    saved_models,
    segment_docs,
    split,
)
from core.store import Project

COMPANIES = ["Kestrel Ridge Lithium Corp.", "Halden Graphite AS", "Corvane Nickel Ltd.",
             "Tamsin Cobalt Inc."]
COUNTRIES = ["Chile", "Canada", "Zambia", "Indonesia"]
MINERALS = ["lithium", "graphite", "nickel", "cobalt"]


def brief(i: int) -> tuple[str, list[tuple[str, str]]]:
    """A short article of our own, and the entities a reviewer approved in it, in order."""
    rng = random.Random(i)
    company, country, mineral = (rng.choice(COMPANIES), rng.choice(COUNTRIES),
                                 rng.choice(MINERALS))
    year = str(2020 + i % 7)
    text = (f"Brief {i}\n{company} said it will ship {mineral} from {country} in {year}, "
            f"under the Northern Refining Programme.")
    return text, [(company, "ORG"), (mineral, "MINERAL"), (country, "GPE"), (year, "DATE"),
                  ("Northern Refining Programme", "LAW")]


def approve_briefs(project: Project, n: int, first: int = 0) -> list[int]:
    texts = [brief(i) for i in range(first, first + n)]
    project.add_articles([ArticleIn(text=t, title=f"Brief {first + k}")
                          for k, (t, _e) in enumerate(texts)])
    ids = project.article_ids()[-n:]
    for article_id, (text, entities) in zip(ids, texts, strict=True):
        at = 0
        for name, label in entities:
            start = text.index(name, at)
            project.add_span(article_id, start, start + len(name), label, "ana")
            at = start + len(name)
        project.approve_article(article_id, "ana")
    return ids


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One project with 12 approved briefs, trained once for two epochs through the CLI."""
    path = tmp_path_factory.mktemp("train") / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as project:
        approve_briefs(project, 12)
        project.add_articles([ArticleIn(text="Pending: Tamsin Cobalt Inc. mines cobalt in "
                                        "Zambia.", title="pending")])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert cli(["train", str(path), "--epochs", "2", "--dev", "0.25"]) == 0
    return path, before


@pytest.mark.slow
def test_training_saves_a_model_beside_the_project_with_what_it_saw(trained, capsys):
    path, before = trained
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # training only reads
    (model,) = saved_models(path)
    assert model.path.parent == models_dir(path) == path.parent / "team.assay.models"
    meta = model.meta
    with Project.open(path, rules=store_rules()) as project:
        approved = {project.article(i).sha256
                    for i in project.article_ids() if project.article(i).status == "approved"}
    seen = {e["sha256"] for e in meta["train"]} | {e["sha256"] for e in meta["dev"]}
    n_dev = len(meta["dev"])
    assert seen == approved and 1 <= n_dev <= 11 and len(meta["train"]) == 12 - n_dev
    assert meta["train_spans"] == (12 - n_dev) * 5
    assert meta["base_model"].startswith("en_core_web_sm")
    for who in ("model", "baseline"):  # the same dev split, per label, for both
        per_label = meta["scores"][who]["labels"]
        assert per_label["LAW"]["gold"] == n_dev and per_label["MINERAL"]["gold"] == n_dev
        assert 0.0 <= meta["scores"][who]["micro"]["f"] <= 1.0
    assert meta["annotator"].endswith("==1.0.0") and meta["annotator"] != meta["baseline"]
    assert not [p for p in models_dir(path).iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_the_chosen_model_pre_annotates_and_reviewers_decisions_stay(trained, capsys):
    path, _ = trained
    (model,) = saved_models(path)
    assert cli(["models", str(path), "use", model.id]) == 0
    with Project.open(path, rules=store_rules()) as project:
        assert project.meta(ANNOTATOR_KEY) == model.id
        (pending,) = [i for i in project.article_ids() if project.article(i).status == "pending"]
        text = project.article(pending).text
        start = text.index("Zambia")
        kept = project.add_span(pending, start, start + 6, "LOC", "ben")  # a reviewer's call
        approved = {i: project.spans(i) for i in project.article_ids()
                    if project.article(i).status == "approved"}
    assert cli(["annotate", str(path), "--force"]) == 0
    with Project.open(path, rules=store_rules()) as project:
        assert kept in project.spans(pending)
        rows = project.conn.execute(
            "SELECT origin, state, model FROM spans WHERE article_id = ? AND id != ?",
            (pending, kept.id)).fetchall()
        assert rows and all(r["state"] == "suggested" for r in rows)
        assert {r["model"] for r in rows} == {model.meta["annotator"]}
        assert project.article(pending).model == model.meta["annotator"]
        assert {i: project.spans(i) for i in approved} == approved
    assert cli(["models", str(path), "list"]) == 0
    listing = capsys.readouterr().out
    assert f"* {model.id}" in listing and "  default" in listing
    assert cli(["models", str(path), "remove", model.id]) == 1  # it is in use
    assert cli(["models", str(path), "use", "default"]) == 0


@pytest.mark.slow
def test_a_cancelled_training_leaves_no_model(tmp_path):
    from core.jobs.train import train_project

    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        approve_briefs(project, 4)
    with pytest.raises(TrainingCancelled):
        train_project(path, epochs=2, should_cancel=lambda: True)
    assert saved_models(path) == []
    assert list(models_dir(path).iterdir()) == []


def test_training_needs_two_approved_articles(tmp_path, capsys):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        approve_briefs(project, 1)
    assert cli(["train", str(path)]) == 1
    assert "at least 2 approved articles" in capsys.readouterr().err
    assert not models_dir(path).exists() or saved_models(path) == []


def test_the_split_is_by_article_seeded_stable_as_approvals_grow_and_never_empty():
    examples = [Example(i, f"h{i}", "x", []) for i in range(200)]
    train, dev = split(examples, 0.2, seed=3)
    assert 25 <= len(dev) <= 55 and {e.article_id for e in train + dev} == set(range(200))
    assert split(list(reversed(examples)), 0.2, seed=3) == (train, dev)  # order-free
    assert split(examples, 0.2, seed=4) != (train, dev)
    # More approvals later: every earlier dev article stays in dev, every earlier training
    # article stays in training (a model never meets its own training text in a later dev).
    more_train, more_dev = split(examples + [Example(i, f"h{i}", "x", [])
                                             for i in range(200, 300)], 0.2, seed=3)
    def ids(part):
        return {e.article_id for e in part}

    assert ids(dev) <= ids(more_dev) and ids(train) <= ids(more_train)
    assert [len(part) for part in split(examples[:2], 0.01)] == [1, 1]
    with pytest.raises(AssayError):
        split(examples, 1.5)


def test_training_docs_hold_every_reviewed_span_exactly(tmp_path):
    """Read back from the .spacy file by spaCy itself: edges inside a token ("Albemarle's",
    "U.S.-led") stay where the reviewer put them, and segments follow the line breaks."""
    import spacy
    from spacy.tokens import DocBin

    from core.nlp.training import write_corpus

    text = "U.S.-led talks\nAlbemarle's lithium, said the Northern Refining Programme."
    names = [("U.S.", "GPE"), ("Albemarle", "ORG"), ("lithium", "MINERAL"),
             ("Northern Refining Programme", "LAW")]
    spans = [(text.index(n), text.index(n) + len(n), label) for n, label in names]
    ex = Example(1, "h", text, spans)
    vocab = spacy.blank("en").vocab
    assert write_corpus([ex], tmp_path / "t.spacy", vocab) == 2
    docs = list(DocBin().from_disk(tmp_path / "t.spacy").get_docs(vocab))
    assert [d.text for d in docs] == ["U.S.-led talks", text.split("\n")[1]]
    got = [(e.text, e.label_) for d in docs for e in d.ents]
    assert got == names
    assert len(list(segment_docs([ex], vocab))) == 2


def test_v7_projects_learn_which_model_made_each_suggestion(tmp_path):
    """The v8 migration: a live suggestion keeps its model, a decided one takes its article's."""
    from core.models import SpanIn

    path = tmp_path / "old.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Chile sells lithium.")])
        (article_id,) = project.article_ids()
        project.store_annotations([(article_id, [SpanIn(0, 5, "GPE"),
                                                 SpanIn(12, 19, "MINERAL")], None)], "m==1")
        first = project.spans(article_id)[0]
        project.accept_span(first.id, "ana")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE spans DROP COLUMN model")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with Project.open(path, rules=store_rules()) as project:
        rows = project.conn.execute("SELECT text, state, model FROM spans ORDER BY start")
        assert [tuple(r) for r in rows] == [("Chile", "accepted", "m==1"),
                                            ("lithium", "suggested", "m==1")]


def test_a_missing_or_damaged_chosen_model_is_named_and_nothing_is_written(trained, capsys):
    """The project was copied without its models, or a model file was damaged: annotate
    says which model and what to do; a missing choice is marked in the list."""
    import shutil

    path, _ = trained
    (model,) = saved_models(path)
    copy = path.parent / "copy.assay"
    shutil.copy(path, copy)
    with Project.open(copy, rules=store_rules()) as project:
        project.set_meta(ANNOTATOR_KEY, model.id)
        before = [project.spans(i) for i in project.article_ids()]
    assert cli(["annotate", str(copy), "--force"]) == 1
    assert f"No trained model {model.id!r}" in capsys.readouterr().err
    assert cli(["models", str(copy), "list"]) == 0
    assert f"! {model.id}  chosen, but its folder is missing" in capsys.readouterr().out
    damaged = path.parent / "copy.assay.models" / model.id
    shutil.copytree(model.path, damaged)
    (damaged / "ner" / "model").write_bytes(b"\x00broken")
    assert cli(["annotate", str(copy), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"The model {model.id!r} could not be loaded" in err and "Traceback" not in err
    with Project.open(copy, rules=store_rules()) as project:
        assert [project.spans(i) for i in project.article_ids()] == before


def test_a_models_folder_that_cannot_be_written_is_refused_before_training(tmp_path, capsys):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        approve_briefs(project, 3)
    models_dir(path).write_text("a file where the folder would go")
    assert cli(["train", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Cannot save a model in" in err and "Traceback" not in err


def test_disagreement_is_one_minus_span_f1():
    from core.jobs.annotate import disagreement
    from core.models import SpanIn

    a = [SpanIn(0, 5, "GPE"), SpanIn(10, 17, "MINERAL")]
    assert disagreement(a, a) == 0.0 and disagreement([], []) == 0.0
    assert disagreement(a, []) == 1.0
    assert disagreement(a, [SpanIn(0, 5, "GPE"), SpanIn(10, 17, "ORG")]) == 0.5
