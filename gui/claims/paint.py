"""How claims look in the article view: a coloured rule under each line and a bar in the margin.

Entities own the character formats (background, dashed underline for
suggestions), so a claim cannot be a format too without one hiding the other.
Claims are painted instead, below the text of every line they cover, in their
verdict's colour, with a bar in the left margin so a claim spanning several
lines reads as one block. Suggested claims are dotted and grey until the
reviewer accepts them; the selected claim is drawn thicker.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

from core.models import SUGGESTED_CLAIM_COLOUR, VERDICT_COLOURS, Claim
from gui.review.offsets import OffsetMap

VERDICT_COLORS = {verdict: QColor(hex_) for verdict, hex_ in VERDICT_COLOURS.items()}
SUGGESTED_COLOR = QColor(SUGGESTED_CLAIM_COLOUR)
VERDICT_NAMES = {"unchecked": "Unchecked", "supported": "Supported", "refuted": "Refuted",
                 "unverifiable": "Unverifiable"}


def claim_color(claim: Claim) -> QColor:
    return SUGGESTED_COLOR if claim.state == "suggested" else VERDICT_COLORS[claim.verdict]


def line_boxes(doc: QTextDocument, start: int, end: int) -> Iterator[QRectF]:
    """The box of each visual line's part of [start, end), in document coordinates: one
    per line, from the first character on the line to the last, as tall as the line's text.

    ``start`` and ``end`` are document (UTF-16) positions.
    """
    layout = doc.documentLayout()
    block = doc.findBlock(start)
    while block.isValid() and block.position() < end:
        origin = layout.blockBoundingRect(block).topLeft()
        text_layout = block.layout()
        b_start = block.position()
        # Start at the first line of the range: a long paragraph has thousands of lines.
        first = text_layout.lineForTextPosition(max(0, start - b_start)).lineNumber()
        for i in range(max(0, first), text_layout.lineCount()):
            line = text_layout.lineAt(i)
            l_start = b_start + line.textStart()
            if l_start >= end:
                break
            l_end = l_start + line.textLength()
            lo, hi = max(start, l_start), min(end, l_end)
            if lo >= hi:
                continue
            # cursorToX gives (x, cursor); PySide6's stubs say object.
            x1 = line.cursorToX(lo - b_start)[0]  # type: ignore[index]
            x2 = line.cursorToX(hi - b_start)[0]  # type: ignore[index]
            yield QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1,
                         line.ascent() + line.descent())
        block = block.next()


def line_segments(doc: QTextDocument, start: int, end: int) -> Iterator[tuple[float, float, float]]:
    """``(x1, x2, y_bottom)`` in document coordinates for each visual line of [start, end)
    (document positions): the line under a claim."""
    for box in line_boxes(doc, start, end):
        yield box.left(), box.right(), box.bottom()


def paint_claims(painter: QPainter, doc: QTextDocument, omap: OffsetMap,
                 claims: Sequence[Claim], selected_id: int | None,
                 offset: QPointF, visible: tuple[int, int]) -> None:
    """Draw every claim overlapping ``visible`` (Python offsets), shifted by ``offset``."""
    for claim in claims:
        if claim.end <= visible[0] or claim.start >= visible[1]:
            continue
        selected = claim.id == selected_id
        pen = QPen(claim_color(claim), 3.0 if selected else 2.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if claim.state == "suggested":
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        segments = list(line_segments(doc, omap.to_qt(claim.start), omap.to_qt(claim.end)))
        for x1, x2, y in segments:
            painter.drawLine(QPointF(x1, y + 2) + offset, QPointF(x2, y + 2) + offset)
        if segments:
            # The margin bar, inset at both ends so claims in consecutive sentences read
            # as separate blocks; the selected claim gets a wider bar with a tinted band.
            margin = doc.documentMargin()
            top = segments[0][2] - _line_height(doc) + 3
            bottom = segments[-1][2] + 1
            x = margin / 2
            if selected:
                band = QColor(claim_color(claim))
                band.setAlpha(40)
                painter.fillRect(QRectF(QPointF(x - 5, top) + offset,
                                        QPointF(x + 5, bottom) + offset), band)
            bar = QPen(claim_color(claim), 6.0 if selected else 3.0)
            bar.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(bar)
            painter.drawLine(QPointF(x, top) + offset, QPointF(x, bottom) + offset)


def _line_height(doc: QTextDocument) -> float:
    block = doc.firstBlock()
    if block.isValid() and block.layout().lineCount():
        line = block.layout().lineAt(0)
        return line.ascent() + line.descent()
    return 16.0
