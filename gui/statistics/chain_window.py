"""Review → Supply-chain map…: the approved relations of the corpus as one staged graph
(``core.stats.chain_map``, drawn by ``core.stats.chain_figure`` in matplotlib's QtAgg
canvas, as the statistics window draws its charts).

Filters across the top (Tab goes through them); the map; beside it the list of its edges
(arrow keys; a click on the map's edge selects it there, a click on a node lists that
node's relations) and of its nodes (Enter on one lists its relations); below, the
selected edge's evidence sentences, newest first, each one click or Enter from its place
in its article in the review window. Every read runs on a worker thread with its own
read-only connection. Every name is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.review.session import ReviewSession
from core.stats.chain_figure import chain_figure, item_at
from core.stats.chain_map import (
    ChainMap,
    EdgeKey,
    Evidence,
    MapChoices,
    MapFilter,
    evidence,
    map_choices,
    read_map,
)
from gui.common.plain_text import plain_tip
from gui.common.screen_fit import fit_to_screen
from gui.common.workers import ThreadJob, read_for_window
from gui.review.key_guard import stays_beside_review
from gui.statistics.chart_pane import ChartPane, summary_label
from gui.statistics.go_to import open_in_review

if TYPE_CHECKING:
    from gui.review_host import ReviewHost

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _tree(columns: list[str]) -> tuple[QTreeView, QStandardItemModel]:
    model = QStandardItemModel(0, len(columns))
    model.setHorizontalHeaderLabels(columns)
    view = QTreeView()
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.header().setStretchLastSection(True)
    view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    return view, model


class ChainMapWindow(QDialog):
    """Non-modal: it stays open beside the review window; Refresh reads the map again."""

    def __init__(self, window: ReviewHost) -> None:
        super().__init__(window.window())
        self.host = window
        self.setWindowTitle("Supply-chain map")
        self.setModal(False)
        stays_beside_review(self)
        self.path = window.project.path if window.project is not None else None
        self.cmap: ChainMap | None = None
        self.choices: MapChoices | None = None
        self.edge: EdgeKey | None = None  # the edge whose evidence is listed
        self.node: str | None = None  # the node whose relations the list shows
        self.sentences: list[Evidence] = []
        self.job: ThreadJob | None = None
        self.evidence_job: ThreadJob | None = None
        self._again = self._evidence_again = False

        self.status = summary_label("Reading the map…")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.busy)
        top.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._filters())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._map_and_edges())
        split.addWidget(self._evidence_pane())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 150])
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        fit_to_screen(self, 1100, 720)
        self.refresh()

    # ---- the parts

    def _filters(self) -> QHBoxLayout:
        self.mineral_box = QComboBox()
        self.mineral_box.setToolTip("Show one mineral's chain")
        self.type_box = QComboBox()
        self.type_box.setToolTip("Show one relation type")
        self.reviewer_box = QComboBox()
        self.reviewer_box.setToolTip("Only articles this reviewer approved")
        self.since_edit, self.until_edit = QLineEdit(), QLineEdit()
        for edit, tip in ((self.since_edit, "Published on or after (YYYY-MM-DD)"),
                          (self.until_edit, "Published on or before (YYYY-MM-DD)")):
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setToolTip(tip)
            edit.setMaximumWidth(100)
            edit.editingFinished.connect(self._filters_changed)
        self.suggestions_box = QCheckBox("With suggestions")
        self.suggestions_box.setToolTip("Also relations not approved yet")
        for box in (self.mineral_box, self.type_box, self.reviewer_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._filters_changed)
        self.suggestions_box.toggled.connect(self._filters_changed)
        self._fill_choices(MapChoices([], [], []))
        row = QHBoxLayout()
        for text, widget in (("&Mineral", self.mineral_box), ("T&ype", self.type_box),
                             ("&From", self.since_edit), ("&To", self.until_edit),
                             ("Re&viewer", self.reviewer_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addWidget(self.suggestions_box)
        row.addStretch(1)
        return row

    def _map_and_edges(self) -> QWidget:
        self.map_pane = ChartPane("supply-chain-map")
        self.map_pane.canvas.mpl_connect("button_press_event", self._map_clicked)
        self.map_pane.canvas.setToolTip("Click an edge for its sentences, a node for its "
                                        "relations")
        self.edge_title = summary_label("Relations")
        self.all_button = QPushButton("Show &all")
        self.all_button.setToolTip("List every relation of the map again")
        self.all_button.clicked.connect(lambda: self.show_node(None))
        self.all_button.setVisible(False)
        self.edge_list, self.edge_model = _tree(["Articles", "Relation"])
        self.edge_list.selectionModel().currentChanged.connect(
            lambda index, _old: self._edge_chosen(index))
        self.edge_list.activated.connect(self._edge_chosen)
        # The nodes as a list too, so a node's relations are a few keys away (arrows, Enter).
        self.node_list, self.node_model = _tree(["Articles", "Node"])
        self.node_list.activated.connect(self._node_activated)
        self.node_list.clicked.connect(self._node_activated)
        edges = QWidget()
        box = QVBoxLayout(edges)
        box.setContentsMargins(0, 4, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.edge_title, 1)
        head.addWidget(self.all_button)
        box.addLayout(head)
        box.addWidget(self.edge_list, 1)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(edges, "&Relations")
        self.side_tabs.addTab(self.node_list, "&Nodes")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.map_pane)
        split.addWidget(self.side_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([720, 300])
        split.setChildrenCollapsible(False)
        return split

    def _evidence_pane(self) -> QWidget:
        self.evidence_title = summary_label("Choose a relation to list the sentences that "
                                            "state it.")
        self.sentence_list, self.sentence_model = _tree(["Published", "Article", "Sentence"])
        self.sentence_list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.sentence_list.header().resizeSection(1, 220)
        self.sentence_list.activated.connect(self._sentence_activated)
        self.sentence_list.clicked.connect(self._sentence_activated)
        below = QWidget()
        box = QVBoxLayout(below)
        box.setContentsMargins(4, 0, 4, 4)
        box.addWidget(self.evidence_title)
        box.addWidget(self.sentence_list, 1)
        return below

    def _fill_choices(self, choices: MapChoices) -> None:
        """The filters' lists, keeping what is chosen where it is still offered."""
        for box, first, items in (
                (self.mineral_box, "All minerals", choices.minerals),
                (self.type_box, "All types", [(t, t) for t in choices.types]),
                (self.reviewer_box, "Anyone", [(r, r) for r in choices.reviewers])):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for key, name in items:
                box.addItem(name, key)
            box.setCurrentIndex(max(box.findData(chosen), 0) if chosen else 0)
            box.blockSignals(False)

    # ---- reading

    def current_filter(self) -> MapFilter:
        kind = self.type_box.currentData()
        return MapFilter(mineral=self.mineral_box.currentData(),
                         types=(kind,) if kind else (), since=self._day(self.since_edit),
                         until=self._day(self.until_edit),
                         reviewer=self.reviewer_box.currentData(),
                         suggestions=self.suggestions_box.isChecked())

    @staticmethod
    def _day(edit: QLineEdit) -> str | None:
        text = edit.text().strip()
        try:
            return date.fromisoformat(text).isoformat() if text else None
        except ValueError:
            edit.setStyleSheet("color: #c0392b")
            edit.setToolTip(f"{text!r} is not a date like 2024-05-31: not used")
            return None

    def _job(self, work: Callable, done: Callable, failed: Callable) -> ThreadJob:
        """A read of the open project on a worker thread (``gui.common.workers``)."""
        return read_for_window(self, lambda: self.path, work, done, failed)

    def _filters_changed(self, *_args) -> None:
        for edit in (self.since_edit, self.until_edit):
            edit.setStyleSheet("")
        self.refresh()

    def refresh(self) -> None:
        """Read the map again as the filters say."""
        project = self.host.project
        if project is None:
            return
        if self.job is not None:
            self._again = True
            return
        self.path = project.path
        flt = self.current_filter()
        self.busy.setVisible(True)
        self.status.setText("Reading the map…")
        self.job = self._job(lambda p, _pr, _c: (read_map(p, flt), map_choices(p)),
                             self._read, self._failed)

    def attach(self, _session: ReviewSession) -> None:
        """Another project was opened: forget this one's map."""
        project = self.host.project
        self.path = project.path if project is not None else None
        self.cmap, self.edge, self.node, self.sentences = None, None, None, []
        for model in (self.edge_model, self.node_model, self.sentence_model):
            model.removeRows(0, model.rowCount())
        self.refresh()

    def _job_over(self, current: bool) -> bool:
        self.job = None
        self.busy.setVisible(False)
        if self._again or not current:
            self._again = False
            self.refresh()
            return False
        return True

    def _failed(self, message: str, current: bool = True) -> None:
        if self._job_over(current):
            self.status.setText(f"Cannot read the map: {message}")

    def _read(self, value: tuple[ChainMap, MapChoices], current: bool = True) -> None:
        if not self._job_over(current):
            return
        cmap, choices = value
        self._fill_choices(choices)
        self.show_map(cmap)

    def show_map(self, cmap: ChainMap) -> None:
        self.cmap = cmap
        what = f"{cmap.name(cmap.mineral)}'s chain" if cmap.mineral else "The map"
        articles = "approved and suggested relations" if cmap.filter.suggestions \
            else "approved relations"
        self.status.setText(
            f"{what}: {_count(len(cmap.nodes), 'node')}, {_count(len(cmap.edges), 'relation')}"
            f" ({articles}); an edge's weight is the number of articles stating it.")
        if self.edge is not None and self.edge not in {e.key for e in cmap.edges}:
            self.edge = None
        if self.node is not None and self.node not in cmap.nodes:
            self.node = None
        self.map_pane.set_draw(self._draw)
        self.map_pane.summary.setText("Click an edge for its sentences, a node for its "
                                      "relations.")
        self._list_edges()
        self.node_model.removeRows(0, self.node_model.rowCount())
        for node in sorted(cmap.nodes.values(), key=lambda n: (-n.weight, n.name.casefold())):
            items = [QStandardItem(f"{node.weight:,}"), QStandardItem(node.name)]
            items[0].setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                      Qt.AlignmentFlag.AlignVCenter)
            items[1].setToolTip(plain_tip(f"{node.name} ({node.kind})"))
            for item in items:
                item.setData(node.key, ROW_ROLE)
            self.node_model.appendRow(items)
        if self.edge is not None:
            self.show_evidence(self.edge)

    def _draw(self, fig) -> None:
        assert self.cmap is not None
        chain_figure(self.cmap, fig=fig, selected=self.edge, node=self.node)

    def _list_edges(self) -> None:
        cmap = self.cmap
        if cmap is None:
            return
        edges = cmap.edges_of(self.node) if self.node else cmap.edges
        model = self.edge_model
        self.edge_list.selectionModel().blockSignals(True)
        model.removeRows(0, model.rowCount())
        for e in edges:
            items = [QStandardItem(f"{e.weight:,}"), QStandardItem(cmap.describe(e))]
            items[0].setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                      Qt.AlignmentFlag.AlignVCenter)
            items[1].setToolTip(plain_tip(cmap.describe(e)))
            for item in items:
                item.setData(e.key, ROW_ROLE)
            model.appendRow(items)
            if e.key == self.edge:
                self.edge_list.setCurrentIndex(items[0].index())
        self.edge_list.selectionModel().blockSignals(False)
        self.edge_title.setText(f"Relations of {cmap.name(self.node)} ({len(edges):,})"
                                if self.node else f"Relations ({len(edges):,})")
        self.all_button.setVisible(self.node is not None)

    # ---- choosing

    def _map_clicked(self, event) -> None:
        hit = item_at(event.inaxes, event.x, event.y)
        if hit is None:
            return
        kind, what = hit
        if kind == "node":
            self.show_node(str(what))
        else:
            self.choose_edge(what)  # type: ignore[arg-type]

    def _node_activated(self, index: QModelIndex) -> None:
        key = index.data(ROW_ROLE)
        if key is not None:
            self.show_node(key)

    def show_node(self, key: str | None) -> None:
        """List the node's relations (None: every relation)."""
        self.node = key
        self.side_tabs.setCurrentIndex(0)
        self._list_edges()
        self.map_pane.redraw()
        if self.edge_model.rowCount():
            self.edge_list.setFocus()

    def choose_edge(self, edge: EdgeKey) -> None:
        """Select the edge in the list and read its evidence."""
        self.edge = edge
        if self.node is not None and self.node not in (edge[0], edge[2]):
            self.node = None
        self._list_edges()
        self.map_pane.redraw()
        self.show_evidence(edge)

    def _edge_chosen(self, index: QModelIndex) -> None:
        edge = index.data(ROW_ROLE) if index.isValid() else None
        if edge is not None and tuple(edge) != self.edge:
            self.edge = tuple(edge)
            self.map_pane.redraw()
            self.show_evidence(self.edge)

    def show_evidence(self, edge: EdgeKey) -> None:
        """List the sentences stating the edge (read on a worker thread)."""
        if self.cmap is None or self.host.project is None:
            return
        self.evidence_title.setText(f"{self.cmap.describe(edge)}: reading the sentences…")
        if self.evidence_job is not None:
            self._evidence_again = True
            return
        self._evidence_again = False
        flt = self.cmap.filter
        self.evidence_job = self._job(
            lambda p, _pr, _c: evidence(p, edge, flt),
            lambda rows, current: self._evidence_read(edge, rows, current),
            self._evidence_failed)

    def _evidence_failed(self, message: str, current: bool = True) -> None:
        self.evidence_job = None
        if current:
            self.evidence_title.setText(f"Cannot read the sentences: {message}")

    def _evidence_read(self, edge: EdgeKey, rows: list[Evidence], current: bool = True
                       ) -> None:
        self.evidence_job = None
        if not current or self.cmap is None:
            return
        if self._evidence_again or edge != self.edge:
            if self.edge is not None:
                self.show_evidence(self.edge)
            return
        self.sentences = rows
        model = self.sentence_model
        model.removeRows(0, model.rowCount())
        for s in rows:
            items = [QStandardItem((s.published or "")[:10]),
                     QStandardItem(s.title or f"Article {s.article_id}"),
                     QStandardItem(" ".join(s.text.split()))]
            for item in items:
                item.setData(s, ROW_ROLE)
            items[1].setToolTip(plain_tip(s.title or ""))
            items[2].setToolTip(plain_tip(s.text))
            model.appendRow(items)
        name = self.cmap.describe(edge)
        articles = len({s.article_id for s in rows})
        if rows:
            newest = " (the newest 50)" if articles >= 50 else ""
            self.evidence_title.setText(
                f"{name}: {_count(len(rows), 'sentence')} in {_count(articles, 'article')}"
                f"{newest}, newest first. Click one, or press Enter, to open it in the "
                "review window.")
        else:
            self.evidence_title.setText(f"{name}: no sentence states it any more.")

    def _sentence_activated(self, index: QModelIndex) -> None:
        s = index.data(ROW_ROLE)
        if s is not None:
            open_in_review(self.host, self.path, s.article_id, s.start, s.end)

    def done_reading(self) -> bool:
        """No worker is running (tests wait for this)."""
        return self.job is None and self.evidence_job is None


def show_chain_map(window) -> ChainMapWindow:
    """Review → Supply-chain map…: made once per main window, read again when reopened."""
    existing: ChainMapWindow | None = getattr(window, "chain_window", None)
    if existing is None:
        existing = window.chain_window = ChainMapWindow(window)
    else:
        existing.refresh()
    existing.show()
    existing.raise_()
    existing.activateWindow()
    return existing
