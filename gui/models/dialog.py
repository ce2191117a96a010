"""Review → Models…: the project's trained models, how each scored against the
pre-annotator it would replace, and which one pre-annotates.

The scores are those the training run stored in the model's meta (the same dev split for
both, ``core.nlp.training``); the figure is ``core.nlp.quality_chart``'s. The better one
is offered: its button is the default one. Choosing writes the project's choice and
offers to re-annotate the pending articles (reviewers' decisions are kept).
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.nlp.model_choice import is_better
from core.nlp.quality_chart import f1_bars
from core.nlp.training import DEFAULT_ANNOTATOR, SavedModel, saved_models
from gui.common.chart_file import save_chart
from gui.common.file_dialogs import save_file_name
from gui.models.topic_scores import TopicScores


def _num(x: object) -> str:
    return f"{x:.2f}" if isinstance(x, int | float) else "–"


def _cell_source(report: object, label: str) -> dict:
    """One label's (or the micro) scores of a report read from a model's meta file, which a
    user may have edited: anything not shaped as expected reads as no scores."""
    if not isinstance(report, dict):
        return {}
    found = report.get("micro") if label == "micro" else (report.get("labels") or {}).get(label)
    return found if isinstance(found, dict) else {}


class ModelsDialog(QDialog):
    """The model list (left); the chosen one's per-label table, chart and choice (right)."""

    chosen = Signal(str)  # a model id, or "default"

    def __init__(self, parent: QWidget | None, project_path: str, current: str,
                 select: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.project_path = project_path
        self.current = current or DEFAULT_ANNOTATOR
        self.models = {m.id: m for m in saved_models(project_path)}
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            ["Label", "Gold", "Trained P", "R", "F1", "Current F1", "Δ F1"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        self.figure = f1_bars({})
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(220)
        self.use = QPushButton("Pre-annotate with this model")
        self.use.clicked.connect(self._use_selected)
        self.use_default = QPushButton("Use the default")
        self.use_default.clicked.connect(lambda: self._choose(DEFAULT_ANNOTATOR))
        save = QPushButton("Save chart…")
        save.clicked.connect(lambda: self.save_png())
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        for b in (self.use_default, self.use, close):
            buttons.addWidget(b)
        entities = QWidget()
        column = QVBoxLayout(entities)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.table, 2)
        column.addWidget(self.canvas, 3)
        self.topics = TopicScores()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(entities, "Entities")
        self.tabs.addTab(self.topics, "Topics")
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addWidget(self.tabs, 1)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        self.list.setMinimumWidth(self.list.fontMetrics().horizontalAdvance(
            "20261202-153012 · 100 articles · F1 0.00") + 24)
        split.setSizes([self.list.minimumWidth(), 700])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(lambda _row: self._show())
        self._fill(select)
        self.resize(980, 640)

    def _fill(self, select: str | None) -> None:
        self.list.clear()
        entries = [(DEFAULT_ANNOTATOR, "Default: stock model and gazetteers, no topics")]
        for m in self.models.values():
            f = m.micro_f
            entries.append((m.id, f"{m.id} · {len(m.meta.get('train', []))} articles"
                            + (f" · F1 {f:.2f}" if f is not None else "")
                            + (" · topics" if m.meta.get("topic_scores") else "")))
        for key, text in entries:
            if key == self.current:
                text += "  (pre-annotates)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
        want = select or self.current
        row = next((i for i, (key, _t) in enumerate(entries) if key == want), 0)
        self.list.setCurrentRow(row)

    def selected(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else DEFAULT_ANNOTATOR

    def _show(self) -> None:
        key = self.selected()
        model = self.models.get(key)
        self.use.setEnabled(model is not None and key != self.current)
        self.use_default.setEnabled(self.current != DEFAULT_ANNOTATOR)
        if model is None:
            self.summary.setText(
                "The default pre-annotator: the stock spaCy model with Assay's gazetteers "
                "and span rules. Train a model (Review → Train model…) on the approved "
                "articles to compare it with this one.")
            self.table.setRowCount(0)
            self.topics.show_meta(None)
            self._draw({})
            return
        self._show_model(model)
        self.topics.show_meta(model.meta)

    def _show_model(self, model: SavedModel) -> None:
        meta = model.meta
        scores = meta.get("scores", {})
        scores = scores if isinstance(scores, dict) else {}
        mine, base = scores.get("model"), scores.get("baseline")
        mine = mine if isinstance(mine, dict) else None
        against = meta.get("baseline") or "nothing"
        if meta.get("baseline_choice") == DEFAULT_ANNOTATOR:
            against = f"the default ({against} with the gazetteers)"
        f, bf = model.micro_f, model.baseline_micro_f
        verdict = ""
        better = is_better(f, bf)
        if better is not None:
            verdict = (f" It is better than the pre-annotator it was compared with "
                       f"({_num(f)} against {_num(bf)}): use it." if better else
                       f" It is not better than the pre-annotator it was compared with "
                       f"({_num(f)} against {_num(bf)}).")
            self.use.setDefault(better)  # one default: switching models moves it
            self.use_default.setDefault(not better)
        created = str(meta.get("created", "?")).replace("T", " ")[:16]
        self.summary.setText(
            f"Trained {created} UTC from {meta.get('base_model', '?')} on "
            f"{len(meta.get('train', []))} approved article(s) ({meta.get('train_spans', 0)} "
            f"entities) in {meta.get('train_seconds', '?')} s. Scored on "
            f"{len(meta.get('dev', []))} dev article(s) ({meta.get('dev_spans', 0)} entities), "
            f"exact spans, against {against}." + verdict)
        labels = (mine or {}).get("labels")
        rows = sorted(labels) if isinstance(labels, dict) else []
        self.table.setRowCount(len(rows) + 1)
        for i, label in enumerate([*rows, "micro"]):
            m = _cell_source(mine, label)
            b = _cell_source(base, label)
            mf, bf_ = m.get("f"), b.get("f")
            delta = mf - bf_ if isinstance(mf, int | float) and isinstance(bf_, int | float) \
                else None
            cells = [label, str(m.get("gold", "–")), _num(m.get("p")), _num(m.get("r")),
                     _num(m.get("f")),
                     _num(b.get("f")), "–" if delta is None else f"{delta:+.2f}"]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        reports = {f"trained {model.id}": mine} if mine else {}
        if base:
            short = ("the default" if meta.get("baseline_choice") == DEFAULT_ANNOTATOR
                     else meta.get("baseline_choice") or meta.get("baseline", ""))
            reports[f"compared with: {short}"] = base
        self._draw(reports)

    def _draw(self, reports: dict) -> None:
        f1_bars(reports, fig=self.figure)  # the canvas's own figure: it keeps its size
        self.canvas.draw_idle()

    def _use_selected(self) -> None:
        key = self.selected()
        if key in self.models:
            self._choose(key)

    def _choose(self, key: str) -> None:
        self.current = key
        self.chosen.emit(key)
        self._fill(key)

    def save_png(self, path: str | None = None) -> str | None:
        if path is None:
            path = save_file_name(self, "Save the chart", "model-scores.png", "PNG images (*.png)")
        return save_chart(self, self.figure, path) if path else None
