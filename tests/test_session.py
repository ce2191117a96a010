"""The Qt-free review session: what a front end shows, changed only through it, told to
listeners. The window's widgets subscribe to these signals; here no Qt is loaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.errors import InvalidEdit
from core.review.edits import AddSpan, SetNote, UpdateSpan
from core.review.session import ReadOnly, ReviewSession


class Recorder:
    """Everything a listener was told, in order."""

    def __init__(self, session: ReviewSession) -> None:
        self.seen: list[tuple] = []
        session.opened.connect(lambda art: self.seen.append(("opened", art and art.id)))
        session.changed.connect(lambda f: self.seen.append(("changed", f.article_id,
                                                            f.span_id)))
        session.history_changed.connect(lambda: self.seen.append(("history",)))


@pytest.fixture
def session(project):
    return ReviewSession(project, "ana")


def test_opening_reads_the_article_spans_tokens_and_claims(session, project):
    project.add_span(1, 0, 7, "MINERAL", "ben")
    told = Recorder(session)
    session.open_article(1)
    assert session.article.id == 1 and [s.label for s in session.spans] == ["MINERAL"]
    assert session.tokens[0] == (0, 7)
    assert project.tokens(1) == session.tokens  # cached for the next open
    assert told.seen == [("opened", 1)]
    session.open_article(None)
    assert (session.article, session.spans, told.seen[-1]) == (None, [], ("opened", None))


def test_an_edit_updates_the_state_and_tells_listeners_what_it_touched(session):
    session.open_article(1)
    told = Recorder(session)
    add = session.push(AddSpan(1, 0, 7, "MINERAL"))
    assert [(s.id, s.label) for s in session.spans] == [(add.span_id, "MINERAL")]
    session.push(UpdateSpan(add.span_id, "relabel", label="ORG"))
    assert session.spans[0].label == "ORG"
    assert told.seen == [("changed", 1, add.span_id), ("history",)] * 2
    session.undo()
    assert session.spans[0].label == "MINERAL"


def test_undo_of_an_edit_in_another_article_opens_that_article(session):
    session.open_article(2)
    add = session.push(AddSpan(2, 0, 6, "MINERAL"))
    session.open_article(3)
    told = Recorder(session)
    session.undo()
    assert session.article.id == 2 and session.spans == []
    assert told.seen == [("opened", 2), ("changed", 2, add.span_id), ("history",)]


def test_a_refused_edit_changes_nothing_and_tells_no_one(session):
    session.open_article(1)
    told = Recorder(session)
    with pytest.raises(InvalidEdit):
        session.push(AddSpan(1, 0, 10_000, "MINERAL"))
    assert (session.spans, session.history.done, told.seen) == ([], [], [])


def test_read_only_refuses_every_change_before_the_store_is_asked(project):
    session = ReviewSession(project, "ana", read_only_reason="another window has it open")
    session.open_article(1)
    for step in (lambda: session.push(SetNote(1, "x")), session.undo, session.redo,
                 lambda: session.decide("approved")):
        with pytest.raises(ReadOnly, match="another window has it open"):
            step()
    assert project.article(1).note == "" and project.events(1) == []


def test_a_decision_records_the_seconds_since_the_article_was_opened(project):
    now = [100.0]
    session = ReviewSession(project, "ana", clock=lambda: now[0])
    session.open_article(2)
    now[0] = 112.34
    session.decide("approved")
    article = project.article(2)
    assert (article.status, article.review_seconds, session.article.status) == (
        "approved", 12.3, "approved")
    assert session.next_pending() == 3


def test_the_session_needs_no_qt(project):
    """In a fresh interpreter (this one has Qt loaded by other tests)."""
    code = ("import sys; from core.review.session import ReviewSession; "
            "from core.store import Project; from core.nlp.store_rules import store_rules; "
            f"s = ReviewSession(Project.open({str(project.path)!r}, rules=store_rules()), "
            "'ana'); s.open_article(1); "
            "print(any(m.split('.')[0] == 'PySide6' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_the_current_claim_is_the_one_moved_to_last(session, project):
    """SAMPLE_TEXTS[0]: two sentences, each a claim; the first holds "Chile"."""
    text = project.article_text(1)
    first = project.add_claim(1, 0, text.index("\n"), "ana")
    second = project.add_claim(1, text.index("The"), len(text), "ana")
    chile = project.add_span(1, text.index("Chile"), text.index("Chile") + 5, "GPE", "ana")
    session.open_article(1)
    assert session.current_claim() is None
    assert session.point_at_entity(session.span(chile.id)).id == first.id
    assert session.step_claim(1).id == second.id  # ]: moved on, the entity notwithstanding
    assert session.current_claim().id == second.id
    assert session.step_claim(1).id == first.id  # wraps round
    assert session.step_claim(-1).id == second.id
    assert session.point_at_claim(None) is None
    session.open_article(2)
    assert session.claim_id is None and session.step_claim(1) is None
