"""The rules of drawing and deciding relations by key, without a window
(``core.review.relation_drawing``): what R needs, which types a prompt lists, which edit a
type key, Enter and Delete make, and how an entity's relations read."""

from __future__ import annotations

import pytest

from core.errors import InvalidEdit
from core.models import Relation, RelationType, Span
from core.review.relation_drawing import (
    RelationDrawing,
    accept_edit,
    relation_lines,
    remove_edit,
)
from core.review.relation_edits import AddRelation, DeleteRelation, UpdateRelation

TYPES = [RelationType("PRODUCES", ("GPE", "ORG"), ("MINERAL",), hotkey="1"),
         RelationType("FUNDS", ("GPE", "ORG"), ("ORG", "GPE"), hotkey="6"),
         RelationType("PARTNERS_WITH", ("GPE", "ORG"), ("GPE", "ORG"), symmetric=True,
                      hotkey="7")]


def span(i: int, text: str, label: str, state: str = "suggested") -> Span:
    return Span(id=i, article_id=1, start=10 * i, end=10 * i + len(text), label=label,
                text=text, origin="model", state=state)


CHINA, LITHIUM = span(1, "China", "GPE"), span(2, "lithium", "MINERAL")
EXIM = span(3, "EXIM", "ORG")


def test_r_needs_a_live_entity_and_the_prompt_lists_the_types_that_fit():
    drawing = RelationDrawing()
    with pytest.raises(InvalidEdit, match="Select an entity first"):
        drawing.start(None)
    with pytest.raises(InvalidEdit):
        drawing.start(span(9, "Chile", "GPE", state="rejected"))
    drawing.start(CHINA)
    assert drawing.prompt(TYPES, CHINA) == (
        "Relation from “China”: move to the tail (Space/Tab/Alt+label//), then a type key: "
        "1 PRODUCES  6 FUNDS  7 PARTNERS_WITH — Esc cancels")
    assert drawing.prompt(TYPES, LITHIUM).endswith(": 1 PRODUCES — Esc cancels")
    assert "no type joins GPE → DATE" in drawing.prompt(TYPES, span(4, "2024", "DATE"))
    with pytest.raises(InvalidEdit, match="Move to the tail entity first"):
        drawing.edit(CHINA, TYPES[0])
    edit = drawing.edit(LITHIUM, drawing.type_for_key(TYPES, "1"))
    assert isinstance(edit, AddRelation) and (edit.head_id, edit.tail_id, edit.kind) == (
        1, 2, "PRODUCES")
    assert drawing.type_for_key(TYPES, "x") is None


def test_enter_accepts_a_suggestion_and_delete_rejects_it_or_deletes_ones_own():
    suggested = Relation(5, 1, 3, 1, "FUNDS", "suggested", "rules")
    own = Relation(6, 1, 1, 2, "PRODUCES", "accepted", "reviewer")
    assert isinstance(accept_edit(suggested), UpdateRelation)
    assert accept_edit(own) is None
    assert isinstance(remove_edit(own), DeleteRelation)
    rejecting = remove_edit(suggested)
    assert isinstance(rejecting, UpdateRelation) and rejecting.changes == {"state": "rejected"}


def test_an_entitys_relations_read_from_its_side():
    relations = [Relation(5, 1, 3, 1, "FUNDS", "suggested", "rules"),
                 Relation(6, 1, 1, 2, "PRODUCES", "accepted", "reviewer"),
                 Relation(7, 1, 3, 1, "PARTNERS_WITH", "accepted", "reviewer")]
    lines = relation_lines(1, relations, [CHINA, LITHIUM, EXIM], frozenset({"PARTNERS_WITH"}))
    assert [line.text for line in lines] == ["→ PRODUCES lithium", "← FUNDS EXIM",
                                             "↔ PARTNERS_WITH EXIM"]
    assert relation_lines(None, relations, [CHINA]) == []
