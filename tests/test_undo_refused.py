"""An undo the store refuses for good does not block Ctrl+Z (core.review.history): another
process renamed the topic a reviewer had set, so undoing that toggle is refused; the
window says why and that the history is cleared, and Undo is no longer offered. Before,
every Ctrl+Z failed on the same edit until the window's periodic check."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from core.errors import InvalidEdit, ProjectError
from core.nlp.store_rules import store_rules
from core.review.history import History, HistoryCleared
from core.review.topic_edits import SetTopic
from core.store import Project
from tests.gui_helpers import REPO
from tests.test_topics_window import CTRL, stored, topic_key
from tests.test_topics_window import path as path  # a fixture, shared
from tests.test_topics_window import window as window  # a fixture, shared


def rename_elsewhere(path, old: str, new: str) -> None:
    done = subprocess.run([sys.executable, "-m", "core.cli", "topics", str(path), "rename",
                           old, new], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_ctrl_z_on_a_topic_renamed_elsewhere_says_why_and_clears_the_history(
        qtbot, window, path):
    topic_key(qtbot, window, "5")  # trade and supply
    topic_key(qtbot, window, "1")  # export controls
    assert set(stored(path, 1)) == {"trade and supply", "export controls"}
    rename_elsewhere(path, "export controls", "export restrictions")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    said = window.statusBar().currentMessage()
    assert said.startswith("Cannot undo set topic export controls: No topic 'export controls'")
    assert said.endswith("The undo history is cleared, so nothing is undone over that change.")
    assert window.act_undo.text() == "&Undo" and not window.act_undo.isEnabled()
    # The header shows the topic by its new name (the history's listeners reread).
    qtbot.waitUntil(lambda: "export restrictions" in window.header.topics.chips)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # nothing left to undo
    # Nothing was changed by the refusal or by the next key: both topics are still set.
    assert set(stored(path, 1)) == {"trade and supply", "export restrictions"}


def test_a_refused_redo_takes_the_redo_list_with_it_and_a_failed_write_keeps_its_place(
        path, monkeypatch):
    with Project.open(path, rules=store_rules()) as project:
        history = History(project, "ana")
        history.do(SetTopic(1, "export controls", True))
        history.do(SetTopic(1, "trade and supply", True))
        history.undo()
        history.undo()
        project.rename_topic("export controls", "export restrictions", "ben")
        with pytest.raises(HistoryCleared, match="No topic 'export controls'"):
            history.redo()
        assert history.undone == [] and history.done == []
        # A write that fails (a lock, a full disk) is not a refusal: the edit stays, and
        # the same key can try again.
        history.do(SetTopic(1, "trade and supply", True))

        def locked(*_args, **_kwargs):
            raise ProjectError("The project is locked by another program.")

        monkeypatch.setattr(project, "restore_article_topic", locked)
        with pytest.raises(ProjectError):
            history.undo()
        assert history.undo_title == "set topic trade and supply"
        monkeypatch.undo()
        history.undo()
        assert history.undo_title is None
        assert issubclass(HistoryCleared, InvalidEdit)  # callers that catch refusals still do
