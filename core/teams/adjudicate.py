"""Adjudication: settling the reviewers' differences into the *curated* version.

The curated version is the project's own spans (what exports write), so a team project
exports the adjudicated data and a single-reviewer project works exactly as before. As
INCEpTION's curation merges: the spans every reviewer agrees on are taken at once; the
adjudicator then takes a whole version, or single spans, or edits as usual. Relations go
with their spans (``core.teams.relation_curation``): the relations every reviewer has
between agreed spans are taken with them, taking a version takes its relations, taking a
region takes the reviewer's relations there, and the regions show where relations differ
too. Topics go with the article (``core.teams.topic_curation``): the agreed spans come
with the topics every reviewer set, a version with its topics, and a topic they differ
on is settled by taking one reviewer's decision on it. Every step is an edit on the same
undo history (``AdoptSpans`` replaces an article's
spans and relations in one transaction and puts the old ones back on undo), and the audit
log says who adjudicated.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from core.errors import InvalidEdit
from core.models import ArticleTopic, Relation, RelationIn, Span, SpanIn, Version
from core.review.edits import Edit, Focus, SetStatus
from core.store import Project
from core.teams.agreement import Span3, accepted, f1_exact, f1_from
from core.teams.relation_curation import VersionRelation, accepted_relations, kept_onto, onto
from core.teams.topic_curation import (
    AdoptTopics,
    agreed_topics,
    counted_topics,
    disputed_topics,
    needs_adopting,
)
from core.text.normalise import one_line

# Agreement needs two: an article is compared, listed and settled once this many
# reviewers approved it in their copies.
MIN_AGREEING = 2


def by_article(project: Project) -> dict[int, list[Version]]:
    """Each article's approved versions (articles two or more reviewers approved), as
    agreement counts them: a reviewer who rejected or skipped the article marked nothing
    to compare."""
    out: dict[int, list[Version]] = {}
    for version in project.versions():
        if version.status == "approved":
            out.setdefault(version.article_id, []).append(version)
    return {a: vs for a, vs in out.items() if len(vs) >= MIN_AGREEING}


def disagreement(versions: list[Version]) -> float:
    """Mean pairwise F1 of an article's versions over their spans, relations and topics
    together (1.0: they all agree on all three)."""
    scores = []
    for va, vb in combinations(versions, 2):
        ra, rb = accepted_relations(va), accepted_relations(vb)
        ta, tb = counted_topics(va), counted_topics(vb)
        m, na, nb = f1_exact(set(accepted(va)), set(accepted(vb)))
        f1 = f1_from(m + len(ra & rb) + len(ta & tb), na + len(ra) + len(ta),
                     nb + len(rb) + len(tb))
        scores.append(1.0 if f1 is None else f1)
    return sum(scores) / len(scores)


def to_adjudicate(project: Project) -> list[tuple[int, float]]:
    """Articles whose versions differ, worst first: (article id, mean pairwise F1)."""
    rows = [(a, disagreement(vs)) for a, vs in by_article(project).items()]
    return sorted((r for r in rows if r[1] < 1.0), key=lambda r: (r[1], r[0]))


def agreed(versions: list[Version]) -> list[SpanIn]:
    """The accepted spans every version has, exactly."""
    common = set.intersection(*(set(accepted(v)) for v in versions))
    return [SpanIn(s, e, label, origin="reviewer", state="accepted")
            for s, e, label in sorted(common)]


def agreed_relations(versions: list[Version], spans: Sequence[SpanIn]) -> list[RelationIn]:
    """The accepted relations every version has, between ``spans`` (the agreed ones)."""
    return onto(spans, set.intersection(*(accepted_relations(v) for v in versions)))


def version_spans(version: Version) -> list[SpanIn]:
    """A version's accepted spans, as the curated version takes them."""
    return [SpanIn(s.start, s.end, s.label, origin="reviewer", state="accepted",
                   kb_id=s.kb_id) for s in version.spans if s.state == "accepted"]


