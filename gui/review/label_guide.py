"""The Guide tab: every label with its key and its guideline, the scheme's own words.

Descriptions are untrusted (a shared scheme file wrote them), so each is a plain-text
label; the tab follows the scheme as it is edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from core.models import Label
from gui.common.theme import INK, label_color


class LabelGuide(QScrollArea):
    """A scrolling column of (chip, guideline) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.rows: list[tuple[QLabel, QLabel]] = []
        self.set_labels([])

    def set_labels(self, labels: Sequence[Label]) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.setSpacing(2)
        self.rows = []
        for label in labels:
            chip = QLabel(f"{label.hotkey.upper() or ' '}  {label.name}")
            chip.setTextFormat(Qt.TextFormat.PlainText)
            chip.setStyleSheet(f"background: {label_color(label.color).name()}; color: "
                               f"{INK.name()}; border-radius: 4px; padding: 2px 6px; "
                               "font-weight: 600;")
            chip.setSizePolicy(chip.sizePolicy().horizontalPolicy().Maximum,
                               chip.sizePolicy().verticalPolicy())
            text = QLabel(label.description or "No guideline yet (Review → Labels…).")
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setContentsMargins(2, 0, 2, 8)
            layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(text)
            self.rows.append((chip, text))
        layout.addStretch(1)
        self.setWidget(body)
