"""Review → Statistics…: the corpus in numbers and charts, each chart saved as PNG.

Tabs: Progress; Entities & pre-annotation; Countries × minerals (click a cell: its
sentences below, and a sentence opens its article there); Claims; Relations; Topics
(articles per topic and per month, ``core.stats.topic_charts``). The numbers are
``core.store.statistics``' (read by ``core.stats.numbers.gather`` on a worker thread with
its own read-only connection, so the window opens at once on a big project), the figures
``core.stats.charts``' in matplotlib's QtAgg canvas. Every name and title is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.review.session import ReviewSession
from core.stats import charts
from core.stats.numbers import Numbers, gather, relations_summary
from core.stats.topic_charts import topics_figure, topics_summary
from core.store.statistics import OUTCOMES, Sentence, suggested
from gui.common.plain_text import plain_tip
from gui.common.screen_fit import fit_to_screen
from gui.common.workers import ThreadJob, read_for_window
from gui.review.key_guard import stays_beside_review
from gui.statistics.chart_pane import ChartPane, summary_label
from gui.statistics.go_to import open_in_review
from gui.statistics.relation_judged import RelationJudgedTable

if TYPE_CHECKING:
    from gui.review_host import ReviewHost

SENTENCE_ROLE = Qt.ItemDataRole.UserRole + 1


def _seconds(x: float) -> str:
    return charts._seconds(x)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class StatisticsWindow(QDialog):
    """Non-modal: it stays open beside the review window; Refresh reads the numbers again."""

    def __init__(self, window: ReviewHost) -> None:
        super().__init__(window.window())
        self.host = window
        self.setWindowTitle("Statistics")
        self.setModal(False)
        stays_beside_review(self)  # open beside the review, it does not hold up its keys
        self.numbers: Numbers | None = None
        self.job: ThreadJob | None = None
        self.cell_job: ThreadJob | None = None
        self.cell: tuple[str, str] | None = None
        self.sentences: list[Sentence] = []
        self._marker: Rectangle | None = None
        self._cell_again = False
        # The project the numbers are of; a read for another (the window opened a new
        # project meanwhile) is dropped and read again for the open one.
        self.path = window.project.path if window.project is not None else None
        self._again = False

        self.status = summary_label("Reading the statistics…")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumWidth(140)
        self.busy.setTextVisible(False)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.busy)
        top.addWidget(self.refresh_button)

        self.tabs = QTabWidget()
        self.progress_pane = ChartPane("statistics-progress")
        self.tabs.addTab(self.progress_pane, "Progress")
        self.tabs.addTab(self._entities_tab(), "Entities && pre-annotation")
        self.tabs.addTab(self._map_tab(), "Countries × minerals")
        self.claims_pane = ChartPane("statistics-claims")
        self.tabs.addTab(self.claims_pane, "Claims")
        self.relations_pane = ChartPane("statistics-relations")
        self.relation_judged = RelationJudgedTable()  # below the chart, in the same tab
        self.relations_pane.column.addWidget(self.relation_judged)
        self.tabs.addTab(self.relations_pane, "Relations")
        self.topics_pane = ChartPane("statistics-topics")
        self.tabs.addTab(self.topics_pane, "Topics")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        fit_to_screen(self, 1100, 720)
        self.refresh()

    # ---- the tabs

    def _entities_tab(self) -> QWidget:
        self.entities_pane = ChartPane("statistics-entities")
        self.quality_pane = ChartPane("statistics-pre-annotation")
        self.model_box = QComboBox()
        self.model_box.setToolTip("Which pre-annotator's suggestions to show")
        self.model_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_box.setVisible(False)
        self.model_box.currentIndexChanged.connect(self._model_chosen)
        self.quality_pane.controls.insertWidget(1, self.model_box)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.entities_pane)
        split.addWidget(self.quality_pane)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 7)
        split.setChildrenCollapsible(False)
        return split

    def _map_tab(self) -> QWidget:
        self.map_pane = ChartPane("statistics-countries-minerals")
        self.map_pane.canvas.mpl_connect("button_press_event", self._map_clicked)
        self.map_pane.canvas.setToolTip("Click a cell to list its sentences")
        self.cell_title = summary_label("Click a cell to list the sentences that name both.")
        self.sentence_model = QStandardItemModel(0, 3, self)
        self.sentence_model.setHorizontalHeaderLabels(["Published", "Article", "Sentence"])
        self.sentence_list = QTreeView()
        self.sentence_list.setModel(self.sentence_model)
        self.sentence_list.setRootIsDecorated(False)
        self.sentence_list.setUniformRowHeights(True)
        self.sentence_list.setAlternatingRowColors(True)
        self.sentence_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sentence_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sentence_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.sentence_list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)
        self.sentence_list.activated.connect(self._sentence_activated)
        self.sentence_list.clicked.connect(self._sentence_activated)
        below = QWidget()
        box = QVBoxLayout(below)
        box.setContentsMargins(4, 0, 4, 4)
        box.addWidget(self.cell_title)
        box.addWidget(self.sentence_list, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.map_pane)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([460, 160])
        split.setChildrenCollapsible(False)
        return split

    def panes(self) -> list[ChartPane]:
        return [self.progress_pane, self.entities_pane, self.quality_pane, self.map_pane,
                self.claims_pane, self.relations_pane, self.topics_pane]

    # ---- reading the numbers

    def _job(self, work: Callable, done: Callable, failed: Callable) -> ThreadJob:
        """A read of the open project on a worker thread (``gui.common.workers``)."""
        return read_for_window(self, lambda: self.path, work, done, failed)

    def refresh(self) -> None:
        """Read the statistics again, on a worker thread with its own connection."""
        project = self.host.project
        if project is None:
            return
        if self.job is not None:  # read again once this one is in
            self._again = True
            return
        self.path = project.path
        self.busy.setVisible(True)
        self.refresh_button.setEnabled(False)
        self.status.setText("Reading the statistics…")
        self.job = self._job(lambda p, _progress, _cancel: gather(p), self._read, self._failed)

    def attach(self, _session: ReviewSession) -> None:
        """The main window opened another project (a new session): forget this one's
        numbers and cell."""
        project = self.host.project
        self.path = project.path if project is not None else None
        self.numbers, self.cell, self.sentences = None, None, []
        self.sentence_model.removeRows(0, self.sentence_model.rowCount())
        self.cell_title.setText("")
        self.refresh()

    def _job_over(self, current: bool) -> bool:
        """The read ended: whether its result is to be shown, or it is read again (asked
        for meanwhile, or the read was of the last project)."""
        self.job = None
        self.busy.setVisible(False)
        self.refresh_button.setEnabled(True)
        if self._again or not current:
            self._again = False
            self.refresh()
            return False
        return True

    def _failed(self, message: str, current: bool = True) -> None:
        if self._job_over(current):
            self.status.setText(f"Cannot read the statistics: {message}")

    def _read(self, numbers: Numbers, current: bool = True) -> None:
        if self._job_over(current):
            self.show_numbers(numbers)

    def show_numbers(self, numbers: Numbers) -> None:
        self.numbers = n = numbers
        p = n.progress
        st = p.statuses
        total = sum(st.values())
        self.status.setText(
            f"{total:,} articles: {st.get('approved', 0):,} approved, "
            f"{st.get('rejected', 0):,} rejected, {p.remaining:,} to review "
            f"({st.get('pending', 0):,} pending, {st.get('skipped', 0):,} skipped)")

        reviewers = ", ".join(f"{r} {a:,}" for r, a, _rej in p.per_reviewer[:6] if a)
        more = f" and {len(p.per_reviewer) - 6} more" if len(p.per_reviewer) > 6 else ""
        timing = (f"Median {_seconds(p.seconds.median)} per article "
                  f"(half between {_seconds(p.seconds.q1)} and {_seconds(p.seconds.q3)}, "
                  f"{p.seconds.n:,} timed)" if p.seconds else "No review times stored yet")
        self.progress_pane.summary.setText(  # approvals, not articles: say which (issue 25)
            f"{timing}. Approvals by reviewer ({charts.APPROVALS_NOTE}): "
            f"{reviewers or 'none yet'}{more}.")
        self.progress_pane.set_draw(lambda fig: charts.progress_figure(p, fig=fig))

        total_entities = sum(n.entities.values())
        accepted = sum(n.accepted.values())
        self.entities_pane.summary.setText(
            f"{total_entities:,} entities: {accepted:,} accepted, "
            f"{total_entities - accepted:,} undecided")
        self.entities_pane.set_draw(
            lambda fig: charts.entities_figure(n.entities, n.accepted, fig=fig))

        self.model_box.blockSignals(True)
        self.model_box.clear()
        for m in n.quality.models:
            self.model_box.addItem(charts.model_name(m), m)
        if len(n.quality.models) > 1:
            self.model_box.addItem("all models, side by side", None)
        self.model_box.blockSignals(False)
        self.model_box.setVisible(len(n.quality.models) > 1)
        self._model_chosen()

        cm = n.country_minerals
        self.map_pane.summary.setText(
            f"{cm.articles:,} approved articles; {len(cm.countries):,} countries and "
            f"{len(cm.minerals):,} minerals named together in {len(cm.cells):,} pairs. "
            "Click a cell to list its sentences.")
        self.map_pane.set_draw(self._draw_map)

        c = n.claims
        verdicts = ", ".join(f"{c.by_verdict.get(v, 0):,} {v}" for v in charts.VERDICTS)
        self.claims_pane.summary.setText(
            f"{sum(c.by_verdict.values()):,} claims ({verdicts}); {c.suggested:,} suggested "
            "and not decided yet")
        self.claims_pane.set_draw(lambda fig: charts.claims_figure(c, n.names, fig=fig))
        self.relations_pane.summary.setText(relations_summary(n.relations))
        self.relations_pane.set_draw(lambda fig: charts.relations_figure(n.relations, fig=fig))
        self.relation_judged.show_quality(n.relation_quality)
        self.topics_pane.summary.setText(
            f"{topics_summary(n.topics)}. Counted: every article's topics not rejected "
            "(accepted, or suggested and undecided), by the month of its date.")
        self.topics_pane.set_draw(lambda fig: topics_figure(n.topics, fig=fig))
        if self.cell is not None:  # the list follows the new numbers
            self.show_cell(*self.cell)

    def _model_chosen(self) -> None:
        n = self.numbers
        if n is None:
            return
        q = n.quality
        model = self.model_box.currentData() if len(q.models) > 1 else None
        sums = q.totals(model)
        made = suggested(sums)
        shares = ", ".join(f"{sums[k] / made:.0%} {k}" for k in OUTCOMES[:3]) if made \
            else "none yet"
        self.quality_pane.summary.setText(
            f"{made:,} suggestions judged: {shares}; {sums['added']:,} added by reviewers"
            + ("" if sums["kept"] or not made else " (none kept)"))
        self.quality_pane.set_draw(lambda fig: charts.quality_figure(q, model, fig=fig))

    # ---- the map and its sentences

    def _draw_map(self, fig: Figure) -> None:
        assert self.numbers is not None
        charts.country_mineral_figure(self.numbers.country_minerals, self.numbers.names,
                                      fig=fig)
        self._marker = None
        self._mark_cell()

    def map_axes(self):
        return next((ax for ax in self.map_pane.figure.axes if hasattr(ax, "_assay_cells")),
                    None)

    def _map_clicked(self, event) -> None:
        cell = charts.cell_at(event.inaxes, event.xdata, event.ydata)
        if cell is not None:
            self.show_cell(*cell)

    def click_cell(self, x: float, y: float) -> tuple[str, str] | None:
        """The click handler's work for data coordinates of the heat map (tests, keys)."""
        cell = charts.cell_at(self.map_axes(), x, y)
        if cell is not None:
            self.show_cell(*cell)
        return cell

    def _mark_cell(self) -> None:
        ax = self.map_axes()
        if self._marker is not None:
            self._marker.remove()
            self._marker = None
        if ax is None or self.cell is None:
            return
        countries, minerals = ax._assay_cells
        if self.cell[0] in countries and self.cell[1] in minerals:
            i, j = countries.index(self.cell[0]), minerals.index(self.cell[1])
            self._marker = ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                                  edgecolor="#f58518", linewidth=2.5))

    def show_cell(self, country: str, mineral: str) -> None:
        """List the sentences that name both (read on a worker thread)."""
        project = self.host.project
        if project is None or self.numbers is None:  # nothing drawn yet for this project
            return
        self.cell = (country, mineral)
        self._mark_cell()
        self.map_pane.canvas.draw_idle()
        self.cell_title.setText(f"{self._cell_name()}: reading the sentences…")
        if self.cell_job is not None:  # a click while the last one is read: read after it
            self._cell_again = True
            return
        self._cell_again = False
        self.cell_job = self._job(
            lambda p, _progress, _cancel: p.statistics.cell_sentences(country, mineral),
            lambda rows, current: self._cell_read((country, mineral), rows, current),
            self._cell_failed)

    def _cell_name(self) -> str:
        assert self.cell is not None
        names = self.numbers.names if self.numbers else {}
        country, mineral = self.cell
        return f"{names.get(country, country)} × {names.get(mineral, mineral)}"

    def _cell_failed(self, message: str, current: bool = True) -> None:
        self.cell_job = None
        if current:
            self.cell_title.setText(f"Cannot read the sentences: {message}")

    def _cell_read(self, cell: tuple[str, str], rows: list[Sentence],
                   current: bool = True) -> None:
        self.cell_job = None
        if not current:  # the sentences of the last project
            return
        if self._cell_again or cell != self.cell:
            if self.cell is not None:
                self.show_cell(*self.cell)
            return
        self.sentences = rows
        model = self.sentence_model
        model.removeRows(0, model.rowCount())
        for s in rows:
            items = [QStandardItem((s.published or "")[:10]), QStandardItem(s.title or
                     f"Article {s.article_id}"), QStandardItem(" ".join(s.text.split()))]
            for item in items:
                item.setData(s, SENTENCE_ROLE)
            items[1].setToolTip(plain_tip(s.title or ""))
            items[2].setToolTip(plain_tip(s.text))
            model.appendRow(items)
        articles = len({s.article_id for s in rows})
        if rows:
            newest = " (the newest 50)" if articles >= 50 else ""
            self.cell_title.setText(
                f"{self._cell_name()}: {_count(len(rows), 'sentence')} in "
                f"{_count(articles, 'article')}{newest}. Click one to open it in the review "
                "window.")
        else:
            self.cell_title.setText(f"{self._cell_name()}: no approved article has a "
                                    "sentence naming both.")

    def _sentence_activated(self, index: QModelIndex) -> None:
        s = index.data(SENTENCE_ROLE)
        if s is not None:
            self.open_sentence(s)

    def open_sentence(self, s: Sentence) -> None:
        """Open the sentence's article in the review window with the sentence selected."""
        open_in_review(self.host, self.path, s.article_id, s.start, s.end)

    def done_reading(self) -> bool:
        """No worker is running (tests wait for this)."""
        return self.job is None and self.cell_job is None


def show_statistics(window) -> StatisticsWindow:
    """Review → Statistics…: the window, made once per main window and read again when
    reopened (on the project open now)."""
    existing: StatisticsWindow | None = getattr(window, "statistics_window", None)
    if existing is None:
        existing = window.statistics_window = StatisticsWindow(window)
    else:
        existing.refresh()
    existing.show()
    existing.raise_()
    existing.activateWindow()
    return existing
