"""The selected entity's frame when the entity wraps across lines (issue 25): a box round
each line's part, and no rule drawn across the column to join them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

NAME = ("the Ministry of Energy and Mineral Resources of the Republic of Indonesia and its "
        "Directorate General of Mineral and Coal Affairs")
TEXT = (f"Nickel exporters waited for a ruling from {NAME} on Monday, while smelters in "
        "Sulawesi kept running at full capacity.")


def test_a_wrapped_entity_is_framed_line_by_line(qtbot, tmp_path):
    path = tmp_path / "wrap.assay"
    start = TEXT.index(NAME)
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Wrapped", spans=(
            SpanIn(start, start + len(NAME), "ORG", state="accepted"),))])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1024, 640)
    win.show_article(1)
    view = win.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span().text == NAME
    # Painted: nothing of the highlight colour in the left margin, where the old frame's
    # joining rule started (it ran from the viewport's edge to the label), and the second
    # line's box at the text's left edge.
    margin = view.document().documentMargin()
    top, bottom = rect_at(view, start).top(), rect_at(view, start + len(NAME) - 1).bottom()
    image = view.viewport().grab().toImage()
    highlight = view.palette().highlight().color()
    band = range(top - 2, bottom + 4)
    stray = [(x, y) for y in band for x in range(0, int(margin) - 6)
             if _near(image.pixelColor(x, y), highlight)]
    assert stray == []
    framed = [(x, y) for y in band for x in range(int(margin) - 4, int(margin) + 2)
              if _near(image.pixelColor(x, y), highlight)]
    assert framed
    boxes = view.selection_frame()
    assert len(boxes) >= 2  # the name wraps: one box per line
    tops = [box.top() for box in boxes]
    assert tops == sorted(set(tops))
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above.bottom() <= below.top()  # boxes of their own, no box spans two lines
    column = view.viewport().width() - 2 * margin
    assert all(box.width() <= column + 8 for box in boxes)
    assert boxes[0].left() > margin + 20  # starts where the name starts, mid-line


def rect_at(view, offset: int):
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offset_map.to_qt(offset))
    return view.cursorRect(cursor)


def _near(a, b) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60
