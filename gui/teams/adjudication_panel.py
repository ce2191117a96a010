"""The Adjudicate tab: who reviewed the open article, where their versions differ, and
the articles still to adjudicate, worst first.

It shows what ``gui.teams.adjudication`` gives it and emits what the adjudicator asks for; it
never writes. Every name and text in it is untrusted (reviewer names come from copies,
text from articles), so everything is set as plain item text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.models import Span, Version
from core.teams.adjudicate import MIN_AGREEING, Comparison, Region, holds_decision
from core.teams.relation_curation import describe
from gui.common.plain_text import plain_tip
from gui.common.side_panel import heading
from gui.teams.topic_differences import TopicDifferences

NOTHING = "—"
MAX_REVIEWER_ROWS = 5  # more reviewers scroll
KEYS = ("Space / Shift+Space: next / previous difference\n"
        "Ctrl+Alt+1…9: take that reviewer's spans at the cursor\n"
        "Ctrl+Shift+1…9: take their whole version\n"
        "A: approve the curated version, open the next article to adjudicate")


class AdjudicationPanel(QWidget):
    """Reviewers (one lane each), regions where they differ, articles to adjudicate."""

    region_clicked = Signal(int)  # index into the comparison's regions
    region_browsed = Signal(int)  # the same, moved to with the keys in the list
    take_reviewer = Signal(str)  # a reviewer's version, in a lane or not (a rejected one)
    take_agreed = Signal()
    article_chosen = Signal(int)  # article id

    def __init__(self) -> None:
        super().__init__()
        self._chips: dict[tuple[str, ...], QIcon] = {}  # label chips, made once per look
        self._text = ""
        self._color: Callable[[str], QColor] = lambda _label: QColor("#9a9a9a")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.reviewers = _tree(["Lane", "Reviewer", "Decision"])
        self.reviewers.itemDoubleClicked.connect(lambda item, _c: self._take_selected(item))
        self.take = QPushButton("Take version")
        self.take.setToolTip("The selected reviewer's decision becomes the curated one: "
                             "their whole version, or a rejection (Ctrl+Shift+lane number; "
                             "double-click does the same)")
        self.take.clicked.connect(lambda: self._take_selected(self.reviewers.currentItem()))
        self.agreed = QPushButton("Take agreed spans")
        self.agreed.setToolTip("The spans all reviewers agree on become the curated ones; "
                               "where you already decided, you are asked first")
        self.agreed.clicked.connect(self.take_agreed.emit)
        self.regions = _tree(["Text"], stretch=0)
        self.regions.itemClicked.connect(
            lambda item, _c: self.region_clicked.emit(self.regions.indexOfTopLevelItem(item)))
        self.regions.itemActivated.connect(
            lambda item, _c: self.region_clicked.emit(self.regions.indexOfTopLevelItem(item)))
        self.regions.currentItemChanged.connect(self._browsed)
        self.regions.setToolTip(KEYS)
        self.articles = _tree(["F1", "Article", "Status"])
        self.articles.itemActivated.connect(self._article_activated)
        self.articles.itemDoubleClicked.connect(self._article_activated)
        self.reviewers.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # The differences and the worklist share what is left; the reviewer can move the
        # line between them (on a laptop screen both are short).
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.topics = TopicDifferences()  # shown when they differ on topics
        split.addWidget(_titled("Where they differ", self.regions))
        split.addWidget(self.topics)
        split.addWidget(_titled("Articles to adjudicate", self.articles))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(heading("Reviewers"))
        row.addStretch(1)
        row.addWidget(self.agreed)
        row.addWidget(self.take)
        layout.addLayout(row)
        layout.addWidget(self.reviewers)
        layout.addWidget(split, 1)
        self.show_comparison(None, [], [], "")

    # ------------------------------------------------------------------ the open article

    def show_comparison(self, comparison: Comparison | None, versions: Sequence[Version],
                        curated: Sequence[Span], text: str,
                        last_change: tuple[str, str] | None = None,
                        color: Callable[[str], QColor] = lambda _label: QColor("#9a9a9a"),
                        ) -> None:
        """The open article's reviewers and regions (None: it has no versions to compare).
        Each reviewer's labels in a region are shown as chips in the label's colour (the
        colour of their lane bars; the names would not fit a laptop's side column), with
        the names in the tooltip and the accessible text."""
        self.reviewers.clear()
        self.regions.clear()
        self._text, self._color, self._chips = text, color, {}
        lanes = comparison.reviewers if comparison else ()
        for version in sorted(versions, key=lambda v: (v.reviewer not in lanes, v.reviewer)):
            lane = lanes.index(version.reviewer) if version.reviewer in lanes else None
            seconds = f", {version.review_seconds:.0f} s" if version.review_seconds else ""
            item = QTreeWidgetItem([str(lane + 1) if lane is not None else "",
                                    version.reviewer, version.status + seconds])
            item.setData(1, Qt.ItemDataRole.UserRole, version.reviewer)
            if lane is not None:
                item.setIcon(0, lane_icon(lane, len(lanes), self.palette().text().color()))
                item.setToolTip(1, plain_tip(
                    f"Ctrl+Shift+{lane + 1} takes {version.reviewer}'s whole version"
                    if lane < 9 else version.reviewer))
            elif version.status == "rejected":
                item.setToolTip(1, plain_tip(f"{version.reviewer} rejected the article: "
                                             "taking their version rejects it"))
            else:
                item.setToolTip(1, plain_tip(f"{version.reviewer} did not approve the "
                                             "article: no lane"))
                item.setDisabled(True)
            self.reviewers.addTopLevelItem(item)
        self.take.setEnabled(any(holds_decision(v) for v in versions))
        self.agreed.setEnabled(len(lanes) >= MIN_AGREEING)
        rows = max(1, min(MAX_REVIEWER_ROWS, len(versions)))
        self.reviewers.setFixedHeight(self.reviewers.header().sizeHint().height() + rows * (
            self.reviewers.sizeHintForRow(0) if versions else 20) + 4)
        if comparison is None:
            self.summary.setText("No reviewer's version of this article to compare. Hand "
                                 "out copies (File → Hand out…) and merge them back."
                                 if not versions else
                                 "No reviewer approved this article in their copy.")
            self.regions.setHeaderLabels(["Text"])
            return
        self.regions.setHeaderLabels(["Text", *(f"{i}" for i in range(1, len(lanes) + 1)),
                                      "Now"])
        header = self.regions.headerItem()
        for i, name in enumerate(lanes, 1):
            header.setToolTip(i, plain_tip(name))
        header.setToolTip(len(lanes) + 1, "What the curated version has")
        for region in comparison.regions:
            shown = text[region.start:region.end].replace("\n", " ")[:60]
            if _relations_differ(region):
                shown += " · relations"
            item = QTreeWidgetItem([shown])
            for column, reviewer in enumerate(lanes, 1):
                self._cell(item, column, region.spans.get(reviewer, ()))
            self.regions.addTopLevelItem(item)
        for column in range(1, len(lanes) + 2):
            self.regions.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.regions.setColumnWidth(column, 34)
        self.show_curated(comparison, curated, last_change)

    def show_curated(self, comparison: Comparison, curated: Sequence[Span],
                     last_change: tuple[str, str] | None) -> None:
        """After an edit: the "Now" column and the summary, in one sweep over the curated
        spans (an article can have thousands of regions; the rest of the table stands)."""
        lanes = comparison.reviewers
        live = sorted((s for s in curated if s.live), key=lambda s: (s.start, s.end))
        column = len(lanes) + 1
        first = 0
        self.regions.setUpdatesEnabled(False)
        for i, region in enumerate(comparison.regions):
            item = self.regions.topLevelItem(i)
            if item is None:
                break
            while first < len(live) and live[first].end <= region.start:
                first += 1
            here = []
            j = first
            while j < len(live) and live[j].start < region.end:
                here.append((live[j].start, live[j].end, live[j].label))
                j += 1
            self._cell(item, column, tuple(here))
            tips = [f"{who}: " + self._what(spans) for who, spans in (
                *((r, region.spans.get(r, ())) for r in lanes), ("curated", tuple(here)))]
            if _relations_differ(region):
                tips += [f"{who}'s relations: " + ("; ".join(
                    describe(self._text, rel) for rel in region.relations.get(who, ()))
                    or "none") for who in lanes]
            tip = plain_tip("\n".join(tips))
            for c in range(column + 1):
                item.setToolTip(c, tip)
        self.regions.setUpdatesEnabled(True)
        n = len(comparison.regions)
        when = ""
        if last_change is not None:
            stamp = last_change[1][:19].replace("T", " ") + " UTC"  # a take a second later shows
            when = f" Curated spans last changed by {last_change[0]}, {stamp}."
        if len(lanes) == 1:
            self.summary.setText(f"Only {lanes[0]} approved this article: check their "
                                 "version; Ctrl+Shift+1 takes it whole." + when)
            return
        agreed = len(comparison.agreed)
        relations = (f" They agree on {len(comparison.agreed_relations)} relation(s) and "
                     f"differ on {comparison.disputed_relations}."
                     if comparison.disputed_relations else
                     f" They agree on all {len(comparison.agreed_relations)} relation(s)."
                     if comparison.agreed_relations else "")
        topics = len(self.topics.differences)
        self.summary.setText(
            (f"{len(lanes)} reviewers agree on {agreed} span(s) and differ in {n} "
             f"place(s)." if n else f"All {len(lanes)} reviewers agree on all {agreed} "
             + ("span(s)." if topics else "span(s): approve with A.")) + relations
            + (f" They differ on {topics} topic(s): 1…{min(len(lanes), 9)} in the list "
               "takes a reviewer's decision." if topics else "") + when)

    def _what(self, spans: Sequence[tuple[int, int, str]]) -> str:
        return "; ".join(f"{label} “{self._text[s:e]}”" for s, e, label in spans) or "nothing"

    def _cell(self, item: QTreeWidgetItem, column: int,
              spans: Sequence[tuple[int, int, str]]) -> None:
        labels = tuple(label for _s, _e, label in spans)
        item.setData(column, Qt.ItemDataRole.AccessibleTextRole, " ".join(labels) or NOTHING)
        if labels:
            item.setIcon(column, self._chip(labels))
            item.setText(column, "")
        else:
            item.setIcon(column, QIcon())
            item.setText(column, NOTHING)

    def _chip(self, labels: tuple[str, ...]) -> QIcon:
        chip = self._chips.get(labels)
        if chip is None:
            chip = self._chips[labels] = label_chip([self._color(lb) for lb in labels])
        return chip

    def set_current_region(self, index: int | None) -> None:
        """Follow the text cursor: select the row of the region it is in."""
        self.regions.blockSignals(True)
        item = self.regions.topLevelItem(index) if index is not None else None
        if item is None:  # the reviewers agree here: no row is the one a take acts on
            self.regions.setCurrentIndex(QModelIndex())
            self.regions.clearSelection()
        else:
            self.regions.setCurrentItem(item)
            self.regions.scrollToItem(item)
        self.regions.blockSignals(False)

    def _browsed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None and self.regions.hasFocus():  # the reviewer's keys, not ours
            self.region_browsed.emit(self.regions.indexOfTopLevelItem(item))

    def _take_selected(self, item: QTreeWidgetItem | None) -> None:
        reviewer = item.data(1, Qt.ItemDataRole.UserRole) if item is not None else None
        if item is not None and reviewer is not None and not item.isDisabled():
            self.take_reviewer.emit(reviewer)

    # ------------------------------------------------------------------ the worklist

    def set_articles(self, rows: Sequence[tuple[int, float, str, str]],
                     empty: str = "No articles whose reviewers differ.") -> None:
        """Articles whose versions differ, worst first: (id, mean F1, title, status)."""
        self.articles.clear()
        for article_id, f1, title, status in rows:
            item = QTreeWidgetItem([f"{f1:.2f}", title, status])
            item.setData(0, Qt.ItemDataRole.UserRole, article_id)
            item.setToolTip(1, plain_tip(title))
            if status != "pending":
                for column in range(3):
                    item.setForeground(column, QColor("#8a8f98"))
            self.articles.addTopLevelItem(item)
        if not rows:
            self.articles.addTopLevelItem(QTreeWidgetItem(["", empty, ""]))

    def article_ids(self) -> list[int]:
        items = (self.articles.topLevelItem(i) for i in range(self.articles.topLevelItemCount()))
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in items
                if i is not None and i.data(0, Qt.ItemDataRole.UserRole) is not None]

    def set_status(self, article_id: int, status: str) -> None:
        for i in range(self.articles.topLevelItemCount()):
            item = self.articles.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == article_id:
                item.setText(2, status)
                color = QColor("#8a8f98") if status != "pending" else self.palette().text(
                ).color()
                for column in range(3):
                    item.setForeground(column, color)

    def _article_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        article_id = item.data(0, Qt.ItemDataRole.UserRole)
        if article_id is not None:
            self.article_chosen.emit(article_id)


def _relations_differ(region: Region) -> bool:
    """Whether the reviewers' relations with an end in ``region`` are not all the same."""
    return len({frozenset(rels) for rels in region.relations.values()}) > 1


def _titled(title: str, *widgets: QWidget) -> QWidget:
    """A heading over ``widgets``, as one part of a splitter."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(heading(title))
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QTreeWidget) else 0)
    return box


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


def label_chip(colors: Sequence[QColor]) -> QIcon:
    """A rounded chip in the label's colour (stripes for a reviewer's several spans)."""
    pixmap = QPixmap(18, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = 18 / len(colors)
    for i, color in enumerate(colors):
        painter.setPen(QColor(color).darker(140))
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(QRectF(i * width + 0.5, 0.5, width - 1, 13), 3, 3)
    painter.end()
    return QIcon(pixmap)


def lane_icon(lane: int, lanes: int, ink: QColor) -> QIcon:
    """A small picture of the lanes with this reviewer's one drawn in the text's colour
    (``ink``, so it shows in a dark theme too): which bar under the text is theirs."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    step = max(3, 12 // max(1, lanes))
    faint = QColor(ink)
    faint.setAlpha(70)
    for i in range(lanes):
        painter.fillRect(1, 2 + i * step, 14, 2, ink if i == lane else faint)
    painter.end()
    return QIcon(pixmap)
