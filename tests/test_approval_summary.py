"""A approves in one key and asks nothing, so it says what it did (issue 25): the status bar
counts the suggestions it accepted and the claims it left open, and Ctrl+Z undoes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.review.approval import ApprovalSummary
from core.store import Project
from tests.gui_helpers import open_window

# Text we wrote for these tests.
TEXT = ("Chile and Peru mine copper. Output rose 12% in 2024, the ministry said. "
        "Zambia exported 800,000 tonnes of copper. Lithium is next.")
ONE = "Zambia mines cobalt. Output rose 5% last year."


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "approve.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text=TEXT, title="Copper", spans=(
                SpanIn(*at(TEXT, "Chile"), "GPE"), SpanIn(*at(TEXT, "Peru"), "GPE"),
                SpanIn(*at(TEXT, "Zambia"), "GPE"),
                SpanIn(*at(TEXT, "copper"), "MINERAL", origin="reviewer", state="accepted"))),
            ArticleIn(text=ONE, title="Cobalt", spans=(SpanIn(*at(ONE, "cobalt"), "MINERAL"),)),
            ArticleIn(text="Nothing to label here.", title="Plain"),
        ])
        for part in ("Output rose 12% in 2024, the ministry said.",
                     "Zambia exported 800,000 tonnes of copper."):
            project.add_claim(1, *at(TEXT, part), "lead")  # accepted, verdict unchecked
        project.add_claim(2, *at(ONE, "Output rose 5% last year."), "lead")
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def press(qtbot, win, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    win.view.setFocus()
    qtbot.keyClick(win.view, key, modifier)


def states(win, article_id: int) -> list[str]:
    return [s.state for s in win.project.spans(article_id)]


def room_for_the_message(win) -> int:
    """The status bar's width left of its permanent parts, where a message is drawn."""
    bar = win.statusBar()
    parts = [w for w in (win.status_parts.claims, win.status_parts.progress,
                         win.status_parts.who, win.status_parts.model) if w.isVisible()]
    return min((w.geometry().left() for w in parts), default=bar.width())


def test_a_says_what_the_approval_accepted_and_left_open_and_ctrl_z_undoes_it(qtbot, window):
    window.resize(1024, 640)
    assert states(window, 1).count("suggested") == 3
    press(qtbot, window, Qt.Key.Key_A)
    assert QApplication.activeModalWidget() is None  # one key: nothing asked
    assert window.project.article(1).status == "approved"
    said = window.statusBar().currentMessage()
    assert said == "Approved: 3 suggestions accepted, 2 claims unchecked \u2014 Ctrl+Z undoes"
    qtbot.waitUntil(lambda: room_for_the_message(window)
                    > window.statusBar().fontMetrics().horizontalAdvance(said))  # not cut
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.article(1).status == "pending"
    assert states(window, 1).count("suggested") == 3  # the suggestions are pending again
    assert [c.verdict for c in window.project.claims(1)] == ["unchecked", "unchecked"]


def test_one_of_each_is_said_in_the_singular_and_nothing_is_not_counted(qtbot, window):
    window.show_article(2)
    press(qtbot, window, Qt.Key.Key_A)
    assert window.statusBar().currentMessage() == (
        "Approved: 1 suggestion accepted, 1 claim unchecked \u2014 Ctrl+Z undoes")
    window.show_article(3)
    press(qtbot, window, Qt.Key.Key_A)  # no suggestion, no claim; article 1 still pending
    assert window.statusBar().currentMessage() == "Approved \u2014 Ctrl+Z undoes"


def test_suggested_claims_left_undecided_are_counted_apart():
    assert ApprovalSummary(77, 4, 2).sentence == (
        "Approved: 77 suggestions accepted, 4 claims unchecked, 2 suggested claims "
        "undecided \u2014 Ctrl+Z undoes")
    assert ApprovalSummary(0, 0, 1).sentence == (
        "Approved: 1 suggested claim undecided \u2014 Ctrl+Z undoes")
