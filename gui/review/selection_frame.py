"""The frame round the selected entity: one rounded box for each line the entity is on.

An entity that wraps across lines is framed line by line, each fragment in a box of its
own; the last box also holds the label name painted after the entity. No line joins the
fragments: a frame drawn from a fragment to the column's edge read as a stray rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

from gui.claims.paint import line_boxes
from gui.review.offsets import OffsetMap

PAD = 2.0  # the frame stands this far off the text on either side


def selection_boxes(doc: QTextDocument, omap: OffsetMap, start: int, end: int,
                    offset: QPointF, tag_right: float) -> list[QRectF]:
    """The frame's boxes for the entity at [start, end) (Python offsets), in viewport
    coordinates (``offset``: minus the scroll); the last reaches ``tag_right``, the end of
    the label name."""
    boxes = [box.translated(offset) for box in line_boxes(doc, omap.to_qt(start),
                                                          omap.to_qt(end))]
    if boxes:
        boxes[-1].setRight(max(boxes[-1].right(), tag_right))
    return [box.adjusted(-PAD, 0, PAD, 0) for box in boxes]


def paint_selection(painter: QPainter, boxes: Sequence[QRectF], color: QColor) -> None:
    painter.setPen(QPen(color, 2.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for box in boxes:
        painter.drawRoundedRect(box, 4, 4)
