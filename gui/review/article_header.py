"""The header above the article: its title, where it came from, its review status and its
topics (``gui.review.topic_chips``, filled by ``gui.review.topic_review``); for an article
made from a PDF, its pages, and the page of the selected entity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.models import PREVIEW_CHARS, Article, shown_title
from core.text.pages import page_at
from gui.common.elided_label import ElidedLabel
from gui.common.plain_text import wrappable
from gui.common.theme import STATUS_COLORS
from gui.review.topic_chips import TopicChips


class ArticleHeader(QWidget):
    """Title (plain text: titles are untrusted), source · date · url · who decided, status chip."""

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = ElidedLabel()  # a long source URL must not widen the window
        self.meta.setStyleSheet("color: palette(placeholder-text);")
        self.status_chip = QLabel()
        self.status_chip.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 14, 28, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.meta)
        self._bits: list[str] = []  # the meta line but for the page part
        self._pages: tuple[int, ...] = ()  # the open article's page starts
        self._shown: tuple[int | None, int | None] = (None, None)  # article id, offset
        self.topics = TopicChips()
        layout.addWidget(self.topics)

    def show_article(self, art: Article | None) -> None:
        """Show ``art``'s header, or what to do first when the project has no article."""
        if art is None:
            self.title.setText("No articles yet")
            self._bits = ["Use File → Import files… to add articles, then File → Pre-annotate."]
            self._pages = ()
            self._shown = (None, None)
            self.show_page(None)
            self.status_chip.clear()
            self.status_chip.setStyleSheet("")
            return
        self.title.setText(wrappable(shown_title(art.title, art.text[:PREVIEW_CHARS],
                                                 art.source)))
        bits = [b for b in (art.source, art.published, art.url) if b]
        if art.reviewed_by:
            bits.append(f"{art.status} by {art.reviewed_by}")
        self._bits = bits or [f"Article {art.id}"]
        self._pages = art.page_starts
        same = self._shown[0] == art.id  # a new status: the selected entity's page stays
        self._shown = (art.id, self._shown[1] if same else None)
        self.show_page(self._shown[1])
        color = STATUS_COLORS[art.status]
        self.status_chip.setText(art.status.upper())
        self.status_chip.setStyleSheet(
            f"color: white; background: {color.name()}; border-radius: 9px; "
            "padding: 2px 10px; font-weight: 600;")

    def show_page(self, offset: int | None) -> None:
        """The meta line, with the article's pages (a PDF's): "12 pages", or the page that
        holds ``offset`` (the selected entity's start): "page 3 of 12"."""
        self._shown = (self._shown[0], offset)
        pages = self._pages
        part = ""
        if pages:
            page = page_at(pages, offset) if offset is not None else None
            part = f"page {page} of {len(pages)}" if page else f"{len(pages)} pages"
        self.meta.setText("  ·  ".join([*self._bits, part] if part else self._bits))
