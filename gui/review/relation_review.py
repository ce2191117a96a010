"""Relations in the review window, keyboard first: R draws one from the selected entity,
the usual moves (Space, Tab, Alt+label, /) reach the tail, a type key makes it, Esc
cancels; Enter and Delete accept, reject or delete a selected relation. The state and the
rules are ``core.review.relation_drawing``'s; this turns keys into its calls, pushes the
edits through the window and shows the selected entity's relations (the arcs of
``gui.review.relation_paint`` and the list of ``gui.review.relation_list``), following
the session's events; or all the article's arcs (Shift+R). A row of the Relations tab
(``gui.review.relation_table``) selects its relation; Enter there goes to it in the text.

Type keys are the scheme's (1–9 by default), the same keys as labels: while a relation is
being drawn, the view takes them before the window's label shortcuts do
(``ShortcutOverride``), so "1" makes a PRODUCES relation instead of relabelling the tail.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from core.errors import InvalidEdit
from core.models import Article, Relation, Span
from core.review.edits import Focus
from core.review.relation_drawing import (
    RelationDrawing,
    accept_edit,
    quoted,
    relation_lines,
    remove_edit,
)
from core.review.session import ReviewSession
from gui.review.relation_list import RelationList
from gui.review.relation_paint import RelationPainter
from gui.review.relation_table import RelationTable
from gui.review_host import ReviewHost

ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
REMOVE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class RelationReview(QObject):
    """Drawing, selecting and deciding relations in one window."""

    def __init__(self, window: ReviewHost, relation_list: RelationList,
                 table: RelationTable) -> None:
        super().__init__(window.view)
        self.window = window
        self.view = window.view
        self.list = relation_list
        self.table = table
        self.all_arcs = False  # View → Show all relations (Shift+R)
        self.session: ReviewSession | None = None
        self.drawing = RelationDrawing()
        self.selected_id: int | None = None  # the selected relation (Enter / Delete act on it)
        self._selecting = False  # selecting a relation's entity keeps the relation selected
        self.painter = RelationPainter(self.view)
        self.view.overlays.append(self.painter.paint)
        self.view.installEventFilter(self)
        self.view.span_selected.connect(self._span_selected)
        relation_list.relation_clicked.connect(self.select_relation)
        table.relation_chosen.connect(lambda rid: self.select_relation(rid, focus=False))
        table.relation_activated.connect(self.go_to)
        self.actions = [window.action(
            "Draw a &relation from the entity", "R", self.start, help=(
                "Relations", "Draw a relation from the selected entity: move to the tail "
                "(Space, Tab, Alt+label, /), then press the type's key; Esc cancels"))]

    def attach(self, session: ReviewSession) -> None:
        self.session = session
        self.drawing.cancel()
        self.selected_id = None
        session.article_opened.connect(self._article_opened)
        session.relations_changed.connect(self.show)
        session.spans_changed.connect(self.show)  # an end moved or went
        session.labels_changed.connect(self.show)
        session.focus_moved.connect(self._focus_moved)
        self.show()

    # ------------------------------------------------------------------ showing

    def show(self) -> None:
        """The selected entity's relations, in the view and in the list."""
        session = self.session
        span = self.view.selected_span()
        if session is None:
            return
        if session.relation(self.selected_id) is None:
            self.selected_id = None
        types = session.relation_types()
        symmetric = frozenset(t.name for t in types if t.symmetric)
        shown = self.drawing.head if self.drawing.head is not None else span
        lines = relation_lines(shown.id if shown else None, session.relations, session.spans,
                               symmetric)
        draft = (self.drawing.head, span) if self.drawing.head is not None else None
        prompt = self.drawing.prompt(types, span) if draft is not None else ""
        everything = []
        if self.all_arcs:
            by_id = {s.id: s for s in session.spans}
            everything = [(r, by_id[r.head_id], by_id[r.tail_id]) for r in session.relations
                          if r.head_id in by_id and r.tail_id in by_id]
        self.painter.show(lines, types, self.selected_id, draft, prompt, shown, everything)
        self.list.show_lines(shown, lines, types, self.selected_id)
        self.table.select_id(self.selected_id)

    def show_all(self, on: bool) -> None:
        """View → Show all relations (Shift+R): every relation's arc, or the selected
        entity's only."""
        self.all_arcs = on
        self.show()
        self._say("Every relation of the article is drawn; Shift+R again draws only the "
                  "selected entity's." if on else "Only the selected entity's relations are "
                  "drawn.", 4000)

    def _span_selected(self, _span_id: int | None) -> None:
        if not self._selecting:
            self.selected_id = None  # a move (Tab, Space, a click) leaves the relation
        self.show()
        if self.drawing.active:
            self._prompt()

    def _article_opened(self, _article: Article | None) -> None:
        if self.drawing.active:
            self.cancel(say=False)
        self.selected_id = None
        self.show()

    def _focus_moved(self, focus: Focus) -> None:
        """After an edit, undo or redo: select the relation it touched, if it is there."""
        if focus.relation_id is not None and self.session is not None:
            self.selected_id = focus.relation_id if self.session.relation(
                focus.relation_id) else None
            self.show()

    def select_relation(self, relation_id: int, focus: bool = True) -> None:
        """A row of a list: select the relation (and one of its entities in the view);
        ``focus``: the view takes the keyboard (a row of the Relations tab keeps it, so
        the arrows go on through the table)."""
        session = self.session
        relation = session.relation(relation_id) if session else None
        if relation is None:
            return
        self.selected_id = relation_id
        if self.view.selected_id not in (relation.head_id, relation.tail_id):
            self._selecting = True
            try:
                self.view.select_span(relation.head_id)
            finally:
                self._selecting = False
        self.show()
        if focus:
            self.view.setFocus()
        kind = relation.type
        state = "" if relation.state == "accepted" else f" ({relation.state})"
        where = "" if focus else " in the text (Enter here goes there)"
        self._say(f"Relation {kind}{state} selected: Enter accepts, Delete "
                  f"{'deletes' if relation.origin == 'reviewer' else 'rejects'} it{where}.",
                  6000)

    def go_to(self, relation_id: int) -> None:
        """Enter or a double-click on a row of the Relations tab: select the relation,
        scroll the text to it (both ends when they fit in the view) and give the view the
        keyboard, so that Enter accepts it and Delete rejects it."""
        session = self.session
        relation = session.relation(relation_id) if session else None
        if relation is None:
            return
        self.select_relation(relation_id)
        self._bring_into_view(relation)

    def _bring_into_view(self, relation: Relation) -> None:
        ends = [s for s in self.view.spans if s.id in (relation.head_id, relation.tail_id)]
        if not ends:
            return
        ys = [self.view.span_rects(s)[0].center().y() for s in ends]
        height = self.view.viewport().height()
        middle = (min(ys) + max(ys)) // 2 if max(ys) - min(ys) < height * 3 // 4 else ys[0]
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + middle - height // 2)

    # ------------------------------------------------------------------ drawing

    def start(self) -> None:
        """R: draw a relation from the selected entity."""
        if self.session is None or self.window.refuse_if_read_only("draw a relation"):
            return
        try:
            self.drawing.start(self.view.selected_span())
        except InvalidEdit as exc:
            self._say(str(exc))
            return
        self.selected_id = None
        self.show()
        self._prompt()

    def cancel(self, say: bool = True) -> None:
        head = self.drawing.head
        self.drawing.cancel()
        self.show()
        if head is None:
            return
        if say:
            self._say(f"No relation drawn from {quoted(head)}.", 3000)
        else:
            self.window.statusBar().clearMessage()  # the prompt is over

    def _prompt(self) -> None:
        if self.session is not None and self.drawing.active:
            text = self.drawing.prompt(self.session.relation_types(), self.view.selected_span())
            self.window.statusBar().showMessage(text)

    def _type_key(self, event: QKeyEvent):
        """The relation type a plain key press names while drawing, or None."""
        if self.session is None or not self.drawing.active or event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier):
            return None
        return self.drawing.type_for_key(self.session.relation_types(), event.text())

    def make(self, kind) -> None:
        """A type key: make the relation from the head to the entity the reviewer is on."""
        tail: Span | None = self.view.selected_span()
        try:
            edit = self.drawing.edit(tail, kind)
        except InvalidEdit as exc:
            self._say(str(exc), 0)
            return
        head = self.drawing.head
        if self.window.push(edit):
            self.drawing.cancel()
            self.show()
            if head is not None and tail is not None:
                self._say(f"Drew {quoted(head)} {kind.name} {quoted(tail)}. Ctrl+Z undoes "
                          "it; Enter / Delete act on it while it is selected.", 6000)
        else:  # refused (labels that do not fit, a duplicate): say so, keep choosing
            refusal = self.window.statusBar().currentMessage()
            self._say(f"{refusal} Press another type key, move on, or Esc.", 0)

    # ------------------------------------------------------------------ a selected relation

    def decide(self, accept: bool) -> bool:
        """Enter / Delete with a relation selected: act on it (True: the key is used)."""
        session = self.session
        relation = session.relation(self.selected_id) if session else None
        if relation is None:
            return False
        edit = accept_edit(relation) if accept else remove_edit(relation)
        if edit is None:
            self._say(f"The {relation.type} relation is accepted already.", 3000)
            return True
        self.window.push(edit)
        return True

    # ------------------------------------------------------------------ keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(
                event, QKeyEvent):
            return False
        key = event.key()
        if self.drawing.active:
            if key == Qt.Key.Key_Escape or self._type_key(event) is not None:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # ours, not the window's label shortcut
                elif key == Qt.Key.Key_Escape:
                    self.cancel()
                else:
                    self.make(self._type_key(event))
                return True
            return False
        if kind == QEvent.Type.KeyPress and self.selected_id is not None and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            if key in ACCEPT_KEYS:
                return self.decide(True)
            if key in REMOVE_KEYS:
                return self.decide(False)
        return False

    def _say(self, message: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(message, ms)
