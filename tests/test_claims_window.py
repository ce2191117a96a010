"""Claims and entity links in the review window: real keys and mouse, checked in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.claims.paint import VERDICT_COLORS
from tests.gui_helpers import click_offset, drag_select, open_window, point_of

# Text we wrote for these tests.
TEXT = ("Cobalt prices fell 12% in March, traders said. Chile is a big producer.\n"
        "Kalgoorlie Nickel Ltd. shipped 40,000 tonnes of nickel last year.\n"
        "Analysts expect more deals.")
CTRL = Qt.KeyboardModifier.ControlModifier


def where(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "claims.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([
            ArticleIn(text=TEXT, title="Claims", spans=(
                SpanIn(*where("12%"), "PERCENT"), SpanIn(*where("Chile"), "GPE"),
                SpanIn(*where("nickel"), "MINERAL"))),
            ArticleIn(text="A second article about graphite.", title="Second"),
            ArticleIn(text="Kalgoorlie Nickel said nothing.", title="Third", spans=(
                SpanIn(0, 17, "ORG", origin="reviewer", state="accepted"),)),
        ])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def claims(win):
    return [(c.state, c.verdict, TEXT[c.start:c.end]) for c in win.project.claims(1)]


def painted(win, color: QColor, offset: int) -> bool:
    """Is there a pixel of ``color`` just under the character at ``offset``?"""
    image = win.view.viewport().grab().toImage()
    p = point_of(win.view, offset)
    for dy in range(0, 30):
        for dx in range(0, 12):
            pixel = image.pixelColor(p.x() + dx, p.y() + dy)
            if (abs(pixel.red() - color.red()) + abs(pixel.green() - color.green())
                    + abs(pixel.blue() - color.blue())) < 40:
                return True
    return False


def test_mark_a_claim_snaps_to_the_sentence_gets_verdicts_and_undoes(qtbot, window):
    drag_select(window.view, *where("prices fell"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert claims(window) == [
        ("accepted", "unchecked", "Cobalt prices fell 12% in March, traders said.")]
    assert window.side_tabs.currentWidget() is window.claims_panel
    assert window.claims_panel.model.rowCount() == 1
    assert painted(window, VERDICT_COLORS["unchecked"], where("traders")[0])
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL)
    assert claims(window)[0][1] == "supported"
    assert painted(window, VERDICT_COLORS["supported"], where("traders")[0])
    assert window.claims_panel.model.data(window.claims_panel.model.index(0, 0)) == "Supported"
    claim_id = window.project.claims(1)[0].id
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert claims(window)[0][1] == "unchecked"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert claims(window) == []
    assert not painted(window, VERDICT_COLORS["unchecked"], where("traders")[0])
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [c.id for c in window.project.claims(1)] == [claim_id]


def test_shift_c_keeps_the_exact_selection_and_overlaps_are_refused(qtbot, window):
    drag_select(window.view, *where("40,000 tonnes"))
    qtbot.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert claims(window) == [("accepted", "unchecked", "40,000 tonnes")]
    drag_select(window.view, *where("shipped"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)  # the whole sentence overlaps the claim
    assert len(claims(window)) == 1
    assert "overlaps the claim selected now" in window.statusBar().currentMessage()
    assert window.claims_panel.selected_claim().start == where("40,000")[0]


def test_suggested_claims_are_accepted_with_a_verdict_or_dismissed(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [c[0] for c in claims(window)] == ["suggested", "suggested"]
    panel = window.claims_panel
    assert panel.model.data(panel.model.index(0, 0)) == "Suggested"
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)  # first claim
    assert "PERCENT: 12%" in panel.reason.text()
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)  # refuted
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete, CTRL)  # dismiss
    assert claims(window) == [
        ("accepted", "refuted", "Cobalt prices fell 12% in March, traders said.")]
    assert [c.state for c in window.project.claims(1, states=("dismissed",))] == ["dismissed"]
    # The filter shows claims by verdict.
    panel.filter_combo.setCurrentText("Supported")
    assert panel.model.rowCount() == 0
    panel.filter_combo.setCurrentText("Refuted")
    assert panel.model.rowCount() == 1
    # Undo brings the dismissed suggestion back.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert [c[0] for c in claims(window)] == ["accepted", "suggested"]


def test_evidence_and_note_are_saved_and_undoable(qtbot, window):
    drag_select(window.view, *where("big producer"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    panel = window.claims_panel
    panel.evidence.setFocus()
    qtbot.keyClicks(panel.evidence, "https://example.org/chile")
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Return)
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "USGS table 3")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    claim = window.project.claims(1)[0]
    assert (claim.evidence_url, claim.note) == ("https://example.org/chile", "USGS table 3")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.project.claims(1)[0].note == ""
    assert panel.note.text() == ""


def test_open_claims_never_hold_up_approval_and_are_counted_in_the_status_bar(qtbot, window):
    """Entities and claims are separate layers: A approves in one key, claims or not."""
    drag_select(window.view, *where("big producer"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert window.status_parts.claims.text() == "Claims to decide: 1 unchecked"
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert window.project.article(1).status == "approved"
    assert QApplication.activeModalWidget() is None  # nothing asked
    assert window.project.open_claims(1) == (1, 0)  # the claim is still there to check
    assert "1 claim unchecked" in window.statusBar().currentMessage()  # and it says so


def test_checked_claims_approve_without_a_prompt(qtbot, window):
    drag_select(window.view, *where("big producer"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    qtbot.keyClick(window.view, Qt.Key.Key_3, CTRL)
    assert claims(window)[0][1] == "unverifiable"
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert window.project.article(1).status == "approved"
    assert QApplication.activeModalWidget() is None
    assert "claim" not in window.statusBar().currentMessage()  # none left open


def test_link_is_shown_prefilled_and_edited_with_the_completer(qtbot, window):
    chile = window.project.spans(1)[1]
    assert (chile.text, chile.kb_id) == ("Chile", "CHL")  # linked by name when stored
    click_offset(window.view, where("Chile")[0] + 1)
    editor = window.link_editor
    assert editor.field.isEnabled() and editor.field.text() == "CHL — Chile"
    editor.field.clear()
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)  # an empty link unlinks
    assert window.project.span(chile.id).kb_id is None
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert editor.field.hasFocus()
    qtbot.keyClicks(editor.field, "chil")
    popup = editor.completer.popup()
    assert popup.isVisible()
    listed = editor.completer.completionModel()  # the core's search, shown unfiltered
    shown = [listed.index(i, 0).data() for i in range(listed.rowCount())]
    assert "CHL — Chile" in shown
    editor.field.setText("CHL — Chile")
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)
    assert window.project.span(chile.id).kb_id == "CHL"
    row = [s.id for s in window.entities.entity_model.spans].index(chile.id)
    assert window.entities.entity_model.index(row, 2).data() == "CHL"
    # A name works as well as an id; an unknown name is refused and changes nothing.
    click_offset(window.view, where("Chile")[0] + 1)
    editor.field.setText("United States")
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)
    assert window.project.span(chile.id).kb_id == "USA"
    editor.field.setText("Atlantis")
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)
    assert window.project.span(chile.id).kb_id == "USA"
    assert "No GPE entry matches 'Atlantis'" in window.statusBar().currentMessage()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.project.span(chile.id).kb_id == "CHL"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.project.span(chile.id).kb_id is None


def test_new_canonical_entry_is_added_to_the_project_and_linked(qtbot, window):
    drag_select(window.view, *where("Kalgoorlie Nickel Ltd."))
    qtbot.keyClick(window.view, Qt.Key.Key_5)  # ORG
    span = next(s for s in window.project.spans(1) if s.label == "ORG")
    assert span.kb_id is None

    def fill() -> None:
        dialog = window.linking.dialog
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        assert dialog.id_field.text() == "org:kalgoorlie-nickel-ltd"
        dialog.aliases_field.setText("Kalgoorlie Nickel Ltd.; Kalgoorlie Nickel")
        dialog.accept()

    def link_others() -> None:
        box = window.linking.prompt
        if box is None:
            QTimer.singleShot(20, link_others)
            return
        assert "1 other unlinked mention" in box.text()
        next(b for b in box.buttons() if b.text() == "Link 1").click()

    QTimer.singleShot(20, fill)
    QTimer.singleShot(40, link_others)
    window.linking.new_entry()
    assert window.project.span(span.id).kb_id == "org:kalgoorlie-nickel-ltd"
    (other,) = window.project.spans(3)
    assert other.kb_id == "org:kalgoorlie-nickel-ltd"
    window.activateWindow()  # the closed dialogs had the focus
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undoes the bulk link only
    assert window.project.span(other.id).kb_id is None
    assert window.project.span(span.id).kb_id == "org:kalgoorlie-nickel-ltd"
    window.show_article(1)
    assert window.project.link("ORG", "Kalgoorlie Nickel") == "org:kalgoorlie-nickel-ltd"
    assert window.link_editor.field.text() == (
        "org:kalgoorlie-nickel-ltd — Kalgoorlie Nickel Ltd.")


def test_clicking_a_claim_in_the_text_selects_it_and_an_entity_click_does_not(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    window.side_tabs.setCurrentIndex(0)
    window.claims_review.select(None)
    click_offset(window.view, where("Chile")[0] + 1)  # an entity: the entity is selected
    assert window.view.selected_span().text == "Chile"
    assert window.claims_panel.selected_id is None
    assert window.side_tabs.currentIndex() == 0
    click_offset(window.view, where("shipped")[0] + 1)  # plain text inside a claim
    claim = window.claims_panel.selected_claim()
    assert claim is not None and TEXT[claim.start:claim.end].startswith("Kalgoorlie")
    assert window.side_tabs.currentWidget() is window.claims_panel
    assert window.view.selected_claim_id == claim.id


def test_a_read_only_window_refuses_claims_and_links(qtbot, window, tmp_path):
    (tmp_path / "second").mkdir()
    second = open_window(qtbot, tmp_path / "second", window.project.path, reviewer="bo")
    assert second.read_only_reason is not None
    second.show_article(1)
    drag_select(second.view, *where("big producer"))
    second.claims_review.mark(exact=False)
    assert "Read-only, nothing was changed" in second.statusBar().currentMessage()
    click_offset(second.view, where("Chile")[0] + 1)
    second.linking.link("United States")
    second.linking.new_entry()  # refused before any dialog opens
    assert second.linking.dialog is None
    assert window.project.claims(1) == []
    assert window.project.spans(1)[1].kb_id == "CHL"


def click_row(table, row: int) -> None:
    from PySide6.QtTest import QTest

    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())


def test_typed_evidence_stays_with_its_claim_when_another_row_is_clicked(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    panel = window.claims_panel
    click_row(panel.table, 0)
    first, second = window.project.claims(1)
    panel.evidence.setFocus()
    qtbot.keyClicks(panel.evidence, "https://example.org/first")
    click_row(panel.table, 1)  # the table takes no focus: the field still has it
    assert panel.selected_id == second.id and panel.evidence.text() == ""
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Return)
    assert window.project.claim(first.id).evidence_url == "https://example.org/first"
    assert window.project.claim(second.id).evidence_url == ""


def test_a_typed_link_is_not_applied_to_another_entity(qtbot, window):
    click_offset(window.view, where("Chile")[0] + 1)
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    qtbot.keyClicks(window.link_editor.field, "Peru")
    nickel = next(s for s in window.project.spans(1) if s.text == "nickel")
    click_row(window.entities, [s.id for s in window.entities.entity_model.spans].index(nickel.id))
    assert window.link_editor.field.text() == "mineral:nickel — nickel"
    qtbot.keyClick(window.link_editor.field, Qt.Key.Key_Return)
    assert window.project.span(nickel.id).kb_id == "mineral:nickel"
    assert next(s for s in window.project.spans(1) if s.text == "Chile").kb_id == "CHL"


def test_verdict_keys_act_on_the_claim_holding_the_selected_entity(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)  # the first claim is selected
    click_offset(window.view, where("nickel")[0] + 1)  # an entity in the second claim
    qtbot.keyClick(window.view, Qt.Key.Key_0, CTRL)  # unchecked: accepts the suggestion
    states = {TEXT[c.start:c.end][:10]: (c.state, c.verdict) for c in window.project.claims(1)}
    assert states == {"Cobalt pri": ("suggested", "unchecked"),
                      "Kalgoorlie": ("accepted", "unchecked")}


def test_canonical_entries_are_listed_and_deleted_keeping_links(qtbot, window):
    window.project.add_kb_entry("org:kalgoorlie", "ORG", "Kalgoorlie Nickel Ltd.",
                                ["Kalgoorlie Nickel"], "ana")
    (third,) = window.project.spans(3)
    window.project.set_span_kb(third.id, "org:kalgoorlie", "ana")
    seen = {}

    def work() -> None:
        dialog = window.linking.entries_dialog
        if dialog is None:
            QTimer.singleShot(20, work)
            return
        seen["rows"] = [dialog.table.item(0, c).text() for c in range(3)]
        dialog.table.selectRow(0)
        dialog.delete_button.click()
        seen["after"] = dialog.table.rowCount()
        seen["message"] = dialog.message.text()
        dialog.accept()

    QTimer.singleShot(20, work)
    window.linking.show_entries()
    assert seen == {"rows": ["org:kalgoorlie", "ORG", "Kalgoorlie Nickel Ltd."], "after": 0,
                    "message": "Deleted org:kalgoorlie (ORG)."}
    assert window.project.kb_entries() == []
    assert window.project.link("ORG", "Kalgoorlie Nickel") is None
    assert window.project.span(third.id).kb_id == "org:kalgoorlie"  # links already made stay


def test_a_new_empty_project_shows_nothing_of_the_last_one(qtbot, window, tmp_path):
    drag_select(window.view, *where("big producer"))
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert window.side_tabs.tabText(1).startswith("Claims (1")
    empty = tmp_path / "empty.assay"
    Project.create(empty, rules=store_rules()).close()
    assert window.open_project(empty)
    assert window.side_tabs.tabText(1) == "Claims"
    assert (window.header.status_chip.text(), window.header.status_chip.styleSheet()) == ("", "")
    assert window.title.text() == "No articles yet"
    assert window.status_parts.claims.text() == ""


def test_the_link_field_shows_one_form_whatever_the_label(qtbot, window):
    chile = window.project.spans(1)[1]
    window.project.update_span(chile.id, "ana", label="NORP", kb_id="CHL")  # a country id
    window.show_article(2)
    window.show_article(1)
    window.view.select_span(chile.id)
    assert window.link_editor.field.text() == "CHL — Chile"


def test_a_verdict_key_acts_on_the_claim_the_reviewer_moved_to(qtbot, window, tmp_path):
    """An entity in claim A selected, ] moves to claim B: Ctrl+3 marks B, not A; and the
    entity left behind in A is no longer selected, so Delete does not reject it unseen."""
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    click_offset(window.view, where("12%")[0] + 1)  # an entity in the first claim
    assert window.view.selected_span().text == "12%"
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)  # to the second claim
    qtbot.keyClick(window.view, Qt.Key.Key_3, CTRL)  # unverifiable
    with Project.open(window.project.path, rules=store_rules()) as reader:  # as the file holds it
        states = {TEXT[c.start:c.end][:10]: (c.state, c.verdict) for c in reader.claims(1)}
    assert states == {"Cobalt pri": ("suggested", "unchecked"),
                      "Kalgoorlie": ("accepted", "unverifiable")}
    assert window.view.selected_span() is None
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert {s.text: s.state for s in window.project.spans(1)}["12%"] == "suggested"
    # [ goes back to the first claim, and a verdict now marks it.
    qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL)
    assert {TEXT[c.start:c.end][:10]: c.verdict for c in window.project.claims(1)} == {
        "Cobalt pri": "supported", "Kalgoorlie": "unverifiable"}
    # Selecting an entity inside a claim makes that claim the current one again.
    click_offset(window.view, where("nickel")[0] + 1)
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)
    assert {TEXT[c.start:c.end][:10]: c.verdict for c in window.project.claims(1)} == {
        "Cobalt pri": "supported", "Kalgoorlie": "refuted"}
