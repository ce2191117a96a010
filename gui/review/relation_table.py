"""The Relations tab: the open article's relations as triples (head, type, tail, state,
the evidence sentence) in text order, filtered by type and by state. The rows are
``core.review.relation_table``'s; this widget follows the session and says what the
reviewer does with a row: ``relation_chosen(id)`` when a row becomes current (the window
selects the relation in the view, so Enter and Delete act on it there) and
``relation_activated(id)`` on Enter or a double-click (the view goes to it and takes the
keyboard). ``gui.review.relation_review`` wires both.

The rows are rebuilt only while the tab is shown (a hidden tab is marked stale and
rebuilt when shown), so an edit in a 300-entity article does not pay for a table nobody
looks at; its count, in the tab's title, always follows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.review.relation_table import ALL, RelationRow, filtered, relation_rows
from core.review.session import ReviewSession
from core.text.normalise import one_line
from core.text.sentences import SentenceIndex
from gui.common.plain_text import plain_tip

COLUMNS = ("Head", "Type", "Tail", "State", "Evidence")
END_WIDTHS = (44, 140)  # a head or tail column's width: shares what is left, within these
EVIDENCE_SHOWN = 240  # characters of evidence under the table, at most
EVIDENCE_WIDTH = 320  # at least: a narrow panel scrolls to it (and shows it under the table)
STATES = (("suggested", "Suggested"), ("accepted", "Accepted"))


def evidence_line(row: RelationRow) -> str:
    """Under the table, the current row: "Suggested: EXIM FUNDS Lynas. <the sentence>"; the
    evidence of ends paragraphs apart is cut in its middle (the row's tooltip has it all),
    so that it does not push the table out of the panel."""
    rel = row.relation
    evidence = row.evidence
    if len(evidence) > EVIDENCE_SHOWN:
        evidence = f"{evidence[:EVIDENCE_SHOWN * 2 // 3].rstrip()} … " \
                   f"{evidence[-EVIDENCE_SHOWN // 3:].lstrip()}"
    return (f"{rel.state.capitalize()}: {one_line(row.head.text, 40)} {rel.type} "
            f"{one_line(row.tail.text, 40)}. {evidence}")


class TripleModel(QAbstractTableModel):
    """The rows for the table, read when painted (200 rows are refilled in a few
    milliseconds at each edit): plain text, the type in its colour, suggested in italics."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.rows: list[RelationRow] = []
        self.colors: dict[str, QBrush] = {}
        self.italic = QFont(font)
        self.italic.setItalic(True)
        self.small = QFont(font)  # type and state: short words in a narrow panel
        self.small.setPointSizeF(font.pointSizeF() * 0.85)
        self.bold = QFont(self.small)
        self.bold.setBold(True)
        self.small.setItalic(True)

    def show(self, rows: list[RelationRow], colors: dict[str, QBrush]) -> None:
        self.beginResetModel()
        self.rows, self.colors = rows, colors
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def text(self, row: RelationRow, column: int) -> str:
        rel = row.relation
        return (one_line(row.head.text, 60), rel.type, one_line(row.tail.text, 60),
                rel.state, row.evidence)[column]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        rel = row.relation
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)  # plain text: a table never renders markup
        if role == Qt.ItemDataRole.FontRole:
            if column == 1:
                return self.bold
            if column == 3:
                return self.small if rel.state == "suggested" else self.bold
            return self.italic if rel.state == "suggested" else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return self.colors.get(rel.type)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{one_line(row.head.text)} {rel.type} {one_line(row.tail.text)}"
                             f" ({rel.state}, from {rel.origin})\n\n"
                             f"{one_line(row.evidence, 1200)}")
        return None


