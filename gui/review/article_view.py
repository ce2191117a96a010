"""The article text with its entities highlighted, displaCy-style, and the editing gestures.

The document holds exactly the stored text (set with ``setPlainText``, never
HTML), so document positions equal stored offsets after the UTF-16
conversion in ``gui.review.offsets``. Entities are character formats merged onto
the document (extra selections took seconds for 3,000 entities), all of them
inside one edit block (``_format_block``) so the document is laid out once,
not once per entity. The label name after each entity is painted
on top, in a gap made by letter-spacing on the entity's last character, so
the text itself never changes.

The view owns no data: it shows the spans it is given and emits signals
when the reviewer asks for an edit; the main window runs the edit through
core and hands back the new spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QToolTip, QWidget

from core.models import Claim, Label, Span
from core.teams.adjudicate import Comparison
from core.text.tokens import Token, move_edge, snap
from gui.claims.paint import paint_claims
from gui.common.plain_text import plain_tip
from gui.common.theme import reading_font
from gui.review.jumps import Jumps
from gui.review.offsets import OffsetMap
from gui.review.search_marks import paint_search_marks
from gui.review.selection_frame import paint_selection
from gui.review.span_formats import TAG_PAD, SpanFormats
from gui.review.span_geometry import SpanGeometry
from gui.teams.lane_paint import lanes_room, lanes_tip, paint_lanes, paint_regions

LINE_HEIGHT_PERCENT = 150
MAX_COLUMN_CHARS = 90  # comfortable reading width, in average characters

class ArticleView(SpanGeometry):
    """Read-only article text with entity highlights and keyboard/mouse editing gestures."""

    span_selected = Signal(object)  # span id or None
    selection_made = Signal(int, int)  # snapped Python offsets of a new text selection
    label_menu_requested = Signal(QPoint)  # global position for the label popup
    reject_requested = Signal()
    reject_same_requested = Signal()  # Shift+Delete: every suggestion like the selected one
    accept_requested = Signal()
    edge_move_requested = Signal(str, int)  # "start"/"end", -1/+1
    article_step_requested = Signal(int)  # -1 previous, +1 next article
    claim_clicked = Signal(object)  # claim id or None: a click on text outside any entity
    nothing_to_do = Signal(str)  # a key had nothing to act on: why, for the status bar
    spans_shown = Signal(object, object)  # the spans now shown (sorted) and the selected id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(28)
        self._text = ""
        self._omap = OffsetMap("")
        self._tokens: Sequence[Token] = []
        self._spans: list[Span] = []
        self._starts: list[int] = []
        self._shown: dict[int, tuple] = {}  # span id -> (start, end, label, state) as formatted
        self._looks = SpanFormats()  # each entity's character formats (gui.review.span_formats)
        self.show_rejected = False
        self.selected_id: int | None = None
        self.claims: list[Claim] = []
        self.search_hits: list[tuple[int, int]] = []  # the list's search words (search_marks)
        self.selected_claim_id: int | None = None
        self.label_popup_on_select = True
        self.comparison: Comparison | None = None  # reviewers' lanes, while adjudicating
        # The region at the cursor is outlined solid: repaint when the cursor moves.
        self.cursorPositionChanged.connect(
            lambda: self.comparison is not None and self.viewport().update())
        self.jumps = Jumps(self)  # Space, Alt+label, / (gui.review.jumps)
        self.overlays: list[Callable[[QPainter], None]] = []  # painted last, over the text
        self._base_size = 12.5
        self._zoom = 0.0
        self._apply_font()

    # ------------------------------------------------------------------ content

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._looks.set_labels(labels)

    def set_article(self, text: str, spans: Sequence[Span], tokens: Sequence[Token]) -> None:
        """Show a new article; its entities are formatted in one pass."""
        self._text = text
        self._omap = OffsetMap(text)
        self._tokens = tokens
        self.selected_id = None
        self.claims = []
        self.search_hits = []
        self.selected_claim_id = None
        self._shown = {}
        # The cursor may sit inside an entity of the previous article; without this
        # reset, setPlainText would paint the whole new text in that entity's colour.
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(text)  # plain text: markup in an article is shown as typed
        self._spans = []
        self._reformat(spans)
        self.verticalScrollBar().setValue(0)

    def set_claims(self, claims: Sequence[Claim], selected_id: int | None = None) -> None:
        """Show the article's live claims (painted, see gui.claims.paint)."""
        self.claims = sorted(claims, key=lambda c: (c.start, c.end))
        self.selected_claim_id = selected_id if any(c.id == selected_id for c in claims) \
            else None
        self.viewport().update()

    def set_comparison(self, comparison: Comparison | None) -> None:
        """Paint reviewers' lanes under the text (None: none). Lines grow to make room
        for them, so the layout is redone only when the number of lanes changes."""
        lanes = len(comparison.lanes) if comparison else 0
        before = len(self.comparison.lanes) if self.comparison else 0
        self.comparison = comparison
        if lanes != before:
            with self._format_block() as cursor:
                self._apply_block_format(cursor)
        self.viewport().update()

    def claim_at(self, offset: int) -> Claim | None:
        return next((c for c in self.claims if c.start <= offset < c.end), None)

    def select_claim(self, claim_id: int | None, scroll: bool = True) -> None:
        self.selected_claim_id = claim_id
        claim = next((c for c in self.claims if c.id == claim_id), None)
        if claim is not None and scroll:
            self.scroll_to(claim.start)
            # ensureCursorVisible leaves the claim's first line at the bottom edge; a third
            # of the way down shows the claim and what follows it.
            y = self.cursorRect().top()
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + y - self.viewport().height() // 3)
        self.viewport().update()

    def scroll_to(self, offset: int) -> None:
        """Put the text cursor at ``offset`` (no selection) and centre it in the view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_qt(offset))
        self.setTextCursor(cursor)
        self.centre_on(offset)

    def say_here(self, message: str) -> None:
        """Show ``message`` next to the selection or the selected entity (a refusal)."""
        rect = self.cursorRect()
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), plain_tip(message),
                          self.viewport())

    def centre_on(self, offset: int) -> None:
        """Scroll so that ``offset``'s line is in the middle of the view (Tab, a jump, an
        undo), not at its bottom edge where the next lines are hidden."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_qt(offset))
        y = self.cursorRect(cursor).center().y()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + y - self.viewport().height() // 2)

    def set_spans(self, spans: Sequence[Span]) -> None:
        """Show a new list of spans, reformatting only those that changed."""
        visible = [s for s in spans if s.live or self.show_rejected]
        visible.sort(key=lambda s: (s.start, s.end))
        new = {s.id: (s.start, s.end, s.label, s.state) for s in visible}
        stale = [key for sid, key in self._shown.items() if new.get(sid) != key]
        fresh = [s for s in visible if self._shown.get(s.id) != new[s.id]]
        plain = QTextCharFormat()
        with self._format_block() as cursor:
            for start, end, _label, _state in stale:
                self._select(cursor, start, end)
                cursor.setCharFormat(plain)
            for span in fresh:
                self._format_span(cursor, span)
        self._spans = visible
        self._starts = [s.start for s in visible]
        self._shown = new
        if self.selected_id is not None and self.selected_id not in new:
            self.selected_id = None
        self.viewport().update()
        self.spans_shown.emit(self.spans, self.selected_id)

    def refresh_formats(self) -> None:
        """Reformat every entity (after a zoom or a palette change)."""
        self._reformat(self._spans)

    def _reformat(self, spans: Sequence[Span]) -> None:
        """Clear every character format, then format ``spans`` from scratch."""
        self._shown = {}
        with self._format_block() as cursor:
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.setCharFormat(QTextCharFormat())
            self._apply_block_format(cursor)
            self._spans = []
            self.set_spans(spans)  # its own block nests in this one: one layout in all

    @property
    def spans(self) -> list[Span]:
        return list(self._spans)

    @property
    def text(self) -> str:
        return self._text

    @property
    def offset_map(self) -> OffsetMap:
        return self._omap

    @property
    def tokens(self) -> Sequence[Token]:
        return self._tokens

    # ------------------------------------------------------------------ formatting

    def _apply_font(self) -> None:
        font = reading_font(self._base_size + self._zoom)
        self.document().setDefaultFont(font)
        self._tag_font = QFont(self.font())  # the UI sans face, like displaCy's tags
        self._tag_font.setPointSizeF(max(6.5, font.pointSizeF() * 0.62))
        self._tag_font.setBold(True)
        self._tag_font.setCapitalization(QFont.Capitalization.AllUppercase)
        self._tag_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self._tag_metrics = QFontMetrics(self._tag_font)
        self._text_metrics = QFontMetrics(font)
        self._looks.set_tag_metrics(self._tag_metrics)
        self._update_margins()

    @contextmanager
    def _format_block(self) -> Iterator[QTextCursor]:
        """A cursor for a batch of format changes, laid out once when the batch ends.

        Outside an edit block every ``mergeCharFormat`` makes the document lay out
        its paragraph again and tell the widget: 3,000 entities took seconds that
        way. Inside one, Qt records the changed range and lays it out at
        ``endEditBlock``. Blocks nest; only the outermost one ends the batch. Every
        bulk format change (entities, and anything else drawn as char formats)
        should go through here.
        """
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        try:
            yield cursor
        finally:
            cursor.endEditBlock()

    def _apply_block_format(self, cursor: QTextCursor) -> None:
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        height = self._text_metrics.height()
        room = lanes_room(len(self.comparison.lanes) if self.comparison else 0)
        percent = max(LINE_HEIGHT_PERCENT, round(100 * (height + room) / height))
        block.setLineHeight(percent, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block.setBottomMargin(4)
        cursor.mergeBlockFormat(block)

    def _select(self, cursor: QTextCursor, start: int, end: int) -> None:
        cursor.setPosition(self._omap.to_qt(start))
        cursor.setPosition(self._omap.to_qt(end), QTextCursor.MoveMode.KeepAnchor)

    def _format_span(self, cursor: QTextCursor, span: Span) -> None:
        fmt, last = self._looks.formats(span.label, span.state)
        self._select(cursor, span.start, span.end)
        cursor.mergeCharFormat(fmt)
        if last is not None:
            self._select(cursor, span.end - 1, span.end)
            cursor.mergeCharFormat(last)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not (self._spans or self.claims or self.search_hits) and self.comparison is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._tag_font)
        rect = event.rect()
        first = self._omap.to_py(self.cursorForPosition(rect.topLeft()).position())
        last = self._omap.to_py(self.cursorForPosition(rect.bottomRight()).position())
        offset = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        if self.comparison is not None:
            paint_lanes(painter, self.document(), self._omap, self.comparison,
                        self._looks.color, offset, (first, last + 1),
                        self.palette().base().color().lightness() < 128)
        if self.search_hits:
            paint_search_marks(painter, self, self._omap, self._text, self.search_hits,
                               (first, last + 1))
        if self.claims:
            paint_claims(painter, self.document(), self._omap, self.claims,
                         self.selected_claim_id, offset, (first, last + 1))
            painter.setFont(self._tag_font)
        lo = max(0, bisect_left(self._starts, first) - 1)
        hi = bisect_right(self._starts, last + 1)
        ascent = self._tag_metrics.ascent()
        for span in self._spans[lo:hi]:
            if span.state == "rejected":
                continue
            tag = self._tag_rect(span)
            painter.setPen(QColor(0, 0, 0, 150))
            baseline = tag.top() + (tag.height() + ascent) // 2 - 1
            painter.drawText(tag.left() + TAG_PAD, baseline, span.label)
            if span.id == self.selected_id:
                paint_selection(painter, self.selection_frame(),
                                self.palette().highlight().color())
        if self.comparison is not None:  # over the selection frame, which must not hide it
            paint_regions(painter, self.document(), self._omap, self.comparison, offset,
                          (first, last + 1), self._text_metrics.height(), self.selected_span(),
                          self._omap.to_py(self.textCursor().position()))
        for overlay in self.overlays:  # the selected entity's relations (relation_paint)
            overlay(painter)
        painter.end()

    # ------------------------------------------------------------------ geometry

    def _update_margins(self) -> None:
        """Keep lines to a readable length by centring a column in wide windows."""
        column = self._text_metrics.averageCharWidth() * MAX_COLUMN_CHARS + 60
        spare = max(0, self.width() - column)
        side = spare // 2
        self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._update_margins()
        super().resizeEvent(event)

    def zoom_by(self, steps: int) -> None:
        """Ctrl +/-: change the reading size, keeping the label gaps in proportion."""
        self._zoom = max(-6.0, min(24.0, self._zoom + steps))
        self._apply_font()
        self.refresh_formats()

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        self._apply_font()
        self.refresh_formats()

    # ------------------------------------------------------------------ selection and hits

    def span_at(self, offset: int) -> Span | None:
        i = bisect_right(self._starts, offset) - 1
        while i >= 0:
            span = self._spans[i]
            if span.start <= offset < span.end and span.live:
                return span
            if span.end <= offset and i < len(self._spans) - 1:
                break
            i -= 1
        return None

    def select_span(self, span_id: int | None, scroll: bool = True) -> None:
        self.selected_id = span_id
        span = self.selected_span()
        if span is not None and scroll:
            self.scroll_to(span.start)
        self.viewport().update()
        self.span_selected.emit(self.selected_id)

    def selected_span(self) -> Span | None:
        if self.selected_id is None:
            return None
        return next((s for s in self._spans if s.id == self.selected_id), None)

    def text_selection(self) -> tuple[int, int] | None:
        """The current text selection in Python offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._omap.to_py(cursor.selectionStart())
        end = self._omap.to_py(cursor.selectionEnd())
        return (start, end) if end > start else None

    def set_text_selection(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        self._select(cursor, start, end)
        self.setTextCursor(cursor)

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def snapped_edit(self, span: Span, edge: str, step: int) -> tuple[int, int] | None:
        return move_edge(self._tokens, span.start, span.end, edge, step, self._text)

    def step_entity(self, step: int) -> None:
        """Tab / Shift+Tab: select the next or previous live entity."""
        live = [s for s in self._spans if s.live]
        if not live:
            return
        ids = [s.id for s in live]
        if self.selected_id in ids:
            i = (ids.index(self.selected_id) + step) % len(ids)
        else:
            i = 0 if step > 0 else len(ids) - 1
        self.select_span(ids[i])

    # ------------------------------------------------------------------ input

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        selection = self.text_selection()
        if selection is not None:
            snapped = snap(self._tokens, *selection)
            if snapped is None:
                self.clear_text_selection()
                return
            self.set_text_selection(*snapped)
            if self.selected_id is not None:
                self.select_span(None, scroll=False)
            self.selection_made.emit(*snapped)
            if self.label_popup_on_select:
                self.label_menu_requested.emit(event.globalPosition().toPoint())
            return
        position = self._omap.to_py(self.cursorForPosition(event.position().toPoint()).position())
        span = self.span_at(position)
        self.select_span(span.id if span else None, scroll=False)
        if span is None:  # a click on an entity is about the entity, not its sentence
            claim = self.claim_at(position)
            self.claim_clicked.emit(claim.id if claim else None)

    def event(self, event: QEvent) -> bool:  # noqa: D401 (Qt API)
        # Tab would move focus out of the view; here it moves between entities.
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            back = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.step_entity(-1 if back else 1)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        mods = event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            # Shift+Delete is also Qt's Cut, which the text edit would take: handled here.
            (self.reject_same_requested if shift else self.reject_requested).emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and (shift or alt):
            step = -1 if key == Qt.Key.Key_Left else 1
            self.edge_move_requested.emit("start" if shift else "end", step)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods:
            self.article_step_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Space and not (mods & ~Qt.KeyboardModifier.ShiftModifier):
            if self.comparison is not None:  # adjudicating: the next place reviewers differ
                if not self.jumps.step_region(-1 if shift else 1):
                    self.nothing_to_do.emit("The reviewers agree everywhere in this article.")
            else:  # at the end, says what is left
                self.jumps.step_undecided(-1 if shift else 1)
        elif key == Qt.Key.Key_Slash and not (mods & ~Qt.KeyboardModifier.ShiftModifier):
            self.jumps.start_find()
        elif key == Qt.Key.Key_Escape:
            self.clear_text_selection()
            self.select_span(None, scroll=False)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Over a region where reviewers differ, the tooltip says what each one marked.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) \
                and self.comparison is not None:
            position = self._omap.to_py(self.cursorForPosition(event.pos()).position())
            tip = lanes_tip(self.comparison, position, self._text)
            if tip:
                QToolTip.showText(event.globalPos(), plain_tip(tip), self.viewport())
                return True
        return super().viewportEvent(event)

    # Article text is never interpreted as HTML; fail loudly if anyone tries.
    def setHtml(self, text: str) -> None:  # noqa: N802 (Qt API)
        raise RuntimeError("ArticleView shows plain text only")

