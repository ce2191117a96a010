"""Widgets listen to the session and are released when they go.

Every dialog of the review window is opened and closed three times; afterwards each
session event has exactly the listeners it had before (no closed dialog is refilled by a
later edit). And the Qt-free ``Signal`` holds bound methods weakly.
"""

from __future__ import annotations

import gc
import shutil

import pytest
from PySide6.QtCore import QTimer

from core.review.edits import AddSpan
from core.review.events import Signal
from tests.gui_helpers import open_window
from tests.test_adjudication_rule import make_team


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """Two reviewers' versions merged (the agreement and adjudication dialogs need them)."""
    return make_team(tmp_path_factory.mktemp("team"))


@pytest.fixture
def win(qtbot, tmp_path, team):
    path = tmp_path / "listeners.assay"
    shutil.copy(team, path)
    return open_window(qtbot, tmp_path, path, reviewer="lead")


def counts(session) -> dict[str, int]:
    """The live listeners of each of the session's events."""
    gc.collect()
    return {name: len(signal) for name, signal in vars(session).items()
            if isinstance(signal, Signal)}


def wait_job(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.jobs.job is None, timeout=30_000)


def closing_modal(qtbot, get_dialog) -> None:
    """Close a dialog run with exec() as soon as it shows."""
    def close() -> None:
        dialog = get_dialog()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, close)
            return
        dialog.reject()

    QTimer.singleShot(20, close)


def open_and_close_labels(qtbot, win) -> None:
    win.show_labels()
    win.labels_dialog.reject()


def open_and_close_entries(qtbot, win) -> None:
    closing_modal(qtbot, lambda: win.linking.entries_dialog)
    win.linking.show_entries()


def open_and_close_statistics(qtbot, win) -> None:
    win.show_statistics()
    dialog = win.statistics_window
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    dialog.close()


def open_and_close_agreement(qtbot, win) -> None:
    win.agreement_dialog = None
    win.show_agreement()
    qtbot.waitUntil(lambda: win.agreement_dialog is not None, timeout=30_000)
    win.agreement_dialog.reject()


def open_and_close_models(qtbot, win) -> None:
    dialog = win.model_training.show_models()
    dialog.close()


def open_and_close_adjudication(qtbot, win) -> None:
    win.adjudication.act_mode.trigger()  # on: the tab, the lanes, the worklist
    wait_job(qtbot, win)
    win.adjudication.act_mode.trigger()  # off


def open_and_close_export(qtbot, win) -> None:
    win.jobs.export_dialog().reject()


def open_and_close_hand_out(qtbot, win) -> None:
    win.show_hand_out()
    win.hand_out_dialog.reject()


def open_and_close_shortcuts(qtbot, win) -> None:
    win.show_shortcuts()
    win.shortcuts_dialog.reject()


DIALOGS = [open_and_close_labels, open_and_close_entries, open_and_close_statistics,
           open_and_close_agreement, open_and_close_models, open_and_close_adjudication,
           open_and_close_export, open_and_close_hand_out, open_and_close_shortcuts]


@pytest.mark.slow
@pytest.mark.parametrize("open_and_close", DIALOGS, ids=lambda f: f.__name__[15:])
def test_opening_and_closing_a_dialog_three_times_leaves_the_listeners_as_they_were(
        qtbot, win, open_and_close):
    before = counts(win.session)
    assert before["article_opened"] > 0 and before["labels_changed"] > 0
    for _ in range(3):
        open_and_close(qtbot, win)
    qtbot.wait(50)
    assert counts(win.session) == before


def test_a_closed_labels_dialog_is_not_refilled(qtbot, win):
    win.show_labels()
    dialog = win.labels_dialog
    dialog.reject()
    filled = []
    dialog.fill = lambda *args: filled.append(args)  # what a stale listener would call
    win.push(AddSpan(win.article.id, 0, 9, "ORG"))
    win.undo()
    assert filled == []


def test_the_window_relays_nothing_a_new_session_is_handed_to_its_parts(qtbot, win):
    """Each part subscribed itself: the window listens only for its status bar and the
    Undo and Redo actions."""
    own = [c for signal in vars(win.session).values() if isinstance(signal, Signal)
           for c in signal._connections if getattr(c.callback(), "__self__", None) is win]
    assert sorted(c.callback().__name__ for c in own) == [
        "_article_opened", "_update_undo_actions", "update_status"]
