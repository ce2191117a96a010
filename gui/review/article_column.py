"""The middle column: banners, the article's header, its text, and the note field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.models import Article
from core.review.edits import Focus
from core.review.session import ReviewSession
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


def in_view(view: ArticleView, span_id: int) -> bool:
    """Whether the entity's first line is on screen (then an edit of it scrolls nothing)."""
    span = next(s for s in view.spans if s.id == span_id)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offset_map.to_qt(span.start))
    return view.viewport().rect().contains(view.cursorRect(cursor))


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
        self.view.span_selected.connect(self.show_page)
        self.session: ReviewSession | None = None
        self.search = ""  # the article list's search, whose words are marked in the text

    # ------------------------------------------------------------------ listening

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session (a project was opened): its labels colour the text, its
        open article, spans, status and note are shown as its events say."""
        self.session = session
        self.note.setReadOnly(session.read_only_reason is not None)
        self.show_labels()
        session.article_opened.connect(self.show_article)
        session.article_ready.connect(self.take_focus)
        session.spans_changed.connect(self.show_spans)
        session.article_changed.connect(self.show_meta)
        session.labels_changed.connect(self.show_labels)
        session.focus_moved.connect(self.show_focus)

    def show_article(self, article: Article | None) -> None:
        """Another article is open: its text, entities, header and note."""
        if article is None:
            self.header.show_article(None)
            self.view.set_article("", [], [])
            self.note.clear()
            return
        assert self.session is not None
        self.view.set_article(article.text, self.session.spans, self.session.tokens)
        self.show_meta(article)
        self.mark_search(self.search)

    def mark_search(self, search: str) -> None:
        """Mark the words of the list's search in the open article (none: no marks)."""
        self.search = search
        session = self.session
        article = session.article if session is not None else None
        hits = session.project.search_hits(article.id, search) if (
            session is not None and article is not None and search) else []
        self.view.search_hits = hits  # painted by the view (gui.review.search_marks)
        self.view.viewport().update()

    def show_page(self, span_id: int | None) -> None:
        """The header names the page of the selected entity (an article made from a PDF)."""
        span = next((s for s in self.view.spans if s.id == span_id), None)
        self.header.show_page(span.start if span is not None else None)

    def take_focus(self, article: Article | None) -> None:
        if article is not None:
            self.view.setFocus()

    def show_spans(self) -> None:
        if self.session is not None:
            self.view.set_spans(self.session.spans)

    def show_meta(self, article: Article) -> None:
        """The header (status, source) and the note, as stored."""
        self.header.show_article(article)
        if self.note.text() != (article.note or ""):
            self.note.setText(article.note or "")

    def show_labels(self) -> None:
        if self.session is not None:
            self.view.set_labels(self.session.project.labels())
            self.view.refresh_formats()

    def show_focus(self, focus: Focus) -> None:
        """After an edit, undo or redo: select the entity it touched. An edit of the entity
        the reviewer has selected and sees (Enter, a label key, O) leaves the view still."""
        view = self.view
        if focus.span_id is not None and any(s.id == focus.span_id for s in view.spans):
            still = focus.span_id == view.selected_id and in_view(view, focus.span_id)
            view.select_span(focus.span_id, scroll=not still)

    def readable_width(self) -> int:
        """The width the text wants at least: MIN_TEXT_CHARS of the reading font (which
        zooms), plus the document's margins and the scroll bar. Not a hard minimum: on a
        screen too small for it, the window must still fit."""
        chars = QFontMetrics(self.view.document().defaultFont()).averageCharWidth()
        margins = 2 * int(self.view.document().documentMargin()) + 24
        return chars * MIN_TEXT_CHARS + margins