class AdoptSpans(Edit):
    """Make given spans the article's curated spans, and with ``relations`` (ends by
    position in ``spans``) its relations; without, the relations of the spans it removes
    go with them; with ``topics`` its topics too, in the same step of the undo history.
    Undo puts back the spans, relations and topics it had, under their ids."""

    def __init__(self, article_id: int, spans: list[SpanIn], title: str,
                 relations: Sequence[RelationIn] | None = None,
                 topics: AdoptTopics | None = None) -> None:
        self.article_id, self.spans, self.title = article_id, list(spans), title
        self.relations = list(relations) if relations is not None else None
        self.topics = topics
        self.before: list[Span] = []
        self.relations_before: list[Relation] = []
        self.ids: list[int] | None = None  # the ids the spans got: a redo reuses them
        self.relation_ids: list[int | None] | None = None  # and the relations'
        self.made: dict[int, tuple] = {}  # core.store.spans.Spans.suggestions_made, before

    def _do(self, project: Project, reviewer: str) -> None:
        self.made = project.suggestions_made(self.article_id)
        self.relations_before = project.relations(self.article_id)
        self.before, self.ids = project.replace_spans(
            self.article_id, self.spans, reviewer, ids=self.ids, relations=self.relations,
            relation_ids=self.relation_ids)
        if self.relations is not None:
            stored = {(r.head_id, r.tail_id, r.type, r.state, r.origin): r.id
                      for r in project.relations(self.article_id)}
            self.relation_ids = [stored.get((self.ids[r.head], self.ids[r.tail], r.type,
                                             r.state, r.origin)) for r in self.relations]
        if self.topics is not None:
            self.topics.apply(project, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        # Back to what it was, every span under its old id (older edits refer to them), a
        # pre-annotator's with what it suggested (the statistics judge it by that).
        def back(s: Span) -> SpanIn:
            _origin, model, *suggested = self.made.get(s.id, (None, None, None, None, None))
            return SpanIn(s.start, s.end, s.label, s.origin, s.state, s.kb_id, model,
                          tuple(suggested) if suggested[2] is not None else None)

        if self.topics is not None:
            self.topics.revert(project, reviewer)
        project.replace_spans(self.article_id, [back(s) for s in self.before], reviewer,
                              ids=[s.id for s in self.before],
                              relations=self.relations_before)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id)


# ---------------------------------------------------------------- the settle rule

# Why ``settle`` takes an article's agreed spans or leaves them (the CLI counts these).
TAKE, SETTLED, DECIDED, TOO_FEW = "take", "settled", "decided", "too few"


@dataclass(frozen=True)
class Settlement:
    """What settling one article with its reviewers' agreed spans does, and why: the ONE
    rule ``assay-cli adjudicate auto`` and the window (on opening an article) follow.

    - ``take``: nothing is decided in the article yet (it is pending and every curated
      span is still a pre-annotator's suggestion: the version the copies started from),
      or the caller explicitly replaces the curator's decisions;
    - ``settled``: the curated spans already are exactly the agreed ones (taken before);
    - ``decided``: the curator decided something (a status, or a span accepted, rejected,
      relabelled, moved or added): it is never replaced without ``replace``;
    - ``too few``: fewer than two reviewers approved the article, nothing is agreed.
    """

    article_id: int
    outcome: str
    spans: tuple[SpanIn, ...]  # the agreed spans (what a take writes)
    agree_entirely: bool  # every reviewer marked exactly the same spans and relations
    decisions: int  # the curator's decisions a take replaces (spans, and a status)
    status: str  # the article's status now
    relations: tuple[RelationIn, ...] = ()  # the agreed relations, ends in ``spans``
    topics: tuple[str, ...] = ()  # the topics every reviewer set (a take accepts them)
    open_topics: tuple[str, ...] = ()  # the topics they differ on (a take leaves them)
    adopt_topics: bool = False  # the curated topics are not yet the agreed ones

    @property
    def writes(self) -> bool:
        """Whether settling changes the curated spans."""
        return self.outcome == TAKE

    def status_after(self) -> str | None:
        """The status a batch settle gives the article (None: it keeps its own). Taken
        spans every reviewer agrees on entirely are approved; a replaced decision goes
        back to pending (nobody approved the spans it holds now); an article settled
        before is approved when the reviewers agree entirely and it is still pending."""
        if self.outcome == SETTLED:
            return "approved" if self.agree_entirely and self.status == "pending" else None
        if self.outcome != TAKE:
            return None
        wanted = "approved" if self.agree_entirely else "pending"
        return wanted if wanted != self.status else None


