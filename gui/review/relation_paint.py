"""The selected entity's relations, painted over the article text as arcs between the two
entities: the type's colour and name, an arrow head at the tail (none for a symmetric
type), dashed while suggested, bolder when selected. Only the selected entity's relations
are drawn, so a dense article stays readable, unless the reviewer asks for all of them
(View → Show all relations, Shift+R): then every relation with an end on screen is drawn,
those of the selected entity in full colour and the others paler. An end outside the view
gets an arc to the view's top or bottom edge, and the name says which way and what it is
("FUNDS  ↓ Lynas"). Names are placed so that none covers another.

While a relation is being drawn (R), a dotted arc joins the head to the entity the
reviewer is on, with "type?" where the name will go.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF

from core.models import Relation, RelationType, Span
from core.review.relation_drawing import RelationLine
from core.text.normalise import one_line

RISE = 16  # how far above the text line an arc's top stands, at least
EDGE = 3  # an end off screen: the arc stops this far inside the view's edge
Drawn = tuple[Relation, Span, Span]  # a relation, its head and its tail


class RelationPainter:
    """What to paint (set by ``gui.review.relation_review``) and how; the article view
    calls ``paint`` at the end of its own paint (``ArticleView.overlays``)."""

    def __init__(self, view) -> None:  # gui.review.article_view.ArticleView
        self.view = view
        self.lines: list[RelationLine] = []
        self.types: dict[str, RelationType] = {}
        self.selected_id: int | None = None
        self.draft: tuple[Span, Span | None] | None = None  # head, the entity reviewer is on
        self.anchor: Span | None = None
        self.prompt = ""  # while drawing: the type keys, shown at the bottom of the view
        self.everything: list[Drawn] = []  # every relation (Shift+R), or none: the anchor's
        self.named: list[str] = []  # the names painted last, as they read (tests, bench)
        self._pills: list[QRectF] = []  # where names are already, this paint
        # the names to place once every arc is drawn: (first?, tail, from above, text,
        # where, colour, chosen)
        self._names: list[tuple[bool, int, bool, str, QPointF, QColor, bool]] = []
        self.font = QFont(view.font())
        self.font.setPointSizeF(max(6.5, self.font.pointSizeF() * 0.72))
        self.font.setBold(True)
        self.metrics = QFontMetrics(self.font)

    def show(self, lines: Sequence[RelationLine], types: Sequence[RelationType],
             selected_id: int | None, draft: tuple[Span, Span | None] | None,
             prompt: str = "", anchor: Span | None = None,
             everything: Sequence[Drawn] = ()) -> None:
        """``lines``: the relations of ``anchor`` (the selected entity, or the head of the
        relation being drawn); ``everything``: all the article's, when all are shown."""
        self.anchor = anchor
        self.everything = list(everything)
        self.lines = list(lines)
        self.prompt = prompt
        self.types = {t.name: t for t in types}
        self.selected_id = selected_id
        self.draft = draft
        self.view.viewport().update()

    # ------------------------------------------------------------------ geometry

    def _box(self, span: Span) -> QRect:
        """The entity's rectangle on screen (its first line when it wraps)."""
        start, tag = self.view.span_rects(span)
        if start.top() == tag.top() - 2:
            return QRect(start.left(), start.top(), tag.right() - start.left(), start.height())
        return QRect(start.left(), start.top(), max(24, self.view.viewport().width()
                                                     - start.left() - 8), start.height())

    def _drawn(self) -> list[Drawn]:
        """What to draw: every relation with an end on screen (all shown), or the anchor's."""
        if self.everything:
            viewport = self.view.viewport().rect()
            omap = self.view.offset_map
            first = omap.to_py(self.view.cursorForPosition(viewport.topLeft()).position())
            last = omap.to_py(self.view.cursorForPosition(viewport.bottomRight()).position())
            return [d for d in self.everything
                    if first <= d[1].start <= last or first <= d[2].start <= last]
        anchor = self.anchor
        if anchor is None:
            return []
        return [(line.relation, anchor, line.other) if line.relation.head_id == anchor.id
                else (line.relation, line.other, anchor) for line in self.lines]

    # ------------------------------------------------------------------ painting

    def paint(self, painter: QPainter) -> None:
        self.named = []
        if not self.lines and not self.everything and self.draft is None:
            return
        painter.save()
        painter.setFont(self.font)
        self._pills = []
        self._names = []
        anchor = self.anchor.id if self.anchor is not None else None
        drawn = self._drawn()
        # the selected entity's relations (and the selected relation) last: over the others
        drawn.sort(key=lambda d: anchor in (d[1].id, d[2].id) or d[0].id == self.selected_id)
        for rel, head, tail in drawn:
            kind = self.types.get(rel.type)
            color = QColor(kind.color if kind else "#5a6f8f")
            if self.view.palette().base().color().lightness() < 128:
                color = color.lighter(140)  # the scheme's colours are for light paper
            chosen = rel.id == self.selected_id
            pen = QPen(color, 2.8 if chosen else 1.7)
            if rel.state == "suggested":
                pen.setStyle(Qt.PenStyle.DashLine)
            if not chosen and (self.selected_id is not None or (
                    self.everything and anchor is not None
                    and anchor not in (head.id, tail.id))):
                color.setAlpha(150 if anchor in (head.id, tail.id) else 110)
                pen.setColor(color)
            symmetric = bool(kind and kind.symmetric)
            self._arc(painter, head, tail, pen, rel.type, not symmetric,
                      chosen or anchor in (head.id, tail.id), chosen)
        if self.draft is not None:
            start, end = self.draft
            pen = QPen(self.view.palette().highlight().color(), 2.0, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._box(start).adjusted(-3, -1, 3, 1), 4, 4)
            if end is not None and end.id != start.id:
                self._arc(painter, start, end, pen, "type?", True, True, True)
        self._place_names(painter)
        if self.draft is not None and self.prompt:
            self._prompt(painter)
        painter.restore()

    def _place_names(self, painter: QPainter) -> None:
        """The names, over every arc: the selected entity's first (they get their places
        beside their tails), one name for arcs of one type into one tail."""
        said: set[tuple[int, bool, str]] = set()
        for _first, tail, down, text, at, color, chosen in sorted(
                self._names, key=lambda n: not n[0]):
            if (tail, down, text) not in said:
                said.add((tail, down, text))
                self._name(painter, at, text, color, chosen, above=down)

    def _prompt(self, painter: QPainter) -> None:
        """The keys to press, in a box at the bottom of the text, where the eyes are."""
        viewport = self.view.viewport()
        width = min(viewport.width() - 16, 560)
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        font = QFont(self.view.font())
        painter.setFont(font)
        room = painter.boundingRect(QRect(0, 0, width - 20, 400), flags, self.prompt)
        box = QRect((viewport.width() - width) // 2,
                    viewport.height() - room.height() - 22, width, room.height() + 14)
        palette = self.view.palette()
        painter.setPen(QPen(palette.highlight().color(), 1.5))
        painter.setBrush(palette.toolTipBase())
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(palette.toolTipText().color())
        painter.drawText(box.adjusted(10, 7, -10, -7), flags, self.prompt)
        painter.setFont(self.font)

    def _arc(self, painter: QPainter, head: Span, tail: Span, pen: QPen, name: str,
             arrow: bool, first: bool, chosen: bool) -> None:
        """One arc from ``head`` to ``tail``; its ``name`` is placed after all arcs
        (``first``: before others) beside the tail, or, when the tail is off screen, beside
        the head, which the reader is looking at, with the way to the tail and its text."""
        height = self.view.viewport().height()
        a, b = self._box(head), self._box(tail)
        away = ""
        for span, box in ((head, a), (tail, b)):
            if box.bottom() < 0 or box.top() > height:  # off screen: named, with the way
                away = ("↑ " if box.bottom() < 0 else "↓ ") + one_line(span.text, 24)
        at_head = bool(away) and a.bottom() >= 0 and a.top() <= height  # the tail is away
        tip_x = b.left() + min(10, b.width() // 2)
        if abs(a.center().y() - b.center().y()) < a.height() / 2:
            # one line: an arc over the text, into the tail's top
            p0 = QPointF(a.center().x(), a.top() + 1)
            p1 = QPointF(tip_x, b.top() + 1)
            top = min(p0.y(), p1.y()) - RISE - min(24.0, abs(p1.x() - p0.x()) / 12)
            c0, c1 = QPointF(p0.x(), top), QPointF(p1.x(), top)
            down = True
        else:
            # lines apart: from the head's edge facing the tail, an S through the gaps
            # between lines, into the tail's near edge
            down = a.center().y() < b.center().y()
            p0 = QPointF(a.center().x(), a.bottom() if down else a.top() + 1)
            p1 = QPointF(tip_x, b.top() + 1 if down else b.bottom())
            p0.setY(max(float(EDGE), min(height - float(EDGE), p0.y())))
            p1.setY(max(float(EDGE), min(height - float(EDGE), p1.y())))
            bend = (p1.y() - p0.y()) * 0.5
            c0, c1 = QPointF(p0.x(), p0.y() + bend), QPointF(p1.x(), p1.y() - bend)
        path = QPainterPath(p0)
        path.cubicTo(c0, c1, p1)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if arrow:
            self._arrow_head(painter, path, pen.color())
        # the name beside the arrow's tip, in the gap between lines next to the tail (so
        # names do not pile up at the head), or beside the head when the tail is away
        at = p0 if at_head else path.pointAtPercent(1.0)
        self._names.append((first, tail.id, down != at_head,
                            f"{name}  {away}" if away else name,
                            QPointF(at.x() + 5, at.y()), pen.color(), chosen))

    def _arrow_head(self, painter: QPainter, path: QPainterPath, color: QColor) -> None:
        tip = path.pointAtPercent(1.0)
        back = path.pointAtPercent(0.96)
        angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
        size = 7.0
        wing = 0.45
        left = QPointF(tip.x() - size * math.cos(angle - wing),
                       tip.y() - size * math.sin(angle - wing))
        right = QPointF(tip.x() - size * math.cos(angle + wing),
                        tip.y() - size * math.sin(angle + wing))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([tip, left, right]))

    def _name(self, painter: QPainter, at: QPointF, text: str, color: QColor,
              chosen: bool, above: bool) -> None:
        """The type's name in a pill of its colour, starting at ``at``: above that point
        (an arrow coming down into the tail) or below it (going up); moved right past the
        names already there (left, when the line has no room), so none covers another."""
        width = self.metrics.horizontalAdvance(text) + 8
        height = self.metrics.height()
        right = self.view.viewport().width() - 2
        y = at.y() - height + 2 if above else at.y() - 2
        y = max(0.0, min(y, self.view.viewport().height() - height))
        pill = QRectF(min(at.x(), right - width), y, width, height)
        for _ in range(len(self._pills)):
            hit = next((p for p in self._pills if p.intersects(pill)), None)
            if hit is None:
                break
            if hit.right() + 3 + width <= right:
                pill.moveLeft(hit.right() + 3)
            elif hit.left() - 3 - width >= 2 and hit.left() - 3 < pill.right():
                pill.moveRight(hit.left() - 3)
            else:
                break  # no room on this line: over the others, the latest on top
        self._pills.append(pill)
        self.named.append(text)
        fill = QColor(color)
        fill.setAlpha(255 if chosen or color.alpha() == 255 else 200)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, 3, 3)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
