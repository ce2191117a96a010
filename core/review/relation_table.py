"""The open article's relations as a table of triples, without Qt: head, type, tail,
state and the evidence sentence, in text order, and the filters by type and by state.
The window's Relations tab (``gui.review.relation_table``) shows these rows; the evidence
is the triples export's (``SentenceIndex.evidence``), so the tab quotes what the CSV
writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from core.models import Relation, Span
from core.text.normalise import one_line
from core.text.sentences import SentenceIndex

ALL = ""  # a filter that lets every row through


class RelationRow(NamedTuple):
    """One relation as the table shows it."""

    relation: Relation
    head: Span
    tail: Span
    evidence: str  # on one line

    @property
    def position(self) -> tuple[int, int, int]:
        """Where the relation is in the text: its first end, then its last, then its id."""
        return (min(self.head.start, self.tail.start), max(self.head.end, self.tail.end),
                self.relation.id)


def relation_rows(text: str, relations: Sequence[Relation], spans: Sequence[Span],
                  index: SentenceIndex | None = None) -> list[RelationRow]:
    """Every relation of ``relations`` whose two ends are in ``spans``, in text order.
    ``index``: the text's sentences, when the caller keeps them between calls."""
    by_id = {s.id: s for s in spans}
    index = index or SentenceIndex(text)
    rows = []
    for rel in relations:
        head, tail = by_id.get(rel.head_id), by_id.get(rel.tail_id)
        if head is None or tail is None:
            continue
        start, end = index.evidence((head.start, head.end), (tail.start, tail.end))
        rows.append(RelationRow(rel, head, tail, one_line(text[start:end])))
    return sorted(rows, key=lambda row: row.position)


def filtered(rows: Sequence[RelationRow], kind: str = ALL, state: str = ALL
             ) -> list[RelationRow]:
    """The rows of type ``kind`` and state ``state`` (``ALL``: any)."""
    return [row for row in rows if kind in (ALL, row.relation.type)
            and state in (ALL, row.relation.state)]
