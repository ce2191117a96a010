"""How reviewers' versions look while adjudicating: one lane per reviewer under every line.

The article view shows the curated spans as usual (character formats). Each reviewer's
accepted spans are painted below the text, one thin bar per span in that reviewer's lane
(lane 1 nearest the text), in the span's label colour, so a different label reads as a
different colour and a different boundary as a bar of another length. Spans every
reviewer agrees on are drawn faint: nothing to decide there. Where the versions differ
the text is outlined in red, dashed (solid for the one at the cursor), so the eye finds
the regions to settle; an outline, not a tint, so it never reads as an entity colour.
Between the text and the lanes sits the claims rule (``gui.claims.paint``), so the two
never cross.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

from core.teams.adjudicate import Comparison
from gui.claims.paint import line_segments
from gui.review.offsets import OffsetMap

LANE_TOP = 6  # pixels below the text line where lane 1 starts (the claims rule is at +2)
LANE_STEP = 5  # pixels from one lane to the next
LANE_BAR = 3  # height of a bar
REGION_COLOR = QColor(208, 71, 63, 170)
AGREED_ALPHA = 70


def lanes_room(lanes: int) -> int:
    """Pixels the lanes need below a line of text (0: no lanes)."""
    return LANE_TOP + lanes * LANE_STEP + 2 if lanes else 0


def paint_lanes(painter: QPainter, doc: QTextDocument, omap: OffsetMap,
                comparison: Comparison, color: Callable[[str], QColor],
                offset: QPointF, visible: tuple[int, int], line_height: float,
                here: tuple[int, int | None]) -> None:
    """Draw the regions' outlines and every lane's bars overlapping ``visible`` (Python
    offsets), shifted by ``offset`` (the scroll position); the region touching ``here``
    (the selection or the cursor) is outlined solid."""
    lo, hi = visible
    current = comparison.region_at(*here)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    # Regions, like each lane's spans, never overlap and are in text order: the visible
    # ones are found by bisection (an article can have thousands; a paint shows dozens).
    first = max(0, bisect_left(comparison.region_starts, lo) - 1)
    last = bisect_left(comparison.region_starts, hi)
    for region in comparison.regions[first:last]:
        if region.end <= lo:
            continue
        pen = QPen(REGION_COLOR, 2.0 if region is current else 1.2)
        if region is not current:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for x1, x2, y in line_segments(doc, omap.to_qt(region.start), omap.to_qt(region.end)):
            painter.drawRoundedRect(QRectF(QPointF(x1 - 2, y - line_height) + offset,
                                           QPointF(x2 + 2, y + 1) + offset), 3, 3)
    for lane, (spans, starts) in enumerate(zip(comparison.lanes, comparison.lane_starts,
                                               strict=True)):
        top = LANE_TOP + lane * LANE_STEP
        for start, end, label, agreed in spans[max(0, bisect_left(starts, lo) - 1):
                                               bisect_left(starts, hi)]:
            if end <= lo:
                continue
            fill = QColor(color(label)).darker(125)
            if agreed:
                fill.setAlpha(AGREED_ALPHA)
            for x1, x2, y in line_segments(doc, omap.to_qt(start), omap.to_qt(end)):
                painter.fillRect(QRectF(QPointF(x1 + 1, y + top) + offset,
                                        QPointF(x2 - 1, y + top + LANE_BAR) + offset), fill)


def lanes_tip(comparison: Comparison, offset: int, text: str) -> str | None:
    """What each reviewer marked at ``offset`` (the tooltip over a region), or None."""
    region = comparison.region_at(offset)
    if region is None:
        return None
    rows = ["Reviewers differ here:"]
    for i, reviewer in enumerate(comparison.reviewers, 1):
        spans = region.spans.get(reviewer, ())
        what = "; ".join(f"{label} “{text[s:e]}”" for s, e, label in spans) or "nothing"
        rows.append(f"{i}. {reviewer}: {what}   (Ctrl+Alt+{i} takes it)" if i < 10
                    else f"{i}. {reviewer}: {what}")
    return "\n".join(rows)