def curator_decisions(status: str, curated: Sequence[Span],
                      relations: Sequence[Relation] = (),
                      topics: Sequence[ArticleTopic] = ()) -> int:
    """How many decisions the curator made in an article: each span, relation and topic
    that is no longer a pre-annotator's untouched suggestion (accepted, rejected,
    relabelled, moved, added), and its status when it is not pending."""
    spans = sum(1 for s in curated if s.state != "suggested" or s.origin == "reviewer")
    decided = sum(1 for r in relations if r.state != "suggested" or r.origin == "reviewer")
    about = sum(1 for t in topics if t.state != "suggested")
    return spans + decided + about + (status != "pending")


def _place(span: SpanIn) -> Span3:
    return span.start, span.end, span.label


def settle(article_id: int, status: str, curated: Sequence[Span],
           versions: Sequence[Version], replace: bool = False,
           curated_relations: Sequence[Relation] = (),
           curated_topics: Sequence[ArticleTopic] = ()) -> Settlement:
    """The settle rule (see ``Settlement``): ``versions`` are the article's versions (only
    approved ones count), ``curated`` its own spans and ``curated_relations`` its
    relations, ``replace`` the explicit wish to replace the curator's decisions
    (``--replace``; the window asks first). The curated version is settled when its spans
    and its accepted relations are the agreed ones, and its topics (``curated_topics``, its
    rows) hold the agreed ones and nothing nobody set."""
    approved = [v for v in versions if v.status == "approved"]
    enough = len(approved) >= MIN_AGREEING
    spans = tuple(agreed(approved)) if enough else ()
    relations = tuple(agreed_relations(approved, spans)) if enough else ()
    whole = enough and disagreement(approved) == 1.0
    decisions = curator_decisions(status, curated, curated_relations, curated_topics)
    on = tuple(sorted(agreed_topics(approved))) if enough else ()
    open_ = tuple(sorted(disputed_topics(approved))) if enough else ()
    adopt = enough and needs_adopting(curated_topics, on, open_)

    def result(outcome: str) -> Settlement:
        return Settlement(article_id, outcome, spans, whole, decisions, status, relations,
                          on, open_, adopt)

    if not enough:
        return result(TOO_FEW)
    wanted = {(s.start, s.end, s.label) for s in spans}
    by_id = {s.id: (s.start, s.end, s.label) for s in curated}
    has = {(by_id.get(r.head_id), r.type, by_id.get(r.tail_id)) for r in curated_relations
           if r.state == "accepted"}
    if (status in ("pending", "approved") and all(s.state == "accepted" for s in curated)
            and {(s.start, s.end, s.label) for s in curated} == wanted
            and len(curated) == len(wanted)
            and has == {(_place(spans[r.head]), r.type, _place(spans[r.tail]))
                        for r in relations} and not adopt):
        return result(SETTLED)
    if decisions == 0 or replace:
        return result(TAKE)
    return result(DECIDED)


def settle_all(project: Project, replace: bool = False) -> list[Settlement]:
    """The settle rule for every article two or more reviewers approved, by article id."""
    out = []
    for article_id, versions in sorted(by_article(project).items()):
        article = project.article(article_id)
        out.append(settle(article_id, article.status, project.spans(article_id), versions,
                          replace, project.relations(article_id, include_dead=False),
                          project.article_topics(article_id)))
    return out


def settle_edits(settlement: Settlement, approve: bool) -> list[Edit]:
    """The edits that carry out a settlement: the agreed spans (when it takes them), and
    with ``approve`` (the CLI's batch) the status ``Settlement.status_after`` says. The
    window leaves approving to the adjudicator's A, and a replaced decision pending."""
    edits: list[Edit] = []
    if settlement.writes:
        topics = AdoptTopics(settlement.article_id, settlement.topics,
                             "take the topics all reviewers agree on",
                             settlement.open_topics) if settlement.adopt_topics else None
        edits.append(AdoptSpans(settlement.article_id, list(settlement.spans),
                                "take the spans all reviewers agree on",
                                settlement.relations, topics))
    status = settlement.status_after()
    if status is not None and approve:
        edits.append(SetStatus(settlement.article_id, status))
    elif status is not None and settlement.writes and settlement.status != "pending":
        edits.append(SetStatus(settlement.article_id, "pending"))
    return edits


def holds_decision(version: Version) -> bool:
    """Whether a reviewer's version can be taken: they approved the article (their spans)
    or rejected it (the rejection); a skipped or untouched copy decided nothing."""
    return version.status in ("approved", "rejected")


