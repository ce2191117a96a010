"""The Adjudicate tab's "Topics they differ on": one row per topic the reviewers of the
open article do not agree on, a column per reviewer's lane (on or off) and what the
curated version has now.

A digit key in the list (the lane's number) or a double-click on a lane's cell takes that
reviewer's decision on the selected topic; the controller (``gui.teams.adjudication``)
pushes ``core.teams.topic_curation.take_topic``'s edit, the one ``assay-cli adjudicate
topic`` takes. Topic and reviewer names are anyone's text: plain item text only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.teams.topic_curation import TopicDifference
from gui.common.plain_text import plain_tip
from gui.common.side_panel import heading

ON, OFF = "on", "off"


class TopicList(QTreeWidget):
    """The rows; a digit key takes that lane's decision on the current row."""

    lane_key = Signal(int)  # 0-based lane

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        text = event.text()
        if len(text) == 1 and "1" <= text <= "9" and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.lane_key.emit(int(text) - 1)
            return
        super().keyPressEvent(event)


class TopicDifferences(QWidget):
    """Heading and list; hidden while the reviewers agree on every topic."""

    take_topic = Signal(str, str)  # topic, reviewer

    def __init__(self) -> None:
        super().__init__()
        self.lanes: tuple[str, ...] = ()
        self.differences: list[TopicDifference] = []
        self.list = TopicList()
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setStretchLastSection(False)
        self.list.setToolTip("1…9: take that reviewer's decision on the selected topic "
                             "(double-click a reviewer's cell does the same)")
        self.list.lane_key.connect(self._take_lane)
        self.list.itemDoubleClicked.connect(
            lambda item, column: self._take_lane(column - 1) if item is not None else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading("Topics they differ on"))
        layout.addWidget(self.list, 1)
        self.setVisible(False)

    def show_differences(self, differences: Sequence[TopicDifference],
                         lanes: Sequence[str], curated: frozenset[str]) -> None:
        """The open article's topic differences (none: the part hides)."""
        self.differences, self.lanes = list(differences), tuple(lanes)
        self.list.clear()
        self.list.setHeaderLabels(["Topic", *(str(i) for i in range(1, len(lanes) + 1)),
                                   "Now"])
        header = self.list.headerItem()
        for i, name in enumerate(lanes, 1):
            header.setToolTip(i, plain_tip(name))
        header.setToolTip(len(lanes) + 1, "What the curated version has")
        for d in self.differences:
            item = QTreeWidgetItem([d.topic])
            item.setToolTip(0, plain_tip(
                f"{d.topic}: set by {', '.join(d.reviewers_with(True)) or 'nobody'}; "
                f"not by {', '.join(d.reviewers_with(False)) or 'nobody'}"))
            for column, reviewer in enumerate(lanes, 1):
                item.setText(column, ON if d.said.get(reviewer) else OFF)
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
            self.list.addTopLevelItem(item)
        header_view = self.list.header()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(lanes) + 2):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.list.setColumnWidth(column, 40)
        self.show_curated(curated)
        first = self.list.topLevelItem(0)
        if first is not None and self.list.currentItem() is None:
            self.list.setCurrentItem(first)
        self.setVisible(bool(self.differences))

    def show_curated(self, curated: frozenset[str]) -> None:
        """The "Now" column after an edit: which disputed topics the curated version has."""
        column = len(self.lanes) + 1
        for i, d in enumerate(self.differences):
            item = self.list.topLevelItem(i)
            if item is not None:
                item.setText(column, ON if d.topic in curated else OFF)
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)

    def current_topic(self) -> str | None:
        item = self.list.currentItem()
        index = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.differences[index].topic if 0 <= index < len(self.differences) else None

    def _take_lane(self, lane: int) -> None:
        topic = self.current_topic()
        if topic is not None and 0 <= lane < len(self.lanes):
            self.take_topic.emit(topic, self.lanes[lane])
