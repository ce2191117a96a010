"""Where an entity of the article view is on screen: its first character, its label tag
and the frame of the selected one. A part of ``ArticleView`` (a mixin of its own module
so the view stays small), reading the view's document, offset map and metrics."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QFontMetrics, QTextCursor
from PySide6.QtWidgets import QTextEdit

from core.models import Span
from gui.review.offsets import OffsetMap
from gui.review.selection_frame import selection_boxes
from gui.review.span_formats import SpanFormats


class SpanGeometry(QTextEdit):
    """Screen rectangles of entities, in viewport coordinates."""

    # Set by ArticleView, whose text and looks these measure.
    _omap: OffsetMap
    _text: str
    _text_metrics: QFontMetrics
    _looks: SpanFormats

    def selected_span(self) -> Span | None:
        raise NotImplementedError  # ArticleView's

    def _char_rect(self, offset: int) -> QRect:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_qt(offset))
        return self.cursorRect(cursor)

    def _tag_rect(self, span: Span) -> QRect:
        """Where the label name goes: the gap after the span's last character."""
        last = self._char_rect(span.end - 1)
        char = self._text[span.end - 1]
        x = last.left() + self._text_metrics.horizontalAdvance(char)
        return QRect(x, last.top() + 2, self._looks.tag_width(span.label),
                     max(4, last.height() - 4))

    def selection_frame(self) -> list[QRectF]:
        """The selected entity's frame, a box per line it is on (viewport coordinates)."""
        span = self.selected_span()
        if span is None:
            return []
        offset = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        return selection_boxes(self.document(), self._omap, span.start, span.end, offset,
                               self._tag_rect(span).right())

    def span_rects(self, span: Span) -> tuple[QRect, QRect]:
        """On screen: the entity's first character and its tag (painters draw around them)."""
        return self._char_rect(span.start), self._tag_rect(span)
