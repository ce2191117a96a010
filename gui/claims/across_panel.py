"""The Claims tab's "Across the corpus" list: what other articles say about the selected claim.

Each item: the claim's verdict (or "sentence") and its figures (one that differs from
the claim's, by kind and value, marked "≠" in red); its article's date and the article;
then the passage, whole, wrapped to the list's width. Newest first, as
``core.store.claims_across`` orders them. Click, double-click or Enter on an item asks
to open its article there (``item_activated``); the panel owns no data and opens
nothing itself (``gui.claims.across`` does).

Article text is untrusted: it is painted as plain text (``QPainter.drawText`` never
reads markup) and its tooltips are escaped (``gui.common.plain_text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core.store.claims_across import Across, AcrossItem
from gui.claims.paint import SUGGESTED_COLOR, VERDICT_COLORS, VERDICT_NAMES
from gui.common.plain_text import plain_tip

Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
DIFFERS = "≠"
DIFFERS_COLOR = QColor("#d0473f")
LEGEND = (f"{DIFFERS} a figure that differs from this claim's figure of the same kind "
          "(a percentage, tonnes, an amount in one currency…)")
PAD, GAP = 6, 10


def verdict_text(item: AcrossItem) -> str:
    if item.relation:
        return item.relation
    if item.claim_id is None:
        return "sentence"
    return "Suggested" if item.verdict == "suggested" else VERDICT_NAMES[item.verdict]


def verdict_color(item: AcrossItem) -> QColor | None:
    if item.claim_id is None:
        return None
    return SUGGESTED_COLOR if item.verdict == "suggested" else VERDICT_COLORS[item.verdict]


def one_line(text: str) -> str:
    return " ".join(text.split())


def item_summary(item: AcrossItem) -> str:
    """The item in one line of plain text (the accessible text, and what tests read)."""
    figures = ", ".join(f"{one_line(f.text)}{' ' + DIFFERS if f.differs else ''}"
                        for f in item.figures)
    return " · ".join(p for p in (item.published or "undated", verdict_text(item), figures,
                                  f"#{item.article_id} {one_line(item.title)}",
                                  one_line(item.text)) if p)


def item_tip(item: AcrossItem) -> str:
    lines = [item.text, "", f"Article #{item.article_id}: {one_line(item.title)} "
             f"({item.status}), {item.published or 'undated'}"]
    if item.dates:
        lines.append("Dates in it: " + ", ".join(one_line(d) for d in item.dates))
    for f in item.figures:
        mark = {"differs": f"{DIFFERS} differs from the claim's",
                "same": "= the claim's"}.get(f.relation, "")
        lines.append(f"Figure: {one_line(f.text)}" + (f"  ({mark})" if mark else ""))
    if item.relation:
        lines.append(f"The same relation as the claim's: {one_line(item.relation)}")
    else:
        lines.append("Names: " + "; ".join(" + ".join(p) for p in item.pairs))
    lines.append("Click or press Enter to open it there.")
    return plain_tip("\n".join(lines))


class AcrossModel(QAbstractListModel):
    """The items of one ``Across`` result, in its order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[AcrossItem] = []

    def set_items(self, items: list[AcrossItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item_summary(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item_tip(item)
        return None


class AcrossDelegate(QStyledItemDelegate):
    """An item in a narrow column: the verdict (or "sentence") and the figures, which are
    what the reviewer compares; the article's date and the article; then the passage,
    whole, wrapped to the list's width (cut to a line it was unreadable)."""

    def _width(self, option: QStyleOptionViewItem) -> int:
        """The width an item is laid out in: the list's, less the padding."""
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListView) else option.rect.width()
        return max(80, width - 2 * PAD)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        item: AcrossItem | None = index.data(ITEM_ROLE)
        metrics = QFontMetrics(option.font)
        width = self._width(option)
        passage = passage_height(metrics, item.text, width) if item is not None else 0
        return QSize(width, 2 * metrics.lineSpacing() + passage + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item: AcrossItem | None = index.data(ITEM_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the background and selection only; the text is ours
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if item is None:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected
                            else QPalette.ColorRole.Text)
        dim = ink if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        line = QFontMetrics(font).lineSpacing()
        painter.save()
        x, y, right = rect.left(), rect.top(), rect.right()

        def put(text: str, color: QColor, face: QFont = font, most: int | None = None) -> None:
            nonlocal x
            metrics = QFontMetrics(face)
            room = min(right - x, most) if most is not None else right - x
            if room <= metrics.horizontalAdvance("…"):
                return
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setFont(face)
            painter.setPen(color)
            painter.drawText(QRect(x, y, room, line), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine, shown)
            x += metrics.horizontalAdvance(shown) + GAP

        color = verdict_color(item)
        if color is None:
            italic = QFont(font)
            italic.setItalic(True)
            # A relation's name gives way to its figures: they are what is compared.
            put(verdict_text(item), dim, italic,
                (right - x) // 2 if item.relation and item.figures else None)
        else:
            put(verdict_text(item), ink if selected else color, bold)
        for f in item.figures:
            if f.differs:
                put(f"{DIFFERS} {one_line(f.text)}", ink if selected else DIFFERS_COLOR, bold)
            else:
                put(one_line(f.text), ink)
        x, y = rect.left(), y + line
        put(one_line(item.published) or "undated", dim)
        put(f"#{item.article_id} {one_line(item.title)}", dim)
        # The passage, whole: drawText with a string never reads markup.
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(QRect(rect.left(), y + line, rect.width(), rect.bottom() - y - line),
                         WRAP, one_line(item.text))
        painter.restore()


WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def passage_height(metrics: QFontMetrics, text: str, width: int) -> int:
    """The height of ``text`` wrapped at its spaces to ``width``."""
    return metrics.boundingRect(QRect(0, 0, width, 1 << 20), WRAP, one_line(text)).height()


class ClaimsAcrossPanel(QWidget):
    """A heading with the legend, what the list is about, and the list."""

    item_activated = Signal(object)  # AcrossItem
    back_requested = Signal()  # open the claim the list is about

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AcrossModel()
        self.across: Across | None = None
        self.heading = QLabel("Across the corpus")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.legend = QLabel(f"{DIFFERS} differs")
        self.legend.setToolTip(plain_tip(LEGEND))
        self.legend.setStyleSheet(f"color: {DIFFERS_COLOR.name()};")
        self.back = QPushButton("Back")
        self.back.setToolTip("Open the claim this list is about")
        self.back.clicked.connect(self.back_requested)
        self.back.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(8)
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.legend)
        top.addWidget(self.back)
        self.subject = QLabel()
        self.subject.setWordWrap(True)
        self.subject.setStyleSheet("color: palette(placeholder-text);")
        self.subject.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for label in (self.heading, self.legend, self.subject):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(AcrossDelegate(self.list))
        # Items are as tall as their passage: laid out again when the list's width changes.
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumHeight(2 * QFontMetrics(self.font()).lineSpacing() + 2 * PAD + 4)
        self.list.clicked.connect(self._activated)
        self.list.activated.connect(self._activated)  # Enter, and double-click by style
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.subject)
        layout.addWidget(self.list, 1)
        self.show_across(None)

    def show_busy(self) -> None:
        """The list is being read (in the background)."""
        self.across = None
        self.model.set_items([])
        self.legend.hide()
        self.subject.setText("Looking across the corpus…")

    def show_across(self, across: Across | None, names: dict[str, str] | None = None,
                    passage: str = "", related: Sequence[AcrossItem] = ()) -> None:
        """Show a result (None: no claim selected yet). ``names`` are the ids' names,
        ``passage`` the claim's text (its tooltip); ``related`` other articles' relations
        matching the claim's (``core.store.relations_across``), listed first."""
        self.across = across
        items = [*related, *across.items] if across else []
        self.model.set_items(items)
        self.legend.setVisible(any(i.differs for i in items))
        self.subject.setText(subject_text(across, names or {}))
        self.subject.setToolTip(plain_tip(f"About the claim: {passage}") if passage else "")

    def set_away(self, away: bool) -> None:
        """The claim's article is not the one open: offer the way back."""
        self.back.setVisible(away and self.across is not None)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.item_activated.emit(self.model.items[index.row()])

    def select_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row, 0))


def subject_text(across: Across | None, names: dict[str, str]) -> str:
    """One sentence: what the list is about and how much of the corpus it covers."""
    if across is None:
        return ("Select a claim to see what other articles say about the countries, "
                "minerals and organisations it names.")
    if not across.pairs:
        return ("This claim names no linked entity: link its countries, minerals or "
                "organisations (L) to compare it with other articles.")
    about = "; ".join(" + ".join(names.get(k, k) for k in pair) for pair in across.pairs)
    if not across.items:
        return f"{about}: no other article names them."
    if across.truncated:
        return (f"{about}: {len(across.items):,} items from the newest {across.scanned:,} of "
                f"{across.articles:,} articles naming them.")
    return f"{about}: {len(across.items):,} item(s) in {across.articles:,} article(s)."
