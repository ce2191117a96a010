"""Undoable changes to the label scheme, on the same history as every other edit.

A scheme edit belongs to no article: its focus has ``article_id`` None, and its
``scheme`` flag tells the session to announce ``labels_changed`` so the window rebuilds
its label bar, keys and colours.
"""

from __future__ import annotations

from core.models import Label
from core.review.edits import Edit, Focus
from core.store import Project
from core.store.versions import VersionMove


class SchemeEdit(Edit):
    """Base of scheme edits: no article, and the labels change."""

    scheme = True
    article_id = None  # type: ignore[assignment]

    @property
    def focus(self) -> Focus:
        return Focus(None)


class AddLabel(SchemeEdit):
    def __init__(self, name: str, color: str, hotkey: str = "", description: str = "") -> None:
        self.name, self.color, self.hotkey, self.description = name, color, hotkey, description
        self.title = f"add label {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.name = project.add_label(self.name, self.color, self.hotkey, self.description,
                                      reviewer=reviewer).name

    def _undo(self, project: Project, reviewer: str) -> None:
        project.delete_label(self.name, reviewer)


class DeleteLabel(SchemeEdit):
    def __init__(self, name: str) -> None:
        self.name = name
        self.gone: Label | None = None
        self.title = f"delete label {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.gone = project.delete_label(self.name, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.gone is not None
        g = self.gone
        project.add_label(g.name, g.color, g.hotkey, g.description, reviewer=reviewer,
                          position=g.position)


class UpdateLabel(SchemeEdit):
    """Colour, key or description."""

    def __init__(self, name: str, title: str, **changes: str) -> None:
        self.name, self.changes, self.title = name, changes, title
        self.before: Label | None = None

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.update_label(self.name, reviewer, **self.changes)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.before is not None
        b = self.before
        project.update_label(self.name, reviewer, color=b.color, hotkey=b.hotkey,
                             description=b.description)


class MoveLabel(SchemeEdit):
    def __init__(self, name: str, position: int) -> None:
        self.name, self.position = name, position
        self.was = position
        self.title = f"move label {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.was = project.move_label(self.name, self.position, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.move_label(self.name, self.was, reviewer)


class RenameLabel(SchemeEdit):
    """Rename a label and all its spans (one transaction each way)."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new.strip()
        self.title = f"rename {old} to {self.new}"

    def _do(self, project: Project, reviewer: str) -> None:
        project.rename_label(self.old, self.new, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.rename_label(self.new, self.old, reviewer)


class MergeLabel(SchemeEdit):
    """Move every span of one label to another and remove the first; undo puts back the
    label and exactly the spans that were moved."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        self.gone: Label | None = None
        self.moved: list[int] = []
        self.in_versions: list[VersionMove] = []  # the reviewers' versions' spans moved
        self.title = f"merge {source} into {target}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.gone, self.moved, self.in_versions = project.merge_label(
            self.source, self.target, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.gone is not None
        project.unmerge_label(self.gone, self.moved, reviewer, self.in_versions, self.target)
