"""The words of the article list's search, marked in the open article.

After a search the reviewer opens a hit and looks for why it matched. Each word is
marked with a thin amber outline and a faint amber wash: an outline, because every hue
is some label's fill already, and a wash light enough that an entity's colour shows
through and the text stays readable on a dark background. The marks are painted over
the text (``paint_search_marks``, from the view's paint event): the character formats
belong to the entities, and an extra selection would repaint an entity's background.
Where the words are is the store's answer (``Project.search_hits``: the full-text
index's own words and stems), not a second rule.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import QTextEdit

from gui.claims.paint import line_boxes
from gui.review.offsets import OffsetMap

SEARCH_EDGE = QColor(214, 150, 0)  # amber: an outline no label and no selection uses
SEARCH_WASH = QColor(255, 196, 0, 56)  # faint, so an entity's fill shows through


def search_boxes(view: QTextEdit, omap: OffsetMap, text: str, start: int,
                 end: int) -> list[QRectF]:
    """A box per line of the hit [start, end) (Python offsets), in viewport coordinates,
    ending at the last character itself (not in a label's gap after it)."""
    offset = QPointF(-view.horizontalScrollBar().value(), -view.verticalScrollBar().value())
    boxes = [box.translated(offset) for box in line_boxes(view.document(), omap.to_qt(start),
                                                          omap.to_qt(end))]
    if boxes:
        cursor = QTextCursor(view.document())
        cursor.setPosition(omap.to_qt(end - 1))
        advance = QFontMetricsF(view.document().defaultFont()).horizontalAdvance(text[end - 1])
        right = view.cursorRect(cursor).left() + advance
        boxes[-1].setRight(min(boxes[-1].right(), right))
    return [box.adjusted(-1, 0, 1, 0) for box in boxes]


def paint_search_marks(painter: QPainter, view: QTextEdit, omap: OffsetMap, text: str,
                       hits: list[tuple[int, int]], visible: tuple[int, int]) -> None:
    """Outline and wash each hit overlapping ``visible`` (Python offsets)."""
    painter.setPen(QPen(SEARCH_EDGE, 1.4))
    painter.setBrush(SEARCH_WASH)
    for start, end in hits:
        if end <= visible[0] or start >= visible[1]:
            continue
        for box in search_boxes(view, omap, text, start, end):
            painter.drawRoundedRect(box, 3, 3)
    painter.setBrush(Qt.BrushStyle.NoBrush)
