"""The article list shows the store's rows lazily, filters and sorts in SQL, and reports choices.

Every test uses a real project file; the GUI is driven the way a reviewer
drives it (typing, clicking the header, J/K) wherever pytest-qt allows.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project
from gui.articles.article_list import ArticleListPanel
from gui.articles.list_model import (
    ENTITIES,
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    REVIEWER,
    SOURCE,
    STATUS,
    TITLE,
    ArticleListModel,
)

REVIEWER_NAME = "ana"
DISPLAY = Qt.ItemDataRole.DisplayRole


def cell(model: ArticleListModel, row: int, column: int, role: int = DISPLAY) -> object:
    return model.data(model.index(row, column), role)


def titles(model: ArticleListModel) -> list[str]:
    return [cell(model, r, TITLE) for r in range(model.rowCount())]


def add_span(project: Project, article_id: int, part: str, label: str) -> int:
    text = project.article_text(article_id)
    start = text.index(part)
    return project.add_span(article_id, start, start + len(part), label, REVIEWER_NAME).id


@pytest.fixture
def panel(qtbot, project):
    widget = ArticleListPanel(project)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def count_calls(monkeypatch, project: Project) -> list[int]:
    """Wrap ``list_articles`` to record the offset of every page fetched."""
    calls: list[int] = []
    original = project.list_articles

    def counting(*args, **kwargs):
        calls.append(kwargs.get("offset", 0))
        return original(*args, **kwargs)

    monkeypatch.setattr(project, "list_articles", counting)
    return calls


# --------------------------------------------------------------------------- model


def test_model_shows_rows_and_columns(qtbot, project):
    project.approve_article(2, REVIEWER_NAME)
    model = ArticleListModel(project)
    assert (model.rowCount(), model.columnCount()) == (3, 6)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["Title", "Source", "Status", "Entities", "Reviewer", "Topics"]
    assert titles(model) == ["Article 1", "Article 2", "Article 3"]
    assert [cell(model, 1, c) for c in range(6)] == ["Article 2", "tests", "Approved", 0, "ana",
                                                     ""]
    assert cell(model, 0, REVIEWER) == ""
    assert cell(model, 0, STATUS) == "Pending"
    assert [model.article_id(r) for r in range(3)] == [1, 2, 3]
    assert model.article_id(3) is None and model.article_id(-1) is None
    assert model.row_of(3) == 2
    align = cell(model, 0, ENTITIES, Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    assert not model.flags(model.index(0, TITLE)) & Qt.ItemFlag.ItemIsEditable
    # Approved and rejected carry a coloured marker; a status always has one for alignment.
    assert cell(model, 1, STATUS, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(model, 0, STATUS, Qt.ItemDataRole.DecorationRole) is not None


def test_entities_count_live_spans_and_refresh_keeps_selection(qtbot, panel, project):
    model = panel.model
    assert cell(model, 0, ENTITIES) == 0
    add_span(project, 1, "Lithium", "MINERAL")
    chile = add_span(project, 1, "Chile", "GPE")
    add_span(project, 2, "Cobalt", "MINERAL")
    panel.select_article(1)
    assert panel.current_article_id() == 1

    with qtbot.assertNotEmitted(model.modelReset):
        panel.refresh()
    assert [cell(model, r, ENTITIES) for r in range(3)] == [2, 1, 0]
    project.reject_span(chile, REVIEWER_NAME)
    with qtbot.assertNotEmitted(panel.article_activated):
        panel.refresh()
    assert [cell(model, r, ENTITIES) for r in range(3)] == [1, 1, 0]
    assert panel.current_article_id() == 1  # same count: selection and scroll kept


def test_refresh_after_the_row_count_changes_resets(qtbot, panel, project):
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("pending"))
    assert panel.model.rowCount() == 3
    assert panel.count_label.text() == "3 of 3"
    panel.select_article(3)
    project.approve_article(1, REVIEWER_NAME)
    with qtbot.waitSignal(panel.model.modelReset):
        panel.refresh()
    assert titles(panel.model) == ["Article 2", "Article 3"]
    assert panel.current_article_id() == 3  # found again on its (cached) page
    assert panel.count_label.text() == "2 of 3"


def test_refresh_drops_selection_when_its_row_shows_another_article(qtbot, panel, project):
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("pending"))
    panel.select_article(1)
    project.approve_article(1, REVIEWER_NAME)
    project.add_articles([ArticleIn(text="Nickel in Indonesia.", title="Article 4")])
    panel.refresh()  # still 3 rows, but article 1 left and article 4 arrived
    assert titles(panel.model) == ["Article 2", "Article 3", "Article 4"]
    assert panel.current_article_id() is None


def test_untitled_and_html_titles_are_shown_literally(qtbot, tmp_path):
    project = Project.create(tmp_path / "titles.assay", rules=store_rules())
    project.add_articles([
        ArticleIn(text="One.", title="<b>bold</b> & <i>co</i>"),
        ArticleIn(text="Two.", title=""),
        ArticleIn(text="Three.", title="Line one\nline two"),
        ArticleIn(text="Glencore said on Tuesday that cobalt output in the DRC fell "
                       "sharply.\nMore text.", title="  ", source="wire.txt"),
    ])
    model = ArticleListModel(project)
    assert cell(model, 0, TITLE) == "<b>bold</b> & <i>co</i>"
    tip = cell(model, 0, TITLE, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in tip  # escaped, so the tooltip shows the tags
    assert cell(model, 1, TITLE) == "Two."  # no headline: its first words stand in
    assert cell(model, 3, TITLE) == "Glencore said on Tuesday that cobalt output in…"
    assert "No headline" in cell(model, 3, TITLE, Qt.ItemDataRole.ToolTipRole)
    font = cell(model, 1, TITLE, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert cell(model, 1, TITLE, Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(model, 0, TITLE, Qt.ItemDataRole.FontRole) is None
    assert cell(model, 2, TITLE) == "Line one line two"
    project.close()


# --------------------------------------------------------------------------- filtering


def test_filter_by_status_narrows(qtbot, panel, project):
    project.approve_article(2, REVIEWER_NAME)
    project.skip_article(3, REVIEWER_NAME)
    panel.refresh()
    combo = panel.status_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All statuses", "Pending", "Approved", "Rejected", "Skipped", "", "Open claims"]
    combo.setCurrentIndex(combo.findText("Approved"))
    assert titles(panel.model) == ["Article 2"]
    assert panel.model.filter == ArticleFilter(status="approved")
    assert panel.count_label.text() == "1 of 3"
    combo.setCurrentIndex(combo.findText("Rejected"))
    assert panel.model.rowCount() == 0
    assert panel.count_label.text() == "0 of 3"
    combo.setCurrentIndex(0)
    assert panel.model.rowCount() == 3


def test_filter_articles_with_claims_to_decide(qtbot, panel, project):
    """Open claims never block approval, so the list is where a reviewer finds them."""
    project.add_claim(1, 0, 5, REVIEWER_NAME)  # accepted, unchecked: open
    checked = project.add_claim(2, 0, 5, REVIEWER_NAME)
    project.update_claim(checked.id, REVIEWER_NAME, verdict="supported")  # decided
    project.approve_article(1, REVIEWER_NAME)
    combo = panel.status_combo
    combo.setCurrentIndex(combo.findText("Open claims"))
    assert titles(panel.model) == ["Article 1"]
    assert panel.model.filter == ArticleFilter(open_claims=True)
    assert panel.count_label.text() == "1 of 3"


def test_filter_by_label_narrows_and_offers_the_project_labels(qtbot, panel, project):
    add_span(project, 1, "Lithium", "MINERAL")
    add_span(project, 3, "Japan", "GPE")
    rejected = add_span(project, 2, "DRC", "GPE")
    project.reject_span(rejected, REVIEWER_NAME)
    combo = panel.label_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == ["All labels", *[lb.name for lb in project.labels()]]
    assert not combo.itemIcon(1).isNull()  # colour swatch
    combo.setCurrentIndex(combo.findText("GPE"))
    assert titles(panel.model) == ["Article 3"]  # the rejected DRC span does not count
    status = panel.status_combo
    status.setCurrentIndex(status.findText("Approved"))
    assert panel.model.filter == ArticleFilter(status="approved", label="GPE")
    assert panel.model.rowCount() == 0


def test_typing_a_search_narrows_after_the_debounce(qtbot, panel):
    box = panel.search_box
    assert box.placeholderText() == "Search text…"
    assert box.isClearButtonEnabled()
    qtbot.keyClicks(box, "cobalt")
    assert panel.model.rowCount() == 3  # not yet: the debounce is still running
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=2000)
    assert titles(panel.model) == ["Article 2"]
    assert panel.count_label.text() == "1 of 3"
    box.clear()  # clearing applies at once
    assert panel.model.rowCount() == 3


def test_enter_applies_the_search_at_once(qtbot, panel):
    panel.search_box.setText("australia japan")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    assert titles(panel.model) == ["Article 3"]
    panel.search_box.setText('"unbalanced: -quote*')  # FTS syntax in the box never raises
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 0


def test_focus_search_selects_the_text(qtbot, panel):
    panel.search_box.setText("lithium")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    panel.table.setFocus()
    panel.focus_search()
    qtbot.waitUntil(panel.search_box.hasFocus, timeout=1000)
    assert panel.search_box.selectedText() == "lithium"


# --------------------------------------------------------------------------- sorting


def click_header(qtbot, panel: ArticleListPanel, column: int) -> None:
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def test_sorting_by_title_via_the_header(qtbot, panel):
    assert panel.model.order == ("id", False)
    click_header(qtbot, panel, TITLE)
    assert panel.model.order == ("title", False)
    assert titles(panel.model) == ["Article 1", "Article 2", "Article 3"]
    click_header(qtbot, panel, TITLE)
    assert panel.model.order == ("title", True)
    assert titles(panel.model) == ["Article 3", "Article 2", "Article 1"]
    header = panel.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        TITLE, Qt.SortOrder.DescendingOrder)


def test_model_sort_maps_columns_to_store_keys(qtbot, project):
    add_span(project, 2, "Cobalt", "MINERAL")
    add_span(project, 2, "DRC", "GPE")
    add_span(project, 3, "Japan", "GPE")
    project.approve_article(3, "zoe")
    project.approve_article(1, "bea")
    model = ArticleListModel(project)
    model.sort(ENTITIES, Qt.SortOrder.DescendingOrder)
    assert [model.article_id(r) for r in range(3)] == [2, 3, 1]
    model.sort(REVIEWER, Qt.SortOrder.DescendingOrder)
    assert model.order == ("reviewer", True)
    assert [cell(model, r, REVIEWER) for r in range(3)] == ["zoe", "bea", ""]
    model.sort(STATUS, Qt.SortOrder.AscendingOrder)
    assert [cell(model, r, STATUS) for r in range(3)] == ["Approved", "Approved", "Pending"]
    model.sort(SOURCE, Qt.SortOrder.AscendingOrder)
    assert model.order == ("source", False)
    model.sort(-1, Qt.SortOrder.DescendingOrder)  # cleared indicator: import order
    assert model.order == ("id", False)
    assert [model.article_id(r) for r in range(3)] == [1, 2, 3]


def test_sorting_keeps_the_current_article_selected(qtbot, panel):
    panel.select_article(1)
    panel.model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    assert panel.current_article_id() == 1
    assert panel.table.currentIndex().row() == 2


# --------------------------------------------------------------------------- lazy paging


@pytest.fixture
def big_project(tmp_path):
    project = Project.create(tmp_path / "big.assay", rules=store_rules())
    project.add_articles([ArticleIn(text=f"Article {i} about lithium", title=f"Article {i}")
                          for i in range(5000)])
    yield project
    project.close()


def test_a_large_project_opens_without_fetching_everything(qtbot, monkeypatch, big_project):
    calls = count_calls(monkeypatch, big_project)
    panel = ArticleListPanel(big_project)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    model = panel.model
    assert model.rowCount() == 5000
    assert panel.count_label.text() == "5,000 of 5,000"
    assert 1 <= len(calls) <= 2, calls  # only the first page is painted

    panel.table.scrollToBottom()
    QApplication.processEvents()
    panel.table.viewport().repaint()
    assert cell(model, 4999, TITLE) == "Article 4999"
    assert len(calls) <= 4, calls
    assert set(calls) <= {0, 4800}
    # Rows on pages never fetched are unknown to row_of (it never scans).
    assert model.row_of(1000) is None
    assert model.row_of(4990) == 4989


def test_page_cache_is_bounded(qtbot, monkeypatch, big_project):
    calls = count_calls(monkeypatch, big_project)
    model = ArticleListModel(big_project)
    pages = 5000 // PAGE_SIZE
    for page in range(pages):
        assert model.article_id(page * PAGE_SIZE) == page * PAGE_SIZE + 1
    assert len(calls) == pages
    assert len(model._pages) == min(pages, MAX_CACHED_PAGES)
    model.article_id(PAGE_SIZE * (pages - 1) + 5)  # cached: no new query
    assert len(calls) == pages


def test_filtering_a_large_project_counts_in_sql(qtbot, big_project):
    big_project.add_articles([ArticleIn(text="Cobalt in the DRC", title="Cobalt")])
    panel = ArticleListPanel(big_project)
    qtbot.addWidget(panel)
    panel.search_box.setText("cobalt")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 1
    assert panel.count_label.text() == "1 of 5,001"


# --------------------------------------------------------------------------- navigation


def test_move_emits_the_next_and_previous_article(qtbot, panel):
    with qtbot.waitSignal(panel.article_activated) as blocker:
        panel.move(1)  # nothing current yet: the first row
    assert blocker.args == [1]
    with qtbot.waitSignal(panel.article_activated) as blocker:
        panel.move(1)
    assert blocker.args == [2]
    assert panel.current_article_id() == 2
    with qtbot.waitSignal(panel.article_activated) as blocker:
        panel.move(-1)
    assert blocker.args == [1]
    with qtbot.assertNotEmitted(panel.article_activated):
        panel.move(-1)  # already at the top
    assert panel.current_article_id() == 1


def test_keyboard_and_mouse_activate_articles(qtbot, panel):
    panel.select_article(1)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.article_activated) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert blocker.args == [2]
    rect = panel.table.visualRect(panel.model.index(2, TITLE))
    with qtbot.waitSignal(panel.article_activated) as blocker:
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [3]


def test_select_article_is_quiet_and_leaves_unknown_ids_alone(qtbot, panel):
    with qtbot.assertNotEmitted(panel.article_activated):
        assert panel.select_article(2)
    assert panel.current_article_id() == 2
    assert not panel.select_article(999)
    assert panel.current_article_id() == 2


def test_set_project_switches_and_clears_filters(qtbot, panel, tmp_path):
    panel.search_box.setText("cobalt")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    panel.select_article(2)
    other = Project.create(tmp_path / "other.assay", rules=store_rules())
    other.add_label("SHIP", "#123456")
    other.add_articles([ArticleIn(text="Nickel.", title="Nickel"),
                        ArticleIn(text="Tin.", title="Tin")])
    panel.set_project(other)
    assert panel.search_box.text() == ""
    assert panel.model.filter == ArticleFilter()
    assert titles(panel.model) == ["Nickel", "Tin"]
    assert panel.current_article_id() is None
    assert panel.label_combo.findText("SHIP") > 0
    assert panel.count_label.text() == "2 of 2"
    panel.set_project(None)
    assert panel.model.rowCount() == 0
    assert panel.label_combo.count() == 1
    other.close()


def test_widget_move_still_positions_the_panel(qtbot, project):
    widget = ArticleListPanel(project)
    qtbot.addWidget(widget)
    widget.move(QPoint(30, 40))
    assert (widget.x(), widget.y()) == (30, 40)
    widget.move(50, 60)
    assert (widget.x(), widget.y()) == (50, 60)


def test_narrow_panel_keeps_the_title_readable(qtbot, panel):
    header = panel.table.horizontalHeader()
    assert not panel.table.isColumnHidden(REVIEWER)
    panel.resize(380, 300)
    qtbot.waitUntil(lambda: panel.table.isColumnHidden(REVIEWER), timeout=1000)
    assert header.sectionSize(TITLE) >= header.sectionSize(SOURCE)
    panel.resize(800, 400)
    qtbot.waitUntil(lambda: not panel.table.isColumnHidden(REVIEWER), timeout=1000)
