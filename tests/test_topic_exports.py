"""Topics in every export (issue 29), each read back by its consumer's own code: spaCy's
DocBin and its textcat_multilabel, label-studio-sdk's validator, Python's csv and pandas,
Assay's own importer (the round trip), and the shapes Prodigy's choice interface writes.

The project: a topic whose name is hostile to CSV and XML (quotes, commas, a formula's
``=``), an approved article with an accepted, a suggested (made after approval) and a
rejected topic, an approved one whose only topic is the hostile one, an approved one
without topics, and a pending one with a suggestion only.
"""

from __future__ import annotations

import csv
import json
from xml.etree import ElementTree

import pytest

from core.formats.csv_cells import FORMULA_STARTS
from core.formats.export import export
from core.formats.importers import import_paths
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

HOSTILE = '=SUM(1,2) "big, bold" <b>'
TEXTS = ["China restricts gallium exports.", "Glencore invests in cobalt.",
         "Nickel output in Indonesia rose.", "Lithium prices in Chile."]
EXPORT_CONTROLS, TRADE, PARTNERS, POLICY = ("export controls", "trade and supply",
                                            "partnerships", "policy and law")


def _span(text: str, word: str, label: str) -> SpanIn:
    start = text.index(word)
    return SpanIn(start, start + len(word), label, origin="reviewer", state="accepted")


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "topics.assay", rules=store_rules())
    p.add_topic(HOSTILE, "ann")
    p.add_articles([
        ArticleIn(text=TEXTS[0], title="Gallium", published="2024-03-02",
                  spans=(_span(TEXTS[0], "China", "GPE"), _span(TEXTS[0], "gallium",
                                                                "MINERAL"))),
        ArticleIn(text=TEXTS[1], title="Cobalt", published="2024-04-10",
                  spans=(_span(TEXTS[1], "cobalt", "MINERAL"),)),
        ArticleIn(text=TEXTS[2], title="Nickel", spans=(_span(TEXTS[2], "Nickel", "MINERAL"),)),
        ArticleIn(text=TEXTS[3], title="Pending"),
    ])
    p.set_article_topic(1, EXPORT_CONTROLS, True, "ann")
    p.set_article_topic(1, PARTNERS, False, "ann")
    p.set_article_topic(2, HOSTILE, True, "ben")
    for article_id in (1, 2, 3):
        p.approve_article(article_id, "ann")
    p.suggest_topics(1, {TRADE: 0.8}, "topics-v1")  # after approval: still a suggestion
    p.suggest_topics(4, {POLICY: 0.7}, "topics-v1")
    yield p
    p.close()


def _names(project: Project) -> list[str]:
    return [t.name for t in project.topics()]


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------- spaCy


def test_spacy_docbin_cats_name_every_topic_and_train_textcat_multilabel(project, tmp_path):
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    dest = tmp_path / "t.spacy"
    export(project, "spacy", dest)
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(dest).get_docs(nlp.vocab))
    names = _names(project)
    assert [d.text for d in docs] == TEXTS[:3]
    first, second, third = (d.cats for d in docs)
    # Every topic is a key (textcat_multilabel's convention); only accepted ones are 1.0:
    # the suggestion made after approval and the rejected topic are 0.0.
    assert list(first) == names and list(second) == names and list(third) == names
    assert {k for k, v in first.items() if v == 1.0} == {EXPORT_CONTROLS}
    assert first[TRADE] == first[PARTNERS] == 0.0
    assert {k for k, v in second.items() if v == 1.0} == {HOSTILE}
    assert set(third.values()) == {0.0}  # an article without topics: all 0.0
    assert {(e.text, e.label_) for e in docs[0].ents} == {("China", "GPE"),
                                                          ("gallium", "MINERAL")}
    # spaCy's own textcat_multilabel takes them: it initialises on the examples and
    # learns one step from them (it refuses cats that are not 0/1 per category).
    textcat = nlp.add_pipe("textcat_multilabel")
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    nlp.initialize(lambda: examples)
    assert list(textcat.labels) == sorted(names) or set(textcat.labels) == set(names)
    losses = nlp.update(examples)
    assert losses["textcat_multilabel"] >= 0


# ---------------------------------------------------------------- Prodigy


def test_prodigy_task_has_options_and_accept_beside_its_spans(project, tmp_path):
    dest = tmp_path / "p.jsonl"
    export(project, "prodigy", dest, flt=ArticleFilter())
    tasks = _lines(dest)
    names = _names(project)
    for task in tasks:  # the choice interface's options: every topic, id = text = name
        assert task["options"] == [{"id": n, "text": n} for n in names]
        assert set(task["accept"]) <= {o["id"] for o in task["options"]}
        assert task["answer"] == "accept"
    assert [t["accept"] for t in tasks] == [[EXPORT_CONTROLS], [HOSTILE], [], []]
    assert {s["label"] for s in tasks[0]["spans"]} == {"GPE", "MINERAL"}  # same task
    assert tasks[3]["meta"]["title"] == "Pending"  # its suggestion is not an answer


