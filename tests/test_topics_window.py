"""Topics in the review window (issue 29), driven as a reviewer would: T, then a digit, sets
and removes the open article's topic, the header shows it as a chip (a suggestion tinted),
Ctrl+Z undoes, a click on a chip removes it, approving accepts suggested topics, the
Labels dialog's Topics tab edits the scheme, and the article list filters by topic. Real
window, real project file read back with sqlite3."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
DIGITS = {str(i): getattr(Qt.Key, f"Key_{i}") for i in range(10)}


def topic_key(qtbot, win, digit: str, widget=None) -> None:
    """T, then the digit, in the menu T opened (a QMenu takes the keyboard)."""
    qtbot.keyClick(widget or win.view, Qt.Key.Key_T)
    menu = win.header.topics.menu
    if not menu.isVisible():
        return
    qtbot.keyClick(menu, DIGITS[digit])
    qtbot.waitUntil(lambda: not menu.isVisible())
TEXTS = ["Beijing tightened export licences for gallium and germanium.",
         "Lynas raised A$1 billion to expand its Kalgoorlie processing plant.",
         "Chile's lithium output rose as prices fell."]


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "topics.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=t, title=f"Article {i}")
                              for i, t in enumerate(TEXTS, 1)])
        project.suggest_topics(2, {"investment and finance": 0.91,
                                   "processing and refining": 0.74}, "topics-model==1")
    return path


@pytest.fixture
def window(qtbot, tmp_path, path):
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def stored(path, article_id: int) -> dict[str, tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return {t: (s, o, who) for t, s, o, who in conn.execute(
            "SELECT topic, state, origin, updated_by FROM article_topics WHERE article_id = ?",
            (article_id,))}


def chips(win) -> list[str]:
    return [name for name, chip in win.header.topics.chips.items() if chip.isVisible()]


def test_t_then_a_digit_sets_a_topic_the_header_shows_it_and_ctrl_z_undoes(qtbot, window, path):
    assert chips(window) == [] and window.header.topics.empty.isVisible()
    topic_key(qtbot, window, '1')
    assert stored(path, 1) == {"export controls": ("accepted", "reviewer", "ana")}
    qtbot.waitUntil(lambda: chips(window) == ["export controls"])
    assert not window.header.topics.empty.isVisible()
    topic_key(qtbot, window, '5')
    assert chips(window) == ["export controls", "trade and supply"]
    assert window.topic_review.key_actions["trade and supply"].isChecked()
    topic_key(qtbot, window, '1')  # again: off
    assert stored(path, 1)["export controls"][0] == "rejected"
    assert chips(window) == ["trade and supply"]
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored(path, 1) == {}
    assert chips(window) == []
    assert window.article is not None and window.article.id == 1  # Focus stayed


def test_t_types_in_the_note_and_does_nothing_under_a_dialog(qtbot, window, path):
    window.note.setFocus()
    qtbot.keyClick(window.note, Qt.Key.Key_T)
    assert window.note.text() == "t" and not window.header.topics.menu.isVisible()
    window.show_labels()
    qtbot.waitUntil(lambda: window.labels_dialog.isVisible())
    qtbot.keyClick(window.view, Qt.Key.Key_T)
    assert not window.header.topics.menu.isVisible()
    window.labels_dialog.close()
    window.view.setFocus()
    topic_key(qtbot, window, "7")
    assert stored(path, 1) == {"partnerships": ("accepted", "reviewer", "ana")}


def test_a_suggestion_is_tinted_a_click_removes_it_and_approval_accepts_the_rest(
        qtbot, window, path):
    window.show_article(2)
    assert chips(window) == ["investment and finance", "processing and refining"]
    chip = window.header.topics.chips["processing and refining"]
    assert "dashed" in chip.styleSheet()
    assert "0.74" in chip.toolTip()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert stored(path, 2)["processing and refining"] == ("rejected", "model", "ana")
    assert chips(window) == ["investment and finance"]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # approve
    assert stored(path, 2)["investment and finance"] == ("accepted", "model", "ana")
    assert "1 suggested topic accepted" in window.statusBar().currentMessage()
    window.show_article(2)
    assert "dashed" not in window.header.topics.chips["investment and finance"].styleSheet()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo the approval: a suggestion again
    assert stored(path, 2)["investment and finance"][0] == "suggested"


def test_the_topics_menu_lists_every_topic_with_its_key(window):
    menu = window.header.topics.menu
    entries = [a.text().split(maxsplit=1) for a in menu.actions()]
    assert entries[0] == ["1", "export controls"]
    assert len(entries) == 9 and entries[-1] == ["9", "environment and social"]
    menu.actions()[2].trigger()
    assert "production and capacity" in stored(window.project.path, 1)


def test_another_process_renaming_a_topic_reaches_the_keys(qtbot, window, path):
    with Project.open(path, rules=store_rules()) as other:
        other.rename_topic("export controls", "export restrictions", "cli")
    window.session.check_scheme()
    topic_key(qtbot, window, '1')
    assert "export restrictions" in stored(path, 1)


def topic_names(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM topics ORDER BY position")]


def test_the_topics_tab_renames_adds_moves_and_ctrl_z_undoes(qtbot, window, path):
    topic_key(qtbot, window, "7")  # partnerships, set by ana before the rename
    window.show_labels()
    dialog = window.labels_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.tabs.setCurrentWidget(dialog.topics)
    pane = dialog.topics
    assert pane.table.rowCount() == 9
    pane.table.selectRow(6)
    assert pane.name.text() == "partnerships" and pane.key.text() == "7"
    assert pane.table.item(6, 3).text() == "1"  # one article has it
    pane.name.setText("partnerships and alliances")
    qtbot.keyClick(pane.name, Qt.Key.Key_Return)
    assert topic_names(path)[6] == "partnerships and alliances"
    assert stored(path, 1) == {"partnerships and alliances": ("accepted", "reviewer", "ana")}
    assert "Done" in dialog.message.text()
    pane.key.setText("5")  # trade and supply's: refused, nothing changes
    qtbot.keyClick(pane.key, Qt.Key.Key_Return)
    assert "already trade and supply" in dialog.message.text()
    new = next(b for b in pane.findChildren(QPushButton) if b.text() == "New topic")
    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    assert topic_names(path)[-1] == "new topic"
    pane.move_topic(-1)
    assert topic_names(path)[-2:] == ["new topic", "environment and social"]
    dialog.close()
    window.view.setFocus()
    entries = [a.text() for a in window.header.topics.menu.actions()]
    assert "7   partnerships and alliances" in entries and "0   new topic" in entries
    for _ in range(3):  # move, add, rename
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert topic_names(path)[6] == "partnerships" and len(topic_names(path)) == 9
    assert stored(path, 1) == {"partnerships": ("accepted", "reviewer", "ana")}


def test_the_list_filters_by_topic_with_counts_and_sorts_by_topics(qtbot, window, path):
    panel = window.list_panel
    combo = panel.topic_combo
    entries = [combo.itemText(i) for i in range(combo.count())]
    assert entries[:3] == ["All topics", "export controls (0)", "investment and finance (1)"]
    topic_key(qtbot, window, "1")  # article 1: export controls
    qtbot.waitUntil(lambda: combo.itemText(1) == "export controls (1)")
    combo.setCurrentIndex(combo.findData("investment and finance"))
    qtbot.waitUntil(lambda: panel.count_label.text() == "1 of 3")
    assert panel.model.article_id(0) == 2
    combo.setCurrentIndex(combo.findData("export controls"))
    qtbot.waitUntil(lambda: panel.count_label.text() == "1 of 3")
    assert panel.model.article_id(0) == 1
    window.view.setFocus()
    topic_key(qtbot, window, "1")  # removed: the filtered list empties, the count follows
    qtbot.waitUntil(lambda: panel.count_label.text() == "0 of 3")
    assert combo.itemText(1) == "export controls (0)"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: panel.count_label.text() == "1 of 3")
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.count_label.text() == "3 of 3")
    from gui.articles.list_model import TOPICS
    panel.model.sort(TOPICS, Qt.SortOrder.DescendingOrder)
    shown = [panel.model.row(r).topics for r in range(3)]
    assert shown == ["investment and finance; processing and refining", "export controls", ""]
    assert panel.model.data(panel.model.index(1, TOPICS)) == "export controls"


def test_a_hostile_name_is_shown_as_typed_and_a_read_only_window_changes_nothing(
        qtbot, tmp_path, path):
    with Project.open(path, rules=store_rules()) as p:
        p.add_topic("<b>M&A</b>", "lead", hotkey="0")
        p.set_article_topic(1, "<b>M&A</b>", True, "lead")
    first = open_window(qtbot, tmp_path, path)  # holds the project's lock
    first.show_article(1)
    chip = first.header.topics.chips["<b>M&A</b>"]
    assert chip.text() == "<b>M&&A</b>"  # Qt shows "&&" as "&": the name as typed
    assert any(a.text().endswith("<b>M&&A</b>") for a in first.header.topics.menu.actions())
    (tmp_path / "second").mkdir()
    second = open_window(qtbot, tmp_path / "second", path)
    assert second.project.read_only or second.read_only_reason
    second.show_article(1)
    second.view.setFocus()
    topic_key(qtbot, second, "0", second.view)
    assert not second.header.topics.menu.isVisible()  # T says why instead of a menu
    assert stored(path, 1)["<b>M&A</b>"][0] == "accepted"
    assert "Read-only" in second.statusBar().currentMessage()


def test_a_click_on_the_topics_header_puts_the_articles_with_topics_first(qtbot, tmp_path, path):
    from gui.articles.list_model import TOPICS
    win = open_window(qtbot, tmp_path, path)
    win.resize(1440, 880)
    win.splitter.setSizes([700, 400, 340])  # a list wide enough to show the Topics column
    table = win.list_panel.table
    qtbot.waitUntil(lambda: not table.isColumnHidden(TOPICS))
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(TOPICS) + 5, header.height() // 2))
    model = win.list_panel.model
    qtbot.waitUntil(lambda: model.order == ("topics", True))
    assert model.row(0).id == 2 and model.row(0).topics.startswith("investment")


def test_a_long_unbroken_title_source_or_topic_never_widens_the_window(qtbot, tmp_path):
    """A PDF titled with one 74-character word and a topic of 40 letters pushed a
    1024-pixel window to 1458 and more, the labels off the screen."""
    path = tmp_path / "wide.assay"
    word = "CRITICAL_MINERALS_SUPPLY_CHAIN_REPORT_2024_FINAL_VERSION_FOR_PUBLICATION_v3"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(
            text="Lithium prices fell in Chile.", title=word)])
        project.add_topic("W" * 40, "lead", color="#ffeb3b", hotkey="0")
        project.set_article_topic(1, "W" * 40, True, "lead")
    win = open_window(qtbot, tmp_path, path)
    win.resize(1024, 640)
    win.show_article(1)
    qtbot.wait(50)
    assert win.width() <= 1024 and win.minimumSizeHint().width() <= 1024
    assert win.header.title.text().replace("\u200b", "") == word  # shown whole, wrapped
    chip = win.header.topics.chips["W" * 40]
    assert chip.text().endswith("…") and "W" * 40 in chip.toolTip()
    # On a light colour the chip's text is dark ink, not white on yellow.
    assert "color: #1b1b1b" in chip.styleSheet()
