"""Review → Supply-chain map (issue 27), as a reviewer uses it: the window opens beside the
review with the staged map and its relations listed; a click on an edge in the map lists
its sentences newest first, and Enter on one opens its article there with the sentence
selected; a click on a node lists its relations; the filters narrow the map; Tab reaches
the filters and arrow keys walk the relations."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from core.stats.chain_figure import edge_point
from tests.chain_corpus import ARTICLES, AUS, LITHIUM, build
from tests.gui_helpers import open_window


@pytest.fixture
def chain_window(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path, build(tmp_path))
    review = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Review")
    assert win.act_chain_map in review.actions()
    win.act_chain_map.trigger()
    dialog = win.chain_window
    assert dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.cmap is not None and dialog.done_reading(), timeout=30_000)
    yield win, dialog
    qtbot.waitUntil(dialog.done_reading, timeout=30_000)


def _click(qtbot, dialog, point) -> None:
    canvas = dialog.map_pane.canvas
    ratio = canvas.device_pixel_ratio
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(point[0] / ratio), round(canvas.height() - point[1] / ratio)))


def _axes(qtbot, dialog):
    canvas = dialog.map_pane.canvas
    qtbot.waitExposed(canvas)
    canvas.draw()
    return next(ax for ax in dialog.map_pane.figure.axes if hasattr(ax, "_assay_chain"))


@pytest.mark.slow
def test_an_edge_click_lists_its_evidence_and_enter_opens_the_article(qtbot, chain_window):
    win, dialog = chain_window
    edges = dialog.edge_model
    assert edges.rowCount() == 7
    assert [edges.item(0, c).text() for c in range(2)] == ["2", "Australia PRODUCES lithium"]
    assert "7 relations" in dialog.status.text()

    ax = _axes(qtbot, dialog)
    _click(qtbot, dialog, edge_point(ax, (AUS, "PRODUCES", LITHIUM)))
    assert dialog.edge == (AUS, "PRODUCES", LITHIUM)
    model = dialog.sentence_model
    qtbot.waitUntil(lambda: model.rowCount() == 2 and dialog.done_reading(), timeout=30_000)
    assert [model.item(r, 2).text() for r in range(2)] == [
        "Western Australia mines lithium.", "Australia is a leading producer of lithium."]
    assert model.item(0, 0).text() == "2024-06-01"
    assert dialog.evidence_title.text().startswith(
        "Australia PRODUCES lithium: 2 sentences in 2 articles")

    win.show_article(4)
    listing = dialog.sentence_list
    listing.setCurrentIndex(model.index(1, 2))
    listing.setFocus()
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert win.article.id == 1
    text = ARTICLES[0][0]
    sentence = "Australia is a leading producer of lithium."
    assert win.view.text_selection() == (text.index(sentence), len(sentence))


@pytest.mark.slow
def test_a_node_lists_its_relations_and_keys_walk_them(qtbot, chain_window):
    _win, dialog = chain_window
    ax = _axes(qtbot, dialog)
    layout = ax._assay_chain[0]
    _click(qtbot, dialog, ax.transData.transform(layout.positions["country:CHN"]))
    assert dialog.node == "country:CHN"
    edges = dialog.edge_model
    assert dialog.edge_title.text() == "Relations of China (3)"
    assert sorted(edges.item(r, 1).text() for r in range(edges.rowCount())) == [
        "Australia SUPPLIES China", "China PROCESSES lithium", "China PROCESSES nickel"]
    assert dialog.all_button.isVisible()
    # Arrow keys walk the list; each relation's sentences follow.
    listing = dialog.edge_list
    listing.setFocus()
    listing.setCurrentIndex(edges.index(0, 0))
    qtbot.keyClick(listing, Qt.Key.Key_Down)
    chosen = edges.item(1, 1).text()
    qtbot.waitUntil(lambda: dialog.done_reading() and dialog.sentence_model.rowCount() == 1,
                    timeout=30_000)
    assert dialog.evidence_title.text().startswith(f"{chosen}: 1 sentence")
    dialog.all_button.click()
    assert edges.rowCount() == 7


@pytest.mark.slow
def test_the_filters_narrow_the_map_and_tab_reaches_them(qtbot, chain_window):
    _win, dialog = chain_window
    box = dialog.mineral_box
    assert box.itemText(0) == "All minerals"
    box.setCurrentIndex(box.findData(LITHIUM))
    qtbot.waitUntil(lambda: dialog.done_reading() and dialog.edge_model.rowCount() == 4,
                    timeout=30_000)
    assert dialog.status.text().startswith("lithium's chain: ")
    dialog.suggestions_box.setChecked(True)
    qtbot.waitUntil(dialog.done_reading, timeout=30_000)
    box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.done_reading() and dialog.edge_model.rowCount() == 9,
                    timeout=30_000)
    dialog.since_edit.setText("2025-01-01")
    dialog.since_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.done_reading() and dialog.edge_model.rowCount() == 4,
                    timeout=30_000)
    # Tab goes from one filter to the next.
    box.setFocus()
    seen = []
    for _ in range(6):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    for widget in (dialog.type_box, dialog.since_edit, dialog.until_edit,
                   dialog.reviewer_box, dialog.suggestions_box):
        assert widget in seen


@pytest.mark.slow
def test_the_nodes_list_reaches_a_nodes_relations_by_keys(qtbot, chain_window):
    _win, dialog = chain_window
    dialog.side_tabs.setCurrentIndex(1)
    nodes = dialog.node_model
    names = [nodes.item(r, 1).text() for r in range(nodes.rowCount())]
    assert names[0] == "Australia" and "Lynas" in names and len(names) == 7
    listing = dialog.node_list
    listing.setFocus()
    listing.setCurrentIndex(nodes.index(0, 1))
    while nodes.item(listing.currentIndex().row(), 1).text() != "Lynas":
        qtbot.keyClick(listing, Qt.Key.Key_Down)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert dialog.side_tabs.currentIndex() == 0
    assert dialog.edge_title.text() == "Relations of Lynas (2)"
