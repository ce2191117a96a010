"""The window's rough edges for a keyboard reviewer: the label popup's keys, focus coming
back from side fields, undo showing what it did, and keys that say why they did nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolTip

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import drag_select, open_window, where

TEXT = ("Chile produced 30% more lithium in 2024, the ministry said. Australia exported "
        "spodumene to China. Glencore bought cobalt from the DRC.")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "keys.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Keys", spans=(
            SpanIn(*where(TEXT, "Chile"), "GPE"), SpanIn(*where(TEXT, "lithium"), "MINERAL")))])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def popup_open(win, qtbot, part: str):
    win.act_popup.setChecked(True)
    win._toggle_popup()
    drag_select(win.view, *where(TEXT, part))
    qtbot.waitUntil(lambda: win.entity_review.popup is not None
                    and win.entity_review.popup.isVisible())
    return win.entity_review.popup


def test_label_keys_and_c_work_while_the_label_popup_is_open(qtbot, window):
    menu = popup_open(window, qtbot, "Australia")
    assert [a.text() for a in menu.actions() if a.text()][-2:] == [
        "C  Mark as claim", "Shift+C  Mark exactly as claim"]
    qtbot.keyClick(menu, Qt.Key.Key_2)  # GPE, typed while the menu has the keyboard
    assert not menu.isVisible()
    assert ("Australia", "GPE") in {(s.text, s.label) for s in window.project.spans(1)}
    menu = popup_open(window, qtbot, "Glencore bought cobalt")
    qtbot.keyClick(menu, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    claim = window.project.claims(1)[0]
    assert TEXT[claim.start:claim.end] == "Glencore bought cobalt"  # exact, not widened
    menu = popup_open(window, qtbot, "spodumene")
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()
    assert window.view.text_selection() == where(TEXT, "spodumene")  # still selected


def test_esc_and_enter_in_side_fields_give_the_keyboard_back_to_the_text(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.note.hasFocus()
    qtbot.keyClicks(window.note, "check the 30%")
    qtbot.keyClick(window.note, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert window.project.article(1).note == "check the 30%"  # Esc keeps what was typed
    drag_select(window.view, *where(TEXT, "Chile produced"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    evidence = window.claims_panel.evidence
    evidence.setFocus()
    qtbot.keyClicks(evidence, "https://example.org/report")
    qtbot.keyClick(evidence, Qt.Key.Key_Return)
    assert window.view.hasFocus()
    assert window.project.claims(1)[0].evidence_url == "https://example.org/report"
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL)  # and the next key is a verdict
    assert window.project.claims(1)[0].verdict == "supported"


def test_keys_with_nothing_to_act_on_say_why(qtbot, window):
    for key, mods in ((Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)):
        window.statusBar().clearMessage()
        qtbot.keyClick(window.view, key, mods)
        assert window.statusBar().currentMessage().startswith("No entity is selected")
    assert window.history.done == []


def test_an_overlap_refusal_is_shown_next_to_the_text(qtbot, window):
    drag_select(window.view, *where(TEXT, "Chile produced"))
    qtbot.keyClick(window.view, Qt.Key.Key_5)  # ORG over the GPE "Chile": refused
    assert "overlap" in window.statusBar().currentMessage()
    qtbot.waitUntil(QToolTip.isVisible)
    assert "overlap the GPE entity" in QToolTip.text()
    assert "&#x27;Chile&#x27;" in QToolTip.text() or "'Chile'" in QToolTip.text()
    QToolTip.hideText()


def test_undo_scrolls_to_and_selects_what_it_changed(qtbot, tmp_path):
    text = "\n\n".join(f"Paragraph {i} on nickel in Indonesia." for i in range(150))
    last = text.index("nickel", text.index("Paragraph 100 "))
    path = tmp_path / "undo.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text, title="Long",
                                        spans=(SpanIn(last, last + 6, "MINERAL"),))])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1280, 720)
    win.show_article(1)
    view = win.view
    view.setFocus()
    span_id = win.project.spans(1)[0].id
    view.select_span(span_id)
    qtbot.keyClick(view, Qt.Key.Key_5)  # relabel as ORG
    view.select_span(None, scroll=False)
    view.verticalScrollBar().setValue(0)  # the reviewer scrolled back to the top
    QApplication.processEvents()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert win.project.span(span_id).label == "MINERAL"
    assert view.selected_id == span_id
    height = view.viewport().height()
    assert 0.25 * height < view.cursorRect().center().y() < 0.75 * height
