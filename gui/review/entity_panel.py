"""Every entity of the open article in a table: label, text, link (kb id), state.

Clicking a row selects that entity in the article view and scrolls to it;
selecting an entity in the view selects its row here. A model/view pair
with fixed column widths: a QTableWidget with resize-to-contents columns
re-measured every row on every insert and took 110 s for 1,352 entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from core.models import Label, Span
from gui.common.plain_text import plain_tip
from gui.common.theme import INK, label_color

COLUMNS = ("Label", "Text", "Link", "State")
Index = QModelIndex | QPersistentModelIndex


class EntityModel(QAbstractTableModel):
    """The spans of one article as rows; replaced wholesale after every edit (cheap)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[Span] = []
        self.labels: dict[str, Label] = {}
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.beginResetModel()
        self.spans = list(spans)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self.spans[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (span.label, span.text.replace("\n", " ⏎ "), span.kb_id or "",
                    span.state)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            link = f"\nlinked to {span.kb_id}" if span.kb_id else "\nnot linked"
            return plain_tip(f"{span.text}\n{span.label}, {span.state}, from {span.origin}{link}")
        if col == 0:
            if role == Qt.ItemDataRole.BackgroundRole:
                label = self.labels.get(span.label)
                return QBrush(label_color(label.color if label else "#dddddd"))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(INK)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
        if span.state == "rejected":
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#9a9a9a"))
            if role == Qt.ItemDataRole.FontRole and col == 1:
                return self._strike
        if span.state == "suggested" and col == 3 and role == Qt.ItemDataRole.FontRole:
            return self._italic
        return None


class EntityPanel(QTableView):
    """A read-only table of spans; emits ``span_clicked(id)``."""

    span_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entity_model = EntityModel()
        self.setModel(self.entity_model)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article view
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        # Fixed, snug columns so the entity text gets the room.
        for col, sample in ((0, "PERCENT"), (2, "mineral:lithium"), (3, "suggested")):
            self.setColumnWidth(col, metrics.horizontalAdvance(sample) + 10)
        self.verticalHeader().setDefaultSectionSize(24)
        self._fixed = {col: self.columnWidth(col) for col in (0, 2, 3)}
        self.clicked.connect(self._clicked)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """In a narrow panel the entity text keeps room: State goes first (the text view
        shows it too), then Link."""
        super().resizeEvent(event)
        room = self.viewport().width() - self._fixed[0] - 90  # 90 px: the text's minimum
        self.setColumnHidden(3, room < self._fixed[2] + self._fixed[3])
        self.setColumnHidden(2, room < self._fixed[2])

    def set_labels(self, labels: Sequence[Label]) -> None:
        self.entity_model.labels = {lb.name: lb for lb in labels}

    def set_spans(self, spans: Sequence[Span], selected_id: int | None = None) -> None:
        self.entity_model.set_spans(spans)
        self.select_id(selected_id)

    def rowCount(self) -> int:  # noqa: N802 (mirrors the model, for tests and callers)
        return self.entity_model.rowCount()

    def select_id(self, span_id: int | None) -> None:
        ids = [s.id for s in self.entity_model.spans]
        if span_id is None or span_id not in ids:
            self.clearSelection()
            return
        row = ids.index(span_id)
        self.selectRow(row)
        self.scrollTo(self.entity_model.index(row, 0))

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.span_clicked.emit(self.entity_model.spans[index.row()].id)
