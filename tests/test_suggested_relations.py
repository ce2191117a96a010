"""Suggested relations (issue 27): the rules over the parse on sentences written for these
tests, each pattern of the trigger lexicon, what the relation guide refuses (negation,
modality, questions, plans, unfit labels), lists expanded; then ``assay-cli annotate`` on a
real project file, and re-annotation around a reviewer's decisions."""

from __future__ import annotations

import sqlite3

import pytest

from core.models import ArticleIn, RelationType
from core.nlp.pipeline import Annotator, load_annotator
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.relation_types import bundled_relation_types
from core.store.scheme import DEFAULT_SCHEME, scheme_path
from tests.relations_corpus import assay_cli

TYPES = bundled_relation_types(scheme_path(DEFAULT_SCHEME))


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return load_annotator()


def relations(annotator: Annotator, text: str,
              types: list[RelationType] = TYPES) -> set[tuple[str, str, str]]:
    """(head text, type, tail text) of what pre-annotation suggests for one text."""
    [found] = list(annotator.suggest([text], types))
    out = set()
    for rel in found.relations:
        head, tail = found.spans[rel.head], found.spans[rel.tail]
        assert (rel.origin, rel.model) == ("rules", annotator.model_id)
        out.add((text[head.start:head.end], rel.type, text[tail.start:tail.end]))
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("Brazil mines niobium.", {("Brazil", "PRODUCES", "niobium")}),
    ("Argentina exports lithium to Japan.",
     {("Argentina", "SUPPLIES", "lithium"), ("Argentina", "SUPPLIES", "Japan")}),
    ("Norway refines nickel.", {("Norway", "PROCESSES", "nickel")}),
    ("Bolivia is a major producer of tin.", {("Bolivia", "PRODUCES", "tin")}),
    ("Nickel processing in Indonesia grew fast.", {("Indonesia", "PROCESSES", "Nickel")}),
    ("Exports of zinc from Peru to Spain rose.",
     {("Peru", "SUPPLIES", "zinc"), ("Peru", "SUPPLIES", "Spain")}),
    ("Kenya banned exports of titanium to Italy.",
     {("Kenya", "RESTRICTS", "titanium"), ("Kenya", "RESTRICTS", "Italy")}),
    ("Greenland has large deposits of uranium.", {("Greenland", "HOLDS_RESERVES", "uranium")}),
    ("The World Bank will lend $50 million to Ghana.", {("World Bank", "FUNDS", "Ghana")}),
    ("Rio Tinto signed an agreement with Glencore.",
     {("Rio Tinto", "PARTNERS_WITH", "Glencore")}),
    ("Sweden joined the Minerals Security Partnership.",
     {("Sweden", "MEMBER_OF", "Minerals Security Partnership")}),
    ("Glencore operates a smelter in Chile.", {("Glencore", "LOCATED_IN", "Chile")}),
])
def test_each_trigger_pattern_suggests_its_relation(annotator, text, expected):
    assert relations(annotator, text) == expected


def test_a_list_is_expanded_on_either_side(annotator):
    members = relations(annotator, "The Minerals Security Partnership, a coalition including "
                                   "Sweden, Poland and Finland, met in Oslo.")
    assert {(h, k, t) for h, k, t in members if k == "MEMBER_OF"} == {
        (country, "MEMBER_OF", "Minerals Security Partnership")
        for country in ("Sweden", "Poland", "Finland")}
    assert relations(annotator, "Brazil mines niobium and tin.") == {
        ("Brazil", "PRODUCES", "niobium"), ("Brazil", "PRODUCES", "tin")}
    assert relations(annotator, "Ghana and Togo signed a memorandum on minerals.") == {
        ("Ghana", "PARTNERS_WITH", "Togo")}


@pytest.mark.parametrize("text", [
    "Myanmar did not restrict tungsten exports.",
    "Myanmar could restrict tungsten exports.",
    "Myanmar may ban tungsten exports.",
    "Myanmar might ban tungsten exports.",
    "Myanmar would ban tungsten exports.",
    "Would Kenya restrict tungsten exports?",
    "Glencore plans to export cobalt to India.",
    "Glencore never exported cobalt to India.",
])
def test_negated_supposed_or_asked_is_not_suggested(annotator, text):
    assert relations(annotator, text) == set()


