"""After File → Merge reviewers' copies…: what came in from each copy, and what was refused.

A status-bar line for three copies scrolled away before it could be read, and said
nothing of a refused copy but an error box that stopped the rest. The summary lists every
copy on its own paragraph, as ``core.teams.merge.MergeReport.line`` words it (the line
``assay-cli merge`` prints): whose copy, its articles, decisions, accepted entities and
claims, or why it was refused. Plain text (file and reviewer names are the user's),
selectable to copy into a note, resizable, and never bigger than the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.teams.merge import MergeReport
from core.text.wording import counted
from gui.common.screen_fit import fit_to_screen


def headline(reports: Sequence[MergeReport]) -> str:
    """"Merged 2 of 3 copies; 1 copy was refused (nothing of it was written)." """
    refused = sum(1 for r in reports if r.refused)
    merged = len(reports) - refused
    said = f"Merged {merged:,} of {counted(len(reports), 'copy', 'copies')}"
    if refused:
        said += (f"; {counted(refused, 'copy was', 'copies were')} refused (nothing of "
                 f"{'it' if refused == 1 else 'them'} was written)")
    return said + "."


class MergeSummary(QDialog):
    """One paragraph per copy, in the order they were chosen."""

    def __init__(self, reports: Sequence[MergeReport], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge summary")
        self.setSizeGripEnabled(True)
        self.rows = [r.line for r in reports]  # as shown, for tests and for reading
        self.headline = QLabel(headline(reports))
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)  # still selectable: a line can be copied into a note
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setPlainText("\n\n".join(self.rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 400)
