"""Fact-checking in the review window: the claim actions, their keys, and the status bar's
count of the open article's claims still to decide.

Kept out of ``gui.window.main_window`` so the window stays a layout plus entity
review; this controller owns the Claims panel and the claim shortcuts. Claims never hold
up an approval (A asks nothing; ``core.review.approval`` says afterwards what it left
open). Every edit is an undoable command on the window's project-wide undo stack.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from core.models import Article, Claim
from core.review.claims import ACCEPT, OVERLAP, marking, remove_edit, stated_lines
from core.review.edits import AddClaim, Focus, SuggestClaims, UpdateClaim
from core.review.session import ReviewSession
from core.text.sentences import snap_to_sentences
from gui.claims.across import ClaimsAcross
from gui.claims.paint import VERDICT_NAMES
from gui.claims.panel import VERDICT_KEYS, ClaimsPanel
from gui.review_host import ReviewHost


class ClaimsReview:
    """Wires the Claims panel, the article view and the store for one window."""

    def __init__(self, window: ReviewHost) -> None:
        self.window = window
        self.session: ReviewSession | None = None
        self.panel: ClaimsPanel = window.claims_panel
        view = window.view
        view.claim_clicked.connect(self.select)
        self.panel.claim_clicked.connect(lambda claim_id: self.select(claim_id, scroll=True))
        self.panel.verdict_chosen.connect(self.set_verdict)
        self.panel.dismiss_requested.connect(self.dismiss)
        self.panel.evidence_edited.connect(
            lambda claim_id, url: self._update(claim_id, "edit evidence", evidence_url=url))
        self.panel.note_edited.connect(
            lambda claim_id, note: self._update(claim_id, "edit claim note", note=note))
        view.span_selected.connect(self._span_selected)
        self.actions = self._build_actions()
        self.across = ClaimsAcross(window, self.select)  # what other articles say

    def _build_actions(self) -> list[QAction]:
        a = self.window.action
        actions = [
            a("Mark &claim", "C", lambda: self.mark(exact=False),
              help=("Claims", "Mark the selection as a claim, widened to whole sentences")),
            a("Mark claim (&exact selection)", "Shift+C", lambda: self.mark(exact=True),
              help=("Claims", "Mark exactly the selection as a claim")),
        ]
        for verdict in ("supported", "refuted", "unverifiable", "unchecked"):
            name = VERDICT_NAMES[verdict].lower()
            actions.append(a(f"Claim is {name}", VERDICT_KEYS[verdict],
                             lambda _=False, v=verdict: self.set_verdict(v),
                             help=("Claims", f"Claim is {name}" + (
                                 " (accepts a suggested claim)" if verdict == "unchecked"
                                 else ""))))
        actions += [
            a("&Dismiss or delete claim", ["Ctrl+Del", "Ctrl+Backspace"], self.dismiss,
              help=("Claims", "Dismiss a suggested claim, or delete your own")),
            a("Next claim", "]", lambda: self.step(1), help=("Claims", "Next claim")),
            a("Previous claim", "[", lambda: self.step(-1), help=("Claims", "Previous claim")),
            a("&Suggest claims", QKeySequence("Ctrl+Shift+C").toString(), self.suggest,
              help=("Claims", "Suggest claims: sentences that state a figure")),
        ]
        return actions

    # ------------------------------------------------------------------ state

    @property
    def claims(self) -> list[Claim]:
        return self.panel.model.all

    def attach(self, session: ReviewSession) -> None:
        """Follow a newly opened project: refill the panel whenever its article opens or its
        claims change, and select the claim an edit touched."""
        self.session = session
        session.article_opened.connect(self.show_claims)
        session.claims_changed.connect(self.refresh)
        session.focus_moved.connect(self.show_focus)
        session.relations_changed.connect(self.show_stated)
        session.spans_changed.connect(self.show_stated)  # an end may leave the passage
        self.panel.selection_changed.connect(lambda _claim_id: self.show_stated())
        self.across.attach(session)  # after refresh: it reads the refreshed claims

    def show_claims(self, _article: Article | None) -> None:
        self.refresh()

    def show_focus(self, focus: Focus) -> None:
        """After an edit, undo or redo: select the claim it touched."""
        if focus.claim_id is not None:
            self.select(focus.claim_id, scroll=True)

    def refresh(self) -> None:
        """Show the open article's claims (as the session read them) in the panel and view."""
        w = self.window
        session = self.session
        if session is None or session.article is None:
            self.panel.set_claims([], "")
            w.view.set_claims([])
        else:
            self.panel.set_claims(session.claims, session.article.text, session.claim_id)
            w.view.set_claims(session.claims, session.claim_id)
        self.show_stated()
        # Always: a new, empty project must not keep the last project's count.
        # Short, so the three tabs fit a narrow side panel; what is open is in the status bar.
        count = len(self.panel.model.all)
        w.side_tabs.setTabText(1, f"Claims ({count})" if count else "Claims")
        w.side_tabs.setTabToolTip(1, f"Claims: {self.panel.count_text()}")

    def show_stated(self) -> None:
        """Under the selected claim: the open article's live relations it states."""
        session, claim = self.session, self.panel.selected_claim()
        if session is None or claim is None:
            self.panel.set_stated([])
        else:
            self.panel.set_stated(stated_lines(claim, session.relations, session.spans))

    def select(self, claim_id: int | None, scroll: bool = False) -> None:
        """Move to a claim (the session's current claim) and show it selected in the panel
        and the text (scrolling when picked from the panel)."""
        if self.session is not None:
            claim_id = getattr(self.session.point_at_claim(claim_id), "id", None)
        self._show_current(scroll)
        if claim_id is not None:
            self.show_panel()

    def _show_current(self, scroll: bool = False) -> None:
        """The panel's row and the text's highlight show the session's current claim."""
        current = self.session.claim_id if self.session is not None else None
        self.panel.select_id(current)
        self.window.view.select_claim(current, scroll=scroll)

    def show_panel(self) -> None:
        """Bring the Claims tab forward: the reviewer is working on claims."""
        self.window.side_tabs.setCurrentWidget(self.panel)

    def step(self, step: int) -> None:
        """] / [: the next or previous claim in the text, scrolled into view. An entity
        selected outside it is let go: the reviewer moved on, and Delete or L must not act
        on an entity in the claim they left (perhaps scrolled out of sight)."""
        session = self.session
        claim = session.step_claim(step) if session is not None else None
        if claim is None:
            self.window.statusBar().showMessage("This article has no claims.", 3000)
            return
        view = self.window.view
        span = view.selected_span()
        if span is not None and session is not None and session.claim_holding(span) != claim:
            view.select_span(None, scroll=False)
        self.select(claim.id, scroll=True)

    def _span_selected(self, span_id: int | None) -> None:
        """An entity inside a claim makes that claim the current one (no tab switch), so a
        verdict key acts on the claim the reviewer is looking at."""
        session = self.session
        if session is None:
            return
        before = session.claim_id
        session.point_at_entity(self.window.view.selected_span())
        if session.claim_id != before:
            self._show_current()

    def target(self) -> Claim | None:
        """The claim a verdict key applies to: the session's current claim, the one the
        reviewer last moved to or whose entity they last selected."""
        return self.session.current_claim() if self.session is not None else None

    # ------------------------------------------------------------------ edits

    def mark(self, exact: bool) -> None:
        """C / Shift+C: make the selection (or the selected entity's sentence) a claim."""
        w = self.window
        if w.project is None or w.article is None:
            return
        selection = w.view.text_selection()
        span = w.view.selected_span()
        if selection is None and span is not None:
            selection = (span.start, span.end)
        if selection is None:
            w.statusBar().showMessage(
                "Select a passage (or click an entity) first, then press C.", 4000)
            return
        start, end = selection if exact else snap_to_sentences(w.article.text, *selection)
        marked = marking(self.claims, start, end)
        if marked.outcome == ACCEPT:
            assert marked.claim is not None
            self.select(marked.claim.id)
            self.set_verdict("unchecked")
            return
        if marked.outcome == OVERLAP:
            assert marked.claim is not None
            self.select(marked.claim.id, scroll=True)
            w.statusBar().showMessage(
                "That passage overlaps the claim selected now: give it a verdict, or dismiss "
                "it (Ctrl+Del) and mark the passage again.", 6000)
            return
        command = AddClaim(w.article.id, start, end)
        if w.push(command):
            w.view.clear_text_selection()
            self.select(command.claim_id)

    def set_verdict(self, verdict: str) -> None:
        claim = self._require_target()
        if claim is None:
            return
        if claim.verdict == verdict and claim.state == "accepted":
            return
        # A verdict on a suggestion accepts it (the store's rule), even "unchecked".
        self.window.push(UpdateClaim(claim.id, f"mark claim {VERDICT_NAMES[verdict].lower()}",
                                      verdict=verdict))

    def dismiss(self) -> None:
        claim = self._require_target()
        if claim is None:
            return
        self.window.push(remove_edit(claim))

    def suggest(self) -> None:
        w = self.window
        if w.project is None or w.article is None:
            return
        command = SuggestClaims(w.article.id)
        if w.push(command):
            w.statusBar().showMessage(
                f"{len(command.made)} new claim(s) suggested: sentences that state a figure."
                if command.made else "No new claims to suggest.", 5000)

    def _update(self, claim_id: int, text: str, **changes: str) -> None:
        claim = next((c for c in self.claims if c.id == claim_id), None)
        if claim is None or self.window.project is None:
            return
        if all(getattr(claim, k) == v for k, v in changes.items()):
            return
        self.window.push(UpdateClaim(claim.id, text, **changes))

    def _require_target(self) -> Claim | None:
        w = self.window
        if w.project is None or w.article is None:
            return None
        claim = self.target()
        if claim is None:
            w.statusBar().showMessage("Select a claim first (click it, or press ] ).", 4000)
            return None
        self._show_current()
        self.show_panel()
        return claim

    # ------------------------------------------------------------------ the status bar

    def open_text(self) -> str:
        """The status bar's note of this article's claims still to decide ("" when none)."""
        w = self.window
        if w.project is None or w.article is None:
            return ""
        unchecked, suggested = w.project.open_claims(w.article.id)
        parts = [f"{suggested} suggested" if suggested else "",
                 f"{unchecked} unchecked" if unchecked else ""]
        shown = ", ".join(p for p in parts if p)
        return f"Claims to decide: {shown}" if shown else ""

