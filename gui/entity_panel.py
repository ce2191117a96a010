"""Every entity of the open article in a table: label, text, origin, state.

Clicking a row selects that entity in the article view and scrolls to it;
selecting an entity in the view selects its row here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.models import Label, Span
from gui.theme import INK, label_color

COLUMNS = ("Label", "Text", "Origin", "State")


class EntityPanel(QTableWidget):
    """A read-only table of spans; emits ``span_clicked(id)``."""

    span_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article view
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultSectionSize(24)
        self._ids: list[int] = []
        self._labels: dict[str, Label] = {}
        self.cellClicked.connect(self._clicked)

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {lb.name: lb for lb in labels}

    def set_spans(self, spans: Sequence[Span], selected_id: int | None = None) -> None:
        self.setUpdatesEnabled(False)
        self.setRowCount(len(spans))
        self._ids = [s.id for s in spans]
        for row, span in enumerate(spans):
            label = QTableWidgetItem(span.label)
            color = self._labels[span.label].color if span.label in self._labels else "#ddd"
            label.setBackground(QBrush(label_color(color, "accepted")))
            label.setForeground(QBrush(INK))
            label.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            text = QTableWidgetItem(span.text.replace("\n", " ⏎ "))
            text.setToolTip(span.text)
            origin = QTableWidgetItem(span.origin)
            state = QTableWidgetItem(span.state)
            if span.state == "rejected":
                for item in (text, origin, state):
                    item.setForeground(QBrush(QColor("#9a9a9a")))
                font = text.font()
                font.setStrikeOut(True)
                text.setFont(font)
            elif span.state == "suggested":
                font = state.font()
                font.setItalic(True)
                state.setFont(font)
            for col, item in enumerate((label, text, origin, state)):
                self.setItem(row, col, item)
        self.setUpdatesEnabled(True)
        self.select_id(selected_id)

    def select_id(self, span_id: int | None) -> None:
        if span_id is None or span_id not in self._ids:
            self.clearSelection()
            return
        row = self._ids.index(span_id)
        self.selectRow(row)
        self.scrollToItem(self.item(row, 0))

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._ids):
            self.span_clicked.emit(self._ids[row])
