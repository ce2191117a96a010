"""Relations in adjudication (issue 26): a reviewer's relations named by their entities,
and put onto the spans the curated version is about to have.

A version names a relation's ends by position in its own spans; the curated version has
spans of its own. So a relation travels as ``(head, type, tail)`` with each end an exact
``(start, end, label)`` (``Span3``), and lands on the curated span with the same bounds
and label, or is left out when there is none (an entity nobody took cannot hold one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from core.metrics import Span3
from core.models import Relation, RelationIn, Span, SpanIn, Version

VersionRelation = tuple[Span3, str, Span3]  # (head, type, tail)


def counted_relations(version: Version) -> Iterator[tuple[RelationIn, SpanIn, SpanIn]]:
    """The relations of a version that count, each with its head and tail: accepted,
    between accepted entities (the one rule of agreement and adjudication alike)."""
    spans = version.spans
    for r in version.relations:
        if r.state != "accepted" or not (0 <= r.head < len(spans) and 0 <= r.tail < len(spans)):
            continue
        head, tail = spans[r.head], spans[r.tail]
        if head.state == "accepted" and tail.state == "accepted":
            yield r, head, tail


def accepted_relations(version: Version) -> set[VersionRelation]:
    """The relations of a version that count (``counted_relations``), by place and label."""
    return {((head.start, head.end, head.label), r.type, (tail.start, tail.end, tail.label))
            for r, head, tail in counted_relations(version)}


def onto(spans: Sequence[SpanIn], relations: Iterable[VersionRelation]) -> list[RelationIn]:
    """``relations`` as a reviewer's accepted ones between ``spans`` (by position), each
    once; those whose ends are not both among ``spans`` are left out."""
    place = {(s.start, s.end, s.label): i for i, s in enumerate(spans)}
    out: dict[tuple[int, int, str], RelationIn] = {}
    for head, kind, tail in sorted(relations):
        if head in place and tail in place:
            key = (place[head], place[tail], kind)
            out.setdefault(key, RelationIn(*key, state="accepted", origin="reviewer"))
    return list(out.values())


def kept_onto(spans: Sequence[SpanIn], curated: Sequence[Span],
              relations: Sequence[Relation], leave: Iterable[VersionRelation] = ()
              ) -> list[RelationIn]:
    """The curated relations (every state) as they stand, put onto ``spans``: each keeps
    its type, state, origin and model; those in ``leave`` and those whose ends are gone
    are left out."""
    by_id = {s.id: (s.start, s.end, s.label) for s in curated}
    place = {(s.start, s.end, s.label): i for i, s in enumerate(spans)}
    gone = set(leave)
    out = []
    for r in relations:
        head, tail = by_id.get(r.head_id), by_id.get(r.tail_id)
        if head in place and tail in place and (head, r.type, tail) not in gone:
            out.append(RelationIn(place[head], place[tail], r.type, r.state, r.origin,
                                  r.model))
    return out


def describe(text: str, relation: VersionRelation) -> str:
    """``Chile PRODUCES lithium``: a reviewer's relation in the adjudication's tooltips."""
    (hs, he, _hl), kind, (ts, te, _tl) = relation
    return f"{text[hs:he]} {kind} {text[ts:te]}"
