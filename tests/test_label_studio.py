"""Label Studio JSON, export and import, checked with label-studio-sdk's own validator."""

from __future__ import annotations

import json

import pytest

from core.formats.export import export
from core.formats.importers import import_paths
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

TEXT_A = "Glencore ships cobalt from the DRC to China; Québec’s lithium waits."
TEXT_B = "Indonesia banned nickel ore exports in 2020, the ministry said."


def spans_of(text: str, *parts: tuple[str, str]) -> tuple[SpanIn, ...]:
    out = []
    for part, label in parts:
        start = text.index(part)
        out.append(SpanIn(start, start + len(part), label, origin="reviewer", state="accepted"))
    return tuple(out)


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "ls.assay", rules=store_rules())
    p.add_articles([
        ArticleIn(text=TEXT_A, title="A", spans=spans_of(
            TEXT_A, ("Glencore", "ORG"), ("cobalt", "MINERAL"), ("DRC", "GPE"),
            ("China", "GPE"), ("Québec", "GPE"), ("lithium", "MINERAL"))),
        ArticleIn(text=TEXT_B, title="B"),
    ])
    p.approve_article(1, "ana")
    start = TEXT_B.index("Indonesia")
    p.store_annotations([(2, [SpanIn(start, start + 9, "GPE", origin="model"),
                              SpanIn(TEXT_B.index("nickel"), TEXT_B.index("nickel") + 6,
                                     "MINERAL", origin="rules")], None)], "test-model==1")
    yield p
    p.close()


def test_export_validates_with_label_studios_own_sdk(project, tmp_path):
    from label_studio_sdk.label_interface import LabelInterface

    dest = tmp_path / "tasks.json"
    report = export(project, "label-studio", dest, flt=ArticleFilter())
    assert report.files == [dest, tmp_path / "tasks-config.xml"]
    config = (tmp_path / "tasks-config.xml").read_text()
    interface = LabelInterface(config)
    tasks = json.loads(dest.read_text(encoding="utf-8"))
    assert [t["data"]["article_id"] for t in tasks] == [1, 2]
    for task in tasks:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            assert interface.validate_annotation(annotation)
            for item in annotation["result"]:
                value = item["value"]
                assert text[value["start"]:value["end"]] == value["text"]
        for prediction in task.get("predictions", []):
            assert interface.validate_prediction(prediction)
    first = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
             for r in tasks[0]["annotations"][0]["result"]}
    assert first == {(s.start, s.end, s.label) for s in project.spans(1)}
    assert tasks[1]["annotations"] == []  # pending: nothing decided yet
    assert {r["value"]["text"] for r in tasks[1]["predictions"][0]["result"]} == {
        "Indonesia", "nickel"}
    assert tasks[1]["predictions"][0]["model_version"] == "test-model==1"


def test_round_trip_keeps_decisions_and_suggestions(project, tmp_path):
    dest = tmp_path / "tasks.json"
    export(project, "label-studio", dest, flt=ArticleFilter())
    with Project.create(tmp_path / "back.assay", rules=store_rules()) as back:
        report = import_paths(back, [dest])
        assert (report.added, report.problems) == (2, [])
        for article_id in (1, 2):
            assert back.article(article_id).text == project.article(article_id).text

            def key(spans):
                return {(s.start, s.end, s.label, s.state) for s in spans}

            assert key(back.spans(article_id)) == key(project.spans(article_id))


def test_import_of_hand_made_tasks_reports_and_keeps_decisions(tmp_path):
    text = "Lithium from Chile, cobalt from Congo."
    tasks = [
        {"data": {"text": text, "title": "Hand made"},
         "annotations": [
             {"was_cancelled": True, "result": [
                 {"type": "labels", "value": {"start": 0, "end": 7, "labels": ["ORG"]}}]},
             {"result": [
                 {"type": "labels", "from_name": "label", "to_name": "text",
                  "value": {"start": 0, "end": 7, "text": "Lithium",
                            "labels": ["MINERAL", "ORG"]}},
                 {"type": "choices", "value": {"choices": ["relevant"]}}]}],
         "predictions": [{"result": [
             {"type": "labels", "value": {"start": 0, "end": 12, "labels": ["GPE"]}},
             {"type": "labels", "value": {"start": 13, "end": 18, "labels": ["GPE"]}}]}]},
        {"data": {"url": "no text here"}},
        {"nothing": True},
        {"data": {"text": "Bad span."},
         "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 3,
                                                                    "text": "Xyz",
                                                                    "labels": ["ORG"]}}]}]},
    ]
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        report = import_paths(project, [path])
        assert report.added == 2  # task 2 has one string in data: that is its text
        problems = {p.line: p.reason for p in report.problems}
        assert set(problems) == {3, 4}
        assert "not a Label Studio task" in problems[3] and "says 'Xyz'" in problems[4]
        spans = {(s.text, s.label, s.state) for s in project.spans(1)}
        # The cancelled annotation is ignored; the first label wins; the prediction that
        # overlaps the reviewer's span is dropped, the other one is a suggestion.
        assert spans == {("Lithium", "MINERAL", "accepted"), ("Chile", "GPE", "suggested")}
        assert project.article(1).title == "Hand made"