# ---------------------------------------------------------------- Label Studio


def test_label_studio_choices_validate_with_the_sdk_and_suggestions_are_predictions(
        project, tmp_path):
    from label_studio_sdk.label_interface import LabelInterface

    dest = tmp_path / "tasks.json"
    export(project, "label-studio", dest, flt=ArticleFilter())
    config = (tmp_path / "tasks-config.xml").read_text(encoding="utf-8")
    choices = ElementTree.fromstring(config).find("Choices")
    assert choices is not None and choices.attrib == {
        "name": "topic", "toName": "text", "choice": "multiple"}
    assert [c.get("value") for c in choices.iter("Choice")] == _names(project)
    interface = LabelInterface(config)
    tasks = json.loads(dest.read_text(encoding="utf-8"))

    def chosen(results):
        return [r["value"]["choices"] for r in results if r["type"] == "choices"]

    for task in tasks:
        for annotation in task["annotations"]:
            assert interface.validate_annotation(annotation)
        for prediction in task.get("predictions", []):
            assert interface.validate_prediction(prediction, return_errors=True) == []
    first, second, third, pending = tasks
    assert chosen(first["annotations"][0]["result"]) == [[EXPORT_CONTROLS]]
    assert chosen(first["predictions"][0]["result"]) == [[TRADE]]
    assert first["predictions"][0]["model_version"] == "topics-v1"
    assert chosen(second["annotations"][0]["result"]) == [[HOSTILE]]
    assert chosen(third["annotations"][0]["result"]) == []  # no topics: no choices item
    assert pending["annotations"] == []
    assert chosen(pending["predictions"][0]["result"]) == [[POLICY]]


# ---------------------------------------------------------------- CSV


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_of_articles_has_a_topics_column_guarded_like_every_cell(project, tmp_path):
    dest = tmp_path / "articles.csv"
    report = export(project, "articles", dest)
    assert report.summary() == "3 article(s), 3 article(s)"
    rows = _rows(dest)
    assert [(r["article_id"], r["title"], r["topics"]) for r in rows] == [
        ("1", "Gallium", EXPORT_CONTROLS), ("2", "Cobalt", "'" + HOSTILE), ("3", "Nickel", "")]
    assert [r["entities"] for r in rows] == ["2", "1", "1"]
    with dest.open(encoding="utf-8", newline="") as fh:
        assert not [c for row in csv.reader(fh) for c in row if c.startswith(FORMULA_STARTS)]
    pd = pytest.importorskip("pandas")  # label-studio-sdk's, in the dev environment
    frame = pd.read_csv(dest, keep_default_na=False)
    assert list(frame["topics"]) == [EXPORT_CONTROLS, "'" + HOSTILE, ""]
    # With every article: the pending one's suggestion is not a topic of the table.
    export(project, "articles", dest, flt=ArticleFilter())
    assert [r["topics"] for r in _rows(dest)] == [EXPORT_CONTROLS, "'" + HOSTILE, "", ""]


def test_csv_of_entities_repeats_the_articles_topics_on_each_row(project, tmp_path):
    project.set_article_topic(1, HOSTILE, True, "ann")
    dest = tmp_path / "entities.csv"
    export(project, "csv", dest)
    rows = _rows(dest)
    assert [(r["text"], r["topics"]) for r in rows] == [
        ("China", f"{EXPORT_CONTROLS}; {HOSTILE}"), ("gallium", f"{EXPORT_CONTROLS}; {HOSTILE}"),
        ("cobalt", "'" + HOSTILE), ("Nickel", "")]


# ---------------------------------------------------------------- Assay JSONL


def test_assay_jsonl_round_trip_keeps_topics_states_and_who_when(project, tmp_path):
    dest = tmp_path / "all.jsonl"
    export(project, "assay", dest, flt=ArticleFilter())
    lines = _lines(dest)
    assert [t["name"] for t in lines[0]["assay_scheme"]["topics"]] == _names(project)
    assert [(t["topic"], t["state"]) for t in lines[0]["topics"]] == [
        (EXPORT_CONTROLS, "accepted"), (TRADE, "suggested"), (PARTNERS, "rejected")]
    with Project.create(tmp_path / "back.assay", rules=store_rules()) as back:
        report = import_paths(back, [dest], reviewer="carol")
        assert (report.added, report.problems) == (4, [])
        assert _names(back) == _names(project)
        for article_id in (1, 2, 3, 4):
            assert back.article_topics(article_id) == project.article_topics(article_id)
        assert back.topic_counts() == project.topic_counts()
        again = tmp_path / "again.jsonl"
        export(back, "assay", again, flt=ArticleFilter())
    assert again.read_bytes() == dest.read_bytes()


