"""The article list's data: a lazily paged table model of a project's articles.

A project may hold a million articles, so the model never loads them all: the row
count is one ``count_articles`` query and rows are fetched a page at a time with
``list_articles`` as the view paints them, keeping only the most recently used pages.
Filtering, full-text search and sorting are done by the store in SQL (``ArticleFilter``,
``order_by``); ``gui.articles.article_list`` shows it with its filter bar.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.models import ArticleRow, shown_title
from core.store import ArticleFilter, Project
from gui.common.plain_text import plain_tip

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50
SEARCH_DEBOUNCE_MS = 250

OPEN_CLAIMS = "open claims"  # the status filter's entry for ArticleFilter.open_claims

# (header, store order_by key) per column; the keys are those of core.store.SORTABLE_COLUMNS.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("Source", "source"),
    ("Status", "status"),
    ("Entities", "entities"),
    ("Reviewer", "reviewer"),
    ("Topics", "topics"),
)
TITLE, SOURCE, STATUS, ENTITIES, REVIEWER, TOPICS = range(len(COLUMNS))

# Status dots: saturated enough to read on light and dark palettes. Pending is drawn as a
# hollow ring so every status keeps the same text indent.
STATUS_COLORS: dict[str, str] = {
    "pending": "#9e9e9e",
    "approved": "#2e9d48",
    "rejected": "#d03b3b",
    "skipped": "#9e9e9e",
}
# Below this table width the Reviewer column is hidden and Source shrinks (see _fit_columns).
NARROW_TABLE_WIDTH = 520
VERY_NARROW_TABLE_WIDTH = 360  # and below this, Source too

Index = QModelIndex | QPersistentModelIndex


def dot_icon(color: str, hollow: bool = False, size: int = 10) -> QIcon:
    """A small round status marker; drawn once per status at import of the first model."""
    pixmap = QPixmap(size * 2, size * 2)  # 2x for HiDPI screens; Qt scales it down
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if hollow:
        painter.setPen(QPen(QColor(color), 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
    painter.drawEllipse(rect)
    painter.end()
    return QIcon(pixmap)


def swatch_icon(color: str, size: int = 12) -> QIcon:
    """A label's colour as a rounded square; the thin darker edge keeps pastel colours visible."""
    fill = QColor(color)
    if not fill.isValid():
        fill = QColor("#dddddd")
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(fill.darker(150), 1.0))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 2.5, 2.5)
    painter.end()
    return QIcon(pixmap)


