"""What the reviewer sees in the article view: every entity coloured, nothing else.

The view formats thousands of entities in one batch (an edit block); these
tests pin down that batching changes nothing visible: each character has the
colour of the entity holding it, the label gap sits after each entity's last
character, and a view updated edit by edit looks exactly like one opened fresh.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.common.theme import label_color
from gui.review.article_view import ArticleView

PARAGRAPH = (
    "Lithium from Chile 😀 reached Japan; cafe\u0301 owners in Argentina paid in cash.\n"
    "Cobalt 🧪 output in the DRC rose, Glencore said.\n\n"
)
WORDS = ("Lithium", "Chile", "Japan", "cafe\u0301", "Argentina", "Cobalt", "🧪", "DRC",
         "Glencore")
LABELS = ("MINERAL", "GPE", "ORG")


def entity_spans(text: str) -> list[SpanIn]:
    """A span on every listed word, labels and states cycling, in text order."""
    found = []
    for word in WORDS:
        start = text.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = text.find(word, start + 1)
    found.sort()
    states = ("accepted", "suggested", "rejected")
    return [SpanIn(s, e, LABELS[i % 3], state=states[i % 3 if i % 7 else 0])
            for i, (s, e) in enumerate(found)]


@pytest.fixture
def article(tmp_path):
    text = PARAGRAPH * 12
    with Project.create(tmp_path / "view.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text, spans=tuple(entity_spans(text)))])
        yield project


def make_view(qtbot, project: Project) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.set_labels(project.labels())
    view.set_article(project.article_text(1), project.spans(1), [])
    view.show()
    return view


def looks(view: ArticleView) -> list[tuple]:
    """What each character looks like: background, strike-out, underline, gap after it.

    A line break has no look of its own (Qt reports the next line's format there).
    """
    cursor = QTextCursor(view.document())
    out: list[tuple] = []
    for offset in range(len(view.text)):
        if view.text[offset] == "\n":
            out.append((None, False, QTextCharFormat.UnderlineStyle.NoUnderline, 0))
            continue
        cursor.setPosition(view.offset_map.to_qt(offset) + 1)
        fmt = cursor.charFormat()
        brush = fmt.background()
        out.append((
            brush.color().name() if brush.style() != Qt.BrushStyle.NoBrush else None,
            fmt.fontStrikeOut(),
            fmt.underlineStyle(),
            fmt.fontLetterSpacing()
            if fmt.fontLetterSpacingType() == QFont.SpacingType.AbsoluteSpacing else 0,
        ))
    return out


def expected_backgrounds(project: Project, view: ArticleView) -> list[str | None]:
    colors = {lb.name: lb.color for lb in project.labels()}
    want: list[str | None] = [None] * len(view.text)
    for span in project.spans(1, include_rejected=False):
        for offset in range(span.start, span.end):
            want[offset] = label_color(colors[span.label], span.state).name()
    return want


def test_every_entity_is_coloured_and_gapped_and_nothing_else(qtbot, article):
    view = make_view(qtbot, article)
    seen = looks(view)
    assert [bg for bg, *_ in seen] == expected_backgrounds(article, view)
    live = article.spans(1, include_rejected=False)
    assert len(live) > 50
    last_chars = {span.end - 1 for span in live}
    for offset, (_bg, strike, _underline, gap) in enumerate(seen):
        assert (gap > 0) == (offset in last_chars), view.text[offset]
        assert not strike  # rejected entities are hidden by default
    dashed = QTextCharFormat.UnderlineStyle.DashUnderline
    assert {s.state for s in live} == {"accepted", "suggested"}
    for span in live:
        underlines = {seen[o][2] for o in range(span.start, span.end)}
        assert underlines == {dashed} if span.state == "suggested" else dashed not in underlines


def test_edits_shown_one_by_one_look_like_a_fresh_open(qtbot, article):
    view = make_view(qtbot, article)
    live = article.spans(1, include_rejected=False)
    article.relabel_span(live[0].id, "ORG", "ana")
    article.reject_span(live[1].id, "ana")
    article.resize_span(live[2].id, live[2].start, live[2].end - 1, "ana")
    reached = view.text.index("reached")
    article.add_span(1, reached, reached + len("reached"), "MINERAL", "ana")
    view.set_spans(article.spans(1))
    fresh = make_view(qtbot, article)
    assert looks(view) == looks(fresh)
    assert [bg for bg, *_ in looks(view)] == expected_backgrounds(article, view)


def test_rejected_entities_show_struck_through_when_asked(qtbot, article):
    view = make_view(qtbot, article)
    view.show_rejected = True
    view.set_spans(article.spans(1))
    rejected = [s for s in article.spans(1) if s.state == "rejected"]
    assert rejected
    seen = looks(view)
    for span in rejected:
        assert all(seen[o][1] for o in range(span.start, span.end))
        assert seen[span.end - 1][3] == 0  # no label gap: no label is painted


def test_zoom_widens_the_label_gap_and_keeps_the_colours(qtbot, article):
    view = make_view(qtbot, article)
    before = looks(view)
    view.zoom_by(6)
    after = looks(view)
    assert [b[:3] for b in before] == [a[:3] for a in after]
    gaps = [(b[3], a[3]) for b, a in zip(before, after, strict=True) if b[3]]
    assert gaps and all(a > b for b, a in gaps)
