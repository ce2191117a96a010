"""Side fields hand the keyboard back to the text: Esc (and Enter, once the field has taken
its value) in the note, evidence, claim-note and link fields returns focus to the article
view, so a reviewer who typed a URL goes on with the next key instead of reaching for the
mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class ReturnFocus(QObject):
    """An event filter on line edits: Esc, or Enter after the field's own handling, gives
    the focus to ``target``."""

    def __init__(self, target: QWidget, fields: list[QLineEdit]) -> None:
        super().__init__(target)
        self.target = target
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            popup = watched.completer() if isinstance(watched, QLineEdit) else None
            if _list_shown(popup):
                return False  # Esc first closes the completer's list
            if isinstance(watched, QLineEdit):
                watched.editingFinished.emit()  # keep what was typed, as leaving would
            self.target.setFocus()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(watched, QLineEdit):
            if _list_shown(watched.completer()):
                return False
            watched.event(event)  # the field's own Enter (returnPressed, editingFinished)
            self.target.setFocus()
            return True
        return False


def _list_shown(completer: QCompleter | None) -> bool:
    """A completer's list of choices is open (Esc and Enter act on it first)."""
    view = completer.popup() if completer is not None else None
    return view is not None and view.isVisible()
