"""The Qt-free review history: a failed edit leaves it where it was; an undo refused
because the project changed elsewhere clears it.

Before, undo lived in a ``QUndoStack``: when an undo failed (another writer had changed
the span), the window said so but the stack moved as if it had worked, and the next
Ctrl+Z undid the wrong edit.
"""

from __future__ import annotations

import pytest

from core.errors import InvalidEdit
from core.nlp.store_rules import store_rules
from core.review.edits import AddKbEntry, AddSpan, LinkSpans, SetStatus, UpdateSpan
from core.review.history import History, HistoryCleared
from core.store import Project


@pytest.fixture
def history(project):
    return History(project, "ana")


def test_a_refused_edit_is_not_recorded(history, project):
    with pytest.raises(InvalidEdit):
        history.do(AddSpan(1, 0, 999, "MINERAL"))
    assert history.done == [] and history.undo_title is None


def test_an_undo_over_another_writers_change_is_refused_and_clears_the_history(
        history, project, tmp_path):
    """Refused, the relabel's undo must not leave "add MINERAL" next in line either: that
    undo would delete the span ben has just relabelled."""
    relabel = history.do(UpdateSpan(history.do(AddSpan(1, 0, 7, "MINERAL")).span_id,
                                    "relabel as ORG", label="ORG"))
    # Another writer changes the span meanwhile.
    other = Project.open(project.path, rules=store_rules())
    other.update_span(relabel.span_id, "ben", label="GPE")
    other.close()
    with pytest.raises(HistoryCleared, match="changed by another window"):
        history.undo()
    assert history.done == [] and history.undone == []
    assert history.undo() is None
    assert project.span(relabel.span_id).label == "GPE"  # ben's change is kept


def test_undo_and_redo_report_what_they_touched(history, project):
    seen = []
    history.changed.connect(seen.append)
    add = history.do(AddSpan(2, 0, 6, "MINERAL"))
    history.do(SetStatus(2, "approved", 3.0))
    history.undo()
    history.undo()
    history.redo()
    assert [(f.article_id, f.span_id) for f in seen] == [
        (2, add.span_id), (2, None), (2, None), (2, add.span_id), (2, add.span_id)]
    assert project.span(add.span_id).state == "accepted"


def test_linking_many_mentions_is_one_transaction_and_one_undo(history, project):
    ids = [history.do(AddSpan(a, s, e, "GPE")).span_id
           for a, s, e in ((1, 23, 28), (3, 0, 9), (3, 14, 19))]
    with pytest.raises(InvalidEdit):  # one missing span refuses all of them
        history.do(LinkSpans(3, [*ids, 999], "CHL"))
    assert [project.span(i).kb_id for i in ids] == ["CHL", "AUS", "JPN"]
    history.do(LinkSpans(3, ids, "geo:test"))
    assert {project.span(i).kb_id for i in ids} == {"geo:test"}
    history.undo()
    assert [project.span(i).kb_id for i in ids] == ["CHL", "AUS", "JPN"]


def test_adding_a_canonical_entry_is_undoable(history, project):
    history.do(AddKbEntry("org:test-co", "ORG", "Test Co", ["TestCo"]))
    assert project.link("ORG", "TestCo") == "org:test-co"
    history.undo()
    assert project.link("ORG", "TestCo") is None and project.kb_entries() == []
    history.redo()
    assert project.link("ORG", "TestCo") == "org:test-co"
