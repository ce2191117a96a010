"""The view stays where the reviewer works (issue 25): O, Enter on the last entity, and
Space or Shift+Space with nothing further keep the selection and the scroll where they
were, and the status bar says what happened. Real keys in the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

SHIFT = Qt.KeyboardModifier.ShiftModifier
PARAGRAPHS = [f"Paragraph {i}: nickel output in Indonesia rose again this quarter."
              for i in range(70)]
for _i in (4, 30, 31, 52, 66):
    PARAGRAPHS[_i] = f"Paragraph {_i}: Lynas shipped rare earths from Malaysia this quarter."
TEXT = "\n\n".join(PARAGRAPHS)


def place(paragraph: int, word: str) -> tuple[int, int]:
    start = TEXT.index(word, TEXT.index(f"Paragraph {paragraph}:"))
    return start, start + len(word)


def make_window(qtbot, tmp_path, spans: list[SpanIn]):
    path = tmp_path / "stay.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Long", spans=tuple(spans))])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1024, 640)
    win.show_article(1)
    win.view.setFocus()
    qtbot.waitUntil(lambda: win.view.verticalScrollBar().maximum() > 0)
    return win


def span_at(win, paragraph: int, word: str):
    where = place(paragraph, word)
    return next(s for s in win.project.spans(1) if (s.start, s.end) == where)


def message(win) -> str:
    return win.statusBar().currentMessage()


def test_o_keeps_the_selection_and_the_scroll_and_says_how_many(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, [SpanIn(*place(30, "Lynas"), "ORG", state="accepted")])
    view, bar = win.view, win.view.verticalScrollBar()
    chosen = span_at(win, 30, "Lynas")
    view.select_span(chosen.id)  # centred, as Tab or Space leave it
    scroll = bar.value()
    assert 0 < scroll < bar.maximum()
    qtbot.keyClick(view, Qt.Key.Key_O)
    lynas = [s for s in win.project.spans(1) if s.text == "Lynas"]
    assert len(lynas) == 5  # the four others were labelled
    assert view.selected_id == chosen.id  # not the first new one, at the top
    assert bar.value() == scroll
    assert message(win) == ("Labelled 4 more occurrences of \u201cLynas\u201d as ORG "
                            "\u2014 Ctrl+Z undoes.")
    qtbot.keyClick(view, Qt.Key.Key_O)  # none left: says so, still nothing moves
    assert message(win) == ("No other unlabelled occurrence of \u201cLynas\u201d in this "
                            "article: nothing was labelled.")
    assert (view.selected_id, bar.value()) == (chosen.id, scroll)


def test_enter_on_the_last_suggestion_stays_and_says_the_article_is_done(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, [
        SpanIn(*place(2, "Indonesia"), "GPE", state="accepted"),
        SpanIn(*place(30, "Malaysia"), "GPE", state="accepted"),
        SpanIn(*place(66, "Malaysia"), "GPE")])  # the last entity, still a suggestion
    view, bar = win.view, win.view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    last = span_at(win, 66, "Malaysia")
    assert view.selected_id == last.id
    scroll = bar.value()
    assert scroll > 0
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert win.project.span(last.id).state == "accepted"
    assert view.selected_id == last.id  # no wrap to the first entity at the top
    assert bar.value() == scroll
    assert message(win) == "No suggestions left \u2014 A approves."
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Space too: stays and says so
    assert (view.selected_id, bar.value()) == (last.id, scroll)
    assert message(win) == "No suggestions left \u2014 A approves."


def test_space_at_the_end_and_shift_space_at_the_start_stay_and_say_what_is_left(
        qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, [
        SpanIn(*place(10, "Indonesia"), "GPE"),
        SpanIn(*place(66, "Malaysia"), "GPE")])
    view, bar = win.view, win.view.verticalScrollBar()
    first, last = span_at(win, 10, "Indonesia"), span_at(win, 66, "Malaysia")
    view.select_span(last.id)
    scroll = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert (view.selected_id, bar.value()) == (last.id, scroll)
    assert message(win) == ("No suggestions after this one; 1 earlier suggestion still "
                            "undecided \u2014 Shift+Space goes back.")
    qtbot.keyClick(view, Qt.Key.Key_Space, SHIFT)
    assert view.selected_id == first.id
    scroll = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_Space, SHIFT)
    assert (view.selected_id, bar.value()) == (first.id, scroll)
    assert message(win) == ("No suggestions before this one; 1 later suggestion still "
                            "undecided \u2014 Space goes on.")


def test_tab_still_goes_round(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, [SpanIn(*place(10, "Indonesia"), "GPE"),
                                        SpanIn(*place(66, "Malaysia"), "GPE")])
    view = win.view
    view.select_span(span_at(win, 66, "Malaysia").id)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_id == span_at(win, 10, "Indonesia").id
