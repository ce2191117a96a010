"""File → Import from feed or links…: the addresses to fetch (or a feed file, or a list of
links), and afterwards what became of each, as plain text.

The dialog only gathers what the user gave (``core.web.sources`` reads it, the rule the
CLI uses); the window runs ``core.web.web_import.import_web`` in a thread with a progress
dialog and Cancel, and shows the report's lines (``WebImportReport.lines``, what
``assay-cli import`` prints) in :class:`FeedImportSummary`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.web.sources import Source, sources_in_text
from gui.common.file_dialogs import open_file_names
from gui.common.form_parts import ok_cancel

INTRO = ("Paste the address of a feed or of a page, or several addresses, one a line; or "
         "choose a feed file (.xml, .rss, .atom) or a list of links (.txt, one address a "
         "line). Assay fetches these pages now, and only these: nothing else in Assay uses "
         "the network.")


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class FeedImportDialog(QDialog):
    """Collects the sources; ``sources()`` is what the import fetches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import from feed or links")
        self.box = QPlainTextEdit()
        self.box.setPlaceholderText("https://www.example.com/news/feed.xml\n"
                                    "https://www.example.com/2026/12/07/a-story.html")
        self.box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.box.setTabChangesFocus(True)
        self.choose = QPushButton("Choose file…")
        self.choose.clicked.connect(self._choose)
        self.problem = _plain_label("")
        self.problem.hide()
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addWidget(self.problem)
        row.addStretch(1)
        self.buttons = ok_cancel(self, "Import", self._import)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(INTRO))
        layout.addWidget(self.box, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.resize(640, 360)
        self.box.setFocus()

    @property
    def import_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def sources(self) -> list[Source]:
        return sources_in_text(self.box.toPlainText())

    def _choose(self) -> None:
        paths = open_file_names(self, "Choose a feed file or a list of links", Path.home(),
                                "Feeds and lists of links (*.xml *.rss *.atom *.txt);;"
                                "All files (*)")
        if paths:
            text = self.box.toPlainText().rstrip("\n")
            self.box.setPlainText("\n".join([*([text] if text else []), *paths]))

    def _import(self) -> None:
        if not self.sources():
            self.problem.setText("Nothing to import yet: give an address or a file.")
            self.problem.show()
            return
        self.accept()


class FeedImportSummary(QDialog):
    """What the import did: its first line as a sentence, every address's line below it."""

    def __init__(self, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import from feed or links")
        self.headline = _plain_label(lines[0] if lines else "")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText("\n".join(lines[1:]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(880, 400)

    def text(self) -> str:
        """Everything the summary says, as shown."""
        return "\n".join(filter(None, (self.headline.text(), self.details.toPlainText())))
