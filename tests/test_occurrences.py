"""Annotate all occurrences (and reject all suggestions like this one): whole tokens only,
never over an existing or rejected span, one undoable edit; through real keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.models import ArticleIn, Span, SpanIn
from core.nlp.store_rules import store_rules
from core.review.occurrences import occurrences
from core.store import Project
from core.text.tokens import token_offsets
from tests.gui_helpers import open_window

TEXT = ("Chile sells lithium. Chilean firms and Chile's miners ship lithium to Chile, "
        "but CHILE is a shout. Chile again, and Chile.")
OTHER = "Peru and Chile signed. Chile's lithium; Chileans cheer."
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def starts(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


def test_occurrences_are_whole_tokens_free_of_any_span():
    chile = starts(TEXT, "Chile")
    spans = [Span(1, 1, chile[0], chile[0] + 5, "GPE", "Chile", "model", "accepted"),
             Span(2, 1, chile[4], chile[4] + 5, "GPE", "Chile", "model", "rejected")]
    found = occurrences(TEXT, "Chile", token_offsets(TEXT), spans)
    # not "Chilean", not CHILE, not the rejected one; "Chile's" is the token Chile + 's
    assert [TEXT[a:b] for a, b in found] == ["Chile"] * 3
    assert [a for a, _ in found] == [chile[2], chile[3], chile[5]]


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "occ.assay"
    chile = starts(TEXT, "Chile")
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text=TEXT, title="One", spans=(
                SpanIn(chile[0], chile[0] + 5, "GPE"),
                SpanIn(chile[4], chile[4] + 5, "GPE", state="rejected"))),
            ArticleIn(text=OTHER, title="Two"),
            ArticleIn(text="Chile approved.", title="Three")])
        project.approve_article(3, "ana")  # decided: never touched
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    win.view.select_span(win.project.spans(1)[0].id)
    return win


def live(win, article_id: int) -> list[tuple[str, str, str]]:
    return [(s.text, s.label, s.state) for s in win.project.spans(article_id)]


def test_o_labels_every_other_occurrence_in_one_undoable_edit(qtbot, window):
    before = live(window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_O)
    after = window.project.spans(1)
    added = [s for s in after if s.origin == "reviewer"]
    assert [(s.text, s.label, s.state) for s in added] == [("Chile", "GPE", "accepted")] * 3
    assert window.statusBar().currentMessage().startswith(
        "Labelled 3 more occurrences of \u201cChile\u201d as GPE")
    assert window.project.list_articles()[0].entities == 4  # the count the list shows followed
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert live(window, 1) == before
    window.view.select_span(window.project.spans(1)[0].id)
    qtbot.keyClick(window.view, Qt.Key.Key_O)
    qtbot.keyClick(window.view, Qt.Key.Key_O)  # nothing left
    assert "No other unlabelled" in window.statusBar().currentMessage()


def test_label_occurrences_in_pending_articles_leaves_decided_ones(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL_SHIFT)
    assert [t for t, _, _ in live(window, 2)] == ["Chile", "Chile"]  # not "Chileans"
    assert live(window, 3) == []  # approved: a decision, not touched
    assert "in 2 article(s)" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert live(window, 2) == [] and len(live(window, 1)) == 2


def test_shift_delete_rejects_every_suggestion_like_the_selected_one(qtbot, tmp_path):
    path = tmp_path / "rej.assay"
    text = "Nickel and nickel; Nickel prices, Nickel Corp."
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text, title="N", spans=(
            SpanIn(0, 6, "MINERAL"), SpanIn(11, 17, "MINERAL"), SpanIn(19, 25, "MINERAL"),
            SpanIn(34, 40, "ORG"), SpanIn(34 + 7, 34 + 11, "ORG", state="accepted")))])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    win.view.select_span(win.project.spans(1)[0].id)
    qtbot.keyClick(win.view, Qt.Key.Key_Delete, SHIFT)
    states = {(s.start, s.label): s.state for s in win.project.spans(1)}
    assert states == {(0, "MINERAL"): "rejected", (11, "MINERAL"): "suggested",
                      (19, "MINERAL"): "rejected", (34, "ORG"): "suggested",
                      (41, "ORG"): "accepted"}
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.state for s in win.project.spans(1)] == [
        "suggested", "suggested", "suggested", "suggested", "accepted"]


def test_a_bulk_add_is_all_or_nothing(tmp_path):
    from core.errors import InvalidEdit

    with Project.create(tmp_path / "bulk.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="One")])
        chile = starts(TEXT, "Chile")
        project.add_span(1, chile[5], chile[5] + 5, "GPE", "ana")
        events = len(project.events(1))
        with pytest.raises(InvalidEdit, match="overlap"):
            project.add_spans([(1, chile[0], chile[0] + 5), (1, chile[5], chile[5] + 5)],
                              "GPE", "ana")
        assert len(project.spans(1)) == 1 and len(project.events(1)) == events
        assert project.counts_by_label()["GPE"] == 1
