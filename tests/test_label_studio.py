"""Label Studio JSON, export and import, checked with label-studio-sdk's own validator."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from core.formats.export import export
from core.formats.importers import import_paths
from core.models import ArticleIn, RelationType, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project
from tests.relations_corpus import assay_cli, build, triples

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


# ---------------------------------------------------------------- relations (issue 26)


def _relations_of(result: list[dict]) -> set:
    """A result's relation items as ((start, end, label), type, (start, end, label)) of the
    regions they name, read the way Label Studio reads them (``left`` runs to→from)."""
    regions = {r["id"]: (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
               for r in result if r["type"] == "labels"}
    out = set()
    for item in result:
        if item["type"] == "relation":
            head, tail = regions[item["from_id"]], regions[item["to_id"]]
            if item["direction"] == "left":
                head, tail = tail, head
            out |= {(head, kind, tail) for kind in item["labels"]}
    return out


def test_relations_export_beside_the_labels_and_validate_with_the_sdk(tmp_path):
    from label_studio_sdk.label_interface import LabelInterface

    project = build(tmp_path)
    dest = tmp_path / "tasks.json"
    export(project, "label-studio", dest, flt=ArticleFilter())
    config = (tmp_path / "tasks-config.xml").read_text(encoding="utf-8")
    interface = LabelInterface(config)
    declared = {r.get("value") for r in ElementTree.fromstring(config).iter("Relation")}
    assert declared == {t.name for t in project.relation_types()}
    tasks = {t["data"]["article_id"]: t for t in json.loads(dest.read_text(encoding="utf-8"))}
    for task in tasks.values():
        for answer in task["annotations"]:
            assert interface.validate_annotation(answer)
        for answer in task.get("predictions", []):
            assert interface.validate_prediction(answer, return_errors=True) == []
        for answer in task["annotations"] + task.get("predictions", []):
            kinds = {k for item in answer["result"] if item["type"] == "relation"
                     for k in item["labels"]}
            assert kinds <= declared
    rich = tasks[1]["annotations"][0]["result"]
    # Every accepted relation, none of the rejected one; the symmetric one both ways.
    assert _relations_of(rich) == triples(project, 1)
    assert {i["labels"][0]: i["direction"] for i in rich if i["type"] == "relation"} == {
        "PARTNERS_WITH": "bi", "PROCESSES": "right", "PRODUCES": "right",
        "SUPPLIES": "right", "LOCATED_IN": "right"}
    # An approved article without relations: its labels and nothing else.
    assert [i["type"] for i in tasks[2]["annotations"][0]["result"]] == ["labels"]
    # Suggested relations are predictions; one ends at the reviewer's China, whose region
    # the prediction carries too (a prediction names only its own regions).
    assert _relations_of(tasks[3]["annotations"][0]["result"]) == set()
    assert _relations_of(tasks[3]["predictions"][0]["result"]) == triples(
        project, 3, ("suggested",))


@pytest.mark.slow  # assay-cli in processes of its own
def test_relations_come_back_from_a_label_studio_file_as_decisions_and_suggestions(tmp_path):
    """Through the CLI, as a user moves a project through Label Studio and back; a relation
    type with characters XML and JSON must escape comes back as it was."""
    odd = 'Ties "A<B" & Co.'
    with build(tmp_path) as project:
        project.add_relation_type(RelationType(odd, ("GPE",), ("GPE",)), "ana")
        spans = {s.text: s.id for s in project.spans(1)}
        project.add_relation(1, spans["China"], spans["Japan"], odd, "ana")
        path = project.path
    dest, back_path = tmp_path / "tasks.json", tmp_path / "back.assay"
    for args in (("export", str(path), "-f", "label-studio", "-o", str(dest), "--status",
                  "all"), ("new", str(back_path))):
        assert assay_cli(*args).returncode == 0
    with Project.open(back_path, rules=store_rules()) as back:  # the scheme knows the type
        back.add_relation_type(RelationType(odd, ("GPE",), ("GPE",)), "ana")
    done = assay_cli("import", str(back_path), str(dest))
    assert done.returncode == 0, done.stderr
    assert "Imported 3 article(s)" in done.stdout and "0 problem(s)" in done.stdout
    config = (tmp_path / "tasks-config.xml").read_text(encoding="utf-8")
    assert odd in {r.get("value") for r in ElementTree.fromstring(config).iter("Relation")}
    with Project.open(path, rules=store_rules()) as project, \
            Project.open(back_path, rules=store_rules()) as back:
        for article_id in (1, 2, 3):
            for states in (("accepted",), ("suggested",)):
                assert triples(back, article_id, states) == triples(project, article_id,
                                                                    states)
        assert triples(back, 3, ("suggested",))  # not an empty comparison


def test_hand_made_relations_import_each_way_and_a_bad_one_is_reported(tmp_path):
    text = "Chile exports lithium to China."
    region = {"from_name": "label", "to_name": "text", "type": "labels"}

    def labelled(rid, part, label):
        start = text.index(part)
        return {**region, "id": rid, "value": {"start": start, "end": start + len(part),
                                               "labels": [label]}}

    regions = [labelled("a", "Chile", "GPE"), labelled("b", "lithium", "MINERAL"),
               labelled("c", "China", "GPE")]
    tasks = [
        {"data": {"text": text}, "annotations": [{"result": regions + [
            # drawn from lithium back to Chile: Chile is the head
            {"type": "relation", "from_id": "b", "to_id": "a", "direction": "left",
             "labels": ["PRODUCES"]},
            # two types on one arrow: two relations
            {"type": "relation", "from_id": "a", "to_id": "c", "direction": "right",
             "labels": ["SUPPLIES", "PARTNERS_WITH"]}]}],
         # A model's guesses: the reviewer's regions again (as "x", "z") and a new one.
         "predictions": [{"result": [
             labelled("x", "Chile", "GPE"), labelled("z", "China", "GPE"),
             labelled("y", "exports", "ORG"),
             # the reviewer's PARTNERS_WITH drawn the other way, and their SUPPLIES: theirs
             {"type": "relation", "from_id": "z", "to_id": "x", "direction": "bi",
              "labels": ["PARTNERS_WITH"]},
             {"type": "relation", "from_id": "x", "to_id": "z", "direction": "right",
              "labels": ["SUPPLIES"]},
             # a directed relation the other way round is another fact: a suggestion
             {"type": "relation", "from_id": "z", "to_id": "x", "direction": "right",
              "labels": ["SUPPLIES"]},
             {"type": "relation", "from_id": "y", "to_id": "z", "direction": "right",
              "labels": ["SUPPLIES"]}]}]},
        {"data": {"text": text}, "annotations": [{"result": regions + [
            {"type": "relation", "from_id": "a", "to_id": "c", "direction": "right"}]}]},
        {"data": {"text": text + " "}, "annotations": [{"result": regions + [
            {"type": "relation", "from_id": "a", "to_id": "c", "direction": "right",
             "labels": ["ALLIES"]}]}]},
    ]
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        report = import_paths(project, [path])
        problems = {p.line: p.reason for p in report.problems}
        assert report.added == 1 and set(problems) == {2, 3}
        assert "relation without a type" in problems[2]
        assert "Unknown relation type 'ALLIES'" in problems[3]
        spans = {s.id: s.text for s in project.spans(1)}
        got = {(spans[r.head_id], r.type, spans[r.tail_id], r.state, r.origin)
               for r in project.relations(1)}
        assert got == {("Chile", "PRODUCES", "lithium", "accepted", "imported"),
                       ("Chile", "SUPPLIES", "China", "accepted", "imported"),
                       ("Chile", "PARTNERS_WITH", "China", "accepted", "imported"),
                       ("China", "SUPPLIES", "Chile", "suggested", "model"),
                       ("exports", "SUPPLIES", "China", "suggested", "model")}
