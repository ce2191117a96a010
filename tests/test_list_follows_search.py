"""After a search or a sort the article list shows its first rows, or keeps the open
article in view if it is still listed, and the search words are marked in the open
article (issue 25). Real keys and clicks in the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.articles.list_model import TITLE, ArticleListModel
from gui.review.search_marks import search_boxes
from tests.gui_helpers import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
N = 500


def text(i: int) -> str:
    if i % 2 == 0:  # the even ones are hits
        return f"Article {i}. Tantalum mining in Rwanda grew; tantalum prices held."
    return f"Article {i}. Nickel output in Indonesia rose again."


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "list.assay"
    with Project.create(path, rules=store_rules()) as project:
        # Titles run backwards: sorting by title turns the list upside down.
        project.add_articles([ArticleIn(text=text(i), title=f"Report {N + 1 - i:03d}")
                              for i in range(1, N + 1)])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1024, 640)
    return win


def open_from_the_list(qtbot, win, up: int) -> int:
    """Ctrl+End in the list, then Up ``up`` times: opens an article far down."""
    table = win.list_panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End, CTRL)
    for _ in range(up):
        qtbot.keyClick(table, Qt.Key.Key_Up)
    assert win.article is not None
    assert table.verticalScrollBar().value() > 0
    return win.article.id


def search(qtbot, win, words: str) -> None:
    box = win.list_panel.search_box
    box.setFocus()
    qtbot.keyClicks(box, words)
    model: ArticleListModel = win.list_panel.model
    qtbot.waitUntil(lambda: model.filter.search == words, timeout=3000)


def row_in_view(win, row: int) -> bool:
    table = win.list_panel.table
    rect = table.visualRect(win.list_panel.model.index(row, TITLE))
    return rect.isValid() and table.viewport().rect().contains(rect)


def test_a_search_shows_the_first_hits_when_the_open_article_is_not_one(qtbot, window):
    opened = open_from_the_list(qtbot, window, up=1)
    assert opened % 2 == 1
    search(qtbot, window, "tantalum")
    assert window.list_panel.model.rowCount() == N // 2
    assert row_in_view(window, 0)  # not the old scroll position, far down
    assert window.view.search_hits == []  # the open article has none of the words


def test_a_search_keeps_a_listed_open_article_in_view_and_marks_the_words(qtbot, window):
    opened = open_from_the_list(qtbot, window, up=40)
    assert opened % 2 == 0
    search(qtbot, window, "mine tantalum")
    row = window.list_panel.model.row_of(opened)
    assert row is not None and window.list_panel.current_article_id() == opened
    assert row_in_view(window, row)
    view = window.view
    marked = [view.text[a:b] for a, b in view.search_hits]
    assert marked == ["Tantalum", "mining", "tantalum"]  # as the search found them: stems too
    # Painted where the words stand: a box round each, within its line.
    boxes = [search_boxes(view, view.offset_map, view.text, a, b) for a, b in view.search_hits]
    assert [len(b) for b in boxes] == [1, 1, 1]
    image = view.viewport().grab().toImage()
    for (box,) in boxes:  # the amber outline on the word's left edge
        y = int(box.center().y())
        edge = [image.pixelColor(x, y) for x in range(int(box.left()) - 1, int(box.left()) + 3)]
        assert any(c.red() > c.blue() + 80 for c in edge)
    window.list_panel.search_box.clear()  # cleared: the marks go
    qtbot.waitUntil(lambda: window.view.search_hits == [], timeout=3000)


def test_a_sort_keeps_the_open_article_in_view(qtbot, window):
    window.list_panel.table.setFocus()
    for _ in range(29):
        qtbot.keyClick(window.list_panel.table, Qt.Key.Key_Down)
    opened = window.article.id
    header = window.list_panel.table.horizontalHeader()
    x = header.sectionViewportPosition(TITLE) + header.sectionSize(TITLE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    model = window.list_panel.model
    assert model.order == ("title", False)
    row = N - opened  # titles run backwards
    assert model.article_id(row) == opened
    assert window.list_panel.current_article_id() == opened
    assert row_in_view(window, row)
    assert window.article.id == opened  # the sort opened nothing else
