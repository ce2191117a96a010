"""Review → Labels…, the Relation types tab: the scheme's relation types (colour, name, key,
head → tail labels, symmetric, relations that use it, description), and fields to add,
rename, recolour, rekey, change the labels a type joins or its symmetry, and delete an
unused one. Every change is an undoable edit on the window's history
(``core.review.relation_scheme_edits``); the rules are the store's
(``core.store.relation_types``), so the dialog and ``assay-cli labels`` refuse the same
things and say the same sentences.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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

from core.models import RelationType
from core.review.relation_scheme_edits import (
    AddRelationType,
    DeleteRelationType,
    UpdateRelationType,
    new_type_name,
)
from gui.common.plain_text import plain_tip
from gui.dialogs.scheme_push import SchemeEditPusher

if TYPE_CHECKING:
    from gui.review_host import ReviewHost

COLUMNS = ["", "Type", "Key", "Head → tail", "Uses", "Description"]


def label_list(text: str) -> tuple[str, ...]:
    """``GPE, ORG`` as typed in a field: the label names, in order, without blanks."""
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


class RelationTypesPane(QWidget):
    """Edits the relation types of ``host``'s project through ``host.push``."""

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
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
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
        self.head = QLineEdit()
        self.head.setPlaceholderText("Labels the head may have: GPE, ORG")
        self.tail = QLineEdit()
        self.tail.setPlaceholderText("Labels the tail may have: MINERAL")
        self.symmetric = QCheckBox("Symmetric (one relation, either direction)")
        self.description = QLineEdit()
        self.description.setPlaceholderText("What the sentence says when this type holds")
        for field in (self.name, self.key, self.color, self.head, self.tail, self.description):
            field.returnPressed.connect(self.apply_changes)
        color_row = QHBoxLayout()
        color_row.addWidget(self.color)
        color_row.addWidget(pick)
        color_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Key", self.key)
        form.addRow("Colour", color_row)
        form.addRow("Head labels", self.head)
        form.addRow("Tail labels", self.tail)
        form.addRow("", self.symmetric)
        form.addRow("Description", self.description)
        buttons = QHBoxLayout()
        for text, slot in (("New type", self.add), ("Delete", self.delete),
                           ("Apply", self.apply_changes)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if text == "Delete":
                buttons.addStretch(1)
        hint = QLabel("Type keys are pressed while drawing a relation (R), so they may be "
                      "label keys too.")
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
        types = project.relation_types()
        uses: Counter[str] = Counter()
        for (used, _state), n in project.relation_counts().items():
            uses[used] += n
        self.table.setRowCount(len(types))
        for row, kind in enumerate(types):
            swatch = QTableWidgetItem()
            swatch.setBackground(QColor(kind.color))
            cells = [swatch, QTableWidgetItem(kind.name), QTableWidgetItem(kind.hotkey.upper()),
                     QTableWidgetItem(kind.shape()), QTableWidgetItem(f"{uses[kind.name]:,}"),
                     QTableWidgetItem(kind.description)]
            cells[5].setToolTip(plain_tip(kind.description))
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        names = [t.name for t in types]
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
        kind = project.relation_type(name)
        self.name.setText(kind.name)
        self.key.setText(kind.hotkey.upper())
        self.color.setText(kind.color)
        self.head.setText(", ".join(kind.head_labels))
        self.tail.setText(", ".join(kind.tail_labels))
        self.symmetric.setChecked(kind.symmetric)
        self.description.setText(kind.description)

    # ------------------------------------------------------------------ changes

    def apply_changes(self) -> None:
        """Apply the fields to the selected type (one edit: undo puts all of it back)."""
        old = self.selected_name()
        project = self.host.project
        if old is None or project is None:
            return
        before = project.relation_type(old)
        after = replace(before, name=self.name.text().strip(), hotkey=self.key.text().strip(),
                        color=self.color.text().strip(), head_labels=label_list(self.head.text()),
                        tail_labels=label_list(self.tail.text()),
                        symmetric=self.symmetric.isChecked(),
                        description=self.description.text())
        if after == before:
            return
        title = f"rename {old} to {after.name}" if after.name != old else f"change {old}"
        self.pusher.push(UpdateRelationType(old, after, title), after.name)

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color.text() or "#5a6f8f"), self,
                                       "Relation type colour")
        if chosen.isValid():
            self.color.setText(chosen.name())
            self.apply_changes()

    def add(self) -> None:
        """A new type joining the selected type's labels (or the first label to itself),
        named NEW_RELATION for the reviewer to rename."""
        project = self.host.project
        if project is None:
            return
        name = new_type_name({t.name for t in project.relation_types()})
        labels = [lb.name for lb in project.labels()][:1]
        kind = RelationType(name=name, head_labels=label_list(self.head.text()) or
                            tuple(labels), tail_labels=label_list(self.tail.text()) or
                            tuple(labels))
        if self.pusher.push(AddRelationType(kind), name):
            self.name.setFocus()
            self.name.selectAll()

    def delete(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.pusher.push(DeleteRelationType(name))
