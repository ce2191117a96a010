"""Review → Labels…, the Topics tab: the project's topics (colour, name, digit, articles that
have it, description), fields to rename, recolour, change the digit and describe the
selected one, and buttons to add, delete an unused one and reorder. Every change is an
undoable edit on the window's history (``core.review.topic_edits``); the rules are the
store's (``core.store.topics``), so the dialog and ``assay-cli topics`` refuse the same
things and say the same sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.models import Topic
from core.review.topic_edits import (
    AddTopic,
    DeleteTopic,
    MoveTopic,
    RenameTopic,
    UpdateTopic,
    new_topic_name,
)
from core.store.topics import DEFAULT_TOPIC_COLOR
from gui.common.plain_text import plain_tip
from gui.dialogs.scheme_push import SchemeEditPusher

if TYPE_CHECKING:
    from gui.review_host import ReviewHost

COLUMNS = ["", "Topic", "Key", "Articles", "Description"]


class TopicsPane(QWidget):
    """Edits the topics of ``host``'s project through ``host.push``."""

    def __init__(self, host: ReviewHost, say) -> None:
        super().__init__()
        self.host = host
        self._say = say  # the dialog's message line
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.name = QLineEdit()
        self.key = QLineEdit()
        self.key.setMaxLength(1)
        self.key.setFixedWidth(40)
        self.color = QLineEdit()
        self.color.setPlaceholderText("#rrggbb")
        self.color.setFixedWidth(90)
        pick = QPushButton("Choose…")
        pick.clicked.connect(self._pick_color)
        self.description = QLineEdit()
        self.description.setPlaceholderText("What an article with this topic is about")
        for field in (self.name, self.key, self.color, self.description):
            field.returnPressed.connect(self.apply_changes)
        color_row = QHBoxLayout()
        color_row.addWidget(self.color)
        color_row.addWidget(pick)
        color_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Key", self.key)
        form.addRow("Colour", color_row)
        form.addRow("Description", self.description)
        buttons = QHBoxLayout()
        for text, slot in (("New topic", self.add), ("Delete", self.delete),
                           ("Up", lambda: self.move_topic(-1)),
                           ("Down", lambda: self.move_topic(1)),
                           ("Apply", self.apply_changes)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if text == "Down":
                buttons.addStretch(1)
        hint = QLabel("A topic's key is a digit: in the review, T and then the digit sets or "
                      "removes the topic of the open article.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self.pusher = SchemeEditPusher(host, self._say)
        self.fill()

    # ------------------------------------------------------------------ showing

    def fill(self, select: str | None = None) -> None:
        project = self.host.project
        if project is None:
            return
        current = select or self.pusher.selecting or self.selected_name()
        topics = project.topics()
        uses: dict[str, int] = {}
        for (name, _state), n in project.topic_counts().items():
            uses[name] = uses.get(name, 0) + n
        self.table.setRowCount(len(topics))
        for row, topic in enumerate(topics):
            swatch = QTableWidgetItem()
            swatch.setBackground(QColor(topic.color))
            cells = [swatch, QTableWidgetItem(topic.name), QTableWidgetItem(topic.hotkey),
                     QTableWidgetItem(f"{uses.get(topic.name, 0):,}"),
                     QTableWidgetItem(topic.description)]
            cells[4].setToolTip(plain_tip(topic.description))
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        names = [t.name for t in topics]
        if current in names:
            self.table.selectRow(names.index(current))
        elif names:
            self.table.selectRow(0)

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        item = self.table.item(rows[0].row(), 1) if rows else None
        return item.text() if item else None

    def _selected(self) -> None:
        name = self.selected_name()
        project = self.host.project
        if name is None or project is None:
            return
        topic = project.topic(name)
        self.name.setText(topic.name)
        self.key.setText(topic.hotkey)
        self.color.setText(topic.color)
        self.description.setText(topic.description)

    # ------------------------------------------------------------------ changes

    def apply_changes(self) -> None:
        """Apply the fields to the selected topic: its colour, key and description (one
        edit), and its name (a rename, another: each undoes on its own)."""
        old = self.selected_name()
        project = self.host.project
        if old is None or project is None:
            return
        before = project.topic(old)
        color, key = self.color.text().strip(), self.key.text().strip()
        description = self.description.text()
        changed = (color, key, description) != (before.color, before.hotkey, before.description)
        if changed and not self.pusher.push(UpdateTopic(old, color=color, hotkey=key,
                                                        description=description), old):
            return
        new = self.name.text().strip()
        if new != old:
            self.pusher.push(RenameTopic(old, new), new)

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color.text() or DEFAULT_TOPIC_COLOR), self,
                                       "Topic colour")
        if chosen.isValid():
            self.color.setText(chosen.name())
            self.apply_changes()

    def add(self) -> None:
        """A new topic at the end, named "new topic" for the reviewer to rename, with the
        first free digit."""
        project = self.host.project
        if project is None:
            return
        topics = project.topics()
        used = {t.hotkey for t in topics}
        key = next((k for k in "1234567890" if k not in used), "")
        name = new_topic_name({t.name for t in topics})
        if self.pusher.push(AddTopic(Topic(name, DEFAULT_TOPIC_COLOR, key)), name):
            self.name.setFocus()
            self.name.selectAll()

    def delete(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.pusher.push(DeleteTopic(name))

    def move_topic(self, step: int) -> None:
        name = self.selected_name()
        project = self.host.project
        if name is None or project is None:
            return
        position = [t.name for t in project.topics()].index(name) + step
        if 0 <= position < len(project.topics()):
            self.pusher.push(MoveTopic(name, position), name)
