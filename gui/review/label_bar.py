"""The label palette: each label as a coloured chip with its hotkey, clickable.

Clicking a chip does what pressing its hotkey does (label the selection or
relabel the selected entity), so mouse-only reviewers have every action.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QToolButton, QWidget

from core.models import Label
from gui.common.plain_text import plain_tip
from gui.common.theme import INK, label_color

COLUMNS = 2


class LabelBar(QWidget):
    """A grid of label chips; emits ``label_chosen(name)``."""

    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(6)
        self.buttons: dict[str, QToolButton] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for i, label in enumerate(labels):
            button = QToolButton(self)
            key = label.hotkey.upper() if label.hotkey else " "
            button.setText(f"{key}  {label.name}")
            button.setToolTip(plain_tip(f"{label.name} — {label.description}\n"
                                        f"Hotkey: {label.hotkey}"))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            color = label_color(label.color).name()
            border = label_color(label.color).darker(125).name()
            button.setStyleSheet(
                f"QToolButton {{ background: {color}; color: {INK.name()}; border: 1px solid "
                f"{border}; border-radius: 5px; padding: 4px 8px; font-weight: 600; "
                f"text-align: left; }}"
                f"QToolButton:hover {{ border: 2px solid {INK.name()}; }}"
            )
            button.clicked.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self._grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons[label.name] = button
