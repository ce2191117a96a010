"""The Models dialog's Topics tab: how a model suggests topics, per topic and on average.

It shows what training stored in the model's meta (``core.nlp.topic_scores``, scored once
in core on the dev split, the same numbers ``assay-cli train`` and ``models list`` print):
per topic the dev articles with it, P, R and F1, and the F1 of the pre-annotator it was
compared with; then the macro and micro averages. The default pipeline, and a model
trained with too few topics, suggest none: the tab says so, with training's sentence.
Topic names are the project's (anyone's text): set as plain item text.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.nlp.quality_chart import f1_bars
from core.nlp.topic_scores import report_f

TITLE = "F1 per topic on the dev split"

DEFAULT_SAYS = ("The default pre-annotator suggests no topics: it has no topic classifier. "
                "Train a model (Review → Train model…) once approved articles have topics; "
                "it learns the topics that have enough examples.")
COLUMNS = ["Topic", "Gold", "Trained P", "R", "F1", "Current F1"]


def _num(x: object) -> str:
    return f"{x:.2f}" if isinstance(x, int | float) and not isinstance(x, bool) else "–"


def _drawable(report: object) -> bool:
    """Whether a report read from a meta file has the shape the chart reads."""
    return isinstance(report, dict) and isinstance(report.get("labels"), dict) and \
        isinstance(report.get("micro"), dict) and all(
            isinstance(v, dict) for v in report["labels"].values())


def _part(report: object, key: str) -> dict:
    """One topic's (or an average's) scores from a meta a user may have edited."""
    if not isinstance(report, dict):
        return {}
    found = report.get(key) if key in ("macro", "micro") else (
        report.get("labels") or {}).get(key)
    return found if isinstance(found, dict) else {}


class TopicScores(QWidget):
    """A sentence over a table: per topic, then macro and micro."""

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        self.figure = f1_bars({}, title=TITLE)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.canvas, 3)
        self.show_meta(None)

    def _draw(self, reports: dict) -> None:
        f1_bars(reports, title=TITLE, fig=self.figure)
        for ax in self.figure.axes:
            ax.set_xlabel("F1 (a topic counts at a score of 0.5 or more)")
        self.canvas.draw_idle()

    def show_meta(self, meta: dict | None) -> None:
        """A saved model's meta (None: the default pre-annotator)."""
        self.table.setRowCount(0)
        self._draw({})
        if meta is None:
            self.summary.setText(DEFAULT_SAYS)
            return
        scores = meta.get("topic_scores")
        mine = scores.get("model") if isinstance(scores, dict) else None
        base = scores.get("baseline") if isinstance(scores, dict) else None
        if not isinstance(mine, dict):
            note = meta.get("topics_note")
            self.summary.setText(note if isinstance(note, str) and note else
                                 "This model suggests no topics: it was trained before "
                                 "Assay trained topics, or without them.")
            return
        trained = [t for t in meta.get("topics", []) if isinstance(t, str)]
        macro, micro = report_f(mine, "macro"), report_f(mine, "micro")
        against = ("The pre-annotator it was compared with suggests no topics."
                   if not isinstance(base, dict) else
                   f"The pre-annotator it was compared with: macro F1 "
                   f"{_num(report_f(base, 'macro'))}.")
        self.summary.setText(
            f"Suggests {len(trained)} topic(s). On {mine.get('articles', '?')} dev "
            f"article(s) it scores macro F1 {_num(macro)} and micro F1 {_num(micro)} "
            f"(a topic counts when its score reaches 0.5). {against}")
        rows = [*sorted(trained), "macro", "micro"]
        self.table.setRowCount(len(rows))
        for i, topic in enumerate(rows):
            m, b = _part(mine, topic), _part(base, topic)
            cells = [topic, str(m.get("gold", "–")), _num(m.get("p")), _num(m.get("r")),
                     _num(m.get("f")), _num(b.get("f"))]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if topic in ("macro", "micro"):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self._draw({name: r for name, r in (("trained", mine), ("compared with", base))
                    if _drawable(r)})

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
