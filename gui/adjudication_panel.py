"""The Adjudicate tab: who reviewed the open article, where their versions differ, and
the articles still to adjudicate, worst first.

It shows what ``gui.adjudication`` gives it and emits what the adjudicator asks for; it
never writes. Every name and text in it is untrusted (reviewer names come from copies,
text from articles), so everything is set as plain item text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.models import Span, Version
from core.teams.adjudicate import Comparison
from gui.side_panel import heading

NOTHING = "—"


class AdjudicationPanel(QWidget):
    """Reviewers (one lane each), regions where they differ, articles to adjudicate."""

    region_clicked = Signal(int)  # index into the comparison's regions
    take_version = Signal(int)  # lane index (0-based)
    article_chosen = Signal(int)  # article id

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.reviewers = _tree(["Lane", "Reviewer", "Decision"])
        self.reviewers.itemDoubleClicked.connect(
            lambda item, _c: self.take_version.emit(self.reviewers.indexOfTopLevelItem(item)))
        self.take = QPushButton("Take selected reviewer's version")
        self.take.clicked.connect(self._take_selected)
        self.regions = _tree(["Text"], stretch=0)
        self.regions.itemClicked.connect(
            lambda item, _c: self.region_clicked.emit(self.regions.indexOfTopLevelItem(item)))
        self.regions.itemActivated.connect(
            lambda item, _c: self.region_clicked.emit(self.regions.indexOfTopLevelItem(item)))
        self.keys = QLabel("Space: next difference · Ctrl+Alt+1…9: take that reviewer's spans "
                           "here · Ctrl+Shift+1…9: their whole version · A: approve")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("color: palette(placeholder-text);")
        self.articles = _tree(["F1", "Article", "Status"])
        self.articles.itemActivated.connect(self._article_activated)
        self.articles.itemDoubleClicked.connect(self._article_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(heading("Reviewers"))
        layout.addWidget(self.reviewers)
        layout.addWidget(self.take)
        layout.addWidget(heading("Where they differ"))
        layout.addWidget(self.regions, 2)
        layout.addWidget(self.keys)
        layout.addWidget(heading("Articles to adjudicate"))
        layout.addWidget(self.articles, 2)
        self.show_comparison(None, [], [], "")

    # ------------------------------------------------------------------ the open article

    def show_comparison(self, comparison: Comparison | None, versions: Sequence[Version],
                        curated: Sequence[Span], text: str,
                        last_change: tuple[str, str] | None = None) -> None:
        """The open article's reviewers and regions (None: it has no versions to compare)."""
        self.reviewers.clear()
        self.regions.clear()
        lanes = comparison.reviewers if comparison else ()
        for version in sorted(versions, key=lambda v: (v.reviewer not in lanes, v.reviewer)):
            lane = lanes.index(version.reviewer) if version.reviewer in lanes else None
            seconds = f", {version.review_seconds:.0f} s" if version.review_seconds else ""
            item = QTreeWidgetItem([str(lane + 1) if lane is not None else "",
                                    version.reviewer, version.status + seconds])
            if lane is not None:
                item.setIcon(0, lane_icon(lane, len(lanes)))
                item.setToolTip(1, f"Ctrl+Shift+{lane + 1} takes {version.reviewer}'s whole "
                                   "version" if lane < 9 else version.reviewer)
            else:
                item.setToolTip(1, f"{version.reviewer} did not approve the article: "
                                   "no lane")
                item.setDisabled(True)
            self.reviewers.addTopLevelItem(item)
        self.take.setEnabled(bool(lanes))
        if comparison is None:
            self.summary.setText("No reviewer's version of this article to compare. Hand "
                                 "out copies (File → Hand out…) and merge them back."
                                 if not versions else
                                 "No reviewer approved this article in their copy.")
            self.regions.setHeaderLabels(["Text"])
            return
        self.regions.setHeaderLabels(["Text", *(f"{i}" for i in range(1, len(lanes) + 1)),
                                      "Curated"])
        for i, name in enumerate(lanes, 1):
            self.regions.headerItem().setToolTip(i, name)
        live = [s for s in curated if s.live]
        for region in comparison.regions:
            row = [text[region.start:region.end].replace("\n", " ")[:60]]
            tips = []
            for reviewer in lanes:
                spans = region.spans.get(reviewer, ())
                row.append(" ".join(label for _s, _e, label in spans) or NOTHING)
                tips.append(f"{reviewer}: " + ("; ".join(
                    f"{label} “{text[s:e]}”" for s, e, label in spans) or "nothing"))
            here = [s for s in live if s.start < region.end and region.start < s.end]
            row.append(" ".join(s.label for s in here) or NOTHING)
            tips.append("curated: " + ("; ".join(f"{s.label} “{s.text}”" for s in here)
                                       or "nothing"))
            item = QTreeWidgetItem(row)
            for column in range(len(row)):
                item.setToolTip(column, "\n".join(tips))
            self.regions.addTopLevelItem(item)
        for column in range(1, len(lanes) + 2):
            self.regions.header().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        n = len(comparison.regions)
        agreed = len(comparison.agreed)
        when = ""
        if last_change is not None:
            stamp = last_change[1][:16].replace("T", " ")
            when = f" Curated spans last changed by {last_change[0]}, {stamp}."
        if len(lanes) == 1:
            self.summary.setText(f"Only {lanes[0]} approved this article: check their "
                                 "version; Ctrl+Shift+1 takes it whole." + when)
            return
        self.summary.setText(
            (f"{len(lanes)} reviewers agree on {agreed} span(s) and differ in {n} "
             f"place(s)." if n else f"All {len(lanes)} reviewers agree on all {agreed} "
             "span(s): approve with A.") + when)

    def set_current_region(self, index: int | None) -> None:
        """Follow the text cursor: select the row of the region it is in."""
        self.regions.blockSignals(True)
        if index is None:
            self.regions.clearSelection()
        else:
            item = self.regions.topLevelItem(index)
            self.regions.setCurrentItem(item)
            self.regions.scrollToItem(item)
        self.regions.blockSignals(False)

    def _take_selected(self) -> None:
        item = self.reviewers.currentItem()
        if item is not None and item.text(0):
            self.take_version.emit(int(item.text(0)) - 1)

    # ------------------------------------------------------------------ the worklist

    def set_articles(self, rows: Sequence[tuple[int, float, str, str]]) -> None:
        """Articles whose versions differ, worst first: (id, mean F1, title, status)."""
        self.articles.clear()
        for article_id, f1, title, status in rows:
            item = QTreeWidgetItem([f"{f1:.2f}", title, status])
            item.setData(0, Qt.ItemDataRole.UserRole, article_id)
            item.setToolTip(1, title)
            if status != "pending":
                for column in range(3):
                    item.setForeground(column, QColor("#8a8f98"))
            self.articles.addTopLevelItem(item)
        if not rows:
            self.articles.addTopLevelItem(QTreeWidgetItem(
                ["", "No articles whose reviewers differ.", ""]))

    def article_ids(self) -> list[int]:
        items = (self.articles.topLevelItem(i) for i in range(self.articles.topLevelItemCount()))
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in items
                if i.data(0, Qt.ItemDataRole.UserRole) is not None]

    def set_status(self, article_id: int, status: str) -> None:
        for i in range(self.articles.topLevelItemCount()):
            item = self.articles.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == article_id:
                item.setText(2, status)
                color = QColor("#8a8f98") if status != "pending" else self.palette().text(
                ).color()
                for column in range(3):
                    item.setForeground(column, color)

    def _article_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        article_id = item.data(0, Qt.ItemDataRole.UserRole)
        if article_id is not None:
            self.article_chosen.emit(article_id)


def _tree(headers: list[str], stretch: int = 1) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return tree


def lane_icon(lane: int, lanes: int) -> QIcon:
    """A small picture of the lanes with this reviewer's one drawn dark: which bar under
    the text is theirs."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    step = max(3, 12 // max(1, lanes))
    for i in range(lanes):
        painter.fillRect(1, 2 + i * step, 14, 2, QColor("#333") if i == lane
                         else QColor(128, 128, 128, 90))
    painter.end()
    return QIcon(pixmap)