class TripleTable(QTableView):
    """The table itself: Enter on a row is ``entered`` (a table edits on Enter)."""

    entered = Signal(int)  # the row

    def currentRow(self) -> int:  # noqa: N802 (as QTableWidget's)
        return self.currentIndex().row()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.entered.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class RelationTable(QWidget):
    """Two filters, the table of triples, and the current row's evidence in full."""

    relation_chosen = Signal(int)
    relation_activated = Signal(int)
    count_changed = Signal(int)  # the article's relations, for the tab's title

    def __init__(self) -> None:
        super().__init__()
        self.session: ReviewSession | None = None
        self.rows: list[RelationRow] = []  # shown, in order
        self.current_id: int | None = None  # the relation selected in the window
        self.stale = True
        self._quiet = False  # filling or following the window: no relation_chosen
        self._sentences: tuple[str, SentenceIndex] | None = None
        self.type_filter = QComboBox()
        self.state_filter = QComboBox()
        for combo, tip in ((self.type_filter, "Show the relations of one type"),
                           (self.state_filter, "Show suggested or accepted relations")):
            combo.setToolTip(tip)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.currentIndexChanged.connect(self._filter_changed)
        self.table = TripleTable()
        table = self.table
        self.model = TripleModel(table.font())
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setHighlightSections(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_changed(current.row()))
        table.doubleClicked.connect(lambda index: self._activate(index.row()))
        table.entered.connect(self._activate)
        self.evidence = QLabel()  # the current row's sentence, all of it
        self.evidence.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence.setWordWrap(True)
        self.evidence.setStyleSheet("color: palette(placeholder-text);")
        self.evidence.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.evidence.setMinimumHeight(3 * self.evidence.fontMetrics().height())
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.type_filter, 1)
        filters.addWidget(self.state_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(table, 1)
        layout.addWidget(self.evidence)
        self._fill_filters([])

    # ------------------------------------------------------------------ the session

    def attach(self, session: ReviewSession) -> None:
        self.session = session
        self.current_id = None
        for signal in (session.article_opened, session.relations_changed,
                       session.spans_changed, session.labels_changed):
            signal.connect(self.follow)
        self.follow()

    def follow(self, *_: object) -> None:
        """The article, its spans or relations, or the scheme changed: count now, rebuild
        the rows now if the tab is shown, else when it is."""
        session = self.session
        self.count_changed.emit(len(session.relations) if session is not None else 0)
        self.stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the filters' counts and the rows from the session."""
        self.stale = False
        session = self.session
        article = session.article if session is not None else None
        if session is None or article is None:
            everything: list[RelationRow] = []
        else:
            if self._sentences is None or self._sentences[0] != article.text:
                self._sentences = (article.text, SentenceIndex(article.text))
            everything = relation_rows(article.text, session.relations, session.spans,
                                       self._sentences[1])
        self._fill_filters(everything)
        self.rows = filtered(everything, self.type_filter.currentData() or ALL,
                             self.state_filter.currentData() or ALL)
        self._fill_table(self.rows, len(everything))

    # ------------------------------------------------------------------ filling

    def _fill_filters(self, rows: list[RelationRow]) -> None:
        """"All types (12)", then each type of the scheme with its count; the same for the
        states. The chosen entry stays chosen."""
        types = self.session.relation_types() if self.session is not None else []
        counts: dict[str, int] = {}
        for row in rows:
            for key in (row.relation.type, row.relation.state):
                counts[key] = counts.get(key, 0) + 1
        self._quiet = True
        try:
            for combo, everyone, entries in (
                    (self.type_filter, "All types", [(t.name, t.name) for t in types]),
                    (self.state_filter, "All states", list(STATES))):
                chosen = combo.currentData() or ALL
                wanted = [(f"{everyone} ({len(rows)})", ALL)] + [
                    (f"{name} ({counts.get(key, 0)})", key) for key, name in entries
                    if counts.get(key) or key == chosen]
                if wanted == [(combo.itemText(i), combo.itemData(i))
                              for i in range(combo.count())]:
                    continue  # as it is (most edits change no count)
                combo.clear()
                for text, key in wanted:
                    combo.addItem(text, key)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
        finally:
            self._quiet = False

    def _fill_table(self, rows: list[RelationRow], total: int) -> None:
        dark = self.palette().base().color().lightness() < 128
        types = self.session.relation_types() if self.session is not None else []
        colors = {t.name: QBrush(QColor(t.color).lighter(150 if dark else 100)) for t in types}
        self._quiet = True
        try:
            self.model.show(rows, colors)
            self._fit_columns()
            self._show_current()
        finally:
            self._quiet = False
        self._say(total)

    def _fit_columns(self) -> None:
        """Type and state as wide as their words; head and tail share what is left beside
        the type (within ``END_WIDTHS``), so the triple reads without scrolling in a narrow
        panel (suggested rows are in italics; the state and the evidence are said in full
        under the table) and a wide one shows the state too; the evidence last."""
        table, model = self.table, self.model
        header = QFontMetrics(table.horizontalHeader().font())
        for c, font in ((0, model.italic), (1, model.bold), (2, model.italic), (3, model.bold)):
            metrics = QFontMetrics(font)
            words = {model.text(row, c) for row in self.rows}
            table.setColumnWidth(c, 14 + max([header.horizontalAdvance(COLUMNS[c]) + 6] + [
                metrics.horizontalAdvance(word) for word in words]))
        room = table.viewport().width() - table.columnWidth(1)
        if room - 2 * END_WIDTHS[1] > table.columnWidth(3):
            room -= table.columnWidth(3)
        for c in (0, 2):
            wanted = table.columnWidth(c)
            table.setColumnWidth(c, max(END_WIDTHS[0], min(wanted, END_WIDTHS[1], room // 2)))
        table.setColumnWidth(4, EVIDENCE_WIDTH)  # the last: stretched when there is room

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.rows:
            self._fit_columns()
            self.select_id(self.current_id)  # the current row stays in sight

    def _say(self, total: int) -> None:
        """Under the table: the current row's evidence, or what the table holds."""
        row = self._current_row()
        if row is not None:
            self.evidence.setText(evidence_line(row))
        elif total == 0:
            self.evidence.setText("No relations in this article. Select an entity and press "
                                  "R to draw one.")
        elif not self.rows:
            self.evidence.setText(f"None of the {total} relations passes the filters.")
        else:
            self.evidence.setText(f"{len(self.rows)} of {total} relations shown. Enter or a "
                                  "double-click goes to a relation in the text."
                                  if len(self.rows) < total else
                                  "Enter or a double-click goes to a relation in the text.")

    # ------------------------------------------------------------------ selection

    def select_id(self, relation_id: int | None) -> None:
        """Follow the relation selected in the window (None: none), without emitting."""
        self.current_id = relation_id
        if not self.stale:
            self._quiet = True
            try:
                self._show_current()
            finally:
                self._quiet = False
            self._say(len(self.session.relations) if self.session is not None else 0)

    def _show_current(self) -> None:
        ids = [row.relation.id for row in self.rows]
        if self.current_id in ids:
            row = ids.index(self.current_id)
            index = self.model.index(row, 0)
            if self.table.currentRow() != row:
                self.table.setCurrentIndex(index)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.table.setCurrentIndex(QModelIndex())
            self.table.clearSelection()

    def _current_row(self) -> RelationRow | None:
        """The row of the relation selected in the window, if the filters show it."""
        return next((row for row in self.rows if row.relation.id == self.current_id), None)

    def _row_changed(self, row: int) -> None:
        if self._quiet or not 0 <= row < len(self.rows):
            return
        self.current_id = self.rows[row].relation.id
        self.evidence.setText(evidence_line(self.rows[row]))
        self.relation_chosen.emit(self.current_id)

    def _activate(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.current_id = self.rows[row].relation.id
            self.relation_activated.emit(self.current_id)

    def _filter_changed(self, _index: int) -> None:
        if not self._quiet:
            self.refresh()

    # ------------------------------------------------------------------ for tests, the bench

    def texts(self) -> list[tuple[str, ...]]:
        """The rows as shown: head, type, tail, state, evidence."""
        model = self.table.model()
        return [tuple(str(model.index(r, c).data()) for c in range(len(COLUMNS)))
                for r in range(model.rowCount())]