def test_assay_jsonl_topics_join_a_project_that_has_topics_already(project, tmp_path):
    dest = tmp_path / "all.jsonl"
    export(project, "assay", dest, flt=ArticleFilter())
    with Project.create(tmp_path / "busy.assay", rules=store_rules()) as busy:
        busy.add_articles([ArticleIn(text="Copper from Zambia.")])
        busy.set_article_topic(1, TRADE, True, "dan")
        report = import_paths(busy, [dest])
        assert report.problems == [] and report.added == 4
        assert HOSTILE in _names(busy)  # the topic it lacked is added at the end
        assert [t.topic for t in busy.article_topics(3)] == [HOSTILE]


def test_a_broken_topic_in_an_assay_line_is_reported_and_the_rest_imported(project,
                                                                           tmp_path):
    dest = tmp_path / "all.jsonl"
    export(project, "assay", dest, flt=ArticleFilter())
    lines = _lines(dest)
    lines[1]["topics"] = [{"topic": HOSTILE, "state": "maybe", "origin": "reviewer"}]
    lines[2]["topics"] = [{"topic": "no such topic", "state": "accepted",
                           "origin": "reviewer"}]
    dest.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with Project.create(tmp_path / "back.assay", rules=store_rules()) as back:
        report = import_paths(back, [dest])
        reasons = " | ".join(p.reason for p in report.problems)
        assert "topics[0] has no state" in reasons and "no such topic" in reasons
        assert report.added == 2
        assert [t.topic for t in back.article_topics(1)] == [EXPORT_CONTROLS, TRADE, PARTNERS]


# ---------------------------------------------------------------- doccano


def test_doccano_topics_file_has_entities_and_cats(project, tmp_path):
    dest = tmp_path / "d.jsonl"
    export(project, "doccano-topics", dest, flt=ArticleFilter())
    lines = _lines(dest)
    assert [line["cats"] for line in lines] == [[EXPORT_CONTROLS], [HOSTILE], [], []]
    assert lines[0]["entities"] == [[0, 5, "GPE"], [16, 23, "MINERAL"]]
    assert "label" not in lines[0]  # a sequence-labelling key doccano would read as spans


@pytest.mark.slow  # doccano's importer in its own environment (make test-deps)
def test_doccano_topics_read_back_by_doccanos_importer(project, tmp_path):
    import subprocess
    from pathlib import Path

    from tests.test_relation_formats import doccano_python

    dest = tmp_path / "d.jsonl"
    export(project, "doccano-topics", dest, flt=ArticleFilter())
    done = subprocess.run(
        [str(doccano_python()), str(Path(__file__).parent / "doccano" / "read_back.py"),
         str(dest), "IntentDetectionAndSlotFilling"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    stored = json.loads(done.stdout.strip().splitlines()[-1])
    assert stored["errors"] == []
    examples = stored["examples"]
    assert [e["text"] for e in examples] == TEXTS
    assert [e["categories"] for e in examples] == [[EXPORT_CONTROLS], [HOSTILE], [], []]
    assert examples[0]["spans"] == [[0, 5, "GPE"], [16, 23, "MINERAL"]]
    assert examples[1]["meta"]["title"] == "Cobalt" and "cats" not in examples[1]["meta"]


def test_label_studio_topics_come_back_as_decisions_and_suggestions(project, tmp_path):
    dest = tmp_path / "tasks.json"
    export(project, "label-studio", dest, flt=ArticleFilter())
    tasks = json.loads(dest.read_text(encoding="utf-8"))
    # A hand-made choice of another <Choices> (a sentiment) is not a topic.
    tasks[2]["annotations"][0]["result"].append(
        {"from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"choices": ["negative"]}})
    dest.write_text(json.dumps(tasks), encoding="utf-8")
    with Project.create(tmp_path / "back.assay", rules=store_rules()) as back:
        back.add_topic(HOSTILE, "ann")
        report = import_paths(back, [dest])
        assert (report.added, report.problems) == (4, [])

        def states(p, article_id):
            return [(t.topic, t.state) for t in p.article_topics(article_id)]

        for article_id in (1, 2, 3, 4):  # the rejected topic is no choice: it stays out
            assert states(back, article_id) == [
                s for s in states(project, article_id) if s[1] != "rejected"]
        assert back.article_topic(4, POLICY).model == "topics-v1"
