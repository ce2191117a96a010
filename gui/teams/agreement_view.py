"""Review → Agreement…: how far the team agrees, as numbers, a heat map and bars.

The numbers are ``core.teams.agreement``'s, the figure ``core.teams.charts``'; this shows
them (matplotlib's QtAgg canvas) and saves the figure as PNG.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from core.teams.agreement import agreement, second_opinions_note
from core.teams.charts import agreement_figure
from gui.common.chart_file import save_chart
from gui.common.file_dialogs import save_file_name


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _per_type(f1s: dict[str, float | None]) -> str:
    """``\nRelation F1 by type: FUNDS 1.000 · SUPPLIES 0.500`` (nothing without relations)."""
    if not f1s:
        return ""
    return "\nRelation F1 by type: " + " · ".join(f"{kind} {_num(f1)}"
                                                  for kind, f1 in f1s.items())


def _per_topic(kappas: dict[str, float | None]) -> str:
    """``\nTopic κ by topic: export controls 0.500 · …`` (nothing without topics)."""
    if not kappas:
        return ""
    return "\nTopic κ by topic: " + " · ".join(f"{topic} {_num(k)}"
                                               for topic, k in kappas.items())


class AgreementDialog(QDialog):
    """Summary line, the figure, and Save PNG…"""

    def __init__(self, window, report: dict | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle("Agreement between reviewers")
        self.report = report if report is not None else agreement(window.project)
        overall = self.report["overall"]
        self.summary = QLabel(
            f"{self.report['articles']} article(s) approved by two or more reviewers · span "
            f"F1 {_num(overall['span_f1'])} · token κ {_num(overall['token_kappa'])} · "
            f"verdict κ {_num(overall['verdict_kappa'])} · relation F1 "
            f"{_num(overall['relation_f1'])} · relation κ {_num(overall['relation_kappa'])}"
            f" · topic κ {_num(overall['topic_kappa'])}"
            + _per_type(overall["relation_per_type"])
            + _per_topic(overall["topic_per_topic"])
            + ("\n" + second_opinions_note(self.report["second_opinions"])
               if self.report["second_opinions"] else ""))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.figure = agreement_figure(self.report)
        self.canvas = FigureCanvasQTAgg(self.figure)
        save = QPushButton("Save PNG…")
        save.clicked.connect(lambda: self.save_png())
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        self.resize(960, 520)

    def save_png(self, path: str | None = None) -> str | None:
        if path is None:
            path = save_file_name(self, "Save the agreement chart", "agreement.png",
                                  "PNG images (*.png)")
        return save_chart(self, self.figure, path) if path else None
