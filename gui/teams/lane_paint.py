"""How reviewers' versions look while adjudicating: one lane per reviewer under every line.

The article view shows the curated spans as usual (character formats). Each reviewer's
accepted spans are painted below the text, one thin bar per span in that reviewer's lane
(lane 1 nearest the text), in the span's label colour, so a different label reads as a
different colour and a different boundary as a bar of another length. Spans every
reviewer agrees on are drawn lighter: nothing to decide there, but still a bar the eye
sees in either theme (the bars are a few pixels high: they never outweigh the text).
Where the versions differ the text is outlined in red, dashed (solid for the one at the
cursor), so the eye finds the regions to settle; an outline, not a tint, so it never
reads as an entity colour. The outline stands a few pixels outside the entity's
selection frame and is drawn after it, so a selected difference keeps its red outline.
Between the text and the lanes sits the claims rule (``gui.claims.paint``), so the two
never cross.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

from core.models import Span
from core.teams.adjudicate import Comparison
from gui.claims.paint import line_segments
from gui.review.offsets import OffsetMap

LANE_TOP = 7  # pixels below the text line where lane 1 starts (the claims rule is at +2)
LANE_STEP = 6  # pixels from one lane to the next
LANE_BAR = 4  # height of a bar
REGION_COLOR = QColor(208, 71, 63, 220)
REGION_OUTSET = 5  # pixels between the text and the outline: outside the selection frame
AGREED_ALPHA = 170


def lanes_room(lanes: int) -> int:
    """Pixels the lanes need below a line of text (0: no lanes)."""
    return LANE_TOP + lanes * LANE_STEP + 2 if lanes else 0


def visible_slice(starts: list[int] | tuple[int, ...], lo: int, hi: int) -> slice:
    """The items (in text order, never overlapping) that may touch [lo, hi): found by
    bisection, since an article can have thousands and a paint shows dozens."""
    return slice(max(0, bisect_left(starts, lo) - 1), bisect_left(starts, hi))


def bar_color(label_color: QColor, dark: bool, agreed: bool) -> QColor:
    """A lane bar's colour: the label's, deepened on a light page (the pastel label
    colours vanish on white) and kept bright on a dark one; lighter where all agree."""
    fill = QColor(label_color).lighter(110) if dark else QColor(label_color).darker(170)
    if agreed:
        fill.setAlpha(AGREED_ALPHA)
    return fill


def paint_lanes(painter: QPainter, doc: QTextDocument, omap: OffsetMap,
                comparison: Comparison, color: Callable[[str], QColor],
                offset: QPointF, visible: tuple[int, int], dark: bool = False) -> None:
    """Draw every lane's bars overlapping ``visible`` (Python offsets), shifted by
    ``offset`` (the scroll position)."""
    lo, hi = visible
    for lane, (spans, starts) in enumerate(zip(comparison.lanes, comparison.lane_starts,
                                               strict=True)):
        top = LANE_TOP + lane * LANE_STEP
        for start, end, label, agreed in spans[visible_slice(starts, lo, hi)]:
            if end <= lo:
                continue
            fill = bar_color(color(label), dark, agreed)
            for x1, x2, y in line_segments(doc, omap.to_qt(start), omap.to_qt(end)):
                painter.fillRect(QRectF(QPointF(x1 + 1, y + top) + offset,
                                        QPointF(x2 - 1, y + top + LANE_BAR) + offset), fill)


def paint_regions(painter: QPainter, doc: QTextDocument, omap: OffsetMap,
                  comparison: Comparison, offset: QPointF, visible: tuple[int, int],
                  line_height: float, selected: Span | None, cursor: int) -> None:
    """Outline the regions overlapping ``visible``; the one the reviewer is in (the
    ``selected`` entity's, else the ``cursor``'s) solid. Called after the selection
    frame, and outside it."""
    lo, hi = visible
    current = (comparison.region_at(selected.start, selected.end) if selected is not None
               else comparison.region_at(cursor))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    out = REGION_OUTSET
    for region in comparison.regions[visible_slice(comparison.region_starts, lo, hi)]:
        if region.end <= lo:
            continue
        pen = QPen(REGION_COLOR, 2.0 if region is current else 1.4)
        if region is not current:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for x1, x2, y in line_segments(doc, omap.to_qt(region.start), omap.to_qt(region.end)):
            painter.drawRoundedRect(QRectF(QPointF(x1 - out, y - line_height - 2) + offset,
                                           QPointF(x2 + out, y + 3) + offset), 4, 4)


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
