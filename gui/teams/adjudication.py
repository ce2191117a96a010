"""Adjudication in the window: Review → Adjudicate shows each reviewer's version of the
open article as a lane under the text, and settles their differences into the curated
version with one key.

The curated version is the article's own spans, shown and edited as always: every
label key, Delete, Enter and edge move works on it. This controller adds what
adjudicating needs (INCEpTION's curation, in one window):

- on opening an article, the spans every reviewer agrees on are taken by the one settle
  rule (``core.teams.adjudicate.settle``, which ``assay-cli adjudicate auto`` follows):
  only into an article nothing was decided in yet (one edit, on the undo history); where
  the curator decided, "Take agreed spans" asks before it replaces their decisions;
- Space / Shift+Space go to the next / previous region where reviewers differ;
- Ctrl+Alt+digit takes that reviewer's spans in the region at the cursor, Ctrl+Shift+digit
  their whole version (``core.teams.adjudicate.take_version``: a rejected version rejects
  the article);
- A approves the curated version and opens the next article to adjudicate.

The rules are Qt-free in ``core.teams.adjudicate``; this only reads the versions, draws
them (``gui.teams.lane_paint``, ``gui.teams.adjudication_panel``) and pushes edits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QMessageBox

from core.errors import AssayError
from core.models import Article, Version
from core.review.edits import Edit
from core.review.session import ReviewSession
from core.teams.adjudicate import (
    DECIDED,
    SETTLED,
    TAKE,
    Comparison,
    Settlement,
    TakeRegion,
    compare,
    last_change,
    settle,
    settle_edits,
    take_region,
    take_region_relations,
)
from core.teams.adjudicate import take_version as take_version_edits
from core.teams.topic_curation import curated_topics, take_topic, topic_differences
from core.teams.worklist import next_to_adjudicate, worklist
from gui.common.plain_text import message_box
from gui.common.workers import ThreadJob
from gui.review_host import ReviewHost
from gui.teams.adjudication_panel import AdjudicationPanel

LANES_WITH_KEYS = 9


class Adjudication:
    """The adjudication mode of one window: its actions, its tab and the lanes."""

    def __init__(self, window: ReviewHost) -> None:
        self.window = window
        self.session: ReviewSession | None = None
        self.panel = AdjudicationPanel()
        self.comparison: Comparison | None = None
        self.versions: list[Version] = []
        # Articles whose agreed spans were taken (or found taken) in this session: an undo
        # of that take must stick, not be redone by reopening the article.
        self.settled: set[int] = set()
        self.panel.region_clicked.connect(self.go_to_region)
        self.panel.take_reviewer.connect(self.take_reviewer)
        self.panel.take_agreed.connect(self.take_agreed)
        self.panel.topics.take_topic.connect(self.take_topic)
        self.prompt: QMessageBox | None = None  # the open question (for tests, and closing)
        self.panel.article_chosen.connect(lambda article_id: window.show_article(article_id))
        # The row of "Where they differ" follows wherever the reviewer is: the cursor, and
        # the selected entity (a click or Tab selects one without moving the cursor first),
        # so a take acts on the difference the list shows.
        window.view.cursorPositionChanged.connect(self._follow_cursor)
        window.view.span_selected.connect(lambda _span_id: self._follow_cursor())
        self.panel.region_browsed.connect(lambda index: self.go_to_region(index, focus=False))
        a = window.action
        self.act_mode = a("A&djudicate reviewers' versions", "Ctrl+Shift+A", self.toggle,
                          checkable=True, help=(
                              "Adjudication", "Show every reviewer's version as a lane under "
                              "the text, and the articles where they differ"))
        # Ctrl+Alt is AltGr on Windows: these keys act in the text view only, never while
        # the note or a search field has focus (AltGr+7 types "{" there on a German layout).
        takes = [a(f"Take reviewer {i}'s spans here", f"Ctrl+Alt+{i}",
                   lambda _=False, lane=i - 1: self.take_here(lane),
                   help=("Adjudication", "Take reviewer 1's spans where the cursor is "
                         "(Ctrl+Alt+2, Ctrl+Alt+3… for the others)") if i == 1 else None)
                 for i in range(1, LANES_WITH_KEYS + 1)]
        wholes = [a(f"Take reviewer {i}'s whole version", f"Ctrl+Shift+{i}",
                    lambda _=False, lane=i - 1: self.take_version(lane),
                    help=("Adjudication", "Take reviewer 1's whole version (Ctrl+Shift+2… "
                          "for the others)") if i == 1 else None)
                  for i in range(1, LANES_WITH_KEYS + 1)]
        self.key_actions: list[QAction] = takes + wholes
        for action in takes:  # in the text, and in the list of differences it follows
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            window.view.addAction(action)
            self.panel.regions.addAction(action)
        self.actions = [self.act_mode]

    @property
    def active(self) -> bool:
        return self.act_mode.isChecked()

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session (a project was opened); the worklist is read again."""
        self.session = session
        self.settled = set()
        # On article_ready, not article_opened: taking the agreed spans is an edit, and its
        # events must reach panels that already show the article.
        session.article_ready.connect(self._opened)
        session.spans_changed.connect(self._changed)
        session.article_changed.connect(self._status_changed)
        session.versions_changed.connect(self.versions_changed)
        session.topics_changed.connect(self._topics_changed)
        if self.active:
            self._load_worklist()

    # ------------------------------------------------------------------ the mode

    def toggle(self) -> None:
        """Review → Adjudicate: the tab, the lanes and the worklist come and go together."""
        tabs = self.window.side_tabs
        if self.active:
            if tabs.indexOf(self.panel) < 0:
                tabs.addTab(self.panel, "Adjudicate")
            tabs.setCurrentWidget(self.panel)
            self._say("Adjudicating: Space goes to the next difference, Ctrl+Alt+1…9 takes a "
                      "reviewer's spans there, Ctrl+Shift+1…9 their whole version.")
            self._load_worklist()
            self._opened(self.window.article)
        else:
            if tabs.indexOf(self.panel) >= 0:
                tabs.removeTab(tabs.indexOf(self.panel))
            self.comparison = None
            self.window.view.set_comparison(None)

    def _load_worklist(self) -> None:
        """The articles whose versions differ, worst first: read in the background (every
        version of a 10,000-article project), then listed."""
        project = self.window.project
        if project is None:
            return
        if self.window.jobs.job is not None:  # one background job at a time
            self.panel.set_articles([], "Not listed yet: a background job was running.")
            self._say("The articles to adjudicate are listed when the running job ends: "
                      "switch Review → Adjudicate off and on again then.")
            return

        def listed(rows: list[tuple[int, float, str, str]]) -> None:
            self.panel.set_articles(rows)

        def work(p, _progress, _cancelled):
            return [(item.article_id, item.f1, item.shown, item.status)
                    for item in worklist(p)]

        job = ThreadJob(project.path, work, self.window.window(), read_only=True)
        self.window.jobs.run_job(job, "Finding the articles reviewers differ on…", listed,
                                 "Cannot list the articles to adjudicate")

    def versions_changed(self) -> None:
        """After a merge: the open article's lanes and the worklist are read again."""
        if self.active:
            self._opened(self.window.article)
            self._load_worklist()

    # ------------------------------------------------------------------ the open article

    def _opened(self, article: Article | None) -> None:
        """Another article is open: read its versions, take the agreed spans if nobody has
        decided anything in it yet, and draw the lanes."""
        view = self.window.view
        session = self.session
        if not self.active or article is None or session is None:
            self.comparison, self.versions = None, []
            view.set_comparison(None)
            self.panel.show_comparison(None, [], [], "")
            self.panel.topics.show_differences([], (), frozenset())
            return
        self.versions = session.project.versions([article.id])
        approved = [v for v in self.versions if v.status == "approved"]
        self.comparison = compare(approved) if approved else None
        first_open = article.id not in self.settled
        self.settled.add(article.id)  # before the push: its own signals must not re-enter
        if first_open and session.refusal("take the agreed spans") is None:
            settlement = settle(article.id, article.status, session.spans, self.versions,
                                curated_relations=self._relations(article.id),
                                curated_topics=session.topics)
            if settlement.outcome == TAKE:
                self._push(settle_edits(settlement, approve=False))
            elif settlement.outcome == DECIDED:
                self._say("You already decided in this article: the spans all reviewers "
                          "agree on were not taken (Take agreed spans asks first).")
        view.set_comparison(self.comparison)
        self._show()
        if self.comparison is not None and self.comparison.regions:
            self.go_to_region(0)  # start on the first place the reviewers differ

    def _topics_changed(self) -> None:
        """A topic set, removed or taken: the "Now" column of the topic differences."""
        if self.active and self.session is not None:
            self.panel.topics.show_curated(curated_topics(self.session.topics))

    def take_topic(self, topic: str, reviewer: str) -> None:
        """A digit in the topic list (or a double-click on a reviewer's cell): that
        reviewer's decision on the topic becomes the curated one (``take_topic``, the
        edit ``assay-cli adjudicate topic`` takes)."""
        session = self.session
        if session is None or session.article is None:
            return
        try:
            edit = take_topic(self.versions, session.article.id, topic, reviewer)
        except AssayError as exc:
            self._say(str(exc))
            return
        self._push([edit])

    def _status_changed(self, _article: Article) -> None:
        self._changed()

    def _changed(self) -> None:
        """An edit: only the curated column and the summary change (the versions did not)."""
        session = self.session
        if self.active and self.comparison is not None and session is not None:
            self.panel.show_curated(self.comparison, session.spans,
                                    last_change(session.project, session.article.id)
                                    if session.article is not None else None)
            self._follow_cursor()
            article = self.window.article
            if article is not None:
                self.panel.set_status(article.id, article.status)

    def _show(self) -> None:
        session = self.session
        assert session is not None and session.article is not None
        colors = {lb.name: lb.color for lb in session.project.labels()}
        lanes = self.comparison.reviewers if self.comparison else ()
        self.panel.topics.show_differences(  # first: the summary counts them
            topic_differences(self.versions, [t.name for t in session.topic_scheme()]),
            lanes, curated_topics(session.topics))
        self.panel.show_comparison(self.comparison, self.versions, session.spans,
                                   session.article.text,
                                   last_change(session.project, session.article.id),
                                   lambda label: QColor(colors.get(label, "#9a9a9a")))
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        if self.comparison is None or not self.active:
            return
        view = self.window.view
        span = view.selected_span()
        here = (span.start, span.end) if span else (view.offset_map.to_py(
            view.textCursor().position()), None)
        self.panel.set_current_region(self.comparison.region_index(*here))

    def go_to_region(self, index: int, focus: bool = True) -> None:
        """A click on a row of "Where they differ": put the cursor there (an arrow key in
        the list moves the text along and leaves the focus in the list)."""
        if self.comparison is None or not 0 <= index < len(self.comparison.regions):
            return
        region = self.comparison.regions[index]
        view = self.window.view
        view.jumps.land_on_region(region)
        if focus:
            view.setFocus()

    # ------------------------------------------------------------------ taking

    def _lane(self, lane: int) -> str | None:
        """The reviewer of a lane, or None (the status bar says why)."""
        comparison = self.comparison
        if not self.active:
            self._say("Review → Adjudicate (Ctrl+Shift+A) first: then Ctrl+Alt+digit takes a "
                      "reviewer's spans.")
            return None
        if comparison is None or lane >= len(comparison.reviewers):
            self._say(f"This article has no reviewer {lane + 1}.")
            return None
        return comparison.reviewers[lane]

    def take_here(self, lane: int) -> None:
        """Ctrl+Alt+digit: that reviewer's spans in the region at the cursor (or the selected
        entity) become the curated ones there."""
        reviewer = self._lane(lane)
        session = self.session
        if reviewer is None or session is None or session.article is None:
            return
        assert self.comparison is not None
        view = self.window.view
        span = view.selected_span()
        selection = view.text_selection()
        here: tuple[int, int | None]
        if span is not None:
            here = (span.start, span.end)
        elif selection is not None:
            here = selection
        else:
            here = (view.offset_map.to_py(view.textCursor().position()), None)
        region = self.comparison.region_at(*here)
        if region is None:
            self._say("The reviewers agree here: Space goes to the next place they differ.")
            return
        spans = take_region(session.spans, self.comparison, region, reviewer)
        # Where relations differ, the reviewer's relations there are taken too.
        relations = take_region_relations(
            spans, session.spans, session.project.relations(session.article.id), region,
            reviewer) if region.relations else None
        self.window.push(TakeRegion(session.article.id, spans, f"take {reviewer}'s spans",
                                    region, reviewer, relations))
        if view.selected_span() is None:
            view.scroll_to(region.start)

    def take_version(self, lane: int) -> None:
        """Ctrl+Shift+digit: that reviewer's whole version becomes the curated one."""
        reviewer = self._lane(lane)
        if reviewer is not None:
            self.take_reviewer(reviewer)

    def take_reviewer(self, reviewer: str) -> None:
        """Take a reviewer's decision (``core.teams.adjudicate.take_version``): an approved
        version's spans become the curated ones; a rejected version rejects the article."""
        session = self.session
        if session is None or session.article is None:
            return
        version = next((v for v in self.versions if v.reviewer == reviewer), None)
        if version is None:
            return
        try:
            edits = take_version_edits(version, approve=False)
        except AssayError as exc:
            self._say(str(exc))
            return
        self._push(edits)

    def take_agreed(self) -> None:
        """The "Take agreed spans" button: the settle rule, asked for by the adjudicator;
        where the curator already decided, they are asked before their decisions go."""
        session = self.session
        article = self.window.article
        if session is None or article is None or session.refusal(
                "take the agreed spans") is not None:
            return
        relations = self._relations(article.id)
        settlement = settle(article.id, article.status, session.spans, self.versions,
                            curated_relations=relations, curated_topics=session.topics)
        if settlement.outcome == DECIDED:
            if not self._ask_replace(settlement):
                return
            settlement = settle(article.id, article.status, session.spans, self.versions,
                                replace=True, curated_relations=relations,
                                curated_topics=session.topics)
        if settlement.outcome == TAKE:
            self._push(settle_edits(settlement, approve=False))
        elif settlement.outcome == SETTLED:
            self._say("The curated spans already are the ones all reviewers agree on.")
        else:
            self._say("Fewer than two reviewers approved this article: nothing is agreed.")

    def _ask_replace(self, settlement: Settlement) -> bool:
        """Whether the adjudicator wants their decisions replaced by the agreed spans."""
        box = message_box(
            QMessageBox.Icon.Warning, "Replace your decisions?",
            f"You made {settlement.decisions} decision(s) in this article. Replace them "
            f"with the {len(settlement.spans)} span(s) all reviewers agree on?",
            self.window.window(), "Undo (Ctrl+Z) brings your decisions back.")
        replace = box.addButton("Replace my decisions", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep them", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        self.prompt = box
        box.exec()
        self.prompt = None
        return box.clickedButton() is replace

    def _relations(self, article_id: int) -> list:
        """The curated relations that count (what the settle rule compares)."""
        session = self.session
        return session.project.relations(article_id, include_dead=False) if session else []

    def _push(self, edits: list[Edit]) -> None:
        """Push edits in order; stop at the first the window refuses (it says why)."""
        for edit in edits:
            if not self.window.push(edit):
                return

    def next_article(self) -> int | None:
        """After approving while adjudicating: the next pending article of the worklist."""
        session = self.session
        if not self.active or session is None:
            return None
        current = session.article.id if session.article else None
        return next_to_adjudicate(session.project, self.panel.article_ids(), current)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 5000)