def take_version(version: Version, approve: bool) -> list[Edit]:
    """The edits that make ``version`` the curated one: the reviewer's decision is taken
    with what they decided on. An approved version gives its accepted spans and topics
    (and, with
    ``approve``, the approval: the CLI's ``take``; the window leaves it to A). A rejected
    version rejects the article, and leaves its curated spans as they are: a rejected
    article exports nothing, and undoing the rejection gives back what the curator had.
    A skipped version holds no decision: taking it is refused with a sentence."""
    who = one_line(version.reviewer, 60)
    if version.status == "rejected":
        return [SetStatus(version.article_id, "rejected")]
    if not holds_decision(version):
        raise InvalidEdit(f"{who} {one_line(version.status, 20)} article "
                          f"{version.article_id} in their copy: there is no decision to "
                          "take. Take another reviewer's version or decide it yourself.")
    spans = version_spans(version)
    edits: list[Edit] = [AdoptSpans(version.article_id, spans, f"take {who}'s version",
                                    onto(spans, accepted_relations(version)),
                                    AdoptTopics(version.article_id, counted_topics(version),
                                                f"take {who}'s topics"))]
    if approve:
        edits.append(SetStatus(version.article_id, "approved"))
    return edits


# ---------------------------------------------------------------- the adjudication view


@dataclass(frozen=True)
class Region:
    """Where the versions differ: a stretch of text covered by spans not every reviewer
    has (overlapping ones joined), with each reviewer's spans in it (none: they marked
    nothing there, which is a view too)."""

    start: int
    end: int
    spans: dict[str, tuple[Span3, ...]]
    # Each reviewer's relations with an end here, where the reviewers' relations differ.
    relations: dict[str, tuple[VersionRelation, ...]] = field(default_factory=dict)

    def covers(self, start: int, end: int | None = None) -> bool:
        """Whether [start, end) touches the region; a cursor (``end`` None) touches it from
        its first character to just after its last."""
        if end is None:
            return self.start <= start <= self.end
        return start < self.end and self.start < max(end, start + 1)


@dataclass(frozen=True)
class Comparison:
    """An article's versions side by side: the lanes the view draws (one per reviewer,
    in order) and the regions where they differ, in text order."""

    reviewers: tuple[str, ...]
    lanes: tuple[tuple[tuple[int, int, str, bool], ...], ...]  # (start, end, label, agreed)
    regions: tuple[Region, ...]
    agreed: frozenset[Span3]
    kb_ids: dict[tuple[str, Span3], str | None]
    lane_starts: tuple[tuple[int, ...], ...] = ()  # each lane's starts, for bisect
    region_starts: tuple[int, ...] = ()
    agreed_relations: frozenset[VersionRelation] = frozenset()
    disputed_relations: int = 0  # relations not every reviewer has

    def region_index(self, start: int, end: int | None = None) -> int | None:
        """The index of the region under a cursor or a span (the first one it touches);
        regions never overlap and are in text order, so this is a bisection."""
        i = max(0, bisect_right(self.region_starts, start) - 1)
        for j in (i, i + 1):
            if j < len(self.regions) and self.regions[j].covers(start, end):
                return j
        return None

    def region_at(self, start: int, end: int | None = None) -> Region | None:
        i = self.region_index(start, end)
        return None if i is None else self.regions[i]


def compare(versions: Sequence[Version]) -> Comparison:
    """Lanes and regions of ``versions`` (by reviewer name). A span every version has is
    agreed; within one version spans never overlap, so an agreed span never overlaps a
    disputed one and the regions hold only disputed spans."""
    versions = sorted(versions, key=lambda v: v.reviewer)
    sets = {v.reviewer: set(accepted(v)) for v in versions}
    common = frozenset(set.intersection(*sets.values())) if sets else frozenset()
    kb_ids = {(v.reviewer, (s.start, s.end, s.label)): s.kb_id
              for v in versions for s in v.spans if s.state == "accepted"}
    disputed = set().union(*sets.values()) - common if sets else set()
    related = {v.reviewer: accepted_relations(v) for v in versions}
    both = frozenset(set.intersection(*related.values())) if related else frozenset()
    differ = set().union(*related.values()) - both if related else set()
    # Where relations differ, their ends are places to look at too (each end on its own:
    # the two may be paragraphs apart).
    places = sorted(disputed | {end for head, _k, tail in differ for end in (head, tail)})
    bounds: list[list[int]] = []
    for start, end, _label in places:
        if bounds and start < bounds[-1][1]:
            bounds[-1][1] = max(bounds[-1][1], end)
        else:
            bounds.append([start, end])
    regions = tuple(
        Region(start, end, {r: tuple(sorted(x for x in spans if start <= x[0] < end))
                            for r, spans in sets.items()},
               {r: tuple(sorted(x for x in rels if any(start <= e[0] < end
                                                       for e in (x[0], x[2]))))
                for r, rels in related.items()} if differ else {})
        for start, end in bounds)
    # One version alone agrees with nobody: its bars are drawn as its own, not faint.
    shared = common if len(versions) > 1 else frozenset()
    lanes = tuple(tuple((s, e, label, (s, e, label) in shared)
                        for s, e, label in sorted(sets[v.reviewer])) for v in versions)
    return Comparison(tuple(sets), lanes, regions, common, kb_ids,
                      tuple(tuple(s for s, *_ in lane) for lane in lanes),
                      tuple(r.start for r in regions), both, len(differ))


