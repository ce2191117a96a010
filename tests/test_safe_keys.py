"""Safe keys (issue 25): a file dialog opened without taking the keyboard, and the path
typed "into it" fired A, X and S in the review window. Single keys act only when the
article text or the list has the keyboard and never while a dialog is open; a decision
made with one key says how to take it back, and Ctrl+Z does. Every check reads the
project file itself, as the next session would."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.common.file_dialogs import make_dialog
from gui.review.key_guard import DIALOG_OPEN
from tests.gui_helpers import open_window, where

TEXTS = [f"Chile exported lithium to China in 202{i}, the ministry said." for i in range(4)]
CTRL = Qt.KeyboardModifier.ControlModifier
PENDING = ["pending"] * len(TEXTS)


def statuses(path) -> list[str]:
    """Each article's status as the file holds it."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT status FROM articles ORDER BY id")]


def span_states(path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT state FROM spans ORDER BY id")]


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "keys.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text, title=f"Article {i}", spans=(
            SpanIn(*where(text, "Chile"), "GPE"), SpanIn(*where(text, "lithium"), "MINERAL")))
            for i, text in enumerate(TEXTS, 1)])
    return path


@pytest.fixture
def window(qtbot, tmp_path, path):
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    win.view.setFocus()
    return win


def type_into_the_window(qtbot, win, keys: str = "axs") -> None:
    """The review window keeps the keyboard (the window manager left it there) while the
    reviewer types: the keys reach it as the platform delivers them."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.view.setFocus()
    for key in keys:
        qtbot.keyClick(win.windowHandle(), key)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Delete):
        qtbot.keyClick(win.windowHandle(), key)


def a_plain_dialog(win, modal: bool) -> QDialog:
    dialog = QDialog(win)
    QVBoxLayout(dialog).addWidget(QLineEdit())
    dialog.setModal(modal)
    return dialog


def a_file_dialog(win, modal: bool) -> QDialog:
    dialog = make_dialog(win, "Import files", win.project.path.parent)
    dialog.setModal(modal)
    return dialog


@pytest.mark.parametrize("make", [a_plain_dialog, a_file_dialog])
@pytest.mark.parametrize("modal", [False, True], ids=["non-modal", "modal"])
def test_keys_typed_while_a_dialog_is_open_change_nothing(qtbot, window, path, make, modal):
    dialog = make(window, modal)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into_the_window(qtbot, window)
    assert statuses(path) == PENDING
    assert set(span_states(path)) == {"suggested"}  # Enter accepted nothing, Delete rejected
    if not modal:  # a modal dialog's window takes the keys away from the window (Qt's rule)
        assert window.statusBar().currentMessage() == DIALOG_OPEN
    dialog.close()
    qtbot.keyClick(window.view, Qt.Key.Key_X)  # closed: the keys act again
    assert statuses(path)[0] == "rejected"


def test_keys_typed_while_a_file_dialog_of_the_window_is_open_change_nothing(
        qtbot, window, path):
    """Ctrl+I's own dialog, run as the window runs it (gui.common.file_dialogs)."""
    seen: list[list[str]] = []

    def type_then_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        type_into_the_window(qtbot, window)
        seen.append(statuses(path))
        dialog.reject()

    QTimer.singleShot(0, type_then_cancel)
    window.act_import_files.trigger()
    assert seen == [PENDING]
    assert statuses(path) == PENDING


def test_letters_type_in_the_search_and_link_fields(qtbot, window, path):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)  # Find articles
    search = window.list_panel.search_box
    assert search.hasFocus()
    qtbot.keyClicks(search, "axs")
    assert search.text() == "axs"
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    search.clear()
    window.view.setFocus()
    window.view.select_span(window.project.spans(1)[0].id)
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    field = window.link_editor.field
    assert field.hasFocus()
    qtbot.keyClicks(field, "sax")
    assert field.text() == "sax"
    window.link_editor.completer.popup().hide()  # as a click elsewhere would
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # back to the text
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Slash)  # type-to-jump
    bar = window.view.jumps.find_bar
    assert bar.hasFocus()
    qtbot.keyClicks(bar, "xas")
    assert bar.text() == "xas"
    assert statuses(path) == PENDING


def test_single_keys_do_nothing_while_another_control_has_the_keyboard(qtbot, window, path):
    combo = window.list_panel.status_combo
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    for key in (Qt.Key.Key_X, Qt.Key.Key_S, Qt.Key.Key_J):
        qtbot.keyClick(combo, key)
    assert statuses(path) == PENDING
    assert window.article is not None and window.article.id == 1  # J did not move either
    assert window.statusBar().currentMessage() == (
        "J works in the text or the list: click the text first.")


def test_single_keys_act_in_the_text_and_in_the_list(qtbot, window, path):
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert statuses(path)[0] == "rejected"
    table = window.list_panel.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_S)
    assert statuses(path)[:2] == ["rejected", "skipped"]


@pytest.mark.parametrize(("key", "status", "said"), [
    (Qt.Key.Key_X, "rejected", "Article rejected — Ctrl+Z undoes."),
    (Qt.Key.Key_S, "skipped", "Article skipped — Ctrl+Z undoes.")], ids=["X", "S"])
def test_a_decision_by_one_key_says_ctrl_z_undoes_it_and_ctrl_z_does(
        qtbot, window, path, key, status, said):
    qtbot.keyClick(window.view, key)
    assert statuses(path) == [status] + PENDING[1:]
    assert window.statusBar().currentMessage() == said
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert statuses(path) == PENDING
    assert window.article is not None and window.article.id == 1  # back where it was decided


def test_approving_with_a_is_one_ctrl_z_away(qtbot, window, path):
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert statuses(path)[0] == "approved"
    assert span_states(path)[:2] == ["accepted", "accepted"]  # A accepted the suggestions
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert statuses(path) == PENDING
    assert set(span_states(path)) == {"suggested"}


def test_the_statistics_window_left_open_beside_does_not_hold_the_keys(qtbot, window, path):
    window.show_statistics()
    stats = window.statistics_window
    qtbot.waitUntil(lambda: stats is not None and stats.done_reading(), timeout=30_000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert statuses(path)[0] == "rejected"
