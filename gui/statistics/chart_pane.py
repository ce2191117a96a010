"""One chart of the statistics window: a summary line, its own controls, Save PNG… and a
matplotlib figure drawn by the function it is given, again when its size settles (the
figures choose legend columns and label lengths for their size)."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.common.chart_file import save_chart
from gui.common.file_dialogs import save_file_name


def summary_label(text: str = "") -> QLabel:
    """A line of plain text that wraps and gives way to the chart beside it."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class ChartPane(QWidget):
    """A summary line, extra controls, Save PNG…, and one figure drawn by ``draw(fig)``."""

    def __init__(self, name: str, draw: Callable[[Figure], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name  # the PNG's default file name
        self.draw = draw
        self.drawn = False
        self.summary = summary_label()
        self.figure = Figure(layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(320, 240)
        self.save = QPushButton("Save PNG…")
        self.save.setEnabled(False)
        self.save.clicked.connect(lambda: self.save_png())
        # The figures choose legend columns and label lengths for their size: drawn again
        # once a resize settles.
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(150)
        self._resized.timeout.connect(self.redraw)
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        self.controls.addWidget(self.summary, 1)
        self.controls.addWidget(self.save)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(4, 4, 4, 4)
        self.column.addLayout(self.controls)
        self.column.addWidget(self.canvas, 1)

    def set_draw(self, draw: Callable[[Figure], object]) -> None:
        """New numbers: drawn now if the pane is shown, else when it is."""
        self.draw = draw
        self.drawn = False
        self.save.setEnabled(True)
        if self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        if self.draw is None:
            return
        self.draw(self.figure)
        self.canvas.draw_idle()
        self.drawn = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.drawn:
            self.redraw()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.drawn:
            self._resized.start()

    def save_png(self, path: str | None = None) -> str | None:
        if self.draw is None:
            return None
        if path is None:
            path = save_file_name(self, "Save the chart as PNG", f"{self.name}.png",
                                  "PNG images (*.png)")
        if not path:
            return None
        if not self.drawn:
            self.redraw()
        return save_chart(self, self.figure, path)
