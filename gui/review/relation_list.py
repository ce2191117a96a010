"""The selected entity's relations under the entity table: "→ PROCESSES rare earths",
"← FUNDS EXIM", each a row of its type's colour. Clicking a row selects that relation
(Enter and Delete then act on it, and the view draws it bold); the rows are given by
``gui.review.relation_review``, which follows the session.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from core.models import RelationType, Span
from core.review.relation_drawing import RelationLine, quoted
from gui.common.plain_text import plain_tip


class RelationList(QWidget):
    """A heading and a list of one entity's relations; emits ``relation_clicked(id)``."""

    relation_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("color: palette(placeholder-text);")
        self.heading.setWordWrap(True)  # its text must not widen the side panel
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article view
        self.list.setUniformItemSizes(True)
        # a long row is cut with an ellipsis (its tooltip has all of it), not scrolled
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._clicked)
        # up to five rows; the entity table above keeps the rest of the height
        self.list.setMaximumHeight(5 * self.list.fontMetrics().height() + 14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.ids: list[int] = []
        self.show_lines(None, [], [], None)

    def show_lines(self, span: Span | None, lines: Sequence[RelationLine],
                   types: Sequence[RelationType], selected_id: int | None) -> None:
        """The relations of ``span`` (None: no entity selected), ``selected_id`` selected."""
        colors = {t.name: t.color for t in types}
        self.list.clear()
        self.ids = [line.relation.id for line in lines]
        if span is None:
            self.heading.setText("Relations: select an entity (R draws one from it)")
        elif not lines:
            self.heading.setText(f"No relations of {quoted(span)} (R draws one)")
        else:
            self.heading.setText(f"Relations of {quoted(span)}")
        italic = QFont(self.list.font())
        italic.setItalic(True)
        for line in lines:
            rel = line.relation
            state = "" if rel.state == "accepted" else f"  ({rel.state})"
            item = QListWidgetItem(line.text + state)
            item.setForeground(QBrush(QColor(colors.get(rel.type, "#5a6f8f")).lighter(
                150 if self.palette().base().color().lightness() < 128 else 100)))
            if rel.state == "suggested":
                item.setFont(italic)
            item.setToolTip(plain_tip(f"{line.text}\n{rel.state}, from {rel.origin}"
                                      + (f", by {rel.updated_by}" if rel.updated_by else "")))
            self.list.addItem(item)
        self.list.setVisible(bool(lines))
        if selected_id in self.ids:
            self.list.setCurrentRow(self.ids.index(selected_id))
        else:
            self.list.clearSelection()

    def texts(self) -> list[str]:
        """The rows as shown (for tests and the bench)."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _clicked(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self.ids):
            self.relation_clicked.emit(self.ids[row])
