"""Reaching an entity in a few keys: next undecided (Space), next of a label (Alt+key),
type-to-jump (/), and Tab centring what it selects. Real keys, checked in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.models import ArticleIn, Span, SpanIn
from core.nlp.store_rules import store_rules
from core.review.navigation import find_next, next_of_label, next_undecided
from core.store import Project
from core.text.tokens import snap, token_offsets
from tests.gui_helpers import open_window, where

TEXT = ("Chile sold lithium to China. Albemarle and Glencore said cobalt from the DRC "
        "rose in 2031. Chile and Peru ship copper; Chinese buyers pay.")
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def span(i: int, part: str, label: str, state: str = "suggested", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return Span(i, 1, start, start + len(part), label, part, "model", state)


SPANS = [span(1, "Chile", "GPE", "accepted"), span(2, "lithium", "MINERAL"),
         span(3, "China", "GPE"), span(4, "Albemarle", "ORG", "accepted"),
         span(5, "cobalt", "MINERAL"), span(6, "Chile", "GPE", nth=1)]


def test_next_undecided_skips_decided_entities_and_stops_at_the_end():
    order = []
    here = None
    for _ in range(4):
        here = next_undecided(SPANS, here, 0)
        order.append(here.id)
    assert order == [2, 3, 5, 6]
    assert next_undecided(SPANS, here, 0) is None  # no wrap to the top
    assert next_undecided(SPANS, SPANS[0], 0, step=-1) is None


def test_next_of_a_label_from_the_cursor():
    cursor = TEXT.index("Albemarle")
    assert next_of_label(SPANS, "GPE", None, cursor).id == 6
    assert next_of_label(SPANS, "GPE", None, cursor, step=-1).id == 3
    assert next_of_label(SPANS, "LAW", None, cursor) is None


def test_type_to_jump_lands_on_entities_and_on_plain_words():
    tokens = token_offsets(TEXT)

    def snapped(a, b):
        return snap(tokens, a, b)

    assert find_next(TEXT, SPANS, "gl", 0, snapped).start == TEXT.index("Glencore")
    assert find_next(TEXT, SPANS, "CH", 1, snapped).span_id == 3  # after "Chile", any case
    year = find_next(TEXT, SPANS, "20", 0, snapped)
    assert (year.start, year.end, year.span_id) == (*where(TEXT, "2031"), None)  # whole word
    assert find_next(TEXT, SPANS, "hina", 0, snapped) is None  # words start with it only
    assert find_next(TEXT, SPANS, "ch", TEXT.index("Peru"), snapped).start == (
        TEXT.index("Chinese"))
    assert find_next(TEXT, SPANS, "ch", TEXT.index("Peru"), snapped, step=-1).span_id == 6


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "nav.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Nav", spans=tuple(
            SpanIn(s.start, s.end, s.label, state=s.state) for s in SPANS))])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def selected_text(win) -> str:
    chosen = win.view.selected_span()
    return chosen.text if chosen else ""


def test_space_goes_to_the_next_suggestion_still_to_decide(qtbot, window):
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert selected_text(window) == "lithium"
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accept it: the next Space skips it
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_Space, SHIFT)
    assert view.selected_id == 3  # China: lithium is decided now
    qtbot.keyClick(view, Qt.Key.Key_Return)
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert all(s.state == "accepted" for s in window.project.spans(1))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.statusBar().currentMessage() == "No suggestions left \u2014 A approves."


def test_alt_and_a_label_key_jump_to_the_next_entity_of_that_label(qtbot, window):
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_1, ALT)  # MINERAL's hotkey is 1
    assert selected_text(window) == "lithium"
    qtbot.keyClick(view, Qt.Key.Key_1, ALT)
    assert selected_text(window) == "cobalt"
    qtbot.keyClick(view, Qt.Key.Key_8, ALT)  # LAW: none
    assert window.statusBar().currentMessage() == "No LAW entity in this article."


def test_type_to_jump_then_a_label_key_adds_a_missed_entity(qtbot, window):
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Slash)
    assert view.jumps.find_bar.isVisible() and view.jumps.find_bar.hasFocus()
    qtbot.keyClicks(view.jumps.find_bar, "gl")
    assert view.text_selection() == where(TEXT, "Glencore")
    qtbot.keyClick(view.jumps.find_bar, Qt.Key.Key_Return)
    assert not view.jumps.find_bar.isVisible() and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_5)  # ORG
    added = [s for s in window.project.spans(1) if s.text == "Glencore"]
    assert [(s.label, s.state, s.origin) for s in added] == [("ORG", "accepted", "reviewer")]


def test_type_to_jump_steps_through_matches_and_lands_on_entities(qtbot, window):
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Slash)
    qtbot.keyClicks(view.jumps.find_bar, "ch")
    assert view.selected_id == 1  # the first word starting with "ch": Chile
    qtbot.keyClick(view.jumps.find_bar, Qt.Key.Key_Down)
    assert view.selected_id == 3
    qtbot.keyClick(view.jumps.find_bar, Qt.Key.Key_Up)
    assert view.selected_id == 1
    qtbot.keyClick(view.jumps.find_bar, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.project.span(1).state == "rejected"


def test_tab_puts_the_selected_entity_in_the_middle_of_the_view(qtbot, tmp_path):
    long_text = "\n\n".join(f"Paragraph {i} about nickel in Indonesia." for i in range(120))
    path = tmp_path / "long.assay"
    with Project.create(path, rules=store_rules()) as project:
        starts = [i for i in range(len(long_text)) if long_text.startswith("nickel", i)]
        project.add_articles([ArticleIn(text=long_text, title="Long", spans=tuple(
            SpanIn(s, s + 6, "MINERAL") for s in starts))])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1280, 720)
    win.show_article(1)
    view = win.view
    view.setFocus()
    for _ in range(40):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    rect = view.cursorRect()
    height = view.viewport().height()
    assert height * 0.3 < rect.center().y() < height * 0.7
