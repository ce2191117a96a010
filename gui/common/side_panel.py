"""The column right of the article: the label bar, and the Entities, Claims, Relations
and Guide tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProxyStyle,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.review.session import ReviewSession
from gui.claims.panel import ClaimsPanel
from gui.linking.editor import LinkEditor
from gui.review.entity_panel import EntityPanel
from gui.review.label_bar import LabelBar
from gui.review.label_guide import LabelGuide
from gui.review.relation_list import RelationList
from gui.review.relation_table import RelationTable


class SidePanel(QWidget):
    """Labels on top; tabs below (both panels stacked made the window too tall for a laptop)."""

    def __init__(self) -> None:
        super().__init__()
        self.label_bar = LabelBar()
        self.entities = EntityPanel()
        self.entities.setMinimumHeight(80)
        self.relations = RelationList()  # the selected entity's (gui.review.relation_review)
        self.show_rejected = QCheckBox("Show rejected")
        self.link_editor = LinkEditor()
        self.claims_panel = ClaimsPanel()
        self.relation_table = RelationTable()  # the article's (gui.review.relation_review)
        self.guide = LabelGuide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(heading("Labels"))
        layout.addWidget(self.label_bar)
        layout.addSpacing(6)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.show_rejected)
        entities_box = QWidget()
        entities_layout = QVBoxLayout(entities_box)
        entities_layout.setContentsMargins(0, 0, 0, 0)
        entities_layout.addLayout(row)
        entities_layout.addWidget(self.entities, 1)
        entities_layout.addWidget(self.relations)
        entities_layout.addWidget(self.link_editor)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # Four tabs while adjudicating: on a laptop screen they shorten their titles
        # rather than scroll, so none is hidden behind an arrow.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabBar().setStyle(NarrowTabs(self.tabs))  # four titles in 250 pixels
        self.tabs.addTab(entities_box, "Entities")
        self.tabs.addTab(self.claims_panel, "Claims")
        self.tabs.addTab(self.relation_table, "Relations")
        self.tabs.addTab(self.guide, "Guide")
        self.relation_table.count_changed.connect(self._count_relations)
        layout.addWidget(self.tabs, 1)
        self.session: ReviewSession | None = None

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session: the label chips, entity colours and guide show its scheme."""
        self.session = session
        self.show_labels()
        session.labels_changed.connect(self.show_labels)
        self.relation_table.attach(session)

    def _count_relations(self, count: int) -> None:
        """The Relations tab's title: "Relations (12)"."""
        index = self.tabs.indexOf(self.relation_table)
        self.tabs.setTabText(index, f"Relations ({count})" if count else "Relations")

    def show_labels(self) -> None:
        if self.session is None:
            return
        labels = self.session.project.labels()
        self.entities.set_labels(labels)
        self.label_bar.set_labels(labels)
        self.guide.set_labels(labels, self.session.relation_types())


class NarrowTabs(QProxyStyle):
    """Fusion with less room around a tab's title: "Entities", "Claims (3)", "Relations
    (200)" and "Guide" fit the side panel of a 1024-pixel window without being cut."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Fusion")
        self.setParent(parent)  # kept as long as the tabs

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt API)
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return 8
        return super().pixelMetric(metric, option, widget)


def heading(text: str) -> QLabel:
    """A small capitalised section heading."""
    label = QLabel(text.upper())
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    font.setBold(True)
    font.setLetterSpacing(font.SpacingType.PercentageSpacing, 110)
    label.setFont(font)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label
