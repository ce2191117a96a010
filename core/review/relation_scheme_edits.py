"""Undoable changes to the relation types of the scheme, on the one history, like the label
edits of ``core.review.scheme_edits`` (no article; the session announces
``labels_changed``). The rules are the store's (``core.store.relation_types``), so
Review → Labels… and ``assay-cli labels`` refuse the same things.
"""

from __future__ import annotations

from dataclasses import replace

from core.models import RelationType
from core.review.scheme_edits import SchemeEdit
from core.store import Project


def new_type_name(taken: set[str]) -> str:
    """The name a type added without one gets: NEW_RELATION, NEW_RELATION1, …"""
    return next(f"NEW_RELATION{i or ''}" for i in range(len(taken) + 1)
                if f"NEW_RELATION{i or ''}" not in taken)


class AddRelationType(SchemeEdit):
    def __init__(self, kind: RelationType) -> None:
        self.kind = kind
        self.title = f"add relation type {kind.name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.kind = project.add_relation_type(self.kind, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.delete_relation_type(self.kind.name, reviewer)


class UpdateRelationType(SchemeEdit):
    """Rename, recolour, rekey, change the labels it joins or its symmetry; undo puts the
    type back as it was (under its old name)."""

    def __init__(self, name: str, kind: RelationType, title: str) -> None:
        self.name, self.kind, self.title = name, kind, title
        self.before: RelationType | None = None

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.update_relation_type(self.name, self.kind, reviewer)
        self.kind = project.relation_type(self.kind.name.strip())

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.before is not None
        project.update_relation_type(self.kind.name, self.before, reviewer)


class DeleteRelationType(SchemeEdit):
    """Delete a type no relation uses; undo adds it back (at the end of the list)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gone: RelationType | None = None
        self.title = f"delete relation type {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.gone = project.delete_relation_type(self.name, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.gone is not None
        project.add_relation_type(replace(self.gone), reviewer)