def test_labels_that_do_not_fit_are_refused(annotator):
    # PRODUCES takes a place or company as head and a mineral as tail: nickel cannot
    # produce Norway. A scheme whose type lacks GPE heads suggests nothing for a GPE.
    assert relations(annotator, "Norway refines nickel.") == {("Norway", "PROCESSES", "nickel")}
    narrow = [t if t.name != "PROCESSES" else RelationType(
        t.name, ("ORG",), t.tail_labels, t.symmetric, t.color, t.hotkey, t.description)
        for t in TYPES]
    assert relations(annotator, "Norway refines nickel.", narrow) == set()
    assert relations(annotator, "Norway refines nickel.",
                     [t for t in TYPES if t.name != "PROCESSES"]) == set()


def test_a_sentence_without_a_fitting_pair_is_not_parsed(annotator):
    from core.nlp.pipeline.relation_pass import RelationPass

    rp = RelationPass(annotator.nlp, TYPES, annotator.model_id)
    docs = list(annotator.nlp.pipe(["Kenya banned exports of titanium to Italy.",
                                    "Kenya said so on Monday in a statement.",
                                    "Prices rose 4% in 2025."]))
    assert [len(rp._candidates(doc)) for doc in docs] == [1, 0, 0]


def _rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT h.text, r.type, t.text, r.state, r.origin, r.model FROM relations r "
            "JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id "
            "ORDER BY r.id").fetchall()


TEXT = ("Kenya banned exports of titanium to Italy.\n"
        "Brazil mines niobium and tin.\n"
        "Rio Tinto signed an agreement with Glencore.")


@pytest.mark.slow
def test_annotate_stores_suggested_relations_and_keeps_a_reviewers(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="t")])
    done = assay_cli("annotate", str(path))
    assert done.returncode == 0, done.stderr
    assert "5 relation suggestion(s)" in done.stdout
    rows = _rows(path)
    model = rows[0][5]
    assert model.startswith("en_core_web_sm") and "==" in model
    assert {r[:5] for r in rows} == {
        ("Kenya", "RESTRICTS", "titanium", "suggested", "rules"),
        ("Kenya", "RESTRICTS", "Italy", "suggested", "rules"),
        ("Brazil", "PRODUCES", "niobium", "suggested", "rules"),
        ("Brazil", "PRODUCES", "tin", "suggested", "rules"),
        ("Rio Tinto", "PARTNERS_WITH", "Glencore", "suggested", "rules"),
    }
    # A reviewer rejects one suggestion, accepts another and draws a third between
    # suggested entities.
    with Project.open(path, rules=store_rules()) as project:
        rels = {(project.relation_text(r)): r for r in project.relations(1)}
        project.update_relation(rels["Kenya RESTRICTS Italy"].id, "ann", state="rejected")
        project.update_relation(rels["Brazil PRODUCES tin"].id, "ann", state="accepted")
        spans = {s.text: s for s in project.spans(1)}
        project.add_relation(1, spans["Kenya"].id, spans["Italy"].id, "SUPPLIES", "ann")
    again = assay_cli("annotate", str(path), "--force")
    assert again.returncode == 0, again.stderr
    after = {r[:4] for r in _rows(path)}
    assert ("Kenya", "RESTRICTS", "Italy", "rejected") in after  # kept, not re-suggested
    assert ("Kenya", "RESTRICTS", "Italy", "suggested") not in after
    assert ("Brazil", "PRODUCES", "tin", "accepted") in after
    assert ("Brazil", "PRODUCES", "tin", "suggested") not in after
    assert ("Kenya", "SUPPLIES", "Italy", "accepted") in after
    assert ("Kenya", "RESTRICTS", "titanium", "suggested") in after  # replaced, once
    assert len(_rows(path)) == 6
    with Project.open(path, rules=store_rules()) as project:
        counts = project.relation_counts()
    assert counts[("RESTRICTS", "suggested")] == 1 and counts[("PRODUCES", "suggested")] == 1


@pytest.mark.slow
def test_the_windows_annotate_job_shows_suggested_relations(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from gui.window.main_window import MainWindow

    path = tmp_path / "w.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="t")])
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "ana")
    qtbot.addWidget(window)
    window.open_project(path)
    window.show()
    job = window.jobs.pre_annotate()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert "5 relation suggestion(s)" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)  # Kenya, the first entity
    rows = window.side_panel.relations
    assert rows.texts() == ["→ RESTRICTS titanium  (suggested)",
                            "→ RESTRICTS Italy  (suggested)"]
    rows_rect = rows.list.visualItemRect(rows.list.item(1))
    qtbot.mouseClick(rows.list.viewport(), Qt.MouseButton.LeftButton, pos=rows_rect.center())
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # accepts the selected suggestion
    assert ("Kenya", "RESTRICTS", "Italy", "accepted", "rules") in {r[:5] for r in _rows(path)}
