"""Relations in the review window, driven with keys as a reviewer would (issue 26): R, a
move, a type key stores a relation with who made it; Esc stores nothing; a type whose
labels do not fit is refused in the status bar and the reviewer keeps choosing; Enter
accepts a selected suggested relation, Delete deletes one's own; Ctrl+Z undoes each; a
rejected entity takes its relation out of the list and its undo brings it back."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from core.models import ArticleIn, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window, where

TEXT = ("China processes rare earths, and EXIM funds Lynas in Malaysia. "
        "Australia exports lithium to Japan.")
ENDS = [("China", "GPE"), ("rare earths", "MINERAL"), ("EXIM", "ORG"), ("Lynas", "ORG"),
        ("Malaysia", "GPE"), ("Australia", "GPE"), ("lithium", "MINERAL"), ("Japan", "GPE")]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "relations.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(
            text=TEXT, title="Relations",
            spans=tuple(SpanIn(*where(TEXT, part), label) for part, label in ENDS),
            relations=(RelationIn(2, 3, "FUNDS", state="suggested", origin="rules"),))])
    return path


@pytest.fixture
def window(qtbot, tmp_path, path):
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def stored(path) -> set[tuple[str, str, str, str, str, str]]:
    """The relations in the file, read with sqlite3 itself: head, type, tail, state, origin,
    who."""
    with sqlite3.connect(path) as conn:
        return set(conn.execute(
            "SELECT h.text, r.type, t.text, r.state, r.origin, r.updated_by FROM relations r "
            "JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id"))


def keys(qtbot, win, *presses) -> None:
    for key in presses:
        mods = Qt.KeyboardModifier.NoModifier
        if isinstance(key, tuple):
            key, mods = key
        qtbot.keyClick(win.view, key, mods)


def select(win, text: str) -> None:
    span = next(s for s in win.view.spans if s.text == text)
    win.view.select_span(span.id)


def test_r_space_and_a_type_key_store_a_relation_and_ctrl_z_undoes_it(qtbot, window, path):
    keys(qtbot, window, Qt.Key.Key_Tab)  # China, the first entity
    keys(qtbot, window, Qt.Key.Key_R)
    prompt = window.statusBar().currentMessage()
    assert prompt.startswith("Relation from “China”: move to the tail")
    assert "2 PROCESSES" in prompt and "Esc cancels" in prompt
    keys(qtbot, window, Qt.Key.Key_Space, Qt.Key.Key_2)  # to rare earths; 2: PROCESSES
    made = ("China", "PROCESSES", "rare earths", "accepted", "reviewer", "ana")
    assert made in stored(path)
    # 2 was the relation's key, not the label key GPE: the tail keeps its label
    assert {s.text: s.label for s in window.session.spans}["rare earths"] == "MINERAL"
    assert "→ PROCESSES rare earths" in window.side_panel.relations.texts()
    keys(qtbot, window, (Qt.Key.Key_Z, CTRL))
    assert made not in stored(path)
    assert window.side_panel.relations.texts() == []
    keys(qtbot, window, (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                         | Qt.KeyboardModifier.ShiftModifier))  # redo
    assert made in stored(path)
    keys(qtbot, window, Qt.Key.Key_Delete)  # the new relation is selected: Delete deletes it
    assert made not in stored(path)
    assert {s.text: s.state for s in window.session.spans}["China"] == "suggested"
    keys(qtbot, window, (Qt.Key.Key_Z, CTRL))
    assert made in stored(path)


def test_esc_cancels_and_nothing_is_stored(qtbot, window, path):
    before = stored(path)
    keys(qtbot, window, Qt.Key.Key_Tab, Qt.Key.Key_R, Qt.Key.Key_Space, Qt.Key.Key_Escape)
    assert not window.relation_review.drawing.active
    assert "No relation drawn" in window.statusBar().currentMessage()
    assert stored(path) == before


def test_a_type_that_does_not_fit_is_refused_and_choosing_goes_on(qtbot, window, path):
    keys(qtbot, window, Qt.Key.Key_Tab, Qt.Key.Key_R, Qt.Key.Key_Space)
    keys(qtbot, window, Qt.Key.Key_6)  # FUNDS joins GPE, ORG → ORG, GPE; rare earths is MINERAL
    message = window.statusBar().currentMessage()
    assert "China FUNDS rare earths does not fit" in message
    assert "Press another type key" in message
    assert window.relation_review.drawing.active
    assert not any(r[1] == "FUNDS" and r[0] == "China" for r in stored(path))
    keys(qtbot, window, Qt.Key.Key_1)  # PRODUCES fits
    assert ("China", "PRODUCES", "rare earths", "accepted", "reviewer", "ana") in stored(path)


def test_enter_accepts_a_selected_suggested_relation_and_ctrl_z_undoes_it(qtbot, window, path):
    select(window, "EXIM")
    rows = window.side_panel.relations
    assert rows.texts() == ["→ FUNDS Lynas  (suggested)"]
    item = rows.list.item(0)
    qtbot.mouseClick(rows.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rows.list.visualItemRect(item).center())
    assert window.view.hasFocus()
    keys(qtbot, window, Qt.Key.Key_Return)
    assert ("EXIM", "FUNDS", "Lynas", "accepted", "rules", "ana") in stored(path)
    assert {s.text: s.state for s in window.session.spans}["EXIM"] == "suggested"  # not it
    assert rows.texts() == ["→ FUNDS Lynas"]
    keys(qtbot, window, (Qt.Key.Key_Z, CTRL))
    assert any(r[:4] == ("EXIM", "FUNDS", "Lynas", "suggested") for r in stored(path))


def test_rejecting_the_head_hides_its_relation_and_undo_brings_it_back(qtbot, window):
    select(window, "Lynas")
    assert window.side_panel.relations.texts() == ["← FUNDS EXIM  (suggested)"]
    select(window, "EXIM")
    keys(qtbot, window, Qt.Key.Key_Delete)  # reject the entity EXIM
    select(window, "Lynas")
    assert window.side_panel.relations.texts() == []
    keys(qtbot, window, (Qt.Key.Key_Z, CTRL))
    assert window.view.selected_span().text == "EXIM"
    assert window.side_panel.relations.texts() == ["→ FUNDS Lynas  (suggested)"]


def test_the_guide_tab_shows_the_relation_types_of_the_scheme(window):
    rows = [(chip.text(), words.text()) for chip, words in window.side_panel.guide.rows]
    assert ("2  PROCESSES", "GPE, ORG, LOC → MINERAL. The head refines, processes, smelts, "
            "separates or converts the mineral.") in rows
    assert any(chip == "7  PARTNERS_WITH" and "GPE, ORG ↔ GPE, ORG" in words
               for chip, words in rows)


def test_review_labels_edits_relation_types_and_ctrl_z_undoes_it(qtbot, window, path):
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.labels_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.tabs.setCurrentIndex(1)
    pane = dialog.relation_types
    names = [pane.table.item(r, 1).text() for r in range(pane.table.rowCount())]
    pane.table.selectRow(names.index("FUNDS"))
    pane.name.setFocus()
    pane.name.selectAll()
    qtbot.keyClicks(pane.name, "FINANCES")
    qtbot.keyClick(pane.name, Qt.Key.Key_Return)
    assert any(r[1] == "FINANCES" for r in stored(path))  # the EXIM relation follows
    assert "6  FINANCES" in [chip.text() for chip, _ in window.side_panel.guide.rows]
    pane.delete()  # FINANCES is used: refused with the store's sentence
    assert "is used by 1 relation" in dialog.message.text()
    pane.add()
    assert "NEW_RELATION" in {t.name for t in window.project.relation_types()}
    pane.head.setText("GPE")
    pane.tail.setText("GPE, ORG")
    pane.symmetric.setChecked(True)
    pane.apply_changes()
    assert window.project.relation_type("NEW_RELATION").shape() == "GPE ↔ GPE, ORG"
    pane.delete()
    assert "NEW_RELATION" not in {t.name for t in window.project.relation_types()}
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    for _ in range(4):  # the delete, the change, the add, the rename
        keys(qtbot, window, (Qt.Key.Key_Z, CTRL))
    assert {t.name for t in window.project.relation_types()} >= {"FUNDS"}
    assert "NEW_RELATION" not in {t.name for t in window.project.relation_types()}
    assert any(r[1] == "FUNDS" for r in stored(path))


def type_pixels(win, color: str) -> int:
    """How many pixels of the text view have exactly ``color`` (a relation type's)."""
    from PySide6.QtGui import QColor

    win.view.viewport().repaint()
    image = win.view.viewport().grab().toImage()
    wanted = QColor(color).rgb()
    return sum(image.pixel(x, y) == wanted for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2))


def test_only_the_selected_entitys_relations_are_drawn_in_their_types_colour(qtbot, window):
    funds = window.project.relation_type("FUNDS").color
    select(window, "China")  # no relations
    assert type_pixels(window, funds) == 0
    select(window, "EXIM")  # EXIM FUNDS Lynas: its arc and name in FUNDS' colour
    assert type_pixels(window, funds) > 20
    select(window, "Lynas")  # the tail shows it too
    assert type_pixels(window, funds) > 20
