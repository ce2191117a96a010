"""The Relations tab and the arcs on demand (issue 26, "Readable, not cluttered"), through
the real window: the tab lists the article's relations as triples with their evidence
sentence, in text order; its filters narrow it; a click on a row selects the relation,
Enter on it goes to the relation in the text, where Enter accepts it (read back from the
SQLite file); rejecting an entity takes its rows out and Ctrl+Z brings them back; Shift+R
draws every relation, not only the selected entity's; an end off screen gets an arc to
the view's edge, named."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core.models import ArticleIn, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

FIRST = "China processes rare earths, and EXIM funds Lynas in Malaysia."
SECOND = "Australia exports lithium to Japan."
FILLER = "\n\n".join(f"Paragraph {i} says nothing about anything." for i in range(80))
TEXT = f"{FIRST} {SECOND}\n\n{FILLER}\n\nSojitz signed the deal."
ENDS = [("China", "GPE"), ("rare earths", "MINERAL"), ("EXIM", "ORG"), ("Lynas", "ORG"),
        ("Malaysia", "GPE"), ("Australia", "GPE"), ("lithium", "MINERAL"), ("Japan", "GPE"),
        ("Sojitz", "ORG")]
RELATIONS = [RelationIn(0, 1, "PROCESSES", state="accepted", origin="rules"),
             RelationIn(2, 3, "FUNDS", state="suggested", origin="rules"),
             RelationIn(3, 4, "LOCATED_IN", state="suggested", origin="rules"),
             RelationIn(5, 6, "SUPPLIES", state="accepted", origin="rules"),
             RelationIn(7, 8, "FUNDS", state="suggested", origin="rules")]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def spans_of(text: str) -> tuple[SpanIn, ...]:
    spans, at = [], 0
    for part, label in ENDS:
        start = text.index(part, at)
        spans.append(SpanIn(start, start + len(part), label, state="accepted"))
        at = start + len(part)
    return tuple(spans)


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "relations.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Relations", spans=spans_of(TEXT),
                                        relations=tuple(RELATIONS))])
    return path


@pytest.fixture
def window(qtbot, tmp_path, path):
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def open_tab(qtbot, win):
    """Click the Relations tab, as a reviewer would; the table."""
    tabs = win.side_tabs
    index = tabs.indexOf(win.side_panel.relation_table)
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=tabs.tabBar().tabRect(index).center())
    assert tabs.currentWidget() is win.side_panel.relation_table
    return win.side_panel.relation_table


def tab_title(win) -> str:
    return win.side_tabs.tabText(win.side_tabs.indexOf(win.side_panel.relation_table))


def triples(table) -> list[tuple[str, ...]]:
    return [row[:4] for row in table.texts()]


def stored_state(path, head: str, kind: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT r.state FROM relations r JOIN spans h ON h.id = r.head_id "
                            "WHERE h.text = ? AND r.type = ?", (head, kind)).fetchone()[0]


def click_row(qtbot, table, text: str) -> None:
    """Click the row whose head is ``text``."""
    row = next(i for i, r in enumerate(table.texts()) if r[0] == text)
    grid = table.table
    grid.scrollTo(grid.model().index(row, 0))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton,
                     pos=grid.visualRect(grid.model().index(row, 0)).center())


def test_the_tab_lists_the_triples_in_text_order_with_their_evidence(qtbot, window):
    assert tab_title(window) == "Relations (5)"
    table = open_tab(qtbot, window)
    rows = table.texts()
    assert [row[:4] for row in rows] == [
        ("China", "PROCESSES", "rare earths", "accepted"),
        ("EXIM", "FUNDS", "Lynas", "suggested"),
        ("Lynas", "LOCATED_IN", "Malaysia", "suggested"),
        ("Australia", "SUPPLIES", "lithium", "accepted"),
        ("Japan", "FUNDS", "Sojitz", "suggested")]
    assert [row[4] for row in rows[:4]] == [FIRST, FIRST, FIRST, SECOND]
    # ends paragraphs apart: from the first end's sentence to the last's
    assert rows[4][4].startswith(SECOND) and rows[4][4].endswith("Sojitz signed the deal.")


def test_the_type_and_state_filters_narrow_the_table(qtbot, window):
    table = open_tab(qtbot, window)
    table.type_filter.setCurrentIndex(table.type_filter.findData("FUNDS"))
    assert triples(table) == [("EXIM", "FUNDS", "Lynas", "suggested"),
                              ("Japan", "FUNDS", "Sojitz", "suggested")]
    assert table.type_filter.currentText() == "FUNDS (2)"
    table.type_filter.setCurrentIndex(table.type_filter.findData(""))
    table.state_filter.setCurrentIndex(table.state_filter.findData("accepted"))
    assert triples(table) == [("China", "PROCESSES", "rare earths", "accepted"),
                              ("Australia", "SUPPLIES", "lithium", "accepted")]
    table.type_filter.setCurrentIndex(table.type_filter.findData("FUNDS"))
    assert triples(table) == []
    assert "None of the 5 relations" in table.evidence.text()
    assert tab_title(window) == "Relations (5)"  # the article's, not the filter's


def test_enter_on_a_row_goes_to_the_relation_and_enter_there_accepts_it(qtbot, window, path):
    view = window.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the reviewer is at the end of the article
    table = open_tab(qtbot, window)
    click_row(qtbot, table, "EXIM")
    funds = next(r for r in window.session.relations if r.type == "FUNDS"
                 and window.session.span(r.head_id).text == "EXIM")
    assert window.relation_review.selected_id == funds.id  # selected in the view...
    assert view.selected_span().text in ("EXIM", "Lynas")
    assert table.table.hasFocus()  # ...and the arrows stay in the table
    assert "EXIM FUNDS Lynas" in table.evidence.text()
    bar.setValue(bar.maximum())
    qtbot.keyClick(table.table, Qt.Key.Key_Return)
    assert view.hasFocus()
    exim = next(s for s in view.spans if s.text == "EXIM")
    box = view.span_rects(exim)[0]
    assert box.top() >= 0 and box.bottom() <= view.viewport().height()  # in sight
    assert window.relation_review.selected_id == funds.id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored_state(path, "EXIM", "FUNDS") == "accepted"
    assert ("EXIM", "FUNDS", "Lynas", "accepted") in triples(table)
    assert stored_state(path, "Japan", "FUNDS") == "suggested"  # only the one chosen


def test_a_double_click_on_a_row_goes_to_it(qtbot, window):
    table = open_tab(qtbot, window)
    grid = table.table
    row = [r[0] for r in table.texts()].index("Australia")
    at = grid.visualRect(grid.model().index(row, 0)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a double
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=at)  # click's events
    assert window.view.hasFocus()
    assert window.view.selected_span().text in ("Australia", "lithium")


def test_rejecting_an_entity_takes_its_rows_and_ctrl_z_brings_them_back(qtbot, window):
    table = open_tab(qtbot, window)
    window.view.setFocus()
    window.view.select_span(next(s for s in window.view.spans if s.text == "Lynas").id)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)  # reject the entity Lynas
    assert [r[0] for r in triples(table)] == ["China", "Australia", "Japan"]
    assert tab_title(window) == "Relations (3)"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert ("EXIM", "FUNDS", "Lynas", "suggested") in triples(table)
    assert ("Lynas", "LOCATED_IN", "Malaysia", "suggested") in triples(table)
    assert tab_title(window) == "Relations (5)"


def type_pixels(win, color: str, rows: range | None = None) -> int:
    """How many pixels of the text view have ``color`` exactly: every other one, or every
    one of ``rows``."""
    win.view.viewport().repaint()
    image = win.view.viewport().grab().toImage()
    wanted = QColor(color).rgb()
    step = 2 if rows is None else 1
    rows = rows if rows is not None else range(0, image.height(), 2)
    return sum(image.pixel(x, y) == wanted for x in range(0, image.width(), step)
               for y in rows)


def test_shift_r_draws_the_relations_of_entities_not_selected(qtbot, window):
    funds = window.project.relation_type("FUNDS").color
    view = window.view
    view.select_span(next(s for s in view.spans if s.text == "Australia").id)
    assert type_pixels(window, funds) == 0  # Australia SUPPLIES lithium only
    qtbot.keyClick(view, Qt.Key.Key_R, SHIFT)
    assert window.act_all_relations.isChecked()
    view.viewport().repaint()
    assert "FUNDS" in window.relation_review.painter.named  # paler beside Australia's
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # no entity selected: all in full colour
    assert view.selected_span() is None
    assert type_pixels(window, funds) > 20  # EXIM FUNDS Lynas, Japan FUNDS Sojitz
    assert window.act_all_relations in window.menuBar().actions()[3].menu().actions()  # View
    qtbot.keyClick(view, Qt.Key.Key_R, SHIFT)
    assert type_pixels(window, funds) == 0
    # a single key: in a text field it types, it draws nothing
    note = window.note
    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_R, SHIFT)
    assert not window.act_all_relations.isChecked()
    assert note.text().lower() == "r"


def test_an_end_off_screen_gets_an_arc_to_the_edge_with_its_name(qtbot, window):
    funds = window.project.relation_type("FUNDS").color
    view = window.view
    view.select_span(next(s for s in view.spans if s.text == "Japan").id)
    sojitz = next(s for s in view.spans if s.text == "Sojitz")
    height = view.viewport().height()
    assert view.span_rects(sojitz)[0].top() > height  # far below
    assert type_pixels(window, funds, range(height - 12, height)) > 10  # the arc's end
    assert window.relation_review.painter.named == ["FUNDS  ↓ Sojitz"]  # the way, the name
    japan = view.span_rects(view.selected_span())[0]
    assert type_pixels(window, funds, range(japan.bottom(), japan.bottom() + 14)) > 20
