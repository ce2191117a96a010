"""Claims meet relations (issue 27): a claim's sentence states the live relations whose
two ends lie inside its passage; the Claims tab lists them under the selected claim and
follows relation, entity and claim edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.models import ArticleIn, Claim, ClaimIn, Relation, RelationIn, Span, SpanIn
from core.nlp.store_rules import store_rules
from core.review.claims import relations_stated, stated_lines
from core.store import Project
from tests.gui_helpers import drag_select, open_window, where

TEXT = ("China processes rare earths, and EXIM funds Lynas in Malaysia. "
        "Australia supplies lithium to Japan.")
ENDS = [("China", "GPE"), ("rare earths", "MINERAL"), ("EXIM", "ORG"), ("Lynas", "ORG"),
        ("Malaysia", "GPE"), ("Australia", "GPE"), ("lithium", "MINERAL"), ("Japan", "GPE")]
CTRL = Qt.KeyboardModifier.ControlModifier
FIRST = TEXT[:TEXT.index(" Australia")]


def _spans(rejected: str = "") -> list[Span]:
    return [Span(i + 1, 1, *where(TEXT, part), label, part, "rules",
                 "rejected" if part == rejected else "suggested")
            for i, (part, label) in enumerate(ENDS)]


def _relation(rid: int, head: int, tail: int, kind: str, state: str = "suggested"
              ) -> Relation:
    return Relation(rid, 1, head, tail, kind, state, "rules")


RELATIONS = [_relation(1, 3, 4, "FUNDS"), _relation(2, 1, 2, "PROCESSES", "accepted"),
             _relation(3, 6, 7, "SUPPLIES"), _relation(4, 4, 6, "PARTNERS_WITH")]


def _claim(passage: str) -> Claim:
    return Claim(1, 1, *where(TEXT, passage), "unchecked", "accepted", "reviewer")


def test_a_claim_states_the_relations_with_both_ends_in_its_passage_in_text_order():
    assert stated_lines(_claim(FIRST), RELATIONS, _spans()) == [
        "China PROCESSES rare earths", "EXIM FUNDS Lynas"]
    # Lynas PARTNERS_WITH Australia crosses the sentence: not stated by either sentence
    assert stated_lines(_claim("Australia supplies lithium to Japan."), RELATIONS,
                        _spans()) == ["Australia SUPPLIES lithium"]
    assert relations_stated(_claim("China processes"), RELATIONS, _spans()) == []


def test_a_rejected_relation_or_end_is_not_stated():
    rejected = [r._replace(state="rejected") if r.id == 2 else r for r in RELATIONS]
    assert stated_lines(_claim(FIRST), rejected, _spans()) == ["EXIM FUNDS Lynas"]
    assert stated_lines(_claim(FIRST), RELATIONS, _spans(rejected="EXIM")) == [
        "China PROCESSES rare earths"]


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "claim-relations.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(
            text=TEXT, title="Relations",
            spans=tuple(SpanIn(*where(TEXT, part), label) for part, label in ENDS),
            relations=(RelationIn(2, 3, "FUNDS"), RelationIn(5, 6, "SUPPLIES")))])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def test_the_claims_tab_shows_what_the_selected_claim_states_and_follows_edits(qtbot, window):
    stated = window.claims_panel.stated
    drag_select(window.view, *where(TEXT, "processes"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)  # the first sentence becomes a claim
    assert window.side_tabs.currentWidget() is window.claims_panel
    assert stated.isVisible()
    assert stated.text() == "States: EXIM FUNDS Lynas"  # not the next sentence's relation
    # Draw China PROCESSES rare earths: the claim's list follows the new relation
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_R, Qt.Key.Key_Space, Qt.Key.Key_2):
        qtbot.keyClick(window.view, key)
    window.claims_panel.select_id(window.project.claims(1)[0].id)
    assert stated.text() == "States: China PROCESSES rare earths\nEXIM FUNDS Lynas"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo the relation
    assert stated.text() == "States: EXIM FUNDS Lynas"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo the claim: nothing selected
    assert not stated.isVisible()


# Across the corpus: another article's relation for the same pair, with its figure
CLAIMED = "China processes 70% of rare earths, the agency said."
OTHERS = [
    ("Other", "2024-05-01", "China's refiners processed 90% of rare earths in 2023."),
    ("Same figure", "2024-04-01", "China processes 70% of rare earths, a trader said."),
    ("Other type", "2024-06-01", "China produces 90% of rare earths, analysts said."),
    ("Other tail", "2024-07-01", "China processes 60% of lithium, analysts said."),
]


def _article(title: str, published: str, text: str, head: str, kind: str, tail: str,
             claim: bool = False) -> ArticleIn:
    spans = (SpanIn(*where(text, head), "GPE", state="accepted"),
             SpanIn(*where(text, tail), "MINERAL", state="accepted"),
             SpanIn(*where(text, next(w for w in text.split() if w.endswith("%"))),
                    "PERCENT", state="accepted"))
    return ArticleIn(text=text, title=title, published=published, spans=spans,
                     relations=(RelationIn(0, 1, kind, state="accepted"),),
                     claims=(ClaimIn(0, len(text)),) if claim else ())


def test_across_lists_other_articles_relations_for_the_pair_with_figures_marked(tmp_path):
    with Project.create(tmp_path / "across.assay", rules=store_rules()) as project:
        project.add_articles([
            _article("Claimed", "2024-01-01", CLAIMED, "China", "PROCESSES", "rare earths",
                     claim=True),
            _article(*OTHERS[0], "China", "PROCESSES", "rare earths"),
            _article(*OTHERS[1], "China", "PROCESSES", "rare earths"),
            _article(*OTHERS[2], "China", "PRODUCES", "rare earths"),
            _article(*OTHERS[3], "China", "PROCESSES", "lithium")])
        found = project.relations_across(project.claims(1)[0].id)
        assert [(f.stated, f.text, f.item.title, f.item.text,
                 [(m.text, m.differs) for m in f.item.figures]) for f in found] == [
            ("China PROCESSES rare earths", "China PROCESSES rare earths", "Other",
             OTHERS[0][2], [("90%", True)]),
            ("China PROCESSES rare earths", "China PROCESSES rare earths", "Same figure",
             "China processes 70% of rare earths, a trader said.", [("70%", False)])]


def test_the_across_list_shows_the_other_articles_relation_first_with_its_figure(
        qtbot, tmp_path):
    path = tmp_path / "across.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            _article("Claimed", "2024-01-01", CLAIMED, "China", "PROCESSES", "rare earths",
                     claim=True),
            _article(*OTHERS[0], "China", "PROCESSES", "rare earths"),
            _article(*OTHERS[2], "China", "PRODUCES", "rare earths")])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_BracketRight)  # ]: the claim
    assert win.claims_panel.stated.text() == "States: China PROCESSES rare earths"
    qtbot.waitUntil(lambda: not win.claims_review.across.busy)
    panel = win.claims_panel.across
    rows = [panel.model.data(panel.model.index(r, 0)) for r in range(panel.model.rowCount())]
    assert rows[0] == ("2024-05-01 · China PROCESSES rare earths · 90% ≠ · #2 Other · "
                       + OTHERS[0][2])
    assert not any("PRODUCES" in row for row in rows)  # another type is not the same relation
    assert panel.legend.isVisible()
