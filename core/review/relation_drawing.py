"""Drawing a relation with the keyboard, and which edit a key makes of a relation, without Qt.

R starts a relation from the selected entity (the head); the reviewer moves to the tail
with the keys that already move between entities (Space, Tab, Alt+label, /), and a type
key makes it: ``AddRelation`` on the session's one history. Esc cancels. The state of a
relation being drawn is this module's ``RelationDrawing``; the window only turns keys
into its calls and shows its prompts, so the rules here are tested without a window.

The store decides whether a relation may be made (``core.store.relations``: ends, labels,
duplicates); a refusal leaves the drawing open so the reviewer can press another type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from core.errors import InvalidEdit
from core.models import Relation, RelationType, Span
from core.review.edits import Edit
from core.review.relation_edits import AddRelation, DeleteRelation, UpdateRelation
from core.text.normalise import one_line

MOVE_KEYS = "Space/Tab/Alt+label//"


def quoted(span: Span) -> str:
    return f"“{one_line(span.text, 30)}”"


def type_keys(types: Sequence[RelationType]) -> str:
    """``1 PRODUCES  2 PROCESSES``: the keys of the given types, as the prompt lists them."""
    return "  ".join(f"{t.hotkey.upper()} {t.name}" for t in types if t.hotkey)


def fitting(types: Sequence[RelationType], head: Span, tail: Span | None
            ) -> list[RelationType]:
    """The types whose labels allow ``head`` (and ``tail``, when one is chosen): the keys
    worth showing. Any type key may still be pressed; the store says why it does not fit."""
    if tail is None:
        return [t for t in types if head.label in t.head_labels
                or (t.symmetric and head.label in t.tail_labels)]
    return [t for t in types if t.allows(head.label, tail.label)]


class RelationDrawing:
    """One relation being drawn: its head, or none (not drawing)."""

    def __init__(self) -> None:
        self.head: Span | None = None

    @property
    def active(self) -> bool:
        return self.head is not None

    def start(self, head: Span | None) -> None:
        """R: draw from ``head``; refused (InvalidEdit) without a live entity selected."""
        if head is None or not head.live:
            raise InvalidEdit("Select an entity first (click, Tab, Space, Alt+label or /), "
                              "then press R to draw a relation from it.")
        self.head = head

    def cancel(self) -> None:
        self.head = None

    def prompt(self, types: Sequence[RelationType], tail: Span | None) -> str:
        """What the status bar says while drawing, with the tail the reviewer is on."""
        head = self.head
        assert head is not None
        if tail is None or tail.id == head.id:
            keys = type_keys(fitting(types, head, None))
            if not keys:
                return (f"Relation from {quoted(head)}: no relation type starts at a "
                        f"{head.label} entity. Esc cancels.")
            return (f"Relation from {quoted(head)}: move to the tail ({MOVE_KEYS}), then a "
                    f"type key: {keys} — Esc cancels")
        keys = type_keys(fitting(types, head, tail))
        if not keys:
            return (f"Relation from {quoted(head)} to {quoted(tail)}: no type joins "
                    f"{head.label} → {tail.label}; move on ({MOVE_KEYS}) or Esc.")
        return f"Relation from {quoted(head)} to {quoted(tail)}: {keys} — Esc cancels"

    def type_for_key(self, types: Sequence[RelationType], key: str) -> RelationType | None:
        """The type whose key is ``key`` (a letter or digit, any case), or None."""
        key = key.lower()
        return next((t for t in types if key and t.hotkey == key), None)

    def edit(self, tail: Span | None, kind: RelationType) -> AddRelation:
        """The edit a type key makes; InvalidEdit (one sentence) if there is no tail yet."""
        head = self.head
        assert head is not None
        if tail is None or tail.id == head.id:
            raise InvalidEdit(f"Move to the tail entity first ({MOVE_KEYS}), then press "
                              f"{kind.hotkey.upper()} for {kind.name}.")
        return AddRelation(head.article_id, head.id, tail.id, kind.name)


# ---------------------------------------------------------------- a selected relation's keys

def accept_edit(relation: Relation) -> Edit | None:
    """Enter on a selected relation: a suggestion is accepted; an accepted one is left."""
    if relation.state == "accepted":
        return None
    return UpdateRelation(relation.id, f"accept {relation.type} relation", state="accepted")


def remove_edit(relation: Relation) -> Edit:
    """Delete on a selected relation: a reviewer's own relation is deleted (it was never a
    suggestion to keep a decision on); a suggested or a model's relation is rejected, so
    the decision is kept, like an entity's."""
    if relation.origin == "reviewer":
        return DeleteRelation(relation)
    return UpdateRelation(relation.id, f"reject {relation.type} relation", state="rejected")


# ---------------------------------------------------------------- an entity's relations

class RelationLine(NamedTuple):
    """One relation as seen from one of its entities: ``→ PROCESSES rare earths``."""

    relation: Relation
    arrow: str  # → (this entity is the head), ← (the tail), ↔ (a symmetric type)
    other: Span

    @property
    def text(self) -> str:
        return f"{self.arrow} {self.relation.type} {one_line(self.other.text, 40)}"


def relation_lines(span_id: int | None, relations: Sequence[Relation], spans: Sequence[Span],
                   symmetric: frozenset[str] = frozenset()) -> list[RelationLine]:
    """The live relations of one entity, in text order of the other end (the session's
    relations are live already). ``symmetric``: the names of the symmetric types."""
    if span_id is None:
        return []
    by_id = {s.id: s for s in spans}
    lines = []
    for rel in relations:
        if span_id not in (rel.head_id, rel.tail_id):
            continue
        other = by_id.get(rel.tail_id if rel.head_id == span_id else rel.head_id)
        if other is None:
            continue
        arrow = "↔" if rel.type in symmetric else ("→" if rel.head_id == span_id else "←")
        lines.append(RelationLine(rel, arrow, other))
    return sorted(lines, key=lambda line: (line.other.start, line.relation.id))