def next_region(regions: Sequence[Region], offset: int, step: int) -> Region | None:
    """Space / Shift+Space while adjudicating: the region after (before) ``offset``,
    wrapping round; None when the versions agree everywhere."""
    if not regions:
        return None
    if step > 0:
        return next((r for r in regions if r.start > offset), regions[0])
    return next((r for r in reversed(regions) if r.start < offset), regions[-1])


def take_region(curated: Sequence[Span], comparison: Comparison, region: Region,
                reviewer: str) -> list[SpanIn]:
    """The curated spans with ``region`` settled as ``reviewer`` marked it: every curated
    span touching the region gives way to that reviewer's spans there (none, if they
    marked nothing: taking "nothing here" is a decision too)."""
    kept = [SpanIn(s.start, s.end, s.label, s.origin, s.state, s.kb_id) for s in curated
            if not region.covers(s.start, s.end)]
    taken = [SpanIn(s, e, label, origin="reviewer", state="accepted",
                    kb_id=comparison.kb_ids.get((reviewer, (s, e, label))))
             for s, e, label in region.spans.get(reviewer, ())]
    return sorted(kept + taken, key=lambda s: (s.start, s.end))


def take_region_relations(spans: Sequence[SpanIn], curated: Sequence[Span],
                          relations: Sequence[Relation], region: Region,
                          reviewer: str) -> list[RelationIn]:
    """The curated relations once ``region`` is settled as ``reviewer`` marked it
    (``spans``: ``take_region``'s): those with an end in the region give way to the
    reviewer's relations there (none, if they drew none); the others stay as they are
    while both their ends do."""
    by_id = {s.id: s for s in curated}
    leave = set()
    for r in relations:
        head, tail = by_id.get(r.head_id), by_id.get(r.tail_id)
        if head is not None and tail is not None and (
                region.covers(head.start, head.end) or region.covers(tail.start, tail.end)):
            leave.add(((head.start, head.end, head.label), r.type,
                       (tail.start, tail.end, tail.label)))
    kept = kept_onto(spans, curated, relations, leave)
    have = {(r.head, r.tail, r.type) for r in kept}
    theirs = onto(spans, region.relations.get(reviewer, ()))
    return kept + [r for r in theirs if (r.head, r.tail, r.type) not in have]


def last_change(project: Project, article_id: int) -> tuple[str, str] | None:
    """Who last changed the article's curated spans, and when (ISO time), or None. The
    audit log says it (a take that removes spans leaves no span with the new stamp); an
    article whose spans came with its import has no such event: its spans' stamps."""
    logged = project.last_span_change(article_id)
    if logged is not None:
        return logged
    stamped = [(s.updated_at, s.updated_by) for s in project.spans(article_id)
               if s.updated_at and s.updated_by]
    if not stamped:
        return None
    when, who = max(stamped)
    return who, when


class TakeRegion(AdoptSpans):
    """Settle one region as one reviewer marked it; the view then selects what was taken."""

    def __init__(self, article_id: int, spans: list[SpanIn], title: str,
                 region: Region, reviewer: str,
                 relations: Sequence[RelationIn] | None = None) -> None:
        super().__init__(article_id, spans, title, relations)
        self.first = next(iter(region.spans.get(reviewer, ())), None)
        self.span_id: int | None = None

    def _do(self, project: Project, reviewer: str) -> None:
        super()._do(project, reviewer)
        assert self.ids is not None  # replace_spans gives the id of every span, in order
        self.span_id = next((sid for s, sid in zip(self.spans, self.ids, strict=True)
                             if (s.start, s.end, s.label) == self.first), None)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, self.span_id)
