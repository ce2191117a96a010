"""The middle column: banners, the article's header, its text, and the note field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gui.review.article_header import ArticleHeader
from gui.review.article_view import ArticleView

# The text keeps at least this many average characters a line; the side panels give way.
MIN_TEXT_CHARS = 42


def banner() -> QLabel:
    """A yellow notice above the article (plain text: it may quote a file name)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("background: #fff4ce; color: #5c4400; border: 1px solid #e6c65c; "
                        "border-radius: 4px; padding: 6px 10px;")
    label.hide()
    return label


class ArticleColumn(QWidget):
    """Banners (no model, read-only), the header, the article view and the note."""

    def __init__(self) -> None:
        super().__init__()
        self.banner = banner()
        self.lock_banner = banner()
        self.header = ArticleHeader()
        self.view = ArticleView()
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note on this article (N) — saved when you press Enter")
        self.note.setClearButtonEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.lock_banner)
        layout.addWidget(self.header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: palette(mid);")
        layout.addWidget(line)
        layout.addWidget(self.view, 1)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(12, 6, 12, 8)
        note_row.addWidget(self.note)
        layout.addLayout(note_row)

    def readable_width(self) -> int:
        """The width the text wants at least: MIN_TEXT_CHARS of the reading font (which
        zooms), plus the document's margins and the scroll bar. Not a hard minimum: on a
        screen too small for it, the window must still fit."""
        chars = QFontMetrics(self.view.document().defaultFont()).averageCharWidth()
        margins = 2 * int(self.view.document().documentMargin()) + 24
        return chars * MIN_TEXT_CHARS + margins
