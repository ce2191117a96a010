"""Relation decisions as edits on the one undo history (``core.review.history``).

Rejecting an entity needs no relation edit: its relations stop counting and come back
with it (``core.store.relations``). Deleting a relation hands it back whole for the undo.
"""

from __future__ import annotations

from typing import Any

from core.models import Relation
from core.review.edits import Edit, Focus, _FieldsEdit
from core.store import Project


class AddRelation(Edit):
    """Draw a relation; undo deletes it, redo recreates it under the same id."""

    def __init__(self, article_id: int, head_id: int, tail_id: int, kind: str) -> None:
        self.article_id, self.head_id, self.tail_id, self.kind = (
            article_id, head_id, tail_id, kind)
        self.relation_id: int | None = None
        self.title = f"add {kind} relation"

    def _do(self, project: Project, reviewer: str) -> None:
        relation = project.add_relation(self.article_id, self.head_id, self.tail_id,
                                        self.kind, reviewer, relation_id=self.relation_id)
        self.relation_id = relation.id

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.relation_id is not None
        project.delete_relation(self.relation_id, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, span_id=self.head_id, relation_id=self.relation_id)


RELATION_FIELDS = ("type", "state")


class UpdateRelation(_FieldsEdit):
    """Accept, reject or retype a relation; undo restores both fields."""

    FIELDS = RELATION_FIELDS
    what = "That relation"

    def _read(self, project: Project) -> Any:
        return project.relation(self.row_id)

    def _write(self, project: Project, reviewer: str, values: dict[str, object]) -> None:
        kind = values.get("type")
        state = values.get("state")
        project.update_relation(self.row_id, reviewer,
                                kind=kind if isinstance(kind, str) else None,
                                state=state if isinstance(state, str) else None)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, relation_id=self.row_id)


class DeleteRelation(Edit):
    """Remove a relation a reviewer drew; undo puts all of it back under its id."""

    title = "delete relation"

    def __init__(self, relation: Relation) -> None:
        self.relation, self.article_id = relation, relation.article_id

    def _do(self, project: Project, reviewer: str) -> None:
        self.relation = project.delete_relation(self.relation.id, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.restore_relations([self.relation], reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, span_id=self.relation.head_id,
                     relation_id=self.relation.id)
