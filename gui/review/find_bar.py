"""Type-to-jump's field: a small line over the bottom of the article view.

``/`` opens it; each letter typed moves the selection to the first entity (or words)
starting with what was typed (``core.review.navigation.find_next``); Down and Up go to
the next and previous match; Enter or Esc close it and leave the selection where it is,
so the next key (a label, Delete, Enter) acts on what was found.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class FindBar(QLineEdit):
    """Emits ``searched(text, step)`` as the reviewer types or steps, ``closed`` at the end."""

    searched = Signal(str, int)  # the text, 0 (as typed), 1 (next) or -1 (previous)
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Jump to… (↓ ↑ next/previous, Enter done)")
        self.setClearButtonEnabled(False)
        self.textEdited.connect(lambda text: self.searched.emit(text, 0))
        self.hide()

    def open(self) -> None:
        self.clear()
        self.show()
        self.raise_()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.hide()
            self.closed.emit()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.searched.emit(self.text(), 1 if key == Qt.Key.Key_Down else -1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
