"""The article list: a lazily paged table of a project's articles with a filter bar above it.

A project may hold 100,000 articles, so the model never loads them all: the
row count is one ``count_articles`` query and rows are fetched a page at a
time with ``list_articles`` as the view paints them, keeping only the most
recently used pages. Filtering, full-text search and sorting are done by the
store in SQL (``ArticleFilter``, ``order_by``); this module only presents.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.models import ARTICLE_STATUSES, Article
from core.review.session import ReviewSession
from core.store import ArticleFilter, Project
from gui.articles.filter_combos import fill_labels, fill_topics, recount_topics, refill
from gui.articles.list_model import (
    ENTITIES,
    NARROW_TABLE_WIDTH,
    OPEN_CLAIMS,
    REVIEWER,
    SEARCH_DEBOUNCE_MS,
    SOURCE,
    STATUS,
    STATUS_COLORS,
    TITLE,
    TOPICS,
    VERY_NARROW_TABLE_WIDTH,
    ArticleListModel,
    NumberDelegate,
    dot_icon,
)


class ArticleListPanel(QWidget):
    """Filter bar (search, status, label, topic, count) above the article table.

    ``article_activated`` carries the id of the article that became current by
    the user's doing (click, arrow keys, ``move``); selections the program makes
    to follow the reader (``select_article``, restoring after a reset) are quiet
    so the main window does not reopen what it already shows.
    """

    article_activated = Signal(int)
    search_changed = Signal(str)  # the words the list is searched by ("" none), as applied

    def __init__(self, project: Project | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False  # set while the program itself moves the selection
        self._switching = False  # set while another project is being loaded
        self._remembered: tuple[int, int] | None = None  # (article id, row) across a reset
        self._shown_as: tuple | None = None  # the filter and order before a reset
        self._searched: str | None = None  # the search last applied (search_changed)
        self._model = ArticleListModel(project, self)

        self._search = QLineEdit(self)
        self._search.setPlaceholderText("Search text…")
        self._search.setClearButtonEnabled(True)
        self._search.setToolTip(
            "Words in the title or text, in any order; end a word with * to match its start."
        )
        self._search.setMinimumWidth(140)
        self._search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filter)
        self._search.textChanged.connect(self._search_edited)
        self._search.returnPressed.connect(self._apply_filter)

        self._status = QComboBox(self)
        self._status.setToolTip("Show only articles with this review status, or (Open claims) "
                                "the articles with claims still to decide")
        self._status.addItem("All statuses", None)
        for status in ARTICLE_STATUSES:
            self._status.addItem(dot_icon(STATUS_COLORS[status], hollow=status == "pending"),
                                 status.capitalize(), status)
        self._status.insertSeparator(self._status.count())
        # Not a status: articles whose claims are still to decide, whatever their status.
        self._status.addItem("Open claims", OPEN_CLAIMS)
        self._status.currentIndexChanged.connect(self._apply_filter)

        self._label = QComboBox(self)
        self._label.setToolTip("Show only articles with at least one live entity of this label")
        self._label.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._label.currentIndexChanged.connect(self._apply_filter)

        self._topic = QComboBox(self)
        self._topic.setToolTip("Show only articles with this topic (set or suggested); the "
                               "number is how many articles have it")
        # Never wider than a short name: the list may be a third of a 1024-pixel screen.
        self._topic.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._topic.setMinimumContentsLength(9)
        self._topic.currentIndexChanged.connect(self._apply_filter)

        self._count = QLabel(self)
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._count.setToolTip("Articles shown of all articles in the project")
        palette = self._count.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self._count.setPalette(palette)

        self._table = QTableView(self)
        self._setup_table()

        self._bar = QGridLayout()
        self._bar.setContentsMargins(0, 0, 0, 0)
        self._bar.setHorizontalSpacing(6)
        self._bar.setVerticalSpacing(4)
        self._one_row: bool | None = None

        layout = QVBoxLayout(self)
        # The one-row bar's width is no minimum: narrower, the bar takes three rows.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(5, 5, 5, 5)
        layout.setSpacing(5)
        layout.addLayout(self._bar)
        layout.addWidget(self._table, 1)

        self._model.counts_changed.connect(self._update_count)
        self._model.modelAboutToBeReset.connect(self._remember_current)
        self._model.modelReset.connect(self._restore_current)
        fill_labels(self._label, project)
        fill_topics(self._topic, project)
        self._arrange_bar(True)
        self._update_count()

    def _setup_table(self) -> None:
        table = self._table
        table.setModel(self._model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setCornerButtonEnabled(False)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setIconSize(QSize(10, 10))

        rows = table.verticalHeader()
        rows.hide()
        # Fixed row heights: the view never measures rows, which 100,000 of them would make slow.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)

        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setSortIndicatorClearable(True)  # a third click returns to import order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)  # after clearing the indicator: Qt sorts at once
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not from the rows: ResizeToContents would read every row.
        fm = table.fontMetrics()
        pad = 24  # cell margins plus room for the sort arrow
        header.setMinimumSectionSize(fm.horizontalAdvance("Wwww") + pad)
        self._widths = {
            SOURCE: fm.horizontalAdvance("Mining Weekly Ltd") + pad,
            STATUS: fm.horizontalAdvance("Approved") + table.iconSize().width() + pad,
            ENTITIES: fm.horizontalAdvance("Entities") + pad,
            REVIEWER: fm.horizontalAdvance("Reviewer") + pad,
            TOPICS: fm.horizontalAdvance("trade and supply") + pad,
        }
        for column, width in self._widths.items():
            header.resizeSection(column, width)
        self._entities_delegate = NumberDelegate(table)
        table.setItemDelegateForColumn(ENTITIES, self._entities_delegate)
        self._fitting = False
        self._user_sized = False
        header.sectionResized.connect(self._section_resized)
        table.viewport().installEventFilter(self)

        table.selectionModel().currentRowChanged.connect(self._current_row_changed)

    # ---- layout of the filter bar

    def _bar_width_needed(self) -> int:
        """Width the filter widgets need on one row, with the search box at a usable size."""
        spacing = self._bar.horizontalSpacing()
        margins = layout.contentsMargins() if (layout := self.layout()) else None
        side = (margins.left() + margins.right()) if margins else 10
        return (220 + self._status.sizeHint().width() + self._label.sizeHint().width()
                + self._topic.sizeHint().width() + self._count.sizeHint().width()
                + 4 * spacing + side)

    def _arrange_bar(self, one_row: bool) -> None:
        """Search, status, label, topic and count on one row; or, in a narrow list, the
        search above, status, label and count below it, and the topic under those."""
        if one_row == self._one_row:
            return
        self._one_row = one_row
        every: tuple[QWidget, ...] = (self._search, self._status, self._label, self._topic,
                                      self._count)
        for widget in every:
            self._bar.removeWidget(widget)
        for column in range(5):
            self._bar.setColumnStretch(column, 0)
        if one_row:
            for column, widget in enumerate(every):
                self._bar.addWidget(widget, 0, column)
            self._bar.setColumnStretch(0, 1)
        else:
            self._bar.addWidget(self._search, 0, 0, 1, 4)
            self._bar.addWidget(self._status, 1, 0)
            self._bar.addWidget(self._label, 1, 1)
            self._bar.addWidget(self._count, 1, 3)
            self._bar.addWidget(self._topic, 2, 0, 1, 2)
            self._bar.setColumnStretch(2, 1)

    def _fit_columns(self) -> None:
        """Keep the title readable in a narrow panel: shrink Source, then hide Reviewer.

        Stops once the user drags a column edge; from then on the widths are theirs.
        """
        if self._user_sized:
            return
        width = self._table.viewport().width()
        if width <= 0:
            return
        narrow = width < NARROW_TABLE_WIDTH
        self._fitting = True
        try:
            header = self._table.horizontalHeader()
            self._table.setColumnHidden(REVIEWER, narrow)
            self._table.setColumnHidden(TOPICS, narrow)
            # A laptop screen's list: the title and status matter, the file name can go.
            self._table.setColumnHidden(SOURCE, width < VERY_NARROW_TABLE_WIDTH)
            source = self._widths[SOURCE]
            if narrow:
                source = max(header.minimumSectionSize(), min(source, int(width * 0.24)))
            header.resizeSection(SOURCE, source)
        finally:
            self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != TITLE and self._table.isVisible():
            self._user_sized = True

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if watched is self._table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        # A search typed just before closing must not run against a project closed meanwhile.
        self._debounce.stop()
        super().closeEvent(event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self._arrange_bar(event.size().width() >= self._bar_width_needed())
        super().resizeEvent(event)

    # ---- public API

    @property
    def model(self) -> ArticleListModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def status_combo(self) -> QComboBox:
        return self._status

    @property
    def label_combo(self) -> QComboBox:
        return self._label

    @property
    def topic_combo(self) -> QComboBox:
        return self._topic

    @property
    def count_label(self) -> QLabel:
        return self._count

    def set_project(self, project: Project | None) -> None:
        """Show another project with the filters cleared and its own labels offered."""
        self._debounce.stop()
        for widget in (self._search, self._status, self._label, self._topic):
            widget.blockSignals(True)
        self._search.clear()
        self._status.setCurrentIndex(0)
        fill_labels(self._label, project)
        fill_topics(self._topic, project)
        for widget in (self._search, self._status, self._label, self._topic):
            widget.blockSignals(False)
        if self._searched:
            self._searched = None
            self.search_changed.emit("")
        self._switching = True  # the old selection means nothing in another project
        try:
            self._table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self._model.set_project(project)
        finally:
            self._switching = False

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session: list its project, keep the open article's row current,
        re-read the rows when its articles change and the label filter with its scheme."""
        self.set_project(session.project)
        session.article_opened.connect(self.show_open_article)
        session.articles_changed.connect(self.refresh)
        session.labels_changed.connect(self.refresh_labels)

    def show_open_article(self, article: Article | None) -> None:
        if article is not None:
            self.select_article(article.id)

    def order_by(self, key: str, descending: bool = False) -> None:
        """Order by a store key that has no column ("uncertainty"): the header's sort
        arrow is cleared, and clicking a column sorts by that column again."""
        self._table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._model.order_by(key, descending)

    def refresh(self) -> None:
        """Re-read rows and counts after edits, keeping the selected article where possible.

        If the row count is unchanged the view keeps its row; should that row now
        hold another article (the list changed under it), the article is looked
        up again and otherwise the selection is dropped rather than left lying.
        """
        before = self.current_article_id()
        recount_topics(self._topic, self._model.project)
        self._model.refresh()
        if before is None or self.current_article_id() == before:
            return
        if not self.select_article(before):
            self._quiet = True
            try:
                self._table.selectionModel().clear()
            finally:
                self._quiet = False

    def current_article_id(self) -> int | None:
        index = self._table.currentIndex()
        return self._model.article_id(index.row()) if index.isValid() else None

    def select_article(self, article_id: int) -> bool:
        """Make the article's row current if it is on a loaded page; quiet (no signal).

        Returns whether it was found; if not, the selection is left as it is.
        The first page is loaded if need be (the view needs it anyway), so an
        article near the top is found right after a filter change.
        """
        self._model.row(0)
        row = self._model.row_of(article_id)
        if row is None:
            return False
        self._set_current_row(row, quiet=True)
        return True

    def move(self, step: Any, *args: Any) -> None:
        """Move the current row by ``step`` (J/K); emits ``article_activated`` if it moved.

        With no current row, moving forward starts at the first row and moving
        back at the last one. ``QWidget.move(x, y)`` / ``move(QPoint)`` still
        position the widget, so layouts and dialogs that place it keep working.
        """
        if args or not isinstance(step, int):
            super().move(step, *args)
            return
        count = self._model.rowCount()
        if not count or not step:
            return
        index = self._table.currentIndex()
        if index.isValid():
            row = max(0, min(count - 1, index.row() + step))
            if row == index.row():
                return
        else:
            row = 0 if step > 0 else count - 1
        self._set_current_row(row, quiet=False)

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    # ---- internals

    def _set_current_row(self, row: int, quiet: bool) -> None:
        index = self._model.index(row, TITLE)
        self._quiet = quiet
        try:
            self._table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._quiet = False
        self._table.scrollTo(index)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        article_id = self._model.article_id(current.row())
        if article_id is not None:
            self.article_activated.emit(article_id)

    def _remember_current(self) -> None:
        self._shown_as = (self._model.filter, self._model.order)
        index = self._table.currentIndex()
        if self._switching or not index.isValid():
            self._remembered = None
            return
        article_id = self._model.article_id(index.row())
        self._remembered = None if article_id is None else (article_id, index.row())

    def _restore_current(self) -> None:
        """After a reset (filter, sort, count change) reselect the article if it is easy to find.

        Only the first page and the page of its old row are looked at (an import
        appends, so after one the article is usually where it was): finding it
        anywhere in a 100,000-row list would need the store to tell its position.
        """
        remembered, self._remembered = self._remembered, None
        reordered = self._shown_as != (self._model.filter, self._model.order)
        if remembered is not None and self._model.rowCount():
            article_id, old_row = remembered
            self._model.row(min(old_row, self._model.rowCount() - 1))
            if self.select_article(article_id):
                return
            if reordered:  # after a search or a sort, the open article stays in view
                row = self._model.position(article_id)
                if row is not None:
                    self._set_current_row(row, quiet=True)
                    return
        if reordered:  # else the first rows: the best hits, not the old scroll position
            self._table.scrollToTop()

    def refresh_labels(self) -> None:
        """The scheme changed: refill the label and topic filters, keeping the chosen ones
        if they stay; the filter is applied again if one went."""
        project = self._model.project
        gone = refill(self._label, fill_labels, project)
        if refill(self._topic, fill_topics, project) or gone:
            self._apply_filter()

    def _search_edited(self, text: str) -> None:
        # Clearing is applied at once (the clear button should feel instant); typing waits.
        if text.strip():
            self._debounce.start()
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self._debounce.stop()
        search = self._search.text().strip() or None
        chosen = self._status.currentData()
        flt = ArticleFilter(
            status=None if chosen == OPEN_CLAIMS else chosen,
            open_claims=chosen == OPEN_CLAIMS,
            label=self._label.currentData(),
            topic=self._topic.currentData(),
            reviewer=self._model.filter.reviewer,
            search=search,
        )
        if flt != self._model.filter:
            self._model.set_filter(flt)
            if flt.search != self._searched:
                self._searched = flt.search
                self.search_changed.emit(flt.search or "")

    def _update_count(self) -> None:
        shown, total = self._model.rowCount(), self._model.total_count
        self._count.setText(f"{shown:,} of {total:,}")
