"""Adjudicating by keys and clicks: the list of differences shows where the reviewer is, so
a take acts on the difference shown, and the summary says who changed the curated spans
last, after every take (issue 25)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.nlp.store_rules import store_rules
from core.review.history import History
from core.store import Project
from core.teams.adjudicate import AdoptSpans
from tests.gui_helpers import click_offset, open_window
from tests.test_adjudication import ANA, at, reviewed_by_three

TAKE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def test_the_list_follows_space_and_clicks_and_the_summary_follows_takes(qtbot, tmp_path):
    origin = reviewed_by_three(tmp_path)
    with Project.open(origin, rules=store_rules()) as p:  # dana settled it as ana had it
        History(p, "dana").do(AdoptSpans(1, list(ANA.spans), "take ana's version"))
    win = open_window(qtbot, tmp_path, origin, reviewer="lead")
    win.show_article(1)
    win.adjudication.act_mode.trigger()
    qtbot.waitUntil(lambda: win.jobs.job is None)
    view, panel = win.view, win.adjudication.panel
    regions = panel.regions

    def now_column(row: int) -> str:
        return regions.topLevelItem(row).data(4, Qt.ItemDataRole.AccessibleTextRole)

    assert "last changed by dana" in panel.summary.text()
    assert [regions.topLevelItem(i).text(0) for i in range(3)] == [
        "Albemarle Corp.", "Tianqi Lithium", "Western Australia"]
    # Space: Tianqi, shown in the list; Ctrl+Alt+3 takes cy's nothing there.
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert regions.currentIndex().row() == 1
    QTest.keyClick(view, Qt.Key.Key_3, TAKE)
    assert "Tianqi Lithium" not in [s.text for s in win.session.spans if s.live]
    assert now_column(1) == "—"
    # Nothing of a span carries that take: the summary reads who from the log.
    assert "last changed by lead" in panel.summary.text()
    # A click on an entity all three agree on: no difference is shown as the current one.
    click_offset(view, at("Chile")[0] + 1)
    assert view.selected_span().text == "Chile"
    assert regions.currentIndex().row() == -1
    # A click on the companies: their row.
    click_offset(view, at("Albemarle")[0] + 1)
    assert view.selected_span().text == "Albemarle Corp."
    assert regions.currentIndex().row() == 0
    # Space, then Ctrl+Alt+2 takes ben's Western Australia: the row the list shows.
    QTest.keyClick(view, Qt.Key.Key_Space)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert regions.currentIndex().row() == 2 and now_column(2) == "LOC"
    QTest.keyClick(view, Qt.Key.Key_2, TAKE)
    assert now_column(2) == "GPE"
    assert view.selected_span().text == "Western Australia"
    # The keys work in the list too: an arrow moves the text along, Ctrl+Alt+1 takes there.
    regions.setFocus()
    QTest.keyClick(regions, Qt.Key.Key_Up)
    QTest.keyClick(regions, Qt.Key.Key_Up)
    assert regions.currentIndex().row() == 0
    assert view.selected_span().text == "Albemarle Corp."
    QTest.keyClick(regions, Qt.Key.Key_2, TAKE)
    assert now_column(0) == "ORG" and "Albemarle" in [s.text for s in win.session.spans
                                                       if s.live]
    win.close()
