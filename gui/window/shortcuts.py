"""The list of keyboard shortcuts and the F1 / ? dialog that shows them.

The rows come from the window's actions (each declares its help where it is
made) plus the few keys the text view handles itself, so what users read is what
the window does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Groups in the order the help shows them.
GROUPS = ("Entities", "Relations", "Articles", "Editing", "Claims", "Adjudication", "View",
          "Project", "Help")

# Keys the article view and the list handle themselves (not window actions). Every
# window action declares its own help row where it is made (``MainWindow.action(...,
# help=...)``), so the help is built from the actions and shows their real keys.
VIEW_KEYS: list[tuple[str, str, str]] = [
    ("Entities", "1–9, Q, W", "Label the selected text, or relabel the selected entity"),
    ("Entities", "Mouse drag", "Select text (snaps to whole words); a label menu opens"),
    ("Entities", "Click", "Select an entity"),
    ("Entities", "Tab / Shift+Tab", "Next / previous entity"),
    ("Entities", "Space / Shift+Space", "Next / previous suggestion still to decide"),
    ("Entities", "Alt+label key", "Next entity of that label (Alt+Shift: previous)"),
    ("Entities", "/", "Jump to: type the first letters of an entity or of any words"),
    ("Entities", "Enter", "Accept the selected entity and go to the next"),
    ("Entities", "Delete / Backspace", "Reject the selected entity"),
    ("Entities", "Shift+Delete", "Reject every suggestion with this text and label"),
    ("Entities", "Shift+← / Shift+→", "Move the entity's start by one token"),
    ("Entities", "Alt+← / Alt+→", "Move the entity's end by one token"),
    ("Entities", "Esc", "Clear the selection"),
    ("Relations", "1–9 (while drawing)", "Make the relation of that type to the entity you are on"),
    ("Relations", "Esc (while drawing)", "Stop drawing; nothing is made"),
    ("Relations", "Enter / Delete", "On a selected relation (click it in the list or the "
     "Relations tab): accept; reject a suggestion, delete your own"),
    ("Relations", "Enter / double-click", "In the Relations tab: go to the relation in the text"),
    ("Articles", "↓ / ↑", "Next / previous article in the list"),
    ("Adjudication", "Space / Shift+Space", "Next / previous place where reviewers differ"),
    ("Adjudication", "A", "Approve the curated version, open the next article to adjudicate"),
]


def keys_text(action: QAction) -> str:
    """An action's shortcuts as the help shows them: "Ctrl+Shift+Z / Ctrl+Y"."""
    return " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                      for k in action.shortcuts())


def help_rows(helped: list[tuple[QAction, str, str]]) -> list[tuple[str, str, str]]:
    """The help table: the view's own keys and every action's row, grouped."""
    rows = VIEW_KEYS + [(group, keys_text(action), does) for action, group, does in helped
                        if action.shortcuts()]
    return sorted(rows, key=lambda row: GROUPS.index(row[0]))  # stable: order kept in groups


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
