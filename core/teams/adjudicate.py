"""Adjudication: settling the reviewers' differences into the *curated* version.

The curated version is the project's own spans (what exports write), so a team project
exports the adjudicated data and a single-reviewer project works exactly as before. As
INCEpTION's curation merges: the spans every reviewer agrees on are taken at once; the
adjudicator then takes a whole version, or single spans, or edits as usual. Every step is
an edit on the same undo history (``AdoptSpans`` replaces an article's spans in one
transaction and puts the old ones back on undo), and the audit log says who adjudicated.
"""

from __future__ import annotations

from itertools import combinations

from core.models import SpanIn, Version
from core.review.edits import Edit, Focus
from core.store import Project
from core.teams.agreement import accepted, f1_exact, f1_from


def by_article(project: Project) -> dict[int, list[Version]]:
    """Each article's reviewers' versions (articles with two or more)."""
    out: dict[int, list[Version]] = {}
    for version in project.versions():
        out.setdefault(version.article_id, []).append(version)
    return {a: vs for a, vs in out.items() if len(vs) >= 2}


def disagreement(versions: list[Version]) -> float:
    """Mean pairwise span F1 of an article's versions (1.0: they all agree)."""
    scores = []
    for va, vb in combinations(versions, 2):
        f1 = f1_from(*f1_exact(set(accepted(va)), set(accepted(vb))))
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


def version_spans(version: Version) -> list[SpanIn]:
    """A version's accepted spans, as the curated version takes them."""
    return [SpanIn(s.start, s.end, s.label, origin="reviewer", state="accepted",
                   kb_id=s.kb_id) for s in version.spans if s.state == "accepted"]


class AdoptSpans(Edit):
    """Make given spans the article's curated spans; undo puts back the ones it had."""

    def __init__(self, article_id: int, spans: list[SpanIn], title: str) -> None:
        self.article_id, self.spans, self.title = article_id, list(spans), title
        self.before: list[SpanIn] = []

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.replace_spans(self.article_id, self.spans, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.replace_spans(self.article_id, self.before, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id)
