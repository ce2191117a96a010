"""The window on a laptop screen: at 1024×640 and 1280×720 the text keeps a readable
column and the side panels give way; their tables fit without a sideways scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.review.article_column import MIN_TEXT_CHARS
from tests.gui_helpers import open_window

TEXT = ("Australia shipped lithium and rare earth elements to China and Japan, the "
        "International Energy Agency said. ") * 20


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720), (1600, 900)])
def test_the_text_column_stays_readable_and_the_side_tables_fit(qtbot, tmp_path, size):
    path = tmp_path / "layout.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="", source="wire.txt", spans=(
            SpanIn(0, 9, "GPE"), SpanIn(18, 25, "MINERAL")))])
    win = open_window(qtbot, tmp_path, path)
    win.resize(*size)
    win.show_article(1)
    QApplication.processEvents()
    view = win.view
    chars = QFontMetrics(view.document().defaultFont()).averageCharWidth()
    assert view.viewport().width() >= chars * (MIN_TEXT_CHARS - 4)
    assert win.width() == size[0] and sum(win.splitter.sizes()) <= size[0]
    for table in (win.entities, win.list_panel.table):
        assert not table.horizontalScrollBar().isVisible(), table
    assert win.title.text().startswith("Australia shipped lithium")  # no headline
