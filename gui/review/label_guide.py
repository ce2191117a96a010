"""The Guide tab: every label with its key and its guideline, then every relation type
with its key, the labels it joins (head → tail, ↔ when symmetric) and its description:
the scheme's own words.

Descriptions are untrusted (a shared scheme file wrote them), so each is a plain-text
label; the tab follows the scheme as it is edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from core.models import Label, RelationType
from gui.common.theme import INK, label_color


def _chip(text: str, background: str, ink: str) -> QLabel:
    chip = QLabel(text)
    chip.setTextFormat(Qt.TextFormat.PlainText)
    chip.setStyleSheet(f"background: {background}; color: {ink}; border-radius: 4px; "
                       "padding: 2px 6px; font-weight: 600;")
    chip.setSizePolicy(chip.sizePolicy().horizontalPolicy().Maximum,
                       chip.sizePolicy().verticalPolicy())
    return chip


def _words(text: str) -> QLabel:
    words = QLabel(text)
    words.setTextFormat(Qt.TextFormat.PlainText)
    words.setWordWrap(True)
    words.setContentsMargins(2, 0, 2, 8)
    return words


class LabelGuide(QScrollArea):
    """A scrolling column of (chip, guideline) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.rows: list[tuple[QLabel, QLabel]] = []
        self.set_labels([])

    def set_labels(self, labels: Sequence[Label],
                   relation_types: Sequence[RelationType] = ()) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.setSpacing(2)
        self.rows = []
        for label in labels:
            chip = _chip(f"{label.hotkey.upper() or ' '}  {label.name}",
                         label_color(label.color).name(), INK.name())
            text = _words(label.description or "No guideline yet (Review → Labels…).")
            layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(text)
            self.rows.append((chip, text))
        if relation_types:
            heading = QLabel("RELATIONS: select an entity, R, move to the tail, type key")
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setWordWrap(True)
            heading.setStyleSheet("color: palette(placeholder-text); font-weight: 600;")
            heading.setContentsMargins(2, 8, 2, 4)
            layout.addWidget(heading)
        for kind in relation_types:
            chip = _chip(f"{kind.hotkey.upper() or ' '}  {kind.name}", kind.color, "#ffffff")
            text = _words(f"{kind.shape()}. {kind.description}".strip())
            layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(text)
            self.rows.append((chip, text))
        layout.addStretch(1)
        self.setWidget(body)
