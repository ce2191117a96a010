"""A one-line plain-text label that never widens its window: text that does not fit ends
in "…" and the whole of it is the tooltip.

A QLabel asks for its whole text's width, so one long source URL in an article's meta line
made the review window wider than a 1024-pixel screen. Word wrap would let it break, but a
label that wraps reports a height that depends on its width, and the main window's splitter
then restores its side panels at different sizes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption


class ElidedLabel(QLabel):
    """Plain text on one line, cut with "…" at the label's width (never interpreted)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """What is drawn: the text, or as much as fits followed by "…"."""
        one_line = self._one_line()
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(one_line, Qt.TextElideMode.ElideRight, room)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._update_tooltip()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self._one_line() else "")

    def _one_line(self) -> str:
        return " ".join(self.text().splitlines())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawItemText(painter, self.contentsRect(),
                                  int(self.alignment()), option.palette,
                                  self.isEnabled(), self.shown_text(),
                                  self.foregroundRole())
        painter.end()
