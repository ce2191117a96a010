"""Entity review in the window: label, relabel, reject, accept and resize the selected entity.

Kept out of ``gui.window.main_window`` so the window is its layout; this controller turns the
view's selection and the label keys into ``core.review`` edits pushed through the
window (``gui.review_host.ReviewHost``), and owns the label menu shown on a selection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from core.review.edits import AddSpan, AddSpans, SetSpanStates, UpdateSpan
from core.review.navigation import next_entity, nothing_further
from core.review.occurrences import (
    Place,
    places_in_article,
    places_in_pending,
    same_suggestions,
)
from core.review.session import ReviewSession
from gui.review_host import ReviewHost


class EntityReview:
    """Edits of the selected entity or text selection, for one window."""

    def __init__(self, window: ReviewHost, menu_parent: QWidget) -> None:
        self.window = window
        self.menu_parent = menu_parent
        self.popup: QMenu | None = None
        self.session: ReviewSession | None = None
        self.label_actions: list[QAction] = []  # the label keys (bind_label_keys)
        # C / Shift+C in the label menu: the window sets this to the claims controller's mark.
        self.mark_claim: Callable[[bool], None] = lambda exact: None
        view = window.view
        view.reject_requested.connect(self.reject_selected)
        view.reject_same_requested.connect(self.reject_same)
        view.accept_requested.connect(self.accept_selected)
        view.edge_move_requested.connect(self.move_edge)
        view.label_menu_requested.connect(self.label_menu)
        a = window.action
        self.actions = [
            a("Label all &occurrences", "O", self.label_occurrences, help=(
                "Entities", "Label every other unlabelled occurrence of the entity's text")),
            a("Label all occurrences in &pending articles", "Ctrl+Shift+O",
              self.label_occurrences_everywhere, help=(
                  "Entities", "The same, in this article and every pending one")),
            a("Reject all suggestions &like this", None, self.reject_same),
        ]

    def _say(self, message: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def apply_label(self, label: str) -> None:
        """A label hotkey: relabel the selected entity, or label the text selection."""
        w = self.window
        if w.project is None or w.article is None:
            return
        span = w.view.selected_span()
        if span is not None:
            if span.label == label and span.state == "accepted":
                return
            w.push(UpdateSpan(span.id, f"relabel as {label}", label=label, state="accepted"))
            return
        selection = w.view.text_selection()
        if selection is None:
            self._say("Select some text or click an entity first, then press a label key.")
            return
        edit = AddSpan(w.article.id, *selection, label)
        if w.push(edit):
            w.view.clear_text_selection()
            w.view.select_span(edit.span_id, scroll=False)

    def _selected(self, key: str):
        """The selected entity; with none, the status bar says how to select one for ``key``."""
        if self.window.project is None:
            return None
        span = self.window.view.selected_span()
        if span is None:
            self._say(f"No entity is selected: click one, or reach it with Tab, Space, "
                      f"Alt+label key or /, then press {key}.")
        return span

    def reject_selected(self) -> None:
        """Delete: reject the selected entity and select the next one."""
        view = self.window.view
        span = self._selected("Delete")
        if span is None:
            return
        ids = [s.id for s in view.spans if s.live]
        nxt = ids[ids.index(span.id) + 1] if ids.index(span.id) + 1 < len(ids) else None
        if self.window.push(UpdateSpan(span.id, "reject entity", state="rejected")):
            view.select_span(nxt, scroll=False)

    def accept_selected(self) -> None:
        """Enter: accept the selected entity as it is and go to the next one."""
        view = self.window.view
        span = self._selected("Enter")
        if span is None:
            return
        if span.state != "accepted" and not self.window.push(
                UpdateSpan(span.id, "accept entity", state="accepted")):
            return  # refused: the status bar says why, and the reviewer stays on it
        here = view.selected_span() or span
        nxt = next_entity(view.spans, here)
        if nxt is not None:  # at the last entity the reviewer stays (no wrap to the top)
            view.select_span(nxt.id)
        if nxt is None or not any(s.state == "suggested" for s in view.spans):
            self._say(nothing_further(view.spans, nxt or here), 6000)

    def move_edge(self, edge: str, step: int) -> None:
        """Alt/Shift+arrows: move one edge of the selected entity by one token."""
        view = self.window.view
        span = self._selected("Shift/Alt+← →")
        if span is None:
            return
        moved = view.snapped_edit(span, edge, step)
        if moved is None:
            self._say("The entity cannot grow or shrink further.", 3000)
            return
        self.window.push(UpdateSpan(span.id, f"move {edge}", start=moved[0], end=moved[1],
                                    state="accepted"))

    def _places_here(self, span) -> list[Place]:
        """The free occurrences of ``span``'s text in the open article, as places to label."""
        session = self.window.session
        if session is None or session.article is None:
            return []
        return places_in_article(span.article_id, session.article.text, session.tokens,
                                 session.spans, span)

    def label_occurrences(self) -> None:
        """O: label every other free occurrence of the selected entity's text, here."""
        w = self.window
        span = w.view.selected_span()
        if span is None or w.session is None:
            self._say("Select an entity first: O labels the other places its text stands.")
            return
        places = self._places_here(span)
        if not places:
            self._say(f"No other unlabelled occurrence of “{span.text}” in this article: "
                      "nothing was labelled.")
            return
        # The reviewer stays on the entity they chose (keep) and the view does not move.
        if w.push(AddSpans(places, span.label, f"label {len(places)} × {span.text}",
                           keep=span.id)):
            many = "occurrences" if len(places) > 1 else "occurrence"
            self._say(f"Labelled {len(places)} more {many} of “{span.text}” as {span.label} "
                      "— Ctrl+Z undoes.", 8000)

    def label_occurrences_everywhere(self) -> None:
        """Label every free occurrence of the selected entity's text in this article and in
        every pending article (the full-text index finds the candidates)."""
        w = self.window
        span = w.view.selected_span()
        session = w.session
        article = session.article if session is not None else None
        if span is None or session is None or article is None:
            self._say("Select an entity first: its text is what gets labelled everywhere.")
            return
        spread = places_in_pending(session.project, span, article.text,
                                   session.tokens, session.spans)
        places, articles = spread.places, spread.articles
        if not places:
            self._say(f"No other unlabelled “{span.text}” in the pending articles.")
            return
        title = f"label {len(places)} × {span.text} in {articles} article(s)"
        if w.push(AddSpans(places, span.label, title)):
            self._say(f"Labelled {len(places)} “{span.text}” as {span.label} in "
                      f"{articles} article(s). Ctrl+Z undoes all of them.", 8000)

    def reject_same(self) -> None:
        """Shift+Delete: reject every undecided suggestion with this text and label."""
        w = self.window
        span = w.view.selected_span()
        if span is None or w.session is None:
            self._say("Select an entity first: Shift+Delete rejects every suggestion like it.")
            return
        same = same_suggestions(w.session.spans, span)
        if not same:
            self._say(f"No suggestion “{span.text}” ({span.label}) left to reject.")
            return
        if w.push(SetSpanStates(span.article_id, [s.id for s in same], "rejected",
                                f"reject {len(same)} × {span.text}")):
            self._say(f"Rejected {len(same)} suggestion(s) “{span.text}” "
                      f"({span.label}).", 6000)

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session: the label keys are its scheme's, rebuilt when it changes."""
        self.session = session
        self.keys_follow_scheme()
        session.labels_changed.connect(self.keys_follow_scheme)

    def keys_follow_scheme(self) -> None:
        if self.session is not None:
            self.bind_label_keys(self.session.project.labels())

    def bind_label_keys(self, labels) -> None:
        """Each label's key labels or relabels; Alt+key jumps to the next entity of the label
        (Alt+Shift+key: the previous). Rebuilt whenever the scheme changes."""
        owner = self.menu_parent
        for action in self.label_actions:
            owner.removeAction(action)
        self.label_actions = []
        for label in labels:
            if not label.hotkey:
                continue
            action = QAction(label.name, owner)
            action.setShortcut(QKeySequence(label.hotkey))
            action.triggered.connect(lambda _=False, n=label.name: self.apply_label(n))
            jump = QAction(f"Next {label.name}", owner)
            jump.setShortcuts([QKeySequence(f"Alt+{label.hotkey}"),
                               QKeySequence(f"Alt+Shift+{label.hotkey}")])
            jump.triggered.connect(lambda _=False, n=label.name: self.jump_to(n))
            for made in (action, jump):
                owner.addAction(made)
                self.label_actions.append(made)

    def jump_to(self, label: str) -> None:
        """Alt+label key: the next entity of ``label`` (with Shift held: the previous)."""
        from PySide6.QtWidgets import QApplication

        back = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        if not self.window.view.jumps.step_label(label, -1 if back else 1):
            self._say(f"No {label} entity in this article.", 3000)

    def label_menu(self, where: QPoint) -> None:
        """The menu of labels shown at a mouse selection; its keys are the window's."""
        w = self.window
        project = w.project
        if project is None:
            return
        menu = LabelMenu(self.menu_parent)
        for label in project.labels():
            action = menu.addAction(f"{label.hotkey.upper()}  {label.name}" if label.hotkey
                                    else label.name)
            action.triggered.connect(lambda _=False, n=label.name: self.apply_label(n))
            if label.hotkey:
                menu.keys[(label.hotkey.upper(), False)] = action
        menu.addSeparator()
        for text, shift in (("C  Mark as claim", False), ("Shift+C  Mark exactly as claim", True)):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, exact=shift: self.mark_claim(exact))
            menu.keys[("C", shift)] = action
        menu.popup(where)
        self.popup = menu



class LabelMenu(QMenu):
    """The popup at a selection. A QMenu grabs the keyboard, so the keys that mean something
    for a selection (label keys, C, Shift+C) act here as they do in the text, and Esc closes
    it and keeps the selection."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.keys: dict[tuple[str, bool], QAction] = {}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        mods = event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        text = QKeySequence(event.key()).toString().upper()
        action = None if mods & ~Qt.KeyboardModifier.ShiftModifier else self.keys.get(
            (text, shift))
        if action is not None:
            self.close()
            action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)
