"""Review → Labels…: the project's label scheme, edited in place.

A table of the labels (colour, name, key, spans that use it, the guideline) and, for the
selected one, fields to rename it, change its key, colour and guideline; buttons to add,
merge into another label, delete (only an unused label: the store refuses otherwise),
reorder, and export or import the scheme as JSON; a second tab edits the relation types
(``gui.dialogs.relation_types_pane``), a third the topics (``gui.dialogs.topics_pane``).
Every change is an undoable edit on the window's history (``core.review.scheme_edits``);
the rules are the store's (``core.store.labels``), so the dialog and ``assay-cli labels``
refuse the same things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import AssayError
from core.review.scheme_edits import (
    AddLabel,
    DeleteLabel,
    MergeLabel,
    MoveLabel,
    RenameLabel,
    UpdateLabel,
    new_label_name,
)
from gui.common.file_dialogs import open_file_name, save_file_name
from gui.common.listening import listen_while_open
from gui.common.plain_text import plain_tip
from gui.common.theme import label_color
from gui.dialogs.relation_types_pane import RelationTypesPane
from gui.dialogs.scheme_push import SchemeEditPusher
from gui.dialogs.topics_pane import TopicsPane

if TYPE_CHECKING:
    from gui.review_host import ReviewHost

NEW_COLOR = "#dddddd"


class LabelsDialog(QDialog):
    """Edits the scheme of ``window``'s project through ``window.push``."""

    def __init__(self, window: ReviewHost) -> None:
        super().__init__(window.window())
        self.host = window
        self.setWindowTitle("Labels of this project")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["", "Label", "Key", "Spans", "Guideline"])
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
        self.description = QLineEdit()
        self.description.setPlaceholderText("What this label covers (shown as its tooltip)")
        self.color = QLineEdit()
        self.color.setPlaceholderText("#rrggbb")
        self.color.setFixedWidth(90)
        pick = QPushButton("Choose…")
        pick.clicked.connect(self._pick_color)
        self.apply = QPushButton("Apply")
        self.apply.clicked.connect(self.apply_changes)
        for field in (self.name, self.key, self.description, self.color):
            field.returnPressed.connect(self.apply_changes)
        color_row = QHBoxLayout()
        color_row.addWidget(self.color)
        color_row.addWidget(pick)
        color_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Key", self.key)
        form.addRow("Colour", color_row)
        form.addRow("Guideline", self.description)

        self.merge_target = QComboBox()
        merge = QPushButton("Merge into")
        merge.clicked.connect(self.merge)
        buttons = QHBoxLayout()
        for text, slot in (("New label", self.add), ("Delete", self.delete),
                           ("Move up", lambda: self.move_label(-1)),
                           ("Move down", lambda: self.move_label(1))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(merge)
        buttons.addWidget(self.merge_target)
        share = QHBoxLayout()
        for text, slot in (("Export scheme…", self.export_scheme),
                           ("Import scheme…", self.import_scheme)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            share.addWidget(button)
        share.addStretch(1)
        share.addWidget(self.apply)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        labels_page = QWidget()
        layout = QVBoxLayout(labels_page)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addLayout(share)
        self.relation_types = RelationTypesPane(window, self._say)
        self.tabs = QTabWidget()
        self.tabs.addTab(labels_page, "Labels")
        self.tabs.addTab(self.relation_types, "Relation types")
        self.topics = TopicsPane(window, self._say)
        self.tabs.addTab(self.topics, "Topics")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.message)
        # Enter in a field applies that field (returnPressed); no button may take it too.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.resize(720, 560)
        self.pusher = SchemeEditPusher(window, self._say)  # pushes edits, keeps the selection
        self.fill()
        if window.session is not None:
            listen_while_open(self, (window.session.labels_changed, self.fill),
                              (window.session.labels_changed, self.relation_types.fill),
                              (window.session.labels_changed, self.topics.fill))

    # ------------------------------------------------------------------ showing

    def fill(self, select: str | None = None) -> None:
        project = self.host.project
        if project is None:
            return
        current = select or self.pusher.selecting or self.selected_name()
        labels = project.labels()
        self.table.setRowCount(len(labels))
        for row, label in enumerate(labels):
            swatch = QTableWidgetItem()
            swatch.setBackground(label_color(label.color))
            cells = [swatch, QTableWidgetItem(label.name),
                     QTableWidgetItem(label.hotkey.upper()),
                     QTableWidgetItem(f"{project.label_uses(label.name):,}"),
                     QTableWidgetItem(label.description)]
            cells[4].setToolTip(plain_tip(label.description))
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        self.merge_target.clear()
        self.merge_target.addItems([lb.name for lb in labels])
        names = [lb.name for lb in labels]
        if current in names:
            self.table.selectRow(names.index(current))
        elif names:
            self.table.selectRow(0)

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 1)
        return item.text() if item else None

    def _selected(self) -> None:
        name = self.selected_name()
        project = self.host.project
        if name is None or project is None:
            return
        label = project.label(name)
        self.name.setText(label.name)
        self.key.setText(label.hotkey.upper())
        self.color.setText(label.color)
        self.description.setText(label.description)
        self.message.clear()

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # ------------------------------------------------------------------ changes

    def apply_changes(self) -> None:
        """Apply what was edited in the fields to the selected label."""
        old = self.selected_name()
        project = self.host.project
        if old is None or project is None:
            return
        label = project.label(old)
        name = self.name.text().strip()
        changes = {}
        if self.key.text().strip().lower() != label.hotkey:
            changes["hotkey"] = self.key.text()
        if self.color.text().strip().lower() != label.color.lower():
            changes["color"] = self.color.text()
        if self.description.text() != label.description:
            changes["description"] = self.description.text()
        if changes and not self.pusher.push(UpdateLabel(old, f"change label {old}", **changes),
                                            old):
            return
        if name != old:
            self.pusher.push(RenameLabel(old, name), name)

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color.text() or NEW_COLOR), self,
                                       "Label colour")
        if chosen.isValid():
            self.color.setText(chosen.name())
            self.apply_changes()

    def add(self) -> None:
        project = self.host.project
        if project is None:
            return
        taken = project.label_names()
        name = new_label_name(taken)
        if self.pusher.push(AddLabel(name, NEW_COLOR), name):
            self.name.setFocus()
            self.name.selectAll()

    def delete(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.pusher.push(DeleteLabel(name))

    def merge(self) -> None:
        name = self.selected_name()
        target = self.merge_target.currentText()
        if name is not None and target:
            self.pusher.push(MergeLabel(name, target), target)

    def move_label(self, step: int) -> None:
        """Move the selected label ``step`` places (not ``move``: QWidget.move places the
        dialog)."""
        name = self.selected_name()
        project = self.host.project
        if name is None or project is None:
            return
        position = [lb.name for lb in project.labels()].index(name) + step
        self.pusher.push(MoveLabel(name, position), name)

    def export_scheme(self, path: str | None = None) -> None:
        project = self.host.project
        if project is None:
            return
        if path is None:
            path = save_file_name(
                self, "Export the label scheme", str(project.path.with_name(
                    f"{project.path.stem}-labels.json")), "Label schemes (*.json)")
        if path:
            try:
                count = project.export_scheme(path)
            except AssayError as exc:
                self._say(str(exc))
                return
            self._say(f"Wrote {count} labels to {path}.")

    def import_scheme(self, path: str | None = None) -> None:
        """Take a shared scheme (not undoable label by label: it is one import)."""
        project, session = self.host.project, self.host.session
        if project is None or session is None or self.host.refuse_if_read_only(
                "import a label scheme"):
            return
        if path is None:
            path = open_file_name(self, "Import a label scheme", project.path.parent,
                                  "Label schemes (*.json)")
        if not path:
            return
        try:
            added, updated = session.import_scheme(path)  # tells the listeners
        except AssayError as exc:
            self._say(str(exc))
            return
        self._say(f"Imported {path}: {added} label(s) added, {updated} updated.")
