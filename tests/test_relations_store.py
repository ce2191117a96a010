"""Relations in the store (issue 26): each rule next to the data, tested the way it breaks.

Article 3 of the shared fixture: "Australia and Japan signed a rare earths deal with Lynas
Rare Earths Ltd. last week."
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from core.errors import InvalidEdit
from core.models import RelationType
from core.nlp.store_rules import store_rules
from core.review.edits import SetStatus, UpdateSpan
from core.review.history import History
from core.review.relation_edits import AddRelation, DeleteRelation, UpdateRelation
from core.store import Project
from core.store.schema import SCHEMA_VERSION, _migrate_to_v1

R = "ana"
TEXT = "Australia and Japan signed a rare earths deal with Lynas Rare Earths Ltd. last week."


def _span(project: Project, text: str, label: str, state: str = "accepted") -> int:
    start = TEXT.index(text)
    return project.add_span(3, start, start + len(text), label, R, state=state,
                            origin="reviewer" if state == "accepted" else "model").id


@pytest.fixture
def ents(project):
    """Australia, Japan (GPE), rare earths (MINERAL), Lynas Rare Earths Ltd. (ORG)."""
    return {
        "au": _span(project, "Australia", "GPE"),
        "jp": _span(project, "Japan", "GPE"),
        "ree": _span(project, "rare earths", "MINERAL"),
        "lynas": _span(project, "Lynas Rare Earths Ltd.", "ORG", state="suggested"),
    }


def _stored_counts(project: Project) -> dict[tuple[str, str], int]:
    return {(t, s): n for t, s, n in project.conn.execute(
        "SELECT type, state, count(*) FROM relations GROUP BY type, state")}


def test_new_project_has_the_guides_types(project):
    types = {t.name: t for t in project.relation_types()}
    assert list(types)[:3] == ["PRODUCES", "PROCESSES", "HOLDS_RESERVES"]
    assert types["PROCESSES"].allows("GPE", "MINERAL")
    assert not types["PROCESSES"].allows("MINERAL", "GPE")
    assert types["PARTNERS_WITH"].symmetric


def test_add_and_read_back_with_who_and_when(project, ents):
    rel = project.add_relation(3, ents["au"], ents["jp"], "PARTNERS_WITH", R)
    assert (rel.state, rel.origin, rel.updated_by) == ("accepted", "reviewer", R)
    assert rel.updated_at
    assert project.relations(3) == [rel]
    assert project.relation_text(rel) == "Australia PARTNERS_WITH Japan"
    event = project.events(3, limit=1)[0]
    assert event["action"] == "relation.add" and event["reviewer"] == R


@pytest.mark.parametrize(("head", "tail", "kind", "says"), [
    ("ree", "au", "PRODUCES", "does not fit"),          # MINERAL → GPE
    ("au", "au", "PARTNERS_WITH", "two different"),
    ("au", "jp", "NO_SUCH", "Unknown relation type"),
])
def test_broken_rules_are_refused_and_change_nothing(project, ents, head, tail, kind, says):
    before = project.events(limit=1)
    with pytest.raises(InvalidEdit, match=says):
        project.add_relation(3, ents[head], ents[tail], kind, R)
    assert project.relations(3) == [] and project.events(limit=1) == before


def test_ends_must_be_entities_of_the_article(project, ents):
    other = project.add_span(1, 0, 7, "MINERAL", R).id  # "Lithium" in article 1
    with pytest.raises(InvalidEdit, match="not an entity of article 3"):
        project.add_relation(3, ents["au"], other, "PRODUCES", R)


def test_no_duplicate_and_symmetric_either_way(project, ents):
    project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    with pytest.raises(InvalidEdit, match="already there"):
        project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    project.add_relation(3, ents["au"], ents["jp"], "PARTNERS_WITH", R)
    with pytest.raises(InvalidEdit, match="already there"):
        project.add_relation(3, ents["jp"], ents["au"], "PARTNERS_WITH", R)
    # a directed type may go both ways: they are two facts
    project.add_relation(3, ents["au"], ents["jp"], "SUPPLIES", R)
    project.add_relation(3, ents["jp"], ents["au"], "SUPPLIES", R)


def test_rejecting_an_entity_takes_its_relations_and_undo_brings_them_back(project, ents):
    history = History(project, R)
    history.do(AddRelation(3, ents["au"], ents["ree"], "PRODUCES"))
    history.do(UpdateSpan(ents["au"], "reject Australia", state="rejected"))
    assert project.relations(3, include_dead=False) == []
    history.undo()
    live = project.relations(3, include_dead=False)
    assert [(r.head_id, r.type, r.tail_id) for r in live] == [
        (ents["au"], "PRODUCES", ents["ree"])]


def test_deleting_an_entity_deletes_its_relations_in_one_transaction(project, ents):
    project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    project.delete_span(ents["ree"], R)
    assert project.relations(3) == []
    assert project.relation_counts() == {}
    actions = [e["action"] for e in project.events(3, limit=2)]
    assert actions == ["span.delete", "relation.delete"]


def test_a_relabel_that_would_break_a_relation_is_refused_naming_it(project, ents):
    project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    with pytest.raises(InvalidEdit, match="Australia PRODUCES rare earths"):
        project.relabel_span(ents["ree"], "ORG", R)
    assert project.span(ents["ree"]).label == "MINERAL"
    project.relabel_span(ents["au"], "ORG", R)  # ORG may produce: allowed
    assert project.span(ents["au"]).label == "ORG"


def test_approving_accepts_suggested_relations_and_undo_resuggests(project, ents):
    suggested = project.add_relation(3, ents["lynas"], ents["ree"], "PRODUCES", "rules",
                                     origin="rules", state="suggested", model="rules-v1")
    history = History(project, R)
    history.do(SetStatus(3, "approved"))
    assert project.relation(suggested.id).state == "accepted"
    assert project.relation(suggested.id).suggested_type == "PRODUCES"
    history.undo()
    assert project.relation(suggested.id).state == "suggested"
    assert project.span(ents["lynas"]).state == "suggested"
    assert _stored_counts(project) == project.relation_counts()


def test_every_edit_is_undoable_on_the_one_history(project, ents):
    history = History(project, R)
    add = history.do(AddRelation(3, ents["au"], ents["jp"], "SUPPLIES"))
    assert isinstance(add, AddRelation) and add.relation_id is not None
    history.do(UpdateRelation(add.relation_id, "retype", type="PARTNERS_WITH"))
    assert project.relation(add.relation_id).type == "PARTNERS_WITH"
    history.do(DeleteRelation(project.relation(add.relation_id)))
    assert project.relations(3) == []
    history.undo()
    assert project.relation(add.relation_id).type == "PARTNERS_WITH"
    history.undo()
    assert project.relation(add.relation_id).type == "SUPPLIES"
    history.undo()
    assert project.relations(3) == []
    history.redo()
    assert project.relation(add.relation_id).type == "SUPPLIES"  # under its old id
    assert _stored_counts(project) == project.relation_counts()


def test_counts_follow_every_write(project, ents):
    a = project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    b = project.add_relation(3, ents["au"], ents["jp"], "PARTNERS_WITH", R,
                             state="suggested", origin="rules")
    project.update_relation(b.id, R, state="rejected")
    project.update_relation(a.id, R, kind="PROCESSES")
    assert project.relation_counts() == {("PROCESSES", "accepted"): 1,
                                         ("PARTNERS_WITH", "rejected"): 1}
    assert _stored_counts(project) == project.relation_counts()


def test_types_follow_label_renames_and_refuse_unfit_edits(project, ents):
    project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    project.rename_label("MINERAL", "COMMODITY", R)
    assert "COMMODITY" in project.relation_type("PRODUCES").tail_labels
    assert project.relations(3, include_dead=False)  # still fits, still live
    kind = project.relation_type("PRODUCES")
    narrower = RelationType(**{**kind.__dict__, "head_labels": ("ORG",)})
    with pytest.raises(InvalidEdit, match="Australia PRODUCES rare earths"):
        project.update_relation_type("PRODUCES", narrower, R)
    with pytest.raises(InvalidEdit, match="used by 1 relation"):
        project.delete_relation_type("PRODUCES", R)
    renamed = RelationType(**{**kind.__dict__, "name": "MINES"})
    project.update_relation_type("PRODUCES", renamed, R)
    assert [r.type for r in project.relations(3)] == ["MINES"]
    assert project.relation_counts() == {("MINES", "accepted"): 1}


def test_a_written_relation_survives_another_process(project, ents, tmp_path):
    project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    path = project.path
    other = sqlite3.connect(path)
    assert other.execute("SELECT type, updated_by FROM relations").fetchall() == [
        ("PRODUCES", R)]
    other.close()


def test_a_project_from_before_relations_migrates_with_the_default_types(tmp_path):
    path = tmp_path / "old.assay"
    db = sqlite_utils.Database(path)
    _migrate_to_v1(db)
    db.execute("PRAGMA user_version = 1")
    db["meta"].insert_all([{"key": "app", "value": "assay"}, {"key": "name", "value": "old"}])
    db["labels"].insert({"name": "GPE", "color": "#feca74", "hotkey": "2", "description": "",
                         "position": 0})
    db.conn.close()
    with Project.open(path, rules=store_rules()) as proj:
        assert proj.schema_version == SCHEMA_VERSION
        assert "SUPPLIES" in [t.name for t in proj.relation_types()]
        assert proj.relations(1) == []


def test_an_import_brings_relations_by_span_position_in_one_transaction(project):
    from core.models import ArticleIn, RelationIn, SpanIn
    text = "Chile exports lithium to China."
    spans = (SpanIn(25, 30, "GPE", "imported", "accepted"),   # China, given first
             SpanIn(0, 5, "GPE", "imported", "accepted"),     # Chile
             SpanIn(14, 21, "MINERAL", "imported", "accepted"))
    project.add_articles([ArticleIn(text=text, spans=spans, relations=(
        RelationIn(1, 2, "SUPPLIES", "accepted", "imported"),
        RelationIn(1, 0, "SUPPLIES", "suggested", "imported")))])
    article_id = project.article_ids()[-1]
    got = [project.relation_text(r) for r in project.relations(article_id)]
    assert got == ["Chile SUPPLIES lithium", "Chile SUPPLIES China"]
    bad = ArticleIn(text="Peru exports copper to Chile, not to China.", spans=spans[:1],
                    relations=(RelationIn(0, 5, "SUPPLIES"),))
    count = len(project.article_ids())
    with pytest.raises(InvalidEdit, match="does not have"):
        project.add_articles([bad])
    assert len(project.article_ids()) == count


def test_exports_read_accepted_relations_between_accepted_spans(project, ents):
    kept = project.add_relation(3, ents["au"], ents["ree"], "PRODUCES", R)
    project.add_relation(3, ents["lynas"], ents["ree"], "PRODUCES", R)  # a suggested end
    project.add_relation(3, ents["au"], ents["jp"], "PARTNERS_WITH", R, state="suggested")
    (article,) = project.reviewed([3], relations=True)
    assert article.relations == [kept]
    (article,) = project.reviewed([3], relations=True, suggestions=True)
    assert len(article.relations) == 3
    project.reject_span(ents["au"], R)
    (article,) = project.reviewed([3], relations=True, suggestions=True)
    assert [r.head_id for r in article.relations] == [ents["lynas"]]
