"""Pushing a scheme edit from a dialog pane (labels, relation types): the one way both
panes put an edit on the window's history and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class SchemeEditPusher:
    """Pushes a pane's edits; while one is under way, ``selecting`` names the row the
    pane's table should select when it refills (on the session's event)."""

    def __init__(self, host: Any, say: Callable[[str], None]) -> None:
        self.host = host
        self.say = say
        self.selecting: str | None = None

    def push(self, edit: Any, select: str | None = None) -> bool:
        """Push ``edit``; say the refusal (the window's status line) or how to undo it."""
        self.selecting = select
        try:
            if not self.host.push(edit):
                self.say(self.host.statusBar().currentMessage())
                return False
        finally:
            self.selecting = None
        self.say(f"Done: {edit.title}. Ctrl+Z in the window undoes it.")
        return True
