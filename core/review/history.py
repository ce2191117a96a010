"""The undo history of one open project, without Qt.

``do`` applies an edit and records it; ``undo`` and ``redo`` move along the history.
The history moves only when the store call succeeded: an edit the store refuses,
or an undo that fails because the file could not be written (a full disk, a lock),
raises and leaves the history where it was, so it always says what the file holds
and the same key can try again.

An undo or redo the store *refuses* (``InvalidEdit``) means the project changed
elsewhere in a way the history cannot step back over: another process renamed the topic
the edit set, or relabelled the span it added. It would be refused every time and stand
in front of every earlier edit, and those earlier edits may touch the same things (undoing
"add" after a refused "relabel" would delete the other writer's label). So the history is
cleared (``HistoryCleared``): nothing further is undone over someone else's change.

The window's Undo and Redo actions are built on it; ``changed`` tells them (and every
other listener) to update, with the edit's ``Focus`` to show.
"""

from __future__ import annotations

from core.errors import InvalidEdit
from core.review.edits import Edit, Focus
from core.review.events import Signal
from core.store import Project


class HistoryCleared(InvalidEdit):
    """An undo or redo the store refused for good; the history has been cleared."""


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
        """Undo the last edit; None if there is none. Raises ``HistoryCleared`` if the store
        refuses it, anything else (a failed write) with the history as it was."""
        if not self.done:
            return None
        edit = self.done[-1]
        try:
            edit.revert(self.project, self.reviewer)
        except InvalidEdit as refused:
            self._clear(edit)
            raise HistoryCleared(str(refused)) from refused
        self.undone.append(self.done.pop())
        self.changed.emit(edit.focus)
        return edit.focus

    def redo(self) -> Focus | None:
        """Apply the last undone edit again; None if there is none."""
        if not self.undone:
            return None
        edit = self.undone[-1]
        try:
            edit.apply(self.project, self.reviewer)
        except InvalidEdit as refused:
            self._clear(edit)
            raise HistoryCleared(str(refused)) from refused
        self.done.append(self.undone.pop())
        self.changed.emit(edit.focus)
        return edit.focus

    def _clear(self, refused: Edit) -> None:
        self.done.clear()
        self.undone.clear()
        self.changed.emit(refused.focus)  # listeners reread what changed meanwhile

    @property
    def undo_title(self) -> str | None:
        return self.done[-1].title if self.done else None

    @property
    def redo_title(self) -> str | None:
        return self.undone[-1].title if self.undone else None
