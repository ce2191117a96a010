"""The "Across the corpus" list in the review window: filled for the selected claim, and
each item one click from its place in its article.

The list stays on the claim it was made for while the reviewer reads the items: opening
an item's article (where no claim, or another claim, gets selected) does not replace it,
and "Back to the claim" returns. Selecting another claim by hand (in the text, the
table, or with ] and [) makes the list about that one.

Read in a worker thread on its own read-only connection (``gui.common.workers.ThreadJob``):
the query is a few indexed reads plus the texts of the candidate articles, newest
first, which is milliseconds on a typical claim but about a second for a pair that every
other article of a 100,000-article project names (``bench/claims_across.py``). One
read runs at a time; a claim selected meanwhile is read next, and only the latest.
"""

from __future__ import annotations

from collections.abc import Callable

from shiboken6 import isValid

from core.errors import AssayError
from core.models import Article, Claim
from core.nlp.kb_resolve import naming_label
from core.review.claims import entities_inside, relations_stated
from core.review.session import ReviewSession
from core.store import Project
from core.store.claims_across import Across, AcrossItem
from gui.claims.across_panel import ClaimsAcrossPanel
from gui.common.workers import ThreadJob
from gui.review_host import ReviewHost


def names_of(project: Project, across: Across) -> dict[str, str]:
    """Each id of the subject's pairs by its name ("CHN" → "China"), where a list knows it."""
    linker = project.linker()
    out = {}
    for key in {k for pair in across.pairs for k in pair}:
        entry = linker.entry(naming_label(key), key)
        out[key] = entry.name if entry is not None and entry.name else key
    return out


class ClaimsAcross:
    """Fills the panel for the claim selected in the Claims tab, and opens its items."""

    def __init__(self, window: ReviewHost, select_claim: Callable[..., None]) -> None:
        self.window = window
        self.select_claim = select_claim  # ClaimsReview.select(claim_id, scroll=True)
        self.panel: ClaimsAcrossPanel = window.claims_panel.across
        self.source: Claim | None = None  # the claim the list is about
        self._seen: tuple = ()  # its entities when the list was made
        self._job: ThreadJob | None = None  # the read under way
        self._wanted: int | None = None  # the claim the list should be about
        self._ticket = 0  # counts requests: only the latest one's result is shown
        self._following = True
        self.session: ReviewSession | None = None
        window.claims_panel.selection_changed.connect(self._selected)
        self.panel.item_activated.connect(self.open_item)
        self.panel.back_requested.connect(self.back)

    def attach(self, session: ReviewSession) -> None:
        """A project was opened: forget the last one's claim."""
        self.source = None
        self.session = session
        self._wanted, self._ticket = None, self._ticket + 1  # the last project's read is dropped
        self.panel.show_across(None)
        session.article_opened.connect(self._opened)
        session.spans_changed.connect(self._source_changed)  # its links may have changed
        session.claims_changed.connect(self._source_changed)  # it may have gone
        session.relations_changed.connect(self._source_changed)  # what it states may change

    def _opened(self, _article: Article | None) -> None:
        self._update_away()

    def _selected(self, claim_id: int | None) -> None:
        if not self._following or claim_id is None:
            return  # opening an item, or nothing selected: keep the list
        if self.source is not None and self.source.id == claim_id:
            return
        self.show_for(claim_id)

    def show_for(self, claim_id: int) -> None:
        """Make the list about claim ``claim_id`` (read in the background)."""
        w = self.window
        if w.project is None:
            return
        try:
            claim = w.project.claim(claim_id)
        except AssayError as exc:
            w.statusBar().showMessage(f"Cannot look across the corpus: {exc}", 8000)
            return
        self.source = claim
        self._seen = self._inside(claim) if w.article and w.article.id == claim.article_id \
            else ()
        self.panel.show_busy()
        self._update_away()
        self._wanted, self._ticket = claim_id, self._ticket + 1
        if self._job is None:
            self._start()

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _start(self) -> None:
        w = self.window
        claim_id, ticket = self._wanted, self._ticket
        if w.project is None or claim_id is None:
            return
        path = w.project.path

        def work(project: Project, _progress: object, _cancel: object) -> tuple:
            across = project.claims_across(claim_id)
            related = [r.item for r in project.relations_across(claim_id)]
            claim = project.claim(claim_id)
            passage = project.article_text(claim.article_id)[claim.start:claim.end]
            return across, names_of(project, across), passage, related

        # No parent: a window closed meanwhile must not destroy a running thread; the
        # job keeps itself (``gui.common.workers``) until it ends.
        job = ThreadJob(path, work, None, read_only=True)
        self._job = job
        job.finished.connect(lambda result: self._ended(job, ticket, result, ""))
        job.failed.connect(lambda message: self._ended(job, ticket, None, message))
        job.start()

    def _ended(self, job: ThreadJob, ticket: int, result: tuple | None, failure: str) -> None:
        job.deleteLater()
        if not isValid(self.panel):  # the window was closed while it ran
            return
        self._job = None
        if ticket != self._ticket:  # another claim (or project) was asked for meanwhile
            self._start()
            return
        if result is None:
            self.window.statusBar().showMessage(
                f"Cannot look across the corpus: {failure}", 8000)
            self.panel.show_across(None)
            return
        across, names, passage, related = result
        self.panel.show_across(across, names, passage, related)
        self._update_away()

    def _source_changed(self) -> None:
        """An edit in the open article: if it holds the claim, its links may have changed."""
        w = self.window
        source = self.source
        if source is None or w.article is None or w.article.id != source.article_id:
            return
        if not any(c.id == source.id for c in w.claims_panel.model.all):
            self.source = None  # deleted or dismissed: nothing to be about
            self.panel.show_across(None)
            return
        if self._inside(source) != self._seen:  # only then: most edits are elsewhere
            self.show_for(source.id)

    def _inside(self, claim: Claim) -> tuple:
        """What the list depends on in the claim's own article: its entities (links and
        figures), read from the view, not the file; and the relations it states."""
        spans = self.window.view.spans
        relations = self.session.relations if self.session is not None else []
        return (entities_inside(claim, spans),
                tuple((r.head_id, r.tail_id, r.type)
                      for r in relations_stated(claim, relations, spans)))

    def _update_away(self) -> None:
        w = self.window
        away = self.source is not None and (w.article is None
                                            or w.article.id != self.source.article_id)
        self.panel.set_away(away)

    def open_item(self, item: AcrossItem) -> None:
        """Open the item's article at its claim or sentence; the list stays as it is."""
        w = self.window
        keep_focus = self.panel.list.hasFocus()
        self._following = False
        try:
            w.show_article(item.article_id)
            if w.article is None or w.article.id != item.article_id:
                return
            if item.claim_id is not None:
                self.select_claim(item.claim_id, scroll=True)
            else:
                w.view.select_span(None, scroll=False)
                w.view.set_text_selection(item.start, item.end)
                w.view.centre_on(item.start)
                w.claims_panel.select_id(None)
        finally:
            self._following = True
        self._update_away()
        if keep_focus:  # Enter on one item, arrow to the next, Enter again
            self.panel.list.setFocus()

    def back(self) -> None:
        """Back to the claim the list is about."""
        source = self.source
        if source is None:
            return
        self._following = False
        try:
            self.window.show_article(source.article_id)
            self.select_claim(source.id, scroll=True)
        finally:
            self._following = True
        self._update_away()
