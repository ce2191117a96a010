"""The status bar's permanent parts: the open article's claims still to decide, the
project's progress, who is reviewing and which model suggested the open article's
entities. They follow the session themselves (``attach``): the counts when articles
changed, the article's part when another article opens. The two that never change while
one reviews (who, which model) give their room to a message while it shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from core.models import Article
from core.review.session import ReviewSession


class StatusParts:
    """Four plain-text labels at the right of the status bar."""

    def __init__(self, bar: QStatusBar, reviewer: str, open_claims: Callable[[], str]) -> None:
        self.reviewer = reviewer
        self._open_claims = open_claims  # this article's open claims, as the claims show them
        self._session: ReviewSession | None = None
        self.claims = QLabel()  # shown, never in the way
        self.progress = QLabel()
        self.who = QLabel()
        self.model = QLabel()
        for widget in (self.claims, self.progress, self.who, self.model):
            widget.setTextFormat(Qt.TextFormat.PlainText)
            widget.setContentsMargins(10, 0, 10, 0)  # the parts must not run together
            bar.addPermanentWidget(widget)
        bar.messageChanged.connect(self._make_room)

    def _make_room(self, message: str) -> None:
        """While a message shows, who reviews and which model suggested (which do not
        change) step aside: at 1024 wide "Approved: 41 suggestions accepted, 1 suggested
        claim undecided — Ctrl+Z undoes" was cut after "1 suggeste"."""
        for widget in (self.who, self.model):
            widget.setVisible(not message)

    def attach(self, session: ReviewSession) -> None:
        self._session = session
        session.article_opened.connect(self._article_opened)
        session.articles_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """The project's counts and the open article's part."""
        if self._session is None:
            return
        counts = self._session.project.counts_by_status()
        total = sum(counts.values())
        self.progress.setText(f"Approved {counts['approved']:,} / {total:,}")
        self.who.setText(f"Reviewer: {self.reviewer}")
        self._show_article(self._session.article)

    def _article_opened(self, article: Article | None) -> None:
        self._show_article(article)  # not the project's counts: they did not change

    def _show_article(self, article: Article | None) -> None:
        model = article.model if article is not None and article.model else "not annotated"
        self.model.setText(f"Model: {model}")
        self.claims.setText(self._open_claims())


# What a single key's decision says (A's summary of what the approval accepted is its own):
# the key was one press, so the way back is said with it.
DECIDED = {"rejected": "Article rejected — Ctrl+Z undoes.",
           "skipped": "Article skipped — Ctrl+Z undoes."}


def decision_said(status: str, none_left: bool, summary: str | None = None) -> str:
    """The status bar's sentence after A, X or S marked the article ``status``; an
    approval says its own ``summary`` (``core.review.approval``)."""
    said = [summary or DECIDED.get(status, ""), "No pending articles left." if none_left else ""]
    parts = [part for part in said if part]
    return " ".join(p if p.endswith(".") or i == len(parts) - 1 else f"{p}."
                    for i, p in enumerate(parts))
