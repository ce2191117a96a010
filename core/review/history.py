"""The undo history of one open project, without Qt.

``do`` applies an edit and records it; ``undo`` and ``redo`` move along the history.
The history moves only when the store call succeeded: an edit the store refuses,
or an undo that fails (a full disk, another writer changed the span since), raises
and leaves the history where it was, so it always says what the file holds. The
window's Undo and Redo actions are built on it; ``changed`` tells them (and every
other listener) to update, with the edit's ``Focus`` to show.
"""

from __future__ import annotations

from core.review.edits import Edit, Focus
from core.review.events import Signal
from core.store import Project


class History:
    """Applied edits (``done``) and undone ones that can be redone (``undone``)."""

    def __init__(self, project: Project, reviewer: str) -> None:
        self.project = project
        self.reviewer = reviewer
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        self.changed = Signal()  # emitted with the Focus of the edit done, undone or redone

    def do(self, edit: Edit) -> Edit:
        """Apply ``edit`` and record it; raises (and records nothing) if the store refuses."""
        edit.apply(self.project, self.reviewer)
        self.done.append(edit)
        self.undone.clear()
        self.changed.emit(edit.focus)
        return edit

    def undo(self) -> Focus | None:
        """Undo the last edit; None if there is none. Raises, history unchanged, on failure."""
        if not self.done:
            return None
        edit = self.done[-1]
        edit.revert(self.project, self.reviewer)
        self.undone.append(self.done.pop())
        self.changed.emit(edit.focus)
        return edit.focus

    def redo(self) -> Focus | None:
        """Apply the last undone edit again; None if there is none."""
        if not self.undone:
            return None
        edit = self.undone[-1]
        edit.apply(self.project, self.reviewer)
        self.done.append(self.undone.pop())
        self.changed.emit(edit.focus)
        return edit.focus

    @property
    def undo_title(self) -> str | None:
        return self.done[-1].title if self.done else None

    @property
    def redo_title(self) -> str | None:
        return self.undone[-1].title if self.undone else None
