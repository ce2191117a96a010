"""One open project as one reviewer works on it, without Qt.

The session holds what the review window shows (the open article, its spans,
tokens and claims, the reviewer, why the project is read-only) and is the one
way to change it: ``push`` an edit, ``undo``, ``redo``, ``open_article``, and the
few writes that are not edits (``delete_kb_entry``, ``import_scheme``) or that a
background job made (``articles_written``, ``versions_merged``). After each it
re-reads what the store now holds and tells its listeners what changed, the way
napari's ``components/viewer_model.py`` emits per-field events that its ``_qt``
widgets subscribe to. Nobody refreshes a widget by hand; each subscribes to what it
shows (``core.review.events``: bound methods, held weakly):

- ``article_opened(article)``: another article (or none) is open: show its text;
- ``article_ready(article)``: every listener has shown the opened article; a listener
  that edits on opening (adjudication takes the agreed spans) listens here, so that its
  edit reaches panels that already show the article;
- ``spans_changed()``, ``claims_changed()``: the open article's spans, its claims, were
  re-read and differ from what the listeners last heard;
- ``relations_changed()``: the open article's live relations differ (a relation edit, or
  a span edit that took relations along or brought them back: liveness follows the ends);
- ``topics_changed()``: the open article's topics differ (a topic set or removed, an
  approval that accepted suggested ones, an undo);
- ``article_changed(article)``: its status, note or model changed;
- ``articles_changed()``: the project's article rows may have changed (statuses, counts
  in the list): after every edit, an import or a pre-annotation;
- ``focus_moved(focus)``: what an edit, undo or redo touched, to select; emitted after
  the four above, so the panels are refilled before anything is selected in them;
- ``history_moved()``: what Undo and Redo would do changed;
- ``labels_changed()``: the label scheme changed (here or in another process), its
  relation types or topics too;
- ``kb_entries_changed()``: the project's canonical entries changed;
- ``versions_changed()``: reviewers' copies were merged (new versions to compare).

The clock of "seconds spent on the article" lives here too, so that a decision made
from any front end records it the same way. Time on an undecided article is kept in the
file as it accrues (``save_time``: on leaving the article, after each edit, and when a
front end's timer asks), so a killed app loses at most the time since the last save;
the decision records the kept time plus the rest, once.
"""

from __future__ import annotations

import contextlib
import time

from core.errors import AssayError, InvalidEdit
from core.models import Article, ArticleTopic, Claim, Relation, RelationType, Span, Topic
from core.review.edits import Edit, Focus, SetStatus
from core.review.events import Signal
from core.review.history import History, HistoryCleared
from core.store import Project
from core.text.tokens import token_offsets


class ReadOnly(InvalidEdit):
    """An edit refused because the project is open read-only (the reason says why)."""


