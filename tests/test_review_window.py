"""The review window driven by real key and mouse events, checked against the store."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontMetrics

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.window.main_window import MainWindow
from tests.gui_helpers import click_offset, drag_select, open_window, where

TEXTS = [
    "Lithium prices fell in Chile.\nThe U.S. Department of Energy granted $200 million.",
    "Cobalt output in the DRC rose 30% in 2024, the IEA said.",
    "Emoji 😀 first: Japan bought graphite from Mozambique.",
    "Markup stays text: <script>alert(1)</script> and &lt;b&gt; are not HTML.",
]


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "review.assay"
    with Project.create(path, name="review", rules=store_rules()) as proj:
        arts = []
        for i, text in enumerate(TEXTS, 1):
            spans = ()
            if i == 2:
                spans = (SpanIn(*where(text, "Cobalt"), "MINERAL"),
                         SpanIn(*where(text, "DRC"), "ORG"),
                         SpanIn(*where(text, "30%"), "PERCENT"))
            arts.append(ArticleIn(text=text, title=f"Article {i}", spans=spans))
        proj.add_articles(arts)
    return path


@pytest.fixture
def window(qtbot, tmp_path, project_path):
    return open_window(qtbot, tmp_path, project_path)


def open_article(win: MainWindow, article_id: int) -> None:
    win.show_article(article_id)
    win.list_panel.select_article(article_id)
    win.view.setFocus()


def store_spans(win: MainWindow, article_id: int):
    return {(s.text, s.label, s.state) for s in win.project.spans(article_id)}


def test_mouse_selection_snaps_and_hotkey_creates_span(qtbot, window):
    open_article(window, 1)
    text = window.view.text
    start, end = where(text, "Chile")
    drag_select(window.view, start + 1, end - 1)  # mid-word: snaps to the whole word
    assert window.view.text_selection() == (start, end)
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # GPE
    (span,) = window.project.spans(1)
    assert (span.text, span.label, span.state, span.origin) == ("Chile", "GPE", "accepted",
                                                                 "reviewer")
    assert span.updated_by == "ana"
    assert window.entities.rowCount() == 1


def test_label_popup_after_selection(qtbot, window):
    window.act_popup.setChecked(True)
    window._toggle_popup()
    open_article(window, 1)
    text = window.view.text
    drag_select(window.view, *where(text, "Lithium"))
    menu = window.entity_review.popup
    qtbot.waitUntil(menu.isVisible)
    mineral = next(a for a in menu.actions() if "MINERAL" in a.text())
    mineral.trigger()
    assert store_spans(window, 1) == {("Lithium", "MINERAL", "accepted")}


def test_relabel_move_reject_undo_redo(qtbot, window):
    open_article(window, 2)
    text = window.view.text
    view = window.view
    click_offset(view, where(text, "DRC")[0] + 1)
    assert view.selected_span().text == "DRC"
    qtbot.keyClick(view, Qt.Key.Key_2)  # relabel ORG -> GPE
    assert ("DRC", "GPE", "accepted") in store_spans(window, 2)

    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # start one left
    assert ("the DRC", "GPE", "accepted") in store_spans(window, 2)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # end one right
    assert ("DRC rose", "GPE", "accepted") in store_spans(window, 2)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("DRC", "GPE", "accepted") in store_spans(window, 2)

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert ("DRC", "GPE", "rejected") in store_spans(window, 2)
    assert "DRC" not in [s.text for s in view.spans]  # hidden unless "show rejected"

    for _ in range(3):  # undo reject, undo move-end, ... back to the relabel
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("DRC", "GPE", "accepted") in store_spans(window, 2)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("DRC", "ORG", "suggested") in store_spans(window, 2)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Z, redo)
    assert ("DRC", "GPE", "accepted") in store_spans(window, 2)


def test_undo_survives_switching_articles(qtbot, window):
    open_article(window, 2)
    view = window.view
    click_offset(view, where(view.text, "Cobalt")[0] + 1)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert ("Cobalt", "MINERAL", "rejected") in store_spans(window, 2)
    open_article(window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("Cobalt", "MINERAL", "suggested") in store_spans(window, 2)
    assert window.article.id == 2  # undo brings its article into view


def test_tab_enter_accepts_and_one_key_approves(qtbot, window):
    open_article(window, 2)
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span().text == "Cobalt"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert ("Cobalt", "MINERAL", "accepted") in store_spans(window, 2)
    assert view.selected_span().text == "DRC"  # Enter moves on
    qtbot.keyClick(view, Qt.Key.Key_A)
    art = window.project.article(2)
    assert (art.status, art.reviewed_by) == ("approved", "ana")
    assert art.review_seconds is not None and art.review_seconds >= 0
    assert {s.state for s in window.project.spans(2)} == {"accepted"}
    assert window.article.id == 3  # the next pending article opened


def test_reject_skip_and_list_navigation(qtbot, window):
    open_article(window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert window.project.article(1).status == "rejected"
    assert window.article.id == 2
    qtbot.keyClick(window.view, Qt.Key.Key_S)
    assert window.project.article(2).status == "skipped"
    qtbot.keyClick(window.view, Qt.Key.Key_K)
    assert window.article.id == 2
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    assert window.article.id == 3


def test_overlap_is_refused_with_a_message(qtbot, window):
    open_article(window, 2)
    view = window.view
    events_before = len(window.project.events())
    drag_select(view, *where(view.text, "DRC rose"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert "overlap" in window.statusBar().currentMessage()
    assert len(window.project.events()) == events_before
    assert ("DRC rose", "GPE", "accepted") not in store_spans(window, 2)
    assert len(window.history.done) == 0


def test_note_is_saved_and_undoable(qtbot, window):
    open_article(window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.note.hasFocus()
    qtbot.keyClicks(window.note, "check the grant")
    qtbot.keyClick(window.note, Qt.Key.Key_Return)
    assert window.project.article(1).note == "check the grant"
    window.undo()
    assert window.project.article(1).note == ""


def test_markup_is_shown_as_literal_text(window):
    open_article(window, 4)
    shown = window.view.toPlainText()
    assert "<script>alert(1)</script>" in shown
    assert "&lt;b&gt;" in shown
    assert shown == TEXTS[3]


def test_non_bmp_text_keeps_offsets_right(qtbot, window):
    open_article(window, 3)
    view = window.view
    text = view.text
    drag_select(view, *where(text, "Japan"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    drag_select(view, *where(text, "graphite"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    spans = window.project.spans(3)
    assert [(s.text, s.label) for s in spans] == [("Japan", "GPE"), ("graphite", "MINERAL")]
    assert all(text[s.start:s.end] == s.text for s in spans)
    click_offset(view, where(text, "graphite")[0] + 2)
    assert view.selected_span().text == "graphite"


def test_filter_and_search_narrow_the_list(qtbot, window):
    panel = window.list_panel
    model = panel.model
    assert model.rowCount() == 4
    qtbot.keyClicks(panel.search_box, "cobalt")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.article_id(0) == 2
    panel.search_box.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    index = panel.label_combo.findText("PERCENT")
    panel.label_combo.setCurrentIndex(index)
    assert model.rowCount() == 1


def test_state_survives_close_and_reopen(qtbot, tmp_path, window, project_path):
    open_article(window, 2)
    view = window.view
    click_offset(view, where(view.text, "DRC")[0] + 1)
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.keyClick(view, Qt.Key.Key_A)
    before = store_spans(window, 2)
    window.close()

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(settings, "ana")
    qtbot.addWidget(again)
    assert again.open_project(project_path)
    again.show_article(2)
    assert {(s.text, s.label, s.state) for s in again.view.spans} == before
    assert again.project.article(2).status == "approved"
    assert again.header.status_chip.text() == "APPROVED"
    again.close()


def test_shortcuts_dialog_lists_every_review_key(qtbot, window):
    from gui.window.shortcuts import keys_text

    window.show_shortcuts()
    dialog = window.shortcuts_dialog
    qtbot.addWidget(dialog)
    rows = {(dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    keys = {k for k, _ in rows}
    for expected in ("A", "X", "S", "N", "Enter", "Ctrl+Z", "Tab / Shift+Tab", "C", "L", "]"):
        assert expected in keys
    # The help is built from the actions: each one's row shows its real keys, so
    # changing a shortcut changes the help.
    for action, _group, does in window.helped:
        assert (keys_text(action), does) in rows
    window.act_approve.setShortcut("Ctrl+Alt+A")
    window.show_shortcuts()
    again = window.shortcuts_dialog
    qtbot.addWidget(again)
    assert any(again.table.item(r, 1).text() == keys_text(window.act_approve)
               for r in range(again.table.rowCount()))


def test_qt_calls_do_not_drain_none_refcount(window):
    """PySide6 6.12.0 on Python 3.11 takes a reference from None on every void call."""
    before = sys.getrefcount(None)
    for _ in range(5000):
        window.view.viewport().update()
        window.statusBar().clearMessage()
    assert sys.getrefcount(None) >= before - 50


def test_next_article_does_not_inherit_an_entity_colour(qtbot, window):
    from PySide6.QtGui import QTextCursor

    open_article(window, 2)
    view = window.view
    click_offset(view, where(view.text, "DRC")[0] + 1)  # the cursor now sits in an entity
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert window.article.id == 3
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(3)  # inside "Emoji", which is no entity
    assert cursor.charFormat().background().style() == Qt.BrushStyle.NoBrush


def test_moving_an_edge_steps_over_punctuation(qtbot, window):
    open_article(window, 2)
    view = window.view
    click_offset(view, where(view.text, "30%")[0] + 1)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert ("30% in", "PERCENT", "accepted") in store_spans(window, 2)
    open_article(window, 1)
    drag_select(window.view, *where(window.view.text, "Chile"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    # Only "." follows "Chile" on its line; the next word is on the next line: refused.
    assert store_spans(window, 1) == {("Chile", "GPE", "accepted")}
    assert "cannot grow" in window.statusBar().currentMessage()


def test_question_mark_opens_the_shortcuts(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(window, "shortcuts_dialog", None) is not None
                    and window.shortcuts_dialog.isVisible())
    window.shortcuts_dialog.close()


def test_a_refusal_message_is_cleared_by_the_next_edit(qtbot, window):
    open_article(window, 2)
    view = window.view
    drag_select(view, *where(view.text, "DRC rose"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert "Refused" in window.statusBar().currentMessage()
    drag_select(view, *where(view.text, "IEA"))
    qtbot.keyClick(view, Qt.Key.Key_5)
    assert window.statusBar().currentMessage() == ""


def test_the_last_approval_says_so_in_characters_the_font_can_draw(qtbot, window):
    """"No pending articles left. 🎉" showed an empty box where the font has no emoji."""
    for article_id in range(1, len(TEXTS) + 1):
        open_article(window, article_id)
        qtbot.keyClick(window.view, Qt.Key.Key_A)
    message = window.statusBar().currentMessage()  # after what the approval did
    assert message.endswith("No pending articles left.")
    metrics = QFontMetrics(window.statusBar().font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in message), message
