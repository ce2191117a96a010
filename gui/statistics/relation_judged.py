"""The statistics window's table of relation suggestions as reviewers judged them: per
model and type, how many were kept, retyped, rejected, and how many a reviewer drew.

Kept apart from the window (which draws charts) because it is a plain table over
``core.store.statistics.Quality`` (``Statistics.quality("rjudged")``), the same numbers
``assay-cli stats`` prints.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from core.store.statistics import OUTCOMES, Quality

COLUMNS = ["Relation suggestions of", "Type", "Kept", "Retyped", "Rejected",
           "Added by reviewers"]


class RelationJudgedTable(QTreeView):
    """One row per (model, type) with judged relation suggestions, most suggestions first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statistics-relation-suggestions")
        self.table = QStandardItemModel(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.setModel(self.table)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setToolTip("Relation suggestions in approved articles, as reviewers judged them")
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.setMaximumHeight(170)  # the chart above keeps the room; a few rows show

    def show_quality(self, quality: Quality | None) -> None:
        """Fill the table; with nothing judged yet one row says so."""
        self.table.removeRows(0, self.table.rowCount())
        rows = []
        for model in (quality.models if quality else []):
            for kind, outcome in quality.per_label(model).items():  # type: ignore[union-attr]
                rows.append([model or "unknown model", kind,
                             *(str(outcome[k]) for k in OUTCOMES)])
        if not rows:
            rows = [["No relation suggestions judged yet (approve articles that have some)",
                     "", "", "", "", ""]]
        for values in rows:
            items = [QStandardItem(v) for v in values]
            for item in items[2:]:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.appendRow(items)