def muted_color() -> QColor:
    """The palette's placeholder colour, looked up at paint time so a theme change is followed."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class ArticleListModel(QAbstractTableModel):
    """Rows of ``Project.list_articles`` for one filter and sort order, fetched page by page.

    ``counts_changed`` fires whenever the filtered or the total count may have
    changed, so a count label can follow without knowing who triggered it.
    """

    counts_changed = Signal()

    def __init__(self, project: Project | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._filter = ArticleFilter()
        self._order_by = "id"
        self._descending = False
        self._count = 0
        self._total = 0
        self._pages: OrderedDict[int, list[ArticleRow]] = OrderedDict()
        self._status_icons: dict[str, QIcon] = {}
        self._italic = QFont()
        self._italic.setItalic(True)
        self._recount()

    # ---- state

    @property
    def project(self) -> Project | None:
        return self._project

    def set_project(self, project: Project | None) -> None:
        """Show another project (or none) with an empty filter and the default order."""
        self.beginResetModel()
        self._project = project
        self._filter = ArticleFilter()
        self._order_by, self._descending = "id", False
        self._recount()
        self.endResetModel()
        self.counts_changed.emit()

    @property
    def filter(self) -> ArticleFilter:
        return self._filter

    def set_filter(self, flt: ArticleFilter) -> None:
        """Show the articles matching ``flt``; rows are re-fetched as the view asks for them."""
        self.beginResetModel()
        self._filter = flt
        self._recount()
        self.endResetModel()
        self.counts_changed.emit()

    @property
    def order(self) -> tuple[str, bool]:
        """The store's ``order_by`` key and whether it is descending."""
        return self._order_by, self._descending

    @property
    def total_count(self) -> int:
        """Articles in the project regardless of the filter (the M of "N of M")."""
        return self._total

    def refresh(self) -> None:
        """Re-read after edits (status changes, spans added or rejected, an import).

        When the number of matching rows is unchanged, rows are only marked as
        changed, so the view keeps its selection and scroll position; otherwise
        the row indexes mean something else now and the model is reset.
        """
        old_count = self._count
        count, total = self._counts()
        if count == old_count:
            self._pages.clear()
            self._total = total
            if count:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1)
                )
        else:
            self.beginResetModel()
            self._pages.clear()
            self._count, self._total = count, total
            self.endResetModel()
        self.counts_changed.emit()

    def _counts(self) -> tuple[int, int]:
        if self._project is None:
            return 0, 0
        total = self._project.count_articles(ArticleFilter())
        filtered = total if self._filter == ArticleFilter() else (
            self._project.count_articles(self._filter))
        return filtered, total

    def _recount(self) -> None:
        """Counts for a reset in progress; the page cache belongs to the old rows."""
        self._pages.clear()
        self._count, self._total = self._counts()

    # ---- rows

    def _page(self, number: int) -> list[ArticleRow]:
        """One page of rows, from the cache or the store; evicts the least recently used."""
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self._project is None:
            return []
        page = self._project.list_articles(
            self._filter,
            order_by=self._order_by,
            descending=self._descending,
            offset=number * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        self._pages[number] = page
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def row(self, row: int) -> ArticleRow | None:
        """The article shown in ``row`` (fetching its page if needed), or None if out of range."""
        if not 0 <= row < self._count:
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        # Another writer may have removed articles since the count; a short page is not an error.
        return page[offset] if offset < len(page) else None

    def article_id(self, row: int) -> int | None:
        item = self.row(row)
        return item.id if item else None

    def row_of(self, article_id: int) -> int | None:
        """Row of an article if it is on a cached page; never scans the whole list."""
        for number, page in self._pages.items():
            for offset, item in enumerate(page):
                if item.id == article_id:
                    return number * PAGE_SIZE + offset
        return None

    def position(self, article_id: int) -> int | None:
        """Row of an article anywhere in the list (one store read), None if not in it."""
        if self._project is None:
            return None
        return self._project.article_position(article_id, self._filter,
                                              order_by=self._order_by,
                                              descending=self._descending)

    # ---- QAbstractTableModel

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if section == ENTITIES else (
                Qt.AlignmentFlag.AlignLeft)
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # First click: A-Z for text, most entities first for the count, articles with
            # topics first for the topics (those without have none to sort by: "").
            return Qt.SortOrder.DescendingOrder if section in (ENTITIES, TOPICS) else (
                Qt.SortOrder.AscendingOrder)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Not editable: every change goes through the review window and the store.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | (
            Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.row(index.row())
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if column == TITLE:
            return self._title_data(item, role)
        if column == STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return self._status_icon(item.status)
            if role == Qt.ItemDataRole.ForegroundRole and item.status == "skipped":
                return QBrush(muted_color())
        if column == ENTITIES and role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    @staticmethod
    def _display(item: ArticleRow, column: int) -> str | int:
        if column == TITLE:
            # Literal text (never HTML); line breaks would make a one-line cell look empty.
            return shown_title(item.title, item.preview, item.source)
        if column == SOURCE:
            return item.source or ""
        if column == STATUS:
            return item.status.capitalize()
        if column == ENTITIES:
            return item.entities
        if column == REVIEWER:
            return item.reviewed_by or ""
        if column == TOPICS:
            return item.topics
        return ""

    def _title_data(self, item: ArticleRow, role: int) -> Any:
        untitled = not item.title.strip()
        if role == Qt.ItemDataRole.FontRole and untitled:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and untitled:
            return QBrush(muted_color())
        if role == Qt.ItemDataRole.ToolTipRole and untitled:
            return plain_tip("No headline: the article's first words are shown instead.")
        if role == Qt.ItemDataRole.ToolTipRole and not untitled:
            # Tooltips guess rich text from tags, so the title is escaped inside explicit
            # rich text: "<b>bold</b>" in a title is shown as typed, and long titles wrap.
            return plain_tip(item.title)
        return None

    def _status_icon(self, status: str) -> QIcon | None:
        icon = self._status_icons.get(status)
        if icon is None and status in STATUS_COLORS:
            icon = dot_icon(STATUS_COLORS[status], hollow=status == "pending")
            self._status_icons[status] = icon
        return icon

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's store key; column -1 restores import order (by id)."""
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else "id"
        if column < 0 and self._order_by not in {k for _h, k in COLUMNS}:
            return  # clearing the arrow after order_by keeps that order
        self.order_by(key, order == Qt.SortOrder.DescendingOrder and key != "id")

    def order_by(self, key: str, descending: bool = False) -> None:
        """Sort in SQL by any key of ``core.store.SORTABLE_COLUMNS``."""
        if (key, descending) == (self._order_by, self._descending):
            return
        self.beginResetModel()
        self._order_by, self._descending = key, descending
        self._pages.clear()
        self.endResetModel()


class NumberDelegate(QStyledItemDelegate):
    """Paints right-aligned numbers inset from the cell edge.

    Qt's few pixels of text margin would glue "12" to the left-aligned reviewer
    name in the next column; the background and selection still fill the cell.
    """

    INSET = 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        group = (QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Disabled)
        role = (QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        painter.save()
        painter.setPen(opt.palette.color(group, role))
        painter.setFont(opt.font)
        painter.drawText(opt.rect.adjusted(0, 0, -self.INSET, 0),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()
