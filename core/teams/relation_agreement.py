"""How far reviewers agree on relations (issue 26), pair by pair, as ``agreement`` counts
spans.

- **Relation F1**: a relation matches when both versions have it with exactly the same
  ends (the entities' bounds) and type; a symmetric type's ends are compared in either
  order. Only relations that count are compared: accepted, between two accepted entities.
  Per type and over all types, 2·matches / (|A| + |B|), micro-averaged over articles.
- **Cohen's κ on entity pairs**: the units are the pairs of entities either reviewer
  related that *both* reviewers marked (exact bounds): each reviewer's unit gets the
  types they gave the pair, with their direction, or ``none``. A pair whose entities one
  reviewer did not mark is a span disagreement (counted by the span measures), not a
  relation one. κ is undefined (None) without such pairs, as the token κ is without
  tokens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.metrics import f1_from
from core.models import Version
from core.teams.relation_curation import counted_relations

Bounds = tuple[int, int]
RelationKey = tuple[Bounds, Bounds, str]  # (head bounds, tail bounds, type)


def relation_keys(version: Version, symmetric: Iterable[str]) -> set[RelationKey]:
    """The relations of a version that count: accepted, between accepted entities; a
    symmetric type's ends in text order (so either direction is the same relation)."""
    both_ways = set(symmetric)
    out: set[RelationKey] = set()
    for r, head, tail in counted_relations(version):
        ends = ((head.start, head.end), (tail.start, tail.end))
        if r.type in both_ways:
            ends = (min(ends), max(ends))
        out.add((ends[0], ends[1], r.type))
    return out


def _exact(a: set[RelationKey], b: set[RelationKey]) -> tuple[int, int, int]:
    """(matches, |A|, |B|), as ``core.metrics.f1_exact`` counts spans."""
    return len(a & b), len(a), len(b)


def _entities(version: Version) -> set[Bounds]:
    return {(s.start, s.end) for s in version.spans if s.state == "accepted"}


def _pair_labels(keys: set[RelationKey]) -> dict[tuple[Bounds, Bounds], str]:
    """Each related pair of entities (in text order) with what the version says of it:
    its types, each with its direction (``>`` from the first, ``<`` to it), joined."""
    said: dict[tuple[Bounds, Bounds], set[str]] = {}
    for head, tail, kind in keys:
        pair = (min(head, tail), max(head, tail))
        said.setdefault(pair, set()).add(f"{kind}{'>' if head <= tail else '<'}")
    return {pair: "+".join(sorted(kinds)) for pair, kinds in said.items()}


@dataclass
class RelationTally:
    """One pair of reviewers' relation counts, added up over their shared articles."""

    exact: list[int] = field(default_factory=lambda: [0, 0, 0])  # matches, |A|, |B|
    per_type: dict[str, list[int]] = field(default_factory=dict)
    units: Counter = field(default_factory=Counter)  # (A's types, B's types) per entity pair

    def add(self, va: Version, vb: Version, symmetric: Iterable[str]) -> None:
        both_ways = set(symmetric)
        ra, rb = relation_keys(va, both_ways), relation_keys(vb, both_ways)
        for i, n in enumerate(_exact(ra, rb)):
            self.exact[i] += n
        for kind in {k for *_e, k in ra} | {k for *_e, k in rb}:
            counts = self.per_type.setdefault(kind, [0, 0, 0])
            for i, n in enumerate(_exact({r for r in ra if r[2] == kind},
                                         {r for r in rb if r[2] == kind})):
                counts[i] += n
        marked = _entities(va) & _entities(vb)
        la, lb = _pair_labels(ra), _pair_labels(rb)
        for pair in la.keys() | lb.keys():
            if pair[0] in marked and pair[1] in marked:
                self.units[(la.get(pair, "none"), lb.get(pair, "none"))] += 1

    def f1(self) -> float | None:
        return f1_from(*self.exact)

    def type_f1s(self) -> dict[str, float | None]:
        return {kind: f1_from(*c) for kind, c in sorted(self.per_type.items())}


def add_up(tallies: Iterable[RelationTally]) -> RelationTally:
    """All pairs' counts together (the overall relation F1, per type and in all)."""
    total = RelationTally()
    for t in tallies:
        for i in range(3):
            total.exact[i] += t.exact[i]
        for kind, counts in t.per_type.items():
            mine = total.per_type.setdefault(kind, [0, 0, 0])
            for i in range(3):
                mine[i] += counts[i]
        total.units.update(t.units)
    return total
