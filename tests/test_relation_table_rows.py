"""The Relations tab's rows without a window (``core.review.relation_table``): triples in
text order with the evidence the triples export quotes (``SentenceIndex.evidence``: the
sentence holding both ends, from the first end's to the last's when they are in two, the
same whichever end comes first), and the filters by type and by state."""

from __future__ import annotations

from core.models import Relation, Span
from core.review.relation_table import ALL, filtered, relation_rows
from core.text.sentences import SentenceIndex

TEXT = ("Lynas operates a plant in Malaysia. EXIM funds Lynas.\n"
        "China processes rare earths and restricts gallium.")


def span(i: int, text: str, label: str, after: int = 0) -> Span:
    start = TEXT.index(text, after)
    return Span(i, 1, start, start + len(text), label, text, "model", "accepted")


LYNAS = span(1, "Lynas", "ORG")
MALAYSIA = span(2, "Malaysia", "GPE")
EXIM = span(3, "EXIM", "ORG")
LYNAS_2 = span(4, "Lynas", "ORG", EXIM.end)
CHINA = span(5, "China", "GPE")
GALLIUM = span(6, "gallium", "MINERAL")
SPANS = [LYNAS, MALAYSIA, EXIM, LYNAS_2, CHINA, GALLIUM]


def relation(i: int, head: Span, tail: Span, kind: str, state: str) -> Relation:
    return Relation(i, 1, head.id, tail.id, kind, state, "rules")


RELATIONS = [relation(1, CHINA, GALLIUM, "RESTRICTS", "suggested"),
             relation(2, EXIM, LYNAS_2, "FUNDS", "accepted"),
             relation(3, LYNAS, MALAYSIA, "LOCATED_IN", "suggested"),
             relation(4, CHINA, MALAYSIA, "PARTNERS_WITH", "suggested")]


def test_rows_are_in_text_order_with_the_sentence_holding_both_ends():
    rows = relation_rows(TEXT, RELATIONS, SPANS)
    assert [(r.head.text, r.relation.type, r.tail.text) for r in rows] == [
        ("Lynas", "LOCATED_IN", "Malaysia"), ("China", "PARTNERS_WITH", "Malaysia"),
        ("EXIM", "FUNDS", "Lynas"), ("China", "RESTRICTS", "gallium")]
    assert rows[0].evidence == "Lynas operates a plant in Malaysia."
    assert rows[2].evidence == "EXIM funds Lynas."
    # ends in two sentences (a head after its tail): from the first end's to the last's,
    # on one line
    assert rows[1].evidence == ("Lynas operates a plant in Malaysia. EXIM funds Lynas. "
                                "China processes rare earths and restricts gallium.")


def test_the_evidence_is_the_same_whichever_end_comes_first():
    index = SentenceIndex(TEXT)
    ends = (EXIM.start, EXIM.end), (LYNAS_2.start, LYNAS_2.end)
    assert index.evidence(*ends) == index.evidence(*reversed(ends))


def test_a_relation_whose_end_is_not_shown_has_no_row():
    assert relation_rows(TEXT, RELATIONS[:2], [CHINA, GALLIUM]) == \
        relation_rows(TEXT, RELATIONS[:1], SPANS)


def test_the_filters_by_type_and_state():
    rows = relation_rows(TEXT, RELATIONS, SPANS)
    assert [r.relation.id for r in filtered(rows, "FUNDS")] == [2]
    assert [r.relation.id for r in filtered(rows, ALL, "suggested")] == [3, 4, 1]
    assert filtered(rows, "FUNDS", "suggested") == []
    assert filtered(rows) == rows
