"""The list of keyboard shortcuts and the F1 / ? dialog that shows them.

One table serves the dialog and the README, so what users read is what the
window does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS: list[tuple[str, str, str]] = [
    ("Entities", "1–9, Q, W", "Label the selected text, or relabel the selected entity"),
    ("Entities", "Mouse drag", "Select text (snaps to whole words); a label menu opens"),
    ("Entities", "Click", "Select an entity"),
    ("Entities", "Tab / Shift+Tab", "Next / previous entity"),
    ("Entities", "Enter", "Accept the selected entity and go to the next"),
    ("Entities", "Delete / Backspace", "Reject the selected entity"),
    ("Entities", "Shift+← / Shift+→", "Move the entity's start by one token"),
    ("Entities", "Alt+← / Alt+→", "Move the entity's end by one token"),
    ("Entities", "Esc", "Clear the selection"),
    ("Entities", "L", "Link the selected entity to its canonical id (country, mineral, …)"),
    ("Articles", "A", "Approve (accepts remaining suggestions) and open the next pending"),
    ("Articles", "X", "Reject the article"),
    ("Articles", "S", "Skip the article"),
    ("Articles", "N", "Edit the article's note (Enter saves)"),
    ("Articles", "J / ↓", "Next article in the list"),
    ("Articles", "K / ↑", "Previous article in the list"),
    ("Articles", "Ctrl+F", "Search the articles"),
    ("Editing", "Ctrl+Z", "Undo (across articles)"),
    ("Editing", "Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Claims", "C", "Mark the selection as a claim, widened to whole sentences"),
    ("Claims", "Shift+C", "Mark exactly the selection as a claim"),
    ("Claims", "Ctrl+1 / Ctrl+2 / Ctrl+3", "Claim is supported / refuted / unverifiable"),
    ("Claims", "Ctrl+0", "Claim is unchecked (accepts a suggested claim)"),
    ("Claims", "Ctrl+Del", "Dismiss a suggested claim, or delete your own"),
    ("Claims", "] / [", "Next / previous claim"),
    ("Claims", "Ctrl+Shift+C", "Suggest claims: sentences that state a figure"),
    ("View", "Ctrl++ / Ctrl+-", "Zoom the text"),
    ("View", "Ctrl+R", "Show or hide rejected entities"),
    ("Project", "Ctrl+I / Ctrl+Shift+I", "Import files / a folder"),
    ("Project", "Ctrl+P", "Pre-annotate with spaCy and the gazetteers"),
    ("Help", "F1 / ?", "This list"),
]


class ShortcutsDialog(QDialog):
    """A plain table of every shortcut."""

    def __init__(self, shortcuts: list[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(shortcuts), 3, self)
        table.setHorizontalHeaderLabels(["", "Keys", "Does"])
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        previous = ""
        for row, (group, keys, does) in enumerate(shortcuts):
            group_item = QTableWidgetItem(group if group != previous else "")
            font = group_item.font()
            font.setBold(True)
            group_item.setFont(font)
            keys_item = QTableWidgetItem(keys)
            keys_item.setFont(font)
            for col, item in enumerate((group_item, keys_item, QTableWidgetItem(does))):
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, col, item)
            previous = group
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(640, 640)
