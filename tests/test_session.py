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
        session.article_opened.connect(lambda art: self.seen.append(("opened", art and art.id)))
        session.focus_moved.connect(lambda f: self.seen.append(("changed", f.article_id,
                                                            f.span_id)))
        session.history_moved.connect(lambda: self.seen.append(("history",)))


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


@pytest.mark.slow
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


# ---------------------------------------------------------------- which events an edit emits

EVENTS = ("article_opened", "article_ready", "spans_changed", "claims_changed",
          "article_changed", "articles_changed", "focus_moved", "history_moved",
          "labels_changed", "kb_entries_changed", "versions_changed")


class Events:
    """The names of the session's events, in the order they were emitted."""

    def __init__(self, session: ReviewSession) -> None:
        self.seen: list[str] = []
        for name in EVENTS:
            getattr(session, name).connect(lambda *_args, n=name: self.seen.append(n))

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def test_each_edit_emits_the_events_of_what_it_changed_and_the_focus_last(session, project):
    from core.review.edits import AddClaim, AddKbEntry, SetStatus
    from core.review.scheme_edits import UpdateLabel

    told = Events(session)
    session.open_article(1)
    assert told.take() == ["article_opened", "article_ready"]
    add = session.push(AddSpan(1, 0, 7, "MINERAL"))
    assert told.take() == ["spans_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    session.push(SetNote(1, "check"))
    assert told.take() == ["article_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    session.push(AddClaim(1, 0, 20))
    assert told.take() == ["claims_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    session.push(SetStatus(1, "approved", 3.0))
    assert told.take() == ["article_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    session.push(AddKbEntry("mineral:x", "MINERAL", "X", article_id=1))
    assert told.take() == ["articles_changed", "focus_moved", "kb_entries_changed",
                           "history_moved"]
    session.push(UpdateLabel("MINERAL", "colour", color="#123456"))
    assert told.take() == ["labels_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    session.undo()  # the colour
    session.undo()  # the entry
    assert told.take() == ["labels_changed", "articles_changed", "focus_moved",
                           "history_moved", "articles_changed", "focus_moved",
                           "kb_entries_changed", "history_moved"]
    session.undo()  # the approval
    session.undo()  # the claim
    session.undo()  # the note
    session.undo()  # the span
    assert told.take() == ["article_changed", "articles_changed", "focus_moved",
                           "history_moved", "claims_changed", "articles_changed",
                           "focus_moved", "history_moved", "article_changed",
                           "articles_changed", "focus_moved", "history_moved",
                           "spans_changed", "articles_changed", "focus_moved",
                           "history_moved"]
    assert add.span_id not in {s.id for s in session.spans}


def test_an_undo_in_another_article_opens_it_before_telling_what_changed(session):
    session.open_article(2)
    session.push(AddSpan(2, 0, 6, "MINERAL"))
    session.open_article(3)
    told = Events(session)
    session.undo()
    # Opened after the undo: it shows the spans as they are now, nothing changed since.
    assert told.take() == ["article_opened", "article_ready", "articles_changed",
                           "focus_moved", "history_moved"]


def test_writes_that_are_not_edits_tell_the_listeners_too(session, project, tmp_path):
    told = Events(session)
    project.add_kb_entry("mineral:y", "MINERAL", "Y", [], "ana")
    session.delete_kb_entry("mineral:y", "MINERAL")
    assert told.take() == ["kb_entries_changed"]
    session.articles_written()
    session.versions_merged()
    assert told.take() == ["articles_changed", "versions_changed"]
    session.open_article(1)
    told.take()
    session.articles_written(reopen=True)  # pre-annotation wrote the open article
    assert told.take() == ["articles_changed", "article_opened", "article_ready"]
    scheme = tmp_path / "scheme.json"
    project.export_scheme(str(scheme))
    project.rename_label("MINERAL", "METAL", "ana")  # the file now differs from the scheme
    told.take()
    session.import_scheme(str(scheme))
    assert "labels_changed" in told.take()


def test_a_read_only_session_refuses_writes_that_are_not_edits_too(project):
    session = ReviewSession(project, "ana", read_only_reason="another window has it")
    told = Events(session)
    with pytest.raises(ReadOnly):
        session.delete_kb_entry("mineral:y", "MINERAL")
    assert told.take() == []


# ---------------------------------------------------------------- the signal's lifetime rule

@pytest.mark.slow
def test_a_signal_holds_bound_methods_weakly_and_functions_until_disconnected():
    import gc

    from core.review.events import Signal

    class Widget:
        def __init__(self) -> None:
            self.heard: list[int] = []

        def hear(self, value: int) -> None:
            self.heard.append(value)

    signal = Signal()
    widget = Widget()
    signal.connect(widget.hear)
    heard: list[int] = []
    connection = signal.connect(heard.append)
    signal.emit(1)
    assert widget.heard == [1] and heard == [1] and len(signal) == 2
    del widget
    gc.collect()
    assert len(signal) == 1  # the widget went, its listener with it
    signal.emit(2)
    connection.disconnect()
    connection.disconnect()  # twice is harmless
    signal.emit(3)
    assert heard == [1, 2] and len(signal) == 0