class ReviewSession:
    """The open project, article and history of one reviewer; listeners are told of changes."""

    def __init__(self, project: Project, reviewer: str, read_only_reason: str | None = None,
                 clock=time.monotonic) -> None:
        self.project = project
        self.reviewer = reviewer
        self.read_only_reason = read_only_reason
        self.history = History(project, reviewer)
        self.article: Article | None = None
        self.spans: list[Span] = []
        self.tokens: list[tuple[int, int]] = []
        self.claims: list[Claim] = []
        self.relations: list[Relation] = []  # the open article's live relations
        self.topics: list[ArticleTopic] = []  # the open article's topics, rejected ones too
        self.claim_id: int | None = None  # the current claim: see point_at_claim
        self._clock = clock
        self._opened_at = clock()
        # The events (see the module's docstring), in the order an edit emits them.
        self.article_opened = Signal()  # (Article | None)
        self.article_ready = Signal()  # (Article | None)
        self.spans_changed = Signal()  # ()
        self.claims_changed = Signal()  # ()
        self.relations_changed = Signal()  # ()
        self.topics_changed = Signal()  # ()
        self.article_changed = Signal()  # (Article)
        self.articles_changed = Signal()  # ()
        self.focus_moved = Signal()  # (Focus)
        self.history_moved = Signal()  # ()
        self.labels_changed = Signal()  # (): the scheme changed (core.review.scheme_edits)
        self.kb_entries_changed = Signal()  # ()
        self.versions_changed = Signal()  # ()
        self._moving: Edit | None = None  # the edit being done, undone or redone
        self.history.changed.connect(self._edited)
        self._scheme = self._read_scheme()  # as the listeners last saw it

    def _read_scheme(self) -> tuple:
        return self.project.labels(), self.project.relation_types(), self.project.topics()

    def relation_types(self) -> list[RelationType]:
        """The scheme's relation types, as the listeners last heard of them."""
        return list(self._scheme[1])

    def topic_scheme(self) -> list[Topic]:
        """The project's topics, as the listeners last heard of them."""
        return list(self._scheme[2])

    def check_scheme(self) -> None:
        """Tell the listeners when the scheme is no longer what they last saw: another
        process (``assay-cli labels rename``, a second window) changed it. Checked when an
        article opens, after every edit and on a refusal, so the label keys a reviewer
        presses are the file's names, not the ones read when the window opened. A file
        that cannot be read now is said so by the next edit or read, not by this check."""
        try:
            scheme = self._read_scheme()
        except AssayError:
            return
        if scheme != self._scheme:
            self._scheme = scheme
            self.labels_changed.emit()

    # ------------------------------------------------------------------ reading

    def open_article(self, article_id: int | None) -> None:
        """Open an article (None: no article); raises AssayError and stays put if it cannot
        be read (a damaged page, a vanished row)."""
        if article_id is None:
            self.save_time()
            self.article, self.spans, self.tokens, self.claims = None, [], [], []
            self.relations, self.topics = [], []
            self.claim_id = None
            self.article_opened.emit(None)
            self.article_ready.emit(None)
            return
        project = self.project
        article = project.article(article_id)
        self.save_time()  # the time spent on the article being left
        tokens = project.tokens(article_id)
        if tokens is None:
            tokens = token_offsets(article.text)
            if self.read_only_reason is None and not project.read_only:
                with contextlib.suppress(AssayError):  # a cache: a full disk costs nothing
                    project.set_tokens(article_id, tokens)
        spans = project.spans(article_id)
        claims = project.claims(article_id)
        self.article, self.tokens, self.spans, self.claims = article, tokens, spans, claims
        self.relations = project.relations(article_id, include_dead=False)
        self.topics = project.article_topics(article_id)
        self.claim_id = None
        self._opened_at = self._clock()
        self.check_scheme()
        self.article_opened.emit(article)
        self.article_ready.emit(article)

    def reload(self, focus: Focus | None = None) -> None:
        """Re-read the open article's rows and tell the listeners what differs (after any
        write), then where the focus goes."""
        if self.article is None:
            return
        article_id = self.article.id
        was = self.article, self.spans, self.claims, self.relations, self.topics
        self.article = self.project.article(article_id)
        self.spans = self.project.spans(article_id)
        self.claims = self.project.claims(article_id)
        self.relations = self.project.relations(article_id, include_dead=False)
        self.topics = self.project.article_topics(article_id)
        if self.current_claim() is None:
            self.claim_id = None  # it went (an undone mark, a deleted claim)
        if self.spans != was[1]:
            self.spans_changed.emit()
        if self.claims != was[2]:
            self.claims_changed.emit()
        if self.relations != was[3]:
            self.relations_changed.emit()
        if self.topics != was[4]:
            self.topics_changed.emit()
        if self.article != was[0]:
            self.article_changed.emit(self.article)
        self.articles_changed.emit()
        self.focus_moved.emit(focus or Focus(article_id))

    def span(self, span_id: int | None) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)

    def relation(self, relation_id: int | None) -> Relation | None:
        """One of the open article's live relations."""
        return next((r for r in self.relations if r.id == relation_id), None)

    # ------------------------------------------------------------------ the current claim
    # One claim is current: the one the reviewer last moved to (], [, a click on a claim, a
    # new claim) or whose entity they last selected. Verdicts, Dismiss and the claim fields
    # act on it, whatever else is still selected: a reviewer who selected an entity in
    # claim A and pressed ] to see claim B means B.

    def current_claim(self) -> Claim | None:
        return next((c for c in self.claims if c.id == self.claim_id), None)

    def point_at_claim(self, claim_id: int | None) -> Claim | None:
        """The reviewer moved to this claim (None: to no claim); returns it."""
        self.claim_id = claim_id if any(c.id == claim_id for c in self.claims) else None
        return self.current_claim()

    def point_at_entity(self, span: Span | None) -> Claim | None:
        """The reviewer selected an entity: the claim holding it, if any, becomes current
        (one outside every claim leaves the current claim as it was); returns the current."""
        if span is not None:
            holder = self.claim_holding(span)
            if holder is not None:
                self.claim_id = holder.id
        return self.current_claim()

    def claim_holding(self, span: Span) -> Claim | None:
        """The claim whose passage holds the entity's first character (claims never overlap)."""
        return next((c for c in self.claims if c.start <= span.start < c.end), None)

    def step_claim(self, step: int) -> Claim | None:
        """] / [: make the next (+1) or previous (-1) claim in the text current, wrapping
        round; from no current claim, the first or the last. None: the article has none."""
        ordered = sorted(self.claims, key=lambda c: (c.start, c.end, c.id))
        if not ordered:
            return None
        ids = [c.id for c in ordered]
        if self.claim_id in ids:
            i = (ids.index(self.claim_id) + step) % len(ids)
        else:
            i = 0 if step > 0 else len(ids) - 1
        return self.point_at_claim(ids[i])

    # ------------------------------------------------------------------ time spent

    @property
    def seconds_open(self) -> float:
        """Seconds on the open article not yet kept in the file."""
        return round(self._clock() - self._opened_at, 1)

    def save_time(self) -> None:
        """Keep the time spent on the open undecided article in the file (a decided one
        keeps its decision's time). Never raises: a full disk costs the time, not the
        reviewer's work, and a read-only session keeps nothing."""
        if (self.article is None or self.read_only_reason is not None
                or self.project.read_only):
            return
        seconds = self.seconds_open
        if seconds < 1:  # a glance on the way through (Up, Up, Up) writes nothing
            return
        with contextlib.suppress(AssayError):
            if self.project.add_review_time(self.article.id, seconds) is not None:
                self._opened_at += seconds  # kept: counted from here on

    def decision_seconds(self) -> float:
        """The time a decision on the open article records: all the time kept for it (this
        session's and earlier ones', a killed app's too) plus the time not yet kept."""
        if self.article is None:
            return 0.0
        self.save_time()
        kept = self.project.review_time(self.article.id)
        return kept if kept is not None else self.seconds_open

    def close(self) -> None:
        """Keep the time spent, then close the project (the window is closing or opening
        another project)."""
        self.save_time()
        self.project.close()

    # ------------------------------------------------------------------ changing

    def refusal(self, what: str) -> str | None:
        """Why ``what`` cannot be done in this session, or None when it can."""
        if self.read_only_reason is None:
            return None
        return f"Read-only, nothing was changed: cannot {what} because {self.read_only_reason}."

    def push(self, edit: Edit) -> Edit:
        """Apply ``edit`` through the history. Raises ``ReadOnly``, ``InvalidEdit`` (refused)
        or ``ProjectError`` (the file failed); then nothing changed and the history did not
        move."""
        refused = self.refusal(edit.title)
        if refused:
            raise ReadOnly(refused)
        self._moving = edit
        try:
            return self.history.do(edit)
        except InvalidEdit:
            self.check_scheme()  # "Unknown label": the keys may name a label renamed elsewhere
            raise
        finally:
            self._moving = None

    def decide(self, status: str) -> Edit:
        """Approve, reject or skip the open article with the seconds spent on it."""
        if self.article is None:
            raise InvalidEdit("No article is open.")
        return self.push(SetStatus(self.article.id, status, self.decision_seconds()))

    def undo(self) -> Focus | None:
        """Undo the last edit (None: nothing to undo); raises and stays put on failure."""
        refused = self.refusal("undo or redo")
        if refused:
            raise ReadOnly(refused)
        self._moving = self.history.done[-1] if self.history.done else None
        try:
            return self.history.undo()
        finally:
            self._moving = None

    def step(self, undo: bool) -> str | None:
        """Undo (or redo) for a reviewer's key: None when it was done, else the sentence that
        says why not (nothing to do; refused, the history cleared; the file not written)."""
        history = self.history
        title = history.undo_title if undo else history.redo_title
        if title is None:
            return "Nothing to undo." if undo else "Nothing to redo."
        step = "undo" if undo else "redo"
        try:
            self.undo() if undo else self.redo()
        except HistoryCleared as exc:  # e.g. another process renamed what it set
            return (f"Cannot {step} {title}: {exc} The undo history is cleared, so nothing "
                    "is undone over that change.")
        except AssayError as exc:  # the file could not be written: the same key tries again
            return f"Cannot {step} {title}: {exc}"
        return None

    def redo(self) -> Focus | None:
        refused = self.refusal("undo or redo")
        if refused:
            raise ReadOnly(refused)
        self._moving = self.history.undone[-1] if self.history.undone else None
        try:
            return self.history.redo()
        finally:
            self._moving = None

    # "Most uncertain first" (Review menu): the next pending article is the one
    # pre-annotation was least sure about, not the next by id.
    uncertain_first: bool = False

    def next_pending(self) -> int | None:
        """The next pending article after the open one (wrapping round to the first), or
        the most uncertain pending one when ``uncertain_first``."""
        after = self.article.id if self.article is not None else 0
        if self.uncertain_first:
            return self.project.most_uncertain_pending(besides=after)
        return self.project.next_article_id(after, status="pending")

    # ------------------------------------------------------------------ writes that are not edits

    def delete_kb_entry(self, kb_id: str, label: str) -> None:
        """Delete one of the project's canonical entries (links made with it stay)."""
        refused = self.refusal("change canonical entries")
        if refused:
            raise ReadOnly(refused)
        self.project.delete_kb_entry(kb_id, label, self.reviewer)
        self.kb_entries_changed.emit()

    def import_scheme(self, path: str) -> tuple[int, int]:
        """Take a shared label scheme (one import, not undoable label by label); returns
        the labels added and updated."""
        refused = self.refusal("import a label scheme")
        if refused:
            raise ReadOnly(refused)
        counts = self.project.import_scheme(path, self.reviewer)
        self.check_scheme()
        return counts

    def articles_written(self, *, reopen: bool = False) -> None:
        """A background job (an import, a pre-annotation, a failed one too) wrote articles
        outside the session: the article list is read again, and with ``reopen`` the open
        article too (pre-annotation replaced its suggestions). Raises AssayError, and
        stays put, if the open article cannot be read again."""
        self.check_scheme()  # an import may have brought labels (Assay JSONL's scheme)
        self.articles_changed.emit()
        if reopen and self.article is not None:
            self.open_article(self.article.id)

    def versions_merged(self) -> None:
        """Reviewers' copies were merged into the file: their versions are new."""
        self.versions_changed.emit()

    def _edited(self, focus: Focus) -> None:
        """After an edit, undo or redo: show its article and what it touched."""
        if focus.article_id is None:  # a scheme edit: the open article's spans may change
            self._scheme = self._read_scheme()
            self.labels_changed.emit()
            if self.article is not None:
                self.reload(Focus(self.article.id))
        else:
            if self.article is None or self.article.id != focus.article_id:
                self.open_article(focus.article_id)
            self.reload(focus)
            self.check_scheme()
            self.save_time()  # each edit keeps the time spent so far
        if getattr(self._moving, "kb_entries", False):
            self.kb_entries_changed.emit()
        self.history_moved.emit()
