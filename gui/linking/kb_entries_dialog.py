"""The project's own canonical entries: a list, and a way to delete a mistaken one.

Entries are added from the Link field (New…); this dialog is where a reviewer
sees what the project has added to the built-in lists and removes an entry
that was a mistake. Deleting an entry keeps the links already made with it, so
no reviewed entity changes under anyone's feet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import AssayError
from core.review.session import ReviewSession
from gui.common.listening import listen_while_open


class KbEntriesDialog(QDialog):
    """Id, label, name and aliases of every entry in the project file."""

    COLUMNS = ("Id", "Label", "Name", "Aliases", "Added by")

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Canonical entries of this project")
        self.session = session
        self.project = session.project
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names an entry: untrusted text
        self.message.setWordWrap(True)
        self.delete_button = QPushButton("Delete entry")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Entries added to this project with New… in the Link field. "
                                "Deleting one keeps the links already made with it."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.reload()
        listen_while_open(self, (session.kb_entries_changed, self.reload))

    def reload(self) -> None:
        rows = self.project.kb_entry_rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value or ""))
        self.table.resizeColumnsToContents()
        self.delete_button.setEnabled(bool(rows))
        if not rows:
            self.message.setText("This project has no entries of its own yet.")

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def delete_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.message.setText("Select an entry first.")
            return
        kb_id, label = self._cell(row, 0), self._cell(row, 1)
        try:
            self.session.delete_kb_entry(kb_id, label)  # the list follows (kb_entries_changed)
        except AssayError as exc:
            self.message.setText(f"Not deleted: {exc}")
            return
        self.message.setText(f"Deleted {kb_id} ({label}).")
