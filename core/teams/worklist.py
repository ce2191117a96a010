"""The adjudication worklist: which articles need adjudicating, in which order, and which
one comes next.

``assay-cli adjudicate list`` prints it and the window's Adjudicate tab lists it; both read
it here. The articles are those two or more reviewers approved and whose versions differ
(``core.teams.adjudicate.to_adjudicate``), worst first: the lowest mean pairwise span F1,
then the lowest id. Articles stay on the list once decided (the tab greys them), so the
adjudicator sees what is done; the next one to open is the next *pending* one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import shown_title
from core.store import Project
from core.teams.adjudicate import to_adjudicate


@dataclass(frozen=True)
class WorkItem:
    """One article of the worklist."""

    article_id: int
    f1: float  # mean pairwise span F1 of its approved versions (below 1.0)
    title: str  # as stored (may be empty); untrusted: show as plain text
    shown: str  # what stands for its title (``shown_title``)
    status: str  # the curated version's review status


def worklist(project: Project) -> list[WorkItem]:
    """The articles to adjudicate, worst first (see the module docstring)."""
    worst = to_adjudicate(project)
    rows = {r.id: r for r in project.article_rows([a for a, _f1 in worst])}
    return [WorkItem(a, f1, rows[a].title, shown_title(rows[a].title, rows[a].preview,
                                                          rows[a].source), rows[a].status)
            for a, f1 in worst if a in rows]


def next_to_adjudicate(project: Project, ids: Sequence[int], current: int | None
                       ) -> int | None:
    """After approving ``current``: the next article of the worklist ``ids`` (in its order,
    wrapping round) that is still pending, read from the file now; None when none is."""
    ids = list(ids)
    after = ids[ids.index(current) + 1:] + ids[:ids.index(current)] \
        if current in ids else ids
    statuses = {r.id: r.status for r in project.article_rows(after)}
    return next((a for a in after if statuses.get(a) == "pending"), None)
