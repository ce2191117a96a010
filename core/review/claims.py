"""The claim rules a reviewer meets: marking a passage, dismissing or deleting, what is open.

Written once here so the Claims panel, the key that marks a claim, the approval warning
and any other front end decide the same way (the store keeps the rules about rows:
overlap, a verdict accepting a suggestion, see ``core.store.claims``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Claim, Relation, Span
from core.review.edits import DeleteClaim, Edit, UpdateClaim
from core.store.relations import describe

# What marking a passage does (``Marking.outcome``).
ACCEPT, OVERLAP, ADD = "accept", "overlap", "add"


@dataclass(frozen=True)
class Marking:
    """What marking ``[start, end)`` as a claim does, and the claim it meets, if any.

    - ``accept``: a suggested claim stands on exactly that passage: marking it is the
      reviewer agreeing with the suggestion, so the suggestion is accepted (a verdict of
      "unchecked", the store's way to accept) rather than a second claim added;
    - ``overlap``: the passage overlaps a claim (live claims never overlap): nothing is
      added, the reviewer is shown that claim;
    - ``add``: a new claim.
    """

    outcome: str
    claim: Claim | None = None


def marking(claims: Sequence[Claim], start: int, end: int) -> Marking:
    """The rule "the same passage as a suggestion accepts it": see ``Marking``.
    ``claims`` are the article's live claims (suggested or accepted), in text order."""
    same = next((c for c in claims if (c.start, c.end) == (start, end)), None)
    if same is not None and same.state == "suggested":
        return Marking(ACCEPT, same)
    overlap = next((c for c in claims if c.start < end and c.end > start), None)
    if overlap is not None:
        return Marking(OVERLAP, overlap)
    return Marking(ADD)


def deletes(claim: Claim) -> bool:
    """Whether removing ``claim`` deletes it (True) or dismisses it (False).

    A reviewer's own claim is deleted: it was their mark, and keeping it as "dismissed"
    would leave a row nobody asked for. A suggested (or imported) claim is dismissed: the
    row stays as a "no", so the suggestion rules do not offer the passage again."""
    return claim.origin == "reviewer"


def remove_edit(claim: Claim) -> Edit:
    """Ctrl+Del: "delete your own claim, dismiss a suggested one" (see ``deletes``)."""
    if deletes(claim):
        return DeleteClaim(claim)
    return UpdateClaim(claim.id, "dismiss claim", state="dismissed")


def open_counts(claims: Sequence[Claim]) -> tuple[int, int]:
    """(accepted claims still unchecked, suggested claims not yet decided) among ``claims``.

    A claim is open while someone still has to decide it: a suggestion not yet accepted or
    dismissed, or an accepted claim whose verdict is still "unchecked"; a dismissed claim
    is decided. The open-claims count asked before approving reads the same two kinds from
    the file (``Project.open_claims``; ``ArticleFilter.open_claims`` filters by them), and
    a test holds the two to the same answer."""
    suggested = sum(1 for c in claims if c.state == "suggested")
    unchecked = sum(1 for c in claims if c.state == "accepted" and c.verdict == "unchecked")
    return unchecked, suggested


def entities_inside(claim: Claim, spans: Sequence[Span]) -> tuple[tuple[int, int, str, str], ...]:
    """The live entities wholly inside ``claim``'s passage, as (start, end, label, kb id),
    in text order: what the claim is about (their links) and the figures it states, as
    ``core.store.claims_across`` reads them from the file. When these are unchanged after
    an edit, what the corpus says about the claim is unchanged too."""
    return tuple(sorted((s.start, s.end, s.label, s.kb_id or "") for s in spans
                        if s.live and claim.start <= s.start and s.end <= claim.end))


def relations_stated(claim: Claim, relations: Sequence[Relation], spans: Sequence[Span]
                     ) -> list[Relation]:
    """The live relations a claim states: those whose head and tail both lie wholly inside
    its passage ("China processes 70% of rare earths" states China PROCESSES rare earths).

    ``relations`` and ``spans`` are the article's; a relation counts only while it is not
    rejected and both its ends are live (the store's liveness rule, ``core.store.relations``).
    In text order of their heads, then tails."""
    inside = {s.id: s for s in spans
              if s.live and claim.start <= s.start and s.end <= claim.end}
    stated = [r for r in relations if r.state != "rejected"
              and r.head_id in inside and r.tail_id in inside]
    return sorted(stated, key=lambda r: (inside[r.head_id].start, inside[r.tail_id].start, r.id))


def stated_lines(claim: Claim, relations: Sequence[Relation], spans: Sequence[Span]
                 ) -> list[str]:
    """``relations_stated`` as a reader sees them: "China PROCESSES rare earths"."""
    by_id = {s.id: s for s in spans}
    return [describe(by_id[r.head_id].text, r.type, by_id[r.tail_id].text)
            for r in relations_stated(claim, relations, spans)]
